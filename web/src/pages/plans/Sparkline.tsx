/**
 * A target's values in a small chart: the baseline and reported values (solid, in the status
 * colour), the path from the baseline to the target (dashed grey), and the forecast at the
 * target year (a hollow point). Axes are left out; the tooltip gives dates and values.
 */
import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { useLang } from '../../i18n.ts';
import { NS } from './messages.ts';
import { STATUS_COLOR } from './status.tsx';
import type { BoardTarget } from './types.ts';

export function Sparkline({ target }: { target: BoardTarget }) {
  const { t } = useLang(NS);
  const option = useMemo((): ChartOption => {
    const color = STATUS_COLOR[target.status];
    const end = target.target_year ? `${target.target_year}-12-31` : null;
    const start = target.series[0];
    const path = start && end && target.target !== null ? [[start.date, start.value], [end, target.target]] : [];
    const forecast = end && target.forecast !== null ? [[end, target.forecast]] : [];
    return {
      animation: false,
      grid: { left: 4, right: 8, top: 8, bottom: 4, containLabel: false },
      tooltip: { trigger: 'item', confine: true, valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toLocaleString() : String(v)) },
      xAxis: { type: 'time', show: false },
      yAxis: { type: 'value', show: false, scale: true },
      series: [
        { name: t('card.target'), type: 'line', data: path, symbol: 'none', lineStyle: { type: 'dashed', color: '#bfbfbf', width: 1 }, silent: true, z: 1 },
        { name: t('card.latest'), type: 'line', data: target.series.map((o) => [o.date, o.value]), symbolSize: 5, itemStyle: { color }, lineStyle: { color, width: 2 }, z: 3 },
        { name: t('card.forecast', { year: target.target_year ?? '' }), type: 'scatter', data: forecast, symbol: 'emptyCircle', symbolSize: 7, itemStyle: { color }, z: 2 },
      ],
    };
  }, [target, t]);
  if (!target.series.length) return <div style={{ height: 64, color: '#bbb', fontSize: 12, display: 'flex', alignItems: 'center' }}>{t('card.noSeries')}</div>;
  return <Chart option={option} height={64} data-testid="sparkline" aria-label={target.indicator} />;
}
