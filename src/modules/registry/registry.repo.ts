/**
 * SQL for every registry, built only from the registry's own field list (identifiers are never
 * taken from input). First argument: the store or a transaction.
 */
import { QueryCache } from '../../store/cache.ts';
import type { Sql } from '../../store/db.ts';
import { fillSearchVectors } from '../../store/search.ts';
import { searchDocument, searchQuery } from '../../text/tokenize.ts';
import type { DataScope } from '../auth/auth.policy.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import type { ListParams, RegistryDef } from './registry.types.ts';

export type Row = Record<string, unknown>;

function columns(def: RegistryDef): string[] {
  return def.fields.map((f) => `t.${f.name}`);
}

interface Where {
  clauses: string[];
  params: unknown[];
}

function addParam(w: Where, v: unknown): string {
  w.params.push(v);
  return `$${w.params.length}`;
}

/** Adds the data-scope condition (regions, classification levels, own organisation). */
export function scopeClause(def: RegistryDef, scope: DataScope, w: Where, alias = 't'): void {
  const c = scopeSql(def, scope, (v) => addParam(w, v), alias);
  if (c) w.clauses.push(c);
}

function buildWhere(def: RegistryDef, params: ListParams, scope: DataScope): Where {
  const w: Where = { clauses: [], params: [] };
  scopeClause(def, scope, w);
  for (const [name, value] of Object.entries(params.filters)) {
    const rel = def.relationFilters?.find((x) => x.name === name);
    if (rel) {
      w.clauses.push(rel.sql(addParam(w, value)));
      continue;
    }
    const f = def.fields.find((x) => x.name === name);
    if (!f) continue;
    if (name === 'region_id') {
      const p = addParam(w, value);
      w.clauses.push(
        `t.region_id IN (SELECT d.id FROM admin_regions d JOIN admin_regions s ON d.path LIKE s.path || '%' WHERE s.id = ${p}::bigint)`,
      );
    } else if (f.type === 'text' || f.type === 'longtext') {
      w.clauses.push(`t.${name} ILIKE ${addParam(w, `%${String(value).replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`);
    } else {
      w.clauses.push(`t.${name} = ${addParam(w, value)}`);
    }
  }
  for (const [name, r] of Object.entries(params.ranges)) {
    if (!def.fields.some((x) => x.name === name)) continue;
    if (r.min !== undefined) w.clauses.push(`t.${name} >= ${addParam(w, r.min)}`);
    if (r.max !== undefined) w.clauses.push(`t.${name} <= ${addParam(w, r.max)}`);
  }
  if (params.q && params.q.trim() !== '') {
    const tsq = searchQuery(params.q);
    if (def.searchable && tsq) {
      w.clauses.push(`t.search @@ to_tsquery('simple', ${addParam(w, tsq)})`);
    } else {
      // No searchable word in the query (a code, punctuation): match it literally instead.
      const like = `%${params.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      const textFields = def.fields.filter((f) => f.search).map((f) => `t.${f.name}`);
      const p = addParam(w, like);
      w.clauses.push(textFields.length ? `(${textFields.slice(0, 3).map((c) => `${c} ILIKE ${p}`).join(' OR ')})` : 'false');
    }
  }
  return w;
}

/** The display joins of a registry, each joined registry limited to what `scope` sees of it. */
function displayJoins(def: RegistryDef, scope: DataScope, w: Where): string {
  const j = def.display?.joins;
  if (j === undefined) return '';
  return typeof j === 'string' ? j : j((other, alias) => scopeSql(other, scope, (v) => addParam(w, v), alias) ?? 'true');
}

function from(def: RegistryDef, scope: DataScope, w: Where): string {
  return `${def.table} t ${displayJoins(def, scope, w)}`;
}

function selectList(def: RegistryDef): string {
  return ['t.id', ...columns(def), ...(def.display ? [def.display.select] : []), 't.created_at', 't.updated_at'].join(', ');
}

/** Pages and counts of registry lists, kept until the store changes (store/cache.ts). */
const PAGES = new QueryCache<readonly Row[]>(2000);
/** The registries whose missing search vectors were written (the count written), per store change. */
const FILLED = new QueryCache<number>(50);
const COUNTS = new QueryCache<number>(5000);

/**
 * One page of a registry, filtered, searched and sorted. The page is chosen on the ids and the
 * sort key alone (a narrow sort, never the wide rows with their search vectors), then only its
 * rows are read with their display columns (names of referenced records, sums), so a search
 * that matches thousands of records costs a count and one page, not thousands of look-ups.
 * The page and the count are kept until the store changes: officers paging through the same
 * lists do not recount and re-sort them on every request. (Rows are shared between requests:
 * callers copy, never change them — `redact` does.)
 */
export async function listRows(db: Sql, def: RegistryDef, params: ListParams, scope: DataScope) {
  // Probed once per store change (the vectors only go missing by a write), not per search.
  if (params.q && params.q.trim() !== '') await FILLED.get(db, def.table, () => fillRegistrySearch(db, def));
  const w = buildWhere(def, params, scope);
  const where = w.clauses.length ? `WHERE ${w.clauses.join(' AND ')}` : '';
  const sortField = params.sort && (params.sort === 'id' || def.fields.some((f) => f.name === params.sort && f.sort))
    ? params.sort
    : def.defaultSort;
  const order = params.order === 'desc' ? 'DESC' : 'ASC';
  const filterParams = [...w.params];
  const limit = addParam(w, params.pageSize);
  const offset = addParam(w, (params.page - 1) * params.pageSize);
  // Blanks last either way (as in Excel); a required field has none, and an index in either
  // direction serves it only without the NULLS clause.
  const required = sortField === 'id' || def.fields.some((f) => f.name === sortField && f.required);
  const orderBy = `ORDER BY t.${sortField} ${order}${required ? '' : ' NULLS LAST'}, t.id ${order}`;
  const pageSql = `SELECT t.id FROM ${def.table} t ${where} ${orderBy} LIMIT ${limit} OFFSET ${offset}`;
  const countSql = `SELECT count(*)::int AS n FROM ${def.table} t ${where}`;
  const page = async (): Promise<readonly Row[]> => {
    const ids = (await db.query<{ id: number }>(pageSql, w.params)).map((r) => Number(r.id));
    if (ids.length === 0) return [];
    // The rows of the page, in its order; the scope again, should one have moved out of it since.
    const r: Where = { clauses: [], params: [] };
    r.clauses.push(`t.id = ANY(${addParam(r, ids)}::bigint[])`);
    scopeClause(def, scope, r);
    const rows = await db.query<Row>(`SELECT ${selectList(def)} FROM ${from(def, scope, r)} WHERE ${r.clauses.join(' AND ')} ${orderBy}`, r.params, { prepare: true });
    return Object.freeze(rows.map((row) => Object.freeze(row)));
  };
  const [items, total] = await Promise.all([
    PAGES.get(db, cacheKey(pageSql, w.params), page),
    COUNTS.get(db, cacheKey(countSql, filterParams), async () => (await db.query<{ n: number }>(countSql, filterParams))[0].n),
  ]);
  return { items, total };
}

const cacheKey = (sql: string, params: unknown[]) => `${sql}\u0000${JSON.stringify(params)}`;

/** Every matching row, in pages, for exports (never the whole table in memory). */
export async function* iterateRows(db: Sql, def: RegistryDef, params: Omit<ListParams, 'page' | 'pageSize'>, scope: DataScope, batch = 2000) {
  let lastId = 0;
  for (;;) {
    const w = buildWhere(def, { ...params, page: 1, pageSize: batch }, scope);
    w.clauses.push(`t.id > ${addParam(w, lastId)}`);
    const inner = `SELECT t.* FROM ${def.table} t WHERE ${w.clauses.join(' AND ')} ORDER BY t.id LIMIT ${addParam(w, batch)}`;
    const rows = await db.query<Row>(
      `SELECT ${selectList(def)}
         FROM (${inner}) t
         ${displayJoins(def, scope, w)}
        ORDER BY t.id`,
      w.params,
    );
    if (rows.length === 0) return;
    yield* rows;
    lastId = Number(rows[rows.length - 1].id);
    if (rows.length < batch) return;
  }
}

/** One record within `scope`, with the extra select-list entries `extra` (related records) when given. */
export async function getRow(db: Sql, def: RegistryDef, id: number, scope: DataScope, extra?: (param: (v: unknown) => string) => string): Promise<Row | null> {
  const w: Where = { clauses: [], params: [id] };
  w.clauses.push('t.id = $1');
  scopeClause(def, scope, w);
  const more = extra ? `, ${extra((v) => addParam(w, v))}` : '';
  // Prepared: a detail page's plan (display joins, related records) costs more than running it.
  const rows = await db.query<Row>(`SELECT ${selectList(def)}${more} FROM ${from(def, scope, w)} WHERE ${w.clauses.join(' AND ')}`, w.params, { prepare: true });
  return rows[0] ?? null;
}

/**
 * Writes the search vectors that a registry's records lack — rows loaded by plain SQL, or
 * cleared by a migration when the tokenizer changed (013: British and American spellings made
 * one) — in batches, before a search reads them; returns how many. Where none is missing it
 * costs one probe of a partial index.
 */
export async function fillRegistrySearch(db: Sql, def: RegistryDef, batch = 2000): Promise<number> {
  if (!def.searchable) return 0;
  const columns = def.fields.filter((f) => f.search).map((f) => f.name);
  return fillSearchVectors<Row & { id: number }>(db, { table: def.table, columns, doc: (r) => searchText(def, r), batch });
}

/** The search document of a record, from its searchable fields. */
export function searchText(def: RegistryDef, rec: Row): string {
  return searchDocument(...def.fields.filter((f) => f.search).map((f) => (rec[f.name] == null ? null : String(rec[f.name]))));
}

/** Inserts a validated record; returns its id. */
export async function insertRow(db: Sql, def: RegistryDef, rec: Row, importId?: number | null): Promise<number> {
  const cols = Object.keys(rec);
  const vals = cols.map((c) => rec[c]);
  const extra: string[] = [];
  if (def.searchable) {
    vals.push(searchText(def, rec));
    extra.push(`to_tsvector('simple', $${vals.length})`);
    cols.push('search');
  }
  if (importId) {
    vals.push(importId);
    extra.push(`$${vals.length}`);
    cols.push('import_id');
  }
  const placeholders = [...Object.keys(rec).map((_, i) => `$${i + 1}`), ...extra];
  const rows = await db.query<{ id: number }>(
    `INSERT INTO ${def.table} (${cols.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING id`,
    vals,
  );
  return Number(rows[0].id);
}

/** Updates the given columns of a record (the full new record is needed for its search text). */
export async function updateRow(db: Sql, def: RegistryDef, id: number, patch: Row, full: Row): Promise<void> {
  const cols = Object.keys(patch);
  const vals: unknown[] = cols.map((c) => patch[c]);
  const sets = cols.map((c, i) => `${c} = $${i + 1}`);
  if (def.searchable) {
    vals.push(searchText(def, full));
    sets.push(`search = to_tsvector('simple', $${vals.length})`);
  }
  sets.push('updated_at = now()');
  vals.push(id);
  await db.query(`UPDATE ${def.table} SET ${sets.join(', ')} WHERE id = $${vals.length}`, vals);
}

export async function deleteRow(db: Sql, def: RegistryDef, id: number): Promise<void> {
  await db.query(`DELETE FROM ${def.table} WHERE id = $1`, [id]);
}

/** The raw stored row (all writable columns), for before-images and merges. */
export async function rawRow(db: Sql, def: RegistryDef, id: number): Promise<Row | null> {
  const rows = await db.query<Row>(`SELECT id, ${def.fields.map((f) => f.name).join(', ')} FROM ${def.table} WHERE id = $1`, [id]);
  return rows[0] ?? null;
}
