import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Drawer, Flex, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps, InputRef, TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CountLine } from '../../bindings/CountLine';
import type { StockCount } from '../../bindings/StockCount';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { useCount, useCountSheet, useCounts, useDecideCount, useRecordCounts, useStartCount, useWarehouseOptions } from './queries';

const STATUS_COLOR: Record<string, string> = { counting: 'blue', approved: 'green', cancelled: 'default' };

function StartModal({ onClose, onStarted }: { onClose: () => void; onStarted: (no: string) => void }) {
  const { t } = useTranslation();
  const report = useErrorReporter();
  const warehouses = useWarehouseOptions();
  const [form] = Form.useForm<{ warehouse_code: string; locations?: string; notes?: string }>();
  const start = useStartCount();
  return (
    <Modal open title={t('inventory:newCount')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={start.isPending} okButtonProps={{ 'data-testid': 'count-start-save' } as ButtonProps}>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          start
            .mutateAsync({
              warehouse_code: v.warehouse_code,
              locations: (v.locations ?? '')
                .split(/[\s,，]+/)
                .map((s) => s.trim())
                .filter(Boolean),
              notes: v.notes ?? '',
            })
            .then((c) => {
              onStarted(c.count_no);
              onClose();
            })
            .catch((e) => report(e, form))
        }
      >
        <Form.Item name="warehouse_code" label={t('inventory:warehouse')} rules={[{ required: true }]}>
          <Select options={warehouses} data-testid="count-warehouse" />
        </Form.Item>
        <Form.Item name="locations" label={t('inventory:countLocations')} extra={t('inventory:countLocationsHint')}>
          <Input data-testid="count-locations" />
        </Form.Item>
        <Form.Item name="notes" label={t('inventory:note')}>
          <Input maxLength={1000} />
        </Form.Item>
        <Alert type="info" showIcon message={t('inventory:freezeHint')} />
      </Form>
    </Modal>
  );
}

/** One count: scan or type counts, see variances, approve or cancel, print the sheet. */
function CountDrawer({ countNo, onClose }: { countNo: string; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const count = useCount(countNo);
  const record = useRecordCounts();
  const decide = useDecideCount();
  const sheet = useCountSheet();
  const [location, setLocation] = useState('');
  const [scan, setScan] = useState('');
  const scanRef = useRef<InputRef>(null);
  const c: StockCount | undefined = count.data;
  const counting = c?.status === 'counting';
  // A keyboard-wedge scanner types the code and Enter: each scan adds one unit at the current location.
  const onScan = () => {
    const code = scan.trim();
    if (!code || !location.trim()) return;
    record
      .mutateAsync({ count_no: countNo, entries: [{ location: location.trim(), code, qty: 1, add: true }] })
      .then(() => {
        setScan('');
        scanRef.current?.focus();
      })
      .catch(report);
  };
  const setCounted = (l: CountLine, qty: number | null) => {
    if (qty === null) return;
    void record.mutateAsync({ count_no: countNo, entries: [{ location: l.location, code: l.sku, qty, add: false }] }).catch(report);
  };
  const columns: TableColumnsType<CountLine> = [
    { key: 'loc', dataIndex: 'location', title: t('inventory:location'), width: 100 },
    { key: 'sku', dataIndex: 'sku', title: 'SKU', width: 120 },
    { key: 'name', dataIndex: 'name', title: t('inventory:name') },
    { key: 'expected', dataIndex: 'expected', title: t('inventory:expected'), align: 'right', width: 80 },
    {
      key: 'counted',
      title: t('inventory:counted'),
      width: 110,
      render: (_: unknown, l) =>
        counting ? (
          <InputNumber min={0} value={l.counted ?? undefined} onChange={(v) => setCounted(l, v)} style={{ width: 90 }} data-testid={`counted-${l.location}-${l.sku}`} />
        ) : (
          (l.counted ?? '—')
        ),
    },
    {
      key: 'variance',
      title: t('inventory:variance'),
      align: 'right',
      width: 90,
      render: (_: unknown, l) => (l.counted === null ? '' : <Typography.Text type={l.variance < 0 ? 'danger' : l.variance > 0 ? 'success' : undefined}>{l.variance > 0 ? `+${l.variance}` : l.variance}</Typography.Text>),
    },
    { key: 'value', dataIndex: 'variance_value', title: t('inventory:varianceValue'), align: 'right', width: 110 },
  ];
  return (
    <Drawer open width={980} onClose={onClose} title={c ? `${c.count_no} · ${c.warehouse_code}` : ''} data-testid="count-drawer">
      <QueryError error={count.error} />
      {c && (
        <Flex vertical gap={16}>
          <Descriptions size="small" bordered column={3}>
            <Descriptions.Item label={t('inventory:status')}>
              <Tag color={STATUS_COLOR[c.status]}>{t(`inventory:countStatus.${c.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('inventory:countLocations')}>{c.scope === '*' ? t('inventory:allLocations') : c.scope}</Descriptions.Item>
            <Descriptions.Item label={t('inventory:progress')}>{`${c.lines_counted} / ${c.lines_total}`}</Descriptions.Item>
            <Descriptions.Item label={t('inventory:linesWithVariance')}>{c.lines_with_variance}</Descriptions.Item>
            <Descriptions.Item label={t('inventory:varianceValue')}>
              <span data-testid="count-variance-value">{c.variance_value}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('inventory:decidedBy')}>{c.decided_by ?? ''}</Descriptions.Item>
          </Descriptions>
          {counting && can('post_stock') && (
            <Space wrap>
              <Input placeholder={t('inventory:scanLocation')} value={location} onChange={(e) => setLocation(e.target.value)} style={{ width: 160 }} data-testid="scan-location" />
              <Input
                ref={scanRef}
                placeholder={t('inventory:scanHere')}
                value={scan}
                onChange={(e) => setScan(e.target.value)}
                onPressEnter={onScan}
                style={{ width: 260 }}
                data-testid="scan-input"
              />
              <Typography.Text type="secondary">{t('inventory:scanHint')}</Typography.Text>
            </Space>
          )}
          <div data-testid="count-lines">
            <Table<CountLine> rowKey="id" size="small" columns={columns} dataSource={c.lines} pagination={{ pageSize: 100 }} />
          </div>
          <Space wrap>
            <Button onClick={() => void sheet.mutateAsync(c.count_no).then((r) => message.success(t('inventory:exported', { path: r.path }))).catch(report)} loading={sheet.isPending} data-testid="count-sheet">
              {t('inventory:countSheet')}
            </Button>
            {counting && can('approve_stock_counts') && (
              <Button
                type="primary"
                loading={decide.isPending}
                onClick={() => void decide.mutateAsync({ count_no: c.count_no, decision: 'approve' }).then(() => message.success(t('inventory:countApproved'))).catch(report)}
                data-testid="count-approve"
              >
                {t('inventory:approveCount')}
              </Button>
            )}
            {counting && can('post_stock') && (
              <Button danger loading={decide.isPending} onClick={() => void decide.mutateAsync({ count_no: c.count_no, decision: 'cancel' }).catch(report)}>
                {t('inventory:cancelCount')}
              </Button>
            )}
          </Space>
        </Flex>
      )}
    </Drawer>
  );
}

export function CountsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const list = useCounts();
  const [open, setOpen] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const columns: TableColumnsType<StockCount> = [
    { key: 'no', dataIndex: 'count_no', title: t('inventory:countNo'), width: 170 },
    { key: 'wh', dataIndex: 'warehouse_code', title: t('inventory:warehouse'), width: 100 },
    { key: 'scope', title: t('inventory:countLocations'), render: (_: unknown, c) => (c.scope === '*' ? t('inventory:allLocations') : c.scope) },
    { key: 'status', title: t('inventory:status'), width: 100, render: (_: unknown, c) => <Tag color={STATUS_COLOR[c.status]}>{t(`inventory:countStatus.${c.status}`)}</Tag> },
    { key: 'progress', title: t('inventory:progress'), width: 90, render: (_: unknown, c) => `${c.lines_counted} / ${c.lines_total}` },
    { key: 'value', dataIndex: 'variance_value', title: t('inventory:varianceValue'), align: 'right', width: 120 },
    { key: 'by', dataIndex: 'created_by', title: t('inventory:user'), width: 100 },
  ];
  return (
    <Card className="list-card">
      <Flex wrap gap={12} className="list-toolbar">
        {can('post_stock') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setStarting(true)} data-testid="count-new">
            {t('inventory:newCount')}
          </Button>
        )}
      </Flex>
      <QueryError error={list.error} onRetry={() => void list.refetch()} />
      <div data-testid="counts-table">
        <Table<StockCount> rowKey="id" size="middle" columns={columns} dataSource={list.data} loading={list.isFetching} pagination={{ pageSize: 50 }} onRow={(c) => ({ onClick: () => setOpen(c.count_no), style: { cursor: 'pointer' } })} />
      </div>
      {starting && <StartModal onClose={() => setStarting(false)} onStarted={setOpen} />}
      {open && <CountDrawer countNo={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}
