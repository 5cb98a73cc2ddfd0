import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { HandParcel } from '../../bindings/HandParcel';
import type { OrderLine } from '../../bindings/OrderLine';
import type { SalesOrder } from '../../bindings/SalesOrder';
import { toApiError } from '../../api/apiError';
import { fieldErrorMessage, useErrorReporter } from '../../api/errors';
import { useWarehouseOptions } from '../inventory/queries';
import { useSplitOrder } from './fulfilmentQueries';

type Draft = { warehouse: string | undefined; qty: Record<number, number> };

/** `parcels[1].line_3` → parcel 2, line 3: where the core found a problem with a split. */
export function splitProblem(t: TFunction, err: unknown): string | null {
  const e = toApiError(err);
  if (e.code !== 'validation') return null;
  const texts = e.details.map((fe) => {
    const m = /^parcels\[(\d+)\]\.line_(\d+)$/.exec(fe.field);
    const text = fieldErrorMessage(t, fe);
    return m ? t('orders:split.problemAt', { parcel: Number(m[1]) + 1, line: m[2], problem: text }) : text;
  });
  return texts.length > 0 ? texts.join('；') : null;
}

/**
 * Split by hand (手工拆单): the user draws up the parcels, a warehouse and quantities of the order's lines each; what no
 * parcel takes waits for a later allocation. Held orders are approved by it, with the note.
 */
export function SplitModal({ order, onClose }: { order: SalesOrder; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const warehouses = useWarehouseOptions();
  const split = useSplitOrder();
  const mapped = order.lines.filter((l) => l.sku !== '');
  const [drafts, setDrafts] = useState<Draft[]>(() => [
    { warehouse: order.warehouse_code || undefined, qty: Object.fromEntries(mapped.map((l) => [l.line_no, l.qty])) },
  ]);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const placed = (lineNo: number) => drafts.reduce((n, d) => n + (d.qty[lineNo] ?? 0), 0);
  const update = (i: number, patch: Partial<Draft>) => setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const setQty = (i: number, lineNo: number, v: number | null) => update(i, { qty: { ...drafts[i].qty, [lineNo]: v ?? 0 } });

  const parcels: HandParcel[] = drafts.map((d) => ({
    warehouse: d.warehouse ?? '',
    lines: mapped.map((l) => ({ line_no: l.line_no, qty: d.qty[l.line_no] ?? 0 })).filter((l) => l.qty > 0),
  }));
  const over = mapped.some((l) => placed(l.line_no) > l.qty);
  const ready = note.trim() !== '' && !over && parcels.every((p) => p.warehouse !== '' && p.lines.length > 0);

  const submit = () =>
    split
      .mutateAsync({ order_id: order.id, parcels, note: note.trim() })
      .then((nos) => {
        void message.success(t('orders:split.done', { count: nos.length, parcels: nos.join(', ') }));
        onClose();
      })
      .catch((e) => {
        const text = splitProblem(t, e);
        if (text) setProblem(text);
        else report(e);
      });

  const columns = (i: number): TableColumnsType<OrderLine> => [
    { key: 'no', dataIndex: 'line_no', title: '#', width: 40 },
    { key: 'sku', dataIndex: 'sku', title: t('orders:sku'), width: 120 },
    { key: 'title', title: t('orders:title_'), ellipsis: true, render: (_: unknown, l) => `${l.title}${l.spec ? ` · ${l.spec}` : ''}` },
    { key: 'ordered', dataIndex: 'qty', title: t('orders:split.ordered'), align: 'right', width: 70 },
    {
      key: 'qty',
      title: t('orders:split.inParcel'),
      width: 110,
      render: (_: unknown, l) => (
        <InputNumber
          min={0}
          max={l.qty}
          precision={0}
          value={drafts[i].qty[l.line_no] ?? 0}
          onChange={(v) => setQty(i, l.line_no, v)}
          status={placed(l.line_no) > l.qty ? 'error' : undefined}
          style={{ width: 90 }}
          data-testid={`split-qty-${i}-${l.line_no}`}
        />
      ),
    },
  ];

  return (
    <Modal
      open
      width={900}
      title={t('orders:split.title', { order: order.platform_order_no })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('orders:split.submit')}
      okButtonProps={{ disabled: !ready, loading: split.isPending, 'data-testid': 'split-ok' } as ButtonProps}
      maskClosable={false}
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('orders:split.hint')}</Typography.Text>
        {mapped.length < order.lines.length && <Alert type="warning" showIcon message={t('orders:split.unmapped')} />}
        {drafts.map((d, i) => (
          <Card
            key={i}
            size="small"
            title={t('orders:split.parcel', { n: i + 1 })}
            extra={
              <Space>
                <Select
                  showSearch
                  optionFilterProp="label"
                  style={{ width: 220 }}
                  placeholder={t('orders:parcels.warehouse')}
                  value={d.warehouse}
                  onChange={(v) => update(i, { warehouse: v })}
                  options={warehouses}
                  status={d.warehouse ? undefined : 'warning'}
                  data-testid={`split-warehouse-${i}`}
                />
                {drafts.length > 1 && (
                  <Button
                    icon={<DeleteOutlined />}
                    title={t('orders:split.remove')}
                    onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}
                    data-testid={`split-remove-${i}`}
                  />
                )}
              </Space>
            }
          >
            <Table<OrderLine> rowKey="line_no" size="small" columns={columns(i)} dataSource={mapped} pagination={false} />
          </Card>
        ))}
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Button icon={<PlusOutlined />} onClick={() => setDrafts([...drafts, { warehouse: undefined, qty: {} }])} data-testid="split-add">
            {t('orders:split.add')}
          </Button>
          <Flex gap={4} wrap>
            {mapped.map((l) => {
              const left = l.qty - placed(l.line_no);
              return left === 0 ? null : (
                <Tag key={l.line_no} color={left < 0 ? 'red' : 'gold'}>
                  {left < 0 ? t('orders:split.tooMany', { line: l.line_no, count: -left }) : t('orders:split.waiting', { line: l.line_no, count: left })}
                </Tag>
              );
            })}
          </Flex>
        </Flex>
        <Input.TextArea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('orders:noteRequired')} data-testid="split-note" />
        {problem && <Alert type="error" showIcon message={problem} data-testid="split-error" />}
      </Space>
    </Modal>
  );
}
