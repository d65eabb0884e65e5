/**
 * Queries of plan monitoring beyond the plan itself (migration 008): task milestones, the
 * district of a task, the users acting for a plan's units, supervision cases and runs. Every
 * function takes the store or an open transaction first. The SQL each one sends is in
 * src/store/queries/plans.sql (examples: plans.monitoring.repo.examples.ts).
 */
import type { NotNull } from 'kysely';
import type { Sql } from '../../store/db.ts';
import { qb, type NewRow, type Row } from '../../store/kysely.ts';
import type { RegionRow } from '../regions/regions.repo.ts';

// ---------------------------------------------------------------------------------------------
// Milestones

/** A milestone with the number of its task. */
export type MilestoneRow = Row<'plan_milestones'> & { task_number: string };

const milestones = (db: Sql) =>
  qb(db).selectFrom('plan_milestones as m').innerJoin('plan_tasks as k', 'k.id', 'm.task_id').selectAll('m').select('k.number as task_number');

/** A plan's milestones (or one task's), by task order then due date. */
export async function milestonesOfPlan(db: Sql, planId: number, taskId?: number): Promise<MilestoneRow[]> {
  let q = milestones(db).where('k.plan_id', '=', planId);
  if (taskId !== undefined) q = q.where('m.task_id', '=', taskId);
  return q.orderBy('k.position').orderBy('k.id').orderBy('m.due_date').orderBy('m.position').orderBy('m.id').execute();
}

export async function milestoneById(db: Sql, planId: number, id: number): Promise<MilestoneRow | null> {
  return (await milestones(db).where('k.plan_id', '=', planId).where('m.id', '=', id).executeTakeFirst()) ?? null;
}

export type NewMilestone = Required<Pick<NewRow<'plan_milestones'>, 'title' | 'due_date' | 'done_on' | 'note'>>;

/** Adds a milestone after the task's others. */
export async function insertMilestone(db: Sql, taskId: number, m: NewMilestone, createdBy: string): Promise<number> {
  const row = await qb(db)
    .insertInto('plan_milestones')
    .values((eb) => ({
      task_id: taskId,
      title: m.title,
      due_date: m.due_date,
      done_on: m.done_on,
      note: m.note,
      created_by: createdBy,
      position: eb
        .selectFrom('plan_milestones')
        .select(eb(eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)), '+', eb.lit(1)).as('next'))
        .where('task_id', '=', taskId),
    }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateMilestoneRow(db: Sql, id: number, patch: Partial<NewMilestone>): Promise<void> {
  const set = { title: patch.title, due_date: patch.due_date, done_on: patch.done_on, note: patch.note };
  if (Object.values(set).every((v) => v === undefined)) return;
  // Kysely leaves out the columns whose value is undefined.
  await qb(db)
    .updateTable('plan_milestones')
    .set((eb) => ({ ...set, updated_at: eb.fn('now') }))
    .where('id', '=', id)
    .execute();
}

export async function deleteMilestoneRow(db: Sql, id: number): Promise<void> {
  await qb(db).deleteFrom('plan_milestones').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Districts

/** The district set by hand on each task of a plan that has one. */
export async function taskDistricts(db: Sql, planId: number): Promise<Map<number, number>> {
  const rows = await qb(db)
    .selectFrom('plan_tasks')
    .select(['id', 'region_id'])
    .where('plan_id', '=', planId)
    .where('region_id', 'is not', null)
    .$narrowType<{ region_id: NotNull }>()
    .execute();
  return new Map(rows.map((r) => [r.id, r.region_id]));
}

export async function setTaskDistrict(db: Sql, taskId: number, regionId: number | null): Promise<void> {
  await qb(db)
    .updateTable('plan_tasks')
    .set((eb) => ({ region_id: regionId, updated_at: eb.fn('now') }))
    .where('id', '=', taskId)
    .execute();
}

const regions = (db: Sql) =>
  qb(db).selectFrom('admin_regions').select(['id', 'code', 'name', 'short_name', 'name_en', 'level', 'kind', 'parent_id', 'path', 'note']);

export async function regionChildren(db: Sql, id: number): Promise<RegionRow[]> {
  return regions(db)
    .where('parent_id', '=', id)
    .orderBy('code', (o) => o.asc().nullsLast())
    .orderBy('id')
    .execute();
}

/** Materialised paths of regions by id. */
export async function regionPaths(db: Sql, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await qb(db)
    .selectFrom('admin_regions')
    .select(['id', 'path'])
    .where((eb) => eb('id', '=', eb.fn.any(eb.val([...ids]))))
    .execute();
  return new Map(rows.map((r) => [r.id, r.path]));
}

/** Regions named (name, short name or code) inside a subtree (null: anywhere), nearest the top first. */
export async function regionsNamedWithin(db: Sql, name: string, path: string | null): Promise<RegionRow[]> {
  let q = regions(db).where((eb) => eb.or([eb('name', '=', name), eb('short_name', '=', name), eb('code', '=', name)]));
  if (path !== null) q = q.where('path', 'like', `${path}%`);
  return q
    .orderBy((eb) => eb.fn('length', ['path']))
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Units and their users

export type MemberRow = Pick<Row<'plan_unit_members'>, 'unit_key' | 'unit' | 'user_id'> &
  Pick<Row<'users'>, 'username' | 'display_name' | 'role'> & { disabled: boolean };

export async function membersOf(db: Sql, planId: number): Promise<MemberRow[]> {
  return qb(db)
    .selectFrom('plan_unit_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select((eb) => [
      'm.unit_key',
      'm.unit',
      'm.user_id',
      'u.username',
      'u.display_name',
      'u.role',
      eb('u.disabled_at', 'is not', null).$castTo<boolean>().as('disabled'),
    ])
    .where('m.plan_id', '=', planId)
    .orderBy('m.unit')
    .orderBy('u.username')
    .execute();
}

/** Adds a user to a unit of a plan; false when they were in it already. */
export async function addMember(db: Sql, planId: number, unitKey: string, unit: string, userId: number, by: string): Promise<boolean> {
  const r = await qb(db)
    .insertInto('plan_unit_members')
    .values({ plan_id: planId, unit_key: unitKey, unit, user_id: userId, created_by: by })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Takes a user off a unit of a plan; false when they were not in it. */
export async function removeMember(db: Sql, planId: number, unitKey: string, userId: number): Promise<boolean> {
  const r = await qb(db)
    .deleteFrom('plan_unit_members')
    .where('plan_id', '=', planId)
    .where('unit_key', '=', unitKey)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Active users acting for any of the units (by unit key) in a plan. */
export async function userIdsOfUnits(db: Sql, planId: number, unitKeys: readonly string[]): Promise<number[]> {
  if (!unitKeys.length) return [];
  const rows = await qb(db)
    .selectFrom('plan_unit_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.user_id')
    .distinct()
    .where('m.plan_id', '=', planId)
    .where((eb) => eb('m.unit_key', '=', eb.fn.any(eb.val([...unitKeys]))))
    .where('u.disabled_at', 'is', null)
    .orderBy('m.user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** An active user by user name (case-insensitive, as log-in does). */
export async function activeUserByName(db: Sql, username: string): Promise<{ id: number; username: string } | null> {
  const row = await qb(db)
    .selectFrom('users')
    .select(['id', 'username'])
    .where((eb) => eb(eb.fn('lower', ['username']), '=', eb.fn('lower', [eb.val(username)])))
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Supervision cases and runs

/** A supervision case with its task's number and title or its target's indicator. */
export type CaseRow = Row<'plan_supervision_cases'> & { task_number: string | null; task_title: string | null; indicator: string | null };

/** A plan's cases: open ones, resolved ones, or all; escalated and oldest first. */
export async function casesOf(db: Sql, planId: number, state: 'open' | 'resolved' | 'all' = 'open'): Promise<CaseRow[]> {
  let q = qb(db)
    .selectFrom('plan_supervision_cases as c')
    .leftJoin('plan_tasks as k', 'k.id', 'c.task_id')
    .leftJoin('plan_targets as t', 't.id', 'c.target_id')
    .selectAll('c')
    .select(['k.number as task_number', 'k.title as task_title', 't.indicator'])
    .where('c.plan_id', '=', planId);
  if (state === 'open') q = q.where('c.resolved_on', 'is', null);
  if (state === 'resolved') q = q.where('c.resolved_on', 'is not', null);
  return q
    .orderBy((eb) => eb('c.resolved_on', 'is not', null))
    .orderBy('c.level', 'desc')
    .orderBy('c.since')
    .orderBy('c.id')
    .execute();
}

export type NewCase = Required<
  Pick<
    NewRow<'plan_supervision_cases'>,
    'item_kind' | 'task_id' | 'target_id' | 'level' | 'since' | 'flagged_on' | 'escalated_on' | 'last_seen_on' | 'triggers' | 'units'
  >
> & { detail: string; detail_en: string };

export async function insertCase(db: Sql, planId: number, c: NewCase): Promise<number> {
  const row = await qb(db)
    .insertInto('plan_supervision_cases')
    .values({
      plan_id: planId,
      item_kind: c.item_kind,
      task_id: c.task_id,
      target_id: c.target_id,
      level: c.level,
      since: c.since,
      flagged_on: c.flagged_on,
      escalated_on: c.escalated_on,
      last_seen_on: c.last_seen_on,
      triggers: c.triggers,
      units: c.units,
      detail: c.detail,
      detail_en: c.detail_en,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCase(
  db: Sql,
  id: number,
  c: Pick<NewCase, 'level' | 'since' | 'escalated_on' | 'last_seen_on' | 'triggers' | 'units' | 'detail' | 'detail_en'>,
): Promise<void> {
  await qb(db)
    .updateTable('plan_supervision_cases')
    .set((eb) => ({
      level: c.level,
      since: c.since,
      escalated_on: c.escalated_on,
      last_seen_on: c.last_seen_on,
      triggers: c.triggers,
      units: c.units,
      detail: c.detail,
      detail_en: c.detail_en,
      updated_at: eb.fn('now'),
    }))
    .where('id', '=', id)
    .execute();
}

/** Resolves a case as of a date (never before it began). */
export async function resolveCase(db: Sql, id: number, on: string): Promise<void> {
  await qb(db)
    .updateTable('plan_supervision_cases')
    .set((eb) => ({ resolved_on: eb.fn<string>('greatest', [eb.val(on), 'since']), last_seen_on: on, updated_at: eb.fn('now') }))
    .where('id', '=', id)
    .execute();
}

/** Locks the plan row for the rest of the transaction: supervision runs of one plan queue. */
export async function lockPlan(db: Sql, planId: number): Promise<boolean> {
  return (await qb(db).selectFrom('plans').select('id').where('id', '=', planId).forUpdate().executeTakeFirst()) !== undefined;
}

export async function lastRunAsOf(db: Sql, planId: number): Promise<string | null> {
  const row = await qb(db)
    .selectFrom('plan_supervision_runs')
    .select((eb) => eb.fn.max('as_of').as('as_of'))
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  return row?.as_of ?? null;
}

export async function insertRun(
  db: Sql,
  planId: number,
  r: { as_of: string; actor: string; opened: number; escalated: number; resolved: number; notifications: number },
): Promise<number> {
  const row = await qb(db)
    .insertInto('plan_supervision_runs')
    .values({
      plan_id: planId,
      as_of: r.as_of,
      actor: r.actor,
      opened: r.opened,
      escalated: r.escalated,
      resolved: r.resolved,
      notifications: r.notifications,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Ids of every plan, oldest first. */
export async function allPlanIds(db: Sql): Promise<number[]> {
  return (await qb(db).selectFrom('plans').select('id').orderBy('id').execute()).map((r) => r.id);
}

/** The active user who created the plan, when the plan was created by a user (not the CLI). */
export async function planCreatorUserId(db: Sql, planId: number): Promise<number | null> {
  const row = await qb(db)
    .selectFrom('plans as p')
    .innerJoin('users as u', (j) => j.on((eb) => eb(eb.fn('lower', ['u.username']), '=', eb.fn('lower', ['p.created_by']))))
    .select('u.id')
    .where('p.id', '=', planId)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  return row?.id ?? null;
}
