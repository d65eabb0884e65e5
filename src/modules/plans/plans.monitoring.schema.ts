/**
 * Payloads of plan monitoring beyond the status board: milestones, task districts, the users
 * acting for a plan's units, the effective method settings, the roll-up tree and supervision
 * runs and cases. One zod schema per request and reply.
 */
import { z } from 'zod';
import { isoDate, PROGRESS_STATUSES, TASK_STATUSES } from './plans.schema.ts';

const warning = z.object({ code: z.string(), message: z.string(), message_en: z.string() });
export type MonitoringWarning = z.infer<typeof warning>;

// ---------------------------------------------------------------------------------------------
// Milestones

export const MILESTONE_STATES = ['open', 'overdue', 'done', 'done_late'] as const;

export const milestoneSchema = z.object({
  id: z.number(),
  task: z.string(),
  title: z.string(),
  due_date: z.string(),
  done_on: z.string().nullable(),
  note: z.string().nullable(),
  /** As of the date asked about: open, overdue (past due, not done), done, done_late. */
  state: z.enum(MILESTONE_STATES),
  days_overdue: z.number(),
});
export type MilestoneDto = z.infer<typeof milestoneSchema>;

export const milestoneReplySchema = milestoneSchema.extend({ warnings: z.array(warning) });
export type MilestoneReply = z.infer<typeof milestoneReplySchema>;

const title = z.string().trim().min(1).max(300);

export const milestoneBody = z
  .object({
    title: title.describe('节点名称 / milestone'),
    due_date: isoDate.describe('节点时限 / deadline'),
    done_on: isoDate.nullable().optional().describe('完成日期 / done on'),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();
export type MilestoneInput = z.infer<typeof milestoneBody>;

export const milestonePatchBody = z
  .object({
    title: title.optional(),
    due_date: isoDate.optional(),
    done_on: isoDate.nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();
export type MilestonePatch = z.infer<typeof milestonePatchBody>;

// ---------------------------------------------------------------------------------------------
// Districts and units

const regionRef = z.object({ id: z.number(), name: z.string() });

export const districtBody = z
  .object({ region: z.union([z.string().trim().min(1).max(50), z.number().int().positive()]).nullable().describe('所在区（名称、代码或编号；null 为清除） / district') })
  .strict();

export const taskDistrictSchema = z.object({ task: z.string(), district: regionRef.nullable(), warnings: z.array(warning) });
export type TaskDistrictDto = z.infer<typeof taskDistrictSchema>;

export const unitsSchema = z.object({
  plan_id: z.number(),
  units: z.array(
    z.object({
      unit: z.string(),
      /** owner: the plan owner (牵头部门); responsible / supporting: named on tasks. */
      roles: z.array(z.enum(['owner', 'responsible', 'supporting'])),
      tasks: z.array(z.string()),
      members: z.array(z.object({ username: z.string(), display_name: z.string().nullable(), role: z.string(), disabled: z.boolean() })),
    }),
  ),
});
export type UnitsDto = z.infer<typeof unitsSchema>;

export const memberBody = z
  .object({
    unit: z.string().trim().min(1).max(200).describe('单位（计划中的责任单位、配合单位或牵头部门） / unit of the plan'),
    username: z.string().trim().min(2).max(64).describe('用户名 / user name'),
  })
  .strict();
export type MemberInput = z.infer<typeof memberBody>;

// ---------------------------------------------------------------------------------------------
// Method settings in effect

const thresholds = z.object({ on_track: z.number(), acceleration_needed: z.number(), limited: z.number() });

export const methodSchema = z.object({
  plan_id: z.number(),
  progress: z.object({
    method: z.enum(['cagr_ratio', 'linear_ratio']),
    method_zh: z.string(),
    method_en: z.string(),
    convention: z.enum(['reporting_months', 'actual_365_25']),
    min_years_observed: z.number(),
    ratio_thresholds: thresholds,
    growth_thresholds: thresholds,
  }),
  forecast: z.object({ method: z.enum(['cagr', 'linear']), method_zh: z.string(), method_en: z.string() }),
  supervision: z.object({ off_track_margin: z.number(), flag_after_days: z.number(), escalate_after_days: z.number() }),
  /** Settings stored on the plan; everything else is the default. */
  stored: z.record(z.string(), z.unknown()),
});
export type MethodDto = z.infer<typeof methodSchema>;

// ---------------------------------------------------------------------------------------------
// Roll-up

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
  milestones_overdue: z.number(),
});
export type RollupTaskCounts = z.infer<typeof taskCounts>;

/** What every node of the roll-up carries: counts, the worst target status and the highest supervision level below it. */
const aggregate = {
  targets: statusCounts,
  tasks: taskCounts,
  /** Worst status among its targets with data; no_data when none has data; null without targets. */
  worst_status: z.enum(PROGRESS_STATUSES).nullable(),
  /** Highest supervision level of its tasks (0 none, 1 flagged, 2 escalated). */
  escalation: z.number(),
};

const rollupTarget = z.object({
  id: z.number(),
  indicator: z.string(),
  status: z.enum(PROGRESS_STATUSES),
  ratio: z.number().nullable(),
  latest: z.number().nullable(),
  target: z.number().nullable(),
  unit: z.string(),
  forecast: z.number().nullable(),
  forecast_method: z.string().nullable(),
});
const rollupTask = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  percent: z.number(),
  due: z.string().nullable(),
  overdue: z.boolean(),
  off_track: z.boolean(),
  escalation: z.number(),
  responsible: z.array(z.string()),
  districts: z.array(regionRef),
  milestones: z.object({ total: z.number(), done: z.number(), overdue: z.number() }),
});

/** Targets are the region's as a whole: a district carries its tasks and the registry counts in it. */
const district = z.object({
  region: regionRef,
  tasks: taskCounts,
  escalation: z.number(),
  task_ids: z.array(z.string()),
  /** Registry-counted targets counted in this district. */
  measures: z.array(z.object({ target_id: z.number(), indicator: z.string(), measure_key: z.string(), value: z.number() })),
});

export const rollupSchema = z.object({
  plan: z.string(),
  plan_id: z.number(),
  as_of: z.string(),
  ...aggregate,
  actions: z.array(z.object({ number: z.string(), title: z.string(), ...aggregate, target_items: z.array(rollupTarget), task_items: z.array(rollupTask) })),
  /** Targets and tasks not linked to an action. */
  unlinked: z.object({ ...aggregate, target_items: z.array(rollupTarget), task_items: z.array(rollupTask) }),
  /** Region → district; null for a plan without region. */
  regions: z
    .object({
      region: regionRef,
      tasks: taskCounts,
      escalation: z.number(),
      districts: z.array(district),
      /** Tasks of the region as a whole (市级): in no district. */
      region_wide: z.object({ tasks: taskCounts, task_ids: z.array(z.string()) }),
      measures: z.array(z.object({ target_id: z.number(), indicator: z.string(), measure_key: z.string(), value: z.number(), in_districts: z.number() })),
    })
    .nullable(),
});
export type Rollup = z.infer<typeof rollupSchema>;

// ---------------------------------------------------------------------------------------------
// Supervision runs and cases

export const caseSchema = z.object({
  id: z.number(),
  kind: z.enum(['task', 'target']),
  /** Task number or target indicator. */
  ref: z.string(),
  title: z.string(),
  units: z.array(z.string()),
  level: z.number(),
  since: z.string(),
  flagged_on: z.string(),
  escalated_on: z.string().nullable(),
  resolved_on: z.string().nullable(),
  triggers: z.array(z.string()),
  detail: z.string().nullable(),
  detail_en: z.string().nullable(),
});
export type CaseDto = z.infer<typeof caseSchema>;

export const runCaseSchema = caseSchema.extend({ change: z.enum(['opened', 'escalated', 'deescalated', 'unchanged', 'resolved']) });
export type RunCase = z.infer<typeof runCaseSchema>;

/** `innolink plan supervise PLAN --as-of DATE --json`. */
export const superviseResultSchema = z.object({
  plan: z.string(),
  plan_id: z.number(),
  as_of: z.string(),
  opened: z.number(),
  escalated: z.number(),
  resolved: z.number(),
  /** Open cases after the run. */
  open: z.number(),
  notifications: z.number(),
  emails: z.object({ sent: z.number(), failed: z.number() }).nullable(),
  /** Every case the run touched: opened, escalated, de-escalated, unchanged or resolved. */
  cases: z.array(runCaseSchema),
});
export type SuperviseResult = z.infer<typeof superviseResultSchema>;

export const casesSchema = z.object({
  plan_id: z.number(),
  last_run: z.string().nullable(),
  items: z.array(caseSchema),
  /** Open cases per unit (a case of a task with several units counts for each). */
  units: z.array(z.object({ unit: z.string().nullable(), open: z.number(), escalated: z.number() })),
});
export type CasesDto = z.infer<typeof casesSchema>;
