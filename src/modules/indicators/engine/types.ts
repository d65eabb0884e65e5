/**
 * Types of the composite-indicator engine: the framework tree, the data table, the method
 * choices and the results. Everything here is plain data (JSON- and structured-clone-safe), so a
 * framework, a data set or a result can be stored, sent to a worker thread or returned by the API
 * as is.
 */

/** +1 when a higher value is better, −1 when a lower value is better. */
export type Direction = 1 | -1;

export type NodeType = 'indicator' | 'aggregate';

/** One node of the framework tree (an indicator, a sub-dimension, a dimension or the index). */
export interface FrameworkNode {
  code: string;
  name: string;
  /** 1 for indicators; a parent sits exactly one level above its children (COINr's convention). */
  level: number;
  /** Code of the parent node; null for the index (the root). */
  parent: string | null;
  direction: Direction;
  /** Relative weight among its siblings (renormalised per parent when aggregating). */
  weight: number;
  type: NodeType;
  target: number | null;
  unit: string | null;
  /** Code of the denominator column this indicator is divided by (per capita, per GDP …). */
  denominator: string | null;
  source: string | null;
}

/** A validated framework: built by `buildFramework`, never by hand. */
export interface Framework {
  version: string | null;
  /** Nodes ordered by level, then in input order. */
  nodes: FrameworkNode[];
  node: Record<string, FrameworkNode>;
  /** Children codes of each aggregate, in input order. */
  children: Record<string, string[]>;
  /** Indicator (level-1) codes in input order: the column order of every indicator table. */
  indicators: string[];
  /** Aggregate codes ordered by level (lowest first), then input order. */
  aggregates: string[];
  root: string;
  maxLevel: number;
  /** Group columns (COINr Type = Group), e.g. an income group used by group-mean imputation. */
  groups: string[];
  /** Denominator columns (COINr Type = Denominator). */
  denominators: string[];
}

/** A COINr-style iMeta row. Column names follow COINr so evaluators' files load unchanged. */
export interface IMetaRow {
  iCode: string;
  iName?: string | null;
  Level?: number | string | null;
  Parent?: string | null;
  Direction?: number | string | null;
  Weight?: number | string | null;
  /** Indicator | Aggregate | Group | Denominator | Other (case-insensitive). */
  Type?: string | null;
  Denominator?: string | null;
  Target?: number | string | null;
  Unit?: string | null;
  Source?: string | null;
}

/** A missing value is null (never NaN). */
export type Cell = number | null;

/**
 * A units × columns table. `values[u][j]` is unit `units[u]` on column `codes[j]`. Group and
 * denominator columns ride along, aligned with `units`. A panel holds one row per (unit, time).
 */
export interface DataTable {
  units: string[];
  unitNames?: (string | null)[];
  times?: (number | null)[];
  codes: string[];
  values: Cell[][];
  groups?: Record<string, (string | null)[]>;
  denominators?: Record<string, Cell[]>;
}

/** A warning: the run goes on, and the reader of the result is told. */
export interface EngineWarning {
  code: string;
  message: string;
  message_en: string;
  details?: Record<string, unknown>;
}

/** What every pipeline step returns: a new table (the input is never modified) and diagnostics. */
export interface StepResult<D> {
  data: DataTable;
  diagnostics: D;
  warnings: EngineWarning[];
}

// ---------------------------------------------------------------------------------------------
// Method choices
// ---------------------------------------------------------------------------------------------

export type ImputeMethod = 'none' | 'mean' | 'median' | 'groupMean' | 'groupMedian' | 'panelCarry' | 'panelLinear';

export interface ImputeSpec {
  method: ImputeMethod;
  /** Group column for groupMean / groupMedian. */
  group?: string;
  /** Panel methods: largest gap (in time units) bridged; default unlimited. */
  maxGap?: number;
}

export interface ScreenSpec {
  /** Minimum share of available indicator values per unit (COINr `dat_thresh`). */
  threshold: number;
  /** COINr `unit_screen`: byNA (default), byZeros or byNAandZeros. */
  by?: 'NA' | 'zeros' | 'NAandZeros';
  /** COINr `nonzero_thresh` (default 0.05). */
  nonZeroThreshold?: number;
  /** Units forced in or out regardless of the rule (COINr `Force`). */
  forceInclude?: string[];
  forceExclude?: string[];
}

export interface TreatParams {
  /** Maximum number of points winsorised (COINr `winmax`, default 5). */
  winmax?: number;
  /** |skew| threshold (default 2). */
  skewThreshold?: number;
  /** Kurtosis threshold (default 3.5). */
  kurtosisThreshold?: number;
  /** What to do when winsorising does not pass: COINr's log_CT transform (default) or nothing. */
  fallback?: 'logCT' | 'none';
}

export interface TreatSpec extends TreatParams {
  method: 'none' | 'winsorise';
  /** Per-indicator overrides; 'none' exempts an indicator. */
  indicators?: Record<string, 'none' | TreatParams>;
}

export type NormaliseSpec =
  | { method: 'minmax'; range?: [number, number] }
  | { method: 'zscore'; mean?: number; sd?: number }
  | { method: 'rank' }
  | { method: 'prank' }
  | { method: 'goalposts'; goalposts: Record<string, [number, number]>; scale?: number; truncate?: boolean }
  | { method: 'target'; cap?: boolean }
  | { method: 'best' };

export type NormaliseMethod = NormaliseSpec['method'];

/** One AHP judgement matrix: the children of `parent`, compared pairwise (Saaty's 1–9 scale). */
export interface AhpMatrix {
  parent: string;
  codes: string[];
  /** Full n×n matrix; or give `comparisons` (upper or lower triangle) instead. */
  matrix?: number[][];
  comparisons?: { a: string; b: string; value: number }[];
}

export type WeightSpec =
  | { method: 'meta' }
  | { method: 'equal' }
  | { method: 'expert'; weights: Record<string, number> }
  | { method: 'ahp'; matrices: AhpMatrix[]; allowInconsistent?: boolean; crThreshold?: number }
  | { method: 'entropy'; normalisation?: 'minmax' | 'sum' }
  | { method: 'critic' }
  | { method: 'pca' }
  | { method: 'combine'; subjective: WeightSpec; objective: WeightSpec; alpha: number };

export type WeightMethod = WeightSpec['method'];

export type AggregateMethod = 'arithmetic' | 'geometric' | 'harmonic' | 'topsis';

export interface AggregateLevelSpec {
  method: AggregateMethod;
  /** Minimum share of a parent's children that must be present (COINr `dat_thresh`); default 0. */
  minDataShare?: number;
  /** Geometric / harmonic means: 'error' refuses any value ≤ 0; 'warn' lets zeros through. */
  nonPositive?: 'error' | 'warn';
}

export interface AggregateSpec extends AggregateLevelSpec {
  /** Per-level choice, keyed by the level of the parent being computed (2 = first aggregates). */
  levels?: Record<number, AggregateLevelSpec>;
}

export interface UncertaintySpec {
  /** Number of base Monte-Carlo rows N (each row runs 2 + k model evaluations with sensitivity). */
  replications: number;
  /** Each weight is multiplied by U(1 − p, 1 + p); 0 or absent = weights fixed. */
  weightPerturbation?: number;
  /** Alternatives sampled uniformly (include the nominal choice if it should be sampled too). */
  normalisations?: NormaliseSpec[];
  aggregations?: AggregateSpec[];
  imputations?: ImputeSpec[];
  /** Compute first-order and total sensitivity indices (Saltelli design); default true. */
  sensitivity?: boolean;
  /** Rank interval quantiles; default [0.05, 0.95]. */
  quantiles?: [number, number];
  /** Worker threads: 0 = in-process; default: available parallelism when N is large. */
  workers?: number;
  /** Leave-one-indicator-out rank shifts; default true. */
  leaveOneOut?: boolean;
}

/** All method choices of a run; every field has the textbook default. */
export interface Methods {
  /** Divide by the iMeta Denominator column (default true when the framework names one). */
  denominate?: boolean;
  impute?: ImputeSpec;
  /** Panel data: the time point to evaluate (after panel imputation). */
  time?: number;
  screen?: ScreenSpec | null;
  treat?: TreatSpec;
  normalise?: NormaliseSpec;
  weights?: WeightSpec;
  aggregate?: AggregateSpec;
  /** Indicators without variance (after screening): refuse (default) or drop with a warning. */
  zeroVariance?: 'error' | 'drop';
  uncertainty?: UncertaintySpec | null;
}

export interface RunOptions {
  /** Seed of every random number of the run; recorded in the result. */
  seed?: number;
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export interface DimensionResult {
  score: number | null;
  rank: number | null;
}

export interface UnitResult {
  unit: string;
  name: string | null;
  score: number | null;
  rank: number | null;
  /** [lower, upper] rank quantiles from the Monte-Carlo analysis; null without one. */
  rank_interval: [number, number] | null;
  median_rank: number | null;
  dimensions: Record<string, DimensionResult>;
}

export interface CompositeResult {
  units: UnitResult[];
  /** Effective weight of each indicator in the index (products of renormalised weights). */
  weights: Record<string, number>;
  /** Weight of every node relative to its siblings (sums to 1 per parent). */
  node_weights: Record<string, number>;
  diagnostics: import('./run.ts').RunDiagnostics;
  intermediate: {
    raw: DataTable;
    denominated: DataTable;
    imputed: DataTable;
    screened: DataTable;
    treated: DataTable;
    normalised: DataTable;
    aggregated: DataTable;
  };
}
