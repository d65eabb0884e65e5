/**
 * SQL of plan monitoring beyond the plan itself (migration 008): task milestones, the district
 * of a task, the users acting for a plan's units, supervision cases and runs. Every function
 * takes the store or an open transaction first.
 */
import type { Sql } from '../../store/db.ts';
import type { RegionRow } from '../regions/regions.repo.ts';

// ---------------------------------------------------------------------------------------------
// Milestones

export interface MilestoneRow {
  id: number;
  task_id: number;
  task_number: string;
  title: string;
  due_date: string;
  done_on: string | null;
  note: string | null;
  position: number;
}

const MS_COLS = 'm.id, m.task_id, k.number AS task_number, m.title, m.due_date, m.done_on, m.note, m.position';
const MS_FROM = 'plan_milestones m JOIN plan_tasks k ON k.id = m.task_id';

/** A plan's milestones, by task order then due date. */
export async function milestonesOfPlan(db: Sql, planId: number, taskId?: number): Promise<MilestoneRow[]> {
  return db.query<MilestoneRow>(
    `SELECT ${MS_COLS} FROM ${MS_FROM} WHERE k.plan_id = $1 AND ($2::bigint IS NULL OR m.task_id = $2)
      ORDER BY k.position, k.id, m.due_date, m.position, m.id`,
    [planId, taskId ?? null],
  );
}

export async function milestoneById(db: Sql, planId: number, id: number): Promise<MilestoneRow | null> {
  return (await db.query<MilestoneRow>(`SELECT ${MS_COLS} FROM ${MS_FROM} WHERE k.plan_id = $1 AND m.id = $2`, [planId, id]))[0] ?? null;
}

export interface NewMilestone {
  title: string;
  due_date: string;
  done_on: string | null;
  note: string | null;
}

export async function insertMilestone(db: Sql, taskId: number, m: NewMilestone, createdBy: string): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO plan_milestones (task_id, title, due_date, done_on, note, created_by, position)
     VALUES ($1, $2, $3, $4, $5, $6, (SELECT coalesce(max(position), 0) + 1 FROM plan_milestones WHERE task_id = $1))
     RETURNING id`,
    [taskId, m.title, m.due_date, m.done_on, m.note, createdBy],
  );
  return Number(row.id);
}

export async function updateMilestoneRow(db: Sql, id: number, patch: Partial<NewMilestone>): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const k of ['title', 'due_date', 'done_on', 'note'] as const) {
    if (patch[k] === undefined) continue;
    params.push(patch[k]);
    sets.push(`${k} = $${params.length}`);
  }
  if (!sets.length) return;
  params.push(id);
  await db.query(`UPDATE plan_milestones SET ${sets.join(', ')}, updated_at = now() WHERE id = $${params.length}`, params);
}

export async function deleteMilestoneRow(db: Sql, id: number): Promise<void> {
  await db.query(`DELETE FROM plan_milestones WHERE id = $1`, [id]);
}

// ---------------------------------------------------------------------------------------------
// Districts

/** The district set by hand on each task of a plan that has one. */
export async function taskDistricts(db: Sql, planId: number): Promise<Map<number, number>> {
  const rows = await db.query<{ id: number; region_id: number }>(`SELECT id, region_id FROM plan_tasks WHERE plan_id = $1 AND region_id IS NOT NULL`, [planId]);
  return new Map(rows.map((r) => [Number(r.id), Number(r.region_id)]));
}

export async function setTaskDistrict(db: Sql, taskId: number, regionId: number | null): Promise<void> {
  await db.query(`UPDATE plan_tasks SET region_id = $2, updated_at = now() WHERE id = $1`, [taskId, regionId]);
}

const REGION_COLS = 'id, code, name, short_name, name_en, level, kind, parent_id, path, note';

export async function regionChildren(db: Sql, id: number): Promise<RegionRow[]> {
  return db.query<RegionRow>(`SELECT ${REGION_COLS} FROM admin_regions WHERE parent_id = $1 ORDER BY code NULLS LAST, id`, [id]);
}

/** Materialised paths of regions by id. */
export async function regionPaths(db: Sql, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db.query<{ id: number; path: string }>(`SELECT id, path FROM admin_regions WHERE id = ANY($1::bigint[])`, [[...ids]]);
  return new Map(rows.map((r) => [Number(r.id), r.path]));
}

/** Regions named (name, short name or code) inside a subtree, nearest the top first. */
export async function regionsNamedWithin(db: Sql, name: string, path: string | null): Promise<RegionRow[]> {
  return db.query<RegionRow>(
    `SELECT ${REGION_COLS} FROM admin_regions
      WHERE (name = $1 OR short_name = $1 OR code = $1) AND ($2::text IS NULL OR path LIKE $2 || '%')
      ORDER BY length(path), id`,
    [name, path],
  );
}

// ---------------------------------------------------------------------------------------------
// Units and their users

export interface MemberRow {
  unit_key: string;
  unit: string;
  user_id: number;
  username: string;
  display_name: string | null;
  role: string;
  disabled: boolean;
}

export async function membersOf(db: Sql, planId: number): Promise<MemberRow[]> {
  return db.query<MemberRow>(
    `SELECT m.unit_key, m.unit, m.user_id, u.username, u.display_name, u.role, u.disabled_at IS NOT NULL AS disabled
       FROM plan_unit_members m JOIN users u ON u.id = m.user_id
      WHERE m.plan_id = $1 ORDER BY m.unit, u.username`,
    [planId],
  );
}

export async function addMember(db: Sql, planId: number, unitKey: string, unit: string, userId: number, by: string): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO plan_unit_members (plan_id, unit_key, unit, user_id, created_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING user_id`,
    [planId, unitKey, unit, userId, by],
  );
  return rows.length > 0;
}

export async function removeMember(db: Sql, planId: number, unitKey: string, userId: number): Promise<boolean> {
  return (await db.query(`DELETE FROM plan_unit_members WHERE plan_id = $1 AND unit_key = $2 AND user_id = $3 RETURNING user_id`, [planId, unitKey, userId])).length > 0;
}

/** Active users acting for any of the units (by unit key) in a plan. */
export async function userIdsOfUnits(db: Sql, planId: number, unitKeys: readonly string[]): Promise<number[]> {
  if (!unitKeys.length) return [];
  const rows = await db.query<{ user_id: number }>(
    `SELECT DISTINCT m.user_id FROM plan_unit_members m JOIN users u ON u.id = m.user_id
      WHERE m.plan_id = $1 AND m.unit_key = ANY($2::text[]) AND u.disabled_at IS NULL ORDER BY m.user_id`,
    [planId, [...unitKeys]],
  );
  return rows.map((r) => Number(r.user_id));
}

/** An active user by user name (case-insensitive, as log-in does). */
export async function activeUserByName(db: Sql, username: string): Promise<{ id: number; username: string } | null> {
  const [row] = await db.query<{ id: number; username: string }>(
    `SELECT id, username FROM users WHERE lower(username) = lower($1) AND disabled_at IS NULL`,
    [username],
  );
  return row ? { id: Number(row.id), username: row.username } : null;
}

// ---------------------------------------------------------------------------------------------
// Supervision cases and runs

export interface CaseRow {
  id: number;
  plan_id: number;
  item_kind: 'task' | 'target';
  task_id: number | null;
  target_id: number | null;
  task_number: string | null;
  task_title: string | null;
  indicator: string | null;
  level: 1 | 2;
  since: string;
  flagged_on: string;
  escalated_on: string | null;
  resolved_on: string | null;
  last_seen_on: string;
  triggers: string[];
  units: string[];
  detail: string | null;
  detail_en: string | null;
}

const CASE_COLS = `c.id, c.plan_id, c.item_kind, c.task_id, c.target_id, k.number AS task_number, k.title AS task_title, t.indicator,
  c.level, c.since, c.flagged_on, c.escalated_on, c.resolved_on, c.last_seen_on, c.triggers, c.units, c.detail, c.detail_en`;
const CASE_FROM = 'plan_supervision_cases c LEFT JOIN plan_tasks k ON k.id = c.task_id LEFT JOIN plan_targets t ON t.id = c.target_id';

/** A plan's cases: open ones, resolved ones, or all; escalated and oldest first. */
export async function casesOf(db: Sql, planId: number, state: 'open' | 'resolved' | 'all' = 'open'): Promise<CaseRow[]> {
  return db.query<CaseRow>(
    `SELECT ${CASE_COLS} FROM ${CASE_FROM}
      WHERE c.plan_id = $1 AND ($2 = 'all' OR ($2 = 'open') = (c.resolved_on IS NULL))
      ORDER BY c.resolved_on IS NOT NULL, c.level DESC, c.since, c.id`,
    [planId, state],
  );
}

export interface NewCase {
  item_kind: 'task' | 'target';
  task_id: number | null;
  target_id: number | null;
  level: 1 | 2;
  since: string;
  flagged_on: string;
  escalated_on: string | null;
  last_seen_on: string;
  triggers: string[];
  units: string[];
  detail: string;
  detail_en: string;
}

export async function insertCase(db: Sql, planId: number, c: NewCase): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO plan_supervision_cases (plan_id, item_kind, task_id, target_id, level, since, flagged_on, escalated_on, last_seen_on,
                                         triggers, units, detail, detail_en)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11::text[], $12, $13) RETURNING id`,
    [planId, c.item_kind, c.task_id, c.target_id, c.level, c.since, c.flagged_on, c.escalated_on, c.last_seen_on, c.triggers, c.units, c.detail, c.detail_en],
  );
  return Number(row.id);
}

export async function updateCase(
  db: Sql,
  id: number,
  c: Pick<NewCase, 'level' | 'since' | 'escalated_on' | 'last_seen_on' | 'triggers' | 'units' | 'detail' | 'detail_en'>,
): Promise<void> {
  await db.query(
    `UPDATE plan_supervision_cases SET level = $2, since = $3, escalated_on = $4, last_seen_on = $5, triggers = $6::text[], units = $7::text[],
            detail = $8, detail_en = $9, updated_at = now()
      WHERE id = $1`,
    [id, c.level, c.since, c.escalated_on, c.last_seen_on, c.triggers, c.units, c.detail, c.detail_en],
  );
}

export async function resolveCase(db: Sql, id: number, on: string): Promise<void> {
  await db.query(`UPDATE plan_supervision_cases SET resolved_on = greatest($2::date, since), last_seen_on = $2, updated_at = now() WHERE id = $1`, [id, on]);
}

/** Locks the plan row for the rest of the transaction: supervision runs of one plan queue. */
export async function lockPlan(db: Sql, planId: number): Promise<boolean> {
  return (await db.query(`SELECT id FROM plans WHERE id = $1 FOR UPDATE`, [planId])).length > 0;
}

export async function lastRunAsOf(db: Sql, planId: number): Promise<string | null> {
  const [row] = await db.query<{ as_of: string }>(`SELECT max(as_of) AS as_of FROM plan_supervision_runs WHERE plan_id = $1`, [planId]);
  return row?.as_of ?? null;
}

export async function insertRun(
  db: Sql,
  planId: number,
  r: { as_of: string; actor: string; opened: number; escalated: number; resolved: number; notifications: number },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO plan_supervision_runs (plan_id, as_of, actor, opened, escalated, resolved, notifications)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [planId, r.as_of, r.actor, r.opened, r.escalated, r.resolved, r.notifications],
  );
  return Number(row.id);
}

/** Ids of every plan, oldest first. */
export async function allPlanIds(db: Sql): Promise<number[]> {
  return (await db.query<{ id: number }>(`SELECT id FROM plans ORDER BY id`)).map((r) => Number(r.id));
}

/** The active user who created the plan, when the plan was created by a user (not the CLI). */
export async function planCreatorUserId(db: Sql, planId: number): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(
    `SELECT u.id FROM plans p JOIN users u ON lower(u.username) = lower(p.created_by) WHERE p.id = $1 AND u.disabled_at IS NULL`,
    [planId],
  );
  return row ? Number(row.id) : null;
}
