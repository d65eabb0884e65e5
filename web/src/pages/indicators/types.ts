/**
 * What /api/indicators answers, as the pages read it (mirrors src/modules/indicators/indicators.schema.ts).
 */
export type NodeType = 'indicator' | 'aggregate' | 'group' | 'denominator' | 'other';

export interface FNode {
  code: string;
  name: string | null;
  name_en: string | null;
  type: NodeType;
  level: number | null;
  parent: string | null;
  direction: 1 | -1;
  weight: number;
  unit: string | null;
  source: string | null;
  target: number | null;
  denominator: string | null;
}

export interface TreeNode extends FNode {
  children: TreeNode[];
}

export interface Version {
  id: number;
  version: number;
  label: string | null;
  note: string | null;
  default_methods: Record<string, unknown> | null;
  source_file: string | null;
  source_format: string;
  created_by: string | null;
  created_at: string;
}

export interface FrameworkSummary {
  id: number;
  key: string;
  name: string;
  name_en: string | null;
  description: string | null;
  builtin: boolean;
  latest_version: number;
  indicators: number;
  datasets: number;
  runs: number;
  updated_at: string;
}

export interface FrameworkDetail extends FrameworkSummary {
  version: Version;
  nodes: FNode[];
  tree: TreeNode;
}

export interface DatasetSummary {
  id: number;
  framework_id: number;
  name: string;
  description: string | null;
  source_file: string | null;
  source_format: string;
  columns: string[];
  group_columns: string[];
  units: number;
  panel: boolean;
  runs: number;
  created_by: string | null;
  created_at: string;
}

export interface DatasetRow {
  code: string;
  name: string | null;
  time: number | null;
  groups: Record<string, string | null>;
  values: Record<string, number | null>;
}

export interface DatasetDetail extends DatasetSummary {
  rows: DatasetRow[];
  ignored_columns?: string[];
}

export interface EngineWarning {
  code: string;
  message: string;
  message_en: string;
  details?: Record<string, unknown>;
}

export interface RunUnit {
  unit: string;
  name: string | null;
  score: number | null;
  rank: number | null;
  rank_interval: [number, number] | null;
  median_rank: number | null;
  dimensions: Record<string, { score: number | null; rank: number | null }>;
}

export interface RunSummary {
  id: number;
  label: string | null;
  framework: { id: number; key: string; name: string };
  version: number;
  dataset: { id: number; name: string };
  seed: number;
  engine_version: string;
  data_hash: string;
  units_in: number;
  units_out: number;
  replications: number | null;
  duration_ms: number | null;
  created_by: string | null;
  created_at: string;
}

export interface RunDetail extends RunSummary {
  request: Record<string, unknown>;
  methods: Record<string, unknown>;
  units: RunUnit[];
  weights: Record<string, number>;
  node_weights: Record<string, number>;
  warnings: EngineWarning[];
}

export interface ExplainIndicator {
  code: string;
  name: string | null;
  parent: string;
  direction: number;
  unit: string | null;
  raw: number | null;
  denominated: number | null;
  imputed: number | null;
  treated: number | null;
  normalised: number | null;
  normalise_params: Record<string, number>;
  weight: number;
  effective_weight: number | null;
  contribution: number | null;
}

export interface ExplainNode {
  code: string;
  name: string | null;
  level: number;
  parent: string | null;
  method: string;
  score: number | null;
  rank: number | null;
  weight: number;
  effective_weight: number | null;
  contribution: number | null;
}

export interface Explain {
  run: number;
  unit: string;
  name: string | null;
  score: number | null;
  rank: number | null;
  additive: boolean;
  contributions_sum: number | null;
  reproduced: boolean;
  indicators: ExplainIndicator[];
  nodes: ExplainNode[];
  notes: EngineWarning[];
}

export interface Reproduce {
  run: number;
  reproduced: boolean;
  data_hash: string;
  data_hash_matches: boolean;
  engine_version: string;
  engine_version_matches: boolean;
  units_compared: number;
  max_score_diff: number;
  rank_differences: number;
  interval_differences: number;
}

export interface AhpReply {
  codes: string[];
  weights: Record<string, number>;
  lambda_max: number;
  ci: number;
  ri: number;
  cr: number;
  threshold: number;
  consistent: boolean;
}

export interface Uncertainty {
  run: number;
  seed: number;
  replications: number;
  samples: number;
  quantiles: [number, number];
  factors: string[];
  units: { unit: string; nominal_rank: number; median_rank: number; mean_rank: number; rank_interval: [number, number] }[];
  sensitivity: { factor: string; first: number | null; total: number | null }[] | null;
  output: { mean: number; variance: number } | null;
  leave_one_out: { indicator: string; mean_abs_shift: number; max_abs_shift: number; shifts: Record<string, number> }[] | null;
}

/** The options of a run, as POST /api/indicators/runs takes them. */
export interface RunRequest {
  framework_id: number;
  version?: number;
  dataset_id: number;
  label?: string;
  normalise?: string;
  range?: [number, number];
  weights?: string;
  aggregate?: string;
  impute?: string;
  screen?: number;
  treat?: string;
  denominate?: boolean;
  uncertainty?: number;
  perturb?: number;
  seed?: number;
}
