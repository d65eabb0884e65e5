/**
 * Number and time formatting for the bilingual explanations the engine attaches to every
 * status and forecast. Kept apart so status, forecast and task rules word figures alike.
 */
import { isYearLabel, type TimePoint } from './quarters.ts';

/** A number with at most `decimals` decimals, trailing zeros trimmed (1.50 → '1.5', 40.000 → '40'). */
export function formatNumber(x: number, decimals = 4): string {
  if (!Number.isFinite(x)) return String(x);
  const s = x.toFixed(decimals);
  const t = s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  return t === '-0' ? '0' : t;
}

/**
 * A rate or ratio as a percentage with two decimals ('17.26%'). When a threshold is given
 * and two decimals would make the value look equal to it from the wrong side (R = 0.949996
 * shown as '95.00%' while classed below 95 %), more decimals are shown, so the figure in an
 * explanation never contradicts the status next to it.
 */
export function formatPercent(x: number, thresholds: readonly number[] = []): string {
  for (let decimals = 2; decimals <= 8; decimals++) {
    const shown = Number((x * 100).toFixed(decimals));
    const misleading = thresholds.some((t) => {
      const tp = t * 100;
      return (x < t && shown >= tp) || (x >= t && shown < tp);
    });
    if (!misleading || decimals === 8) return `${formatNumber(x * 100, decimals)}%`;
  }
  return `${x * 100}%`;
}

/** A time point as written in an explanation: '2023年' / '2023' for a year label, the date otherwise. */
export function formatTimePoint(p: TimePoint, lang: 'zh' | 'en'): string {
  if (isYearLabel(p)) return lang === 'zh' ? `${Number(p)}年` : String(Number(p));
  if (typeof p === 'number') return lang === 'zh' ? `${formatNumber(p, 4)}年` : formatNumber(p, 4);
  return p;
}
