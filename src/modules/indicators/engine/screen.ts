/**
 * Unit screening by data availability (COINr's Screen(), `unit_screen` = byNA / byzeros /
 * byNAandzeros): units whose share of available indicator values is below `threshold` are removed.
 */
import { EngineError, warning } from './errors.ts';
import { selectUnits } from './data.ts';
import type { DataTable, EngineWarning, ScreenSpec, StepResult } from './types.ts';

export interface ScreenDiagnostics {
  /** Per unit: share of indicators present, share of present values that are non-zero, and the verdict. */
  availability: { unit: string; available: number; nonZero: number; included: boolean; forced: boolean }[];
  removed: string[];
  /** Per indicator: share of units present (before screening). */
  indicatorAvailability: Record<string, number>;
}

/** Removes units below the availability threshold; COINr semantics (`Dat_Avail < dat_thresh` fails). */
export function screenUnits(data: DataTable, spec: ScreenSpec): StepResult<ScreenDiagnostics> {
  const by = spec.by ?? 'NA';
  if (by !== 'NA' && by !== 'zeros' && by !== 'NAandZeros') {
    throw new EngineError('UNKNOWN_METHOD', `未知的筛选方式：${String(by)}`, `Unknown screening rule: ${String(by)}`, [{ field: 'by', value: by }]);
  }
  const nz = spec.nonZeroThreshold ?? 0.05;
  if (!(spec.threshold >= 0 && spec.threshold <= 1) || !(nz >= 0 && nz <= 1)) {
    throw new EngineError('INVALID_THRESHOLD', '筛选阈值必须在 0 到 1 之间', 'Screening thresholds must lie between 0 and 1', [{ field: 'threshold', value: spec.threshold }]);
  }
  const m = data.codes.length;
  const include = new Set(spec.forceInclude ?? []);
  const exclude = new Set(spec.forceExclude ?? []);
  const unknown = [...include, ...exclude].filter((u) => !data.units.includes(u));
  if (unknown.length) {
    throw new EngineError('UNKNOWN_UNIT', `强制纳入/排除的单位不存在：${unknown.join('、')}`, `Forced units are not in the data: ${unknown.join(', ')}`, unknown.map((u) => ({ value: u })));
  }
  const availability = data.values.map((row, u) => {
    let na = 0;
    let zero = 0;
    for (const v of row) {
      if (v === null) na++;
      else if (v === 0) zero++;
    }
    const available = 1 - na / m;
    // Share of non-zero among present values, as COINr's get_data_avail (NaN when all missing → treated as 0).
    const nonZero = m - na > 0 ? 1 - zero / (m - na) : 0;
    const lowData = available < spec.threshold;
    const lowNonZero = nonZero < nz;
    let included = by === 'NA' ? !lowData : by === 'zeros' ? !lowNonZero : !(lowData || lowNonZero);
    const unit = data.units[u];
    const forced = include.has(unit) || exclude.has(unit);
    if (include.has(unit)) included = true;
    if (exclude.has(unit)) included = false;
    return { unit, available, nonZero, included, forced };
  });
  const keep = availability.flatMap((a, u) => (a.included ? [u] : []));
  const removed = availability.filter((a) => !a.included).map((a) => a.unit);
  const indicatorAvailability: Record<string, number> = {};
  data.codes.forEach((c, j) => {
    indicatorAvailability[c] = data.values.filter((r) => r[j] !== null).length / data.units.length;
  });
  const warnings: EngineWarning[] = [];
  if (removed.length) {
    warnings.push(warning('UNITS_SCREENED_OUT', `${removed.length} 个单位因数据可得性不足被剔除：${removed.join('、')}`, `${removed.length} units removed for low data availability: ${removed.join(', ')}`, { units: removed }));
  }
  if (keep.length === 0) {
    throw new EngineError('NO_UNITS_LEFT', '按数据可得性筛选后没有剩余单位', 'No units are left after screening for data availability', [{ field: 'threshold', value: spec.threshold }]);
  }
  return { data: selectUnits(data, keep), diagnostics: { availability, removed, indicatorAvailability }, warnings };
}
