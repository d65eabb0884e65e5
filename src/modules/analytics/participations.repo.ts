/**
 * SQL of the participation breakdown: partner rows (project_partners) counted by the project's
 * start year, region, programme or field, or by the participant's country or role. A
 * participation's country is its own, else its organisation's, else China for a domestic
 * organisation (as in the network).
 */
import type { Sql } from '../../store/db.ts';
import type { DataScope } from '../auth/auth.policy.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import { REGISTRIES } from '../registries/defs.ts';

export const PARTICIPATION_DIMENSIONS = ['year', 'country', 'role', 'region', 'programme', 'field'] as const;
export type ParticipationDimension = (typeof PARTICIPATION_DIMENSIONS)[number];

const COUNTRY = `coalesce(pp.country_iso3, o.country_iso3, CASE WHEN o.domestic THEN 'CHN' END)`;

const DIM: Record<ParticipationDimension, { key: string; order: string }> = {
  year: { key: 'extract(year FROM p.start_date)::int', order: 'extract(year FROM p.start_date)::int' },
  country: { key: COUNTRY, order: 'count(*) DESC' },
  role: { key: 'pp.role', order: 'count(*) DESC' },
  region: { key: 'r.short_name', order: 'min(r.code), min(r.id)' },
  programme: { key: 'p.programme', order: 'count(*) DESC' },
  field: { key: 'p.field', order: 'count(*) DESC' },
};

/** Conditions, already resolved by the service. */
export interface ParticipationFilter {
  scope: DataScope;
  startYear?: number;
  regionPaths?: string[];
  /** Projects with a participant of this country. */
  withCountry?: string;
  /** Only this country's participations are counted. */
  participant?: string;
  level?: string;
  field?: string;
  mode?: string;
  programme?: string;
  projectCode?: string;
  role?: string;
}

export interface ParticipationRow {
  keys: (string | number | null)[];
  /** With `country` among the dimensions: its names. */
  name_zh: string | null;
  name_en: string | null;
  projects: number;
  participations: number;
  contribution: number | null;
}

/** Projects, participations and Σ contribution (as recorded) per combination of the dimensions. */
export async function participationRows(db: Sql, by: readonly ParticipationDimension[], f: ParticipationFilter): Promise<ParticipationRow[]> {
  const list: unknown[] = [];
  const p = (v: unknown) => {
    list.push(v);
    return `$${list.length}`;
  };
  const c: string[] = [];
  const scope = scopeSql(REGISTRIES.projects, f.scope, p, 'p');
  if (scope) c.push(scope);
  if (f.startYear !== undefined) c.push(`extract(year FROM p.start_date) = ${p(f.startYear)}`);
  if (f.regionPaths) c.push(`p.region_id IN (SELECT id FROM admin_regions WHERE path LIKE ANY(${p(f.regionPaths.map((x) => `${x}%`))}::text[]))`);
  if (f.withCountry) {
    c.push(`EXISTS (SELECT 1 FROM project_partners x LEFT JOIN organizations xo ON xo.id = x.org_id
                     WHERE x.project_id = p.id AND coalesce(x.country_iso3, xo.country_iso3, CASE WHEN xo.domestic THEN 'CHN' END) = ${p(f.withCountry)})`);
  }
  if (f.participant) c.push(`${COUNTRY} = ${p(f.participant)}`);
  if (f.level) c.push(`p.level = ${p(f.level)}`);
  if (f.field) c.push(`p.field = ${p(f.field)}`);
  if (f.mode) c.push(`p.mode = ${p(f.mode)}`);
  if (f.programme) c.push(`p.programme = ${p(f.programme)}`);
  if (f.projectCode) c.push(`p.code = ${p(f.projectCode)}`);
  if (f.role) c.push(`pp.role = ${p(f.role)}`);
  // No dimensions: one row of totals over the selection.
  const keys = by.map((d, i) => `${DIM[d].key} AS k${i}, `).join('');
  const group = by.map((_, i) => `k${i}`).join(', ');
  const names = by.includes('country') ? `min(c.name_zh) AS name_zh, min(c.name_en) AS name_en` : 'NULL AS name_zh, NULL AS name_en';
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${keys}${names}, count(DISTINCT pp.project_id)::bigint AS projects, count(*)::bigint AS participations,
            sum(pp.contribution)::float8 AS contribution
       FROM project_partners pp
       JOIN projects p ON p.id = pp.project_id
       LEFT JOIN organizations o ON o.id = pp.org_id
       LEFT JOIN admin_regions r ON r.id = p.region_id
       LEFT JOIN countries c ON c.iso3 = ${COUNTRY}
      WHERE ${c.length ? c.join(' AND ') : 'TRUE'}
      ${by.length ? `GROUP BY ${group} ORDER BY ${by.map((d) => DIM[d].order).join(', ')}, ${group}` : ''}`,
    list,
  );
  return rows.map((r) => ({
    keys: by.map((_, i) => (r[`k${i}`] == null ? null : typeof r[`k${i}`] === 'number' ? (r[`k${i}`] as number) : String(r[`k${i}`]))),
    name_zh: (r.name_zh as string | null) ?? null,
    name_en: (r.name_en as string | null) ?? null,
    projects: Number(r.projects),
    participations: Number(r.participations),
    contribution: r.contribution == null ? null : Math.round(Number(r.contribution) * 100) / 100,
  }));
}
