/**
 * Aggregation up the framework tree (OECD/JRC Handbook step 6), level by level, with a method per
 * level. For parent p with children k (weights w_k renormalised over the children present):
 *
 * - arithmetic: Σ w_k x_k / Σ w_k (COINr a_amean);
 * - geometric:  Π x_k^{w_k/Σw} — defined for x > 0 only (zeros allowed with nonPositive: 'warn');
 * - harmonic:   Σ w_k / Σ (w_k / x_k) — same domain as geometric;
 * - topsis:     Hwang & Yoon (1981): vector normalisation r_ik = x_ik / √(Σ_i x_ik²) of the raw
 *               (treated, un-normalised) indicator values — or of the children's scores above level
 *               2 — weighted v = w·r, Euclidean distances d⁺, d⁻ to the ideal and anti-ideal (max /
 *               min by direction), closeness d⁻ / (d⁺ + d⁻).
 *
 * A parent is missing for a unit when fewer than `minDataShare` of its children are present.
 * The numeric core works on Float64Array columns (NaN = missing) so the Monte-Carlo loop can reuse
 * it without allocating.
 */
import { EngineError, warning } from './errors.ts';
import type { AggregateLevelSpec, AggregateSpec, Cell, DataTable, EngineWarning, Framework, StepResult } from './types.ts';

/** The framework tree flattened for fast evaluation. Node index: indicators 0…m−1, then aggregates. */
export interface CompiledTree {
  codes: string[];
  m: number;
  direction: number[];
  level: number[];
  /** Aggregates in evaluation order (lowest level first). */
  aggregates: { node: number; level: number; children: number[] }[];
  root: number;
}

export function compileTree(fw: Framework): CompiledTree {
  const codes = [...fw.indicators, ...fw.aggregates];
  const at = new Map(codes.map((c, i) => [c, i]));
  return {
    codes,
    m: fw.indicators.length,
    direction: codes.map((c) => fw.node[c].direction),
    level: codes.map((c) => fw.node[c].level),
    aggregates: fw.aggregates.map((a) => ({ node: at.get(a)!, level: fw.node[a].level, children: fw.children[a].map((k) => at.get(k)!) })),
    root: at.get(fw.root)!,
  };
}

/** Warnings raised while evaluating (counted, so a Monte-Carlo run can report them once). */
export interface EvalNotes {
  zerosInMean: Set<string>;
  topsisDegenerate: Set<string>;
}

const AGGREGATE_METHODS: ReadonlySet<string> = new Set(['arithmetic', 'geometric', 'harmonic', 'topsis']);

/** The aggregation settings that apply to parents at `level` (per-level choice, else the default). */
export function levelSpec(spec: AggregateSpec, level: number): Required<AggregateLevelSpec> {
  const s = spec.levels?.[level] ?? spec;
  if (!AGGREGATE_METHODS.has(s.method)) {
    throw new EngineError('UNKNOWN_METHOD', `未知的汇总方法：${s.method}`, `Unknown aggregation method: ${s.method}`, [{ field: 'aggregate', value: s.method, level }]);
  }
  return { method: s.method, minDataShare: s.minDataShare ?? spec.minDataShare ?? 0, nonPositive: s.nonPositive ?? spec.nonPositive ?? 'error' };
}

function nonPositiveError(method: string, node: string, unit: number | string, child: string, value: number): EngineError {
  const zh = method === 'geometric' ? '几何平均' : '调和平均';
  const which = typeof unit === 'number' ? [`第 ${unit + 1} 个单位`, `unit #${unit + 1}`] : [`单位 ${unit}`, `unit ${unit}`];
  return new EngineError(
    'NON_POSITIVE_FOR_MEAN',
    `${zh}要求取值为正，但 ${node} 的下级 ${child} 出现 ${value}（${which[0]}）；请改用取值为正的标准化（如 min-max 到 [1,100]）或算术平均`,
    `The ${method} mean needs positive values, but child ${child} of ${node} has ${value} (${which[1]}); normalise onto a positive range (e.g. min-max to [1, 100]) or use the arithmetic mean`,
    [{ code: 'NON_POSITIVE_FOR_MEAN', method, node, child, ...(typeof unit === 'number' ? { unit_index: unit } : { unit }), value }],
  );
}

/**
 * Evaluates all aggregates. `cols[i]` holds node i's scores (indicators filled in by the caller,
 * aggregates written here); `raw` holds the treated indicator values for TOPSIS; `w[i]` is node i's
 * raw weight (renormalised here over the children present).
 */
export function evaluateTree(
  tree: CompiledTree,
  cols: Float64Array[],
  raw: Float64Array[] | null,
  w: ArrayLike<number>,
  spec: AggregateSpec,
  n: number,
  notes: EvalNotes,
  logs: Float64Array[] | null = null,
): void {
  const sc = scratch(n);
  for (const agg of tree.aggregates) {
    const s = levelSpec(spec, agg.level);
    const out = cols[agg.node];
    const kids = agg.children;
    const k = kids.length;
    if (s.method === 'topsis') {
      topsisNode(tree, agg, cols, raw, w, n, out, notes);
      continue;
    }
    // Column by column (cache- and JIT-friendly): accumulate Σw·f(x), Σw and the count present.
    const { sw, cnt, zero } = sc;
    out.fill(0);
    sw.fill(0);
    cnt.fill(0);
    zero.fill(0);
    const arithmetic = s.method === 'arithmetic';
    const geometric = s.method === 'geometric';
    let allComplete = true;
    let swAll = 0;
    for (let c = 0; c < k; c++) {
      const child = kids[c];
      const wc = w[child];
      const x = cols[child];
      let complete = true;
      for (let u = 0; u < n; u++) {
        if (x[u] !== x[u]) {
          complete = false;
          break;
        }
      }
      swAll += wc;
      if (arithmetic && complete) {
        // Fast path: no missing value in this child, so every unit gets the same weight.
        for (let u = 0; u < n; u++) out[u] += wc * x[u];
        if (!allComplete) for (let u = 0; u < n; u++) (sw[u] += wc), cnt[u]++;
        continue;
      }
      if (allComplete) {
        // First incomplete child: bring the per-unit sums up to date with the complete ones before it.
        allComplete = false;
        sw.fill(swAll - wc);
        cnt.fill(c);
      }
      if (arithmetic) {
        for (let u = 0; u < n; u++) {
          const v = x[u];
          if (v === v) {
            out[u] += wc * v;
            sw[u] += wc;
            cnt[u]++;
          }
        }
        continue;
      }
      const lx = geometric && logs && child < tree.m ? logs[child] : null;
      for (let u = 0; u < n; u++) {
        const v = x[u];
        if (v !== v) continue;
        cnt[u]++;
        sw[u] += wc;
        if (wc === 0) continue;
        if (v > 0) out[u] += geometric ? wc * (lx ? lx[u] : Math.log(v)) : wc / v;
        else {
          if (v < 0 || s.nonPositive === 'error') throw nonPositiveError(s.method, tree.codes[agg.node], u, tree.codes[child], v);
          zero[u] = 1;
        }
      }
    }
    if (allComplete) {
      if (!(swAll > 0)) out.fill(NaN);
      else for (let u = 0; u < n; u++) out[u] /= swAll;
      continue;
    }
    let anyZero = false;
    for (let u = 0; u < n; u++) {
      if (cnt[u] === 0 || cnt[u] / k < s.minDataShare || !(sw[u] > 0)) {
        out[u] = NaN;
        continue;
      }
      if (arithmetic) out[u] /= sw[u];
      else if (zero[u]) {
        // A zero child makes both the geometric and the harmonic mean zero (their limits as x → 0⁺).
        out[u] = 0;
        anyZero = true;
      } else out[u] = geometric ? Math.exp(out[u] / sw[u]) : sw[u] / out[u];
    }
    if (anyZero) notes.zerosInMean.add(tree.codes[agg.node]);
  }
}

/** Per-thread scratch buffers for evaluateTree, grown on demand (no allocation per evaluation). */
let scratchBuf: { n: number; sw: Float64Array; cnt: Float64Array; zero: Uint8Array } | null = null;
function scratch(n: number): { sw: Float64Array; cnt: Float64Array; zero: Uint8Array } {
  if (!scratchBuf || scratchBuf.n < n) scratchBuf = { n, sw: new Float64Array(n), cnt: new Float64Array(n), zero: new Uint8Array(n) };
  if (scratchBuf.n === n) return scratchBuf;
  return { sw: scratchBuf.sw.subarray(0, n), cnt: scratchBuf.cnt.subarray(0, n), zero: scratchBuf.zero.subarray(0, n) };
}

function topsisNode(
  tree: CompiledTree,
  agg: CompiledTree['aggregates'][number],
  cols: Float64Array[],
  raw: Float64Array[] | null,
  w: ArrayLike<number>,
  n: number,
  out: Float64Array,
  notes: EvalNotes,
): void {
  const kids = agg.children;
  const k = kids.length;
  let sw = 0;
  for (let c = 0; c < k; c++) sw += w[kids[c]];
  const x: Float64Array[] = [];
  const dir: number[] = [];
  for (let c = 0; c < k; c++) {
    const i = kids[c];
    const isInd = i < tree.m;
    if (isInd && !raw) throw new EngineError('TOPSIS_NO_RAW', 'TOPSIS 需要未标准化的原始数据', 'TOPSIS needs the raw (un-normalised) values');
    x.push(isInd ? raw![i] : cols[i]);
    // Indicators carry their own direction; aggregate scores are already "higher is better".
    dir.push(isInd ? tree.direction[i] : 1);
  }
  for (let c = 0; c < k; c++) {
    for (let u = 0; u < n; u++) {
      if (Number.isNaN(x[c][u])) {
        throw new EngineError(
          'TOPSIS_MISSING_DATA',
          `TOPSIS 需要完整数据，但 ${tree.codes[agg.node]} 的下级 ${tree.codes[kids[c]]} 有缺失值；请先插补`,
          `TOPSIS needs complete data, but child ${tree.codes[kids[c]]} of ${tree.codes[agg.node]} has missing values; impute first`,
          [{ code: 'TOPSIS_MISSING_DATA', node: tree.codes[agg.node], child: tree.codes[kids[c]], unit_index: u }],
        );
      }
    }
  }
  // Weighted vector-normalised matrix, column by column; ideal and anti-ideal per column.
  const v: Float64Array[] = [];
  const best = new Float64Array(k);
  const worst = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let ss = 0;
    for (let u = 0; u < n; u++) ss += x[c][u] * x[c][u];
    const norm = Math.sqrt(ss);
    const wc = sw > 0 ? w[kids[c]] / sw : 0;
    const col = new Float64Array(n);
    let mx = -Infinity;
    let mn = Infinity;
    for (let u = 0; u < n; u++) {
      col[u] = norm > 0 ? (wc * x[c][u]) / norm : 0;
      if (col[u] > mx) mx = col[u];
      if (col[u] < mn) mn = col[u];
    }
    v.push(col);
    best[c] = dir[c] === 1 ? mx : mn;
    worst[c] = dir[c] === 1 ? mn : mx;
  }
  for (let u = 0; u < n; u++) {
    let dp = 0;
    let dm = 0;
    for (let c = 0; c < k; c++) {
      const a = v[c][u] - best[c];
      const b = v[c][u] - worst[c];
      dp += a * a;
      dm += b * b;
    }
    dp = Math.sqrt(dp);
    dm = Math.sqrt(dm);
    if (dp + dm === 0) {
      // Every unit equal on every criterion: closeness is undefined.
      notes.topsisDegenerate.add(tree.codes[agg.node]);
      out[u] = NaN;
    } else out[u] = dm / (dp + dm);
  }
}

export interface AggregateDiagnostics {
  methods: Record<string, AggregateLevelSpec['method']>;
  /** Per aggregate, the number of units left without a score. */
  missing: Record<string, number>;
}

/** Cells → Float64Array with NaN for missing. */
export function toFloat(col: readonly Cell[]): Float64Array {
  const a = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) a[i] = col[i] === null ? NaN : (col[i] as number);
  return a;
}

/**
 * Aggregates the normalised indicators through the tree. `nodeWeights` are weights per code (only
 * their ratios among siblings matter). `raw` (the treated, un-normalised table) is needed by TOPSIS.
 * Returns a table of indicators and aggregates (COINr's "Aggregated" data set).
 */
export function aggregate(fw: Framework, normalised: DataTable, nodeWeights: Record<string, number>, spec: AggregateSpec, raw?: DataTable): StepResult<AggregateDiagnostics> {
  const tree = compileTree(fw);
  const n = normalised.units.length;
  const colOf = (t: DataTable, code: string) => {
    const j = t.codes.indexOf(code);
    if (j < 0) throw new EngineError('INDICATOR_NOT_IN_DATA', `数据表缺少指标列 ${code}`, `The data table lacks indicator column ${code}`, [{ column: code }]);
    return toFloat(t.values.map((r) => r[j]));
  };
  const cols = tree.codes.map((c, i) => (i < tree.m ? colOf(normalised, c) : new Float64Array(n)));
  const rawCols = raw ? fw.indicators.map((c) => colOf(raw, c)) : null;
  const w = tree.codes.map((c) => nodeWeights[c] ?? 0);
  const notes: EvalNotes = { zerosInMean: new Set(), topsisDegenerate: new Set() };
  try {
    evaluateTree(tree, cols, rawCols, w, spec, n, notes);
  } catch (e) {
    // The numeric core knows units by position; name the unit for the reader.
    if (e instanceof EngineError && e.code === 'NON_POSITIVE_FOR_MEAN') {
      const d = e.details[0];
      const unit = normalised.units[d.unit_index as number];
      throw nonPositiveError(String(d.method), String(d.node), unit, String(d.child), Number(d.value));
    }
    throw e;
  }
  const warnings: EngineWarning[] = [];
  if (notes.zerosInMean.size) {
    const list = [...notes.zerosInMean];
    warnings.push(warning('ZERO_IN_MEAN', `${list.join('、')} 的几何/调和平均中出现零值，对应得分为 0`, `Zero values entered the geometric/harmonic mean of ${list.join(', ')}; those scores are 0`, { nodes: list }));
  }
  if (notes.topsisDegenerate.size) {
    const list = [...notes.topsisDegenerate];
    warnings.push(warning('TOPSIS_DEGENERATE', `${list.join('、')} 的所有单位在所有下级上取值相同，TOPSIS 贴近度无定义`, `All units are equal on every child of ${list.join(', ')}; TOPSIS closeness is undefined`, { nodes: list }));
  }
  const methods: AggregateDiagnostics['methods'] = {};
  const missing: Record<string, number> = {};
  for (const a of tree.aggregates) {
    const code = tree.codes[a.node];
    methods[code] = levelSpec(spec, a.level).method;
    let miss = 0;
    for (let u = 0; u < n; u++) if (Number.isNaN(cols[a.node][u])) miss++;
    missing[code] = miss;
  }
  const values: Cell[][] = normalised.units.map((_, u) => cols.map((c) => (Number.isNaN(c[u]) ? null : c[u])));
  return { data: { ...normalised, codes: [...tree.codes], values }, diagnostics: { methods, missing }, warnings };
}
