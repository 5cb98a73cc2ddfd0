import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Flex, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, CloseOutlined, ExperimentOutlined, SafetyOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { OrderDecision } from '../../bindings/OrderDecision';
import type { ReviewSummary } from '../../bindings/ReviewSummary';
import type { SalesOrder } from '../../bindings/SalesOrder';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { useDecide, useHeld, useReview } from './queries';

function SummaryView({ s }: { s: ReviewSummary }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="review-summary">
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('orders:review.orders')}>{s.orders}</Descriptions.Item>
        <Descriptions.Item label={t('orders:review.approved')}>{s.approved}</Descriptions.Item>
        <Descriptions.Item label={t('orders:review.held')}>{s.held}</Descriptions.Item>
      </Descriptions>
      <Flex gap={6} wrap>
        {Object.entries(s.by_rule).map(([rule, n]) => (
          <Tag key={rule}>
            {rule} {n}
          </Tag>
        ))}
      </Flex>
    </Space>
  );
}

/** The exception queue (异常订单): held orders with every reason; run the review, or a dry run over a period. */
export function ReviewTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const held = useHeld();
  const review = useReview();
  const decide = useDecide();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [deciding, setDeciding] = useState<{ order: SalesOrder; decision: OrderDecision } | null>(null);
  const [note, setNote] = useState('');

  const run = (dry: boolean) =>
    review
      .mutateAsync({
        order_ids: null,
        dry_run: dry,
        from: dry ? (range?.[0]?.format('YYYY-MM-DD') ?? null) : null,
        to: dry ? (range?.[1]?.format('YYYY-MM-DD') ?? null) : null,
      })
      .then((s) => message.success(t(dry ? 'orders:review.dryDone' : 'orders:review.done', { approved: s.approved, held: s.held })))
      .catch(report);

  const columns: TableColumnsType<SalesOrder> = [
    { key: 'no', title: t('orders:orderNo'), width: 170, render: (_: unknown, o) => `${o.platform_order_no}` },
    { key: 'channel', title: t('orders:channelCol'), width: 80, render: (_: unknown, o) => t(`orders:channel.${o.channel}`) },
    { key: 'at', title: t('orders:orderedAt'), width: 150, render: (_: unknown, o) => formatDateTime(o.ordered_at) },
    { key: 'receiver', title: t('orders:receiver'), render: (_: unknown, o) => `${o.receiver} ${o.phone} ${o.address}` },
    { key: 'total', title: t('orders:total'), align: 'right', width: 110, render: (_: unknown, o) => `${o.total} ${o.currency}` },
    {
      key: 'reasons',
      title: t('orders:review.reasons'),
      render: (_: unknown, o) => (
        <Flex gap={4} wrap>
          {o.hold_reasons.map((r) => (
            <Tag key={r.rule} color="red">
              {t(`orders:reasons.${r.reason}`, { defaultValue: r.rule })}
            </Tag>
          ))}
          {o.priority > 0 && <Tag color="gold">P{o.priority}</Tag>}
        </Flex>
      ),
    },
    ...(can('edit_orders')
      ? [
          {
            key: 'act',
            width: 110,
            render: (_: unknown, o: SalesOrder) => (
              <Space size={4}>
                <Button size="small" icon={<CheckOutlined />} title={t('orders:review.approve')} onClick={() => setDeciding({ order: o, decision: 'approve' })} data-testid={`approve-${o.platform_order_no}`} />
                <Button size="small" danger icon={<CloseOutlined />} title={t('orders:review.cancel')} onClick={() => setDeciding({ order: o, decision: 'cancel' })} />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card className="list-card">
        <Flex gap={12} wrap align="center">
          {can('edit_orders') && (
            <Button type="primary" icon={<SafetyOutlined />} loading={review.isPending && !review.variables?.dry_run} onClick={() => void run(false)} data-testid="review-run">
              {t('orders:review.run')}
            </Button>
          )}
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} />
          <Button icon={<ExperimentOutlined />} loading={review.isPending && review.variables?.dry_run} onClick={() => void run(true)} data-testid="review-dry">
            {t('orders:review.dry')}
          </Button>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('orders:review.hint')}
        </Typography.Paragraph>
        {review.data && <SummaryView s={review.data} />}
      </Card>
      <Card className="list-card" title={t('orders:review.queue', { count: held.data?.length ?? 0 })}>
        <QueryError error={held.error} onRetry={() => void held.refetch()} />
        <div data-testid="held-table">
          <Table<SalesOrder> rowKey="id" size="middle" columns={columns} dataSource={held.data} loading={held.isFetching} pagination={{ pageSize: 50 }} />
        </div>
      </Card>
      <Modal
        open={deciding !== null}
        title={deciding ? `${t(deciding.decision === 'approve' ? 'orders:review.approve' : 'orders:review.cancel')} ${deciding.order.platform_order_no}` : ''}
        onCancel={() => setDeciding(null)}
        okButtonProps={{ disabled: note.trim() === '', loading: decide.isPending }}
        onOk={() =>
          deciding &&
          void decide
            .mutateAsync({ id: deciding.order.id, decision: deciding.decision, note })
            .then(() => {
              setDeciding(null);
              setNote('');
            })
            .catch(report)
        }
      >
        <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('orders:review.note')} data-testid="decide-note" />
      </Modal>
    </Space>
  );
}
