import { useState } from 'react';
import { App, Button, Card, Flex, List, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ApartmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AllocationSummary } from '../../bindings/AllocationSummary';
import type { WaitingOrder } from '../../bindings/WaitingOrder';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { useAllocate, useMergeCandidates } from './fulfilmentQueries';
import { ParcelsCard } from './ParcelsCard';

function SummaryView({ s }: { s: AllocationSummary }) {
  const { t } = useTranslation();
  const figures: [string, number][] = [
    ['orders', s.orders],
    ['allocated', s.allocated],
    ['partial', s.partial],
    ['waiting', s.waiting],
    ['parcels', s.parcels],
    ['units', s.units],
    ['merged', s.merged_orders],
    ['split', s.split_orders],
  ];
  const columns: TableColumnsType<WaitingOrder> = [
    { key: 'no', dataIndex: 'platform_order_no', title: t('orders:orderNo'), width: 200 },
    {
      key: 'short',
      title: t('orders:allocate.shortages'),
      render: (_: unknown, w) => (
        <Flex gap={4} wrap>
          {w.shortages.map((x) => (
            <Tag key={x.sku} color="red">
              {t('orders:allocate.short', { sku: x.sku, qty: x.qty })}
            </Tag>
          ))}
        </Flex>
      ),
    },
  ];
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Flex gap={40} wrap data-testid="allocate-summary">
        {figures.map(([k, v]) => (
          <Statistic key={k} title={t(`orders:allocate.figures.${k}`)} value={v} valueStyle={k === 'waiting' && v > 0 ? { color: '#cf1322' } : undefined} />
        ))}
      </Flex>
      {s.waiting_orders.length > 0 && (
        <div data-testid="allocate-waiting">
          <Typography.Title level={5}>{t('orders:allocate.waitingTitle', { count: s.waiting + s.partial })}</Typography.Title>
          <Table<WaitingOrder> rowKey="order_id" size="small" columns={columns} dataSource={s.waiting_orders} pagination={{ pageSize: 10 }} />
          {s.waiting_orders.length < s.waiting + s.partial && (
            <Typography.Text type="secondary">{t('orders:allocate.waitingFirst', { count: s.waiting_orders.length })}</Typography.Text>
          )}
        </div>
      )}
    </Space>
  );
}

/**
 * Allocation (分仓): approved orders go into parcels, each from one warehouse with its stock reserved; one buyer's
 * orders share a parcel (合单), and an order may be split over warehouses (拆单). Below: every parcel.
 */
export function AllocateTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const [merge, setMerge] = useState(true);
  const [split, setSplit] = useState(false);
  const allocate = useAllocate();
  const candidates = useMergeCandidates();

  const run = () =>
    allocate
      .mutateAsync({ order_ids: null, split, merge })
      .then((s) => message.success(t('orders:allocate.done', { allocated: s.allocated, parcels: s.parcels, waiting: s.waiting + s.partial })))
      .catch(report);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card className="list-card">
        <Flex gap={24} wrap align="center">
          <Flex gap={8} align="center">
            <Switch id="allocate-merge" checked={merge} onChange={setMerge} data-testid="allocate-merge" />
            <label htmlFor="allocate-merge">{t('orders:allocate.merge')}</label>
          </Flex>
          <Flex gap={8} align="center">
            <Switch id="allocate-split" checked={split} onChange={setSplit} data-testid="allocate-split" />
            <label htmlFor="allocate-split">{t('orders:allocate.split')}</label>
          </Flex>
          {can('reserve_stock') && (
            <Button type="primary" icon={<ApartmentOutlined />} loading={allocate.isPending} onClick={() => void run()} data-testid="allocate-run">
              {t('orders:allocate.run')}
            </Button>
          )}
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('orders:allocate.hint')}
        </Typography.Paragraph>
        {allocate.data && <SummaryView s={allocate.data} />}
      </Card>
      <Card className="list-card" title={t('orders:allocate.mergeTitle', { count: candidates.data?.length ?? 0 })}>
        <QueryError error={candidates.error} onRetry={() => void candidates.refetch()} />
        <div data-testid="merge-candidates">
          <List
            size="small"
            loading={candidates.isFetching}
            dataSource={candidates.data ?? []}
            locale={{ emptyText: t('orders:allocate.noMerge') }}
            renderItem={(group) => (
              <List.Item>
                <Flex gap={4} wrap>
                  {group.map((no) => (
                    <Tag key={no}>{no}</Tag>
                  ))}
                </Flex>
              </List.Item>
            )}
          />
        </div>
      </Card>
      <ParcelsCard />
    </Space>
  );
}
