/**
 * SQL of the reports that the funding query and the analyses do not answer: projects per
 * partner country in a region and period, and the import warnings (data-quality notes) of the
 * tables loaded for a region. Scopes apply as in the registries (scopeSql).
 */
import type { Sql } from '../../store/db.ts';
import type { DataScope } from '../auth/auth.policy.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import { REGISTRIES } from '../registries/defs.ts';

export interface PartnerCountryRow {
  iso3: string;
  name_zh: string;
  name_en: string;
  projects: number;
  /** Of those, projects with neither start nor end date (counted whatever the period). */
  undated: number;
}

/**
 * Projects of the region's subtree per partner country (the country of the partner row, else
 * of its organisation), China left out. A project counts in the period when its dates overlap
 * it, or when it has no dates at all (the seed tables give none; `undated` says how many).
 */
export async function partnerCountries(db: Sql, p: { regionPath: string; from?: number; to?: number; scope: DataScope }): Promise<PartnerCountryRow[]> {
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`p.region_id IN (SELECT id FROM admin_regions WHERE path LIKE ${add(p.regionPath)} || '%')`];
  const scope = scopeSql(REGISTRIES.projects, p.scope, add, 'p');
  if (scope) where.push(scope);
  if (p.from !== undefined) where.push(`(coalesce(p.end_date, p.start_date) IS NULL OR extract(year FROM coalesce(p.end_date, p.start_date)) >= ${add(p.from)})`);
  if (p.to !== undefined) where.push(`(coalesce(p.start_date, p.end_date) IS NULL OR extract(year FROM coalesce(p.start_date, p.end_date)) <= ${add(p.to)})`);
  const rows = await db.query<PartnerCountryRow>(
    `SELECT c.iso3, c.name_zh, c.name_en, count(DISTINCT p.id)::int AS projects,
            count(DISTINCT p.id) FILTER (WHERE p.start_date IS NULL AND p.end_date IS NULL)::int AS undated
       FROM projects p
       JOIN project_partners pp ON pp.project_id = p.id
       LEFT JOIN organizations o ON o.id = pp.org_id
       JOIN countries c ON c.iso3 = coalesce(pp.country_iso3, o.country_iso3, CASE WHEN o.domestic THEN 'CHN' END)
      WHERE ${where.join(' AND ')} AND c.iso3 <> 'CHN'
      GROUP BY c.iso3, c.name_zh, c.name_en
      ORDER BY projects DESC, c.iso3`,
    params,
  );
  return rows.map((r) => ({ ...r, projects: Number(r.projects), undated: Number(r.undated) }));
}

export interface ImportWarningRow {
  import_id: number;
  file_name: string;
  kind: string;
  region_context: string;
  row: number | null;
  column: string | null;
  code: string;
  message: string;
  message_en: string;
}

/**
 * Warnings of the finished imports of registry tables and stated figures (not country
 * reference tables), with the city or region each was imported in.
 */
export async function importWarnings(db: Sql): Promise<ImportWarningRow[]> {
  const rows = await db.query<ImportWarningRow>(
    `SELECT i.id::int AS import_id, i.file_name, i.kind, i.region_context,
            (e->>'row')::int AS row, e->>'column' AS column, e->>'code' AS code,
            coalesce(e->>'message', '') AS message, coalesce(e->>'message_en', '') AS message_en
       FROM imports i CROSS JOIN LATERAL jsonb_array_elements(i.issues) e
      WHERE i.status = 'done' AND i.kind <> 'countries' AND i.region_context IS NOT NULL
        AND e->>'severity' = 'warning'
      ORDER BY i.id, (e->>'row')::int NULLS FIRST`,
  );
  return rows.map((r) => ({ ...r, import_id: Number(r.import_id), row: r.row === null ? null : Number(r.row) }));
}
