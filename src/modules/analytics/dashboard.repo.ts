/**
 * SQL of the region dashboard, twice: over the pre-aggregated tables of migration 002
 * (`agg_funding`, `agg_net_*`, kept exact by triggers) and over the registries themselves (a
 * fresh GROUP BY). Both answer the same questions with the same row shapes, so the service can
 * use either and the tests can hold one against the other.
 *
 * What the figures mean (both paths):
 * - Funding: lines of one currency, summed in 万元. A line counts for the region it names, or —
 *   when it names none — for its project's region; its period is its year. Access is that of the
 *   funding registry: the line's own region and classification.
 * - Network and participations: a project's participations as the collaboration network counts
 *   them (analytics.repo.ts `participations`: partner rows, the lead organisation, China for a
 *   project under a Chinese region that names no lead), by country. The project's region and
 *   start year place it; access is that of the project registry.
 */
import type { Sql } from '../../store/db.ts';
import type { DataScope } from '../auth/auth.policy.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import { REGISTRIES } from '../registries/defs.ts';

/** What a dashboard query selects. */
export interface DashboardFilter {
  /** Materialised paths of the dashboard's region(s); null: every region (and none). */
  regionPaths: string[] | null;
  from?: number;
  to?: number;
  /** Currency of the funding lines summed. */
  currency: string;
  /** The actor's data scope (scopeOf). */
  scope: DataScope;
}

export const FUNDING_BREAKDOWNS = ['year', 'region', 'country', 'field'] as const;
export type FundingBreakdown = (typeof FUNDING_BREAKDOWNS)[number];

/** One unit of a funding breakdown. */
export interface FundingUnitRow {
  /** The year, region short name, country ISO3 code or field; null for lines without one. */
  key: string | number | null;
  /** Countries: the Chinese and English names. */
  name_zh?: string | null;
  name_en?: string | null;
  amount: number;
  records: number;
}

export interface NetworkSums {
  /** Per country: projects with a participation of it, and its participations. */
  countries: { iso3: string; name_zh: string | null; name_en: string | null; projects: number; parts: number }[];
  /** Per pair of countries (a < b): projects they share, and Σ over those of parts(a) × parts(b). */
  pairs: { a: string; b: string; projects: number; weight: number }[];
  /** Projects with at least one participation of a known country; participations of none. */
  projects: number;
  skipped: number;
}

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

// The region ids as an array, not a subquery: the planner then sizes the selection from the
// column's statistics and groups by hashing (a semi-join's estimate made it sort 30,000 pair
// rows by text — six times slower).
const inPaths = (column: string, ref: string) => `${column} = ANY(ARRAY(SELECT id FROM admin_regions WHERE path LIKE ANY(${ref}::text[])))`;
const likePaths = (paths: string[]) => paths.map((x) => `${x}%`);

/**
 * Whether the aggregates can answer for this scope: they keep regions and classification, not
 * owners, so an organisation's own records (visible to it at every level) need the registries.
 */
export function aggregatesServe(scope: DataScope): boolean {
  return scope.all || scope.orgId == null;
}

// ------------------------------------------------------------------------------- aggregates

/** Funding by one breakdown, from agg_funding. */
export async function aggFundingBy(db: Sql, by: FundingBreakdown, f: DashboardFilter): Promise<FundingUnitRow[]> {
  const { list, p } = params();
  // `t` exposes the columns the funding registry's scope is written on: the line's own region.
  const c = [`t.currency = ${p(f.currency)}`];
  const scope = scopeSql(REGISTRIES.funding, f.scope, p, 't');
  if (scope) c.push(scope);
  if (f.from !== undefined) c.push(`t.year >= ${p(f.from)}`);
  if (f.to !== undefined) c.push(`t.year <= ${p(f.to)}`);
  if (f.regionPaths) c.push(inPaths('t.attributed_region_id', p(likePaths(f.regionPaths))));
  return fundingRows(
    db,
    by,
    `(SELECT a.line_region_id AS region_id, a.region_id AS attributed_region_id, a.year, a.country_iso3, a.field,
             a.classification, a.currency, a.amount, a.records
        FROM agg_funding a) t`,
    c.join(' AND '),
    list,
  );
}

/** Network sums from agg_net_* (without `pairs`: countries and totals only, for the map). */
export async function aggNetwork(db: Sql, f: DashboardFilter, pairs = true): Promise<NetworkSums> {
  const where = (alias: string) => {
    const { list, p } = params();
    const c: string[] = [];
    // `alias` exposes the project columns the project registry's scope is written on.
    const scope = scopeSql(REGISTRIES.projects, f.scope, p, alias);
    if (scope) c.push(scope);
    if (f.from !== undefined) c.push(`${alias}.year >= ${p(f.from)}`);
    if (f.to !== undefined) c.push(`${alias}.year <= ${p(f.to)}`);
    if (f.regionPaths) c.push(inPaths(`${alias}.region_id`, p(likePaths(f.regionPaths))));
    return { sql: c.length ? c.join(' AND ') : 'TRUE', list };
  };
  const w1 = where('t');
  const countries = await db.query<{ iso3: string; name_zh: string | null; name_en: string | null; projects: number; parts: number }>(
    `SELECT t.country_iso3 AS iso3, min(c.name_zh) AS name_zh, min(c.name_en) AS name_en,
            sum(t.projects)::bigint AS projects, sum(t.parts)::bigint AS parts
       FROM agg_net_country t LEFT JOIN countries c ON c.iso3 = t.country_iso3
      WHERE ${w1.sql}
      GROUP BY t.country_iso3
     HAVING sum(t.projects) > 0`,
    w1.list,
  );
  const w2 = where('t');
  const pairRows = pairs
    ? await db.query<{ a: string; b: string; projects: number; weight: number }>(
        `SELECT t.a, t.b, sum(t.projects)::bigint AS projects, sum(t.weight)::bigint AS weight
           FROM agg_net_pair t WHERE ${w2.sql} GROUP BY t.a, t.b HAVING sum(t.projects) > 0`,
        w2.list,
      )
    : [];
  const w3 = where('t');
  const [cell] = await db.query<{ projects: number | null; skipped: number | null }>(
    `SELECT sum(t.projects)::bigint AS projects, sum(t.skipped)::bigint AS skipped FROM agg_net_cell t WHERE ${w3.sql}`,
    w3.list,
  );
  return networkSums(countries, pairRows, cell);
}

// ------------------------------------------------------------------------------- registries

/** Funding by one breakdown, from the funding lines themselves. */
export async function tableFundingBy(db: Sql, by: FundingBreakdown, f: DashboardFilter): Promise<FundingUnitRow[]> {
  const { list, p } = params();
  const c = [`f.currency = ${p(f.currency)}`];
  const scope = scopeSql(REGISTRIES.funding, f.scope, p, 'f');
  if (scope) c.push(scope);
  if (f.from !== undefined) c.push(`f.year >= ${p(f.from)}`);
  if (f.to !== undefined) c.push(`f.year <= ${p(f.to)}`);
  if (f.regionPaths) c.push(inPaths('t.attributed_region_id', p(likePaths(f.regionPaths))));
  return fundingRows(
    db,
    by,
    `funding f LEFT JOIN projects p ON p.id = f.project_id
     CROSS JOIN LATERAL (SELECT coalesce(f.region_id, p.region_id) AS attributed_region_id, f.year, f.country_iso3, p.field,
                                f.amount_wan AS amount, 1 AS records) t`,
    c.join(' AND '),
    list,
  );
}

/** Network sums from the projects, their partners and organisations. */
export async function tableNetwork(db: Sql, f: DashboardFilter): Promise<NetworkSums> {
  const { list, p } = params();
  const c: string[] = [];
  const scope = scopeSql(REGISTRIES.projects, f.scope, p, 'p');
  if (scope) c.push(scope);
  if (f.from !== undefined) c.push(`extract(year FROM p.start_date) >= ${p(f.from)}`);
  if (f.to !== undefined) c.push(`extract(year FROM p.start_date) <= ${p(f.to)}`);
  if (f.regionPaths) c.push(inPaths('p.region_id', p(likePaths(f.regionPaths))));
  const rows = await db.query<{ kind: string; a: string | null; b: string | null; name_zh: string | null; name_en: string | null; projects: number; n: number }>(
    `WITH sel AS (SELECT p.id, p.lead_org_id, p.region_id FROM projects p WHERE ${c.length ? c.join(' AND ') : 'TRUE'}),
     parts AS (
       SELECT pp.project_id, coalesce('o' || pp.org_id, 'r' || pp.id) AS part_key,
              coalesce(pp.country_iso3, o.country_iso3, CASE WHEN o.domestic THEN 'CHN' END) AS iso3
         FROM project_partners pp JOIN sel ON sel.id = pp.project_id LEFT JOIN organizations o ON o.id = pp.org_id
       UNION ALL
       SELECT sel.id, 'o' || sel.lead_org_id, coalesce(o.country_iso3, CASE WHEN o.domestic THEN 'CHN' END)
         FROM sel JOIN organizations o ON o.id = sel.lead_org_id
       UNION ALL
       SELECT sel.id, 'home', 'CHN' FROM sel
        WHERE sel.lead_org_id IS NULL AND sel.region_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM project_partners x WHERE x.project_id = sel.id AND x.role IN ('lead', 'coordinator'))),
     pc AS (
       SELECT project_id, iso3, CASE WHEN iso3 IS NULL THEN count(*) ELSE count(DISTINCT part_key) END AS n
         FROM parts GROUP BY project_id, iso3)
     SELECT 'country' AS kind, pc.iso3 AS a, NULL AS b, min(c.name_zh) AS name_zh, min(c.name_en) AS name_en,
            count(*)::bigint AS projects, sum(pc.n)::bigint AS n
       FROM pc LEFT JOIN countries c ON c.iso3 = pc.iso3 WHERE pc.iso3 IS NOT NULL GROUP BY pc.iso3
     UNION ALL
     SELECT 'pair', x.iso3, y.iso3, NULL, NULL, count(*)::bigint, sum(x.n * y.n)::bigint
       FROM pc x JOIN pc y ON y.project_id = x.project_id AND y.iso3 > x.iso3 GROUP BY x.iso3, y.iso3
     UNION ALL
     SELECT 'cell', NULL, NULL, NULL, NULL, count(DISTINCT project_id) FILTER (WHERE iso3 IS NOT NULL),
            coalesce(sum(n) FILTER (WHERE iso3 IS NULL), 0)
       FROM pc`,
    list,
  );
  const countries = rows.filter((r) => r.kind === 'country').map((r) => ({ iso3: r.a!, name_zh: r.name_zh, name_en: r.name_en, projects: r.projects, parts: r.n }));
  const pairs = rows.filter((r) => r.kind === 'pair').map((r) => ({ a: r.a!, b: r.b!, projects: r.projects, weight: r.n }));
  const cell = rows.find((r) => r.kind === 'cell');
  return networkSums(countries, pairs, cell ? { projects: cell.projects, skipped: cell.n } : undefined);
}

// ------------------------------------------------------------------------------- shared

/**
 * One funding breakdown over `source` (which exposes attributed_region_id, year, country_iso3,
 * field, amount, records as `t`): keys and ordering as the funding query reports them.
 */
async function fundingRows(db: Sql, by: FundingBreakdown, source: string, where: string, list: unknown[]): Promise<FundingUnitRow[]> {
  const sums = 'sum(t.amount)::float8 AS amount, sum(t.records)::bigint AS records';
  let sql: string;
  switch (by) {
    case 'year':
      sql = `SELECT t.year AS key, ${sums} FROM ${source} WHERE ${where} GROUP BY t.year ORDER BY t.year`;
      break;
    case 'region':
      sql = `SELECT r.short_name AS key, ${sums} FROM ${source} LEFT JOIN admin_regions r ON r.id = t.attributed_region_id
              WHERE ${where} GROUP BY r.short_name ORDER BY min(r.code), min(r.id)`;
      break;
    case 'country':
      sql = `SELECT t.country_iso3 AS key, min(c.name_zh) AS name_zh, min(c.name_en) AS name_en, ${sums}
               FROM ${source} LEFT JOIN countries c ON c.iso3 = t.country_iso3
              WHERE ${where} GROUP BY t.country_iso3 ORDER BY sum(t.amount) DESC, t.country_iso3`;
      break;
    case 'field':
      sql = `SELECT t.field AS key, ${sums} FROM ${source} WHERE ${where} GROUP BY t.field ORDER BY sum(t.amount) DESC, t.field`;
      break;
  }
  const rows = await db.query<FundingUnitRow>(sql, list);
  return rows.map((r) => ({
    key: r.key === null ? null : by === 'year' ? Number(r.key) : String(r.key),
    ...(by === 'country' ? { name_zh: r.name_zh ?? null, name_en: r.name_en ?? null } : {}),
    amount: Math.round(Number(r.amount) * 10000) / 10000,
    records: Number(r.records),
  }));
}

function networkSums(
  countries: { iso3: string; name_zh: string | null; name_en: string | null; projects: number; parts: number }[],
  pairs: { a: string; b: string; projects: number; weight: number }[],
  cell: { projects: number | null; skipped: number | null } | undefined,
): NetworkSums {
  return {
    countries: countries
      .map((r) => ({ iso3: r.iso3, name_zh: r.name_zh ?? null, name_en: r.name_en ?? null, projects: Number(r.projects), parts: Number(r.parts) }))
      .sort((x, y) => (x.iso3 < y.iso3 ? -1 : x.iso3 > y.iso3 ? 1 : 0)),
    pairs: pairs
      .map((r) => ({ a: r.a, b: r.b, projects: Number(r.projects), weight: Number(r.weight) }))
      .sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0)),
    projects: Number(cell?.projects ?? 0),
    skipped: Number(cell?.skipped ?? 0),
  };
}
