/**
 * SQL of review assignments (migration 007) and of the assignable targets that are not
 * registry records (plans, plan progress reports). First argument: the store or a transaction.
 */
import type { Sql } from '../../store/db.ts';

export interface AssignmentRow {
  id: number;
  reviewer_id: number;
  reviewer_username: string;
  reviewer_display_name: string | null;
  kind: string;
  target_id: number;
  note: string | null;
  assigned_by: string;
  assigned_at: Date;
}

const SELECT = `SELECT a.id, a.reviewer_id, u.username AS reviewer_username, u.display_name AS reviewer_display_name,
       a.kind, a.target_id, a.note, a.assigned_by, a.assigned_at
  FROM review_assignments a JOIN users u ON u.id = a.reviewer_id`;

const typed = (r: AssignmentRow): AssignmentRow => ({ ...r, id: Number(r.id), reviewer_id: Number(r.reviewer_id), target_id: Number(r.target_id) });

export interface AssignmentFilter {
  reviewerId?: number;
  kind?: string;
  targetId?: number;
  /** Paging; without it every matching row (up to `cap`). */
  limit?: number;
  offset?: number;
}

/** Assignments matching the filter, newest first, and how many match. */
export async function findAssignments(db: Sql, f: AssignmentFilter): Promise<{ rows: AssignmentRow[]; total: number }> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (f.reviewerId !== undefined) where.push(`a.reviewer_id = ${p(f.reviewerId)}`);
  if (f.kind !== undefined) where.push(`a.kind = ${p(f.kind)}`);
  if (f.targetId !== undefined) where.push(`a.target_id = ${p(f.targetId)}`);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM review_assignments a ${w}`, params))[0].n;
  const page = f.limit === undefined ? '' : ` LIMIT ${p(f.limit)} OFFSET ${p(f.offset ?? 0)}`;
  const rows = await db.query<AssignmentRow>(`${SELECT} ${w} ORDER BY a.id DESC${page}`, params);
  return { rows: rows.map(typed), total };
}

export async function assignmentById(db: Sql, id: number): Promise<AssignmentRow | null> {
  const rows = await db.query<AssignmentRow>(`${SELECT} WHERE a.id = $1`, [id]);
  return rows[0] ? typed(rows[0]) : null;
}

/** Inserts an assignment; null when the reviewer has it already. */
export async function insertAssignment(
  db: Sql,
  a: { reviewerId: number; kind: string; targetId: number; note: string | null; assignedBy: string },
): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO review_assignments (reviewer_id, kind, target_id, note, assigned_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (reviewer_id, kind, target_id) DO NOTHING RETURNING id`,
    [a.reviewerId, a.kind, a.targetId, a.note, a.assignedBy],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function deleteAssignment(db: Sql, id: number): Promise<void> {
  await db.query('DELETE FROM review_assignments WHERE id = $1', [id]);
}

/** A plan's region, or null when there is no such plan. */
export async function planTarget(db: Sql, planId: number): Promise<{ plan_id: number; region_id: number | null } | null> {
  const rows = await db.query<{ plan_id: number; region_id: number | null }>('SELECT id AS plan_id, region_id FROM plans WHERE id = $1', [planId]);
  return rows[0] ? { plan_id: Number(rows[0].plan_id), region_id: rows[0].region_id == null ? null : Number(rows[0].region_id) } : null;
}

/** The plan (and its region) of a progress report, or null when there is no such report. */
export async function planReportTarget(db: Sql, reportId: number): Promise<{ plan_id: number; region_id: number | null } | null> {
  const rows = await db.query<{ plan_id: number; region_id: number | null }>(
    `SELECT p.id AS plan_id, p.region_id FROM plan_task_reports r JOIN plan_tasks t ON t.id = r.task_id JOIN plans p ON p.id = t.plan_id WHERE r.id = $1`,
    [reportId],
  );
  return rows[0] ? { plan_id: Number(rows[0].plan_id), region_id: rows[0].region_id == null ? null : Number(rows[0].region_id) } : null;
}

/** Ids among `ids` of progress reports assigned to the reviewer. */
export async function assignedIds(db: Sql, reviewerId: number, kind: string, ids: readonly number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db.query<{ target_id: number }>(
    'SELECT target_id FROM review_assignments WHERE reviewer_id = $1 AND kind = $2 AND target_id = ANY($3::bigint[])',
    [reviewerId, kind, ids],
  );
  return new Set(rows.map((r) => Number(r.target_id)));
}

/** Whether any progress report of the plan is assigned to the reviewer. */
export async function hasAssignedReportIn(db: Sql, reviewerId: number, planId: number): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM review_assignments a JOIN plan_task_reports r ON r.id = a.target_id JOIN plan_tasks t ON t.id = r.task_id
      WHERE a.reviewer_id = $1 AND a.kind = 'plan_reports' AND t.plan_id = $2 LIMIT 1`,
    [reviewerId, planId],
  );
  return rows.length > 0;
}
