import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Input, InputNumber, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Suggestion } from '../../bindings/Suggestion';
import type { SupplierPlan } from '../../bindings/SupplierPlan';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { invalidateAfterChange } from '../../lib/invalidate';

function SupplierGroup({ plan }: { plan: SupplierPlan }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const qc = useQueryClient();
  const [qty, setQty] = useState<Record<string, number>>({});
  const [warehouse, setWarehouse] = useState('');
  const create = useMutation({
    mutationFn: () =>
      call('purchase_plan_to_po', {
        supplier_code: plan.supplier_code,
        warehouse_code: warehouse.trim(),
        lines: plan.lines.map((l) => ({ sku: l.sku, qty: qty[l.sku] ?? l.suggested_qty })),
      }),
    onSuccess: () => invalidateAfterChange(qc, 'procurement', 'purchase-orders'),
  });
  const columns: TableColumnsType<Suggestion> = [
    { key: 'sku', dataIndex: 'sku', title: 'SKU', width: 120 },
    { key: 'name', dataIndex: 'name', title: t('procurement:fields.name') },
    { key: 'stock', title: t('procurement:plan.stock'), width: 200, render: (_: unknown, l) => `${l.on_hand} / ${l.reserved} / ${l.on_order}` },
    { key: 'velocity', dataIndex: 'velocity', title: t('procurement:plan.velocity'), align: 'right', width: 90 },
    { key: 'lead', dataIndex: 'lead_time_days', title: t('procurement:fields.lead_time_days'), align: 'right', width: 70 },
    { key: 'rop', dataIndex: 'reorder_point', title: t('procurement:plan.reorderPoint'), align: 'right', width: 90 },
    { key: 'price', title: t('procurement:fields.price'), align: 'right', width: 110, render: (_: unknown, l) => (l.unit_price ? `${l.unit_price} ${l.currency ?? ''}` : '–') },
    {
      key: 'qty',
      title: t('procurement:plan.buy'),
      width: 120,
      render: (_: unknown, l) => <InputNumber min={0} value={qty[l.sku] ?? l.suggested_qty} onChange={(v) => setQty({ ...qty, [l.sku]: v ?? 0 })} />,
    },
  ];
  return (
    <Card
      size="small"
      title={plan.supplier_code ? `${plan.supplier_code} · ${plan.supplier_name}` : t('procurement:plan.noSupplier')}
      extra={
        plan.supplier_code &&
        can('edit_purchase_orders') && (
          <Space.Compact>
            <Input placeholder={t('procurement:po.warehouse')} value={warehouse} onChange={(e) => setWarehouse(e.target.value)} style={{ width: 150 }} />
            <Button
              type="primary"
              disabled={!warehouse.trim()}
              loading={create.isPending}
              onClick={() =>
                create
                  .mutateAsync()
                  .then((po) => message.success(t('procurement:po.created', { no: po.po_no })))
                  .catch(report)
              }
            >
              {t('procurement:plan.toPo')}
            </Button>
          </Space.Compact>
        )
      }
    >
      <Table<Suggestion> rowKey="sku" size="small" columns={columns} dataSource={plan.lines} pagination={false} />
    </Card>
  );
}

/** Purchase planning (采购计划): suggestions by preferred supplier, edited and turned into draft POs. */
export function PlanTab() {
  const { t } = useTranslation();
  const [opts, setOpts] = useState({ window_days: 30, cover_days: 14 });
  const plan = useQuery({ queryKey: ['procurement', 'plan', opts], queryFn: () => call('purchase_plan', opts) });
  return (
    <Card className="list-card">
      <Flex gap={12} align="center" wrap className="list-toolbar">
        <Typography.Text>{t('procurement:plan.window')}</Typography.Text>
        <InputNumber min={1} max={365} value={opts.window_days} onChange={(v) => setOpts({ ...opts, window_days: v ?? 30 })} />
        <Typography.Text>{t('procurement:plan.cover')}</Typography.Text>
        <InputNumber min={0} max={365} value={opts.cover_days} onChange={(v) => setOpts({ ...opts, cover_days: v ?? 14 })} />
        <Typography.Text type="secondary">{t('procurement:plan.help')}</Typography.Text>
      </Flex>
      <QueryError error={plan.error} onRetry={() => void plan.refetch()} />
      <Flex vertical gap={12} data-testid="plan-groups">
        {(plan.data ?? []).map((g) => (
          <SupplierGroup key={g.supplier_code || '-'} plan={g} />
        ))}
        {plan.data && plan.data.length === 0 && <Empty description={t('procurement:plan.nothing')} />}
      </Flex>
    </Card>
  );
}
