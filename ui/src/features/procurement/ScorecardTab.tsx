import { useMemo, useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Scorecard } from '../../bindings/Scorecard';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { EChart } from '../../components/EChart';
import type { ChartOption } from '../../components/EChart';
import { QueryError } from '../../components/QueryError';
import { QualificationTag } from '../suppliers/QualificationTag';

/** Supplier scorecards (绩效考核) over a period: table, chart and Excel export. */
export function ScorecardTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(1, 'year'), dayjs()]);
  const q = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const cards = useQuery({ queryKey: ['procurement', 'scorecards', q], queryFn: () => call('supplier_scorecards', q) });
  const exp = useMutation({ mutationFn: () => call('supplier_scorecards_export', q) });
  const dash = (v: string | null) => v ?? '–';
  const columns: TableColumnsType<Scorecard> = [
    {
      key: 'supplier',
      title: t('procurement:fields.supplier'),
      render: (_: unknown, c) => (
        <div>
          <div>
            {c.supplier_code} · {c.supplier_name}
          </div>
          <QualificationTag value={c.qualification} />
        </div>
      ),
    },
    { key: 'orders', dataIndex: 'orders', title: t('procurement:score.orders'), align: 'right', width: 80 },
    { key: 'ontime', title: t('procurement:score.onTime'), align: 'right', width: 130, render: (_: unknown, c) => `${dash(c.on_time_rate)}% (${c.lines_on_time}/${c.lines_due})` },
    { key: 'pass', title: t('procurement:score.pass'), align: 'right', width: 130, render: (_: unknown, c) => `${dash(c.pass_rate)}% (${c.accepted}/${c.accepted + c.rejected})` },
    { key: 'lead', title: t('procurement:score.lead'), align: 'right', width: 110, render: (_: unknown, c) => dash(c.avg_lead_days) },
    { key: 'price', title: t('procurement:score.priceIndex'), align: 'right', width: 120, render: (_: unknown, c) => `${dash(c.price_index)}${c.skus_compared ? ` (${c.skus_compared})` : ''}` },
  ];
  const option: ChartOption = useMemo(() => {
    const rows = cards.data ?? [];
    const n = (v: string | null) => (v === null ? null : Number(v));
    return {
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 20, bottom: 30, top: 40 },
      xAxis: { type: 'category', data: rows.map((c) => c.supplier_code) },
      yAxis: { type: 'value', max: 100 },
      series: [
        { type: 'bar', name: t('procurement:score.onTime'), data: rows.map((c) => n(c.on_time_rate)) },
        { type: 'bar', name: t('procurement:score.pass'), data: rows.map((c) => n(c.pass_rate)) },
      ],
    } as ChartOption;
  }, [cards.data, t]);
  return (
    <Card className="list-card">
      <Flex gap={12} align="center" wrap className="list-toolbar">
        <DatePicker.RangePicker value={range} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} allowClear={false} />
        <Button
          icon={<DownloadOutlined />}
          loading={exp.isPending}
          onClick={() =>
            exp
              .mutateAsync()
              .then((r) => message.success(t('procurement:po.exported', { path: r.path })))
              .catch(report)
          }
        >
          Excel
        </Button>
        <Typography.Text type="secondary">{t('procurement:score.help')}</Typography.Text>
      </Flex>
      <QueryError error={cards.error} onRetry={() => void cards.refetch()} />
      {(cards.data?.length ?? 0) > 0 && <EChart option={option} height={260} testId="scorecard-chart" />}
      <div data-testid="scorecard-table">
        <Table<Scorecard> rowKey="supplier_code" size="middle" columns={columns} dataSource={cards.data} loading={cards.isFetching} pagination={false} />
      </div>
    </Card>
  );
}
