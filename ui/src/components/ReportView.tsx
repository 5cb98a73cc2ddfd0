import { useMemo } from 'react';
import { Descriptions, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Report } from '../bindings/Report';
import { EChart } from './EChart';
import type { ChartOption } from './EChart';

type Row = { key: number; cells: string[] };

/** Renders any core Report: parameters, chart (bars, with a cumulative line for Pareto), table with totals, notes. */
export function ReportView({ report, testId }: { report: Report; testId?: string }) {
  const columns: TableColumnsType<Row> = report.columns.map((c, i) => ({
    key: c.key,
    title: c.label,
    align: c.kind === 'text' || c.kind === 'date' ? 'left' : 'right',
    ellipsis: c.kind === 'text',
    render: (_: unknown, r: Row) => r.cells[i],
  }));
  const rows: Row[] = report.rows.map((cells, i) => ({ key: i, cells }));
  const chart = report.chart;
  const option: ChartOption | null = useMemo(() => {
    if (!chart || chart.labels.length === 0) return null;
    const series: ChartOption['series'] = [{ type: 'bar', name: chart.series, data: chart.values.map(Number) }];
    if (chart.line) {
      series.push({ type: 'line', name: chart.line_series ?? '', yAxisIndex: 1, data: chart.line.map(Number) });
    }
    return {
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 60, right: chart.line ? 50 : 20, bottom: 60, top: 40 },
      xAxis: { type: 'category', data: chart.labels, axisLabel: { rotate: chart.labels.length > 6 ? 30 : 0 } },
      yAxis: chart.line
        ? [{ type: 'value' }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }]
        : { type: 'value' },
      series,
    } as ChartOption;
  }, [chart]);
  return (
    <div data-testid={testId}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {report.title}
      </Typography.Title>
      <Descriptions
        size="small"
        column={4}
        items={report.params.map((p, i) => ({ key: i, label: p.label, children: p.value }))}
      />
      {option && (
        <>
          <Typography.Text strong>{chart?.title}</Typography.Text>
          <EChart option={option} height={280} testId={testId ? `${testId}-chart` : undefined} />
        </>
      )}
      <Table<Row>
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        summary={() =>
          report.totals ? (
            <Table.Summary fixed>
              <Table.Summary.Row>
                {report.totals.map((c, i) => (
                  <Table.Summary.Cell key={i} index={i} align={columns[i]?.align}>
                    <strong>{c}</strong>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
      {report.notes.map((n, i) => (
        <Typography.Paragraph key={i} type="secondary" style={{ marginBottom: 4, fontSize: 12 }}>
          {n}
        </Typography.Paragraph>
      ))}
    </div>
  );
}
