import { useState } from 'react';
import { App, Button, Card, Drawer, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PricePoint } from '../../bindings/PricePoint';
import type { SupplierItem } from '../../bindings/SupplierItem';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { ListSearch } from '../../components/ListSearch';
import { QueryError } from '../../components/QueryError';
import { useListQuery } from '../../lib/useListQuery';
import { SupplierSelect } from './SupplierSelect';
import { useItemHistory, useMatchItem, useSupplierItems } from './queries';

const MATCH_COLOR: Record<string, string> = { confirmed: 'green', suggested: 'gold', unmatched: 'default' };

function priceText(p: PricePoint | null) {
  if (!p) return '';
  return `${p.price} ${p.currency}${p.price_unit ? `/${p.price_unit}` : ''}`;
}

/** A supplier's items with the price in effect today, their price history, and matching to our SKUs. */
export function SupplierItemsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const [supplier, setSupplier] = useState<string>();
  const list = useListQuery<SupplierItem>({ status: null });
  const items = useSupplierItems(supplier, list.query);
  const [historyOf, setHistoryOf] = useState<SupplierItem | null>(null);
  const history = useItemHistory(historyOf?.id ?? null);
  const match = useMatchItem();
  const [skuInput, setSkuInput] = useState<Record<number, string>>({});

  const setMatch = (item: SupplierItem, sku: string | null) =>
    match
      .mutateAsync({ id: item.id, sku })
      .then((r) => message.success(t('procurement:items.matched', { name: r.name, sku: r.sku ?? '-' })))
      .catch(report);

  const columns: TableColumnsType<SupplierItem> = [
    { key: 'supplier_sku', dataIndex: 'supplier_sku', title: t('procurement:fields.supplier_sku'), width: 130, sorter: true, sortOrder: list.sortOrder('supplier_sku') },
    { key: 'name', dataIndex: 'name', title: t('procurement:fields.name'), width: 240, sorter: true, sortOrder: list.sortOrder('name') },
    { key: 'spec', dataIndex: 'spec', title: t('procurement:fields.spec'), width: 140 },
    { key: 'unit', dataIndex: 'unit', title: t('procurement:fields.unit'), width: 70 },
    {
      key: 'price',
      title: t('procurement:items.current'),
      width: 150,
      align: 'right',
      render: (_: unknown, r) => (
        <Button type="link" size="small" onClick={() => setHistoryOf(r)} data-testid={`history-${r.id}`}>
          {priceText(r.current) || t('procurement:items.noPrice')}
        </Button>
      ),
    },
    {
      key: 'lead',
      title: t('procurement:fields.lead_time_days'),
      width: 90,
      render: (_: unknown, r) => (r.current?.lead_time_days != null ? t('procurement:days', { count: r.current.lead_time_days }) : ''),
    },
    {
      key: 'match_status',
      title: t('procurement:items.ourSku'),
      width: 300,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Tag color={MATCH_COLOR[r.match_status]}>{t(`procurement:match.${r.match_status}`)}</Tag>
          {r.sku && <Typography.Text code>{r.sku}</Typography.Text>}
          {can('edit_suppliers') && r.match_status === 'suggested' && r.sku && (
            <Button size="small" type="link" onClick={() => void setMatch(r, r.sku)} data-testid={`confirm-${r.id}`}>
              {t('procurement:items.confirm')}
            </Button>
          )}
          {can('edit_suppliers') && r.match_status !== 'confirmed' && (
            <Space.Compact size="small">
              <Input
                size="small"
                placeholder="SKU"
                value={skuInput[r.id] ?? ''}
                onChange={(e) => setSkuInput({ ...skuInput, [r.id]: e.target.value })}
                style={{ width: 110 }}
              />
              <Button size="small" disabled={!skuInput[r.id]?.trim()} onClick={() => void setMatch(r, skuInput[r.id].trim())}>
                {t('procurement:items.link')}
              </Button>
            </Space.Compact>
          )}
        </Space>
      ),
    },
  ];

  const historyColumns: TableColumnsType<PricePoint> = [
    { key: 'from', dataIndex: 'valid_from', title: t('procurement:history.from'), width: 110 },
    { key: 'to', dataIndex: 'valid_to', title: t('procurement:history.to'), width: 110, render: (d: string | null) => d ?? t('procurement:history.open') },
    { key: 'price', title: t('procurement:fields.price'), align: 'right', render: (_: unknown, p) => priceText(p) },
    { key: 'moq', dataIndex: 'moq', title: t('procurement:fields.moq'), width: 80 },
    { key: 'source', title: t('procurement:history.source'), render: (_: unknown, p) => (p.source_sheet ? `${p.source_sheet}!${p.source_row}` : '') },
  ];

  return (
    <Card className="list-card">
      <Flex wrap gap={12} className="list-toolbar">
        <SupplierSelect value={supplier} onChange={setSupplier} testId="items-supplier" />
        <ListSearch value={list.searchText} onChange={list.onSearchChange} placeholder={t('procurement:items.search')} testId="items-search" />
        <Select
          allowClear
          placeholder={t('procurement:items.matchFilter')}
          value={list.query.status ?? undefined}
          onChange={(v?: string) => list.setFilter('status', v ?? null)}
          options={['unmatched', 'suggested', 'confirmed'].map((m) => ({ value: m, label: t(`procurement:match.${m}`) }))}
          style={{ width: 160 }}
        />
      </Flex>
      <QueryError error={items.error} onRetry={() => void items.refetch()} />
      <div data-testid="items-table">
        <Table<SupplierItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={supplier ? items.data?.items : []}
          loading={items.isFetching}
          onChange={list.onTableChange}
          pagination={list.pagination(items.data?.total, (total) => t('common:list.total', { count: total }))}
          scroll={{ x: 1100 }}
          locale={supplier ? undefined : { emptyText: t('procurement:pickSupplier') }}
        />
      </div>
      <Drawer open={historyOf !== null} onClose={() => setHistoryOf(null)} width={640} title={t('procurement:history.title', { name: historyOf?.name ?? '' })}>
        <Table<PricePoint> rowKey="id" size="small" columns={historyColumns} dataSource={history.data} pagination={false} loading={history.isFetching} data-testid="history-table" />
      </Drawer>
    </Card>
  );
}
