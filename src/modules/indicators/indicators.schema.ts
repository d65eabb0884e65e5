/**
 * Payloads of the indicators area (frameworks, data sets, runs, AHP): one zod schema per request
 * and reply gives validation, the TypeScript type and the OpenAPI entry. Engine method objects
 * (`methods`) are checked by the engine itself, which answers with coded errors.
 */
import { z } from 'zod';

export const NODE_TYPES = ['indicator', 'aggregate', 'group', 'denominator', 'other'] as const;

const code = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().max(max);

/** One node of a framework as written in JSON/YAML or sent to the API. */
export const nodeInputSchema = z
  .object({
    code,
    name: text(300).nullish(),
    name_en: text(300).nullish(),
    type: z.enum(NODE_TYPES).nullish(),
    level: z.number().int().positive().nullish(),
    parent: code.nullish(),
    direction: z.union([z.literal(1), z.literal(-1)]).nullish(),
    weight: z.number().finite().min(0).nullish(),
    unit: text(100).nullish(),
    source: text(1000).nullish(),
    target: z.number().finite().nullish(),
    denominator: code.nullish(),
  })
  .strict();
export type NodeInputDto = z.infer<typeof nodeInputSchema>;

export const frameworkKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, . _ - (at most 64)');

const methodsObject = z.record(z.string(), z.unknown()).describe('引擎方法设置（见 engine/types.ts Methods） / engine Methods object');

/** A framework file in JSON or YAML: metadata and nodes (or COINr iMeta rows). */
export const frameworkFileSchema = z
  .object({
    key: frameworkKey.optional(),
    name: text(300).min(1).optional(),
    name_en: text(300).optional(),
    description: text(5000).optional(),
    label: text(100).optional(),
    source: text(2000).optional(),
    methods: methodsObject.optional(),
    nodes: z.array(nodeInputSchema).min(1).max(5000),
  })
  .strict();
export type FrameworkFile = z.infer<typeof frameworkFileSchema>;

export const frameworkCreateBody = z
  .object({
    key: frameworkKey,
    name: text(300).min(1),
    name_en: text(300).optional(),
    description: text(5000).optional(),
    label: text(100).optional(),
    note: text(2000).optional(),
    default_methods: methodsObject.optional(),
    nodes: z.array(nodeInputSchema).min(1).max(5000),
  })
  .strict();
export type FrameworkCreateInput = z.infer<typeof frameworkCreateBody>;

export const versionCreateBody = z
  .object({
    label: text(100).optional(),
    note: text(2000).optional(),
    default_methods: methodsObject.nullish(),
    nodes: z.array(nodeInputSchema).min(1).max(5000),
  })
  .strict();
export type VersionCreateInput = z.infer<typeof versionCreateBody>;

export const frameworkPatchBody = z
  .object({
    name: text(300).min(1),
    name_en: text(300).nullable(),
    description: text(5000).nullable(),
  })
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'nothing to change');
export type FrameworkPatch = z.infer<typeof frameworkPatchBody>;

export const importQuery = z.object({
  key: frameworkKey.optional().describe('框架代码（默认取文件中的 key 或文件名） / framework key'),
  name: text(300).min(1).optional().describe('框架名称 / framework name'),
  name_en: text(300).optional(),
  label: text(100).optional().describe('版本标签 / version label'),
  sheet: text(100).optional().describe('XLSX 工作表 / sheet'),
});

const cell = z.union([z.string().max(1000), z.number(), z.null()]);

export const datasetCreateBody = z
  .object({
    framework_id: z.number().int().positive(),
    name: text(300).min(1),
    description: text(5000).optional(),
    rows: z.array(z.record(z.string(), cell)).min(1).max(100_000).describe('COINr iData 行：uCode、uName、Time、分组列、指标列 / COINr iData rows'),
  })
  .strict();
export type DatasetCreateInput = z.infer<typeof datasetCreateBody>;

export const datasetImportQuery = z.object({
  framework: z.coerce.number().int().positive().describe('指标框架 id / framework id'),
  name: text(300).min(1).optional().describe('数据集名称（默认文件名） / data set name (default: file name)'),
  description: text(5000).optional(),
  sheet: text(100).optional().describe('XLSX 工作表 / sheet'),
});

// ---------------------------------------------------------------------------------------------
// Runs: the CLI's flags, as JSON

export const NORMALISE = ['minmax', 'zscore', 'rank', 'prank', 'goalposts', 'target', 'best'] as const;
export const WEIGHTS = ['meta', 'equal', 'entropy', 'critic', 'pca', 'ahp'] as const;
export const AGGREGATE = ['arithmetic', 'geometric', 'harmonic', 'topsis'] as const;
export const IMPUTE = ['none', 'mean', 'median', 'groupMean', 'groupMedian', 'panelCarry', 'panelLinear'] as const;

const ahpMatrixSchema = z
  .object({
    parent: code,
    codes: z.array(code).min(1).max(15),
    matrix: z.array(z.array(z.number())).optional(),
    comparisons: z.array(z.object({ a: code, b: code, value: z.number() })).optional(),
  })
  .strict();

/**
 * Options of a run: the same choices as `innolink eval run` (each flag a field), or a full engine
 * `methods` object; a flag overrides the same field of `methods`.
 */
export const runOptionsSchema = z
  .object({
    methods: methodsObject.optional(),
    normalise: z.enum(NORMALISE).optional(),
    range: z.tuple([z.number().finite(), z.number().finite()]).optional().describe('minmax 区间 / minmax range'),
    weights: z.enum(WEIGHTS).optional(),
    ahp: z.array(ahpMatrixSchema).max(200).optional().describe('weights = ahp 时的判断矩阵 / judgement matrices for weights = ahp'),
    allow_inconsistent: z.boolean().optional().describe('允许 CR ≥ 0.1 / accept CR ≥ 0.1'),
    aggregate: z.enum(AGGREGATE).optional(),
    impute: z
      .string()
      .regex(/^(none|mean|median|panelCarry|panelLinear|(groupMean|groupMedian):.+)$/)
      .optional()
      .describe('none|mean|median|groupMean:GROUP|groupMedian:GROUP|panelCarry|panelLinear'),
    screen: z.number().min(0).max(1).optional(),
    treat: z
      .string()
      .regex(/^(none|winsorise(:\d+)?)$/)
      .optional()
      .describe('none|winsorise[:WINMAX]'),
    denominate: z.boolean().optional(),
    zero_variance: z.enum(['error', 'drop']).optional(),
    time: z.number().finite().optional(),
    uncertainty: z.number().int().positive().max(100_000).optional().describe('蒙特卡洛次数 / Monte-Carlo replications'),
    perturb: z.number().min(0).lt(1).optional().describe('权重扰动幅度（默认 0.25） / weight perturbation (default 0.25)'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  })
  .strict();
export type RunOptions = z.infer<typeof runOptionsSchema>;

export const runCreateBody = runOptionsSchema
  .extend({
    framework_id: z.number().int().positive(),
    version: z.number().int().positive().optional().describe('框架版本（默认最新） / framework version (default: latest)'),
    dataset_id: z.number().int().positive(),
    label: text(300).optional(),
  })
  .strict();
export type RunCreateInput = z.infer<typeof runCreateBody>;

export const ahpBody = z
  .object({
    codes: z.array(code).min(1).max(15),
    parent: code.optional(),
    matrix: z.array(z.array(z.union([z.number(), z.null()]))).optional(),
    comparisons: z.array(z.object({ a: code, b: code, value: z.number() })).optional(),
    cr_threshold: z.number().gt(0).max(1).optional(),
  })
  .strict()
  .refine((b) => (b.matrix === undefined) !== (b.comparisons === undefined), 'give either matrix or comparisons');
export type AhpInput = z.infer<typeof ahpBody>;

// ---------------------------------------------------------------------------------------------
// Replies

export const nodeSchema = z.object({
  code: z.string(),
  name: z.string().nullable(),
  name_en: z.string().nullable(),
  type: z.enum(NODE_TYPES),
  level: z.number().nullable(),
  parent: z.string().nullable(),
  direction: z.union([z.literal(1), z.literal(-1)]),
  weight: z.number(),
  unit: z.string().nullable(),
  source: z.string().nullable(),
  target: z.number().nullable(),
  denominator: z.string().nullable(),
});
export type NodeDto = z.infer<typeof nodeSchema>;

export interface TreeNode extends NodeDto {
  children: TreeNode[];
}
const treeNodeSchema: z.ZodType<TreeNode> = z.lazy(() => nodeSchema.extend({ children: z.array(treeNodeSchema) }));

export const versionSchema = z.object({
  id: z.number(),
  version: z.number(),
  label: z.string().nullable(),
  note: z.string().nullable(),
  default_methods: z.record(z.string(), z.unknown()).nullable(),
  source_file: z.string().nullable(),
  source_format: z.string(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});
export type VersionDto = z.infer<typeof versionSchema>;

export const frameworkSummarySchema = z.object({
  id: z.number(),
  key: z.string(),
  name: z.string(),
  name_en: z.string().nullable(),
  description: z.string().nullable(),
  builtin: z.boolean(),
  latest_version: z.number(),
  indicators: z.number(),
  datasets: z.number(),
  runs: z.number(),
  updated_at: z.string(),
});
export type FrameworkSummary = z.infer<typeof frameworkSummarySchema>;

export const frameworkDetailSchema = frameworkSummarySchema.extend({
  version: versionSchema,
  nodes: z.array(nodeSchema),
  tree: treeNodeSchema,
});
export type FrameworkDetail = z.infer<typeof frameworkDetailSchema>;

export const datasetSummarySchema = z.object({
  id: z.number(),
  framework_id: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  source_file: z.string().nullable(),
  source_format: z.string(),
  columns: z.array(z.string()),
  group_columns: z.array(z.string()),
  units: z.number(),
  panel: z.boolean(),
  runs: z.number(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const datasetDetailSchema = datasetSummarySchema.extend({
  rows: z.array(
    z.object({
      code: z.string(),
      name: z.string().nullable(),
      time: z.number().nullable(),
      groups: z.record(z.string(), z.string().nullable()),
      values: z.record(z.string(), z.number().nullable()),
    }),
  ),
  ignored_columns: z.array(z.string()).optional(),
});
export type DatasetDetail = z.infer<typeof datasetDetailSchema>;

const dimension = z.object({ score: z.number().nullable(), rank: z.number().nullable() });

export const runUnitSchema = z.object({
  unit: z.string(),
  name: z.string().nullable(),
  score: z.number().nullable(),
  rank: z.number().nullable(),
  rank_interval: z.tuple([z.number(), z.number()]).nullable(),
  median_rank: z.number().nullable(),
  dimensions: z.record(z.string(), dimension),
});
export type RunUnit = z.infer<typeof runUnitSchema>;

const warningSchema = z.object({ code: z.string(), message: z.string(), message_en: z.string(), details: z.record(z.string(), z.unknown()).optional() });

export const runSummarySchema = z.object({
  id: z.number(),
  label: z.string().nullable(),
  framework: z.object({ id: z.number(), key: z.string(), name: z.string() }),
  version: z.number(),
  dataset: z.object({ id: z.number(), name: z.string() }),
  seed: z.number(),
  engine_version: z.string(),
  data_hash: z.string(),
  units_in: z.number(),
  units_out: z.number(),
  replications: z.number().nullable(),
  duration_ms: z.number().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runDetailSchema = runSummarySchema.extend({
  request: z.record(z.string(), z.unknown()),
  methods: z.record(z.string(), z.unknown()),
  units: z.array(runUnitSchema),
  weights: z.record(z.string(), z.number()),
  node_weights: z.record(z.string(), z.number()),
  warnings: z.array(warningSchema),
  diagnostics: z.record(z.string(), z.unknown()).optional(),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const explainIndicatorSchema = z.object({
  code: z.string(),
  name: z.string().nullable(),
  parent: z.string(),
  direction: z.number(),
  unit: z.string().nullable(),
  raw: z.number().nullable(),
  denominated: z.number().nullable(),
  imputed: z.number().nullable(),
  treated: z.number().nullable(),
  normalised: z.number().nullable(),
  normalise_params: z.record(z.string(), z.number()),
  weight: z.number(),
  effective_weight: z.number().nullable(),
  contribution: z.number().nullable(),
});
export const explainNodeSchema = z.object({
  code: z.string(),
  name: z.string().nullable(),
  level: z.number(),
  parent: z.string().nullable(),
  method: z.string(),
  score: z.number().nullable(),
  rank: z.number().nullable(),
  weight: z.number(),
  effective_weight: z.number().nullable(),
  contribution: z.number().nullable(),
});
export const explainSchema = z.object({
  run: z.number(),
  unit: z.string(),
  name: z.string().nullable(),
  score: z.number().nullable(),
  rank: z.number().nullable(),
  /** True when every level is aggregated arithmetically: contributions then add up to the score. */
  additive: z.boolean(),
  contributions_sum: z.number().nullable(),
  /** The recomputed score equals the stored one (the run reproduces). */
  reproduced: z.boolean(),
  indicators: z.array(explainIndicatorSchema),
  nodes: z.array(explainNodeSchema),
  notes: z.array(warningSchema),
});
export type Explain = z.infer<typeof explainSchema>;

export const reproduceSchema = z.object({
  run: z.number(),
  reproduced: z.boolean(),
  data_hash: z.string(),
  data_hash_matches: z.boolean(),
  engine_version: z.string(),
  engine_version_matches: z.boolean(),
  units_compared: z.number(),
  max_score_diff: z.number(),
  rank_differences: z.number(),
  interval_differences: z.number(),
});
export type ReproduceResult = z.infer<typeof reproduceSchema>;

export const ahpResultSchema = z.object({
  codes: z.array(z.string()),
  weights: z.record(z.string(), z.number()),
  lambda_max: z.number(),
  ci: z.number(),
  ri: z.number(),
  cr: z.number(),
  threshold: z.number(),
  consistent: z.boolean(),
});
export type AhpReply = z.infer<typeof ahpResultSchema>;

/** The matrices of an uploaded judgement table, each with its weights and consistency ratio. */
export const ahpTableReplySchema = z.object({
  matrices: z.array(z.object({ parent: z.string(), codes: z.array(z.string()), matrix: z.array(z.array(z.number())), result: ahpResultSchema })),
});
export type AhpTableReply = z.infer<typeof ahpTableReplySchema>;

export const uncertaintySchema = z.object({
  run: z.number(),
  seed: z.number(),
  replications: z.number(),
  samples: z.number(),
  quantiles: z.tuple([z.number(), z.number()]),
  factors: z.array(z.string()),
  units: z.array(
    z.object({ unit: z.string(), nominal_rank: z.number(), median_rank: z.number(), mean_rank: z.number(), rank_interval: z.tuple([z.number(), z.number()]) }),
  ),
  sensitivity: z.array(z.object({ factor: z.string(), first: z.number().nullable(), total: z.number().nullable() })).nullable(),
  output: z.object({ mean: z.number(), variance: z.number() }).nullable(),
  leave_one_out: z.array(z.object({ indicator: z.string(), mean_abs_shift: z.number(), max_abs_shift: z.number(), shifts: z.record(z.string(), z.number()) })).nullable(),
});
export type UncertaintyReply = z.infer<typeof uncertaintySchema>;
