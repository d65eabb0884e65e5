/**
 * Review scores: the weighted total of a score sheet, and three ways of ranking applications
 * from their reviews — the raw mean, the mean of per-reviewer z-scores, and the least-squares
 * additive model score_ij = quality_i + bias_j + e_ij — side by side with how far each moves an
 * application and the Kendall τ between the rankings; and reviews that disagree strongly.
 *
 * The additive model (a two-way fixed-effects model on an incomplete design; the "reviewer
 * bias" model of peer-review calibration) is solved exactly: eliminating the qualities leaves
 * K b = r with K a weighted graph Laplacian over reviewers (reviewers joined through shared
 * applications), solved by conjugate gradients to machine precision. Started from zero on a
 * consistent right-hand side, CG converges to the minimum-norm solution: Σ bias = 0 within each
 * connected component of the review graph — the identifying constraint. Biases are comparable
 * only within a component; with more than one component the result says so, and applications
 * in different components are compared as if each component's reviewers were, on average,
 * equally severe.
 */
import { AppError } from '../../../errors.ts';

// ---------------------------------------------------------------------------------------------
// Score sheets

/** One criterion of a call's score sheet, with its weight and the ends of its scale (anchors). */
export interface Criterion {
  key: string;
  name: string;
  name_en: string;
  weight: number;
  min: number;
  max: number;
}

function sheetError(code: string, zh: string, en: string, details: Record<string, unknown>[] = []): AppError {
  return new AppError(code, 422, zh, en, details);
}

/** Checks a score sheet: keys unique and non-empty, weights positive, min < max. */
export function validateSheet(criteria: readonly Criterion[]): void {
  if (!criteria.length) throw sheetError('SCORE_SHEET_EMPTY', '评分表没有任何评审指标', 'The score sheet has no criteria');
  const seen = new Set<string>();
  for (const c of criteria) {
    if (!c.key.trim()) throw sheetError('SCORE_SHEET_INVALID', '评审指标缺少代码', 'A criterion has no key', [{ field: 'key' }]);
    if (seen.has(c.key)) throw sheetError('SCORE_SHEET_INVALID', `评审指标代码重复：${c.key}`, `Criterion key used twice: ${c.key}`, [{ field: c.key }]);
    seen.add(c.key);
    if (!(Number.isFinite(c.weight) && c.weight > 0)) throw sheetError('SCORE_SHEET_INVALID', `评审指标“${c.name}”的权重应为正数：${c.weight}`, `The weight of criterion “${c.name_en}” must be positive: ${c.weight}`, [{ field: c.key, value: c.weight }]);
    if (!(Number.isFinite(c.min) && Number.isFinite(c.max) && c.min < c.max)) throw sheetError('SCORE_SHEET_INVALID', `评审指标“${c.name}”的分值范围无效：${c.min}–${c.max}`, `The scale of criterion “${c.name_en}” is not valid: ${c.min}–${c.max}`, [{ field: c.key, min: c.min, max: c.max }]);
  }
}

/**
 * The weighted total of one filled score sheet, on 0–100: each criterion's score placed on its
 * scale ((s − min) / (max − min)), weighted, divided by the weights' sum, × 100. Refuses a
 * missing or unknown criterion, a non-numeric score, and a score outside the anchors
 * (SCORE_OUT_OF_RANGE, naming the criterion and its range).
 */
export function weightedTotal(criteria: readonly Criterion[], scores: Readonly<Record<string, number>>): number {
  validateSheet(criteria);
  const known = new Set(criteria.map((c) => c.key));
  for (const k of Object.keys(scores)) if (!known.has(k)) throw sheetError('SCORE_CRITERION_UNKNOWN', `评分表中没有指标“${k}”`, `The score sheet has no criterion “${k}”`, [{ field: k }]);
  let sum = 0;
  let weights = 0;
  for (const c of criteria) {
    const s = scores[c.key];
    if (s === undefined || s === null) throw sheetError('SCORE_CRITERION_MISSING', `缺少指标“${c.name}”的评分`, `No score for criterion “${c.name_en}”`, [{ field: c.key }]);
    if (typeof s !== 'number' || !Number.isFinite(s)) throw sheetError('SCORE_NOT_NUMBER', `指标“${c.name}”的评分不是数值`, `The score for “${c.name_en}” is not a number`, [{ field: c.key, value: s }]);
    if (s < c.min || s > c.max)
      throw sheetError('SCORE_OUT_OF_RANGE', `指标“${c.name}”的评分 ${s} 超出范围 ${c.min}–${c.max}`, `The score ${s} for “${c.name_en}” is outside its range ${c.min}–${c.max}`, [{ field: c.key, value: s, min: c.min, max: c.max }]);
    sum += (c.weight * (s - c.min)) / (c.max - c.min);
    weights += c.weight;
  }
  return (100 * sum) / weights;
}

// ---------------------------------------------------------------------------------------------
// Normalisation for reviewer severity

/** One review's total score. */
export interface Review {
  application: string;
  reviewer: string;
  score: number;
}

/** A ranking method. */
export type Normalisation = 'none' | 'zscore' | 'bias';

/** Per application, under each method. */
export interface ApplicationScores {
  application: string;
  reviews: number;
  /** Raw mean of its reviews' scores. */
  mean: number;
  /** Mean of its reviews' per-reviewer z-scores. */
  zscore: number;
  /** Quality in the additive model (on the score scale). */
  quality: number;
  /** Competition ranks (1 = best; ties share the better rank) under each method. */
  rank: Record<Normalisation, number>;
  /** Places moved against the raw ranking (positive = up). */
  moves: { zscore: number; bias: number };
  /** Connected component of the review graph it belongs to (0-based). */
  component: number;
}

/** Per reviewer. */
export interface ReviewerScores {
  reviewer: string;
  reviews: number;
  mean: number;
  /** Standard deviation of their scores (population; 0 with one review). */
  sd: number;
  /** Additive-model bias: positive = more lenient than the average reviewer of the component. */
  bias: number;
  component: number;
  /** Their z-scores are undefined (one review, or all equal): counted as 0. */
  zUndefined: boolean;
}

/** The comparison. */
export interface SeverityResult {
  applications: ApplicationScores[];
  reviewers: ReviewerScores[];
  /** Kendall τ-b between the rankings. */
  kendall: { none_zscore: number; none_bias: number; zscore_bias: number };
  components: number;
  /** Residual sum of squares of the additive model, and its iterations. */
  model: { rss: number; iterations: number };
  warnings: { code: string; message: string; message_en: string }[];
}

/** Competition ranks of scores, higher better; ties share the better rank. */
export function competitionRanks(scores: readonly number[]): number[] {
  const order = scores.map((s, i) => i).sort((a, b) => scores[b] - scores[a]);
  const rank = new Array<number>(scores.length);
  for (let t = 0; t < order.length; t++) {
    const i = order[t];
    rank[i] = t > 0 && scores[order[t - 1]] === scores[i] ? rank[order[t - 1]] : t + 1;
  }
  return rank;
}

/** Kendall's τ-b between two score vectors (ties in either count as neither concordant nor discordant). */
export function kendallTau(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  const denom = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
  return denom === 0 ? 1 : (concordant - discordant) / denom;
}

/**
 * Scores every application three ways (raw mean, mean z-score, additive-model quality) and
 * compares the rankings. Refuses an empty list, a non-finite score and a review given twice.
 */
export function normaliseScores(reviews: readonly Review[]): SeverityResult {
  if (!reviews.length) throw sheetError('REVIEWS_EMPTY', '没有任何评审意见', 'There are no reviews');
  const appIndex = new Map<string, number>();
  const revIndex = new Map<string, number>();
  const apps: string[] = [];
  const revs: string[] = [];
  const seen = new Set<string>();
  const ai: number[] = [];
  const ri: number[] = [];
  const s: number[] = [];
  for (const r of reviews) {
    if (!Number.isFinite(r.score)) throw sheetError('SCORE_NOT_NUMBER', `申请 ${r.application} 的评审分不是数值`, `A score of application ${r.application} is not a number`, [{ application: r.application, reviewer: r.reviewer }]);
    const key = `${r.application}\u0000${r.reviewer}`;
    if (seen.has(key)) throw sheetError('REVIEW_DUPLICATE', `专家 ${r.reviewer} 对申请 ${r.application} 的评审重复`, `Reviewer ${r.reviewer} reviewed application ${r.application} twice`, [{ application: r.application, reviewer: r.reviewer }]);
    seen.add(key);
    let i = appIndex.get(r.application);
    if (i === undefined) appIndex.set(r.application, (i = apps.push(r.application) - 1));
    let j = revIndex.get(r.reviewer);
    if (j === undefined) revIndex.set(r.reviewer, (j = revs.push(r.reviewer) - 1));
    ai.push(i);
    ri.push(j);
    s.push(r.score);
  }
  const nA = apps.length;
  const nR = revs.length;
  const m = s.length;

  // Raw means and reviewer statistics.
  const nApp = new Float64Array(nA);
  const sumApp = new Float64Array(nA);
  const nRev = new Float64Array(nR);
  const sumRev = new Float64Array(nR);
  for (let e = 0; e < m; e++) {
    nApp[ai[e]]++;
    sumApp[ai[e]] += s[e];
    nRev[ri[e]]++;
    sumRev[ri[e]] += s[e];
  }
  const meanRev = Array.from(sumRev, (x, j) => x / nRev[j]);
  const ssRev = new Float64Array(nR);
  for (let e = 0; e < m; e++) ssRev[ri[e]] += (s[e] - meanRev[ri[e]]) ** 2;
  const sdRev = Array.from(ssRev, (x, j) => Math.sqrt(x / nRev[j]));
  // A reviewer whose scores do not vary (or who scored once) says nothing about spread: z = 0.
  const zUndefined = sdRev.map((sd, j) => nRev[j] < 2 || sd <= 1e-12 * Math.max(1, Math.abs(meanRev[j])));
  const zSum = new Float64Array(nA);
  for (let e = 0; e < m; e++) {
    const j = ri[e];
    zSum[ai[e]] += zUndefined[j] ? 0 : (s[e] - meanRev[j]) / sdRev[j];
  }

  // Components of the bipartite review graph (union-find over applications and reviewers).
  const parent = Int32Array.from({ length: nA + nR }, (_, v) => v);
  const find = (v: number): number => {
    while (parent[v] !== v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (let e = 0; e < m; e++) {
    const a = find(ai[e]);
    const b = find(nA + ri[e]);
    if (a !== b) parent[a] = b;
  }
  const compId = new Map<number, number>();
  const comp = new Int32Array(nA + nR);
  for (let v = 0; v < nA + nR; v++) {
    const r = find(v);
    if (!compId.has(r)) compId.set(r, compId.size);
    comp[v] = compId.get(r)!;
  }

  // Additive model: K b = rhs, K = diag(n_j) − Σ_i (1/n_i) 1_{N(i)} 1_{N(i)}ᵀ.
  const appStart = new Int32Array(nA + 1);
  for (let e = 0; e < m; e++) appStart[ai[e] + 1]++;
  for (let i = 0; i < nA; i++) appStart[i + 1] += appStart[i];
  const fill = appStart.slice(0, nA);
  const appRev = new Int32Array(m);
  const appScore = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const p = fill[ai[e]]++;
    appRev[p] = ri[e];
    appScore[p] = s[e];
  }
  const rhs = new Float64Array(nR);
  for (let i = 0; i < nA; i++) {
    const mean = sumApp[i] / nApp[i];
    for (let p = appStart[i]; p < appStart[i + 1]; p++) rhs[appRev[p]] += appScore[p] - mean;
  }
  const applyK = (x: Float64Array, out: Float64Array) => {
    for (let j = 0; j < nR; j++) out[j] = nRev[j] * x[j];
    for (let i = 0; i < nA; i++) {
      let t = 0;
      for (let p = appStart[i]; p < appStart[i + 1]; p++) t += x[appRev[p]];
      t /= nApp[i];
      for (let p = appStart[i]; p < appStart[i + 1]; p++) out[appRev[p]] -= t;
    }
  };
  const { x: bias, iterations } = conjugateGradient(applyK, rhs, nR);
  // CG keeps the iterate in the range of K; remove the rounding drift of each component's sum.
  const compSum = new Map<number, { sum: number; n: number }>();
  for (let j = 0; j < nR; j++) {
    const c = comp[nA + j];
    const a = compSum.get(c) ?? { sum: 0, n: 0 };
    a.sum += bias[j];
    a.n++;
    compSum.set(c, a);
  }
  for (let j = 0; j < nR; j++) {
    const a = compSum.get(comp[nA + j])!;
    bias[j] -= a.sum / a.n;
  }
  const quality = new Float64Array(nA);
  for (let i = 0; i < nA; i++) {
    let t = 0;
    for (let p = appStart[i]; p < appStart[i + 1]; p++) t += appScore[p] - bias[appRev[p]];
    quality[i] = t / nApp[i];
  }
  let rss = 0;
  for (let i = 0; i < nA; i++) for (let p = appStart[i]; p < appStart[i + 1]; p++) rss += (appScore[p] - quality[i] - bias[appRev[p]]) ** 2;

  const mean = Array.from(sumApp, (x, i) => x / nApp[i]);
  const zscore = Array.from(zSum, (x, i) => x / nApp[i]);
  const q = Array.from(quality);
  const rankRaw = competitionRanks(mean);
  const rankZ = competitionRanks(zscore);
  const rankB = competitionRanks(q);
  const warnings: SeverityResult['warnings'] = [];
  if (compId.size > 1)
    warnings.push({
      code: 'REVIEW_GRAPH_DISCONNECTED',
      message: `评审关系分为 ${compId.size} 个互不相连的部分：不同部分的专家宽严无法相互比较，模型假定各部分专家平均宽严相同`,
      message_en: `The reviews fall into ${compId.size} unconnected groups: reviewer severity cannot be compared across groups; the model assumes each group’s reviewers are equally severe on average`,
    });
  const undefinedZ = zUndefined.filter(Boolean).length;
  if (undefinedZ)
    warnings.push({
      code: 'ZSCORE_UNDEFINED',
      message: `${undefinedZ} 位专家只评了一项或各项评分相同，无法计算标准分，按 0 计`,
      message_en: `${undefinedZ} reviewer(s) scored only once or gave equal scores: their z-scores are undefined and counted as 0`,
    });
  return {
    applications: apps.map((application, i) => ({
      application,
      reviews: nApp[i],
      mean: mean[i],
      zscore: zscore[i],
      quality: q[i],
      rank: { none: rankRaw[i], zscore: rankZ[i], bias: rankB[i] },
      moves: { zscore: rankRaw[i] - rankZ[i], bias: rankRaw[i] - rankB[i] },
      component: comp[i],
    })),
    reviewers: revs.map((reviewer, j) => ({ reviewer, reviews: nRev[j], mean: meanRev[j], sd: sdRev[j], bias: bias[j], component: comp[nA + j], zUndefined: zUndefined[j] })),
    kendall: { none_zscore: kendallTau(mean, zscore), none_bias: kendallTau(mean, q), zscore_bias: kendallTau(zscore, q) },
    components: compId.size,
    model: { rss, iterations },
    warnings,
  };
}

/** Conjugate gradients for a symmetric positive semi-definite K with a consistent right-hand side. */
function conjugateGradient(apply: (x: Float64Array, out: Float64Array) => void, b: Float64Array, n: number): { x: Float64Array; iterations: number } {
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  const Ap = new Float64Array(n);
  let rr = 0;
  for (let j = 0; j < n; j++) rr += r[j] * r[j];
  const stop = 1e-28 * Math.max(rr, 1);
  let it = 0;
  // In exact arithmetic CG ends within n steps; a few more absorb rounding.
  for (; it < 2 * n + 10 && rr > stop; it++) {
    apply(p, Ap);
    let pAp = 0;
    for (let j = 0; j < n; j++) pAp += p[j] * Ap[j];
    if (pAp <= 0) break;
    const alpha = rr / pAp;
    let rrNew = 0;
    for (let j = 0; j < n; j++) {
      x[j] += alpha * p[j];
      r[j] -= alpha * Ap[j];
      rrNew += r[j] * r[j];
    }
    const beta = rrNew / rr;
    rr = rrNew;
    for (let j = 0; j < n; j++) p[j] = r[j] + beta * p[j];
  }
  return { x, iterations: it };
}

// ---------------------------------------------------------------------------------------------
// Disagreement

/** An application whose reviews disagree beyond the threshold. */
export interface Disagreement {
  application: string;
  min: number;
  max: number;
  range: number;
  sd: number;
  message: string;
  message_en: string;
}

/**
 * Applications whose review scores spread too far: range (max − min) above `rangeShare` of the
 * scale's span (default 0.3), or population standard deviation above `sdShare` of it (default
 * 0.15). The scale is that of the scores given (e.g. 0–100 for weighted totals).
 */
export function disagreements(reviews: readonly Review[], scale: { min: number; max: number }, opts: { rangeShare?: number; sdShare?: number } = {}): Disagreement[] {
  const span = scale.max - scale.min;
  if (!(span > 0)) throw sheetError('SCORE_SHEET_INVALID', `评分范围无效：${scale.min}–${scale.max}`, `The score scale is not valid: ${scale.min}–${scale.max}`);
  const rangeShare = opts.rangeShare ?? 0.3;
  const sdShare = opts.sdShare ?? 0.15;
  const by = new Map<string, number[]>();
  for (const r of reviews) by.set(r.application, [...(by.get(r.application) ?? []), r.score]);
  const out: Disagreement[] = [];
  for (const [application, xs] of by) {
    if (xs.length < 2) continue;
    const min = Math.min(...xs);
    const max = Math.max(...xs);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    const range = max - min;
    if (range > rangeShare * span + 1e-9 || sd > sdShare * span + 1e-9)
      out.push({
        application,
        min,
        max,
        range,
        sd,
        message: `申请 ${application} 的评审意见分歧较大：最低 ${min}、最高 ${max}（极差 ${round(range)}，超过满分范围的 ${Math.round(rangeShare * 100)}%；标准差 ${round(sd)}）`,
        message_en: `The reviews of application ${application} disagree strongly: lowest ${min}, highest ${max} (range ${round(range)}, above ${Math.round(rangeShare * 100)} % of the scale; standard deviation ${round(sd)})`,
      });
  }
  return out;
}

const round = (x: number) => Math.round(x * 100) / 100;
