import { useMemo } from 'react';
import { Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CategoryCount } from '../../bindings/CategoryCount';
import { EChart } from '../../components/EChart';
import type { ChartOption } from '../../components/EChart';

const MAX_BARS = 15;

/** Active products per category, largest first; the tail is summed into "other". */
export function CategoryChart({ data }: { data: CategoryCount[] }) {
  const { t } = useTranslation();
  const rows = useMemo(() => {
    const sorted = [...data].sort((a, b) => b.count - a.count);
    const head = sorted.slice(0, MAX_BARS).map((r) => ({ name: r.category || t('dashboard:uncategorized'), value: r.count }));
    const rest = sorted.slice(MAX_BARS).reduce((n, r) => n + r.count, 0);
    if (rest > 0) head.push({ name: t('dashboard:otherCategories'), value: rest });
    return head.reverse();
  }, [data, t]);

  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => r.name), axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          name: t('dashboard:chart.series'),
          data: rows.map((r) => r.value),
          itemStyle: { color: '#1f6feb', borderRadius: [0, 4, 4, 0] },
          barMaxWidth: 22,
          label: { show: true, position: 'right' },
        },
      ],
    }),
    [rows, t],
  );

  if (rows.length === 0) return <Empty description={t('dashboard:chart.empty')} />;
  return <EChart option={option} height={Math.max(240, rows.length * 30 + 24)} testId="category-chart" />;
}
