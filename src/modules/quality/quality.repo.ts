/**
 * SQL of the data-quality view: the import log's issues of chosen codes, stored figures with
 * their import, and organisations whose names are close to one another.
 */
import type { Sql } from '../../store/db.ts';
import type { DataScope } from '../auth/auth.policy.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import { REGISTRIES } from '../registries/defs.ts';

export interface LoggedIssue {
  import_id: number;
  kind: string;
  file_name: string;
  actor: string;
  region_context: string | null;
  issue_count: number;
  issue: Record<string, unknown> & { row: number; column: string; code: string; severity: string; message: string; message_en: string };
}

/** Issues of these codes in the logs of imports that are in force (status done). */
export async function loggedIssues(db: Sql, codes: readonly string[]): Promise<LoggedIssue[]> {
  const rows = await db.query<Omit<LoggedIssue, 'issue'> & { issue: LoggedIssue['issue'] }>(
    `SELECT i.id AS import_id, i.kind, i.file_name, i.actor, i.region_context, i.issue_count, e AS issue
       FROM imports i CROSS JOIN LATERAL jsonb_array_elements(i.issues) e
      WHERE i.status = 'done' AND e->>'code' = ANY($1::text[])
      ORDER BY i.id, (e->>'row')::int`,
    [codes],
  );
  return rows.map((r) => ({ ...r, import_id: Number(r.import_id), issue_count: Number(r.issue_count) }));
}

/** The imports in force that logged more issues than they kept (the log holds the first 1,000). */
export async function truncatedImports(db: Sql): Promise<{ import_id: number; file_name: string; issue_count: number; kept: number }[]> {
  const rows = await db.query<{ import_id: number; file_name: string; issue_count: number; kept: number }>(
    `SELECT id AS import_id, file_name, issue_count, jsonb_array_length(issues) AS kept FROM imports
      WHERE status = 'done' AND issue_count > jsonb_array_length(issues) ORDER BY id`,
  );
  return rows.map((r) => ({ import_id: Number(r.import_id), file_name: r.file_name, issue_count: Number(r.issue_count), kept: Number(r.kept) }));
}

export interface FactRow {
  id: number;
  subject: string;
  region_id: number | null;
  country_iso3: string | null;
  indicator: string;
  year: number | null;
  period_from: number | null;
  period_to: number | null;
  value: number | null;
  value_text: string | null;
  unit: string | null;
  note: string | null;
  source: string | null;
  import_id: number | null;
  file_name: string | null;
  region_context: string | null;
  import_actor: string | null;
  import_kind: string | null;
}

/** Every stored figure, with the import it came from (if it is in force). */
export async function factsWithImports(db: Sql): Promise<FactRow[]> {
  const rows = await db.query<FactRow>(
    `SELECT f.id, f.subject, f.region_id, f.country_iso3, f.indicator, f.year, f.period_from, f.period_to, f.value::float8 AS value,
            f.value_text, f.unit, f.note, f.source, f.import_id, i.file_name, i.region_context, i.actor AS import_actor, i.kind AS import_kind
       FROM facts f LEFT JOIN imports i ON i.id = f.import_id AND i.status = 'done'
      ORDER BY f.import_id NULLS LAST, f.id`,
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    region_id: r.region_id === null ? null : Number(r.region_id),
    year: r.year === null ? null : Number(r.year),
    period_from: r.period_from === null ? null : Number(r.period_from),
    period_to: r.period_to === null ? null : Number(r.period_to),
    value: r.value === null ? null : Number(r.value),
    import_id: r.import_id === null ? null : Number(r.import_id),
  }));
}

export interface OrgCandidate {
  a_id: number;
  b_id: number;
}

export interface OrgRow {
  id: number;
  name: string;
  name_key: string;
  country_iso3: string | null;
  domestic: boolean;
  uscc: string | null;
  ror: string | null;
  pic: string | null;
  import_id: number | null;
  file_name: string | null;
}

/**
 * Candidate pairs of organisations with close name keys (trigram similarity ≥ `threshold`, or
 * one key inside the other), probed from up to `budget` organisations after id `after` that
 * carry no identifier (two organisations with different identifiers are different
 * organisations; a pair with one identifier is found from the side without). Both sides lie in
 * the actor's scope. Returns the candidates and the last organisation probed.
 */
export async function closeNameCandidates(
  db: { transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> },
  scope: DataScope,
  opts: { after: number; budget: number; threshold: number; perOrg: number },
): Promise<{ pairs: OrgCandidate[]; lastProbed: number | null; probed: number }> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(opts.threshold)]);
    const list: unknown[] = [];
    const p = (v: unknown) => {
      list.push(v);
      return `$${list.length}`;
    };
    const scopeA = scopeSql(REGISTRIES.organizations, scope, p, 'a') ?? 'TRUE';
    const probes = await tx.query<{ id: number }>(
      `SELECT a.id FROM organizations a
        WHERE a.id > ${p(opts.after)} AND a.pic IS NULL AND a.uscc IS NULL AND a.ror IS NULL AND ${scopeA}
        ORDER BY a.id LIMIT ${p(opts.budget)}`,
      list,
    );
    if (!probes.length) return { pairs: [], lastProbed: null, probed: 0 };
    const ids = probes.map((r) => Number(r.id));
    const list2: unknown[] = [];
    const p2 = (v: unknown) => {
      list2.push(v);
      return `$${list2.length}`;
    };
    const scopeB = scopeSql(REGISTRIES.organizations, scope, p2, 'b') ?? 'TRUE';
    const rows = await tx.query<{ a_id: number; b_id: number }>(
      `SELECT a.id AS a_id, c.id AS b_id
         FROM unnest(${p2(ids)}::bigint[]) AS k(id)
         JOIN organizations a ON a.id = k.id
         CROSS JOIN LATERAL (
           SELECT b.id FROM organizations b
            WHERE (b.name_key % a.name_key OR (length(a.name_key) >= 3 AND b.name_key LIKE '%' || a.name_key || '%'))
              AND b.id <> a.id AND ${scopeB}
            LIMIT ${p2(opts.perOrg)}) c`,
      list2,
    );
    return { pairs: rows.map((r) => ({ a_id: Number(r.a_id), b_id: Number(r.b_id) })), lastProbed: ids[ids.length - 1], probed: ids.length };
  });
}

/** Organisations by id, with their import. */
export async function organisationsById(db: Sql, ids: readonly number[]): Promise<OrgRow[]> {
  if (!ids.length) return [];
  const rows = await db.query<OrgRow>(
    `SELECT o.id, coalesce(o.name_zh, o.name_en) AS name, o.name_key, o.country_iso3, o.domestic, o.uscc, o.ror, o.pic,
            o.import_id, i.file_name
       FROM organizations o LEFT JOIN imports i ON i.id = o.import_id
      WHERE o.id = ANY($1::bigint[])`,
    [ids],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), import_id: r.import_id === null ? null : Number(r.import_id) }));
}
