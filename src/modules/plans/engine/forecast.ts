/**
 * Forecast of an indicator's value at a date (usually the target deadline) on the current
 * trend, with the method and the observations it rests on, so the board can show "forecast
 * 76 by 2027 (CAGR 2023→2025)" and an evaluator can redo it by hand.
 *
 *   - 'cagr' (default): the compound annual growth from the earliest to the latest point,
 *     extrapolated from the latest point: F(t) = y_last · (1 + g)^(t − t_last),
 *     g = (y_last / y_first)^(1/(t_last − t_first)) − 1. It matches the status measure (which
 *     uses the same two points when the series starts at the baseline) and passes through the
 *     latest observation by construction.
 *   - 'linear': ordinary least squares over all points, F(t) = ȳ + b·(t − t̄).
 *
 * Refusals (value null, with a reason code): fewer than two points (TOO_FEW_POINTS); all points
 * at one time (NO_TIME_SPAN); for 'cagr', a first or last value ≤ 0 (CAGR_UNDEFINED — an
 * exponential cannot pass through or start from zero; a last value of 0 would "forecast" 0
 * forever, which is no trend at all). The caller may then ask for 'linear' explicitly; the
 * forecast never switches method silently, so the method shown is always the method used.
 */
import { formatNumber, formatPercent, formatTimePoint } from './format.ts';
import { DEFAULT_CONVENTION, yearFraction, type TimePoint, type YearConvention } from './quarters.ts';
import { assertObservation, meetsTarget, type Observation, type TargetSpec } from './status.ts';

/** How the trend is extrapolated. */
export type ForecastMethod = 'cagr' | 'linear';

/** Why no forecast was made. */
export type ForecastRefusal = 'TOO_FEW_POINTS' | 'NO_TIME_SPAN' | 'CAGR_UNDEFINED';

/** A forecast with the figures it was made from. */
export interface Forecast {
  /** Forecast value, or null when refused. */
  value: number | null;
  at: TimePoint;
  method: ForecastMethod;
  /** The observations used: first and last for 'cagr', all for 'linear'. */
  basis: Observation[];
  /** Annual growth (fraction per year) for 'cagr', slope (units per year) for 'linear'. */
  rate: number | null;
  reason: ForecastRefusal | null;
  explanation_zh: string;
  explanation_en: string;
}

/** A forecast of a target's value at its deadline, compared with the target. */
export interface TargetForecast extends Forecast {
  /** True when the forecast meets the target in the desired direction; null when refused. */
  meets_target: boolean | null;
}

export interface ForecastOptions {
  method?: ForecastMethod;
  /** Points after this date are ignored. */
  as_of?: string;
  convention?: YearConvention;
}

const v = (x: number) => formatNumber(x, 4);
const yrs = (x: number) => formatNumber(x, 2);

interface Timed {
  o: Observation;
  t: number;
  i: number;
}

function timed(points: readonly Observation[], asOf: string | undefined, conv: YearConvention): Timed[] {
  const limit = asOf === undefined ? Infinity : yearFraction(asOf, conv);
  points.forEach((o, i) => assertObservation(o, `values[${i}]`));
  return points
    .map((o, i) => ({ o, t: yearFraction(o.at, conv), i }))
    .filter((p) => p.t <= limit + 1e-9)
    .sort((a, b) => a.t - b.t || a.i - b.i);
}

function refused(at: TimePoint, method: ForecastMethod, basis: Observation[], reason: ForecastRefusal): Forecast {
  const text: Record<ForecastRefusal, [string, string]> = {
    TOO_FEW_POINTS: ['观测值少于 2 个，无法外推趋势。', 'Fewer than two observations: no trend to extrapolate.'],
    NO_TIME_SPAN: ['所有观测值处于同一时点，无法外推趋势。', 'All observations are at the same time: no trend to extrapolate.'],
    CAGR_UNDEFINED: [
      '首个或最新观测值 ≤ 0，复合增长率无定义，不作复合增长外推（可改用线性方法）。',
      'The first or latest value is ≤ 0, so the compound growth rate is undefined and no CAGR forecast is made (the linear method may be used instead).',
    ],
  };
  return { value: null, at, method, basis, rate: null, reason, explanation_zh: text[reason][0], explanation_en: text[reason][1] };
}

/**
 * The value at `at` on the trend of `points` (values after options.as_of ignored). Refuses
 * with a reason rather than guessing; see the module comment.
 */
export function forecastAt(points: readonly Observation[], at: TimePoint, options: ForecastOptions = {}): Forecast {
  const method = options.method ?? 'cagr';
  const conv = options.convention ?? DEFAULT_CONVENTION;
  const ps = timed(points, options.as_of, conv);
  const tAt = yearFraction(at, conv);
  if (ps.length < 2) return refused(at, method, ps.map((p) => p.o), 'TOO_FEW_POINTS');
  const first = ps[0];
  // Among points sharing the latest time the later input wins, as in the status measure.
  const last = ps[ps.length - 1];
  if (last.t - first.t <= 1e-9) return refused(at, method, ps.map((p) => p.o), 'NO_TIME_SPAN');

  if (method === 'cagr') {
    const basis = [first.o, last.o];
    if (!(first.o.value > 0) || !(last.o.value > 0)) return refused(at, method, basis, 'CAGR_UNDEFINED');
    const span = last.t - first.t;
    const g = Math.pow(last.o.value / first.o.value, 1 / span) - 1;
    const ahead = tAt - last.t;
    const value = last.o.value * Math.pow(1 + g, ahead);
    return {
      value,
      at,
      method,
      basis,
      rate: g,
      reason: null,
      explanation_zh:
        `按 ${formatTimePoint(first.o.at, 'zh')}（${v(first.o.value)}）至 ${formatTimePoint(last.o.at, 'zh')}（${v(last.o.value)}）的年均复合增长率 ` +
        `(${v(last.o.value)}/${v(first.o.value)})^(1/${yrs(span)}) − 1 = ${formatPercent(g)} 外推 ${yrs(ahead)} 年：` +
        `${v(last.o.value)} × (1 + ${formatPercent(g)})^${yrs(ahead)} = ${v(value)}，预计${formatTimePoint(at, 'zh')}为 ${v(value)}。`,
      explanation_en:
        `Compound growth from ${formatTimePoint(first.o.at, 'en')} (${v(first.o.value)}) to ${formatTimePoint(last.o.at, 'en')} (${v(last.o.value)}), ` +
        `(${v(last.o.value)}/${v(first.o.value)})^(1/${yrs(span)}) − 1 = ${formatPercent(g)}/yr, extrapolated ${yrs(ahead)} years: ` +
        `${v(last.o.value)} × (1 + ${formatPercent(g)})^${yrs(ahead)} = ${v(value)} expected by ${formatTimePoint(at, 'en')}.`,
    };
  }

  // Centre the times before fitting: years near 2025 squared lose digits otherwise.
  const n = ps.length;
  const tMean = ps.reduce((s, p) => s + p.t, 0) / n;
  const yMean = ps.reduce((s, p) => s + p.o.value, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of ps) {
    sxy += (p.t - tMean) * (p.o.value - yMean);
    sxx += (p.t - tMean) ** 2;
  }
  const slope = sxy / sxx;
  const value = yMean + slope * (tAt - tMean);
  return {
    value,
    at,
    method,
    basis: ps.map((p) => p.o),
    rate: slope,
    reason: null,
    explanation_zh:
      `按 ${n} 个观测值（${formatTimePoint(first.o.at, 'zh')}至${formatTimePoint(last.o.at, 'zh')}）的最小二乘直线外推：` +
      `斜率 ${v(slope)}/年，预计${formatTimePoint(at, 'zh')}为 ${v(value)}。`,
    explanation_en:
      `Least-squares line through ${n} observations (${formatTimePoint(first.o.at, 'en')} to ${formatTimePoint(last.o.at, 'en')}): ` +
      `slope ${v(slope)}/yr, ${v(value)} expected by ${formatTimePoint(at, 'en')}.`,
  };
}

/**
 * The series a target's trend is read from: its baseline, then the values after the baseline
 * time up to `as_of`, oldest first — the same points the status measure looks at.
 */
export function targetSeries(
  spec: Pick<TargetSpec, 'baseline'>,
  observations: readonly Observation[],
  options: { as_of?: string; convention?: YearConvention } = {},
): Observation[] {
  const conv = options.convention ?? DEFAULT_CONVENTION;
  const after = spec.baseline ? yearFraction(spec.baseline.at, conv) : -Infinity;
  const later = timed(observations, options.as_of, conv).filter((p) => p.t > after + 1e-9);
  return [...(spec.baseline ? [spec.baseline] : []), ...later.map((p) => p.o)];
}

/**
 * Forecast of a target's value at its target time on the trend from its baseline, and whether
 * that forecast meets the target. Null when the target has no quantitative value.
 */
export function forecastTarget(
  spec: TargetSpec,
  observations: readonly Observation[],
  options: ForecastOptions = {},
): TargetForecast | null {
  if (!spec.target) return null;
  const f = forecastAt(targetSeries(spec, observations, options), spec.target.at, options);
  if (f.value === null) return { ...f, meets_target: null };
  const meets = meetsTarget(f.value, spec.target.value, spec.direction);
  const t = `${v(spec.target.value)}`;
  return {
    ...f,
    meets_target: meets,
    explanation_zh: `${f.explanation_zh}${meets ? '达到' : '未达到'}目标值 ${t}。`,
    explanation_en: `${f.explanation_en} This ${meets ? 'meets' : 'misses'} the target of ${t}.`,
  };
}
