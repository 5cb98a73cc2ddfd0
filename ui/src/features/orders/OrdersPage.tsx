import { useState } from 'react';
import { Badge, Button, Card, Descriptions, Drawer, Flex, Select, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { PlusOutlined, ScissorOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { OrderLine } from '../../bindings/OrderLine';
import type { Parcel } from '../../bindings/Parcel';
import type { SalesOrder } from '../../bindings/SalesOrder';
import { useCan } from '../../app/session';
import { ListSearch } from '../../components/ListSearch';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { useListQuery } from '../../lib/useListQuery';
import { AllocateTab } from './AllocateTab';
import { CheckTab } from './CheckTab';
import { useOrderParcels } from './fulfilmentQueries';
import { LogisticsTab } from './LogisticsTab';
import { NewOrderModal } from './NewOrderModal';
import { OrderImportTab } from './OrderImportTab';
import { ParcelStatusTag, TrackingCell } from './ParcelsCard';
import { PromotionsTab } from './PromotionsTab';
import { ReviewTab } from './ReviewTab';
import { RulesTab } from './RulesTab';
import { SalesReportTab } from './SalesReportTab';
import { SplitModal } from './SplitModal';
import { UnmappedTab } from './UnmappedTab';
import { WavesTab } from './WavesTab';
import { CHANNELS, ORDER_STATUSES, useOrders, useTimeline } from './queries';

export const STATUS_COLOR: Record<string, string> = {
  unpaid: 'default',
  pending_review: 'gold',
  held: 'red',
  approved: 'blue',
  allocated: 'cyan',
  picking: 'geekblue',
  packed: 'purple',
  shipped: 'green',
  completed: 'success',
  closed: 'default',
  cancelled: 'default',
};

/** The parcels an order is in (several when split), with their warehouse, step and tracking. */
function OrderParcels({ order }: { order: SalesOrder }) {
  const { t } = useTranslation();
  const parcels = useOrderParcels(order.id);
  const columns: TableColumnsType<Parcel> = [
    { key: 'no', dataIndex: 'parcel_no', title: t('orders:parcels.parcelNo'), width: 160 },
    { key: 'warehouse', dataIndex: 'warehouse', title: t('orders:parcels.warehouse'), width: 90 },
    { key: 'status', title: t('orders:status'), width: 90, render: (_: unknown, p) => <ParcelStatusTag status={p.status} /> },
    { key: 'units', dataIndex: 'units', title: t('orders:parcels.units'), align: 'right', width: 60 },
    { key: 'tracking', title: t('orders:parcels.tracking'), render: (_: unknown, p) => <TrackingCell p={p} /> },
  ];
  return (
    <>
      <QueryError error={parcels.error} onRetry={() => void parcels.refetch()} />
      <div data-testid="order-parcels">
        <Table<Parcel>
          rowKey="parcel_no"
          size="small"
          columns={columns}
          dataSource={parcels.data}
          loading={parcels.isFetching}
          pagination={false}
          locale={{ emptyText: t('orders:parcels.none') }}
        />
      </div>
    </>
  );
}

function OrderDrawer({ order, onClose }: { order: SalesOrder; onClose: () => void }) {
  const { t } = useTranslation();
  const timeline = useTimeline(order.id);
  const can = useCan();
  const [splitting, setSplitting] = useState(false);
  const maySplit = (order.status === 'approved' || order.status === 'held') && can('reserve_stock') && can('edit_orders');
  const lineColumns: TableColumnsType<OrderLine> = [
    { key: 'no', dataIndex: 'line_no', title: '#', width: 40 },
    { key: 'code', dataIndex: 'platform_sku', title: t('orders:platformSku'), width: 130 },
    {
      key: 'sku',
      title: t('orders:sku'),
      width: 110,
      render: (_: unknown, l) => (l.sku ? l.sku : <Tag color="red">{t('orders:unmapped')}</Tag>),
    },
    {
      key: 'title',
      title: t('orders:title_'),
      render: (_: unknown, l) => (
        <>
          {`${l.title}${l.spec ? ` · ${l.spec}` : ''}`}
          {l.price_note && (
            <Typography.Text type="secondary" className="cell-sub" style={{ whiteSpace: 'pre-line' }} data-testid="line-price-note">
              {l.price_note}
            </Typography.Text>
          )}
        </>
      ),
    },
    { key: 'qty', dataIndex: 'qty', title: t('orders:qty'), align: 'right', width: 60 },
    { key: 'price', dataIndex: 'unit_price', title: t('orders:unitPrice'), align: 'right', width: 90 },
    { key: 'discount', dataIndex: 'discount', title: t('orders:discount'), align: 'right', width: 80 },
    { key: 'amount', dataIndex: 'amount', title: t('orders:amount'), align: 'right', width: 90 },
  ];
  const money = (v: string) => `${v} ${order.currency}`;
  return (
    <Drawer open width={860} title={`${t(`orders:channel.${order.channel}`)} ${order.platform_order_no}`} onClose={onClose} data-testid="order-drawer">
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('orders:status')}>
          <Tag color={STATUS_COLOR[order.status]}>{t(`orders:statuses.${order.status}`)}</Tag>
          {order.platform_status && <Typography.Text type="secondary">{order.platform_status}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('orders:orderedAt')}>{formatDateTime(order.ordered_at)}</Descriptions.Item>
        <Descriptions.Item label={t('orders:paidAt')}>{order.paid_at ? formatDateTime(order.paid_at) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('orders:goods')}>{money(order.goods_amount)}</Descriptions.Item>
        <Descriptions.Item label={t('orders:shipping')}>{money(order.shipping_fee)}</Descriptions.Item>
        <Descriptions.Item label={t('orders:discount')}>{money(order.discount)}</Descriptions.Item>
        <Descriptions.Item label={t('orders:total')}>
          <b>{money(order.total)}</b>
        </Descriptions.Item>
        <Descriptions.Item label={t('orders:paid')}>{money(order.paid)}</Descriptions.Item>
        <Descriptions.Item label={t('orders:refunded')}>{money(order.refunded)}</Descriptions.Item>
        <Descriptions.Item label={t('orders:buyer')}>{order.buyer}</Descriptions.Item>
        <Descriptions.Item label={t('orders:receiver')}>
          {order.receiver} {order.phone}
        </Descriptions.Item>
        <Descriptions.Item label={t('orders:shop')}>{order.shop || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('orders:address')} span={3}>
          {[order.country, order.province, order.city, order.district, order.address, order.postal_code].filter(Boolean).join(' ')}
        </Descriptions.Item>
        {order.hold_reasons.length > 0 && (
          <Descriptions.Item label={t('orders:review.reasons')} span={3}>
            {order.hold_reasons.map((r) => (
              <Tag key={r.rule} color="red">
                {t(`orders:reasons.${r.reason}`, { defaultValue: r.rule })}
              </Tag>
            ))}
          </Descriptions.Item>
        )}
        {order.buyer_message && (
          <Descriptions.Item label={t('orders:buyerMessage')} span={3}>
            {order.buyer_message}
          </Descriptions.Item>
        )}
        {(order.carrier || order.tracking_no) && (
          <Descriptions.Item label={t('orders:tracking')} span={3}>
            {order.carrier} {order.tracking_no}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('orders:lines')}
      </Typography.Title>
      <Table<OrderLine> rowKey="line_no" size="small" columns={lineColumns} dataSource={order.lines} pagination={false} locale={{ emptyText: t('orders:noLines') }} />
      <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('orders:parcels.title')}
        </Typography.Title>
        {maySplit && (
          <Button icon={<ScissorOutlined />} onClick={() => setSplitting(true)} data-testid="order-split">
            {t('orders:split.button')}
          </Button>
        )}
      </Flex>
      <OrderParcels order={order} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('orders:timeline')}
      </Typography.Title>
      <QueryError error={timeline.error} onRetry={() => void timeline.refetch()} />
      <div data-testid="order-timeline">
        <Timeline
          items={(timeline.data ?? []).map((e) => ({
            children: (
              <div>
                <Typography.Text strong>{t(`orders:events.${e.kind}`, { defaultValue: e.kind })}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {formatDateTime(e.at)} · {e.username}
                </Typography.Text>
                <div className="cell-sub">{eventText(e.detail, t)}</div>
              </div>
            ),
          }))}
        />
      </div>
      {splitting && <SplitModal order={order} onClose={() => setSplitting(false)} />}
    </Drawer>
  );
}

/**
 * An event's detail in words: the file it came from, `field: before → after` for each change, or the parcels,
 * tracking and exception of a fulfilment step.
 */
function eventText(detail: string, t: TFunction): string {
  try {
    const d = JSON.parse(detail) as {
      file?: string;
      changes?: Record<string, [string, string]>;
      platform_sku?: string;
      sku?: string;
      reasons?: { rule: string }[];
      note?: string;
      parcels?: string[];
      parcel?: string;
      wave?: string;
      carrier?: string;
      tracking_no?: string;
      weight_kg?: string;
      kind?: string;
      resolution?: string;
      amount?: string;
      new_parcel?: string;
      short?: number;
    };
    if (d.changes) return Object.entries(d.changes).map(([k, [a, b]]) => `${k}: ${a || '—'} → ${b || '—'}`).join('; ');
    if (d.platform_sku) return `${d.platform_sku} → ${d.sku ?? ''}`;
    if (d.reasons && d.reasons.length > 0) return d.reasons.map((r) => r.rule).join(', ');
    if (d.parcels && d.parcels.length > 0) return [d.parcels.join(', '), d.note].filter(Boolean).join(' · ');
    if (d.parcel || d.wave) {
      return [
        d.parcel,
        d.wave,
        d.carrier,
        d.tracking_no,
        d.weight_kg && `${d.weight_kg} kg`,
        d.kind && t(`orders:exceptionKinds.${d.kind}`, { defaultValue: d.kind }),
        d.resolution && t(`orders:resolutions.${d.resolution}`, { defaultValue: d.resolution }),
        d.amount,
        d.new_parcel && `→ ${d.new_parcel}`,
        d.note,
      ]
        .filter(Boolean)
        .join(' · ');
    }
    if (d.note) return d.note;
    if (d.short) return t('orders:allocate.shortUnits', { count: d.short });
    return d.file ?? '';
  } catch {
    return detail;
  }
}

function OrdersListTab() {
  const { t } = useTranslation();
  const list = useListQuery<SalesOrder>({ status: null });
  const orders = useOrders(list.query);
  const [open, setOpen] = useState<SalesOrder | null>(null);
  const [creating, setCreating] = useState(false);
  const can = useCan();
  const columns: TableColumnsType<SalesOrder> = [
    { key: 'platform_order_no', dataIndex: 'platform_order_no', title: t('orders:orderNo'), sorter: true, sortOrder: list.sortOrder('platform_order_no'), width: 190 },
    { key: 'channel', title: t('orders:channelCol'), width: 90, render: (_: unknown, o) => t(`orders:channel.${o.channel}`) },
    {
      key: 'status',
      title: t('orders:status'),
      width: 110,
      sorter: true,
      sortOrder: list.sortOrder('status'),
      render: (_: unknown, o) => <Tag color={STATUS_COLOR[o.status]}>{t(`orders:statuses.${o.status}`)}</Tag>,
    },
    { key: 'ordered_at', title: t('orders:orderedAt'), width: 160, sorter: true, sortOrder: list.sortOrder('ordered_at'), render: (_: unknown, o) => formatDateTime(o.ordered_at) },
    { key: 'receiver', title: t('orders:receiver'), width: 220, ellipsis: true, render: (_: unknown, o) => `${o.receiver} ${o.province} ${o.city}`.trim() || o.address },
    { key: 'total', title: t('orders:total'), align: 'right', width: 130, sorter: true, sortOrder: list.sortOrder('total'), render: (_: unknown, o) => `${o.total} ${o.currency}` },
    { key: 'paid', dataIndex: 'paid', title: t('orders:paid'), align: 'right', width: 100 },
    { key: 'refunded', dataIndex: 'refunded', title: t('orders:refunded'), align: 'right', width: 100 },
    {
      key: 'lines',
      title: t('orders:lines'),
      width: 80,
      render: (_: unknown, o) => (o.unmapped_lines > 0 ? <Badge count={o.unmapped_lines} title={t('orders:unmapped')}>{o.lines.length}</Badge> : o.lines.length),
    },
  ];
  return (
    <Card className="list-card">
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <ListSearch value={list.searchText} onChange={list.onSearchChange} placeholder={t('orders:search')} testId="orders-search" />
        <Select
          allowClear
          style={{ width: 150 }}
          placeholder={t('orders:channelCol')}
          value={list.query.category ?? undefined}
          onChange={(v) => list.setFilter('category', v ?? null)}
          options={CHANNELS.map((c) => ({ value: c, label: t(`orders:channel.${c}`) }))}
          data-testid="orders-channel"
        />
        <Select
          allowClear
          style={{ width: 150 }}
          placeholder={t('orders:status')}
          value={list.query.status ?? undefined}
          onChange={(v) => list.setFilter('status', v ?? null)}
          options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`orders:statuses.${s}`) }))}
        />
        {can('edit_orders') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="order-new" style={{ marginLeft: 'auto' }}>
            {t('orders:manual.new')}
          </Button>
        )}
      </Flex>
      <QueryError error={orders.error} onRetry={() => void orders.refetch()} />
      <div data-testid="orders-table">
        <Table<SalesOrder>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={orders.data?.items}
          loading={orders.isFetching}
          onChange={list.onTableChange}
          pagination={list.pagination(orders.data?.total, (n) => t('orders:total_count', { count: n }))}
          onRow={(o) => ({ onClick: () => setOpen(o), style: { cursor: 'pointer' } })}
        />
      </div>
      {open && <OrderDrawer order={open} onClose={() => setOpen(null)} />}
      {creating && <NewOrderModal onClose={() => setCreating(false)} />}
    </Card>
  );
}

/**
 * Orders (订单): every channel's orders with their timeline, importing exports, review, allocation to warehouses,
 * waves, the outbound check, logistics exceptions, review rules, promotions, unmapped codes, the sales report.
 */
export function OrdersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const items = [
    { key: 'list', label: <span data-testid="tab-orders-list">{t('orders:tabs.list')}</span>, children: <OrdersListTab /> },
    ...(can('edit_orders')
      ? [{ key: 'import', label: <span data-testid="tab-orders-import">{t('orders:tabs.import')}</span>, children: <OrderImportTab /> }]
      : []),
    { key: 'review', label: <span data-testid="tab-orders-review">{t('orders:tabs.review')}</span>, children: <ReviewTab /> },
    { key: 'allocate', label: <span data-testid="tab-orders-allocate">{t('orders:tabs.allocate')}</span>, children: <AllocateTab /> },
    { key: 'waves', label: <span data-testid="tab-orders-waves">{t('orders:tabs.waves')}</span>, children: <WavesTab /> },
    ...(can('post_stock')
      ? [{ key: 'check', label: <span data-testid="tab-orders-check">{t('orders:tabs.check')}</span>, children: <CheckTab /> }]
      : []),
    { key: 'logistics', label: <span data-testid="tab-orders-logistics">{t('orders:tabs.logistics')}</span>, children: <LogisticsTab /> },
    { key: 'rules', label: <span data-testid="tab-orders-rules">{t('orders:tabs.rules')}</span>, children: <RulesTab /> },
    { key: 'promotions', label: <span data-testid="tab-orders-promotions">{t('orders:tabs.promotions')}</span>, children: <PromotionsTab /> },
    { key: 'unmapped', label: <span data-testid="tab-orders-unmapped">{t('orders:tabs.unmapped')}</span>, children: <UnmappedTab /> },
    { key: 'report', label: <span data-testid="tab-orders-report">{t('orders:tabs.report')}</span>, children: <SalesReportTab /> },
  ];
  return (
    <div className="page">
      <PageHeader title={t('orders:title')} subtitle={t('orders:subtitle')} />
      <Tabs items={items} destroyOnHidden={false} data-testid="orders-tabs" />
    </div>
  );
}
