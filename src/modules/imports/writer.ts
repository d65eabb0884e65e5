/**
 * Batch writes of imported records: one look-up of existing natural keys per batch, one
 * multi-row INSERT for new records, and an UPDATE (with its before-image kept for undo) only
 * for records whose values changed — so re-importing the same data changes nothing.
 */
import type { Sql } from '../../store/db.ts';
import { searchText, type Row } from '../registry/registry.repo.ts';
import type { FieldDef, RegistryDef } from '../registry/registry.types.ts';

export interface Pending {
  /** Index of the record in its batch, so results can be traced back to file rows. */
  readonly ref: number;
  readonly rec: Row;
}

export interface BatchOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Refs of records whose key was already written by this same import (a duplicate row). */
  duplicates: number[];
  /** Id of each written or matched record, by ref. */
  ids: Map<number, number>;
}

type PgType = 'text' | 'bigint' | 'integer' | 'numeric' | 'boolean' | 'date';

function pgType(def: RegistryDef, col: string): PgType {
  const f: FieldDef | undefined = def.fields.find((x) => x.name === col);
  if (!f) return 'text'; // derived keys (name_key, title_key)
  switch (f.type) {
    case 'ref':
      return 'bigint';
    case 'int':
      return 'integer';
    case 'number':
      return 'numeric';
    case 'bool':
      return 'boolean';
    case 'date':
      return 'date';
    default:
      return 'text';
  }
}

const NOT_NULL_KEYS = new Set(['name_key', 'title_key', 'code', 'currency', 'subject', 'indicator', 'role']);

/** The expression of a natural-key column as the unique index spells it. */
function keyExpr(def: RegistryDef, col: string, alias: string): string {
  const t = pgType(def, col);
  // Nullable key columns appear coalesced in the unique indexes; spell them the same way so the index is used.
  const nullable = !def.fields.find((f) => f.name === col)?.required && !NOT_NULL_KEYS.has(col);
  if (!nullable) return `${alias}.${col}`;
  return t === 'bigint' || t === 'integer' ? `coalesce(${alias}.${col}, 0)` : `coalesce(${alias}.${col}, '')`;
}

function keyValue(def: RegistryDef, col: string, v: unknown): unknown {
  const t = pgType(def, col);
  if (v == null) return t === 'bigint' || t === 'integer' ? 0 : '';
  return t === 'bigint' || t === 'integer' ? v : String(v);
}

function keyCast(def: RegistryDef, col: string): string {
  const t = pgType(def, col);
  return t === 'bigint' || t === 'integer' ? 'bigint' : 'text';
}

function same(a: unknown, b: unknown): boolean {
  if (a == null && b == null) return true;
  if (a == null || b == null) return false;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (a instanceof Date || b instanceof Date) return new Date(a as string).getTime() === new Date(b as string).getTime();
  return String(a) === String(b);
}

/** Writes a batch of validated records (derived columns included) of one registry. */
export async function writeBatch(tx: Sql, def: RegistryDef, batch: Pending[], importId: number | null, dryRun: boolean): Promise<BatchOutcome> {
  const out: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, duplicates: [], ids: new Map() };
  if (batch.length === 0) return out;
  const keys = def.naturalKey;
  const existing = new Map<number, Row>();
  if (keys.length) {
    const params = keys.map((k) => batch.map((p) => keyValue(def, k, p.rec[k])));
    params.push(batch.map((p) => p.ref));
    const cols = def.fields.map((f) => `t.${f.name}`).join(', ');
    // One index probe per key (LATERAL … LIMIT 1): a hash join would scan the whole table per
    // batch, and the planner's statistics lag behind a table that is growing in this transaction.
    const rows = await tx.query<Row & { _ref: number; _import_id: number | null }>(
      `SELECT k._ref, t.*
         FROM unnest(${keys.map((k, i) => `$${i + 1}::${keyCast(def, k)}[]`).join(', ')}, $${keys.length + 1}::int[]) AS k(${keys.map((_, i) => `k${i}`).join(', ')}, _ref)
         CROSS JOIN LATERAL (
           SELECT t.id, t.import_id AS _import_id, ${cols}
             FROM ${def.table} t
            WHERE ${keys.map((k, i) => `${keyExpr(def, k, 't')} = k.k${i}`).join(' AND ')}
            LIMIT 1) t`,
      params,
    );
    for (const r of rows) existing.set(Number(r._ref), r);
  }
  // A key seen twice in one batch is a duplicate row as well.
  const seen = new Map<string, number>();
  const toInsert: Pending[] = [];
  for (const p of batch) {
    const k = keys.map((c) => String(keyValue(def, c, p.rec[c]))).join('\u0001');
    const found = existing.get(p.ref);
    if (keys.length && seen.has(k)) {
      out.duplicates.push(p.ref);
      continue;
    }
    if (keys.length) seen.set(k, p.ref);
    if (!found) {
      toInsert.push(p);
      continue;
    }
    if (importId !== null && Number(found._import_id) === importId) {
      out.duplicates.push(p.ref); // written earlier in this same file
      continue;
    }
    out.ids.set(p.ref, Number(found.id));
    const changed = Object.keys(p.rec).filter((c) => def.fields.some((f) => f.name === c) && !same(p.rec[c], found[c]));
    if (changed.length === 0) {
      out.unchanged++;
      continue;
    }
    out.updated++;
    if (dryRun) continue;
    const before: Row = {};
    for (const f of def.fields) before[f.name] = found[f.name];
    before.import_id = found._import_id; // lets undo see which import a record came from
    await tx.query('INSERT INTO import_changes (import_id, table_name, record_key, before) VALUES ($1, $2, $3, $4)', [
      importId,
      def.table,
      String(found.id),
      JSON.stringify(before),
    ]);
    const full = { ...before, ...p.rec };
    const sets = changed.map((c, i) => `${c} = $${i + 1}`);
    const vals: unknown[] = changed.map((c) => p.rec[c]);
    if (def.searchable) {
      vals.push(searchText(def, full));
      sets.push(`search = to_tsvector('simple', $${vals.length})`);
    }
    vals.push(found.id);
    await tx.query(`UPDATE ${def.table} SET ${sets.join(', ')}, updated_at = now() WHERE id = $${vals.length}`, vals);
  }
  out.inserted = toInsert.length;
  if (dryRun || toInsert.length === 0) return out;
  const cols = [...new Set(toInsert.flatMap((p) => Object.keys(p.rec)))];
  const params: unknown[] = cols.map((c) => toInsert.map((p) => p.rec[c] ?? null));
  const selects = cols.map((c) => `k.c${cols.indexOf(c)}`);
  const types = cols.map((c) => `$${cols.indexOf(c) + 1}::${pgType(def, c)}[]`);
  const insertCols = [...cols];
  if (def.searchable) {
    params.push(toInsert.map((p) => searchText(def, p.rec)));
    types.push(`$${params.length}::text[]`);
    selects.push(`to_tsvector('simple', k.c${cols.length})`);
    insertCols.push('search');
  }
  params.push(importId);
  const idRows = await tx.query<{ id: number }>(
    `INSERT INTO ${def.table} (${insertCols.join(', ')}, import_id)
     SELECT ${selects.join(', ')}, $${params.length}::bigint
       FROM unnest(${types.join(', ')}) AS k(${types.map((_, i) => `c${i}`).join(', ')})
     RETURNING id`,
    params,
  );
  // INSERT … SELECT FROM unnest keeps the input order in PostgreSQL's executor.
  toInsert.forEach((p, i) => out.ids.set(p.ref, Number(idRows[i]?.id)));
  return out;
}
