/**
 * SQL of the administrative-region hierarchy.
 */
import type { Sql } from '../../store/db.ts';

export interface RegionRow {
  id: number;
  code: string | null;
  name: string;
  short_name: string;
  name_en: string | null;
  level: 'province' | 'city' | 'district' | 'unit';
  kind: string;
  parent_id: number | null;
  path: string;
  note: string | null;
}

const COLS = 'id, code, name, short_name, name_en, level, kind, parent_id, path, note';

export async function regionById(db: Sql, id: number): Promise<RegionRow | null> {
  return (await db.query<RegionRow>(`SELECT ${COLS} FROM admin_regions WHERE id = $1`, [id]))[0] ?? null;
}

/** Regions whose name or short name is `name`, optionally only inside a subtree. */
export async function regionsNamed(db: Sql, name: string, withinPath?: string): Promise<RegionRow[]> {
  return db.query<RegionRow>(
    `SELECT ${COLS} FROM admin_regions
      WHERE (name = $1 OR short_name = $1 OR code = $1) AND ($2::text IS NULL OR path LIKE $2 || '%')
      ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'city' THEN 1 WHEN 'district' THEN 2 ELSE 3 END, id`,
    [name, withinPath ?? null],
  );
}

export async function childrenOf(db: Sql, id: number): Promise<RegionRow[]> {
  return db.query<RegionRow>(`SELECT ${COLS} FROM admin_regions WHERE parent_id = $1 ORDER BY code NULLS LAST, id`, [id]);
}

export async function insertRegion(
  db: Sql,
  r: { name: string; short_name: string; level: string; kind: string; parent_id: number; note?: string | null; name_en?: string | null },
  importId?: number | null,
): Promise<RegionRow> {
  const rows = await db.query<RegionRow>(
    `INSERT INTO admin_regions (name, short_name, name_en, level, kind, parent_id, note, import_id, path)
     SELECT $1, $2, $3, $4, $5, p.id, $6, $7, '' FROM admin_regions p WHERE p.id = $8
     RETURNING ${COLS}`,
    [r.name, r.short_name, r.name_en ?? null, r.level, r.kind, r.note ?? null, importId ?? null, r.parent_id],
  );
  const row = rows[0];
  const parent = await regionById(db, r.parent_id);
  const path = `${parent!.path}${row.id}/`;
  await db.query('UPDATE admin_regions SET path = $1 WHERE id = $2', [path, row.id]);
  return { ...row, path };
}

export async function listRegions(db: Sql, p: { q?: string; parentId?: number; level?: string; within?: string; limit: number; offset: number }) {
  const rows = await db.query<RegionRow & { _total: number }>(
    `SELECT ${COLS}, count(*) OVER () AS _total FROM admin_regions
      WHERE ($1::text IS NULL OR name LIKE '%' || $1 || '%' OR short_name = $1 OR code = $1)
        AND ($2::bigint IS NULL OR parent_id = $2)
        AND ($3::text IS NULL OR level = $3)
        AND ($4::text IS NULL OR path LIKE $4 || '%')
      ORDER BY code NULLS LAST, id LIMIT $5 OFFSET $6`,
    [p.q ?? null, p.parentId ?? null, p.level ?? null, p.within ?? null, p.limit, p.offset],
  );
  return { items: rows.map(({ _total, ...r }) => r as RegionRow), total: rows.length ? Number(rows[0]._total) : 0 };
}
