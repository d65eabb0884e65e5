/**
 * SQL of action plans: plans, actions, targets and their values, tasks and progress reports.
 * Every function takes the store or an open transaction first.
 */
import type { Sql } from '../../store/db.ts';

export interface PlanRow {
  id: number;
  name: string;
  region_id: number | null;
  region_name: string | null;
  region_path: string | null;
  period_start: string | null;
  period_end: string | null;
  owner: string | null;
  config: Record<string, unknown>;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface ActionRow {
  id: number;
  plan_id: number;
  number: string;
  title: string;
  position: number;
}

export interface TargetRow {
  id: number;
  plan_id: number;
  action_id: number | null;
  action_number: string | null;
  area: string | null;
  indicator: string;
  unit: string | null;
  baseline_value: number | null;
  baseline_year: number | null;
  target_value: number | null;
  target_year: number | null;
  direction: 'increase' | 'decrease';
  source_text: string | null;
  value_source: 'reported' | 'registry';
  measure_key: string | null;
  position: number;
}

export interface ValueRow {
  id: number;
  target_id: number;
  date: string;
  precision: 'day' | 'year';
  value: number;
  note: string | null;
  evidence: string | null;
  entered_by: string | null;
  entered_at: Date | string;
}

export interface TaskRow {
  id: number;
  plan_id: number;
  action_id: number | null;
  action_number: string | null;
  action_title: string | null;
  number: string;
  title: string;
  responsible_units: string[];
  supporting_units: string[];
  start_date: string | null;
  due_date: string | null;
  policy_text: string | null;
  position: number;
}

export interface ReportRow {
  id: number;
  task_id: number;
  task_number: string;
  unit: string;
  status: 'not_started' | 'in_progress' | 'completed' | 'blocked';
  percent: number | null;
  narrative: string | null;
  evidence: string | null;
  reported_on: string;
  submitted_by: string | null;
  submitted_at: Date | string;
  review_status: 'submitted' | 'accepted' | 'returned';
  reviewer: string | null;
  reviewer_comment: string | null;
  reviewed_at: Date | string | null;
}

const PLAN_COLS = `p.id, p.name, p.region_id, r.short_name AS region_name, r.path AS region_path, p.period_start, p.period_end,
  p.owner, p.config, p.created_by, p.created_at, p.updated_at`;
const PLAN_FROM = 'plans p LEFT JOIN admin_regions r ON r.id = p.region_id';

export async function planById(db: Sql, id: number): Promise<PlanRow | null> {
  return (await db.query<PlanRow>(`SELECT ${PLAN_COLS} FROM ${PLAN_FROM} WHERE p.id = $1`, [id]))[0] ?? null;
}

export async function planByName(db: Sql, name: string): Promise<PlanRow | null> {
  return (await db.query<PlanRow>(`SELECT ${PLAN_COLS} FROM ${PLAN_FROM} WHERE p.name = $1`, [name]))[0] ?? null;
}

/** Every plan with its target and task counts, newest first. */
export async function listPlans(db: Sql): Promise<Array<PlanRow & { targets: number; tasks: number }>> {
  return db.query(
    `SELECT ${PLAN_COLS},
            (SELECT count(*)::int FROM plan_targets t WHERE t.plan_id = p.id) AS targets,
            (SELECT count(*)::int FROM plan_tasks k WHERE k.plan_id = p.id) AS tasks
       FROM ${PLAN_FROM} ORDER BY p.id DESC`,
  );
}

export interface NewPlan {
  name: string;
  region_id: number | null;
  period_start: string | null;
  period_end: string | null;
  owner: string | null;
  config: Record<string, unknown>;
  created_by: string;
}

export async function insertPlan(db: Sql, p: NewPlan): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO plans (name, region_id, period_start, period_end, owner, config, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING id`,
    [p.name, p.region_id, p.period_start, p.period_end, p.owner, JSON.stringify(p.config), p.created_by],
  );
  return row.id;
}

export async function updatePlanRow(
  db: Sql,
  id: number,
  patch: Partial<Pick<NewPlan, 'name' | 'owner' | 'config' | 'period_start' | 'period_end' | 'region_id'>>,
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    params.push(k === 'config' ? JSON.stringify(v) : v);
    sets.push(`${k} = $${params.length}${k === 'config' ? '::jsonb' : ''}`);
  }
  if (!sets.length) return;
  params.push(id);
  await db.query(`UPDATE plans SET ${sets.join(', ')}, updated_at = now() WHERE id = $${params.length}`, params);
}

export async function deletePlanRow(db: Sql, id: number): Promise<boolean> {
  return (await db.query(`DELETE FROM plans WHERE id = $1 RETURNING id`, [id])).length > 0;
}

export async function insertAction(db: Sql, planId: number, a: { number: string; title: string; position: number }): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO plan_actions (plan_id, number, title, position) VALUES ($1, $2, $3, $4) RETURNING id`,
    [planId, a.number, a.title, a.position],
  );
  return row.id;
}

export async function actionsOf(db: Sql, planId: number): Promise<ActionRow[]> {
  return db.query<ActionRow>(`SELECT id, plan_id, number, title, position FROM plan_actions WHERE plan_id = $1 ORDER BY position, id`, [planId]);
}

export interface NewTarget {
  action_id: number | null;
  area: string | null;
  indicator: string;
  unit: string | null;
  baseline_value: number | null;
  baseline_year: number | null;
  target_value: number | null;
  target_year: number | null;
  direction: 'increase' | 'decrease';
  source_text: string | null;
  value_source: 'reported' | 'registry';
  measure_key: string | null;
  position: number;
}

export async function insertTarget(db: Sql, planId: number, t: NewTarget): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO plan_targets (plan_id, action_id, area, indicator, unit, baseline_value, baseline_year, target_value, target_year,
                               direction, source_text, value_source, measure_key, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [
      planId, t.action_id, t.area, t.indicator, t.unit, t.baseline_value, t.baseline_year, t.target_value, t.target_year,
      t.direction, t.source_text, t.value_source, t.measure_key, t.position,
    ],
  );
  return row.id;
}

const TARGET_COLS = `t.id, t.plan_id, t.action_id, a.number AS action_number, t.area, t.indicator, t.unit, t.baseline_value,
  t.baseline_year, t.target_value, t.target_year, t.direction, t.source_text, t.value_source, t.measure_key, t.position`;
const TARGET_FROM = 'plan_targets t LEFT JOIN plan_actions a ON a.id = t.action_id';

export async function targetsOf(db: Sql, planId: number): Promise<TargetRow[]> {
  return db.query<TargetRow>(`SELECT ${TARGET_COLS} FROM ${TARGET_FROM} WHERE t.plan_id = $1 ORDER BY t.position, t.id`, [planId]);
}

export async function targetByIndicator(db: Sql, planId: number, indicator: string): Promise<TargetRow | null> {
  return (await db.query<TargetRow>(`SELECT ${TARGET_COLS} FROM ${TARGET_FROM} WHERE t.plan_id = $1 AND t.indicator = $2`, [planId, indicator]))[0] ?? null;
}

export async function targetById(db: Sql, planId: number, id: number): Promise<TargetRow | null> {
  return (await db.query<TargetRow>(`SELECT ${TARGET_COLS} FROM ${TARGET_FROM} WHERE t.plan_id = $1 AND t.id = $2`, [planId, id]))[0] ?? null;
}

export async function setTargetSource(db: Sql, id: number, source: 'reported' | 'registry', measureKey: string | null): Promise<void> {
  await db.query(`UPDATE plan_targets SET value_source = $2, measure_key = $3, updated_at = now() WHERE id = $1`, [id, source, measureKey]);
}

export interface NewValue {
  target_id: number;
  date: string;
  precision: 'day' | 'year';
  value: number;
  note: string | null;
  evidence: string | null;
  entered_by: string;
}

const VALUE_COLS = 'id, target_id, date, precision, value, note, evidence, entered_by, entered_at';

export async function insertValue(db: Sql, v: NewValue): Promise<ValueRow> {
  const [row] = await db.query<ValueRow>(
    `INSERT INTO plan_target_values (target_id, date, precision, value, note, evidence, entered_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${VALUE_COLS}`,
    [v.target_id, v.date, v.precision, v.value, v.note, v.evidence, v.entered_by],
  );
  return row;
}

/** Reported values of a plan's targets, oldest first; among values of one date, in entry order. */
export async function valuesOfPlan(db: Sql, planId: number): Promise<ValueRow[]> {
  return db.query<ValueRow>(
    `SELECT ${VALUE_COLS.split(', ').map((c) => `v.${c}`).join(', ')}
       FROM plan_target_values v JOIN plan_targets t ON t.id = v.target_id
      WHERE t.plan_id = $1 ORDER BY v.date, v.id`,
    [planId],
  );
}

export interface NewTask {
  action_id: number | null;
  number: string;
  title: string;
  responsible_units: string[];
  supporting_units: string[];
  start_date: string | null;
  due_date: string | null;
  policy_text: string | null;
  position: number;
}

export async function insertTask(db: Sql, planId: number, t: NewTask): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO plan_tasks (plan_id, action_id, number, title, responsible_units, supporting_units, start_date, due_date, policy_text, position)
     VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9, $10) RETURNING id`,
    [planId, t.action_id, t.number, t.title, t.responsible_units, t.supporting_units, t.start_date, t.due_date, t.policy_text, t.position],
  );
  return row.id;
}

const TASK_COLS = `k.id, k.plan_id, k.action_id, a.number AS action_number, a.title AS action_title, k.number, k.title,
  k.responsible_units, k.supporting_units, k.start_date, k.due_date, k.policy_text, k.position`;
const TASK_FROM = 'plan_tasks k LEFT JOIN plan_actions a ON a.id = k.action_id';

export async function tasksOf(db: Sql, planId: number): Promise<TaskRow[]> {
  return db.query<TaskRow>(`SELECT ${TASK_COLS} FROM ${TASK_FROM} WHERE k.plan_id = $1 ORDER BY k.position, k.id`, [planId]);
}

export async function taskByNumber(db: Sql, planId: number, number: string): Promise<TaskRow | null> {
  return (await db.query<TaskRow>(`SELECT ${TASK_COLS} FROM ${TASK_FROM} WHERE k.plan_id = $1 AND k.number = $2`, [planId, number]))[0] ?? null;
}

export async function updateTaskRow(
  db: Sql,
  id: number,
  patch: Partial<Pick<NewTask, 'title' | 'responsible_units' | 'supporting_units' | 'start_date' | 'due_date' | 'policy_text'>>,
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    params.push(v);
    sets.push(`${k} = $${params.length}${k.endsWith('_units') ? '::text[]' : ''}`);
  }
  if (!sets.length) return;
  params.push(id);
  await db.query(`UPDATE plan_tasks SET ${sets.join(', ')}, updated_at = now() WHERE id = $${params.length}`, params);
}

const REPORT_COLS = `r.id, r.task_id, k.number AS task_number, r.unit, r.status, r.percent, r.narrative, r.evidence, r.reported_on,
  r.submitted_by, r.submitted_at, r.review_status, r.reviewer, r.reviewer_comment, r.reviewed_at`;
const REPORT_FROM = 'plan_task_reports r JOIN plan_tasks k ON k.id = r.task_id';

export interface NewReport {
  task_id: number;
  unit: string;
  status: ReportRow['status'];
  percent: number | null;
  narrative: string | null;
  evidence: string | null;
  reported_on: string;
  submitted_by: string;
}

export async function insertReport(db: Sql, r: NewReport): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO plan_task_reports (task_id, unit, status, percent, narrative, evidence, reported_on, submitted_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [r.task_id, r.unit, r.status, r.percent, r.narrative, r.evidence, r.reported_on, r.submitted_by],
  );
  return row.id;
}

export async function reportById(db: Sql, planId: number, id: number): Promise<ReportRow | null> {
  return (await db.query<ReportRow>(`SELECT ${REPORT_COLS} FROM ${REPORT_FROM} WHERE k.plan_id = $1 AND r.id = $2`, [planId, id]))[0] ?? null;
}

/** A plan's reports, newest first, optionally of one review status or one task. */
export async function reportsOf(db: Sql, planId: number, f: { reviewStatus?: string; taskId?: number } = {}): Promise<ReportRow[]> {
  return db.query<ReportRow>(
    `SELECT ${REPORT_COLS} FROM ${REPORT_FROM}
      WHERE k.plan_id = $1 AND ($2::text IS NULL OR r.review_status = $2) AND ($3::bigint IS NULL OR r.task_id = $3)
      ORDER BY r.reported_on DESC, r.id DESC`,
    [planId, f.reviewStatus ?? null, f.taskId ?? null],
  );
}

/**
 * Sets the review of a report that is still awaiting one; returns false when it was reviewed
 * meanwhile (the condition makes two reviewers racing each other safe).
 */
export async function setReview(
  db: Sql,
  id: number,
  r: { status: 'accepted' | 'returned'; reviewer: string; comment: string | null },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE plan_task_reports SET review_status = $2, reviewer = $3, reviewer_comment = $4, reviewed_at = now()
      WHERE id = $1 AND review_status = 'submitted' RETURNING id`,
    [id, r.status, r.reviewer, r.comment],
  );
  return rows.length > 0;
}
