import { useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { DownloadOutlined, FilePdfOutlined, LockOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InventoryReport } from '../../bindings/InventoryReport';
import type { ReportQuery } from '../../bindings/ReportQuery';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { ReportView } from '../../components/ReportView';
import { useWarehouseOptions } from './queries';

const KINDS: InventoryReport[] = ['on_hand', 'as_of', 'movements', 'abc', 'turnover', 'ageing', 'slow_moving'];
const PERIOD: InventoryReport[] = ['abc', 'turnover', 'movements'];

/** Closed stock periods (月结): where they stand, and closing through a date for those allowed. */
function PeriodCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ['inventory', 'period'], queryFn: () => call('stock_period_get', null) });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ through: Dayjs; note: string }>();
  const close = useMutation({
    mutationFn: (v: { through: string; note: string }) => call('stock_period_close', v),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['inventory'] }),
  });
  const s = status.data;
  return (
    <Flex gap={12} align="center" wrap>
      <LockOutlined />
      <Typography.Text data-testid="period-status">
        {s?.closed_through ? t('inventory:period.closedThrough', { date: s.closed_through, user: s.updated_by }) : t('inventory:period.none')}
      </Typography.Text>
      {can('close_stock_periods') && (
        <Button size="small" data-testid="period-close" onClick={() => setOpen(true)}>
          {t('inventory:period.close')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('inventory:period.close')}
        onCancel={() => setOpen(false)}
        okButtonProps={{ 'data-testid': 'period-close-ok', loading: close.isPending } as ButtonProps}
        onOk={() =>
          form.validateFields().then((v) =>
            close
              .mutateAsync({ through: v.through.format('YYYY-MM-DD'), note: v.note ?? '' })
              .then((r) => {
                message.success(t('inventory:period.closedThrough', { date: r.closed_through, user: r.updated_by }));
                setOpen(false);
              })
              .catch(report),
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('inventory:period.help')}</Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={{ through: dayjs().subtract(1, 'month').endOf('month'), note: '' }}>
          <Form.Item name="through" label={t('inventory:period.through')} rules={[{ required: true }]}>
            <DatePicker data-testid="period-through" disabledDate={(d) => !d.isBefore(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="note" label={t('inventory:period.note')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}

/** Inventory reports: choose one, set its parameters, see table and chart, export to Excel or PDF. */
export function ReportsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const warehouses = useWarehouseOptions();
  const [kind, setKind] = useState<InventoryReport>('on_hand');
  const [warehouse, setWarehouse] = useState<string | null>(null);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(89, 'day'), dayjs()]);
  const [date, setDate] = useState<Dayjs>(dayjs());
  const [sku, setSku] = useState('');
  const [basis, setBasis] = useState<'value' | 'volume'>('value');
  const [days, setDays] = useState<number>(90);
  const q: ReportQuery = {
    kind,
    date: kind === 'as_of' ? date.format('YYYY-MM-DD') : null,
    from: PERIOD.includes(kind) ? range[0].format('YYYY-MM-DD') : null,
    to: PERIOD.includes(kind) ? range[1].format('YYYY-MM-DD') : null,
    warehouse,
    sku: kind === 'movements' ? sku : null,
    basis: kind === 'abc' ? basis : null,
    days: kind === 'slow_moving' ? days : null,
  };
  const ready = kind !== 'movements' || sku.trim() !== '';
  const result = useQuery({ queryKey: ['inventory', 'report', q], queryFn: () => call('inventory_report', q), enabled: ready });
  const exp = useMutation({ mutationFn: (format: 'xlsx' | 'pdf') => call('inventory_report_export', { query: q, format }) });
  const save = (format: 'xlsx' | 'pdf') =>
    exp
      .mutateAsync(format)
      .then((r) => message.success(t('inventory:report.exported', { path: r.path })))
      .catch(report);
  return (
    <Card className="list-card">
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        <PeriodCard />
        <Flex gap={12} align="center" wrap className="list-toolbar">
          <Select<InventoryReport>
            data-testid="report-kind"
            style={{ width: 200 }}
            value={kind}
            onChange={setKind}
            options={KINDS.map((k) => ({ value: k, label: t(`inventory:report.kinds.${k}`) }))}
          />
          <Select
            allowClear
            style={{ width: 180 }}
            placeholder={t('inventory:report.allWarehouses')}
            value={warehouse}
            onChange={(v) => setWarehouse(v ?? null)}
            options={warehouses}
          />
          {PERIOD.includes(kind) && (
            <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} />
          )}
          {kind === 'as_of' && <DatePicker value={date} allowClear={false} onChange={(d) => d && setDate(d)} />}
          {kind === 'movements' && (
            <Input.Search data-testid="report-sku" style={{ width: 200 }} placeholder={t('inventory:search')} onSearch={(v) => setSku(v)} enterButton />
          )}
          {kind === 'abc' && (
            <Select
              data-testid="report-basis"
              style={{ width: 140 }}
              value={basis}
              onChange={setBasis}
              options={[
                { value: 'value', label: t('inventory:report.byValue') },
                { value: 'volume', label: t('inventory:report.byVolume') },
              ]}
            />
          )}
          {kind === 'slow_moving' && (
            <InputNumber min={1} value={days} onChange={(v) => v && setDays(v)} addonAfter={t('inventory:report.days')} style={{ width: 150 }} />
          )}
          <Button icon={<DownloadOutlined />} data-testid="report-xlsx" disabled={!result.data} loading={exp.isPending && exp.variables === 'xlsx'} onClick={() => save('xlsx')}>
            Excel
          </Button>
          <Button icon={<FilePdfOutlined />} data-testid="report-pdf" disabled={!result.data} loading={exp.isPending && exp.variables === 'pdf'} onClick={() => save('pdf')}>
            PDF
          </Button>
        </Flex>
        <QueryError error={result.error} onRetry={() => void result.refetch()} />
        {!ready && <Typography.Text type="secondary">{t('inventory:report.needSku')}</Typography.Text>}
        {result.data && <ReportView report={result.data} testId="inventory-report" />}
      </Space>
    </Card>
  );
}
