/**
 * Queries of action plans: plans, actions, targets and their values, tasks and progress reports.
 * Every function takes the store or an open transaction first. The SQL each one sends is in
 * src/store/queries/plans.sql (examples: plans.repo.examples.ts).
 */
import type { Sql } from '../../store/db.ts';
import { qb, type NewRow, type Row } from '../../store/kysely.ts';

/** A plan with its region's short name and path (null without a region). */
export type PlanRow = Row<'plans'> & { region_name: string | null; region_path: string | null };
export type ActionRow = Row<'plan_actions'>;
/** A target with the number of its action. */
export type TargetRow = Row<'plan_targets'> & { action_number: string | null };
export type ValueRow = Row<'plan_target_values'>;
/** A task with the number and title of its action. */
export type TaskRow = Row<'plan_tasks'> & { action_number: string | null; action_title: string | null };
/** A progress report with the number of its task. */
export type ReportRow = Row<'plan_task_reports'> & { task_number: string };
export type ReportStatus = ReportRow['status'];
export type ReviewStatus = ReportRow['review_status'];

const plans = (db: Sql) =>
  qb(db)
    .selectFrom('plans as p')
    .leftJoin('admin_regions as r', 'r.id', 'p.region_id')
    .selectAll('p')
    .select(['r.short_name as region_name', 'r.path as region_path']);

export async function planById(db: Sql, id: number): Promise<PlanRow | null> {
  return (await plans(db).where('p.id', '=', id).executeTakeFirst()) ?? null;
}

export async function planByName(db: Sql, name: string): Promise<PlanRow | null> {
  return (await plans(db).where('p.name', '=', name).executeTakeFirst()) ?? null;
}

/** Every plan with its target and task counts, newest first. */
export async function listPlans(db: Sql): Promise<Array<PlanRow & { targets: number; tasks: number }>> {
  return plans(db)
    .select((eb) => [
      eb.selectFrom('plan_targets as t').select(eb.fn.countAll<number>().as('n')).whereRef('t.plan_id', '=', 'p.id').$asScalar().$notNull().as('targets'),
      eb.selectFrom('plan_tasks as k').select(eb.fn.countAll<number>().as('n')).whereRef('k.plan_id', '=', 'p.id').$asScalar().$notNull().as('tasks'),
    ])
    .orderBy('p.id', 'desc')
    .execute();
}

/** How many targets, tasks and reported values a plan has. */
export async function planCounts(db: Sql, planId: number): Promise<{ targets: number; tasks: number; values: number }> {
  return qb(db)
    .selectNoFrom((eb) => [
      eb.selectFrom('plan_targets').select(eb.fn.countAll<number>().as('n')).where('plan_id', '=', planId).$asScalar().$notNull().as('targets'),
      eb.selectFrom('plan_tasks').select(eb.fn.countAll<number>().as('n')).where('plan_id', '=', planId).$asScalar().$notNull().as('tasks'),
      eb
        .selectFrom('plan_target_values as v')
        .innerJoin('plan_targets as t', 't.id', 'v.target_id')
        .select(eb.fn.countAll<number>().as('n'))
        .where('t.plan_id', '=', planId)
        .$asScalar()
        .$notNull()
        .as('values'),
    ])
    .executeTakeFirstOrThrow();
}

/** A new plan; `config` is stored as JSON. */
export type NewPlan = Required<Pick<NewRow<'plans'>, 'name' | 'region_id' | 'period_start' | 'period_end' | 'owner' | 'created_by'>> & {
  config: Record<string, unknown>;
};

export async function insertPlan(db: Sql, p: NewPlan): Promise<number> {
  const row = await qb(db)
    .insertInto('plans')
    .values({
      name: p.name,
      region_id: p.region_id,
      period_start: p.period_start,
      period_end: p.period_end,
      owner: p.owner,
      config: JSON.stringify(p.config),
      created_by: p.created_by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePlanRow(
  db: Sql,
  id: number,
  patch: Partial<Pick<NewPlan, 'name' | 'owner' | 'config' | 'period_start' | 'period_end' | 'region_id'>>,
): Promise<void> {
  const set = {
    name: patch.name,
    owner: patch.owner,
    config: patch.config === undefined ? undefined : JSON.stringify(patch.config),
    period_start: patch.period_start,
    period_end: patch.period_end,
    region_id: patch.region_id,
  };
  if (Object.values(set).every((v) => v === undefined)) return;
  // Kysely leaves out the columns whose value is undefined.
  await qb(db)
    .updateTable('plans')
    .set((eb) => ({ ...set, updated_at: eb.fn('now') }))
    .where('id', '=', id)
    .execute();
}

export async function deletePlanRow(db: Sql, id: number): Promise<boolean> {
  const r = await qb(db).deleteFrom('plans').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function insertAction(db: Sql, planId: number, a: { number: string; title: string; position: number }): Promise<number> {
  const row = await qb(db)
    .insertInto('plan_actions')
    .values({ plan_id: planId, number: a.number, title: a.title, position: a.position })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function actionsOf(db: Sql, planId: number): Promise<ActionRow[]> {
  return qb(db).selectFrom('plan_actions').selectAll().where('plan_id', '=', planId).orderBy('position').orderBy('id').execute();
}

/** A new target of a plan: every column stated (the importer and the API fill in the defaults). */
export type NewTarget = Required<Omit<NewRow<'plan_targets'>, 'plan_id' | 'created_at' | 'updated_at'>>;

export async function insertTarget(db: Sql, planId: number, t: NewTarget): Promise<number> {
  const row = await qb(db)
    .insertInto('plan_targets')
    .values({
      plan_id: planId,
      action_id: t.action_id,
      area: t.area,
      indicator: t.indicator,
      unit: t.unit,
      baseline_value: t.baseline_value,
      baseline_year: t.baseline_year,
      target_value: t.target_value,
      target_year: t.target_year,
      direction: t.direction,
      source_text: t.source_text,
      value_source: t.value_source,
      measure_key: t.measure_key,
      position: t.position,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const targets = (db: Sql) =>
  qb(db).selectFrom('plan_targets as t').leftJoin('plan_actions as a', 'a.id', 't.action_id').selectAll('t').select('a.number as action_number');

export async function targetsOf(db: Sql, planId: number): Promise<TargetRow[]> {
  return targets(db).where('t.plan_id', '=', planId).orderBy('t.position').orderBy('t.id').execute();
}

export async function targetByIndicator(db: Sql, planId: number, indicator: string): Promise<TargetRow | null> {
  return (await targets(db).where('t.plan_id', '=', planId).where('t.indicator', '=', indicator).executeTakeFirst()) ?? null;
}

export async function targetById(db: Sql, planId: number, id: number): Promise<TargetRow | null> {
  return (await targets(db).where('t.plan_id', '=', planId).where('t.id', '=', id).executeTakeFirst()) ?? null;
}

export async function setTargetSource(db: Sql, id: number, source: TargetRow['value_source'], measureKey: string | null): Promise<void> {
  await qb(db)
    .updateTable('plan_targets')
    .set((eb) => ({ value_source: source, measure_key: measureKey, updated_at: eb.fn('now') }))
    .where('id', '=', id)
    .execute();
}

/** A new reported value of a target. */
export type NewValue = Required<Omit<NewRow<'plan_target_values'>, 'entered_at'>>;

export async function insertValue(db: Sql, v: NewValue): Promise<ValueRow> {
  return qb(db)
    .insertInto('plan_target_values')
    .values({
      target_id: v.target_id,
      date: v.date,
      precision: v.precision,
      value: v.value,
      note: v.note,
      evidence: v.evidence,
      entered_by: v.entered_by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Reported values of a plan's targets, oldest first; among values of one date, in entry order. */
export async function valuesOfPlan(db: Sql, planId: number): Promise<ValueRow[]> {
  return qb(db)
    .selectFrom('plan_target_values as v')
    .innerJoin('plan_targets as t', 't.id', 'v.target_id')
    .selectAll('v')
    .where('t.plan_id', '=', planId)
    .orderBy('v.date')
    .orderBy('v.id')
    .execute();
}

/** A new task of a plan (its district is set apart: setTaskDistrict). */
export type NewTask = Required<Omit<NewRow<'plan_tasks'>, 'plan_id' | 'region_id' | 'created_at' | 'updated_at'>>;

export async function insertTask(db: Sql, planId: number, t: NewTask): Promise<number> {
  const row = await qb(db)
    .insertInto('plan_tasks')
    .values({
      plan_id: planId,
      action_id: t.action_id,
      number: t.number,
      title: t.title,
      responsible_units: t.responsible_units,
      supporting_units: t.supporting_units,
      start_date: t.start_date,
      due_date: t.due_date,
      policy_text: t.policy_text,
      position: t.position,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const tasks = (db: Sql) =>
  qb(db)
    .selectFrom('plan_tasks as k')
    .leftJoin('plan_actions as a', 'a.id', 'k.action_id')
    .selectAll('k')
    .select(['a.number as action_number', 'a.title as action_title']);

export async function tasksOf(db: Sql, planId: number): Promise<TaskRow[]> {
  return tasks(db).where('k.plan_id', '=', planId).orderBy('k.position').orderBy('k.id').execute();
}

export async function taskByNumber(db: Sql, planId: number, number: string): Promise<TaskRow | null> {
  return (await tasks(db).where('k.plan_id', '=', planId).where('k.number', '=', number).executeTakeFirst()) ?? null;
}

export async function updateTaskRow(
  db: Sql,
  id: number,
  patch: Partial<Pick<NewTask, 'title' | 'responsible_units' | 'supporting_units' | 'start_date' | 'due_date' | 'policy_text'>>,
): Promise<void> {
  const set = {
    title: patch.title,
    responsible_units: patch.responsible_units,
    supporting_units: patch.supporting_units,
    start_date: patch.start_date,
    due_date: patch.due_date,
    policy_text: patch.policy_text,
  };
  if (Object.values(set).every((v) => v === undefined)) return;
  await qb(db)
    .updateTable('plan_tasks')
    .set((eb) => ({ ...set, updated_at: eb.fn('now') }))
    .where('id', '=', id)
    .execute();
}

/** A new progress report (review fields start empty). */
export type NewReport = Required<Pick<NewRow<'plan_task_reports'>, 'task_id' | 'unit' | 'status' | 'percent' | 'narrative' | 'evidence' | 'reported_on' | 'submitted_by'>>;

export async function insertReport(db: Sql, r: NewReport): Promise<number> {
  const row = await qb(db)
    .insertInto('plan_task_reports')
    .values({
      task_id: r.task_id,
      unit: r.unit,
      status: r.status,
      percent: r.percent,
      narrative: r.narrative,
      evidence: r.evidence,
      reported_on: r.reported_on,
      submitted_by: r.submitted_by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const reports = (db: Sql) =>
  qb(db).selectFrom('plan_task_reports as r').innerJoin('plan_tasks as k', 'k.id', 'r.task_id').selectAll('r').select('k.number as task_number');

export async function reportById(db: Sql, planId: number, id: number): Promise<ReportRow | null> {
  return (await reports(db).where('k.plan_id', '=', planId).where('r.id', '=', id).executeTakeFirst()) ?? null;
}

/** A plan's reports, newest first, optionally of one review status or one task. */
export async function reportsOf(db: Sql, planId: number, f: { reviewStatus?: ReviewStatus; taskId?: number } = {}): Promise<ReportRow[]> {
  let q = reports(db).where('k.plan_id', '=', planId);
  if (f.reviewStatus) q = q.where('r.review_status', '=', f.reviewStatus);
  if (f.taskId !== undefined) q = q.where('r.task_id', '=', f.taskId);
  return q.orderBy('r.reported_on', 'desc').orderBy('r.id', 'desc').execute();
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
  const res = await qb(db)
    .updateTable('plan_task_reports')
    .set((eb) => ({ review_status: r.status, reviewer: r.reviewer, reviewer_comment: r.comment, reviewed_at: eb.fn('now') }))
    .where('id', '=', id)
    .where('review_status', '=', 'submitted')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
