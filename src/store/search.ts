/**
 * Writing the search vectors that rows lack. The vectors hold the project tokenizer's tokens and
 * are computed by the application (the database has no Chinese tokenizer), so rows loaded by
 * plain SQL, or whose vectors a migration cleared when the tokenizer changed (010, 013), get
 * theirs here, in batches, before a search reads them. Each table keeps a partial index on
 * `(id) WHERE search IS NULL`, so a table with none missing costs one index probe.
 */
import type { Sql } from './db.ts';

export interface SearchFill<R> {
  table: string;
  /** The columns the search document is made of (read with `id`). */
  columns: readonly string[];
  /** The search document of a row: the tokenizer's tokens, space-separated. */
  doc: (row: R) => string;
  /** Only these rows (else every row without a vector). */
  ids?: readonly number[];
  batch: number;
}

/** Writes the missing search vectors of `table`; returns how many were written. */
export async function fillSearchVectors<R extends { id: number }>(db: Sql, f: SearchFill<R>): Promise<number> {
  let written = 0;
  for (;;) {
    const rows = await db.query<R>(
      `SELECT id, ${f.columns.join(', ')} FROM ${f.table}
        WHERE search IS NULL ${f.ids ? 'AND id = ANY($2::bigint[])' : ''} ORDER BY id LIMIT $1`,
      f.ids ? [f.batch, f.ids] : [f.batch],
    );
    if (rows.length === 0) return written;
    await db.query(
      `UPDATE ${f.table} t SET search = to_tsvector('simple', d.doc)
         FROM unnest($1::bigint[], $2::text[]) AS d(id, doc) WHERE t.id = d.id AND t.search IS NULL`,
      [rows.map((r) => r.id), rows.map(f.doc)],
    );
    written += rows.length;
    if (rows.length < f.batch) return written;
  }
}
