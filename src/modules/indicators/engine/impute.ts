/**
 * Missing-data imputation (OECD/JRC Handbook step 3): unconditional mean or median, group mean or
 * median (COINr's i_mean_grp / i_median_grp), and, for panels, last observation carried forward
 * or linear interpolation in time.
 */
import { EngineError, warning } from './errors.ts';
import { mean, median, present } from './stats.ts';
import type { Cell, DataTable, EngineWarning, ImputeSpec, StepResult } from './types.ts';

export interface ImputeDiagnostics {
  method: ImputeSpec['method'];
  /** Every filled cell, with the value used. */
  imputed: { unit: string; time: number | null; indicator: string; value: number }[];
  /** Missing cells before and after, per indicator. */
  missingBefore: Record<string, number>;
  missingAfter: Record<string, number>;
}

/** Fills missing values by the chosen method; values present are never changed. */
export function impute(data: DataTable, spec: ImputeSpec): StepResult<ImputeDiagnostics> {
  const n = data.units.length;
  const m = data.codes.length;
  const cols: Cell[][] = data.codes.map((_, j) => data.values.map((r) => r[j]));
  const warnings: EngineWarning[] = [];
  const out: Cell[][] = cols.map((c) => [...c]);

  const fillBy = (j: number, rowsOf: number[][], stat: (x: number[]) => number, label: (k: number) => string) => {
    rowsOf.forEach((rows, k) => {
      const vals = present(rows.map((u) => cols[j][u]));
      if (rows.every((u) => cols[j][u] !== null)) return;
      if (vals.length === 0) {
        warnings.push(
          warning('IMPUTE_NO_DATA', `指标 ${data.codes[j]} 在${label(k)}中没有任何取值，无法插补`, `Indicator ${data.codes[j]} has no values in ${label(k)}; nothing to impute from`, {
            indicator: data.codes[j],
            group: label(k),
          }),
        );
        return;
      }
      const v = stat(vals);
      for (const u of rows) if (cols[j][u] === null) out[j][u] = v;
    });
  };

  switch (spec.method) {
    case 'none':
      break;
    case 'mean':
    case 'median': {
      const all = [data.units.map((_, u) => u)];
      for (let j = 0; j < m; j++) fillBy(j, all, spec.method === 'mean' ? mean : median, () => '全部单位');
      break;
    }
    case 'groupMean':
    case 'groupMedian': {
      const g = spec.group;
      if (!g || !data.groups || !(g in data.groups)) {
        throw new EngineError('GROUP_NOT_IN_DATA', `分组插补需要分组列${g ? ' ' + g : ''}，但数据表中没有`, `Group imputation needs the group column${g ? ' ' + g : ''}, which the data table lacks`, [{ field: 'group', value: g ?? null }]);
      }
      const labels = data.groups[g];
      const keys = [...new Set(labels.filter((l): l is string => l !== null))];
      // Units without a group are left as they are (COINr's skip_f_na = TRUE).
      const rowsOf = keys.map((k) => labels.flatMap((l, u) => (l === k ? [u] : [])));
      if (labels.some((l) => l === null)) {
        warnings.push(warning('GROUP_MISSING', `部分单位没有分组（${g}），其缺失值未插补`, `Some units have no group (${g}); their missing values are not imputed`, { group: g }));
      }
      for (let j = 0; j < m; j++) fillBy(j, rowsOf, spec.method === 'groupMean' ? mean : median, (k) => `分组 ${keys[k]}`);
      break;
    }
    case 'panelCarry':
    case 'panelLinear': {
      if (!data.times) throw new EngineError('PANEL_REQUIRED', '面板插补需要时间列（Time）', 'Panel imputation needs a time column (Time)');
      const maxGap = spec.maxGap ?? Infinity;
      const byUnit = new Map<string, number[]>();
      data.units.forEach((u, i) => {
        if (data.times![i] === null) return;
        byUnit.set(u, [...(byUnit.get(u) ?? []), i]);
      });
      for (const rows of byUnit.values()) {
        rows.sort((a, b) => (data.times![a] as number) - (data.times![b] as number));
        const t = rows.map((r) => data.times![r] as number);
        for (let j = 0; j < m; j++) {
          const obs = rows.map((r, k) => ({ k, v: cols[j][r] })).filter((o): o is { k: number; v: number } => o.v !== null);
          if (obs.length === 0) continue;
          rows.forEach((r, k) => {
            if (cols[j][r] !== null) return;
            const prev = [...obs].reverse().find((o) => o.k < k);
            const next = obs.find((o) => o.k > k);
            let v: number | null = null;
            if (spec.method === 'panelCarry') {
              // Last observation carried forward: only earlier values are used.
              if (prev && t[k] - t[prev.k] <= maxGap) v = prev.v;
            } else if (prev && next) {
              if (t[next.k] - t[prev.k] <= maxGap) v = prev.v + ((next.v - prev.v) * (t[k] - t[prev.k])) / (t[next.k] - t[prev.k]);
            } else {
              // Outside the observed span, hold the nearest value (R's approx(rule = 2)).
              const near = prev ?? next!;
              if (Math.abs(t[k] - t[near.k]) <= maxGap) v = near.v;
            }
            if (v !== null) out[j][r] = v;
          });
        }
      }
      break;
    }
    default:
      throw new EngineError('UNKNOWN_METHOD', `未知的插补方法：${(spec as { method: string }).method}`, `Unknown imputation method: ${(spec as { method: string }).method}`);
  }

  const imputed: ImputeDiagnostics['imputed'] = [];
  const missingBefore: Record<string, number> = {};
  const missingAfter: Record<string, number> = {};
  for (let j = 0; j < m; j++) {
    const code = data.codes[j];
    missingBefore[code] = 0;
    missingAfter[code] = 0;
    for (let u = 0; u < n; u++) {
      if (cols[j][u] === null) missingBefore[code]++;
      if (out[j][u] === null) missingAfter[code]++;
      else if (cols[j][u] === null) imputed.push({ unit: data.units[u], time: data.times?.[u] ?? null, indicator: code, value: out[j][u] as number });
    }
  }
  const values: Cell[][] = data.units.map((_, u) => out.map((c) => c[u]));
  return { data: { ...data, codes: [...data.codes], values }, diagnostics: { method: spec.method, imputed, missingBefore, missingAfter }, warnings };
}
