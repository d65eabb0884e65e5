/**
 * Payloads of the plans area: one zod schema per request and reply gives validation, the
 * TypeScript type and the OpenAPI entry. The CLI's `plan status --json` and `plan import --json`
 * shapes are contracts (statusContractSchema, importResultSchema).
 */
import { z } from 'zod';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A civil date 'YYYY-MM-DD' that exists (2025-02-30 is refused). */
export const isoDate = z
  .string()
  .regex(DATE_RE, 'YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'invalid date');

/** A reporting date: 'YYYY-MM-DD', or a year 'YYYY' for a year-end figure. */
export const reportingDate = z.union([isoDate, z.string().regex(/^\d{4}$/, 'YYYY')]);

const thresholds = z.object({ on_track: z.number().finite(), acceleration_needed: z.number().finite(), limited: z.number().finite() }).strict();

/**
 * Per-plan method settings, stored in plans.config. Every key is optional; the engine's
 * defaults apply (Statistics Canada CAGR ratio, 95 % / 60 % / 0, growth 1.5 % / 0.5 % / 0,
 * CAGR forecast, off-track margin 15 points, flag at once, escalate after 30 days).
 */
export const planConfigSchema = z
  .object({
    progress: z
      .object({
        method: z.enum(['cagr_ratio', 'linear_ratio']),
        ratio_thresholds: thresholds,
        growth_thresholds: thresholds,
        convention: z.enum(['reporting_months', 'actual_365_25']),
        min_years_observed: z.number().finite().min(0),
      })
      .partial()
      .strict()
      .optional(),
    forecast_method: z.enum(['cagr', 'linear']).optional(),
    supervision: z
      .object({
        off_track_margin: z.number().finite().min(0),
        flag_after_days: z.number().finite().min(0),
        escalate_after_days: z.number().finite().min(0),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type PlanConfig = z.infer<typeof planConfigSchema>;

export const PROGRESS_STATUSES = ['achieved', 'on_track', 'acceleration_needed', 'limited', 'deterioration', 'no_data'] as const;
export const TASK_STATUSES = ['not_started', 'in_progress', 'completed', 'blocked'] as const;

// ---------------------------------------------------------------------------------------------
// Contracts of the CLI (and of the API where it returns the same thing)

export const importIssueSchema = z
  .object({
    row: z.number(),
    column: z.string(),
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    message_en: z.string(),
    file: z.string(),
  })
  .passthrough();

/** `innolink plan import … --json`, exactly. */
export const importResultSchema = z.object({
  ok: z.boolean(),
  plan: z.number().nullable(),
  targets: z.number(),
  tasks: z.number(),
  values: z.number(),
  issues: z.array(importIssueSchema),
});

const contractTarget = z.object({
  indicator: z.string(),
  target: z.number().nullable(),
  unit: z.string(),
  latest: z.number().nullable(),
  latest_date: z.string().nullable(),
  status: z.enum(PROGRESS_STATUSES),
  ratio: z.number().nullable(),
  forecast: z.number().nullable(),
});
const contractTask = z.object({
  id: z.string(),
  title: z.string(),
  responsible: z.array(z.string()),
  due: z.string().nullable(),
  status: z.string(),
  overdue: z.boolean(),
});

/** `innolink plan status PLAN --as-of DATE --json`, exactly. */
export const statusContractSchema = z.object({
  plan: z.string(),
  as_of: z.string(),
  targets: z.array(contractTarget),
  tasks: z.array(contractTask),
});
export type StatusContract = z.infer<typeof statusContractSchema>;

// ---------------------------------------------------------------------------------------------
// Replies of the API

const region = z.object({ id: z.number(), name: z.string() }).nullable();

export const planSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  region: region,
  period_start: z.string().nullable(),
  period_end: z.string().nullable(),
  owner: z.string().nullable(),
  targets: z.number(),
  tasks: z.number(),
  created_at: z.string(),
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

export const targetSchema = z.object({
  id: z.number(),
  indicator: z.string(),
  area: z.string().nullable(),
  unit: z.string().nullable(),
  action_number: z.string().nullable(),
  baseline_value: z.number().nullable(),
  baseline_year: z.number().nullable(),
  target_value: z.number().nullable(),
  target_year: z.number().nullable(),
  direction: z.enum(['increase', 'decrease']),
  source_text: z.string().nullable(),
  value_source: z.enum(['reported', 'registry']),
  measure_key: z.string().nullable(),
});
export type TargetDto = z.infer<typeof targetSchema>;

export const taskSchema = z.object({
  number: z.string(),
  title: z.string(),
  action_number: z.string().nullable(),
  responsible_units: z.array(z.string()),
  supporting_units: z.array(z.string()),
  start_date: z.string().nullable(),
  due_date: z.string().nullable(),
  policy_text: z.string().nullable(),
});
export type TaskDto = z.infer<typeof taskSchema>;

export const planTreeSchema = z.object({
  id: z.number(),
  name: z.string(),
  region: region,
  period_start: z.string().nullable(),
  period_end: z.string().nullable(),
  owner: z.string().nullable(),
  config: planConfigSchema,
  actions: z.array(
    z.object({ number: z.string(), title: z.string(), targets: z.array(targetSchema), tasks: z.array(taskSchema) }),
  ),
  /** Targets and tasks not linked to an action. */
  targets: z.array(targetSchema),
  tasks: z.array(taskSchema),
  created_at: z.string(),
  updated_at: z.string(),
});
export type PlanTree = z.infer<typeof planTreeSchema>;

const observation = z.object({ date: z.string(), value: z.number() });

export const boardTargetSchema = contractTarget.extend({
  id: z.number(),
  area: z.string().nullable(),
  action_number: z.string().nullable(),
  direction: z.enum(['increase', 'decrease']),
  baseline: z.number().nullable(),
  baseline_year: z.number().nullable(),
  target_year: z.number().nullable(),
  value_source: z.enum(['reported', 'registry']),
  measure_key: z.string().nullable(),
  method: z.string(),
  observed_rate: z.number().nullable(),
  required_rate: z.number().nullable(),
  deadline_passed: z.boolean(),
  reason: z.string().nullable(),
  notes: z.array(z.string()),
  explanation_zh: z.string(),
  explanation_en: z.string(),
  forecast_method: z.string().nullable(),
  forecast_meets_target: z.boolean().nullable(),
  forecast_explanation_zh: z.string().nullable(),
  forecast_explanation_en: z.string().nullable(),
  /** Baseline and values up to the as-of date, oldest first (the card's sparkline). */
  series: z.array(observation),
});
export type BoardTarget = z.infer<typeof boardTargetSchema>;

const trigger = z.object({ kind: z.string(), since: z.string(), days: z.number(), detail_zh: z.string(), detail_en: z.string() });

export const boardTaskSchema = contractTask.extend({
  action_number: z.string().nullable(),
  action: z.string().nullable(),
  supporting: z.array(z.string()),
  start: z.string().nullable(),
  percent: z.number(),
  days_overdue: z.number(),
  off_track: z.boolean(),
  expected_percent: z.number().nullable(),
  escalation: z.number(),
  triggers: z.array(trigger),
  report_id: z.number().nullable(),
  explanation_zh: z.string(),
  explanation_en: z.string(),
});
export type BoardTask = z.infer<typeof boardTaskSchema>;

const statusCounts = z.object({
  total: z.number(),
  achieved: z.number(),
  on_track: z.number(),
  acceleration_needed: z.number(),
  limited: z.number(),
  deterioration: z.number(),
  no_data: z.number(),
});
const taskCounts = z.object({
  total: z.number(),
  not_started: z.number(),
  in_progress: z.number(),
  completed: z.number(),
  blocked: z.number(),
  overdue: z.number(),
  off_track: z.number(),
  flagged: z.number(),
  escalated: z.number(),
});

/** The status board: the CLI contract's keys, and what the web page shows besides. */
export const boardSchema = z.object({
  plan: z.string(),
  plan_id: z.number(),
  as_of: z.string(),
  targets: z.array(boardTargetSchema),
  tasks: z.array(boardTaskSchema),
  summary: z.object({
    targets: statusCounts,
    targets_by_area: z.array(z.object({ group: z.string(), counts: statusCounts })),
    tasks: taskCounts,
    tasks_by_action: z.array(z.object({ action: z.string(), counts: taskCounts })),
    tasks_by_unit: z.array(z.object({ unit: z.string(), counts: taskCounts })),
  }),
});
export type PlanBoard = z.infer<typeof boardSchema>;

export const supervisionSchema = z.object({
  plan: z.string(),
  plan_id: z.number(),
  as_of: z.string(),
  /** Flagged and escalated tasks per responsible unit (null: tasks without one). */
  units: z.array(z.object({ unit: z.string().nullable(), tasks: z.array(boardTaskSchema) })),
  /** Targets in deterioration or limited progress, or missed. */
  targets: z.array(boardTargetSchema),
});
export type Supervision = z.infer<typeof supervisionSchema>;

export const valueSchema = z.object({
  id: z.number(),
  target_id: z.number(),
  indicator: z.string(),
  date: z.string(),
  precision: z.enum(['day', 'year']),
  value: z.number(),
  unit: z.string().nullable(),
  note: z.string().nullable(),
  evidence: z.string().nullable(),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), message_en: z.string() })),
});
export type ValueDto = z.infer<typeof valueSchema>;

export const reportSchema = z.object({
  id: z.number(),
  task: z.string(),
  unit: z.string(),
  status: z.enum(TASK_STATUSES),
  percent: z.number().nullable(),
  narrative: z.string().nullable(),
  evidence: z.string().nullable(),
  reported_on: z.string(),
  submitted_by: z.string().nullable(),
  submitted_at: z.string(),
  review_status: z.enum(['submitted', 'accepted', 'returned']),
  reviewer: z.string().nullable(),
  reviewer_comment: z.string().nullable(),
  reviewed_at: z.string().nullable(),
});
export type ReportDto = z.infer<typeof reportSchema>;

// ---------------------------------------------------------------------------------------------
// Requests

const shortText = (max: number) => z.string().trim().min(1).max(max);

export const valueBody = z
  .object({
    indicator: shortText(200).optional().describe('指标名称 / indicator'),
    target_id: z.number().int().positive().optional().describe('目标编号 / target id'),
    date: reportingDate.describe('日期 YYYY-MM-DD，或年份 YYYY（年末数） / date, or a year for its year-end figure'),
    value: z.number().finite(),
    unit: shortText(20).optional().describe('数值单位（与目标单位不同时换算或拒绝） / unit of the value'),
    note: z.string().max(2000).optional(),
    evidence: z.string().max(2000).optional(),
  })
  .strict()
  .refine((b) => b.indicator !== undefined || b.target_id !== undefined, { message: 'indicator or target_id is required', path: ['indicator'] });
export type ValueInput = z.infer<typeof valueBody>;

export const reportBody = z
  .object({
    unit: shortText(200).describe('报送单位（须为任务的责任单位） / reporting unit, one of the task’s responsible units'),
    status: z.enum(TASK_STATUSES),
    percent: z.number().finite().min(0).max(100).optional(),
    narrative: z.string().max(20000).optional(),
    evidence: z.string().max(2000).optional(),
    reported_on: isoDate.optional().describe('报告所述日期（默认今天） / date the report speaks for (default today)'),
  })
  .strict();
export type ReportInput = z.infer<typeof reportBody>;

export const reviewBody = z
  .object({
    decision: z.enum(['accept', 'return']),
    comment: z.string().max(5000).optional(),
  })
  .strict();
export type ReviewInput = z.infer<typeof reviewBody>;

export const taskPatchBody = z
  .object({
    title: shortText(500).optional(),
    responsible_units: z.array(shortText(200)).max(50).optional(),
    supporting_units: z.array(shortText(200)).max(50).optional(),
    start_date: isoDate.nullable().optional(),
    due_date: isoDate.nullable().optional(),
    policy_text: z.string().max(20000).nullable().optional(),
  })
  .strict();
export type TaskPatch = z.infer<typeof taskPatchBody>;

export const targetSourceBody = z
  .object({ measure_key: z.string().max(100).nullable().describe('登记库指标；null 为填报 / registry measure; null for reported values') })
  .strict();

export const planPatchBody = z
  .object({
    name: shortText(300).optional(),
    owner: z.string().max(300).nullable().optional(),
    config: planConfigSchema.optional(),
    period_start: isoDate.nullable().optional(),
    period_end: isoDate.nullable().optional(),
  })
  .strict();
export type PlanPatch = z.infer<typeof planPatchBody>;

export const measureSchema = z.object({ key: z.string(), zh: z.string(), en: z.string(), units: z.array(z.string()), rule_zh: z.string(), rule_en: z.string() });
