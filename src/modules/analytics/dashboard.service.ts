/**
 * The region dashboard (issue 4): the eight figures an officer opens a region's page for —
 * funding by year, region, country and field; tiers of its regions; concentration on partner
 * countries; the world map by country; and the collaboration-network summary — for one region
 * and period, in one call. They are read from the aggregates of migration 002 (exact under
 * import, edit and undo), or from the registries when the aggregates cannot apply the actor's
 * scope (an organisation's own records) or when asked to (`source: 'tables'`, for checks).
 * dashboard.repo.ts says what each figure counts.
 */
import { AppError, badRequest } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { can, scopeOf } from '../auth/auth.policy.ts';
import { regionsNamed } from '../regions/regions.repo.ts';
import { centralityOf, type EdgeList, type NetworkNode, type NetworkWeight } from './analytics.network.ts';
import { concentration, round, tiersByQuantiles, tiersByThresholds, type UnitValue } from './analytics.stats.ts';
import {
  aggFundingBy,
  aggNetwork,
  aggregatesServe,
  tableFundingBy,
  tableNetwork,
  type DashboardFilter,
  type FundingBreakdown,
  type FundingUnitRow,
  type NetworkSums,
} from './dashboard.repo.ts';

export type DashboardSource = 'aggregates' | 'tables';

export interface DashboardQuery {
  /** Region name, short name or code (all regions of that name); none: every region in scope. */
  region?: string;
  from?: number;
  to?: number;
  currency?: string;
  /** Tiers of the regions by these thresholds (万元); default: three quantile tiers. */
  thresholds?: number[];
  quantiles?: number;
  /** Concentration on the top N countries (default 10). */
  top?: number;
  /** Edge weight of the network summary (default projects). */
  weight?: NetworkWeight;
  /** Nodes listed in the network summary, most central first (default 10). */
  nodes?: number;
  /** Where the figures come from; by default the aggregates when they can serve the actor. */
  source?: DashboardSource;
}

interface Amounts {
  amount: number;
  records: number;
}

export interface MapRow {
  iso3: string;
  name_zh: string | null;
  name_en: string | null;
  projects: number;
  participations: number;
  funding: number;
}

export interface DashboardResult {
  region: { query: string; regions: { id: number; name: string; short_name: string; level: string }[] } | null;
  from: number | null;
  to: number | null;
  unit: '万元';
  currency: string;
  source: DashboardSource;
  by_year: (Amounts & { year: number | null })[];
  by_region: (Amounts & { region: string | null })[];
  by_country: (Amounts & { iso3: string | null; country: string | null; country_en: string | null })[];
  by_field: (Amounts & { field: string | null })[];
  tiers: { by: 'region'; measure: 'amount'; rule: { thresholds: number[] } | { quantiles: number }; tiers: { tier: number; min: number | null; max: number | null; members: { region: string; amount: number }[] }[] };
  concentration: {
    by: 'country';
    measure: 'amount';
    n: number;
    top: number;
    topShare: number | null;
    hhi: number | null;
    gini: number | null;
    total: number;
    members: { rank: number; iso3: string; country: string | null; amount: number; share: number | null; cumulative: number | null }[];
  };
  map: MapRow[];
  network: { level: 'country'; weight: NetworkWeight; nodes: number; edges: number; projects: number; skipped: number; top: NetworkNode[] };
}

/** The analyses are for roles that read `internal` data in general, within their scope. */
function assertMayQuery(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'read', { kind: 'analytics', classification: 'internal' })) {
    throw new AppError('FORBIDDEN', 403, '没有权限查询统计分析', 'You are not allowed to query the analyses');
  }
}

/** Checks a dashboard query and resolves its region: the filter both sources read. */
async function filterOf(ctx: ServiceContext, q: { region?: string; from?: number; to?: number; currency?: string }) {
  for (const [flag, y] of [['from', q.from], ['to', q.to]] as const) {
    if (y !== undefined && (!Number.isInteger(y) || y < 1900 || y > 2200)) {
      throw badRequest('QUERY_PERIOD_INVALID', `年份无效（${flag}）：${y}`, `Invalid year (${flag}): ${y}`);
    }
  }
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
    throw badRequest('QUERY_PERIOD_INVALID', `起始年份 ${q.from} 晚于截止年份 ${q.to}`, `The start year ${q.from} is after the end year ${q.to}`);
  }
  const currency = (q.currency ?? 'CNY').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw badRequest('CURRENCY_INVALID', '币种应为三位字母代码（如 CNY、EUR）', 'Currency must be a three-letter code such as CNY or EUR');
  }
  let region: DashboardResult['region'] = null;
  let regionPaths: string[] | null = null;
  if (q.region !== undefined) {
    const name = q.region.trim();
    const regions = name ? await regionsNamed(ctx.db, name) : [];
    if (!regions.length) throw badRequest('REGION_UNKNOWN', `未知的地区：${q.region}`, `Unknown region: ${q.region}`);
    region = { query: name, regions: regions.map((r) => ({ id: Number(r.id), name: r.name, short_name: r.short_name, level: r.level })) };
    regionPaths = regions.map((r) => r.path);
  }
  const filter: DashboardFilter = { regionPaths, from: q.from, to: q.to, currency, scope: scopeOf(ctx.actor) };
  return { filter, region };
}

function sourceFor(filter: DashboardFilter, asked?: DashboardSource): DashboardSource {
  if (asked === 'aggregates' && !aggregatesServe(filter.scope)) {
    throw badRequest(
      'DASHBOARD_SOURCE_UNAVAILABLE',
      '预汇总数据不区分机构，无法按本账号的机构范围作答，请改用 source=tables',
      "The aggregates do not keep organisations, so they cannot answer within this account's organisation scope; use source=tables",
    );
  }
  return asked ?? (aggregatesServe(filter.scope) ? 'aggregates' : 'tables');
}

/** The eight figures of the dashboard, in the order of the reply. */
export const DASHBOARD_PARTS = ['by_year', 'by_region', 'by_country', 'by_field', 'tiers', 'concentration', 'map', 'network'] as const;
export type DashboardPart = (typeof DASHBOARD_PARTS)[number];

/** The queries behind the figures, each run once however many figures use it. */
function loader(ctx: ServiceContext, source: DashboardSource, filter: DashboardFilter) {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, run());
    return memo.get(key) as Promise<T>;
  };
  return {
    funding: (by: FundingBreakdown) =>
      once(`funding:${by}`, () => (source === 'aggregates' ? aggFundingBy(ctx.db, by, filter) : tableFundingBy(ctx.db, by, filter))),
    /** Countries and totals of the network, with its pairs when `pairs` (the map needs none). */
    network: (pairs: boolean) =>
      memo.has('network:pairs')
        ? (memo.get('network:pairs') as Promise<NetworkSums>)
        : once(`network:${pairs ? 'pairs' : 'nodes'}`, () => (source === 'aggregates' ? aggNetwork(ctx.db, filter, pairs) : tableNetwork(ctx.db, filter))),
  };
}

/** Checked options of the figures (tiers, concentration, network). */
interface PartOptions {
  thresholds?: number[];
  quantiles: number;
  top: number;
  weight: NetworkWeight;
  listed: number;
}

function partOptions(q: DashboardQuery): PartOptions {
  if (q.thresholds !== undefined && q.quantiles !== undefined) {
    throw badRequest('TIERS_SPEC_INVALID', '请给出分档阈值或分位数档数（二者选一）', 'Give either thresholds or a number of quantile tiers (one of the two)');
  }
  if (q.thresholds !== undefined && (!q.thresholds.length || q.thresholds.length > 19 || q.thresholds.some((t) => !Number.isFinite(t) || t < 0) || new Set(q.thresholds).size !== q.thresholds.length)) {
    throw badRequest('TIERS_SPEC_INVALID', '分档阈值应为1至19个互不相同的非负数', 'Give from 1 to 19 distinct non-negative thresholds');
  }
  const quantiles = q.quantiles ?? 3;
  if (!Number.isInteger(quantiles) || quantiles < 2 || quantiles > 20) {
    throw badRequest('TIERS_SPEC_INVALID', `分位数档数应为2至20的整数：${quantiles}`, `The number of quantile tiers must be an integer from 2 to 20: ${quantiles}`);
  }
  const top = q.top ?? 10;
  if (!Number.isInteger(top) || top < 1 || top > 1000) {
    throw badRequest('CONCENTRATION_TOP_INVALID', `前N位应为1至1000的整数：${top}`, `Top N must be an integer from 1 to 1000: ${top}`);
  }
  const listed = q.nodes ?? 10;
  if (!Number.isInteger(listed) || listed < 0 || listed > 1000) {
    throw badRequest('NETWORK_NODES_INVALID', `列出的节点数应为0至1000的整数：${listed}`, `The number of nodes listed must be an integer from 0 to 1000: ${listed}`);
  }
  return { thresholds: q.thresholds, quantiles, top, weight: q.weight ?? 'projects', listed };
}

type Loader = ReturnType<typeof loader>;

/** Each figure from the loader's queries. */
const PART: { [K in DashboardPart]: (l: Loader, o: PartOptions) => Promise<DashboardResult[K]> } = {
  by_year: async (l) => (await l.funding('year')).map((r) => ({ year: r.key as number | null, amount: r.amount, records: r.records })),
  by_region: async (l) => (await l.funding('region')).map((r) => ({ region: r.key as string | null, amount: r.amount, records: r.records })),
  by_country: async (l) =>
    (await l.funding('country')).map((r) => ({ iso3: r.key as string | null, country: r.name_zh ?? null, country_en: r.name_en ?? null, amount: r.amount, records: r.records })),
  by_field: async (l) => (await l.funding('field')).map((r) => ({ field: r.key as string | null, amount: r.amount, records: r.records })),
  tiers: async (l, o) => {
    const units: UnitValue[] = (await l.funding('region')).filter((r) => r.key !== null).map((r) => ({ unit: String(r.key), value: r.amount }));
    const tiers = o.thresholds !== undefined ? tiersByThresholds(units, o.thresholds) : tiersByQuantiles(units, o.quantiles);
    return {
      by: 'region',
      measure: 'amount',
      rule: o.thresholds !== undefined ? { thresholds: o.thresholds } : { quantiles: o.quantiles },
      tiers: tiers.map((t) => ({ tier: t.tier, min: t.min, max: t.max, members: t.members.map((m) => ({ region: m.unit, amount: m.value })) })),
    };
  },
  concentration: async (l, o) => {
    const byCountry = await l.funding('country');
    const units = byCountry.filter((r) => r.key !== null).map((r) => ({ unit: String(r.key), value: r.amount }));
    const c = concentration(units, o.top);
    const nameOf = new Map(byCountry.map((r) => [r.key, r.name_zh ?? null]));
    return {
      by: 'country',
      measure: 'amount',
      n: c.n,
      top: c.top,
      topShare: c.topShare,
      hhi: c.hhi,
      gini: c.gini,
      total: round(units.reduce((s, u) => s + u.value, 0), 4),
      members: c.members.slice(0, o.top).map((m) => ({ rank: m.rank, iso3: m.unit, country: nameOf.get(m.unit) ?? null, amount: m.value, share: m.share, cumulative: m.cumulative })),
    };
  },
  map: async (l) => mapRows(await l.network(false), await l.funding('country')),
  network: async (l, o) => {
    const net = await l.network(true);
    const graph = networkGraph(net, o.weight);
    return { level: 'country', weight: o.weight, nodes: graph.nodes.length, edges: graph.edges, projects: net.projects, skipped: net.skipped, top: graph.nodes.slice(0, o.listed) };
  },
};

/** The eight dashboard figures for a region and period. */
export async function queryDashboard(ctx: ServiceContext, q: DashboardQuery = {}): Promise<DashboardResult> {
  assertMayQuery(ctx);
  const o = partOptions(q);
  const { filter, region } = await filterOf(ctx, q);
  const source = sourceFor(filter, q.source);
  const l = loader(ctx, source, filter);
  // The network first, so that the map reuses its countries (one after the other: PGlite serves one query at a time).
  const network = await PART.network(l, o);
  const out = { region, from: q.from ?? null, to: q.to ?? null, unit: '万元' as const, currency: filter.currency, source } as DashboardResult;
  for (const part of DASHBOARD_PARTS) (out as unknown as Record<string, unknown>)[part] = part === 'network' ? network : await PART[part](l, o);
  return out;
}

/** One of the eight figures alone — what one panel of the page loads (the benchmark times each). */
export async function queryDashboardPart<K extends DashboardPart>(ctx: ServiceContext, part: K, q: DashboardQuery = {}): Promise<DashboardResult[K]> {
  assertMayQuery(ctx);
  if (!(DASHBOARD_PARTS as readonly string[]).includes(part)) {
    throw badRequest('DASHBOARD_PART_UNKNOWN', `未知的看板内容：${part}（可选：${DASHBOARD_PARTS.join('、')}）`, `Unknown dashboard figure: ${part} (one of ${DASHBOARD_PARTS.join(', ')})`);
  }
  const o = partOptions(q);
  const { filter } = await filterOf(ctx, q);
  return PART[part](loader(ctx, sourceFor(filter, q.source), filter), o);
}

export interface MapQuery {
  region?: string;
  from?: number;
  to?: number;
  currency?: string;
  source?: DashboardSource;
}

export interface MapResult {
  region: DashboardResult['region'];
  from: number | null;
  to: number | null;
  unit: '万元';
  currency: string;
  source: DashboardSource;
  countries: MapRow[];
}

/** Partner countries for the world map: projects, participations and funding (万元) by country. */
export async function queryMap(ctx: ServiceContext, q: MapQuery = {}): Promise<MapResult> {
  assertMayQuery(ctx);
  const { filter, region } = await filterOf(ctx, q);
  const source = sourceFor(filter, q.source);
  const countries = await PART.map(loader(ctx, source, filter), partOptions({}));
  return { region, from: q.from ?? null, to: q.to ?? null, unit: '万元', currency: filter.currency, source, countries };
}

/** Every country with participations or funding, most projects first. */
function mapRows(net: NetworkSums, byCountry: FundingUnitRow[]): MapRow[] {
  const rows = new Map<string, MapRow>();
  for (const c of net.countries) rows.set(c.iso3, { iso3: c.iso3, name_zh: c.name_zh, name_en: c.name_en, projects: c.projects, participations: c.parts, funding: 0 });
  for (const f of byCountry) {
    if (f.key === null) continue;
    const iso3 = String(f.key);
    const row = rows.get(iso3) ?? { iso3, name_zh: f.name_zh ?? null, name_en: f.name_en ?? null, projects: 0, participations: 0, funding: 0 };
    row.funding = f.amount;
    rows.set(iso3, row);
  }
  return [...rows.values()].sort((a, b) => b.projects - a.projects || b.funding - a.funding || (a.iso3 < b.iso3 ? -1 : 1));
}

/** The country network of the sums, with centrality as analytics.network.ts computes it. */
export function networkGraph(net: NetworkSums, weight: NetworkWeight): { nodes: NetworkNode[]; edges: number } {
  const list: EdgeList = { nodes: new Map(), edges: new Map(), projects: net.projects, skipped: net.skipped };
  for (const c of net.countries) list.nodes.set(c.iso3, c.name_zh);
  for (const p of net.pairs) list.edges.set(`${p.a}\u0000${p.b}`, { a: p.a, b: p.b, weight: weight === 'projects' ? p.projects : p.weight });
  const g = centralityOf(list);
  return { nodes: g.nodes, edges: g.edges };
}
