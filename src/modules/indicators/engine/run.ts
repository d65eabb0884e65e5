/**
 * One full composite-indicator run: denominate → impute → (select the time point) → screen →
 * check variance → treat outliers → normalise → weight → aggregate → rank → analyse → optional
 * Monte-Carlo uncertainty and sensitivity analysis.
 *
 * Every intermediate table is returned, and the diagnostics record the framework version, a hash
 * of the data, the resolved method choices and the seed, so a run can be reproduced exactly and
 * compared with another. No published number is ever NaN: a value that cannot be computed is null
 * with an explicit warning, or the run is refused with a coded EngineError.
 */
import { createHash } from 'node:crypto';
import { aggregate, compileTree, toFloat, type AggregateDiagnostics } from './aggregate.ts';
import { analyse, type AnalysisResult } from './analysis.ts';
import { checkDataTable, cloneTable, selectUnits } from './data.ts';
import { denominate, type DenominateDiagnostics } from './denominate.ts';
import { EngineError, warning } from './errors.ts';
import { assertKnownCodes, pruneFramework } from './framework.ts';
import { impute, type ImputeDiagnostics } from './impute.ts';
import { normalise, type NormaliseDiagnostics } from './normalise.ts';
import { normaliseSeed } from './prng.ts';
import { screenUnits, type ScreenDiagnostics } from './screen.ts';
import { present, rankMin } from './stats.ts';
import { treatOutliers, type TreatDiagnostics } from './treat.ts';
import type { AggregateSpec, Cell, CompositeResult, DataTable, EngineWarning, Framework, ImputeSpec, Methods, NormaliseSpec, RunOptions, UnitResult, WeightSpec } from './types.ts';
import { runMonteCarlo } from './uncertainty.runner.ts';
import { leaveOneOut, runMonteCarloInProcess, summarise, validateModel, type LeaveOneOutResult, type McAccumulator, type McModel, type UncertaintySummary } from './uncertainty.ts';
import { computeWeights, type WeightsResult } from './weights.ts';

/** Engine version recorded with every run (bump when a change can alter numbers). */
export const ENGINE_VERSION = '1.0.0';

export interface RunDiagnostics {
  provenance: {
    engine_version: string;
    framework_version: string | null;
    /** SHA-256 of the input data table (units, columns, values, groups, denominators, times). */
    data_hash: string;
    methods: ResolvedMethods;
    seed: number;
    units_in: number;
    units_out: number;
  };
  warnings: EngineWarning[];
  /** Indicators removed before normalisation (zero variance or no data, with zeroVariance: 'drop'). */
  dropped_indicators: string[];
  denominate: DenominateDiagnostics | null;
  impute: ImputeDiagnostics;
  /** Data availability per unit and indicator (and who was screened out, if screening was asked). */
  screen: ScreenDiagnostics;
  treat: TreatDiagnostics;
  normalise: NormaliseDiagnostics;
  weights: Omit<WeightsResult, 'warnings'>;
  aggregate: AggregateDiagnostics;
  analysis: AnalysisResult;
  uncertainty: UncertaintySummary | null;
  leave_one_out: LeaveOneOutResult[] | null;
}

export type ResolvedMethods = Required<Pick<Methods, 'denominate' | 'impute' | 'treat' | 'normalise' | 'weights' | 'aggregate' | 'zeroVariance'>> & Pick<Methods, 'screen' | 'time' | 'uncertainty'>;

/** Fills every method choice with its textbook default. */
export function resolveMethods(fw: Framework, m: Methods = {}): ResolvedMethods {
  return {
    denominate: m.denominate ?? fw.indicators.some((c) => fw.node[c].denominator !== null),
    impute: m.impute ?? { method: 'none' },
    screen: m.screen ?? null,
    treat: m.treat ?? { method: 'none' },
    normalise: m.normalise ?? { method: 'minmax' },
    weights: m.weights ?? { method: 'meta' },
    aggregate: m.aggregate ?? { method: 'arithmetic' },
    zeroVariance: m.zeroVariance ?? 'error',
    ...(m.time !== undefined ? { time: m.time } : {}),
    uncertainty: m.uncertainty ?? null,
  };
}

/** SHA-256 of the data content, stable across key order. */
export function hashData(data: DataTable): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([data.units, data.times ?? null, data.codes, data.values]));
  for (const [k, v] of Object.entries(data.groups ?? {}).sort(([a], [b]) => a.localeCompare(b))) h.update(JSON.stringify([k, v]));
  for (const [k, v] of Object.entries(data.denominators ?? {}).sort(([a], [b]) => a.localeCompare(b))) h.update(JSON.stringify([k, v]));
  return h.digest('hex');
}

/** Normalisations that divide by a spread and so cannot take a constant indicator. */
const NEEDS_VARIANCE: ReadonlySet<NormaliseSpec['method']> = new Set(['minmax', 'zscore', 'prank']);

function usesPca(w: WeightSpec): boolean {
  return w.method === 'pca' || (w.method === 'combine' && (usesPca(w.subjective) || usesPca(w.objective)));
}

/** Checks the codes a method spec refers to against the framework. */
function checkReferences(fw: Framework, m: ResolvedMethods): void {
  const norms = [m.normalise, ...(m.uncertainty?.normalisations ?? [])];
  for (const n of norms) if (n.method === 'goalposts') assertKnownCodes(fw, Object.keys(n.goalposts), ['门槛值', 'Goalposts'], 'indicator');
  if (m.treat.indicators) assertKnownCodes(fw, Object.keys(m.treat.indicators), ['异常值处理设置', 'Outlier treatment settings'], 'indicator');
  const ws = (w: WeightSpec): void => {
    if (w.method === 'expert') assertKnownCodes(fw, Object.keys(w.weights), ['专家权重', 'Expert weights']);
    if (w.method === 'combine') {
      ws(w.subjective);
      ws(w.objective);
    }
  };
  ws(m.weights);
}

/** Keeps only the framework's indicator columns, in framework order. */
function indicatorTable(fw: Framework, data: DataTable): DataTable {
  const idx = fw.indicators.map((c) => data.codes.indexOf(c));
  return { ...cloneTable(data), codes: [...fw.indicators], values: data.values.map((r) => idx.map((j) => r[j])) };
}

/** Rows of the requested time point (panels), or the table itself. */
function atTime(data: DataTable, time: number | undefined): DataTable {
  if (!data.times) return data;
  const distinct = [...new Set(data.times.filter((t): t is number => t !== null))];
  const t = time ?? (distinct.length === 1 ? distinct[0] : undefined);
  if (t === undefined) {
    throw new EngineError('TIME_REQUIRED', `面板数据含多个时间点（${distinct.join('、')}），请指定要评价的时间点`, `The panel has several time points (${distinct.join(', ')}); choose the one to evaluate`, [{ field: 'time', values: distinct }]);
  }
  const keep = data.times.flatMap((x, i) => (x === t ? [i] : []));
  if (keep.length === 0) throw new EngineError('TIME_NOT_IN_DATA', `数据中没有时间点 ${t}`, `The data has no time point ${t}`, [{ field: 'time', value: t }]);
  const out = selectUnits(data, keep);
  delete out.times;
  return out;
}

/** Indicators with no values, or with a single distinct value, in the table. */
function degenerateIndicators(data: DataTable): { empty: string[]; constant: string[] } {
  const empty: string[] = [];
  const constant: string[] = [];
  data.codes.forEach((c, j) => {
    const v = present(data.values.map((r) => r[j]));
    if (v.length === 0) empty.push(c);
    else if (v.every((x) => x === v[0])) constant.push(c);
  });
  return { empty, constant };
}

function dropColumns(data: DataTable, drop: readonly string[]): DataTable {
  if (drop.length === 0) return data;
  const keep = data.codes.flatMap((c, j) => (drop.includes(c) ? [] : [j]));
  return { ...data, codes: keep.map((j) => data.codes[j]), values: data.values.map((r) => keep.map((j) => r[j])) };
}

/** Flattens a table's indicator columns (framework order) into one Float64Array, NaN for missing. */
function flatColumns(fw: Framework, data: DataTable): Float64Array {
  const n = data.units.length;
  const out = new Float64Array(fw.indicators.length * n);
  fw.indicators.forEach((c, j) => {
    const k = data.codes.indexOf(c);
    out.set(toFloat(data.values.map((r) => r[k])), j * n);
  });
  return out;
}

/** A run computed up to, not including, the Monte-Carlo sampling (see `prepareComposite`). */
export interface PreparedRun {
  result: Omit<CompositeResult, 'diagnostics'> & { diagnostics: RunDiagnostics };
  warnings: EngineWarning[];
  /** The Monte-Carlo model (sampled choices) and the nominal model (leave-one-out), if requested. */
  mc: { model: McModel; nominal: McModel; rows: number; seed: number; quantiles: [number, number]; workers?: number; loo: boolean } | null;
}

/**
 * Everything up to (not including) the Monte-Carlo sampling. Synchronous and pure. Callers that
 * schedule the sampling themselves (a job queue, progress bars) take `mc.model` from here and feed
 * `runReplications` / `runMonteCarlo`; `runComposite` does exactly that.
 */
export function prepareComposite(fw0: Framework, data: DataTable, methods: Methods = {}, opts: RunOptions = {}): PreparedRun {
  checkDataTable(fw0, data);
  const m = resolveMethods(fw0, methods);
  checkReferences(fw0, m);
  const seed = normaliseSeed(opts.seed);
  const warnings: EngineWarning[] = [];
  const extra = data.codes.filter((c) => !fw0.indicators.includes(c));
  if (extra.length) warnings.push(warning('EXTRA_COLUMNS', `以下数据列不在指标体系中，已忽略：${extra.join('、')}`, `Columns not in the framework were ignored: ${extra.join(', ')}`, { columns: extra }));

  const raw = indicatorTable(fw0, data);
  const den = m.denominate ? denominate(raw, fw0) : null;
  const denominated = den ? den.data : cloneTable(raw);
  if (den) warnings.push(...den.warnings);
  const imp = impute(denominated, m.impute);
  warnings.push(...imp.warnings);
  const current = atTime(imp.data, m.time);
  const scr = m.screen ? screenUnits(current, m.screen) : null;
  if (scr) warnings.push(...scr.warnings);
  const screened0 = scr ? scr.data : cloneTable(current);
  // Without screening, availability per unit and indicator is still reported (threshold 0 keeps all).
  const availability = scr ? scr.diagnostics : screenUnits(current, { threshold: 0 }).diagnostics;

  // Indicators that cannot be normalised: refuse, or drop them from the framework when allowed.
  const { empty, constant } = degenerateIndicators(screened0);
  const normList = [m.normalise, ...(m.uncertainty?.normalisations ?? [])];
  const blocking = [...empty, ...constant.filter(() => normList.some((n) => NEEDS_VARIANCE.has(n.method)) || usesPca(m.weights))];
  if (blocking.length && m.zeroVariance === 'error') {
    const code = empty.length ? 'INDICATOR_ALL_MISSING' : 'ZERO_VARIANCE';
    throw new EngineError(
      code,
      `以下指标没有数据或所有单位取值相同，无法计算：${blocking.join('、')}；请删除这些指标，或设置 zeroVariance: 'drop'`,
      `These indicators have no data or the same value for every unit and cannot be used: ${blocking.join(', ')}; remove them or set zeroVariance: 'drop'`,
      blocking.map((c) => ({ column: c, code: empty.includes(c) ? 'INDICATOR_ALL_MISSING' : 'ZERO_VARIANCE' })),
    );
  }
  if (blocking.length) warnings.push(warning('INDICATORS_DROPPED', `以下指标因无数据或方差为零被删除：${blocking.join('、')}`, `Indicators dropped for having no data or zero variance: ${blocking.join(', ')}`, { indicators: blocking }));
  const nonBlockingConstant = constant.filter((c) => !blocking.includes(c));
  if (nonBlockingConstant.length) {
    warnings.push(warning('ZERO_VARIANCE', `以下指标在所有单位上取值相同，不区分单位：${nonBlockingConstant.join('、')}`, `These indicators have the same value for every unit and do not discriminate: ${nonBlockingConstant.join(', ')}`, { indicators: nonBlockingConstant }));
  }
  const fw = pruneFramework(fw0, blocking);
  const screened = dropColumns(screened0, blocking);

  const allMissingUnits = screened.units.filter((_, u) => screened.values[u].every((v) => v === null));
  if (allMissingUnits.length) {
    warnings.push(warning('UNIT_ALL_MISSING', `以下单位没有任何指标数据，得分为空：${allMissingUnits.join('、')}`, `These units have no indicator data and get no score: ${allMissingUnits.join(', ')}`, { units: allMissingUnits }));
  }

  const tr = treatOutliers(screened, m.treat);
  warnings.push(...tr.warnings);
  const nor = normalise(tr.data, fw, m.normalise);
  warnings.push(...nor.warnings);
  const wts = computeWeights(fw, m.weights, tr.data);
  warnings.push(...wts.warnings);
  const agg = aggregate(fw, nor.data, wts.node, m.aggregate, tr.data);
  warnings.push(...agg.warnings);

  const aggregated = agg.data;
  const colOf = (code: string): Cell[] => {
    const j = aggregated.codes.indexOf(code);
    return aggregated.values.map((r) => r[j]);
  };
  const score = colOf(fw.root);
  const rank = rankMin(score, true);
  const dimRanks: Record<string, { score: Cell[]; rank: (number | null)[] }> = {};
  for (const a of fw.aggregates) {
    if (a === fw.root) continue;
    const s = colOf(a);
    dimRanks[a] = { score: s, rank: rankMin(s, true) };
  }
  const noScore = aggregated.units.filter((_, u) => score[u] === null && !allMissingUnits.includes(aggregated.units[u]));
  if (noScore.length) {
    warnings.push(warning('UNIT_NO_SCORE', `以下单位数据不足，无法计算总得分：${noScore.join('、')}`, `These units have too little data for an index score: ${noScore.join(', ')}`, { units: noScore }));
  }

  const units: UnitResult[] = aggregated.units.map((unit, u) => ({
    unit,
    name: aggregated.unitNames?.[u] ?? null,
    score: score[u],
    rank: rank[u],
    rank_interval: null,
    median_rank: null,
    dimensions: Object.fromEntries(Object.entries(dimRanks).map(([k, v]) => [k, { score: v.score[u], rank: v.rank[u] }])),
  }));

  const analysis = analyse(fw, aggregated, wts.node);
  const { warnings: _w, ...weightsDiag } = wts;
  void _w;

  let mc: PreparedRun['mc'] = null;
  if (m.uncertainty) {
    const u = m.uncertainty;
    if (!(Number.isInteger(u.replications) && u.replications > 0)) {
      throw new EngineError('INVALID_REPLICATIONS', '蒙特卡洛次数必须是正整数', 'The number of Monte-Carlo replications must be a positive integer', [{ field: 'replications', value: u.replications }]);
    }
    const p = u.weightPerturbation ?? 0;
    if (!(p >= 0 && p < 1)) {
      throw new EngineError('INVALID_PERTURBATION', '权重扰动幅度必须在 [0, 1) 之间', 'The weight perturbation must lie in [0, 1)', [{ field: 'weightPerturbation', value: p }]);
    }
    const q = u.quantiles ?? [0.05, 0.95];
    if (!(q[0] >= 0 && q[0] < q[1] && q[1] <= 1)) throw new EngineError('INVALID_QUANTILES', '排名区间分位数无效', 'Invalid rank-interval quantiles', [{ field: 'quantiles', value: q }]);
    const imputations: ImputeSpec[] = u.imputations?.length ? u.imputations : [m.impute];
    const normalisations: NormaliseSpec[] = u.normalisations?.length ? u.normalisations : [m.normalise];
    const aggregations: AggregateSpec[] = u.aggregations?.length ? u.aggregations : [m.aggregate];
    const unitIndex = new Map(current.units.map((x, i) => [x, i]));
    const keep = screened.units.map((x) => unitIndex.get(x)!);
    const treatedFor = (spec: ImputeSpec): DataTable => {
      const cur = atTime(impute(denominated, spec).data, m.time);
      return treatOutliers(dropColumns(selectUnits(cur, keep), blocking), m.treat).data;
    };
    const treatedAlt = imputations.map(treatedFor);
    const tree = compileTree(fw);
    const n = screened.units.length;
    const nominalRanks = Int32Array.from(rank.map((r) => r ?? n));
    const baseWeights = Float64Array.from(tree.codes.map((c) => wts.node[c] ?? 0));
    const perturbable = tree.codes.map((_, i) => i).filter((i) => i !== tree.root);
    const factors: McModel['factors'] = [];
    let dim = 0;
    if (imputations.length > 1) factors.push({ name: 'imputation', cols: [dim++] });
    if (normalisations.length > 1) factors.push({ name: 'normalisation', cols: [dim++] });
    if (aggregations.length > 1) factors.push({ name: 'aggregation', cols: [dim++] });
    if (p > 0) factors.push({ name: 'weights', cols: perturbable.map(() => dim++) });
    const model: McModel = {
      n,
      m: fw.indicators.length,
      units: [...screened.units],
      tree,
      normalised: treatedAlt.map((t) => normalisations.map((ns) => flatColumns(fw, normalise(t, fw, ns).data))),
      raw: treatedAlt.map((t) => flatColumns(fw, t)),
      aggregations,
      baseWeights,
      perturbation: p,
      perturbable,
      nominalRanks,
      factors,
      dim,
      sensitivity: u.sensitivity ?? true,
    };
    // Logs of the normalised values spare a Math.log per cell and replication under geometric means.
    if (aggregations.some((a) => a.method === 'geometric' || Object.values(a.levels ?? {}).some((l) => l.method === 'geometric'))) {
      model.logs = model.normalised.map((byNorm) => byNorm.map((f) => f.map((v) => (v > 0 ? Math.log(v) : NaN))));
    }
    validateModel(model);
    const { logs: _logs, ...withoutLogs } = model;
    void _logs;
    const nominal: McModel = { ...withoutLogs, normalised: [[flatColumns(fw, nor.data)]], raw: [flatColumns(fw, tr.data)], aggregations: [m.aggregate], factors: [], dim: 0, perturbation: 0, sensitivity: false };
    mc = { model, nominal, rows: u.replications, seed, quantiles: q, ...(u.workers !== undefined ? { workers: u.workers } : {}), loo: u.leaveOneOut ?? true };
  }

  const diagnostics: RunDiagnostics = {
    provenance: {
      engine_version: ENGINE_VERSION,
      framework_version: fw0.version,
      data_hash: hashData(data),
      methods: m,
      seed,
      units_in: current.units.length,
      units_out: screened.units.length,
    },
    warnings,
    dropped_indicators: blocking,
    denominate: den ? den.diagnostics : null,
    impute: imp.diagnostics,
    screen: availability,
    treat: tr.diagnostics,
    normalise: nor.diagnostics,
    weights: weightsDiag,
    aggregate: agg.diagnostics,
    analysis,
    uncertainty: null,
    leave_one_out: null,
  };
  return {
    result: {
      units,
      weights: { ...wts.effective },
      node_weights: { ...wts.node },
      diagnostics,
      intermediate: { raw, denominated, imputed: imp.data, screened, treated: tr.data, normalised: nor.data, aggregated },
    },
    warnings,
    mc,
  };
}

/** Attaches the Monte-Carlo summary, sorts the units and scrubs any non-finite number. */
/** Completes a prepared run with the Monte-Carlo accumulator (null without uncertainty analysis). */
export function finishComposite(p: PreparedRun, acc: McAccumulator | null): CompositeResult {
  const r = p.result;
  if (p.mc && acc) {
    const summary = summarise(p.mc.model, acc, p.mc.seed, p.mc.quantiles);
    r.diagnostics.uncertainty = summary;
    const byUnit = new Map(summary.units.map((x) => [x.unit, x]));
    for (const u of r.units) {
      const s = byUnit.get(u.unit);
      if (s && u.score !== null) {
        u.rank_interval = s.rank_interval;
        u.median_rank = s.median_rank;
      }
    }
    if (summary.missing_scores > 0) {
      p.warnings.push(warning('MC_MISSING_SCORES', `蒙特卡洛模拟中有 ${summary.missing_scores} 次出现无法计算的得分（按最后一名计）`, `${summary.missing_scores} unit scores could not be computed in the Monte-Carlo runs (ranked last)`, { count: summary.missing_scores }));
    }
    if (p.mc.loo) r.diagnostics.leave_one_out = leaveOneOut(p.mc.nominal);
  }
  r.units.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const bad: string[] = [];
  const scrub = (v: unknown, path: string): unknown => {
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v;
      bad.push(path);
      return null;
    }
    if (Array.isArray(v)) return v.map((x, i) => scrub(x, `${path}[${i}]`));
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) (v as Record<string, unknown>)[k] = scrub(x, `${path}.${k}`);
      return v;
    }
    return v;
  };
  scrub(r.units, 'units');
  scrub(r.weights, 'weights');
  if (bad.length) {
    p.warnings.push(warning('NON_FINITE_VALUE', `结果中有 ${bad.length} 个无法计算的数值，已置为空`, `${bad.length} values of the result could not be computed and were set to null`, { paths: bad.slice(0, 50) }));
  }
  return r as CompositeResult;
}

/**
 * Runs a composite indicator. The Monte-Carlo part (if requested) uses worker threads when it is
 * large; everything else is synchronous and pure.
 */
export async function runComposite(fw: Framework, data: DataTable, methods: Methods = {}, opts: RunOptions & { onProgress?: (done: number, total: number) => void } = {}): Promise<CompositeResult> {
  const p = prepareComposite(fw, data, methods, opts);
  const acc = p.mc ? await runMonteCarlo(p.mc.model, p.mc.seed, p.mc.rows, { ...(p.mc.workers !== undefined ? { workers: p.mc.workers } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) }) : null;
  return finishComposite(p, acc);
}

/** The same run, entirely on the calling thread (Monte Carlo included). */
export function runCompositeSync(fw: Framework, data: DataTable, methods: Methods = {}, opts: RunOptions = {}): CompositeResult {
  const p = prepareComposite(fw, data, methods, opts);
  const acc = p.mc ? runMonteCarloInProcess(p.mc.model, p.mc.seed, p.mc.rows) : null;
  return finishComposite(p, acc);
}
