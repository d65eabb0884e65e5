/**
 * Uncertainty and sensitivity analysis (OECD/JRC Handbook step 7; Saisana, Saltelli & Tarantola
 * 2005), by Monte Carlo over the construction choices.
 *
 * Uncertain inputs ("factors"), each driven by uniforms on [0, 1):
 * - imputation method, normalisation method, aggregation method: one of the listed alternatives,
 *   index ⌊u·K⌋;
 * - weights (one group factor): every node weight multiplied by 1 + p·(2u − 1), i.e. U(1 − p, 1 + p),
 *   then renormalised per parent.
 *
 * Sampling follows Saltelli et al. (2010, Comput. Phys. Commun. 181:259–270): per row j two
 * independent points A_j, B_j and, per factor i, A_B^(i)_j (A_j with factor i's uniforms from B_j).
 * With Y the output, V = Var(Y) estimated from all f(A), f(B):
 *   first order  S_i  = (1/N) Σ_j f(B)_j (f(A_B^(i))_j − f(A)_j) / V      (Saltelli 2010, eq. b)
 *   total        S_Ti = (1/2N) Σ_j (f(A)_j − f(A_B^(i))_j)² / V           (Jansen 1999)
 * Outputs: each unit's rank, and the scalar mean absolute rank shift from the nominal ranking
 * (the Handbook's R̄_S). Rank intervals come from the f(A) and f(B) samples.
 *
 * Memory is flat in N: accumulators hold sums and an n×n rank histogram, never the samples. Rows
 * [from, to) run anywhere (worker threads) and their accumulators merge by addition; each row
 * draws from its own PRNG stream, and blocks are merged in a fixed order, so a run reproduces
 * bit for bit whatever the number of workers.
 */
import { evaluateTree, type CompiledTree, type EvalNotes } from './aggregate.ts';
import { EngineError } from './errors.ts';
import { rowSeed, xoshiro128ss } from './prng.ts';
import type { AggregateSpec } from './types.ts';

export type FactorName = 'imputation' | 'normalisation' | 'aggregation' | 'weights';

/** Everything a replication needs, precomputed and serialisable (sent to workers as is). */
export interface McModel {
  n: number;
  m: number;
  units: string[];
  tree: CompiledTree;
  /** normalised[imp][norm]: indicator columns concatenated (column j at j·n … j·n + n − 1), NaN = missing. */
  normalised: Float64Array[][];
  /** raw[imp]: treated, un-normalised indicator columns (for TOPSIS), same layout. */
  raw: Float64Array[];
  /** log of `normalised` (same layout), precomputed when a geometric mean is among the choices. */
  logs?: Float64Array[][];
  aggregations: AggregateSpec[];
  /** Nominal raw weight of every tree node (indicators, then aggregates). */
  baseWeights: Float64Array;
  perturbation: number;
  /** Tree nodes whose weights are perturbed (all but the root). */
  perturbable: number[];
  nominalRanks: Int32Array;
  /** Varying factors and the positions of their uniforms in a sample point. */
  factors: { name: FactorName; cols: number[] }[];
  dim: number;
  sensitivity: boolean;
}

/** Mergeable sums of a block of rows. */
export interface McAccumulator {
  n: number;
  groups: number;
  rows: number;
  /** Rank samples added to the histogram (2 per row with sensitivity, else 1). */
  samples: number;
  /** hist[u·n + r − 1] = how often unit u had rank r. */
  hist: Uint32Array;
  rankSum: Float64Array;
  /** [Σ f(A), Σ f(A)², Σ f(B), Σ f(B)²] of the scalar output. */
  y: Float64Array;
  first: Float64Array;
  total: Float64Array;
  /** Per-unit rank sums: [ΣA, ΣA², ΣB, ΣB²] × n (row-major by statistic). */
  unit: Float64Array;
  unitFirst: Float64Array;
  unitTotal: Float64Array;
  /** Model evaluations where a unit had no score (ranked last). */
  nanScores: number;
}

export function emptyAccumulator(n: number, groups: number): McAccumulator {
  return {
    n,
    groups,
    rows: 0,
    samples: 0,
    hist: new Uint32Array(n * n),
    rankSum: new Float64Array(n),
    y: new Float64Array(4),
    first: new Float64Array(groups),
    total: new Float64Array(groups),
    unit: new Float64Array(4 * n),
    unitFirst: new Float64Array(groups * n),
    unitTotal: new Float64Array(groups * n),
    nanScores: 0,
  };
}

/** Adds `b` into `a` (in place) and returns `a`. Addition order is the caller's: keep it fixed. */
export function mergeAccumulators(a: McAccumulator, b: McAccumulator): McAccumulator {
  if (a.n !== b.n || a.groups !== b.groups) throw new Error('mergeAccumulators: shapes differ');
  a.rows += b.rows;
  a.samples += b.samples;
  a.nanScores += b.nanScores;
  for (const k of ['hist', 'rankSum', 'y', 'first', 'total', 'unit', 'unitFirst', 'unitTotal'] as const) {
    const x = a[k];
    const y = b[k];
    for (let i = 0; i < x.length; i++) x[i] += y[i];
  }
  return a;
}

/** Scratch buffers of one evaluator (one per thread). */
interface Scratch {
  cols: Float64Array[];
  raw: Float64Array[];
  logs: Float64Array[];
  w: Float64Array;
  idx: Int32Array;
  notes: EvalNotes;
}

function scratchFor(model: McModel): Scratch {
  const { n, tree } = model;
  return {
    cols: tree.codes.map(() => new Float64Array(n)),
    raw: [],
    logs: [],
    w: new Float64Array(tree.codes.length),
    idx: new Int32Array(n),
    notes: { zerosInMean: new Set(), topsisDegenerate: new Set() },
  };
}

function pick(u: number, k: number): number {
  return Math.min(k - 1, Math.floor(u * k));
}

/**
 * One model evaluation at sample point `x`: writes ranks (1 = best, ties share the minimum rank,
 * missing scores last) into `ranks` and returns the mean absolute rank shift and the missing count.
 */
export function evaluatePoint(model: McModel, x: Float64Array, ranks: Int32Array, s: Scratch = scratchFor(model)): { y: number; nan: number } {
  const { n, m, tree } = model;
  let imp = 0;
  let norm = 0;
  let agg = 0;
  s.w.set(model.baseWeights);
  for (const f of model.factors) {
    if (f.name === 'imputation') imp = pick(x[f.cols[0]], model.raw.length);
    else if (f.name === 'normalisation') norm = pick(x[f.cols[0]], model.normalised[0].length);
    else if (f.name === 'aggregation') agg = pick(x[f.cols[0]], model.aggregations.length);
    else {
      const p = model.perturbation;
      f.cols.forEach((c, t) => (s.w[model.perturbable[t]] *= 1 + p * (2 * x[c] - 1)));
    }
  }
  const flat = model.normalised[imp][norm];
  const rawFlat = model.raw[imp];
  const logFlat = model.logs ? model.logs[imp][norm] : null;
  for (let j = 0; j < m; j++) {
    s.cols[j] = flat.subarray(j * n, (j + 1) * n);
    s.raw[j] = rawFlat.subarray(j * n, (j + 1) * n);
    if (logFlat) s.logs[j] = logFlat.subarray(j * n, (j + 1) * n);
  }
  evaluateTree(tree, s.cols, s.raw, s.w, model.aggregations[agg], n, s.notes, logFlat ? s.logs : null);
  const score = s.cols[tree.root];
  const idx = s.idx;
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => {
    const sa = score[a];
    const sb = score[b];
    if (Number.isNaN(sa)) return Number.isNaN(sb) ? 0 : 1;
    if (Number.isNaN(sb)) return -1;
    return sb - sa;
  });
  let nan = 0;
  let shift = 0;
  for (let k = 0; k < n; k++) {
    const i = idx[k];
    if (Number.isNaN(score[i])) {
      nan++;
      ranks[i] = n;
    } else ranks[i] = k > 0 && score[i] === score[idx[k - 1]] ? ranks[idx[k - 1]] : k + 1;
    shift += Math.abs(ranks[i] - model.nominalRanks[i]);
  }
  return { y: shift / n, nan };
}

/**
 * Runs Monte-Carlo rows [from, to) and returns their accumulator. Pure given (model, seed, from,
 * to): the unit of work a worker thread executes.
 */
export function runReplications(model: McModel, seed: number, from: number, to: number): McAccumulator {
  const { n, dim } = model;
  const G = model.sensitivity ? model.factors.length : 0;
  const acc = emptyAccumulator(n, G);
  const s = scratchFor(model);
  const a = new Float64Array(dim);
  const b = new Float64Array(dim);
  const c = new Float64Array(dim);
  const rA = new Int32Array(n);
  const rB = new Int32Array(n);
  const rC = new Int32Array(n);
  const addSample = (r: Int32Array) => {
    for (let u = 0; u < n; u++) {
      acc.hist[u * n + r[u] - 1]++;
      acc.rankSum[u] += r[u];
    }
    acc.samples++;
  };
  for (let row = from; row < to; row++) {
    const rng = xoshiro128ss(rowSeed(seed, row));
    for (let i = 0; i < dim; i++) a[i] = rng.next();
    for (let i = 0; i < dim; i++) b[i] = rng.next();
    const fa = evaluatePoint(model, a, rA, s);
    acc.nanScores += fa.nan;
    addSample(rA);
    acc.rows++;
    if (!model.sensitivity) continue;
    const fb = evaluatePoint(model, b, rB, s);
    acc.nanScores += fb.nan;
    addSample(rB);
    acc.y[0] += fa.y;
    acc.y[1] += fa.y * fa.y;
    acc.y[2] += fb.y;
    acc.y[3] += fb.y * fb.y;
    for (let u = 0; u < n; u++) {
      acc.unit[u] += rA[u];
      acc.unit[n + u] += rA[u] * rA[u];
      acc.unit[2 * n + u] += rB[u];
      acc.unit[3 * n + u] += rB[u] * rB[u];
    }
    model.factors.forEach((f, g) => {
      c.set(a);
      for (const col of f.cols) c[col] = b[col];
      const fc = evaluatePoint(model, c, rC, s);
      acc.nanScores += fc.nan;
      acc.first[g] += fb.y * (fc.y - fa.y);
      acc.total[g] += (fa.y - fc.y) * (fa.y - fc.y);
      for (let u = 0; u < n; u++) {
        acc.unitFirst[g * n + u] += rB[u] * (rC[u] - rA[u]);
        acc.unitTotal[g * n + u] += (rA[u] - rC[u]) * (rA[u] - rC[u]);
      }
    });
  }
  return acc;
}

/** Rows per block: fixed, so the merge order (and thus every floating-point sum) never changes. */
export const BLOCK_ROWS = 64;

/** Runs all N rows in-process, block by block in order (same result as the worker runner). */
export function runMonteCarloInProcess(model: McModel, seed: number, rows: number): McAccumulator {
  const acc = emptyAccumulator(model.n, model.sensitivity ? model.factors.length : 0);
  for (let from = 0; from < rows; from += BLOCK_ROWS) mergeAccumulators(acc, runReplications(model, seed, from, Math.min(rows, from + BLOCK_ROWS)));
  return acc;
}

export interface SensitivityIndex {
  factor: FactorName;
  /** First-order index S_i (share of output variance due to the factor alone). */
  first: number | null;
  /** Total index S_Ti (including all its interactions). */
  total: number | null;
}

export interface UncertaintySummary {
  seed: number;
  replications: number;
  /** Rank samples behind the intervals. */
  samples: number;
  quantiles: [number, number];
  factors: FactorName[];
  units: { unit: string; nominal_rank: number; median_rank: number; mean_rank: number; rank_interval: [number, number] }[];
  /** Indices for the mean absolute rank shift; null without sensitivity or when Var(Y) = 0. */
  sensitivity: SensitivityIndex[] | null;
  /** Indices for each unit's rank. */
  unit_sensitivity: Record<string, SensitivityIndex[]> | null;
  /** Output variance and mean of the mean absolute rank shift. */
  output: { mean: number; variance: number } | null;
  missing_scores: number;
}

/** Smallest rank r with cumulative frequency ≥ q·total (inverse empirical CDF, type 1). */
function histQuantile(hist: Uint32Array, offset: number, n: number, total: number, q: number): number {
  const need = q * total;
  let cum = 0;
  for (let r = 0; r < n; r++) {
    cum += hist[offset + r];
    if (cum >= need && cum > 0) return r + 1;
  }
  return n;
}

function indices(sumFirst: number, sumTotal: number, N: number, V: number): { first: number | null; total: number | null } {
  if (!(V > 0) || N === 0) return { first: null, total: null };
  return { first: sumFirst / N / V, total: sumTotal / (2 * N) / V };
}

/** Turns an accumulator into median ranks, rank intervals and sensitivity indices. */
export function summarise(model: McModel, acc: McAccumulator, seed: number, quantiles: [number, number] = [0.05, 0.95]): UncertaintySummary {
  const { n } = model;
  const units = model.units.map((unit, u) => ({
    unit,
    nominal_rank: model.nominalRanks[u],
    median_rank: histQuantile(acc.hist, u * n, n, acc.samples, 0.5),
    mean_rank: acc.rankSum[u] / acc.samples,
    rank_interval: [histQuantile(acc.hist, u * n, n, acc.samples, quantiles[0]), histQuantile(acc.hist, u * n, n, acc.samples, quantiles[1])] as [number, number],
  }));
  let sensitivity: SensitivityIndex[] | null = null;
  let unitSensitivity: Record<string, SensitivityIndex[]> | null = null;
  let output: UncertaintySummary['output'] = null;
  if (model.sensitivity && acc.rows > 0) {
    const N = acc.rows;
    const f0 = (acc.y[0] + acc.y[2]) / (2 * N);
    const V = Math.max(0, (acc.y[1] + acc.y[3]) / (2 * N) - f0 * f0);
    output = { mean: f0, variance: V };
    sensitivity = model.factors.map((f, g) => ({ factor: f.name, ...indices(acc.first[g], acc.total[g], N, V) }));
    unitSensitivity = {};
    model.units.forEach((unit, u) => {
      const m0 = (acc.unit[u] + acc.unit[2 * n + u]) / (2 * N);
      const v = Math.max(0, (acc.unit[n + u] + acc.unit[3 * n + u]) / (2 * N) - m0 * m0);
      unitSensitivity![unit] = model.factors.map((f, g) => ({ factor: f.name, ...indices(acc.unitFirst[g * n + u], acc.unitTotal[g * n + u], N, v) }));
    });
  }
  return {
    seed,
    replications: acc.rows,
    samples: acc.samples,
    quantiles,
    factors: model.factors.map((f) => f.name),
    units,
    sensitivity,
    unit_sensitivity: unitSensitivity,
    output,
    missing_scores: acc.nanScores,
  };
}

export interface LeaveOneOutResult {
  indicator: string;
  /** Mean and largest absolute rank change over units when the indicator is left out. */
  mean_abs_shift: number;
  max_abs_shift: number;
  /** Rank change per unit (positive = worse rank without the indicator). */
  shifts: Record<string, number>;
}

/**
 * Leave-one-indicator-out: the nominal model re-aggregated with each indicator's weight set to 0
 * (its siblings' weights renormalise; other weights stay as they are).
 */
export function leaveOneOut(model: McModel): LeaveOneOutResult[] {
  const { n, m } = model;
  const s = scratchFor(model);
  const ranks = new Int32Array(n);
  const nominalModel: McModel = { ...model, factors: [], perturbation: 0 };
  const out: LeaveOneOutResult[] = [];
  for (let j = 0; j < m; j++) {
    const w = new Float64Array(model.baseWeights);
    w[j] = 0;
    evaluatePoint({ ...nominalModel, baseWeights: w }, new Float64Array(0), ranks, s);
    const shifts: Record<string, number> = {};
    let sum = 0;
    let max = 0;
    for (let u = 0; u < n; u++) {
      const d = ranks[u] - model.nominalRanks[u];
      shifts[model.units[u]] = d;
      sum += Math.abs(d);
      max = Math.max(max, Math.abs(d));
    }
    out.push({ indicator: model.tree.codes[j], mean_abs_shift: sum / n, max_abs_shift: max, shifts });
  }
  return out;
}

/** Checks a model before sampling: something must vary, and every combination of choices must run. */
export function validateModel(model: McModel): void {
  if (model.factors.length === 0) {
    throw new EngineError('MC_NOTHING_VARIES', '不确定性分析没有任何变化的因素（权重扰动为 0，且各方法只有一个选项）', 'The uncertainty analysis has nothing to vary (no weight perturbation and a single option per method)');
  }
  const s = scratchFor(model);
  const ranks = new Int32Array(model.n);
  const K = [model.raw.length, model.normalised[0].length, model.aggregations.length];
  for (let i = 0; i < K[0]; i++) {
    for (let k = 0; k < K[1]; k++) {
      for (let a = 0; a < K[2]; a++) {
        const x = new Float64Array(model.dim).fill(0.5);
        for (const f of model.factors) {
          if (f.name === 'imputation') x[f.cols[0]] = (i + 0.5) / K[0];
          if (f.name === 'normalisation') x[f.cols[0]] = (k + 0.5) / K[1];
          if (f.name === 'aggregation') x[f.cols[0]] = (a + 0.5) / K[2];
        }
        try {
          evaluatePoint(model, x, ranks, s);
        } catch (e) {
          if (e instanceof EngineError) {
            throw new EngineError(
              'MC_INCOMPATIBLE_CHOICE',
              `不确定性分析中的方法组合无法计算（插补 #${i + 1}、标准化 #${k + 1}、汇总 #${a + 1}）：${e.message}`,
              `A combination of choices in the uncertainty analysis cannot be computed (imputation #${i + 1}, normalisation #${k + 1}, aggregation #${a + 1}): ${e.message_en}`,
              [{ code: e.code, imputation: i, normalisation: k, aggregation: a }, ...e.details],
            );
          }
          throw e;
        }
      }
    }
  }
}
