import { useState } from 'react';
import { App, Button, Card, Drawer, Flex, Form, Input, InputNumber, Modal, Select, Space, Statistic, Table, Tag, Tabs, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MovementRow } from '../../bindings/MovementRow';
import type { StockAlert } from '../../bindings/StockAlert';
import type { StockRow } from '../../bindings/StockRow';
import type { Transfer } from '../../bindings/Transfer';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { CountsTab } from './CountsTab';
import { ReportsTab } from './ReportsTab';
import { ReturnsTab } from './ReturnsTab';
import {
  useAlerts,
  useMoveStock,
  useMovements,
  useReceiveTransfer,
  useShipTransfer,
  useStockRows,
  useTransfers,
  useWarehouseOptions,
} from './queries';

function MovementsDrawer({ code, onClose }: { code: string; onClose: () => void }) {
  const { t } = useTranslation();
  const m = useMovements(code);
  const columns: TableColumnsType<MovementRow> = [
    { key: 'date', dataIndex: 'biz_date', title: t('inventory:date'), width: 100 },
    { key: 'kind', title: t('inventory:kindCol'), width: 100, render: (_: unknown, r) => t(`inventory:kind.${r.kind}`, { defaultValue: r.kind }) },
    { key: 'where', title: t('inventory:location'), width: 140, render: (_: unknown, r) => `${r.warehouse_code} / ${r.location_code}` },
    { key: 'qty', title: t('inventory:qty'), align: 'right', width: 70, render: (_: unknown, r) => (r.qty > 0 ? `+${r.qty}` : r.qty) },
    { key: 'other', title: t('inventory:reservedTransit'), width: 110, render: (_: unknown, r) => `${r.reserved} / ${r.in_transit}` },
    { key: 'value', dataIndex: 'value', title: t('inventory:value'), align: 'right', width: 100 },
    { key: 'doc', dataIndex: 'doc_no', title: t('inventory:doc') },
    { key: 'user', dataIndex: 'username', title: t('inventory:user'), width: 90 },
  ];
  return (
    <Drawer open width={980} onClose={onClose} title={t('inventory:history', { code })} data-testid="movements-drawer">
      <QueryError error={m.error} />
      <Table<MovementRow> rowKey="id" size="small" columns={columns} dataSource={m.data} loading={m.isFetching} pagination={{ pageSize: 50 }} />
    </Drawer>
  );
}

function StockTab() {
  const { t } = useTranslation();
  const warehouses = useWarehouseOptions();
  const [search, setSearch] = useState('');
  const [warehouse, setWarehouse] = useState<string | undefined>();
  const [page, setPage] = useState({ page: 1, size: 50 });
  const rows = useStockRows({ search: search.trim() || null, warehouse_code: warehouse ?? null, page: page.page, page_size: page.size });
  const [history, setHistory] = useState<string | null>(null);
  const columns: TableColumnsType<StockRow> = [
    { key: 'sku', dataIndex: 'sku', title: 'SKU', width: 130 },
    { key: 'name', dataIndex: 'name', title: t('inventory:name') },
    {
      key: 'where',
      title: t('inventory:location'),
      width: 170,
      render: (_: unknown, r) => (
        <Space size={4}>
          {`${r.warehouse_code} / ${r.location_code}`}
          {r.frozen && <Tag color="blue">{t('inventory:frozen')}</Tag>}
        </Space>
      ),
    },
    { key: 'on_hand', dataIndex: 'on_hand', title: t('inventory:onHand'), align: 'right', width: 90 },
    { key: 'reserved', dataIndex: 'reserved', title: t('inventory:reserved'), align: 'right', width: 90 },
    { key: 'available', dataIndex: 'available', title: t('inventory:available'), align: 'right', width: 90 },
    { key: 'in_transit', dataIndex: 'in_transit', title: t('inventory:inTransit'), align: 'right', width: 90 },
  ];
  return (
    <Card className="list-card">
      <Flex wrap gap={12} align="center" className="list-toolbar">
        <Input.Search placeholder={t('inventory:search')} onSearch={(v) => { setSearch(v); setPage((p) => ({ ...p, page: 1 })); }} style={{ width: 260 }} data-testid="stock-search" />
        <Select allowClear placeholder={t('inventory:warehouse')} value={warehouse} onChange={(v?: string) => { setWarehouse(v); setPage((p) => ({ ...p, page: 1 })); }} options={warehouses} style={{ width: 220 }} />
        {rows.data && <Statistic title={t('inventory:stockValue')} value={rows.data.value} valueStyle={{ fontSize: 18 }} />}
      </Flex>
      <QueryError error={rows.error} onRetry={() => void rows.refetch()} />
      <div data-testid="stock-table">
        <Table<StockRow>
          rowKey={(r) => `${r.sku}@${r.warehouse_code}/${r.location_code}`}
          size="middle"
          columns={columns}
          dataSource={rows.data?.items}
          loading={rows.isFetching}
          onRow={(r) => ({ onClick: () => setHistory(r.sku), style: { cursor: 'pointer' } })}
          pagination={{
            current: page.page,
            pageSize: page.size,
            total: Number(rows.data?.total ?? 0),
            showTotal: (n) => t('common:list.total', { count: n }),
            onChange: (p, s) => setPage({ page: s !== page.size ? 1 : p, size: s }),
          }}
        />
      </div>
      {history && <MovementsDrawer code={history} onClose={() => setHistory(null)} />}
    </Card>
  );
}

type MoveForm = { warehouse_code: string; sku: string; from_location: string; to_location?: string; qty: number; note?: string };

/** Putaway (上架) and moves between locations, with the suggested location one click away. */
function MoveTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const warehouses = useWarehouseOptions();
  const [form] = Form.useForm<MoveForm>();
  const move = useMoveStock();
  const [hint, setHint] = useState<string | null>(null);
  const suggest = () => {
    const { warehouse_code, sku, from_location } = form.getFieldsValue();
    if (!warehouse_code || !sku) return;
    call('stock_suggest', { warehouse_code, sku, except_location: from_location ?? null })
      .then((s) => {
        form.setFieldValue('to_location', s.location_code);
        setHint(t(`inventory:suggestReason.${s.reason}`));
      })
      .catch(report);
  };
  return (
    <Card className="list-card" style={{ maxWidth: 720 }}>
      <Form<MoveForm>
        form={form}
        layout="vertical"
        onFinish={(v) =>
          move
            .mutateAsync({ ...v, to_location: v.to_location ?? '', note: v.note ?? '' })
            .then((r) => {
              void message.success(t('inventory:moved', { qty: r.qty, sku: r.sku, from: r.from_location, to: r.to_location }));
              form.resetFields(['sku', 'qty', 'from_location', 'to_location', 'note']);
              setHint(null);
            })
            .catch((e) => report(e, form))
        }
      >
        <Form.Item name="warehouse_code" label={t('inventory:warehouse')} rules={[{ required: true }]}>
          <Select options={warehouses} data-testid="move-warehouse" />
        </Form.Item>
        <Form.Item name="sku" label={t('inventory:skuOrBarcode')} rules={[{ required: true }]}>
          <Input data-testid="move-sku" />
        </Form.Item>
        <Space align="start" wrap>
          <Form.Item name="from_location" label={t('inventory:from')} rules={[{ required: true }]}>
            <Input data-testid="move-from" />
          </Form.Item>
          <Form.Item name="to_location" label={t('inventory:to')} extra={hint ?? t('inventory:toHint')}>
            <Input data-testid="move-to" />
          </Form.Item>
          <Form.Item label=" ">
            <Button onClick={suggest} data-testid="move-suggest">
              {t('inventory:suggest')}
            </Button>
          </Form.Item>
          <Form.Item name="qty" label={t('inventory:qty')} rules={[{ required: true }]}>
            <InputNumber min={1} data-testid="move-qty" />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('inventory:note')}>
          <Input maxLength={255} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={move.isPending} data-testid="move-save">
          {t('inventory:doMove')}
        </Button>
      </Form>
    </Card>
  );
}

type ShipForm = { from_warehouse: string; to_warehouse: string; notes?: string; lines: { sku: string; from_location: string; qty: number }[] };

function ShipModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const warehouses = useWarehouseOptions();
  const [form] = Form.useForm<ShipForm>();
  const ship = useShipTransfer();
  return (
    <Modal open width={760} title={t('inventory:newTransfer')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={ship.isPending} okButtonProps={{ 'data-testid': 'transfer-save' } as ButtonProps}>
      <Form<ShipForm>
        form={form}
        layout="vertical"
        initialValues={{ lines: [{ sku: '', from_location: '', qty: 1 }] }}
        onFinish={(v) =>
          ship
            .mutateAsync({ ...v, notes: v.notes ?? '' })
            .then((r) => {
              void message.success(t('inventory:shipped', { no: r.transfer_no, value: r.in_transit_value }));
              onClose();
            })
            .catch((e) => report(e, form))
        }
      >
        <Space wrap>
          <Form.Item name="from_warehouse" label={t('inventory:fromWarehouse')} rules={[{ required: true }]}>
            <Select options={warehouses} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="to_warehouse" label={t('inventory:toWarehouse')} rules={[{ required: true }]}>
            <Select options={warehouses} style={{ width: 220 }} />
          </Form.Item>
        </Space>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'sku']} rules={[{ required: true }]}>
                    <Input placeholder={t('inventory:skuOrBarcode')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'from_location']} rules={[{ required: true }]}>
                    <Input placeholder={t('inventory:from')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'qty']} rules={[{ required: true }]}>
                    <InputNumber min={1} />
                  </Form.Item>
                  {fields.length > 1 && <Button type="link" onClick={() => remove(f.name)}>{t('inventory:remove')}</Button>}
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ sku: '', from_location: '', qty: 1 })}>
                {t('inventory:addLine')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="notes" label={t('inventory:note')} style={{ marginTop: 12 }}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TransfersTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const [openOnly, setOpenOnly] = useState(true);
  const list = useTransfers(openOnly);
  const receive = useReceiveTransfer();
  const [shipping, setShipping] = useState(false);
  const columns: TableColumnsType<Transfer> = [
    { key: 'no', dataIndex: 'transfer_no', title: t('inventory:transferNo'), width: 170 },
    { key: 'route', title: t('inventory:route'), width: 170, render: (_: unknown, r) => `${r.from_warehouse} → ${r.to_warehouse}` },
    { key: 'status', title: t('inventory:status'), width: 110, render: (_: unknown, r) => <Tag color={r.status === 'received' ? 'green' : 'orange'}>{t(`inventory:transferStatus.${r.status}`)}</Tag> },
    { key: 'lines', title: t('inventory:lines'), render: (_: unknown, r) => r.lines.map((l) => `${l.sku} ×${l.qty} (${l.received_qty})`).join('，') },
    { key: 'value', dataIndex: 'in_transit_value', title: t('inventory:inTransitValue'), align: 'right', width: 120 },
    { key: 'shipped', title: t('inventory:shippedBy'), width: 160, render: (_: unknown, r) => `${r.shipped_by} ${r.shipped_at.slice(0, 10)}` },
  ];
  if (can('post_stock')) {
    columns.push({
      key: 'act',
      title: '',
      width: 110,
      render: (_: unknown, r) =>
        r.status !== 'received' && (
          <Button
            size="small"
            loading={receive.isPending}
            onClick={() =>
              void receive
                .mutateAsync({ transfer_no: r.transfer_no, lines: [] })
                .then((x) => message.success(t('inventory:received', { no: x.transfer_no })))
                .catch(report)
            }
          >
            {t('inventory:receiveAll')}
          </Button>
        ),
    });
  }
  return (
    <Card className="list-card">
      <Flex wrap gap={12} align="center" className="list-toolbar">
        <Select
          value={openOnly ? 'open' : 'all'}
          onChange={(v) => setOpenOnly(v === 'open')}
          options={[
            { value: 'open', label: t('inventory:openTransfers') },
            { value: 'all', label: t('inventory:allTransfers') },
          ]}
          style={{ width: 180 }}
        />
        {can('post_stock') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setShipping(true)} data-testid="transfer-new">
            {t('inventory:newTransfer')}
          </Button>
        )}
      </Flex>
      <QueryError error={list.error} onRetry={() => void list.refetch()} />
      <Table<Transfer> rowKey="id" size="middle" columns={columns} dataSource={list.data} loading={list.isFetching} pagination={false} />
      {shipping && <ShipModal onClose={() => setShipping(false)} />}
    </Card>
  );
}

function AlertsTab() {
  const { t } = useTranslation();
  const alerts = useAlerts();
  const columns: TableColumnsType<StockAlert> = [
    { key: 'sku', dataIndex: 'sku', title: 'SKU', width: 130 },
    { key: 'name', dataIndex: 'name', title: t('inventory:name') },
    { key: 'safety', dataIndex: 'safety_stock', title: t('inventory:safetyStock'), align: 'right', width: 100 },
    { key: 'available', dataIndex: 'available', title: t('inventory:available'), align: 'right', width: 90 },
    { key: 'on_order', dataIndex: 'on_order', title: t('inventory:onOrder'), align: 'right', width: 90 },
    { key: 'shortfall', dataIndex: 'shortfall', title: t('inventory:shortfall'), align: 'right', width: 90 },
    {
      key: 'needs',
      title: '',
      width: 130,
      render: (_: unknown, a) => (a.needs_order ? <Tag color="red">{t('inventory:needsOrder')}</Tag> : <Tag color="gold">{t('inventory:covered')}</Tag>),
    },
  ];
  return (
    <Card className="list-card">
      <Typography.Paragraph type="secondary">{t('inventory:alertsHint')}</Typography.Paragraph>
      <QueryError error={alerts.error} onRetry={() => void alerts.refetch()} />
      <div data-testid="alerts-table">
        <Table<StockAlert> rowKey="sku" size="middle" columns={columns} dataSource={alerts.data} loading={alerts.isFetching} pagination={{ pageSize: 50 }} />
      </div>
    </Card>
  );
}

/** Inventory (库存): stock by location with its history, putaway and moves, transfers, counts, alerts, returns. */
export function InventoryPage() {
  const { t } = useTranslation();
  const can = useCan();
  const items = [
    { key: 'stock', label: <span data-testid="tab-stock">{t('inventory:tabs.stock')}</span>, children: <StockTab /> },
    ...(can('post_stock') ? [{ key: 'move', label: <span data-testid="tab-move">{t('inventory:tabs.move')}</span>, children: <MoveTab /> }] : []),
    { key: 'transfers', label: <span data-testid="tab-transfers">{t('inventory:tabs.transfers')}</span>, children: <TransfersTab /> },
    { key: 'counts', label: <span data-testid="tab-counts">{t('inventory:tabs.counts')}</span>, children: <CountsTab /> },
    { key: 'alerts', label: <span data-testid="tab-alerts">{t('inventory:tabs.alerts')}</span>, children: <AlertsTab /> },
    { key: 'returns', label: <span data-testid="tab-returns">{t('inventory:tabs.returns')}</span>, children: <ReturnsTab /> },
    { key: 'reports', label: <span data-testid="tab-reports">{t('inventory:tabs.reports')}</span>, children: <ReportsTab /> },
  ];
  return (
    <div className="page">
      <PageHeader title={t('inventory:title')} subtitle={t('inventory:subtitle')} />
      <Tabs items={items} destroyOnHidden={false} data-testid="inventory-tabs" />
    </div>
  );
}
