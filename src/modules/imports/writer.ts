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
  /** Refs of records that clash with an existing record on another unique field. */
  conflicts: number[];
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

/**
 * Writes a batch of validated records (derived columns included) of one registry. New records
 * go in first, in one statement that skips conflicts; only the rows that conflicted are
 * looked up, to tell an unchanged record from one to update, a row repeated in the file, or a
 * clash with another unique field (`conflicts`). Dry runs write too: their transaction is
 * rolled back, so their counts are exact.
 */
export async function writeBatch(tx: Sql, def: RegistryDef, batch: Pending[], importId: number | null): Promise<BatchOutcome> {
  const out: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, duplicates: [], conflicts: [], ids: new Map() };
  if (batch.length === 0) return out;
  const keys = def.naturalKey;
  const keyOf = (rec: Row) => keys.map((c) => String(keyValue(def, c, rec[c]))).join('\u0001');

  const insertedByKey = await insertSkippingConflicts(tx, def, batch, importId);
  const rest: Pending[] = [];
  const claimed = new Set<string>();
  for (const p of batch) {
    const k = keyOf(p.rec);
    const id = insertedByKey.get(k);
    if (id !== undefined && !claimed.has(k)) {
      claimed.add(k);
      out.ids.set(p.ref, id);
      out.inserted++;
    } else rest.push(p);
  }
  if (rest.length === 0) return out;

  const existing = await lookupByKey(tx, def, rest);
  for (const p of rest) {
    const found = existing.get(p.ref);
    if (!found) {
      out.conflicts.push(p.ref); // another unique field (a code, an identifier) is taken
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
  return out;
}

/** One INSERT for the batch; returns the new ids by natural key (conflicting rows are skipped). */
async function insertSkippingConflicts(tx: Sql, def: RegistryDef, batch: Pending[], importId: number | null): Promise<Map<string, number>> {
  const keys = def.naturalKey;
  const cols = [...new Set(batch.flatMap((p) => Object.keys(p.rec)))];
  const params: unknown[] = cols.map((c) => batch.map((p) => p.rec[c] ?? null));
  const selects = cols.map((_, i) => `k.c${i}`);
  const types = cols.map((c, i) => `$${i + 1}::${pgType(def, c)}[]`);
  const insertCols = [...cols];
  if (def.searchable) {
    params.push(batch.map((p) => searchText(def, p.rec)));
    types.push(`$${params.length}::text[]`);
    selects.push(`to_tsvector('simple', k.c${cols.length})`);
    insertCols.push('search');
  }
  params.push(importId);
  const rows = await tx.query<Record<string, unknown> & { id: number }>(
    `INSERT INTO ${def.table} AS t (${insertCols.join(', ')}, import_id)
     SELECT ${selects.join(', ')}, $${params.length}::bigint
       FROM unnest(${types.join(', ')}) AS k(${types.map((_, i) => `c${i}`).join(', ')})
     ON CONFLICT DO NOTHING
     RETURNING t.id${keys.map((k, i) => `, ${keyExpr(def, k, 't')} AS k${i}`).join('')}`,
    params,
  );
  const byKey = new Map<string, number>();
  for (const r of rows) byKey.set(keys.map((_, i) => String(r[`k${i}`])).join('\u0001'), Number(r.id));
  return byKey;
}

/** Existing records by natural key, one index probe per key. */
async function lookupByKey(tx: Sql, def: RegistryDef, batch: Pending[]): Promise<Map<number, Row>> {
  const keys = def.naturalKey;
  const params = keys.map((k) => batch.map((p) => keyValue(def, k, p.rec[k])));
  params.push(batch.map((p) => p.ref));
  const cols = def.fields.map((f) => `t.${f.name}`).join(', ');
  // LATERAL … LIMIT 1: a join would scan the whole table per batch, and the planner's
  // statistics lag behind a table that is growing in this transaction.
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
  const out = new Map<number, Row>();
  for (const r of rows) out.set(Number(r._ref), r);
  return out;
}
