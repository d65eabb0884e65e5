/**
 * Outlier treatment, following COINr's Treat() defaults exactly (JRC COIN approach):
 *
 * 1. An indicator passes when |skew| < 2 OR kurtosis < 3.5 (COINr's check_SkewKurt), with skew and
 *    kurtosis of e1071 type 2 (`stats.ts`); it is treated only when both are exceeded.
 * 2. Winsorisation: while failing and fewer than `winmax` distinct points have been changed, the
 *    extreme value on the side of the skew (high if skew ≥ 0, else low) — all tied copies of it —
 *    is replaced by the next value inwards; skew is recomputed after each step. The count of
 *    winsorised points is the number of distinct units changed, which is what COINr 1.1.14 reports
 *    (checked against ASEM_treatment_details.csv).
 * 3. If winsorising does not pass, COINr's log_CT transform is applied to the original values
 *    instead: log(x − min + 0.01·(max − min)).
 */
import { EngineError, warning } from './errors.ts';
import { kurtosis, present, skewness } from './stats.ts';
import type { Cell, DataTable, EngineWarning, StepResult, TreatParams, TreatSpec } from './types.ts';

export interface SkewKurtCheck {
  pass: boolean;
  skew: number | null;
  kurtosis: number | null;
}

export interface TreatmentDetail {
  indicator: string;
  /** Before treatment. */
  check0: SkewKurtCheck;
  /** Number of winsorised points (null when winsorisation was not attempted). */
  nwin: number | null;
  /** After winsorisation. */
  check1: SkewKurtCheck | null;
  /** 'logCT' when the fallback transform was used. */
  transform: 'logCT' | null;
  check2: SkewKurtCheck | null;
  /** Every changed point. */
  points: { unit: string; from: number; to: number; how: 'winhi' | 'winlo' | 'logCT' }[];
}

export interface TreatDiagnostics {
  details: TreatmentDetail[];
  treated: string[];
}

const DEFAULTS: Required<TreatParams> = { winmax: 5, skewThreshold: 2, kurtosisThreshold: 3.5, fallback: 'logCT' };

/** COINr's check_SkewKurt: pass if |skew| < threshold or kurtosis < threshold. */
export function checkSkewKurt(x: readonly Cell[], p: Pick<Required<TreatParams>, 'skewThreshold' | 'kurtosisThreshold'> = DEFAULTS): SkewKurtCheck {
  const v = present(x);
  const s = skewness(v);
  const k = kurtosis(v);
  if (!Number.isFinite(s) || !Number.isFinite(k)) return { pass: true, skew: Number.isFinite(s) ? s : null, kurtosis: Number.isFinite(k) ? k : null };
  return { pass: Math.abs(s) < p.skewThreshold || k < p.kurtosisThreshold, skew: s, kurtosis: k };
}

/** Winsorises one column the COINr way; returns the new column and the positions changed. */
export function winsorise(x: readonly Cell[], p: Required<TreatParams>): { x: Cell[]; nwin: number; changed: Map<number, 'winhi' | 'winlo'> } {
  const y = [...x];
  const changed = new Map<number, 'winhi' | 'winlo'>();
  let passing = checkSkewKurt(y, p).pass;
  while (!passing && changed.size < p.winmax) {
    const v = present(y);
    const high = skewness(v) >= 0;
    const extreme = high ? Math.max(...v) : Math.min(...v);
    const at: number[] = [];
    const rest: number[] = [];
    y.forEach((val, i) => {
      if (val === null) return;
      if (val === extreme) at.push(i);
      else rest.push(val);
    });
    if (rest.length === 0) break;
    const next = high ? Math.max(...rest) : Math.min(...rest);
    for (const i of at) {
      y[i] = next;
      if (!changed.has(i)) changed.set(i, high ? 'winhi' : 'winlo');
    }
    passing = checkSkewKurt(y, p).pass;
  }
  return { x: y, nwin: changed.size, changed };
}

/** COINr's log_CT: log(x − min + 0.01·(max − min)). */
export function logCT(x: readonly Cell[]): Cell[] {
  const v = present(x);
  const mn = Math.min(...v);
  const mx = Math.max(...v);
  return x.map((val) => (val === null ? null : Math.log(val - mn + 0.01 * (mx - mn))));
}

/** Treats each indicator column for outliers; the input table is not modified. */
export function treatOutliers(data: DataTable, spec: TreatSpec): StepResult<TreatDiagnostics> {
  const warnings: EngineWarning[] = [];
  const details: TreatmentDetail[] = [];
  const cols: Cell[][] = data.codes.map((_, j) => data.values.map((r) => r[j]));
  if (spec.method !== 'none' && spec.method !== 'winsorise') {
    throw new EngineError('UNKNOWN_METHOD', `未知的异常值处理方法：${String(spec.method)}`, `Unknown outlier treatment method: ${String(spec.method)}`, [{ field: 'treat', value: spec.method }]);
  }
  if (spec.method === 'none') {
    return { data: { ...data, codes: [...data.codes], values: data.values.map((r) => [...r]) }, diagnostics: { details, treated: [] }, warnings };
  }
  const base: Required<TreatParams> = {
    winmax: spec.winmax ?? DEFAULTS.winmax,
    skewThreshold: spec.skewThreshold ?? DEFAULTS.skewThreshold,
    kurtosisThreshold: spec.kurtosisThreshold ?? DEFAULTS.kurtosisThreshold,
    fallback: spec.fallback ?? DEFAULTS.fallback,
  };
  const out = cols.map((col, j) => {
    const code = data.codes[j];
    const own = spec.indicators?.[code];
    if (own === 'none') return col;
    const p: Required<TreatParams> = { ...base, ...(own ?? {}) };
    if (present(col).length < 4) {
      warnings.push(warning('TREAT_TOO_FEW_VALUES', `指标 ${code} 的有效取值少于 4 个，无法计算峰度，未做异常值处理`, `Indicator ${code} has fewer than 4 values; kurtosis is undefined and it was not treated`, { indicator: code }));
      return col;
    }
    const check0 = checkSkewKurt(col, p);
    const detail: TreatmentDetail = { indicator: code, check0, nwin: null, check1: null, transform: null, check2: null, points: [] };
    details.push(detail);
    if (check0.pass) return col;
    const w = winsorise(col, p);
    detail.nwin = w.nwin;
    detail.check1 = checkSkewKurt(w.x, p);
    if (detail.check1.pass || p.fallback === 'none') {
      for (const [i, how] of w.changed) detail.points.push({ unit: data.units[i], from: col[i] as number, to: w.x[i] as number, how });
      if (!detail.check1.pass) {
        warnings.push(warning('TREAT_NOT_PASSED', `指标 ${code} 经缩尾处理后偏度/峰度仍超出阈值`, `Indicator ${code} still fails the skew/kurtosis check after winsorising`, { indicator: code }));
      }
      return w.x;
    }
    // Winsorising did not pass: COINr applies log_CT to the original values (combine_treat = FALSE).
    const y = logCT(col);
    detail.transform = 'logCT';
    detail.check2 = checkSkewKurt(y, p);
    col.forEach((v, i) => {
      if (v !== null) detail.points.push({ unit: data.units[i], from: v, to: y[i] as number, how: 'logCT' });
    });
    if (!detail.check2.pass) {
      warnings.push(warning('TREAT_NOT_PASSED', `指标 ${code} 经对数变换后偏度/峰度仍超出阈值`, `Indicator ${code} still fails the skew/kurtosis check after the log transform`, { indicator: code }));
    }
    return y;
  });
  const values: Cell[][] = data.units.map((_, u) => out.map((c) => c[u]));
  return {
    data: { ...data, codes: [...data.codes], values },
    diagnostics: { details, treated: details.filter((d) => !d.check0.pass).map((d) => d.indicator) },
    warnings,
  };
}
