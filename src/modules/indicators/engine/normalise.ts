/**
 * Normalisation (OECD/JRC Handbook step 5, Table 3). Direction is applied here, so every normalised
 * indicator is "higher is better":
 *
 * - minmax:    (x − min)/(max − min), reversed to (max − x)/(max − min) for direction −1, then mapped
 *              onto [a, b] (default [0, 1]; COINr's example uses [0, 100]);
 * - zscore:    d·(x − mean)/sd with the sample sd (n − 1, as R's sd()), rescaled to mean m and sd s;
 * - rank:      rank of d·x, ties get the minimum rank (COINr n_rank), best = n;
 * - prank:     percentile rank (rank − 1)/(n − 1) (COINr n_prank);
 * - goalposts: (x − lower)/(upper − lower), or (upper − x)/(upper − lower) for direction −1,
 *              truncated to [0, 1] and multiplied by `scale` (COINr n_goalposts);
 * - target:    distance to the framework target: (x − min)/(target − min), or
 *              (max − x)/(max − target) for direction −1 (COINr n_dist2targ), optionally capped at 1;
 * - best:      distance to the best performer (Handbook "distance to the leader"): x / max, or
 *              min / x for direction −1; needs positive values.
 */
import { EngineError, warning } from './errors.ts';
import { mean, present, rankMin, sd } from './stats.ts';
import type { Cell, DataTable, EngineWarning, Framework, NormaliseSpec, StepResult } from './types.ts';

export interface NormaliseDiagnostics {
  method: NormaliseSpec['method'];
  /** Per indicator, the constants used (min, max, mean, sd, target …), to trace any score back. */
  params: Record<string, Record<string, number>>;
}

function zeroVariance(code: string, method: string): EngineError {
  return new EngineError(
    'ZERO_VARIANCE',
    `指标 ${code} 在所有单位上取值相同（方差为零），无法用 ${method} 方法标准化；请删除该指标或设置 zeroVariance: 'drop'`,
    `Indicator ${code} has the same value for every unit (zero variance) and cannot be normalised by ${method}; remove it or set zeroVariance: 'drop'`,
    [{ code: 'ZERO_VARIANCE', column: code }],
  );
}

/**
 * Normalises one column. `dir` is the indicator direction; `target` is used by 'target'. Throws on
 * inputs the method cannot handle (zero variance, missing goalposts or target, non-positive values
 * for 'best').
 */
export function normaliseColumn(x: readonly Cell[], dir: 1 | -1, spec: NormaliseSpec, code: string, target: number | null = null): { y: Cell[]; params: Record<string, number> } {
  const v = present(x);
  if (v.length === 0) return { y: x.map(() => null), params: {} };
  switch (spec.method) {
    case 'minmax': {
      const [a, b] = spec.range ?? [0, 1];
      // COINr multiplies by the direction first and then min-maxes; the result is identical to
      // (max − x)/(max − min) for direction −1.
      const dx = v.map((t) => dir * t);
      const mn = Math.min(...dx);
      const mx = Math.max(...dx);
      if (mx === mn) throw zeroVariance(code, 'min-max');
      return { y: x.map((t) => (t === null ? null : ((dir * t - mn) / (mx - mn)) * (b - a) + a)), params: { min: dir === 1 ? mn : -mx, max: dir === 1 ? mx : -mn, lower: a, upper: b } };
    }
    case 'zscore': {
      const m = mean(v);
      const s = sd(v);
      if (!(s > 0)) throw zeroVariance(code, 'z-score');
      const tm = spec.mean ?? 0;
      const ts = spec.sd ?? 1;
      return { y: x.map((t) => (t === null ? null : (dir * (t - m) / s) * ts + tm)), params: { mean: m, sd: s, target_mean: tm, target_sd: ts } };
    }
    case 'rank':
    case 'prank': {
      const r = rankMin(x.map((t) => (t === null ? null : dir * t)), false);
      if (spec.method === 'rank') return { y: r, params: { n: v.length } };
      if (v.length < 2) throw zeroVariance(code, 'percentile rank');
      return { y: r.map((t) => (t === null ? null : (t - 1) / (v.length - 1))), params: { n: v.length } };
    }
    case 'goalposts': {
      const gp = spec.goalposts[code];
      if (!gp) {
        throw new EngineError('GOALPOSTS_MISSING', `指标 ${code} 没有设定门槛值（goalposts）`, `Indicator ${code} has no goalposts`, [{ column: code, code: 'GOALPOSTS_MISSING' }]);
      }
      const [lo, hi] = gp;
      if (!(Number.isFinite(lo) && Number.isFinite(hi)) || lo === hi) {
        throw new EngineError('GOALPOSTS_INVALID', `指标 ${code} 的门槛值无效`, `Indicator ${code} has invalid goalposts`, [{ column: code, value: gp }]);
      }
      const scale = spec.scale ?? 1;
      const trunc = spec.truncate ?? true;
      return {
        y: x.map((t) => {
          if (t === null) return null;
          let y = dir === 1 ? (t - lo) / (hi - lo) : (t - hi) / (lo - hi);
          if (trunc) y = Math.min(1, Math.max(0, y));
          return y * scale;
        }),
        params: { lower: lo, upper: hi, scale },
      };
    }
    case 'target': {
      if (target === null) {
        throw new EngineError('TARGET_MISSING', `指标 ${code} 没有目标值，无法按距目标距离标准化`, `Indicator ${code} has no target for distance-to-target normalisation`, [{ column: code, code: 'TARGET_MISSING' }]);
      }
      const ref = dir === 1 ? Math.min(...v) : Math.max(...v);
      if (ref === target) {
        throw new EngineError('TARGET_DEGENERATE', `指标 ${code} 的目标值等于最差值，距离无法计算`, `Indicator ${code} has its target equal to the worst value; the distance is undefined`, [{ column: code, value: target }]);
      }
      const cap = spec.cap ?? false;
      return {
        y: x.map((t) => {
          if (t === null) return null;
          const y = dir === 1 ? (t - ref) / (target - ref) : (ref - t) / (ref - target);
          return cap ? Math.min(1, y) : y;
        }),
        params: { target, worst: ref },
      };
    }
    case 'best': {
      const mx = Math.max(...v);
      const mn = Math.min(...v);
      if (dir === 1 ? mn < 0 || mx <= 0 : mn <= 0) {
        throw new EngineError('NORMALISE_NON_POSITIVE', `指标 ${code} 含非正值，不能按距最优者比例标准化`, `Indicator ${code} has non-positive values; distance to the best needs positive values`, [{ column: code }]);
      }
      return { y: x.map((t) => (t === null ? null : dir === 1 ? t / mx : mn / t)), params: { best: dir === 1 ? mx : mn } };
    }
    default:
      throw new EngineError('UNKNOWN_METHOD', `未知的标准化方法：${(spec as { method: string }).method}`, `Unknown normalisation method: ${(spec as { method: string }).method}`);
  }
}

/** Normalises every indicator column of the table with the framework's directions and targets. */
export function normalise(data: DataTable, fw: Framework, spec: NormaliseSpec): StepResult<NormaliseDiagnostics> {
  const warnings: EngineWarning[] = [];
  const params: Record<string, Record<string, number>> = {};
  const out = data.codes.map((code, j) => {
    const node = fw.node[code];
    const col = data.values.map((r) => r[j]);
    if (present(col).length === 0) {
      warnings.push(warning('INDICATOR_ALL_MISSING', `指标 ${code} 没有任何取值`, `Indicator ${code} has no values`, { indicator: code }));
      return col;
    }
    const r = normaliseColumn(col, node?.direction ?? 1, spec, code, node?.target ?? null);
    params[code] = r.params;
    return r.y;
  });
  const values: Cell[][] = data.units.map((_, u) => out.map((c) => c[u]));
  return { data: { ...data, codes: [...data.codes], values }, diagnostics: { method: spec.method, params }, warnings };
}
