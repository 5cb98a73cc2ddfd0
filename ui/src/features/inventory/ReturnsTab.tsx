import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Space, Table, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { DownloadOutlined, FilePdfOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RejectedGoods } from '../../bindings/RejectedGoods';
import type { SupplierReturn } from '../../bindings/SupplierReturn';
import type { SupplierReturnInput } from '../../bindings/SupplierReturnInput';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { invalidateAfterChange } from '../../lib/invalidate';
import { useRejectedGoods } from './queries';

type ReturnForm = { carrier: string; tracking_no: string; notes: string; qty: Record<string, number> };

/** Rejected goods waiting to go back (退供清单), the return document that sends them (退供单), and past returns. */
export function ReturnsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const qc = useQueryClient();
  const list = useRejectedGoods();
  const returns = useQuery({ queryKey: ['inventory', 'supplier-returns'], queryFn: () => call('supplier_returns_list', null) });
  const create = useMutation({
    mutationFn: (input: SupplierReturnInput) => call('supplier_return_create', input),
    onSuccess: () => invalidateAfterChange(qc, 'inventory'),
  });
  const exportDoc = useMutation({
    mutationFn: (v: { return_no: string; format: string }) => call('supplier_return_export', v),
  });
  const [selected, setSelected] = useState<number[]>([]);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<ReturnForm>();
  const chosen = (list.data ?? []).filter((r) => selected.includes(r.receipt_line_id));
  const oneSupplier = new Set(chosen.map((r) => r.supplier_code)).size === 1;

  const columns: TableColumnsType<RejectedGoods> = [
    { key: 'receipt', dataIndex: 'receipt_no', title: t('inventory:receiptNo'), width: 170 },
    { key: 'date', dataIndex: 'received_on', title: t('inventory:date'), width: 100 },
    { key: 'po', dataIndex: 'po_no', title: t('inventory:poNo'), width: 170 },
    { key: 'supplier', title: t('inventory:supplier'), render: (_: unknown, r) => `${r.supplier_code} · ${r.supplier_name} ${r.supplier_phone}` },
    { key: 'item', title: t('inventory:name'), render: (_: unknown, r) => `${r.sku} ${r.name}` },
    { key: 'qty', title: t('inventory:returns.waiting'), align: 'right', width: 90, render: (_: unknown, r) => (r.returned > 0 ? `${r.pending} / ${r.rejected}` : r.pending) },
    { key: 'reason', title: t('inventory:reason'), width: 100, render: (_: unknown, r) => t(`inventory:rejectReason.${r.reason}`, { defaultValue: r.reason }) },
    { key: 'price', dataIndex: 'unit_price', title: t('inventory:unitPrice'), align: 'right', width: 100 },
  ];
  const download = (return_no: string, format: string) =>
    exportDoc
      .mutateAsync({ return_no, format })
      .then((r) => message.success(t('inventory:exported', { path: r.path })))
      .catch(report);
  const returnColumns: TableColumnsType<SupplierReturn> = [
    { key: 'no', dataIndex: 'return_no', title: t('inventory:returns.no'), width: 170 },
    { key: 'date', dataIndex: 'biz_date', title: t('inventory:date'), width: 100 },
    { key: 'supplier', title: t('inventory:supplier'), render: (_: unknown, r) => `${r.supplier_code} · ${r.supplier_name}` },
    { key: 'lines', title: t('inventory:name'), render: (_: unknown, r) => r.lines.map((l) => `${l.sku} × ${l.qty}`).join(', ') },
    { key: 'carrier', title: t('inventory:returns.carrier'), render: (_: unknown, r) => `${r.carrier} ${r.tracking_no}` },
    { key: 'amount', title: t('inventory:value'), align: 'right', width: 110, render: (_: unknown, r) => `${r.amount} ${r.currency}` },
    {
      key: 'doc',
      width: 120,
      render: (_: unknown, r) => (
        <Space size={4}>
          <Button size="small" icon={<FilePdfOutlined />} data-testid={`return-pdf-${r.return_no}`} onClick={() => void download(r.return_no, 'pdf')} />
          <Button size="small" icon={<DownloadOutlined />} onClick={() => void download(r.return_no, 'xlsx')} />
        </Space>
      ),
    },
  ];
  const submit = () =>
    form.validateFields().then((v) =>
      create
        .mutateAsync({
          carrier: v.carrier ?? '',
          tracking_no: v.tracking_no ?? '',
          notes: v.notes ?? '',
          lines: chosen.map((r) => ({ receipt_line_id: r.receipt_line_id, qty: v.qty?.[String(r.receipt_line_id)] ?? r.pending })),
        })
        .then((r) => {
          message.success(t('inventory:returns.created', { no: r.return_no, amount: `${r.amount} ${r.currency}` }));
          setOpen(false);
          setSelected([]);
          form.resetFields();
        })
        .catch(report),
    );

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        className="list-card"
        title={t('inventory:returns.waitingTitle')}
        extra={
          can('post_stock') && (
            <Button type="primary" icon={<RollbackOutlined />} disabled={!chosen.length || !oneSupplier} data-testid="return-create" onClick={() => setOpen(true)}>
              {t('inventory:returns.create')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('inventory:returns.hint')}</Typography.Paragraph>
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
        <div data-testid="returns-waiting">
          <Table<RejectedGoods>
            rowKey="receipt_line_id"
            size="middle"
            columns={columns}
            dataSource={list.data}
            loading={list.isFetching}
            pagination={{ pageSize: 50 }}
            rowSelection={can('post_stock') ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(Number)) } : undefined}
          />
        </div>
      </Card>
      <Card className="list-card" title={t('inventory:returns.doneTitle')}>
        <QueryError error={returns.error} onRetry={() => void returns.refetch()} />
        <div data-testid="returns-done">
          <Table<SupplierReturn> rowKey="return_no" size="middle" columns={returnColumns} dataSource={returns.data} loading={returns.isFetching} pagination={{ pageSize: 20 }} />
        </div>
      </Card>
      <Modal
        open={open}
        title={t('inventory:returns.create')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        okButtonProps={{ 'data-testid': 'return-ok', loading: create.isPending } as ButtonProps}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {chosen.map((r) => (
            <Form.Item
              key={r.receipt_line_id}
              name={['qty', String(r.receipt_line_id)]}
              label={`${r.sku} ${r.name} (${r.receipt_no})`}
              initialValue={r.pending}
              rules={[{ required: true }, { type: 'number', min: 1, max: r.pending }]}
            >
              <InputNumber min={1} max={r.pending} precision={0} style={{ width: 140 }} />
            </Form.Item>
          ))}
          <Form.Item name="carrier" label={t('inventory:returns.carrier')}>
            <Input maxLength={64} data-testid="return-carrier" />
          </Form.Item>
          <Form.Item name="tracking_no" label={t('inventory:returns.tracking')}>
            <Input maxLength={64} data-testid="return-tracking" />
          </Form.Item>
          <Form.Item name="notes" label={t('inventory:returns.notes')}>
            <Input.TextArea maxLength={1000} rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
