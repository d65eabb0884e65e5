/**
 * Progress status of a plan target — Statistics Canada's progress measure as Open SDG
 * (sdg-build `ProgressMeasure.py`) implements it, plus the edge cases an action plan meets.
 *
 * With a quantitative target (measure 'ratio_to_target'):
 *   CAGR_obs = (y_latest / y_0)^(1 / (t_latest − t_0)) − 1        observed
 *   CAGR_req = (y_T / y_0)^(1 / (t_T − t_0)) − 1                  required to meet the target on time
 *   R        = d · CAGR_obs / |CAGR_req|,  d = +1 (正向, increase desired) or −1 (负向, decrease desired)
 *   achieved when y_latest ≥ y_T (increase) / ≤ y_T (decrease), whatever R is; else
 *   R ≥ 0.95 on_track · 0.60 ≤ R < 0.95 acceleration_needed · 0 ≤ R < 0.60 limited · R < 0 deterioration.
 * R is StatCan's published form. Open SDG computes CAGR_obs / CAGR_req, which is the same number
 * whenever the target lies on the desired side of the baseline; the signed form also stays right
 * when it does not (baseline already past the target, then slipping back: R < 0, deterioration).
 *
 * Without a quantitative target (measure 'growth_without_target'): g = d · CAGR_obs against the
 * growth thresholds: g ≥ 1.5 % on_track · 0.5 % ≤ g < 1.5 % acceleration_needed ·
 * 0 ≤ g < 0.5 % limited · g < 0 deterioration ('achieved' cannot occur: there is nothing to achieve).
 *
 * Method 'linear_ratio' replaces the compound rates by straight-line ones, in units per year:
 * obs = (y_latest − y_0)/(t_latest − t_0), req = (y_T − y_0)/(t_T − t_0), R = d·obs/|req|; without
 * a target the growth compared with the thresholds is the linear change relative to the
 * baseline, (y_latest − y_0)/(|y_0|·(t_latest − t_0)).
 *
 * Edge cases (each names the reason or note code it reports):
 *   - No baseline: no_data (NO_BASELINE) — unless a reported value already meets the target,
 *     which is 'achieved' (the comparison needs no baseline; a bureau that imports the plan
 *     without baselines should still see met targets as met).
 *   - Baseline later than the as-of date: no_data (BASELINE_AFTER_AS_OF).
 *   - No value after the baseline (only values at or before the baseline time, or none up to
 *     the as-of date; "latest year == baseline year" is this case): no_data
 *     (NO_VALUE_AFTER_BASELINE). The baseline itself is never the latest value, even when it
 *     already meets the target (note BASELINE_MEETS_TARGET in the explanation).
 *   - Span shorter than config.min_years_observed (default 0; Open SDG uses 1): no_data (TOO_SHORT).
 *   - Latest value meets or passes the target in the desired direction: achieved, checked before
 *     any rate. A value that met the target earlier but has slipped back is judged on R.
 *   - Target time not after the baseline time: no_data (TARGET_NOT_AFTER_BASELINE).
 *   - CAGR undefined — baseline ≤ 0, target ≤ 0 or latest < 0 (a latest value of 0 is a
 *     defined −100 %/yr): the linear rates are used instead, method reports 'linear_ratio', note
 *     CAGR_UNDEFINED_LINEAR_USED. Open SDG substitutes 0.001 for a zero; for counts that start
 *     at zero (e.g. institutions "cultivated" since the plan began) that makes any growth look
 *     astronomical, so the straight line is the more defensible fallback. Without a target and
 *     with a zero baseline no relative growth exists: no_data (GROWTH_UNDEFINED).
 *   - Target equal to baseline: the required rate is 0 and R is undefined (ratio null); since
 *     achieved was checked first, the latest value has moved the wrong way: deterioration
 *     (note TARGET_EQUALS_BASELINE).
 *   - Target year already past (the latest value dates from the target time or later, or the
 *     as-of date is after it) and not achieved: R is computed as usual but 'on_track' is
 *     demoted to 'acceleration_needed' — a target that was missed is not on track
 *     (note DEADLINE_PASSED; field deadline_passed).
 *   - Direction 'decrease' (负向): achieved when latest ≤ target, d = −1.
 *   - Values at the same time: the later one in input order wins (a correction supersedes).
 *   - Threshold comparisons allow 1e−9 so that a ratio hand-computed as exactly 95 % is not
 *     lost to binary floating point (0.9499999999999999 counts as 0.95).
 */
import { badRequest } from '../../../errors.ts';
import { formatNumber, formatPercent, formatTimePoint } from './format.ts';
import { DEFAULT_CONVENTION, yearFraction, type TimePoint, type YearConvention } from './quarters.ts';

/** Desired direction of an indicator: 正向 'increase' or 负向 'decrease'. */
export type Direction = 'increase' | 'decrease';

/** The six statuses of the status board and the `plan status` CLI. */
export type ProgressStatus = 'achieved' | 'on_track' | 'acceleration_needed' | 'limited' | 'deterioration' | 'no_data';

/** How observed and required rates are measured. */
export type ProgressMethod = 'cagr_ratio' | 'linear_ratio';

/** Lower bounds of the three upper bands; anything below `limited` is deterioration. */
export interface Thresholds {
  on_track: number;
  acceleration_needed: number;
  limited: number;
}

/** Per-plan settings of the progress measure. */
export interface ProgressConfig {
  method: ProgressMethod;
  /** Bands for R when the target is quantitative. */
  ratio_thresholds: Thresholds;
  /** Bands for the direction-signed annual growth when there is no quantitative target. */
  growth_thresholds: Thresholds;
  convention: YearConvention;
  /** Minimum years between baseline and latest value; shorter spans are no_data. */
  min_years_observed: number;
}

/** A value at a time. */
export interface Observation {
  at: TimePoint;
  value: number;
}

/** What the status of one target is computed from. */
export interface TargetSpec {
  indicator?: string;
  unit?: string;
  direction: Direction;
  baseline: Observation | null;
  /** Null when the plan gives no quantitative target for the indicator. */
  target: Observation | null;
}

/** Why a status is no_data. */
export type StatusReason =
  | 'NO_BASELINE'
  | 'BASELINE_AFTER_AS_OF'
  | 'NO_VALUE_AFTER_BASELINE'
  | 'TOO_SHORT'
  | 'TARGET_NOT_AFTER_BASELINE'
  | 'GROWTH_UNDEFINED';

/** Facts an evaluator should know about how a status was reached. */
export type StatusNote = 'CAGR_UNDEFINED_LINEAR_USED' | 'TARGET_EQUALS_BASELINE' | 'DEADLINE_PASSED' | 'BASELINE_MEETS_TARGET';

/** The status of one target with every figure used to reach it. */
export interface TargetStatus {
  status: ProgressStatus;
  /** R, or null when there is no target, the target is achieved, or R is undefined. */
  ratio: number | null;
  /** Observed annual rate (fraction per year for CAGR, units per year for linear with a target). */
  observed_rate: number | null;
  /** Annual rate required to reach the target on time (same unit as observed_rate). */
  required_rate: number | null;
  /** The method actually applied (may differ from the configured one, see notes). */
  method: ProgressMethod;
  requested_method: ProgressMethod;
  measure: 'ratio_to_target' | 'growth_without_target';
  rate_unit: 'fraction_per_year' | 'units_per_year' | null;
  /** The number compared with the thresholds: R, or the direction-signed growth without target. */
  assessed_value: number | null;
  thresholds: Thresholds | null;
  baseline: Observation | null;
  latest: Observation | null;
  target: Observation | null;
  years_observed: number | null;
  years_to_target: number | null;
  deadline_passed: boolean;
  reason: StatusReason | null;
  notes: StatusNote[];
  explanation_zh: string;
  explanation_en: string;
}

export const DEFAULT_RATIO_THRESHOLDS: Readonly<Thresholds> = Object.freeze({ on_track: 0.95, acceleration_needed: 0.6, limited: 0 });
export const DEFAULT_GROWTH_THRESHOLDS: Readonly<Thresholds> = Object.freeze({ on_track: 0.015, acceleration_needed: 0.005, limited: 0 });

/** Labels of the statuses, Chinese and English. */
export const STATUS_LABELS: Readonly<Record<ProgressStatus, { zh: string; en: string }>> = Object.freeze({
  achieved: { zh: '已实现目标', en: 'target achieved' },
  on_track: { zh: '进展顺利，有望按期实现', en: 'on track' },
  acceleration_needed: { zh: '取得进展但需加快', en: 'progress made but acceleration needed' },
  limited: { zh: '进展有限', en: 'limited progress' },
  deterioration: { zh: '出现倒退', en: 'deterioration' },
  no_data: { zh: '无数据，无法评估', en: 'no data, unable to assess' },
});

/** Order of the statuses from worst to best (no_data apart), for sorting and monotonicity. */
export const STATUS_RANK: Readonly<Record<ProgressStatus, number>> = Object.freeze({
  no_data: -1,
  deterioration: 0,
  limited: 1,
  acceleration_needed: 2,
  on_track: 3,
  achieved: 4,
});

const EPS = 1e-9;

const invalidConfig = (zh: string, en: string, field: string) =>
  badRequest('PLAN_PROGRESS_CONFIG_INVALID', zh, en, [{ field }]);

function checkThresholds(t: Thresholds, field: string): Thresholds {
  const vals = [t.on_track, t.acceleration_needed, t.limited];
  if (!vals.every(Number.isFinite)) throw invalidConfig('进度阈值必须是有限数值', 'Progress thresholds must be finite numbers', field);
  if (!(t.on_track >= t.acceleration_needed && t.acceleration_needed >= t.limited))
    throw invalidConfig(
      '进度阈值须满足 按期 ≥ 需加快 ≥ 有限',
      'Progress thresholds must satisfy on_track ≥ acceleration_needed ≥ limited',
      field,
    );
  return { on_track: t.on_track, acceleration_needed: t.acceleration_needed, limited: t.limited };
}

/**
 * A complete, validated configuration from a plan's partial settings (defaults: cagr_ratio,
 * 95 % / 60 % / 0, 1.5 % / 0.5 % / 0, reporting_months, no minimum span).
 * Throws PLAN_PROGRESS_CONFIG_INVALID on unordered or non-finite thresholds or an unknown method.
 */
export function resolveProgressConfig(partial: Partial<ProgressConfig> = {}): ProgressConfig {
  const method = partial.method ?? 'cagr_ratio';
  if (method !== 'cagr_ratio' && method !== 'linear_ratio')
    throw invalidConfig(`未知的进度计算方法：${String(method)}`, `Unknown progress method: ${String(method)}`, 'method');
  const convention = partial.convention ?? DEFAULT_CONVENTION;
  if (convention !== 'reporting_months' && convention !== 'actual_365_25')
    throw invalidConfig(`未知的年份折算方法：${String(convention)}`, `Unknown year convention: ${String(convention)}`, 'convention');
  const min = partial.min_years_observed ?? 0;
  if (!Number.isFinite(min) || min < 0)
    throw invalidConfig('最短观测年限须为非负数', 'min_years_observed must be a non-negative number', 'min_years_observed');
  return {
    method,
    convention,
    min_years_observed: min,
    ratio_thresholds: checkThresholds(partial.ratio_thresholds ?? DEFAULT_RATIO_THRESHOLDS, 'ratio_thresholds'),
    growth_thresholds: checkThresholds(partial.growth_thresholds ?? DEFAULT_GROWTH_THRESHOLDS, 'growth_thresholds'),
  };
}

/** The band a value falls in (lower bounds inclusive, with a 1e−9 allowance for floating point). */
export function classify(value: number, t: Thresholds): Exclude<ProgressStatus, 'achieved' | 'no_data'> {
  if (value + EPS >= t.on_track) return 'on_track';
  if (value + EPS >= t.acceleration_needed) return 'acceleration_needed';
  if (value + EPS >= t.limited) return 'limited';
  return 'deterioration';
}

/** True when a value meets the target in the desired direction. */
export function meetsTarget(value: number, target: number, direction: Direction): boolean {
  return direction === 'increase' ? value >= target : value <= target;
}

/** Compound annual growth rate from v0 to v1 over `years`; null where undefined (v0 ≤ 0, v1 < 0, years ≤ 0). */
export function cagr(v0: number, v1: number, years: number): number | null {
  if (!(v0 > 0) || v1 < 0 || !(years > 0)) return null;
  return Math.pow(v1 / v0, 1 / years) - 1;
}

/** Straight-line annual change from v0 to v1 over `years`; null when years ≤ 0. */
export function linearRate(v0: number, v1: number, years: number): number | null {
  if (!(years > 0)) return null;
  return (v1 - v0) / years;
}

/** Throws PLAN_VALUE_INVALID / PLAN_TIME_INVALID when an observation's value or time is unusable. */
export function assertObservation(o: Observation, field: string): void {
  if (!Number.isFinite(o.value))
    throw badRequest('PLAN_VALUE_INVALID', `${field} 的数值无效：${String(o.value)}`, `${field} has an invalid value: ${String(o.value)}`, [
      { field },
    ]);
  yearFraction(o.at); // throws PLAN_TIME_INVALID on a bad date
}

interface Ctx {
  spec: TargetSpec;
  cfg: ProgressConfig;
}

function base(ctx: Ctx): Omit<TargetStatus, 'status' | 'explanation_zh' | 'explanation_en'> {
  return {
    ratio: null,
    observed_rate: null,
    required_rate: null,
    method: ctx.cfg.method,
    requested_method: ctx.cfg.method,
    measure: ctx.spec.target ? 'ratio_to_target' : 'growth_without_target',
    rate_unit: null,
    assessed_value: null,
    thresholds: null,
    baseline: ctx.spec.baseline,
    latest: null,
    target: ctx.spec.target,
    years_observed: null,
    years_to_target: null,
    deadline_passed: false,
    reason: null,
    notes: [],
  };
}

const v = (x: number) => formatNumber(x, 4);
const yrs = (x: number) => formatNumber(x, 2);
/** A value as the right-hand operand of a subtraction: negatives in parentheses. */
const op = (x: number) => (x < 0 ? `(${v(x)})` : v(x));
const tp = (p: TimePoint, lang: 'zh' | 'en') => formatTimePoint(p, lang);
const unitZh = (spec: TargetSpec) => spec.unit ?? '';
const unitEn = (spec: TargetSpec) => (spec.unit ? ` ${spec.unit}` : '');
const prefixZh = (spec: TargetSpec) => (spec.indicator ? `${spec.indicator}：` : '');
const prefixEn = (spec: TargetSpec) => (spec.indicator ? `${spec.indicator}: ` : '');
const dirZh = (d: Direction) => (d === 'increase' ? '正向指标（越大越好，d = +1）' : '负向指标（越小越好，d = -1）');
const dirEn = (d: Direction) => (d === 'increase' ? 'increase desired (d = +1)' : 'decrease desired (d = -1)');

function bandZh(status: ProgressStatus, t: Thresholds, fmt: (x: number) => string): string {
  switch (status) {
    case 'on_track':
      return `不低于 ${fmt(t.on_track)}`;
    case 'acceleration_needed':
      return `在 ${fmt(t.acceleration_needed)}（含）至 ${fmt(t.on_track)} 之间`;
    case 'limited':
      return `在 ${fmt(t.limited)}（含）至 ${fmt(t.acceleration_needed)} 之间`;
    default:
      return `低于 ${fmt(t.limited)}`;
  }
}

function bandEn(status: ProgressStatus, t: Thresholds, fmt: (x: number) => string): string {
  switch (status) {
    case 'on_track':
      return `at least ${fmt(t.on_track)}`;
    case 'acceleration_needed':
      return `in [${fmt(t.acceleration_needed)}, ${fmt(t.on_track)})`;
    case 'limited':
      return `in [${fmt(t.limited)}, ${fmt(t.acceleration_needed)})`;
    default:
      return `below ${fmt(t.limited)}`;
  }
}

function noData(ctx: Ctx, reason: StatusReason, zh: string, en: string, extra: Partial<TargetStatus> = {}): TargetStatus {
  return {
    ...base(ctx),
    ...extra,
    status: 'no_data',
    reason,
    explanation_zh: `${prefixZh(ctx.spec)}${zh}状态：${STATUS_LABELS.no_data.zh}。`,
    explanation_en: `${prefixEn(ctx.spec)}${en} Status: ${STATUS_LABELS.no_data.en}.`,
  };
}

/** The most recent observation after `afterTau` (exclusive) and up to `asOfTau`; later input wins ties. */
function latestObservation(obs: readonly Observation[], afterTau: number, asOfTau: number, conv: YearConvention): Observation | null {
  let best: Observation | null = null;
  let bestTau = -Infinity;
  for (const o of obs) {
    const t = yearFraction(o.at, conv);
    if (t <= afterTau + EPS || t > asOfTau + EPS) continue;
    if (t >= bestTau) {
      best = o;
      bestTau = t;
    }
  }
  return best;
}

/**
 * The progress status of one target from its baseline, target and reported values, as of a
 * date (values after `as_of` are ignored; without `as_of` all values count). See the module
 * comment for the formulas and for the rule applied in each edge case.
 */
export function computeTargetStatus(
  spec: TargetSpec,
  observations: readonly Observation[],
  options: { config?: Partial<ProgressConfig>; as_of?: string } = {},
): TargetStatus {
  const cfg = resolveProgressConfig(options.config);
  const ctx: Ctx = { spec, cfg };
  const conv = cfg.convention;
  if (spec.direction !== 'increase' && spec.direction !== 'decrease')
    throw badRequest('PLAN_DIRECTION_INVALID', `指标方向无效：${String(spec.direction)}`, `Invalid direction: ${String(spec.direction)}`, [
      { field: 'direction' },
    ]);
  observations.forEach((o, i) => assertObservation(o, `values[${i}]`));
  if (spec.baseline) assertObservation(spec.baseline, 'baseline');
  if (spec.target) assertObservation(spec.target, 'target');
  const asOfTau = options.as_of === undefined ? Infinity : yearFraction(options.as_of, conv);
  const asOfZh = options.as_of ? `截至 ${options.as_of}` : '';
  const asOfEn = options.as_of ? ` up to ${options.as_of}` : '';
  const d = spec.direction === 'increase' ? 1 : -1;
  const { baseline, target } = spec;

  if (!baseline) {
    const latest = latestObservation(observations, -Infinity, asOfTau, conv);
    if (target && latest && meetsTarget(latest.value, target.value, spec.direction))
      return achieved(ctx, latest, { baseline: null });
    return noData(ctx, 'NO_BASELINE', '未设定基线值和基线年份，无法计算增速。', 'No baseline value and year, so no rate can be computed.', {
      latest,
    });
  }

  const t0 = yearFraction(baseline.at, conv);
  if (t0 > asOfTau + EPS)
    return noData(
      ctx,
      'BASELINE_AFTER_AS_OF',
      `基线时点（${tp(baseline.at, 'zh')}）晚于评估日期（${options.as_of}）。`,
      `The baseline (${tp(baseline.at, 'en')}) is later than the as-of date (${options.as_of}).`,
    );

  const latest = latestObservation(observations, t0, asOfTau, conv);
  if (!latest) {
    const meets = target !== null && meetsTarget(baseline.value, target.value, spec.direction);
    return noData(
      ctx,
      'NO_VALUE_AFTER_BASELINE',
      `基线（${tp(baseline.at, 'zh')}，${v(baseline.value)}${unitZh(spec)}）之后${asOfZh}没有新的数值${
        meets ? '（基线值已达到目标值，但须有基线之后的数值才能确认）' : ''
      }。`,
      `No value after the baseline (${v(baseline.value)}${unitEn(spec)} in ${tp(baseline.at, 'en')})${asOfEn}${
        meets ? ' (the baseline already meets the target, but a later value is needed to confirm it)' : ''
      }.`,
      meets ? { notes: ['BASELINE_MEETS_TARGET'] } : {},
    );
  }

  const t1 = yearFraction(latest.at, conv);
  const dt = t1 - t0;
  if (target && meetsTarget(latest.value, target.value, spec.direction)) return achieved(ctx, latest, { years_observed: dt });

  if (dt + EPS < cfg.min_years_observed)
    return noData(
      ctx,
      'TOO_SHORT',
      `基线至最新值仅 ${yrs(dt)} 年，短于设定的最短观测期 ${yrs(cfg.min_years_observed)} 年。`,
      `Only ${yrs(dt)} years between baseline and latest value, less than the minimum of ${yrs(cfg.min_years_observed)}.`,
      { latest, years_observed: dt },
    );

  return target ? withTarget(ctx, latest, t0, t1, asOfTau, d) : withoutTarget(ctx, latest, dt, d);
}

function achieved(ctx: Ctx, latest: Observation, extra: Partial<TargetStatus>): TargetStatus {
  const { spec } = ctx;
  const target = spec.target as Observation;
  const cmpZh = spec.direction === 'increase' ? '≥' : '≤';
  return {
    ...base(ctx),
    ...extra,
    status: 'achieved',
    latest,
    explanation_zh:
      `${prefixZh(spec)}最新值 ${v(latest.value)}${unitZh(spec)}（${tp(latest.at, 'zh')}）${cmpZh} 目标值 ${v(target.value)}${unitZh(spec)}` +
      `（${tp(target.at, 'zh')}），${dirZh(spec.direction)}，目标已实现。状态：${STATUS_LABELS.achieved.zh}。`,
    explanation_en:
      `${prefixEn(spec)}The latest value ${v(latest.value)}${unitEn(spec)} (${tp(latest.at, 'en')}) ${cmpZh} the target ` +
      `${v(target.value)}${unitEn(spec)} (${tp(target.at, 'en')}), ${dirEn(spec.direction)}. Status: ${STATUS_LABELS.achieved.en}.`,
  };
}

function withTarget(ctx: Ctx, latest: Observation, t0: number, t1: number, asOfTau: number, d: 1 | -1): TargetStatus {
  const { spec, cfg } = ctx;
  const baseline = spec.baseline as Observation;
  const target = spec.target as Observation;
  const conv = cfg.convention;
  const tT = yearFraction(target.at, conv);
  const dt = t1 - t0;
  const dT = tT - t0;
  if (dT <= EPS)
    return noData(
      ctx,
      'TARGET_NOT_AFTER_BASELINE',
      `目标时点（${tp(target.at, 'zh')}）不晚于基线时点（${tp(baseline.at, 'zh')}），无法计算所需增速。`,
      `The target time (${tp(target.at, 'en')}) is not after the baseline (${tp(baseline.at, 'en')}), so no required rate exists.`,
      { latest, years_observed: dt },
    );

  const notes: StatusNote[] = [];
  let method = cfg.method;
  let fallbackZh = '';
  let fallbackEn = '';
  if (method === 'cagr_ratio' && (baseline.value <= 0 || target.value <= 0 || latest.value < 0)) {
    method = 'linear_ratio';
    notes.push('CAGR_UNDEFINED_LINEAR_USED');
    const why: Array<[string, string]> = [];
    if (baseline.value <= 0) why.push([`基线值为 ${v(baseline.value)}`, `the baseline is ${v(baseline.value)}`]);
    if (target.value <= 0) why.push([`目标值为 ${v(target.value)}`, `the target is ${v(target.value)}`]);
    if (latest.value < 0) why.push([`最新值为 ${v(latest.value)}`, `the latest value is ${v(latest.value)}`]);
    fallbackZh = `${why.map((w) => w[0]).join('、')}，复合增长率无定义，改用线性年均变化。`;
    const whyEn = why.map((w) => w[1]).join(' and ');
    fallbackEn = `${whyEn.charAt(0).toUpperCase()}${whyEn.slice(1)}, so the compound rate is undefined; straight-line rates are used instead. `;
  }

  let obs: number;
  let req: number;
  let obsZh: string;
  let obsEn: string;
  let reqZh: string;
  let reqEn: string;
  const u = unitZh(spec);
  const ue = unitEn(spec);
  if (method === 'cagr_ratio') {
    obs = cagr(baseline.value, latest.value, dt) as number;
    req = cagr(baseline.value, target.value, dT) as number;
    obsZh = `实际年均复合增长率 (${v(latest.value)}/${v(baseline.value)})^(1/${yrs(dt)}) − 1 = ${formatPercent(obs)}`;
    obsEn = `observed CAGR (${v(latest.value)}/${v(baseline.value)})^(1/${yrs(dt)}) − 1 = ${formatPercent(obs)}/yr`;
    reqZh = `所需年均复合增长率 (${v(target.value)}/${v(baseline.value)})^(1/${yrs(dT)}) − 1 = ${formatPercent(req)}`;
    reqEn = `a CAGR of (${v(target.value)}/${v(baseline.value)})^(1/${yrs(dT)}) − 1 = ${formatPercent(req)}/yr`;
  } else {
    obs = linearRate(baseline.value, latest.value, dt) as number;
    req = linearRate(baseline.value, target.value, dT) as number;
    obsZh = `实际年均变化 (${v(latest.value)} − ${op(baseline.value)})/${yrs(dt)} = ${v(obs)}${u}/年`;
    obsEn = `observed change (${v(latest.value)} − ${op(baseline.value)})/${yrs(dt)} = ${v(obs)}${ue}/yr`;
    reqZh = `所需年均变化 (${v(target.value)} − ${op(baseline.value)})/${yrs(dT)} = ${v(req)}${u}/年`;
    reqEn = `a change of (${v(target.value)} − ${op(baseline.value)})/${yrs(dT)} = ${v(req)}${ue}/yr`;
  }

  // Without an as-of date only the data can show the deadline has passed.
  const deadlinePassed = t1 >= tT - EPS || (Number.isFinite(asOfTau) && asOfTau > tT + EPS);
  if (deadlinePassed) notes.push('DEADLINE_PASSED');
  const common = {
    ...base(ctx),
    method,
    latest,
    observed_rate: obs,
    required_rate: req,
    rate_unit: method === 'cagr_ratio' ? ('fraction_per_year' as const) : ('units_per_year' as const),
    thresholds: cfg.ratio_thresholds,
    years_observed: dt,
    years_to_target: dT,
    deadline_passed: deadlinePassed,
    notes,
  };
  const head =
    `${prefixZh(spec)}${fallbackZh}基线 ${v(baseline.value)}${u}（${tp(baseline.at, 'zh')}）→ 最新值 ${v(latest.value)}${u}` +
    `（${tp(latest.at, 'zh')}），历时 ${yrs(dt)} 年，${obsZh}；要在${tp(target.at, 'zh')}达到目标值 ${v(target.value)}${u}` +
    `（${yrs(dT)} 年），${reqZh}；${dirZh(spec.direction)}`;
  const headEn =
    `${prefixEn(spec)}${fallbackEn}Baseline ${v(baseline.value)}${ue} (${tp(baseline.at, 'en')}) → latest ${v(latest.value)}${ue} ` +
    `(${tp(latest.at, 'en')}) over ${yrs(dt)} years: ${obsEn}; reaching ${v(target.value)}${ue} by ${tp(target.at, 'en')} ` +
    `(${yrs(dT)} years) needs ${reqEn}; ${dirEn(spec.direction)}`;

  if (req === 0) {
    // Target equals baseline: nothing had to change, yet the latest value no longer meets it.
    notes.push('TARGET_EQUALS_BASELINE');
    return {
      ...common,
      status: 'deterioration',
      explanation_zh: `${head}。目标值等于基线值，所需增速为 0，比值 R 无定义；最新值未达到目标，说明指标向不利方向变化。状态：${STATUS_LABELS.deterioration.zh}。`,
      explanation_en: `${headEn}. The target equals the baseline, so the required rate is 0 and R is undefined; the latest value misses the target, i.e. it moved the wrong way. Status: ${STATUS_LABELS.deterioration.en}.`,
    };
  }

  const ratio = (d * obs) / Math.abs(req);
  const t = cfg.ratio_thresholds;
  const fmtT = (x: number) => formatPercent(x);
  const tList = [t.on_track, t.acceleration_needed, t.limited];
  let status: ProgressStatus = classify(ratio, t);
  const byRatio = status;
  const obsShown = method === 'cagr_ratio' ? formatPercent(obs) : v(obs);
  const reqShown = method === 'cagr_ratio' ? formatPercent(Math.abs(req)) : v(Math.abs(req));
  const ratioZh = `R = d × 实际 ÷ |所需| = ${d > 0 ? '+1' : '-1'} × ${obsShown} ÷ ${reqShown} = ${formatPercent(ratio, tList)}，${bandZh(byRatio, t, fmtT)}`;
  const ratioEn = `R = d × observed ÷ |required| = ${d > 0 ? '+1' : '-1'} × ${obsShown} ÷ ${reqShown} = ${formatPercent(ratio, tList)}, ${bandEn(byRatio, t, fmtT)}`;
  let lateZh = '';
  let lateEn = '';
  if (deadlinePassed) {
    lateZh = `目标时点（${tp(target.at, 'zh')}）已过而目标未实现`;
    lateEn = `The target date (${tp(target.at, 'en')}) has passed without the target being met`;
    if (status === 'on_track') {
      status = 'acceleration_needed';
      lateZh += '，不能评为“进展顺利”，降为“需加快”';
      lateEn += ', so it cannot be on track and is shown as needing acceleration';
    }
    lateZh += '。';
    lateEn += '. ';
  }
  return {
    ...common,
    status,
    ratio,
    assessed_value: ratio,
    explanation_zh: `${head}，${ratioZh}。${lateZh}状态：${STATUS_LABELS[status].zh}。`,
    explanation_en: `${headEn}; ${ratioEn}. ${lateEn}Status: ${STATUS_LABELS[status].en}.`,
  };
}

function withoutTarget(ctx: Ctx, latest: Observation, dt: number, d: 1 | -1): TargetStatus {
  const { spec, cfg } = ctx;
  const baseline = spec.baseline as Observation;
  const notes: StatusNote[] = [];
  let method = cfg.method;
  if (method === 'cagr_ratio' && (baseline.value <= 0 || latest.value < 0)) {
    method = 'linear_ratio';
    notes.push('CAGR_UNDEFINED_LINEAR_USED');
  }
  if (method === 'linear_ratio' && baseline.value === 0)
    return noData(
      ctx,
      'GROWTH_UNDEFINED',
      `无量化目标，且基线值为 0，相对增长率无定义。`,
      `There is no quantitative target and the baseline is 0, so no relative growth rate exists.`,
      { latest, years_observed: dt, method, notes },
    );

  let rate: number;
  let rateZh: string;
  let rateEn: string;
  if (method === 'cagr_ratio') {
    rate = cagr(baseline.value, latest.value, dt) as number;
    rateZh = `年均复合增长率 (${v(latest.value)}/${v(baseline.value)})^(1/${yrs(dt)}) − 1 = ${formatPercent(rate)}`;
    rateEn = `CAGR (${v(latest.value)}/${v(baseline.value)})^(1/${yrs(dt)}) − 1 = ${formatPercent(rate)}/yr`;
  } else {
    rate = (latest.value - baseline.value) / (Math.abs(baseline.value) * dt);
    const fb = notes.length ? '（复合增长率无定义，改用线性）' : '';
    const fbEn = notes.length ? ' (compound rate undefined, straight line used)' : '';
    rateZh = `线性年均增长率${fb} (${v(latest.value)} − ${op(baseline.value)})/(|${v(baseline.value)}| × ${yrs(dt)}) = ${formatPercent(rate)}`;
    rateEn = `linear growth${fbEn} (${v(latest.value)} − ${op(baseline.value)})/(|${v(baseline.value)}| × ${yrs(dt)}) = ${formatPercent(rate)}/yr`;
  }
  const g = d * rate;
  const t = cfg.growth_thresholds;
  const status = classify(g, t);
  const fmtT = (x: number) => formatPercent(x);
  const u = unitZh(spec);
  const ue = unitEn(spec);
  return {
    ...base(ctx),
    status,
    method,
    notes,
    latest,
    observed_rate: rate,
    rate_unit: 'fraction_per_year',
    assessed_value: g,
    thresholds: t,
    years_observed: dt,
    explanation_zh:
      `${prefixZh(spec)}无量化目标：基线 ${v(baseline.value)}${u}（${tp(baseline.at, 'zh')}）→ 最新值 ${v(latest.value)}${u}（${tp(latest.at, 'zh')}），` +
      `历时 ${yrs(dt)} 年，${rateZh}；${dirZh(spec.direction)}，按方向计 g = ${formatPercent(g, [t.on_track, t.acceleration_needed, t.limited])}，` +
      `${bandZh(status, t, fmtT)}。状态：${STATUS_LABELS[status].zh}。`,
    explanation_en:
      `${prefixEn(spec)}No quantitative target: baseline ${v(baseline.value)}${ue} (${tp(baseline.at, 'en')}) → latest ${v(latest.value)}${ue} ` +
      `(${tp(latest.at, 'en')}) over ${yrs(dt)} years, ${rateEn}; ${dirEn(spec.direction)}, direction-signed g = ` +
      `${formatPercent(g, [t.on_track, t.acceleration_needed, t.limited])}, ${bandEn(status, t, fmtT)}. Status: ${STATUS_LABELS[status].en}.`,
  };
}
