import { useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Select } from 'antd';
import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { SalesQuery } from '../../bindings/SalesQuery';
import { useErrorReporter } from '../../api/errors';
import { QueryError } from '../../components/QueryError';
import { ReportView } from '../../components/ReportView';
import { CHANNELS, useSalesExport, useSalesReport } from './queries';

/** The sales report: orders, GMV, paid and refunded by day, for a period and channel; Excel and PDF. */
export function SalesReportTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [channel, setChannel] = useState<string | null>(null);
  const query: SalesQuery = {
    from: range?.[0]?.format('YYYY-MM-DD') ?? null,
    to: range?.[1]?.format('YYYY-MM-DD') ?? null,
    channel,
  };
  const data = useSalesReport(query);
  const exp = useSalesExport();
  const download = (format: string) =>
    exp
      .mutateAsync({ query, format })
      .then((r) => message.success(t('orders:exported', { path: r.path })))
      .catch(report);
  return (
    <Card className="list-card">
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('orders:channelCol')}
          value={channel ?? undefined}
          onChange={(v) => setChannel(v ?? null)}
          options={CHANNELS.map((c) => ({ value: c, label: t(`orders:channel.${c}`) }))}
        />
        <Button icon={<DownloadOutlined />} loading={exp.isPending && exp.variables?.format === 'xlsx'} onClick={() => void download('xlsx')}>
          Excel
        </Button>
        <Button icon={<FilePdfOutlined />} loading={exp.isPending && exp.variables?.format === 'pdf'} onClick={() => void download('pdf')} data-testid="sales-pdf">
          PDF
        </Button>
      </Flex>
      <QueryError error={data.error} onRetry={() => void data.refetch()} />
      {data.data && <ReportView report={data.data} testId="sales-report" />}
    </Card>
  );
}
