/**
 * SQL of the analyses that the funding query (query/funding.service.ts) does not cover: region
 * kinds, project participations for the network, and per-country cooperation, memberships and
 * innovation levels for the country strategy. Data scopes are applied here as in the registries
 * and the funding query (`scopeSql` of the actor's `scopeOf`): regions, classification levels,
 * an organisation's own records, a reviewer's assigned ones.
 */
import type { Sql } from '../../store/db.ts';
import type { DataScope } from '../auth/auth.policy.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import { REGISTRIES } from '../registries/defs.ts';

/** Region kinds that are districts in the paper's sense (辖市区), a former district included. */
export const DISTRICT_KINDS = ['district', 'county', 'county_city', 'former_district'] as const;

/** Builds positional parameters. */
function params() {
  const list: unknown[] = [];
  return {
    list,
    p(v: unknown) {
      list.push(v);
      return `$${list.length}`;
    },
  };
}

/** The condition "registry row `alias` is in the data scope" ('TRUE' when nothing is limited). */
const inScope = (kind: keyof typeof REGISTRIES, scope: DataScope, p: (v: unknown) => string, alias: string) =>
  scopeSql(REGISTRIES[kind], scope, p, alias) ?? 'TRUE';

/**
 * Of the given region short names (the units of a by-region funding query), those that name a
 * district-kind region carrying funding — or, with `carrying: 'projects'`, projects — (a short
 * name several regions share counts as a district when any of them is one).
 */
export async function districtShortNames(db: Sql, names: readonly string[], carrying: 'funding' | 'projects' = 'funding'): Promise<Set<string>> {
  if (!names.length) return new Set();
  const rows = await db.query<{ short_name: string }>(
    `SELECT DISTINCT r.short_name FROM admin_regions r
      WHERE r.short_name = ANY($1::text[]) AND r.kind = ANY($2::text[])
        AND EXISTS (SELECT 1 FROM ${carrying === 'funding' ? 'funding' : 'projects'} f WHERE f.region_id = r.id)`,
    [names, DISTRICT_KINDS],
  );
  return new Set(rows.map((r) => r.short_name));
}

/** The country of a participation: its own, its organisation's, or China for a domestic organisation. */
const COUNTRY_OF = (pp: string | null, o: string) =>
  `coalesce(${pp ? `${pp}.country_iso3, ` : ''}${o}.country_iso3, CASE WHEN ${o}.domestic THEN 'CHN' END)`;

/** Conditions on projects, already resolved to ids and codes by the service. */
export interface ProjectFilter {
  regionPaths?: string[];
  countryIso3?: string;
  level?: string;
  field?: string;
  mode?: string;
  industry?: string;
  projectCode?: string;
  startYear?: number;
  /** Projects starting in this year or later / earlier. */
  fromYear?: number;
  toYear?: number;
  /** The actor's data scope (scopeOf): which projects it sees. */
  scope: DataScope;
}

function projectWhere(f: ProjectFilter, p: (v: unknown) => string): string {
  const c: string[] = [inScope('projects', f.scope, p, 'p')];
  if (f.regionPaths) c.push(`p.region_id IN (SELECT id FROM admin_regions WHERE path LIKE ANY(${p(f.regionPaths.map((x) => `${x}%`))}::text[]))`);
  if (f.countryIso3) {
    c.push(`EXISTS (SELECT 1 FROM project_partners x LEFT JOIN organizations xo ON xo.id = x.org_id
                     WHERE x.project_id = p.id AND ${COUNTRY_OF('x', 'xo')} = ${p(f.countryIso3)})`);
  }
  if (f.level) c.push(`p.level = ${p(f.level)}`);
  if (f.field) c.push(`p.field = ${p(f.field)}`);
  if (f.mode) c.push(`p.mode = ${p(f.mode)}`);
  if (f.industry) c.push(`p.industry = ${p(f.industry)}`);
  if (f.projectCode) c.push(`p.code = ${p(f.projectCode)}`);
  if (f.startYear !== undefined) c.push(`extract(year FROM p.start_date) = ${p(f.startYear)}`);
  if (f.fromYear !== undefined) c.push(`extract(year FROM p.start_date) >= ${p(f.fromYear)}`);
  if (f.toYear !== undefined) c.push(`extract(year FROM p.start_date) <= ${p(f.toYear)}`);
  return c.join(' AND ');
}

/** Units a participation measure can group by: the participant's country, or the project's attributes. */
export const PARTNER_UNIT_DIMENSIONS = ['year', 'region', 'country', 'level', 'field', 'mode', 'project', 'industry'] as const;
export type PartnerUnitDimension = (typeof PARTNER_UNIT_DIMENSIONS)[number];

const PARTNER_UNIT_KEY: Record<PartnerUnitDimension, string> = {
  year: 'extract(year FROM p.start_date)::int',
  region: 'r.short_name',
  country: COUNTRY_OF('pp', 'o'),
  level: 'p.level',
  field: 'p.field',
  mode: 'p.mode',
  project: 'p.code',
  industry: 'p.industry',
};

export interface PartnerUnitRow {
  /** The unit (ISO3 by country; null: the participant's country, or the project's attribute, is not known). */
  key: string | number | null;
  /** By country: its Chinese name. */
  name_zh: string | null;
  participations: number;
  projects: number;
}

/**
 * Partner rows (project_partners) of the selected projects per unit: how many (participations)
 * and in how many distinct projects. A participation's country is its own, its organisation's,
 * or China for a domestic organisation, as in the network; the lead organisation counts only
 * when it is also a partner row.
 */
export async function partnerUnitRows(db: Sql, by: PartnerUnitDimension, f: ProjectFilter): Promise<PartnerUnitRow[]> {
  const { list, p } = params();
  const where = projectWhere(f, p);
  const key = PARTNER_UNIT_KEY[by];
  const rows = await db.query<{ k: string | number | null; name_zh: string | null; participations: number; projects: number }>(
    `SELECT ${key} AS k, ${by === 'country' ? 'min(c.name_zh)' : 'NULL::text'} AS name_zh,
            count(*)::int AS participations, count(DISTINCT pp.project_id)::int AS projects
       FROM project_partners pp
       JOIN projects p ON p.id = pp.project_id
       LEFT JOIN organizations o ON o.id = pp.org_id
       LEFT JOIN admin_regions r ON r.id = p.region_id
       ${by === 'country' ? `LEFT JOIN countries c ON c.iso3 = ${key}` : ''}
      WHERE ${where}
      GROUP BY 1`,
    list,
  );
  return rows.map((r) => ({
    key: r.k === null ? null : typeof r.k === 'number' ? r.k : by === 'year' ? Number(r.k) : String(r.k),
    name_zh: r.name_zh,
    participations: Number(r.participations),
    projects: Number(r.projects),
  }));
}

export interface ParticipationRow {
  project_id: number;
  part_key: string;
  org_id: number | null;
  org_name: string | null;
  country_iso3: string | null;
  country_name: string | null;
}

/**
 * Every participation in the selected projects: partner rows, the lead organisation when it is
 * not also a partner row, and — with `home` (CHN) — the home country for a project registered
 * under a (Chinese) administrative region that names no lead organisation and no lead or
 * coordinator partner (the bureau's own projects, whose Chinese side the tables leave implicit).
 */
export async function participations(db: Sql, f: ProjectFilter, opts: { lead: boolean; home: string | null }): Promise<ParticipationRow[]> {
  const { list, p } = params();
  const where = projectWhere(f, p);
  const lead = p(opts.lead);
  const home = p(opts.home);
  const rows = await db.query<ParticipationRow>(
    `WITH sel AS (SELECT p.id, p.lead_org_id, p.region_id FROM projects p WHERE ${where}),
     parts AS (
       SELECT pp.project_id, coalesce('o' || pp.org_id, 'r' || pp.id) AS part_key, pp.org_id, ${COUNTRY_OF('pp', 'o')} AS country_iso3
         FROM project_partners pp JOIN sel ON sel.id = pp.project_id LEFT JOIN organizations o ON o.id = pp.org_id
       UNION ALL
       SELECT sel.id, 'o' || sel.lead_org_id, sel.lead_org_id, ${COUNTRY_OF(null, 'o')}
         FROM sel JOIN organizations o ON o.id = sel.lead_org_id
        WHERE ${lead}::boolean
       UNION ALL
       SELECT sel.id, 'home', NULL, ${home}::text
         FROM sel
        WHERE ${lead}::boolean AND ${home}::text IS NOT NULL AND sel.lead_org_id IS NULL AND sel.region_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM project_partners x WHERE x.project_id = sel.id AND x.role IN ('lead', 'coordinator'))
     )
     SELECT parts.project_id::int AS project_id, parts.part_key, parts.org_id::int AS org_id,
            coalesce(o.name_zh, o.name_en) AS org_name, parts.country_iso3, c.name_zh AS country_name
       FROM parts LEFT JOIN organizations o ON o.id = parts.org_id LEFT JOIN countries c ON c.iso3 = parts.country_iso3
      ORDER BY parts.project_id, parts.part_key`,
    list,
  );
  return rows.map((r) => ({ ...r, project_id: Number(r.project_id), org_id: r.org_id === null ? null : Number(r.org_id) }));
}

export interface CountryCooperationRow {
  iso3: string;
  projects: number;
  funding: number;
  funding_records: number;
  platforms: number;
  mechanisms: number;
}

/**
 * Our cooperation with each country, within the actor's regions: projects with a participant of
 * the country, funding lines booked to the country (CNY, in 万元, as the funding query sums
 * them), platforms and cooperation mechanisms with the country.
 */
export async function countryCooperation(db: Sql, scope: DataScope): Promise<CountryCooperationRow[]> {
  const { list, p } = params();
  const rows = await db.query<CountryCooperationRow>(
    `WITH pr AS (
       SELECT ${COUNTRY_OF('pp', 'o')} AS iso3, count(DISTINCT p.id)::int AS n
         FROM project_partners pp JOIN projects p ON p.id = pp.project_id LEFT JOIN organizations o ON o.id = pp.org_id
        WHERE ${inScope('projects', scope, p, 'p')}
        GROUP BY 1),
     fu AS (
       SELECT f.country_iso3 AS iso3, sum(f.amount_wan)::float8 AS amount, count(*)::int AS n
         FROM funding f WHERE f.country_iso3 IS NOT NULL AND f.currency = 'CNY' AND ${inScope('funding', scope, p, 'f')}
        GROUP BY 1),
     pl AS (SELECT t.country_iso3 AS iso3, count(*)::int AS n FROM platforms t WHERE t.country_iso3 IS NOT NULL AND ${inScope('platforms', scope, p, 't')} GROUP BY 1),
     me AS (SELECT t.country_iso3 AS iso3, count(*)::int AS n FROM mechanisms t WHERE t.country_iso3 IS NOT NULL AND ${inScope('mechanisms', scope, p, 't')} GROUP BY 1),
     keys AS (SELECT iso3 FROM pr UNION SELECT iso3 FROM fu UNION SELECT iso3 FROM pl UNION SELECT iso3 FROM me)
     SELECT k.iso3, coalesce(pr.n, 0) AS projects, coalesce(fu.amount, 0) AS funding, coalesce(fu.n, 0) AS funding_records,
            coalesce(pl.n, 0) AS platforms, coalesce(me.n, 0) AS mechanisms
       FROM keys k LEFT JOIN pr USING (iso3) LEFT JOIN fu USING (iso3) LEFT JOIN pl USING (iso3) LEFT JOIN me USING (iso3)
      WHERE k.iso3 IS NOT NULL`,
    list,
  );
  return rows.map((r) => ({
    iso3: r.iso3,
    projects: Number(r.projects),
    funding: Number(r.funding),
    funding_records: Number(r.funding_records),
    platforms: Number(r.platforms),
    mechanisms: Number(r.mechanisms),
  }));
}

/** Whether a country group exists (by code, case-insensitive). */
export async function groupCode(db: Sql, code: string): Promise<string | null> {
  const rows = await db.query<{ code: string }>('SELECT code FROM country_groups WHERE upper(code) = upper($1)', [code]);
  return rows[0]?.code ?? null;
}

export async function groupMembers(db: Sql, code: string): Promise<string[]> {
  const rows = await db.query<{ iso3: string }>('SELECT iso3 FROM country_group_members WHERE group_code = $1 ORDER BY iso3', [code]);
  return rows.map((r) => r.iso3);
}

/** Countries with a value of any of the indicators (in the year, or any year). */
export async function countriesWithIndicator(db: Sql, indicators: readonly string[], year: number | null): Promise<string[]> {
  const rows = await db.query<{ iso3: string }>(
    'SELECT DISTINCT iso3 FROM country_indicators WHERE indicator = ANY($1::text[]) AND ($2::int IS NULL OR year = $2) ORDER BY iso3',
    [indicators, year],
  );
  return rows.map((r) => r.iso3);
}

export interface CountryProfileRow {
  iso3: string;
  name_zh: string;
  name_en: string;
  groups: string[];
}

/** Names and group memberships of the given countries. */
export async function countryProfiles(db: Sql, iso3s: readonly string[]): Promise<CountryProfileRow[]> {
  if (!iso3s.length) return [];
  return db.query<CountryProfileRow>(
    `SELECT c.iso3, c.name_zh, c.name_en,
            coalesce((SELECT array_agg(m.group_code ORDER BY m.group_code) FROM country_group_members m WHERE m.iso3 = c.iso3), '{}') AS groups
       FROM countries c WHERE c.iso3 = ANY($1::text[])`,
    [iso3s],
  );
}

export interface IndicatorValueRow {
  iso3: string;
  indicator: string;
  year: number;
  value_num: number | null;
  value_text: string | null;
}

/** Each country's value of each indicator: in the given year, or its latest. */
export async function latestIndicatorValues(db: Sql, indicators: readonly string[], year: number | null): Promise<IndicatorValueRow[]> {
  const rows = await db.query<IndicatorValueRow>(
    `SELECT DISTINCT ON (iso3, indicator) iso3, indicator, year, value_num::float8 AS value_num, value_text
       FROM country_indicators
      WHERE indicator = ANY($1::text[]) AND ($2::int IS NULL OR year = $2)
      ORDER BY iso3, indicator, year DESC`,
    [indicators, year],
  );
  return rows.map((r) => ({ ...r, year: Number(r.year), value_num: r.value_num === null ? null : Number(r.value_num) }));
}

export interface UnresolvedNameRow {
  name: string;
  import_id: number;
  file_name: string;
  row: number | null;
  suggestions: { iso3: string; name_zh: string; name_en: string }[];
}

/**
 * Names the imports of these indicators could not resolve to a country (西奈半岛 in the
 * Belt-and-Road table): kept in the import log, so the strategy view can say what the counts
 * leave out.
 */
export async function unresolvedCountryNames(db: Sql, indicators: readonly string[], year: number | null): Promise<UnresolvedNameRow[]> {
  const rows = await db.query<{ name: string; import_id: number; file_name: string; row: number | null; suggestions: unknown }>(
    `SELECT e->>'value' AS name, i.id::int AS import_id, i.file_name, (e->>'row')::int AS row, coalesce(e->'suggestions', '[]'::jsonb) AS suggestions
       FROM imports i CROSS JOIN LATERAL jsonb_array_elements(i.issues) e
      WHERE i.status = 'done' AND e->>'code' = 'COUNTRY_UNRESOLVED'
        AND i.id IN (SELECT import_id FROM country_indicators WHERE indicator = ANY($1::text[]) AND ($2::int IS NULL OR year = $2) AND import_id IS NOT NULL)
      ORDER BY i.id, row`,
    [indicators, year],
  );
  return rows.map((r) => ({
    name: r.name,
    import_id: Number(r.import_id),
    file_name: r.file_name,
    row: r.row === null ? null : Number(r.row),
    suggestions: (Array.isArray(r.suggestions) ? r.suggestions : []).map((s: { iso3: string; name_zh: string; name_en: string }) => ({
      iso3: s.iso3,
      name_zh: s.name_zh,
      name_en: s.name_en,
    })),
  }));
}
