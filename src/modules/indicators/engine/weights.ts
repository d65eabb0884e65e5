/**
 * Weighting (OECD/JRC Handbook step 6).
 *
 * Subjective: 'meta' (framework weights), 'equal' (every node 1 among its siblings), 'expert'
 * (weights typed by an expert, overriding the framework), 'ahp' (Saaty eigenvector per parent).
 * Objective, on the indicator columns of the treated data:
 * - 'entropy' (熵权法): x' = min–max with direction, p_ij = x'_ij / Σ_i x'_ij,
 *   e_j = −(1/ln n) Σ_i p_ij ln p_ij with 0·ln 0 = 0, w_j = (1 − e_j)/Σ_k (1 − e_k).
 *   The 'sum' option skips the min–max step (p_ij = x_ij / Σ_i x_ij on the raw values), which is
 *   the variant of several published examples (e.g. Xu 2004).
 * - 'critic' (Diakoulaki, Mavrotas & Papayannakis 1995): C_j = σ_j Σ_k (1 − r_jk) on the
 *   min–max matrix, w_j = C_j / Σ C.
 * - 'pca': squared loadings of the first principal component of the correlation matrix
 *   (w_j = v_j², which sums to 1 for a unit eigenvector).
 * 'combine' mixes effective indicator weights: w = α·subjective + (1 − α)·objective.
 *
 * Objective weights are weights of indicators in the index, so each aggregate receives the sum of
 * its indicators' weights: arithmetic aggregation then reproduces Σ_j w_j x'_j exactly.
 */
import { ahpWeights, type AhpResult } from './ahp.ts';
import { EngineError, warning } from './errors.ts';
import { assertKnownCodes, lineage } from './framework.ts';
import { symmetricEigen } from './linalg.ts';
import { mean, pearson, present, sd } from './stats.ts';
import type { Cell, DataTable, EngineWarning, Framework, WeightMethod, WeightSpec } from './types.ts';

export interface WeightsResult {
  method: WeightMethod;
  /** Weight of every node relative to its siblings (sums to 1 per parent). */
  node: Record<string, number>;
  /** Effective weight of each indicator in the index (product of node weights along its lineage). */
  effective: Record<string, number>;
  /** Objective method details: the indicator weights it produced, and its intermediate quantities. */
  objective?: { weights: Record<string, number>; entropy?: Record<string, number>; information?: Record<string, number>; explainedVariance?: number };
  ahp?: Record<string, AhpResult>;
  warnings: EngineWarning[];
}

/** Renormalises raw weights per parent and multiplies along lineages. */
export function resolveWeights(fw: Framework, raw: Record<string, number>): { node: Record<string, number>; effective: Record<string, number> } {
  const node: Record<string, number> = { [fw.root]: 1 };
  for (const [parent, kids] of Object.entries(fw.children)) {
    const total = kids.reduce((s, k) => s + (raw[k] ?? 0), 0);
    if (!(total > 0)) {
      throw new EngineError('ZERO_WEIGHTS', `${parent} 下所有权重之和为零`, `The weights of all children of ${parent} sum to zero`, [{ code: 'ZERO_WEIGHTS', parent }]);
    }
    for (const k of kids) node[k] = (raw[k] ?? 0) / total;
  }
  const effective: Record<string, number> = {};
  for (const ind of fw.indicators) effective[ind] = lineage(fw, ind).reduce((p, c) => p * node[c], 1);
  return { node, effective };
}

/** Column-major, direction-adjusted min–max matrix x' ∈ [0, 1] (null where missing or constant). */
function minmaxColumns(fw: Framework, data: DataTable): { cols: Cell[][]; constant: string[] } {
  const constant: string[] = [];
  const cols = fw.indicators.map((code) => {
    const j = data.codes.indexOf(code);
    const d = fw.node[code].direction;
    const x = data.values.map((r) => (r[j] === null ? null : d * (r[j] as number)));
    const v = present(x);
    const mn = Math.min(...v);
    const mx = Math.max(...v);
    if (v.length === 0 || mx === mn) {
      constant.push(code);
      return x.map(() => null);
    }
    return x.map((t) => (t === null ? null : (t - mn) / (mx - mn)));
  });
  return { cols, constant };
}

/** Entropy weights over the framework's indicators (see the module comment for the formulas). */
export function entropyWeights(fw: Framework, data: DataTable, variant: 'minmax' | 'sum' = 'minmax'): { weights: Record<string, number>; entropy: Record<string, number>; warnings: EngineWarning[] } {
  const warnings: EngineWarning[] = [];
  let cols: Cell[][];
  let constant: string[] = [];
  if (variant === 'minmax') ({ cols, constant } = minmaxColumns(fw, data));
  else {
    cols = fw.indicators.map((code) => {
      const j = data.codes.indexOf(code);
      return data.values.map((r) => r[j]);
    });
    const neg = fw.indicators.filter((_, k) => present(cols[k]).some((v) => v < 0));
    if (neg.length) {
      throw new EngineError('ENTROPY_NEGATIVE_VALUES', `熵权法（比重法）要求非负数据，以下指标含负值：${neg.join('、')}`, `The entropy method on proportions needs non-negative data; negative values in: ${neg.join(', ')}`, neg.map((c) => ({ column: c })));
    }
  }
  const entropy: Record<string, number> = {};
  const div: number[] = [];
  fw.indicators.forEach((code, k) => {
    const v = present(cols[k]);
    const s = v.reduce((a, b) => a + b, 0);
    if (constant.includes(code) || v.length < 2 || !(s > 0)) {
      // No spread, no information: e_j = 1 and the weight is 0.
      entropy[code] = 1;
      div.push(0);
      if (!constant.includes(code)) {
        warnings.push(warning('ENTROPY_NO_INFORMATION', `指标 ${code} 无离散度，熵权为 0`, `Indicator ${code} has no spread; its entropy weight is 0`, { indicator: code }));
      }
      return;
    }
    let h = 0;
    for (const x of v) {
      const p = x / s;
      if (p > 0) h -= p * Math.log(p); // 0·ln 0 = 0
    }
    const e = h / Math.log(v.length);
    entropy[code] = e;
    div.push(1 - e);
  });
  if (constant.length) {
    warnings.push(warning('ZERO_VARIANCE_WEIGHT', `以下指标方差为零，客观权重为 0：${constant.join('、')}`, `Zero-variance indicators get objective weight 0: ${constant.join(', ')}`, { indicators: constant }));
  }
  const total = div.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new EngineError('ENTROPY_DEGENERATE', '所有指标的熵均为 1，熵权法无法确定权重', 'Every indicator has entropy 1; the entropy method cannot set weights');
  const weights: Record<string, number> = {};
  fw.indicators.forEach((c, k) => (weights[c] = div[k] / total));
  return { weights, entropy, warnings };
}

/** CRITIC weights (Diakoulaki et al. 1995): contrast (σ) times conflict (Σ 1 − r). */
export function criticWeights(fw: Framework, data: DataTable): { weights: Record<string, number>; information: Record<string, number>; warnings: EngineWarning[] } {
  const warnings: EngineWarning[] = [];
  const { cols, constant } = minmaxColumns(fw, data);
  const live = fw.indicators.map((c, k) => k).filter((k) => !constant.includes(fw.indicators[k]));
  if (live.length === 0) throw new EngineError('CRITIC_DEGENERATE', '所有指标方差为零，CRITIC 法无法确定权重', 'Every indicator has zero variance; CRITIC cannot set weights');
  const information: Record<string, number> = {};
  const c = fw.indicators.map((code, k) => {
    if (!live.includes(k)) return 0;
    const s = sd(present(cols[k]));
    let conflict = 0;
    for (const l of live) conflict += 1 - (pearson(cols[k], cols[l]) ?? 0);
    return s * conflict;
  });
  fw.indicators.forEach((code, k) => (information[code] = c[k]));
  if (constant.length) {
    warnings.push(warning('ZERO_VARIANCE_WEIGHT', `以下指标方差为零，客观权重为 0：${constant.join('、')}`, `Zero-variance indicators get objective weight 0: ${constant.join(', ')}`, { indicators: constant }));
  }
  const total = c.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new EngineError('CRITIC_DEGENERATE', 'CRITIC 信息量之和为零', 'The CRITIC information content sums to zero');
  const weights: Record<string, number> = {};
  fw.indicators.forEach((code, k) => (weights[code] = c[k] / total));
  return { weights, information, warnings };
}

/** PCA weights: squared loadings of the first principal component of the correlation matrix. */
export function pcaWeights(fw: Framework, data: DataTable): { weights: Record<string, number>; explainedVariance: number; warnings: EngineWarning[] } {
  const warnings: EngineWarning[] = [];
  const idx = fw.indicators.map((c) => data.codes.indexOf(c));
  const rows = data.values.filter((r) => idx.every((j) => r[j] !== null));
  if (rows.length < data.values.length) {
    warnings.push(warning('PCA_COMPLETE_CASES', `主成分分析只使用完整数据的 ${rows.length} 个单位（共 ${data.values.length} 个）`, `PCA uses the ${rows.length} complete units of ${data.values.length}`, { used: rows.length }));
  }
  if (rows.length < 3) throw new EngineError('PCA_TOO_FEW_UNITS', '完整数据的单位少于 3 个，无法做主成分分析', 'Fewer than 3 complete units; PCA is not possible');
  const z = idx.map((j, k) => {
    const x = rows.map((r) => (r[j] as number) * fw.node[fw.indicators[k]].direction);
    const m = mean(x);
    const s = sd(x);
    if (!(s > 0)) {
      throw new EngineError('ZERO_VARIANCE', `指标 ${fw.indicators[k]} 方差为零，无法做主成分分析`, `Indicator ${fw.indicators[k]} has zero variance; PCA is not possible`, [{ column: fw.indicators[k], code: 'ZERO_VARIANCE' }]);
    }
    return x.map((t) => (t - m) / s);
  });
  const p = z.length;
  const n = rows.length;
  const r = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += z[a][i] * z[b][i];
    return s / (n - 1);
  }));
  const { values, vectors } = symmetricEigen(r);
  const v = vectors[0];
  const norm = v.reduce((s, t) => s + t * t, 0);
  const weights: Record<string, number> = {};
  fw.indicators.forEach((c, k) => (weights[c] = (v[k] * v[k]) / norm));
  return { weights, explainedVariance: values[0] / p, warnings };
}

/** Raw weights where every aggregate gets the sum of its indicators' weights. */
function rollUp(fw: Framework, indicatorWeights: Record<string, number>): Record<string, number> {
  const raw: Record<string, number> = { ...indicatorWeights };
  for (const a of fw.aggregates) {
    raw[a] = fw.children[a].reduce((s, k) => s + (raw[k] ?? 0), 0);
  }
  return raw;
}

/**
 * Computes node and effective weights. `treated` is the indicator table the objective methods use
 * (after screening and outlier treatment, before normalisation).
 */
export function computeWeights(fw: Framework, spec: WeightSpec, treated: DataTable): WeightsResult {
  const warnings: EngineWarning[] = [];
  const meta: Record<string, number> = {};
  for (const n of fw.nodes) meta[n.code] = n.weight;
  switch (spec.method) {
    case 'meta':
      return { method: 'meta', ...resolveWeights(fw, meta), warnings };
    case 'equal': {
      const raw: Record<string, number> = {};
      for (const n of fw.nodes) raw[n.code] = 1;
      return { method: 'equal', ...resolveWeights(fw, raw), warnings };
    }
    case 'expert': {
      assertKnownCodes(fw, Object.keys(spec.weights), ['专家权重', 'Expert weights']);
      const bad = Object.entries(spec.weights).filter(([, w]) => !(Number.isFinite(w) && w >= 0));
      if (bad.length) throw new EngineError('INVALID_WEIGHT', '权重必须是非负有限数', 'Weights must be finite and non-negative', bad.map(([c, w]) => ({ column: c, value: w })));
      return { method: 'expert', ...resolveWeights(fw, { ...meta, ...spec.weights }), warnings };
    }
    case 'ahp': {
      const raw = { ...meta };
      const ahp: Record<string, AhpResult> = {};
      for (const mtx of spec.matrices) {
        if (!fw.children[mtx.parent]) {
          throw new EngineError('UNKNOWN_INDICATOR', `判断矩阵的上级节点不存在或不是汇总节点：${mtx.parent}`, `The judgement matrix parent is not an aggregate of the framework: ${mtx.parent}`, [{ code: 'UNKNOWN_INDICATOR', value: mtx.parent }]);
        }
        assertKnownCodes(fw, mtx.codes, ['判断矩阵', 'Judgement matrix']);
        const kids = fw.children[mtx.parent];
        if (kids.length !== mtx.codes.length || kids.some((k) => !mtx.codes.includes(k))) {
          throw new EngineError('AHP_CODES_MISMATCH', `判断矩阵（${mtx.parent}）必须恰好比较其全部下级：${kids.join('、')}`, `The judgement matrix (${mtx.parent}) must compare exactly its children: ${kids.join(', ')}`, [{ code: 'AHP_CODES_MISMATCH', parent: mtx.parent, expected: kids, got: mtx.codes }]);
        }
        const r = ahpWeights(mtx, { crThreshold: spec.crThreshold, allowInconsistent: spec.allowInconsistent });
        if (!r.consistent) {
          warnings.push(warning('AHP_INCONSISTENT', `判断矩阵（${mtx.parent}）CR = ${r.cr.toFixed(3)}，已按要求接受不一致的判断`, `Judgement matrix (${mtx.parent}) has CR = ${r.cr.toFixed(3)}; accepted as requested`, { parent: mtx.parent, cr: r.cr }));
        }
        ahp[mtx.parent] = r;
        r.codes.forEach((c, k) => (raw[c] = r.weights[k]));
      }
      return { method: 'ahp', ...resolveWeights(fw, raw), ahp, warnings };
    }
    case 'entropy': {
      const r = entropyWeights(fw, treated, spec.normalisation ?? 'minmax');
      return { method: 'entropy', ...resolveWeights(fw, rollUp(fw, r.weights)), objective: { weights: r.weights, entropy: r.entropy }, warnings: r.warnings };
    }
    case 'critic': {
      const r = criticWeights(fw, treated);
      return { method: 'critic', ...resolveWeights(fw, rollUp(fw, r.weights)), objective: { weights: r.weights, information: r.information }, warnings: r.warnings };
    }
    case 'pca': {
      const r = pcaWeights(fw, treated);
      return { method: 'pca', ...resolveWeights(fw, rollUp(fw, r.weights)), objective: { weights: r.weights, explainedVariance: r.explainedVariance }, warnings: r.warnings };
    }
    case 'combine': {
      if (!(spec.alpha >= 0 && spec.alpha <= 1)) {
        throw new EngineError('INVALID_ALPHA', '组合赋权系数 α 必须在 0 到 1 之间', 'The combination coefficient α must lie between 0 and 1', [{ field: 'alpha', value: spec.alpha }]);
      }
      const s = computeWeights(fw, spec.subjective, treated);
      const o = computeWeights(fw, spec.objective, treated);
      const w: Record<string, number> = {};
      for (const c of fw.indicators) w[c] = spec.alpha * s.effective[c] + (1 - spec.alpha) * o.effective[c];
      return {
        method: 'combine',
        ...resolveWeights(fw, rollUp(fw, w)),
        objective: o.objective,
        ...(s.ahp ? { ahp: s.ahp } : {}),
        warnings: [...s.warnings, ...o.warnings],
      };
    }
    default:
      throw new EngineError('UNKNOWN_METHOD', `未知的赋权方法：${(spec as { method: string }).method}`, `Unknown weighting method: ${(spec as { method: string }).method}`);
  }
}
