/**
 * The replies of /api/plans as the pages read them (the server's zod schemas in
 * src/modules/plans/plans.schema.ts and plans.monitoring.schema.ts are the source).
 */
export type ProgressStatus = 'achieved' | 'on_track' | 'acceleration_needed' | 'limited' | 'deterioration' | 'no_data';
export type TaskStatus = 'not_started' | 'in_progress' | 'completed' | 'blocked';
export type ReviewStatus = 'submitted' | 'accepted' | 'returned';

export const PROGRESS_STATUSES: readonly ProgressStatus[] = ['achieved', 'on_track', 'acceleration_needed', 'limited', 'deterioration', 'no_data'];
export const TASK_STATUSES: readonly TaskStatus[] = ['not_started', 'in_progress', 'completed', 'blocked'];

export interface RegionRef {
  id: number;
  name: string;
}

export interface PlanSummary {
  id: number;
  name: string;
  region: RegionRef | null;
  period_start: string | null;
  period_end: string | null;
  owner: string | null;
  targets: number;
  tasks: number;
  created_at: string;
}

export interface Target {
  id: number;
  indicator: string;
  area: string | null;
  unit: string | null;
  action_number: string | null;
  baseline_value: number | null;
  baseline_year: number | null;
  target_value: number | null;
  target_year: number | null;
  direction: 'increase' | 'decrease';
  source_text: string | null;
  value_source: 'reported' | 'registry';
  measure_key: string | null;
}

export interface Task {
  number: string;
  title: string;
  action_number: string | null;
  responsible_units: string[];
  supporting_units: string[];
  start_date: string | null;
  due_date: string | null;
  policy_text: string | null;
}

export interface PlanTree {
  id: number;
  name: string;
  region: RegionRef | null;
  period_start: string | null;
  period_end: string | null;
  owner: string | null;
  config: Record<string, unknown>;
  actions: { number: string; title: string; targets: Target[]; tasks: Task[] }[];
  targets: Target[];
  tasks: Task[];
  created_at: string;
  updated_at: string;
}

export interface BoardTarget {
  id: number;
  indicator: string;
  target: number | null;
  unit: string;
  latest: number | null;
  latest_date: string | null;
  status: ProgressStatus;
  ratio: number | null;
  forecast: number | null;
  area: string | null;
  action_number: string | null;
  direction: 'increase' | 'decrease';
  baseline: number | null;
  baseline_year: number | null;
  target_year: number | null;
  value_source: 'reported' | 'registry';
  measure_key: string | null;
  method: string;
  observed_rate: number | null;
  required_rate: number | null;
  deadline_passed: boolean;
  reason: string | null;
  notes: string[];
  explanation_zh: string;
  explanation_en: string;
  forecast_method: string | null;
  forecast_meets_target: boolean | null;
  forecast_explanation_zh: string | null;
  forecast_explanation_en: string | null;
  series: { date: string; value: number }[];
}

export interface Trigger {
  kind: string;
  since: string;
  days: number;
  detail_zh: string;
  detail_en: string;
}

export interface BoardTask {
  id: string;
  title: string;
  responsible: string[];
  due: string | null;
  status: TaskStatus;
  overdue: boolean;
  action_number: string | null;
  action: string | null;
  supporting: string[];
  start: string | null;
  percent: number;
  days_overdue: number;
  off_track: boolean;
  expected_percent: number | null;
  escalation: number;
  triggers: Trigger[];
  report_id: number | null;
  explanation_zh: string;
  explanation_en: string;
}

export type StatusCounts = Record<ProgressStatus | 'total', number>;
export type TaskCounts = Record<TaskStatus | 'total' | 'overdue' | 'off_track' | 'flagged' | 'escalated', number>;

export interface Board {
  plan: string;
  plan_id: number;
  as_of: string;
  targets: BoardTarget[];
  tasks: BoardTask[];
  summary: {
    targets: StatusCounts;
    targets_by_area: { group: string; counts: StatusCounts }[];
    tasks: TaskCounts;
    tasks_by_action: { action: string; counts: TaskCounts }[];
    tasks_by_unit: { unit: string; counts: TaskCounts }[];
  };
}

export interface Supervision {
  plan: string;
  plan_id: number;
  as_of: string;
  units: { unit: string | null; tasks: BoardTask[] }[];
  targets: BoardTarget[];
}

export interface Report {
  id: number;
  task: string;
  unit: string;
  status: TaskStatus;
  percent: number | null;
  narrative: string | null;
  evidence: string | null;
  reported_on: string;
  submitted_by: string | null;
  submitted_at: string;
  review_status: ReviewStatus;
  reviewer: string | null;
  reviewer_comment: string | null;
  reviewed_at: string | null;
}

export interface ValueReply {
  id: number;
  target_id: number;
  indicator: string;
  date: string;
  value: number;
  unit: string | null;
  note: string | null;
  evidence: string | null;
  warnings: { code: string; message: string; message_en: string }[];
}

export interface Milestone {
  id: number;
  task: string;
  title: string;
  due_date: string;
  done_on: string | null;
  note: string | null;
  state: 'open' | 'overdue' | 'done' | 'done_late';
  days_overdue: number;
}

export interface Method {
  plan_id: number;
  progress: { method: string; method_zh: string; method_en: string; ratio_thresholds: { on_track: number; acceleration_needed: number; limited: number } };
  forecast: { method: string; method_zh: string; method_en: string };
  supervision: { off_track_margin: number; flag_after_days: number; escalate_after_days: number };
}

export interface Case {
  id: number;
  kind: 'task' | 'target';
  ref: string;
  title: string;
  units: string[];
  level: number;
  since: string;
  flagged_on: string;
  escalated_on: string | null;
  resolved_on: string | null;
  triggers: string[];
  detail: string | null;
  detail_en: string | null;
}

export interface Cases {
  plan_id: number;
  last_run: string | null;
  items: Case[];
  units: { unit: string | null; open: number; escalated: number }[];
}

export interface SuperviseResult {
  as_of: string;
  opened: number;
  escalated: number;
  resolved: number;
  open: number;
  notifications: number;
}

export interface PlanImportIssue {
  row: number;
  column: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  message_en: string;
  file: string;
  [k: string]: unknown;
}

export interface PlanImportResult {
  ok: boolean;
  plan: number | null;
  targets: number;
  tasks: number;
  values: number;
  issues: PlanImportIssue[];
}
