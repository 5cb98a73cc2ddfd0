import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { AlertOutlined, FileExcelOutlined, RadarChartOutlined, SendOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Issue } from '../../bindings/Issue';
import type { Parcel } from '../../bindings/Parcel';
import type { Resolution } from '../../bindings/Resolution';
import type { ShipNotice } from '../../bindings/ShipNotice';
import type { StagedFile } from '../../bindings/StagedFile';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { useWarehouseOptions } from '../inventory/queries';
import { useStageFile } from '../procurement/queries';
import {
  EMPTY_PARCEL_FILTER,
  EXCEPTION_COLOR,
  REPORTED_KINDS,
  useCarrierExport,
  useLogisticsScan,
  useNoticesSent,
  useParcels,
  useReportException,
  useResolveException,
  useShipNotices,
  useTrackingImport,
} from './fulfilmentQueries';
import { useParcelColumns } from './ParcelsCard';

type Action = Resolution['action'];
const ACTIONS: Action[] = ['reship', 'refund', 'claim', 'close'];

/** An amount of money as the core takes it: above zero, at most two decimals (checked as text, never as a float). */
export function isAmount(text: string): boolean {
  const v = text.trim();
  return /^\d{1,12}(\.\d{1,2})?$/.test(v) && !/^0+(\.0+)?$/.test(v);
}

export function ExceptionTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag color={EXCEPTION_COLOR[kind] ?? 'red'}>{t(`orders:exceptionKinds.${kind}`, { defaultValue: kind })}</Tag>;
}

/** Resolves one parcel's exception: reship, refund or claim an amount, or close; always with a note. */
function ResolveModal({ parcel, action, onClose }: { parcel: Parcel; action: Action; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const resolve = useResolveException();
  const [form] = Form.useForm<{ amount?: string; note: string }>();
  const needsAmount = action === 'refund' || action === 'claim';
  const submit = (v: { amount?: string; note: string }) => {
    const amount = (v.amount ?? '').trim();
    const resolution: Resolution = action === 'refund' || action === 'claim' ? { action, amount } : { action };
    resolve
      .mutateAsync({ parcel_no: parcel.parcel_no, resolution, note: v.note.trim() })
      .then((newParcel) => {
        void message.success(
          newParcel ? t('orders:logistics.reshipped', { parcel: parcel.parcel_no, newParcel }) : t('orders:logistics.resolved', { parcel: parcel.parcel_no }),
        );
        onClose();
      })
      .catch((e) => report(e, form));
  };
  return (
    <Modal
      open
      title={`${t(`orders:logistics.actions.${action}`)} · ${parcel.parcel_no}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={resolve.isPending}
      okButtonProps={{ 'data-testid': 'resolve-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t(`orders:logistics.actionHint.${action}`)}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        {needsAmount && (
          <Form.Item
            name="amount"
            label={t('orders:logistics.amount')}
            rules={[
              { required: true, message: t('errors:field.required') },
              { validator: (_, v: string | undefined) => (!v || isAmount(v) ? Promise.resolve() : Promise.reject(new Error(t('errors:field.positive_money')))) },
            ]}
          >
            <Input autoFocus inputMode="decimal" placeholder="0.00" style={{ width: 200 }} data-testid="resolve-amount" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('orders:logistics.note')} rules={[{ required: true, whitespace: true, message: t('errors:field.required') }]}>
          <Input.TextArea autoFocus={!needsAmount} rows={3} maxLength={500} data-testid="resolve-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Reports a shipped parcel lost or damaged (the carrier or the buyer said so). */
function ReportModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const save = useReportException();
  const [form] = Form.useForm<{ parcel_no: string; kind: string; note: string }>();
  return (
    <Modal
      open
      title={t('orders:logistics.report')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'report-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'lost' }}
        onFinish={(v) =>
          save
            .mutateAsync({ parcel_no: v.parcel_no.trim(), kind: v.kind, note: v.note.trim() })
            .then(() => {
              void message.success(t('orders:logistics.reported', { parcel: v.parcel_no.trim() }));
              onClose();
            })
            .catch((e) => report(e, form))
        }
      >
        <Form.Item name="parcel_no" label={t('orders:logistics.parcelOrTracking')} rules={[{ required: true, whitespace: true, message: t('errors:field.required') }]}>
          <Input autoFocus data-testid="report-parcel" />
        </Form.Item>
        <Form.Item name="kind" label={t('orders:logistics.kind')} rules={[{ required: true }]}>
          <Select options={REPORTED_KINDS.map((k) => ({ value: k, label: t(`orders:exceptionKinds.${k}`) }))} data-testid="report-kind" />
        </Form.Item>
        <Form.Item name="note" label={t('orders:logistics.note')} rules={[{ required: true, whitespace: true, message: t('errors:field.required') }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="report-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Shipping notices (发货通知) not yet passed to the platforms: mark the ones uploaded as sent. */
function NoticesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const notices = useShipNotices({ pending_only: true });
  const sent = useNoticesSent();
  const [selected, setSelected] = useState<number[]>([]);
  const columns: TableColumnsType<ShipNotice> = [
    { key: 'channel', title: t('orders:channelCol'), width: 90, render: (_: unknown, n) => t(`orders:channel.${n.channel}`, { defaultValue: n.channel }) },
    { key: 'shop', dataIndex: 'shop', title: t('orders:shop'), width: 120 },
    { key: 'no', dataIndex: 'platform_order_no', title: t('orders:orderNo'), width: 190 },
    { key: 'carrier', dataIndex: 'carrier', title: t('orders:check.carrier'), width: 120 },
    { key: 'tracking', dataIndex: 'tracking_no', title: t('orders:check.trackingNo'), width: 170 },
    { key: 'at', title: t('orders:logistics.noticeAt'), width: 150, render: (_: unknown, n) => formatDateTime(n.created_at) },
  ];
  const markSent = () =>
    sent
      .mutateAsync(selected)
      .then((n) => {
        setSelected([]);
        void message.success(t('orders:logistics.noticesMarked', { count: n }));
      })
      .catch(report);
  return (
    <Card
      className="list-card"
      title={t('orders:logistics.notices', { count: notices.data?.length ?? 0 })}
      extra={
        can('edit_orders') && (
          <Button icon={<SendOutlined />} disabled={selected.length === 0} loading={sent.isPending} onClick={() => void markSent()} data-testid="notices-sent">
            {t('orders:logistics.markSent', { count: selected.length })}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('orders:logistics.noticesHint')}</Typography.Paragraph>
      <QueryError error={notices.error} onRetry={() => void notices.refetch()} />
      <div data-testid="notices-table">
        <Table<ShipNotice>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={notices.data}
          loading={notices.isFetching}
          pagination={{ pageSize: 20 }}
          rowSelection={can('edit_orders') ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(Number)) } : undefined}
        />
      </div>
    </Card>
  );
}

/** The carrier's side: export the e-waybill sheet for a carrier, import its file of tracking numbers and deliveries. */
function CarrierCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const warehouses = useWarehouseOptions();
  const [carrier, setCarrier] = useState('');
  const [warehouse, setWarehouse] = useState<string | null>(null);
  const [file, setFile] = useState<StagedFile>();
  const inputRef = useRef<HTMLInputElement>(null);
  const stage = useStageFile();
  const run = useTrackingImport();
  const exp = useCarrierExport();

  const onPick = async (f: File | undefined) => {
    if (!f) return;
    try {
      setFile(await stage.mutateAsync(f));
      run.reset();
    } catch (e) {
      report(e);
    } finally {
      if (inputRef.current) inputRef.current.value = '';
    }
  };
  const doImport = () =>
    file &&
    run
      .mutateAsync({ token: file.token, carrier: carrier.trim() })
      .then((s) => message.success(t('orders:logistics.imported', { assigned: s.assigned, delivered: s.delivered, failed: s.rows_failed })))
      .catch(report);
  const doExport = () =>
    exp
      .mutateAsync({ carrier: carrier.trim(), warehouse })
      .then((r) => message.success(t('orders:logistics.exported', { path: r.path, count: r.rows })))
      .catch(report);

  const s = run.data;
  const issueColumns: TableColumnsType<Issue> = [
    { key: 'sheet', dataIndex: 'sheet', title: t('orders:logistics.sheet'), width: 120 },
    { key: 'row', dataIndex: 'row', title: t('orders:logistics.row'), align: 'right', width: 70 },
    { key: 'column', dataIndex: 'column', title: t('orders:logistics.column'), width: 70 },
    { key: 'message', dataIndex: 'message', title: t('orders:import.problem') },
  ];

  return (
    <Card className="list-card" title={t('orders:logistics.carrierTitle')}>
      <Flex gap={12} wrap align="center">
        <Input
          style={{ width: 200 }}
          placeholder={t('orders:logistics.defaultCarrier')}
          aria-label={t('orders:logistics.defaultCarrier')}
          value={carrier}
          onChange={(e) => setCarrier(e.target.value)}
          maxLength={64}
          data-testid="tracking-carrier"
        />
        <Select
          allowClear
          style={{ width: 200 }}
          placeholder={t('orders:logistics.allWarehouses')}
          value={warehouse ?? undefined}
          onChange={(v) => setWarehouse(v ?? null)}
          options={warehouses}
          data-testid="carrier-export-warehouse"
        />
        <Button icon={<FileExcelOutlined />} disabled={!carrier.trim()} loading={exp.isPending} onClick={() => void doExport()} data-testid="carrier-export">
          {t('orders:logistics.carrierExport')}
        </Button>
      </Flex>
      {can('post_stock') && (
        <Flex gap={12} wrap align="center" style={{ marginTop: 12 }}>
          <input ref={inputRef} type="file" hidden accept=".csv,.txt,.xlsx,.xls,.ods" data-testid="tracking-file" onChange={(e) => void onPick(e.target.files?.[0])} />
          <Button icon={<UploadOutlined />} loading={stage.isPending} onClick={() => inputRef.current?.click()} data-testid="tracking-pick">
            {file ? file.file_name : t('orders:import.pick')}
          </Button>
          <Button type="primary" disabled={!file || run.isSuccess} loading={run.isPending} onClick={() => void doImport()} data-testid="tracking-import">
            {t('orders:logistics.importTracking')}
          </Button>
        </Flex>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('orders:logistics.carrierHint')}
      </Typography.Paragraph>
      {s && (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <Descriptions size="small" column={5} bordered data-testid="tracking-summary">
            <Descriptions.Item label={t('orders:import.rows_read')}>{s.rows_read}</Descriptions.Item>
            <Descriptions.Item label={t('orders:logistics.assigned')}>{s.assigned}</Descriptions.Item>
            <Descriptions.Item label={t('orders:logistics.delivered')}>{s.delivered}</Descriptions.Item>
            <Descriptions.Item label={t('orders:logistics.updated')}>{s.updated}</Descriptions.Item>
            <Descriptions.Item label={t('orders:import.rows_failed')}>
              <Typography.Text type={s.rows_failed > 0 ? 'danger' : undefined}>{s.rows_failed}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {s.errors.length > 0 && (
            <div data-testid="tracking-errors">
              <Typography.Title level={5}>{t('orders:import.errors', { count: s.errors.length })}</Typography.Title>
              <Table<Issue> rowKey={(i) => `${i.sheet}-${i.row}-${i.column}-${i.code}`} size="small" columns={issueColumns} dataSource={s.errors} pagination={{ pageSize: 10 }} />
            </div>
          )}
        </Space>
      )}
    </Card>
  );
}

/**
 * Logistics exceptions (物流异常): flag parcels without news or not shipped in time, report lost or damaged ones,
 * resolve each (reship, refund, claim, close); pass shipping notices to the platforms; import carriers' tracking files.
 */
export function LogisticsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const scan = useLogisticsScan();
  const queue = useParcels({ ...EMPTY_PARCEL_FILTER, exceptions: true });
  const [reporting, setReporting] = useState(false);
  const [resolving, setResolving] = useState<{ parcel: Parcel; action: Action } | null>(null);
  const base = useParcelColumns();

  const runScan = () =>
    scan
      .mutateAsync()
      .then((r) => message.success(t('orders:logistics.scanned', { noUpdate: r.no_update, late: r.late })))
      .catch(report);

  const columns: TableColumnsType<Parcel> = [
    ...base,
    {
      key: 'exception',
      title: t('orders:logistics.exception'),
      width: 200,
      render: (_: unknown, p) => (
        <div>
          <ExceptionTag kind={p.exception} />
          {p.exception_note && <div className="cell-sub">{p.exception_note}</div>}
        </div>
      ),
    },
    { key: 'shipped_at', title: t('orders:logistics.shippedAt'), width: 140, render: (_: unknown, p) => formatDateTime(p.shipped_at) || '—' },
    ...(can('edit_orders')
      ? [
          {
            key: 'act',
            width: 250,
            render: (_: unknown, p: Parcel) => (
              <Space size={4} wrap>
                {ACTIONS.map((a) => (
                  <Button key={a} size="small" danger={a === 'refund'} onClick={() => setResolving({ parcel: p, action: a })} data-testid={`resolve-${a}-${p.parcel_no}`}>
                    {t(`orders:logistics.actions.${a}`)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card className="list-card" title={t('orders:logistics.queue', { count: queue.data?.length ?? 0 })}>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<RadarChartOutlined />} loading={scan.isPending} onClick={() => void runScan()} data-testid="logistics-scan">
            {t('orders:logistics.scan')}
          </Button>
          {can('edit_orders') && (
            <Button icon={<WarningOutlined />} onClick={() => setReporting(true)} data-testid="logistics-report">
              {t('orders:logistics.report')}
            </Button>
          )}
        </Flex>
        {scan.data && (
          <Alert
            type={scan.data.no_update + scan.data.late > 0 ? 'warning' : 'success'}
            showIcon
            icon={<AlertOutlined />}
            style={{ marginBottom: 12 }}
            message={t('orders:logistics.scanned', { noUpdate: scan.data.no_update, late: scan.data.late })}
            data-testid="logistics-scan-result"
          />
        )}
        <Typography.Paragraph type="secondary">{t('orders:logistics.hint')}</Typography.Paragraph>
        <QueryError error={queue.error} onRetry={() => void queue.refetch()} />
        <div data-testid="exceptions-table">
          <Table<Parcel> rowKey="parcel_no" size="middle" columns={columns} dataSource={queue.data} loading={queue.isFetching} pagination={{ pageSize: 50 }} />
        </div>
      </Card>
      <NoticesCard />
      <CarrierCard />
      {reporting && <ReportModal onClose={() => setReporting(false)} />}
      {resolving && <ResolveModal parcel={resolving.parcel} action={resolving.action} onClose={() => setResolving(null)} />}
    </Space>
  );
}
