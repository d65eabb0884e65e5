/**
 * SQL of the import log and of undo.
 */
import type { Sql } from '../../store/db.ts';
import type { ImportIssue } from './imports.types.ts';

export async function insertImport(
  tx: Sql,
  i: { kind: string; fileName: string; hash: string; size: number; actor: string; region: string; options: Record<string, unknown> },
): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO imports (kind, file_name, file_hash, file_size, actor, region_context, options, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'running') RETURNING id`,
    [i.kind, i.fileName, i.hash, i.size, i.actor, i.region, JSON.stringify(i.options)],
  );
  return Number(rows[0].id);
}

export async function finishImport(
  tx: Sql,
  id: number,
  r: { status: 'done' | 'failed'; counts: { read: number; imported: number; rejected: number }; issues: ImportIssue[]; issueCount: number },
): Promise<void> {
  await tx.query(
    `UPDATE imports SET status = $2, rows_read = $3, rows_imported = $4, rows_rejected = $5, issues = $6, issue_count = $7, finished_at = now()
      WHERE id = $1`,
    [id, r.status, r.counts.read, r.counts.imported, r.counts.rejected, JSON.stringify(r.issues), r.issueCount],
  );
}

export interface ImportRow {
  id: number;
  kind: string;
  file_name: string;
  file_hash: string;
  file_size: number;
  actor: string;
  region_context: string | null;
  status: string;
  rows_read: number;
  rows_imported: number;
  rows_rejected: number;
  issue_count: number;
  started_at: Date;
  finished_at: Date | null;
  undone_at: Date | null;
  undone_by: string | null;
}

const COLS = `id, kind, file_name, file_hash, file_size, actor, region_context, status, rows_read, rows_imported, rows_rejected,
  issue_count, started_at, finished_at, undone_at, undone_by`;

/**
 * The condition "import `alias` lies in one of the region subtrees $p": the region it was made
 * in the context of (its stored name resolved as the importer resolved it: a city first, then
 * a province, a district, another unit, lowest id first), or the region of the user who made it.
 */
const IMPORT_IN_REGIONS = (alias: string, p: string) => `(
  EXISTS (SELECT 1 FROM admin_regions s
           WHERE s.id = ANY(${p}::bigint[])
             AND (SELECT r.path FROM admin_regions r
                   WHERE r.name = ${alias}.region_context OR r.short_name = ${alias}.region_context OR r.code = ${alias}.region_context
                   ORDER BY CASE r.level WHEN 'city' THEN 0 WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END, r.id
                   LIMIT 1) LIKE s.path || '%')
  OR EXISTS (SELECT 1 FROM users u JOIN admin_regions ur ON ur.id = u.region_id JOIN admin_regions s ON ur.path LIKE s.path || '%'
              WHERE lower(u.username) = lower(${alias}.actor) AND s.id = ANY(${p}::bigint[])))`;

/**
 * The import log, newest first. `regions`: the region subtrees whose imports are listed (see
 * IMPORT_IN_REGIONS); null or absent: every import.
 */
export async function listImports(db: Sql, p: { limit: number; offset: number; kind?: string; status?: string; regions?: readonly number[] | null }) {
  const params: unknown[] = [p.limit, p.offset, p.kind ?? null, p.status ?? null];
  const scoped = p.regions != null;
  if (scoped) params.push(p.regions);
  const rows = await db.query<ImportRow & { _total: number }>(
    `SELECT ${COLS}, count(*) OVER () AS _total FROM imports i
      WHERE ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR status = $4)${scoped ? ` AND ${IMPORT_IN_REGIONS('i', '$5')}` : ''}
      ORDER BY id DESC LIMIT $1 OFFSET $2`,
    params,
  );
  return { items: rows.map(({ _total, ...r }) => r as ImportRow), total: rows.length ? Number(rows[0]._total) : 0 };
}

/** One import with its issues; `regions` as for listImports (outside them: null, as if absent). */
export async function getImport(db: Sql, id: number, regions?: readonly number[] | null): Promise<(ImportRow & { issues: ImportIssue[]; options: unknown }) | null> {
  const scoped = regions != null;
  const rows = await db.query<ImportRow & { issues: ImportIssue[]; options: unknown }>(
    `SELECT ${COLS}, issues, options FROM imports i WHERE id = $1${scoped ? ` AND ${IMPORT_IN_REGIONS('i', '$2')}` : ''}`,
    scoped ? [id, regions] : [id],
  );
  return rows[0] ?? null;
}

/** Tables an import can have written to, children before parents (the order undo deletes in). */
export const UNDO_ORDER = [
  'project_partners',
  'outputs',
  'funding',
  'facts',
  'country_indicators',
  'country_group_members',
  'talents',
  'platforms',
  'mechanisms',
  'projects',
  'organizations',
  'admin_regions',
] as const;
