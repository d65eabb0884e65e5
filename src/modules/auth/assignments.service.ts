/**
 * Review assignments: which records a reviewer sees (besides published data). Administrators
 * and bureau officers (for records in their scope) assign and unassign; reviewers list their
 * own. The policy reads them through `scopeSql` (lists) and `isAssigned` / `resourceOf` (by id).
 * Every change is on the audit log.
 */
import type { Actor } from '../../actor.ts';
import { AppError, conflict, forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { REGISTRIES } from '../registries/defs.ts';
import { rawRow } from '../registry/registry.repo.ts';
import {
  assignmentById,
  deleteAssignment,
  findAssignments,
  insertAssignment,
  planReportTarget,
  planTarget,
  type AssignmentRow,
} from './assignments.repo.ts';
import { userIdNotFound, userNotFound } from './auth.errors.ts';
import { ASSIGNMENTS_KIND, can, type Resource } from './auth.policy.ts';
import { isAssigned, regionPath, resourceOf } from './auth.scope.ts';
import { userById, userByName, type UserRow } from './auth.repo.ts';

/** Kinds of records a reviewer can be assigned: the registries, action plans and their progress reports. */
export const ASSIGNABLE_KINDS: readonly string[] = [...Object.keys(REGISTRIES), 'plans', 'plan_reports'];

export interface AssignmentDto {
  id: number;
  reviewer: { id: number; username: string; display_name: string | null };
  kind: string;
  target_id: number;
  note: string | null;
  assigned_by: string;
  assigned_at: string;
}

function toDto(a: AssignmentRow): AssignmentDto {
  return {
    id: a.id,
    reviewer: { id: a.reviewer_id, username: a.reviewer_username, display_name: a.reviewer_display_name },
    kind: a.kind,
    target_id: a.target_id,
    note: a.note,
    assigned_by: a.assigned_by,
    assigned_at: new Date(a.assigned_at).toISOString(),
  };
}

const kindUnknown = (kind: string) =>
  new AppError('ASSIGNMENT_KIND_UNKNOWN', 400, `不能分配此类记录：${kind}（可选：${ASSIGNABLE_KINDS.join('、')}）`, `Records of kind ${kind} cannot be assigned (one of ${ASSIGNABLE_KINDS.join(', ')})`, [
    { field: 'kind', value: kind },
  ]);

const targetNotFound = (kind: string, id: number) =>
  new AppError('ASSIGNMENT_TARGET_NOT_FOUND', 404, `未找到要分配的记录：${kind} ${id}`, `No ${kind} record ${id} to assign`, [{ field: 'target_id', kind, value: id }]);

const assignmentNotFound = (id: number) =>
  new AppError('ASSIGNMENT_NOT_FOUND', 404, `未找到评审分配：${id}`, `No review assignment ${id}`, [{ field: 'id', value: id }]);

function checkKind(kind: string): void {
  if (!ASSIGNABLE_KINDS.includes(kind)) throw kindUnknown(kind);
}

/**
 * The access resource of an assignable record (its region, owners, level; with an actor,
 * whether it is assigned to it), or null when it does not exist. Plans and their reports apply
 * below their region (see the policy).
 */
export async function targetResource(db: Sql, kind: string, id: number, actor?: Actor): Promise<Resource | null> {
  const def = REGISTRIES[kind as keyof typeof REGISTRIES];
  if (def) {
    const row = await rawRow(db, def, id);
    return row ? resourceOf(db, def, row, actor) : null;
  }
  const plan = kind === 'plans' ? await planTarget(db, id) : kind === 'plan_reports' ? await planReportTarget(db, id) : null;
  if (!plan) return null;
  return {
    kind,
    region_id: plan.region_id,
    region_path: await regionPath(db, plan.region_id),
    applies_below: true,
    classification: 'internal',
    ...(actor ? { assigned: await isAssigned(db, actor, kind, id) } : {}),
  };
}

/** The resource of an assignment itself: its target's region and level, and whose it is. */
async function assignmentResource(db: Sql, actor: Actor, a: Pick<AssignmentRow, 'kind' | 'target_id' | 'reviewer_id'>): Promise<Resource> {
  const target = await targetResource(db, a.kind, a.target_id);
  return {
    region_id: target?.region_id ?? null,
    region_path: target?.region_path ?? null,
    classification: target?.classification ?? 'internal',
    kind: ASSIGNMENTS_KIND,
    assigned: actor.userId !== undefined && a.reviewer_id === actor.userId,
  };
}

async function reviewerOf(db: Sql, ref: string | number): Promise<UserRow> {
  const s = String(ref).trim();
  const user = /^\d+$/.test(s) ? ((await userById(db, Number(s))) ?? (await userByName(db, s))) : await userByName(db, s);
  if (!user) throw /^\d+$/.test(s) ? userIdNotFound(Number(s)) : userNotFound(s);
  if (user.role !== 'reviewer') {
    throw new AppError('ASSIGNEE_NOT_REVIEWER', 400, `用户 ${user.username} 的角色是 ${user.role}，只能给评审专家分配记录`, `User ${user.username} is ${user.role}: only reviewers are assigned records`, [
      { field: 'reviewer', value: user.username, role: user.role },
    ]);
  }
  if (user.disabled_at) {
    throw conflict('ASSIGNEE_DISABLED', `用户 ${user.username} 已停用`, `User ${user.username} is disabled`, [{ field: 'reviewer', value: user.username }]);
  }
  return user;
}

export interface AssignmentListParams {
  /** Reviewer user name or id. */
  reviewer?: string | number;
  kind?: string;
  target_id?: number;
  page: number;
  pageSize: number;
}

/**
 * Assignments the actor may see, newest first: all for administrators, those of records in
 * their scope for bureau officers, its own for a reviewer; others are refused.
 */
export async function listAssignments(
  ctx: ServiceContext,
  params: AssignmentListParams,
): Promise<{ items: AssignmentDto[]; total: number; page: number; pageSize: number }> {
  const { actor, db } = ctx;
  // Whether the actor sees any assignment at all (its own, as a reviewer); rows are checked below.
  if (!can(actor, 'read', { kind: ASSIGNMENTS_KIND, assigned: true })) throw forbidden();
  if (params.kind !== undefined) checkKind(params.kind);
  let reviewerId: number | undefined;
  if (params.reviewer !== undefined) {
    const s = String(params.reviewer).trim();
    const u = /^\d+$/.test(s) ? await userById(db, Number(s)) : await userByName(db, s);
    reviewerId = u?.id ?? -1;
  }
  if (actor.role === 'reviewer') {
    if (reviewerId !== undefined && reviewerId !== actor.userId) throw forbidden();
    reviewerId = actor.userId;
  }
  const filter = { reviewerId, kind: params.kind, targetId: params.target_id };
  const offset = (params.page - 1) * params.pageSize;
  if (actor.role !== 'bureau') {
    const { rows, total } = await findAssignments(db, { ...filter, limit: params.pageSize, offset });
    return { items: rows.map(toDto), total, page: params.page, pageSize: params.pageSize };
  }
  // A bureau officer sees assignments of records in its scope; scopes follow each target kind.
  const visible: AssignmentRow[] = [];
  for (const a of (await findAssignments(db, filter)).rows) {
    if (can(actor, 'read', await assignmentResource(db, actor, a))) visible.push(a);
  }
  return { items: visible.slice(offset, offset + params.pageSize).map(toDto), total: visible.length, page: params.page, pageSize: params.pageSize };
}

export interface NewAssignment {
  reviewer: string | number;
  kind: string;
  target_id: number;
  note?: string | null;
}

/** Assigns a record to a reviewer (ASSIGNMENT_EXISTS when it is already). */
export async function assign(ctx: ServiceContext, input: NewAssignment): Promise<AssignmentDto> {
  const { actor } = ctx;
  checkKind(input.kind);
  return ctx.db.transaction(async (tx) => {
    const target = await targetResource(tx, input.kind, input.target_id, actor);
    // A record outside the actor's scope reads as absent, as everywhere else.
    if (!target || !can(actor, 'read', target)) throw targetNotFound(input.kind, input.target_id);
    const reviewer = await reviewerOf(tx, input.reviewer);
    const resource = await assignmentResource(tx, actor, { kind: input.kind, target_id: input.target_id, reviewer_id: reviewer.id });
    if (!can(actor, 'create', resource)) throw forbidden();
    const note = input.note?.trim() || null;
    const id = await insertAssignment(tx, { reviewerId: reviewer.id, kind: input.kind, targetId: input.target_id, note, assignedBy: actor.name });
    if (id === null) {
      throw conflict('ASSIGNMENT_EXISTS', `${reviewer.username} 已被分配评审此记录`, `${reviewer.username} is assigned this record already`, [
        { field: 'reviewer', value: reviewer.username, kind: input.kind, target_id: input.target_id },
      ]);
    }
    const row = (await assignmentById(tx, id))!;
    await recordAudit(tx, { actor, action: 'create', entity: 'review_assignment', entityId: id, before: null, after: auditImage(row), requestId: ctx.requestId });
    return toDto(row);
  });
}

const auditImage = (a: AssignmentRow) => ({ reviewer: a.reviewer_username, reviewer_id: a.reviewer_id, kind: a.kind, target_id: a.target_id, note: a.note });

/** Removes an assignment: the reviewer no longer sees the record (unless it is published). */
export async function unassign(ctx: ServiceContext, id: number): Promise<void> {
  const { actor } = ctx;
  await ctx.db.transaction(async (tx) => {
    const row = await assignmentById(tx, id);
    if (!row) throw assignmentNotFound(id);
    const resource = await assignmentResource(tx, actor, row);
    if (!can(actor, 'read', resource)) throw assignmentNotFound(id);
    if (!can(actor, 'delete', resource)) throw forbidden();
    await deleteAssignment(tx, id);
    await recordAudit(tx, { actor, action: 'delete', entity: 'review_assignment', entityId: id, before: auditImage(row), after: null, requestId: ctx.requestId });
  });
}
