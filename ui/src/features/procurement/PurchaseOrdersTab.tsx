import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Drawer, Flex, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import type { PoAction } from '../../bindings/PoAction';
import type { PoLine } from '../../bindings/PoLine';
import type { PurchaseOrder } from '../../bindings/PurchaseOrder';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { useListQuery } from '../../lib/useListQuery';
import { SupplierSelect } from './SupplierSelect';
import { useCreatePo, usePoAction, usePoExport, usePurchaseOrder, usePurchaseOrders, useReceive } from './orderQueries';
import { RecordInvoiceModal } from './PayablesTab';

export const PO_STATUSES = ['draft', 'submitted', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled'] as const;
const STATUS_COLOR: Record<string, string> = {
  draft: 'default',
  submitted: 'gold',
  approved: 'blue',
  sent: 'cyan',
  partially_received: 'orange',
  received: 'green',
  closed: 'default',
  cancelled: 'red',
};

/** The steps each status allows, in the order the buttons show. */
const NEXT: Record<string, PoAction[]> = {
  draft: ['submit', 'cancel'],
  submitted: ['approve', 'cancel'],
  approved: ['send', 'cancel'],
  sent: ['cancel'],
  partially_received: ['close'],
  received: ['close'],
};

type LineForm = { sku: string; qty: number; unit_price: string; tax_rate: string };
type NewPoForm = { supplier_code: string; warehouse_code: string; expected?: Dayjs; notes?: string; lines: LineForm[] };

function NewPoModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewPoForm>();
  const create = useCreatePo();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      const po = await create.mutateAsync({
        supplier_code: v.supplier_code,
        warehouse_code: v.warehouse_code,
        currency: null,
        expected_date: v.expected ? v.expected.format('YYYY-MM-DD') : null,
        notes: v.notes ?? '',
        lines: v.lines.map((l) => ({ sku: l.sku, qty: l.qty, unit_price: String(l.unit_price), tax_rate: String(l.tax_rate ?? ''), expected_date: null })),
      });
      message.success(t('procurement:po.created', { no: po.po_no }));
      onClose();
    } catch (e) {
      report(e, form);
    }
  };
  return (
    <Modal open width={820} title={t('procurement:po.new')} onCancel={onClose} onOk={() => void submit()} confirmLoading={create.isPending} okText={t('common:actions.save')}>
      <Form form={form} layout="vertical" initialValues={{ lines: [{ sku: '', qty: 1, unit_price: '', tax_rate: '13' }] }}>
        <Flex gap={12} wrap>
          <Form.Item name="supplier_code" label={t('procurement:fields.supplier')} rules={[{ required: true }]}>
            <SupplierSelect onChange={(v) => form.setFieldValue('supplier_code', v)} testId="po-supplier" />
          </Form.Item>
          <Form.Item name="warehouse_code" label={t('procurement:po.warehouse')} rules={[{ required: true }]}>
            <Input style={{ width: 140 }} placeholder="WH-SH" data-testid="po-warehouse" />
          </Form.Item>
          <Form.Item name="expected" label={t('procurement:po.expected')}>
            <DatePicker />
          </Form.Item>
        </Flex>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'sku']} rules={[{ required: true }]}>
                    <Input placeholder="SKU" style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'qty']} rules={[{ required: true }]}>
                    <InputNumber min={1} placeholder={t('procurement:po.qty')} style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'unit_price']} rules={[{ required: true }]}>
                    <Input placeholder={t('procurement:po.unitPrice')} style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'tax_rate']}>
                    <Input addonAfter="%" style={{ width: 100 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ sku: '', qty: 1, unit_price: '', tax_rate: '13' })} icon={<PlusOutlined />}>
                {t('procurement:po.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="notes" label={t('procurement:fields.note')} style={{ marginTop: 12 }}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type ReceiveForm = { location_code: string; lines: { accepted: number; rejected: number; reject_reason?: string }[] };

function ReceiveModal({ po, onClose }: { po: PurchaseOrder; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ReceiveForm>();
  const receive = useReceive();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const open = po.lines.filter((l) => l.outstanding_qty > 0);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      const r = await receive.mutateAsync({
        po_id: po.id,
        notes: '',
        lines: open.map((l, i) => {
          const x = v.lines[i] ?? { accepted: 0, rejected: 0 };
          const accepted = x.accepted ?? 0;
          const rejected = x.rejected ?? 0;
          return { line_id: l.id, location_code: v.location_code, counted: accepted + rejected, accepted, rejected, reject_reason: x.reject_reason ?? '' };
        }),
      });
      message.success(t('procurement:po.received', { no: r.receipt_no, accepted: r.accepted, rejected: r.rejected }));
      onClose();
    } catch (e) {
      report(e);
    }
  };
  return (
    <Modal open width={760} title={t('procurement:po.receive', { no: po.po_no })} onCancel={onClose} onOk={() => void submit()} confirmLoading={receive.isPending}>
      <Form form={form} layout="vertical" initialValues={{ lines: open.map((l) => ({ accepted: l.outstanding_qty, rejected: 0 })) }}>
        <Form.Item name="location_code" label={t('procurement:po.location')} rules={[{ required: true }]}>
          <Input style={{ width: 160 }} placeholder="A-01-1" />
        </Form.Item>
        {open.map((l, i) => (
          <Space key={l.id} align="baseline" wrap>
            <Typography.Text style={{ width: 220, display: 'inline-block' }}>
              #{l.line_no} {l.sku} {l.name} ({t('procurement:po.outstanding')} {l.outstanding_qty})
            </Typography.Text>
            <Form.Item name={['lines', i, 'accepted']} label={t('procurement:po.accepted')}>
              <InputNumber min={0} />
            </Form.Item>
            <Form.Item name={['lines', i, 'rejected']} label={t('procurement:po.rejected')}>
              <InputNumber min={0} />
            </Form.Item>
            <Form.Item name={['lines', i, 'reject_reason']} label={t('procurement:po.reason')}>
              <Select allowClear style={{ width: 130 }} options={['quality', 'packaging', 'wrong_item', 'damaged', 'other'].map((r) => ({ value: r, label: t(`procurement:reasons.${r}`) }))} />
            </Form.Item>
          </Space>
        ))}
      </Form>
    </Modal>
  );
}

function PoDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const po = usePurchaseOrder(id);
  const act = usePoAction();
  const exp = usePoExport();
  const [receiving, setReceiving] = useState(false);
  const [invoicing, setInvoicing] = useState(false);
  const p = po.data;
  const lineColumns: TableColumnsType<PoLine> = [
    { key: 'no', dataIndex: 'line_no', title: '#', width: 40 },
    { key: 'sku', dataIndex: 'sku', title: 'SKU', width: 110 },
    { key: 'name', title: t('procurement:fields.name'), render: (_: unknown, l) => `${l.name} ${l.spec}` },
    { key: 'qty', dataIndex: 'qty', title: t('procurement:po.qty'), align: 'right', width: 70 },
    { key: 'price', dataIndex: 'unit_price', title: t('procurement:po.unitPrice'), align: 'right', width: 100 },
    { key: 'tax', title: t('procurement:po.tax'), align: 'right', width: 60, render: (_: unknown, l) => `${l.tax_rate}%` },
    { key: 'total', dataIndex: 'total_amount', title: t('procurement:po.amount'), align: 'right', width: 110 },
    { key: 'recv', title: t('procurement:po.receivedCol'), width: 120, render: (_: unknown, l) => `${l.received_qty} / ${l.rejected_qty} / ${l.outstanding_qty}` },
  ];
  const doAction = (action: PoAction) =>
    act
      .mutateAsync({ id, action })
      .then((r) => message.success(t('procurement:po.moved', { no: r.po_no, status: t(`procurement:poStatus.${r.status}`) })))
      .catch(report);
  const doExport = (format: string) =>
    exp
      .mutateAsync({ id, format })
      .then((r) => message.success(t('procurement:po.exported', { path: r.path })))
      .catch(report);
  const allowed = (a: PoAction) => (a === 'approve' ? can('approve_purchase_orders') : can('edit_purchase_orders'));
  return (
    <Drawer open width={900} onClose={onClose} title={p ? `${p.po_no} · ${p.supplier_name}` : ''} data-testid="po-drawer">
      <QueryError error={po.error} />
      {p && (
        <Flex vertical gap={16}>
          <Descriptions size="small" bordered column={3}>
            <Descriptions.Item label={t('procurement:po.status')}>
              <Tag color={STATUS_COLOR[p.status]}>{t(`procurement:poStatus.${p.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('procurement:po.orderDate')}>{p.order_date}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:po.expected')}>{p.expected_date ?? ''}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:po.deliverTo')}>{`${p.warehouse_name} (${p.warehouse_code})`}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:po.total')}>{`${p.total_amount} ${p.currency}`}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:po.approvedBy')}>{p.approved_by ?? ''}</Descriptions.Item>
          </Descriptions>
          <Table<PoLine> rowKey="id" size="small" columns={lineColumns} dataSource={p.lines} pagination={false} />
          <Space wrap>
            {(NEXT[p.status] ?? []).filter(allowed).map((a) => (
              <Button key={a} danger={a === 'cancel'} type={a === 'cancel' ? 'default' : 'primary'} loading={act.isPending} onClick={() => void doAction(a)} data-testid={`po-${a}`}>
                {t(`procurement:poAction.${a}`)}
              </Button>
            ))}
            {can('post_stock') && (p.status === 'sent' || p.status === 'partially_received') && (
              <Button onClick={() => setReceiving(true)} data-testid="po-receive">
                {t('procurement:poAction.receive')}
              </Button>
            )}
            {can('edit_payables') && ['sent', 'partially_received', 'received', 'closed'].includes(p.status) && (
              <Button onClick={() => setInvoicing(true)} data-testid="po-invoice">
                {t('procurement:ap.recordInvoice')}
              </Button>
            )}
            <Button onClick={() => void doExport('pdf')} loading={exp.isPending} data-testid="po-pdf">
              PDF
            </Button>
            <Button onClick={() => void doExport('xlsx')} loading={exp.isPending}>
              Excel
            </Button>
          </Space>
        </Flex>
      )}
      {receiving && p && <ReceiveModal po={p} onClose={() => setReceiving(false)} />}
      {invoicing && p && <RecordInvoiceModal poId={p.id} onClose={() => setInvoicing(false)} />}
    </Drawer>
  );
}

/** Purchase orders: the list, a new order, and each order's steps, receipts and documents. */
export function PurchaseOrdersTab() {
  const { t } = useTranslation();
  const can = useCan();
  const list = useListQuery<PurchaseOrder>({ status: null });
  const orders = usePurchaseOrders(list.query);
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const columns: TableColumnsType<PurchaseOrder> = [
    { key: 'po_no', dataIndex: 'po_no', title: t('procurement:po.no'), width: 170 },
    { key: 'supplier', title: t('procurement:fields.supplier'), render: (_: unknown, p) => `${p.supplier_code} · ${p.supplier_name}` },
    {
      key: 'status',
      dataIndex: 'status',
      title: t('procurement:po.status'),
      width: 110,
      render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`procurement:poStatus.${s}`)}</Tag>,
    },
    { key: 'total', title: t('procurement:po.total'), align: 'right', width: 140, render: (_: unknown, p) => `${p.total_amount} ${p.currency}` },
    { key: 'order_date', dataIndex: 'order_date', title: t('procurement:po.orderDate'), width: 110 },
    { key: 'expected', dataIndex: 'expected_date', title: t('procurement:po.expected'), width: 110 },
  ];
  return (
    <Card className="list-card">
      <Flex wrap gap={12} className="list-toolbar">
        <Select
          allowClear
          placeholder={t('procurement:po.status')}
          value={list.query.status ?? undefined}
          onChange={(v?: string) => list.setFilter('status', v ?? null)}
          options={PO_STATUSES.map((s) => ({ value: s, label: t(`procurement:poStatus.${s}`) }))}
          style={{ width: 160 }}
        />
        {can('edit_purchase_orders') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="po-new">
            {t('procurement:po.new')}
          </Button>
        )}
      </Flex>
      <QueryError error={orders.error} onRetry={() => void orders.refetch()} />
      <div data-testid="po-table">
        <Table<PurchaseOrder>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={orders.data?.items}
          loading={orders.isFetching}
          onChange={list.onTableChange}
          pagination={list.pagination(orders.data?.total, (total) => t('common:list.total', { count: total }))}
          onRow={(p) => ({ onClick: () => setOpen(p.id), style: { cursor: 'pointer' } })}
        />
      </div>
      {open !== null && <PoDrawer id={open} onClose={() => setOpen(null)} />}
      {creating && <NewPoModal onClose={() => setCreating(false)} />}
    </Card>
  );
}
