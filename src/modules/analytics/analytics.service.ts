/**
 * The analyses of the papers as services the API and the CLI share: tiers (方阵), concentration,
 * trends and stability, the collaboration network, and the country strategy. Funding-based
 * analyses read their unit totals through the funding query (so periods, conditions, currency
 * and the actor's region scope mean exactly what they mean there), then compute in
 * analytics.stats.ts; the network and the strategy read analytics.repo.ts.
 */
import { AppError, badRequest, notFound } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { can, scopeOf } from '../auth/auth.policy.ts';
import { resolveCountries } from '../countries/countries.resolve.ts';
import { queryFunding, type FundingDimension } from '../query/funding.service.ts';
import { LEVELS } from '../registries/enums.ts';
import { regionsNamed } from '../regions/regions.repo.ts';
import {
  countriesWithIndicator,
  countryCooperation,
  countryProfiles,
  districtShortNames,
  groupCode,
  groupMembers,
  latestIndicatorValues,
  PARTNER_UNIT_DIMENSIONS,
  participations,
  partnerUnitRows,
  unresolvedCountryNames,
  type PartnerUnitDimension,
  type ProjectFilter,
  type UnresolvedNameRow,
} from './analytics.repo.ts';
import { centralityOf, collaborationEdges, networkLinks, type NetworkLink, type NetworkNode, type NetworkWeight } from './analytics.network.ts';
import { concentration, round, seriesStats, SHAPE_LABELS, tiersByQuantiles, tiersByThresholds, type SeriesStats, type UnitValue } from './analytics.stats.ts';
import {
  DEFAULT_STRATEGY_RULES,
  DIRECTION_LABELS,
  DIRECTIONS,
  innovationLevel,
  suggestDirection,
  type Direction,
  type InnovationLevel,
  type StrategyRules,
} from './analytics.strategy.ts';

export const MEASURES = ['amount', 'projects', 'records'] as const;
export type Measure = (typeof MEASURES)[number];

/**
 * Measures counted on the partner rows (project_partners) rather than on funding lines:
 * participations (partner rows) and partner projects (distinct projects among them). By
 * country they count the partner countries even when the funding lines name none (the seed
 * tables). Concentration offers them.
 */
export const PARTNER_MEASURES = ['participations', 'partner_projects'] as const;
export type PartnerMeasure = (typeof PARTNER_MEASURES)[number];
export const CONCENTRATION_MEASURES = [...MEASURES, ...PARTNER_MEASURES] as const;
export type ConcentrationMeasure = (typeof CONCENTRATION_MEASURES)[number];
const isPartnerMeasure = (m: string): m is PartnerMeasure => (PARTNER_MEASURES as readonly string[]).includes(m);

export const MEASURE_LABELS: Record<ConcentrationMeasure, { zh: string; en: string }> = {
  amount: { zh: '经费（万元）', en: 'Funding (CNY 10k)' },
  projects: { zh: '项目数', en: 'Projects' },
  records: { zh: '记录数', en: 'Records' },
  participations: { zh: '参与次数', en: 'Participations' },
  partner_projects: { zh: '合作项目数', en: 'Partner projects' },
};

/** Units of a funding dimension and the period, conditions and measure to total them on. */
export interface UnitQuery {
  by: FundingDimension;
  measure?: Measure;
  from?: number;
  to?: number;
  where?: Record<string, string>;
  currency?: string;
  /**
   * By region: keep only districts (辖市区: kinds district, county, county-level city and former
   * district), leaving out 市直属 (city-direct) units, parks (科教城) and other units.
   */
  districtsOnly?: boolean;
}

type Label = string | number;

/** A unit's label as the dimension reports it (years stay numbers) and its value. */
interface UnitTotals {
  units: UnitValue[];
  labels: Map<string, Label>;
  /** Records whose dimension value is empty (funding with no country, …): not a unit. */
  unassigned: { value: number; records: number } | null;
}

/**
 * The analyses aggregate unpublished records, each within the actor's data scope: they are for
 * roles that read `internal` data in general (officers, evaluators, administrators).
 */
function assertMayQuery(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'read', { kind: 'analytics', classification: 'internal' })) {
    throw new AppError('FORBIDDEN', 403, '没有权限查询统计分析', 'You are not allowed to query the analyses');
  }
}

function checkDistrictsOnly(q: Pick<UnitQuery, 'by' | 'districtsOnly'>): void {
  if (q.districtsOnly && q.by !== 'region') {
    throw badRequest('ANALYTICS_DISTRICTS_ONLY_NEEDS_REGION', '“仅辖市区”只适用于按地区（region）分组', '"Districts only" applies only when grouping by region');
  }
}

/**
 * Totals of each unit on the measure: amount (sum of funding in 万元), records (funding lines),
 * projects (distinct projects among those funding lines — funding without a project counts
 * for amount and records only).
 */
async function unitTotals(ctx: ServiceContext, q: UnitQuery): Promise<UnitTotals> {
  checkDistrictsOnly(q);
  const measure = q.measure ?? 'amount';
  const dims: FundingDimension[] = measure === 'projects' && q.by !== 'project' ? [q.by, 'project'] : [q.by];
  const res = await queryFunding(ctx, { by: dims, from: q.from, to: q.to, where: q.where, currency: q.currency });
  const totals = new Map<string, number>();
  const labels = new Map<string, Label>();
  let unassigned: { value: number; records: number } | null = null;
  for (const r of res.rows) {
    const label = r[q.by];
    const v = measure === 'amount' ? Number(r.amount) : measure === 'records' ? Number(r.records) : r.project == null ? 0 : 1;
    if (label === null || label === undefined) {
      unassigned ??= { value: 0, records: 0 };
      unassigned.value += v;
      unassigned.records += Number(r.records);
      continue;
    }
    const key = String(label);
    labels.set(key, label);
    totals.set(key, (totals.get(key) ?? 0) + v);
  }
  let keys = [...totals.keys()];
  if (q.districtsOnly) {
    const districts = await districtShortNames(ctx.db, keys);
    keys = keys.filter((k) => districts.has(k));
  }
  if (unassigned) unassigned.value = round(unassigned.value, 4);
  return { units: keys.map((k) => ({ unit: k, value: round(totals.get(k)!, 4) })), labels, unassigned };
}

const member = (by: string, measure: string, labels: Map<string, Label>, u: UnitValue) => ({ [by]: labels.get(u.unit) ?? u.unit, [measure]: u.value });

/** The conditions a participation measure accepts: those of the network (year: the project's start year). */
const PARTNER_WHAT = { zh: '参与次数、合作项目数', en: 'participations and partner projects', keys: PARTNER_UNIT_DIMENSIONS };

/**
 * Totals of each unit on a participation measure (see PARTNER_MEASURES), within the projects
 * the actor sees: by country the participant's country, by the other dimensions the project's
 * attribute (year: its start year, and the period `from`–`to` is on start years too). By
 * country each unit also carries its ISO3 code. Funding sources are not a participation
 * dimension.
 */
async function partnerUnitTotals(ctx: ServiceContext, q: Omit<UnitQuery, 'measure'> & { measure: PartnerMeasure }): Promise<UnitTotals & { iso3: Map<string, string> }> {
  checkDistrictsOnly(q);
  if (!(PARTNER_UNIT_DIMENSIONS as readonly string[]).includes(q.by)) {
    throw badRequest(
      'ANALYTICS_MEASURE_DIMENSION',
      `度量“${MEASURE_LABELS[q.measure].zh}”不能按${q.by}分组（可选：${PARTNER_UNIT_DIMENSIONS.join('、')}）`,
      `The measure "${MEASURE_LABELS[q.measure].en}" cannot be grouped by ${q.by} (one of ${PARTNER_UNIT_DIMENSIONS.join(', ')})`,
    );
  }
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
    throw badRequest('QUERY_PERIOD_INVALID', `起始年份 ${q.from} 晚于截止年份 ${q.to}`, `The start year ${q.from} is after the end year ${q.to}`);
  }
  const filter = await projectFilter(ctx, q.where ?? {}, PARTNER_WHAT);
  if (q.from !== undefined) filter.fromYear = q.from;
  if (q.to !== undefined) filter.toYear = q.to;
  const rows = await partnerUnitRows(ctx.db, q.by as PartnerUnitDimension, filter);
  const totals = new Map<string, number>();
  const labels = new Map<string, Label>();
  const iso3 = new Map<string, string>();
  let unassigned: { value: number; records: number } | null = null;
  for (const r of rows) {
    const v = q.measure === 'participations' ? r.participations : r.projects;
    const label: Label | null =
      r.key === null ? null : q.by === 'country' ? (r.name_zh ?? String(r.key)) : q.by === 'level' ? (LEVELS.find((l) => l.value === r.key)?.zh ?? String(r.key)) : r.key;
    if (label === null) {
      unassigned ??= { value: 0, records: 0 };
      unassigned.value += v;
      unassigned.records += r.participations;
      continue;
    }
    const key = String(label);
    labels.set(key, label);
    totals.set(key, (totals.get(key) ?? 0) + v);
    if (q.by === 'country') iso3.set(key, String(r.key));
  }
  let keys = [...totals.keys()];
  if (q.districtsOnly) {
    const districts = await districtShortNames(ctx.db, keys, 'projects');
    keys = keys.filter((k) => districts.has(k));
  }
  return { units: keys.map((k) => ({ unit: k, value: totals.get(k)! })), labels, unassigned, iso3 };
}

export interface TiersQuery extends UnitQuery {
  /** Lower bounds of the tiers above the last, in any order: [2000, 1000] → ≥ 2000, 1000–2000, < 1000. */
  thresholds?: number[];
  /** Or: this many tiers cut at quantiles of the unit values. */
  quantiles?: number;
}

export interface TiersResult {
  tiers: { tier: number; min: number | null; max: number | null; members: Record<string, Label>[] }[];
}

/** Tiers (方阵) of units by thresholds or quantiles on a measure (002 §2.2: 一级、二级、三级方阵). */
export async function queryTiers(ctx: ServiceContext, q: TiersQuery): Promise<TiersResult> {
  assertMayQuery(ctx);
  if ((q.thresholds === undefined) === (q.quantiles === undefined)) {
    throw badRequest('TIERS_SPEC_INVALID', '请给出分档阈值或分位数档数（二者选一）', 'Give either thresholds or a number of quantile tiers (one of the two)');
  }
  if (q.thresholds !== undefined) checkThresholds(q.thresholds);
  if (q.quantiles !== undefined && (!Number.isInteger(q.quantiles) || q.quantiles < 2 || q.quantiles > 20)) {
    throw badRequest('TIERS_SPEC_INVALID', `分位数档数应为2至20的整数：${q.quantiles}`, `The number of quantile tiers must be an integer from 2 to 20: ${q.quantiles}`);
  }
  const measure = q.measure ?? 'amount';
  const { units, labels } = await unitTotals(ctx, q);
  const tiers = q.thresholds !== undefined ? tiersByThresholds(units, q.thresholds) : tiersByQuantiles(units, q.quantiles!);
  return { tiers: tiers.map((t) => ({ tier: t.tier, min: t.min, max: t.max, members: t.members.map((u) => member(q.by, measure, labels, u)) })) };
}

/** Parses "2000,1000" into thresholds, refusing non-numbers, negatives and repeats. */
export function parseThresholds(spec: string): number[] {
  const parts = spec.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  const values = parts.map(Number);
  if (!parts.length || values.some((v) => !Number.isFinite(v))) {
    throw badRequest('TIERS_SPEC_INVALID', `分档阈值应为逗号分隔的数字：${spec}`, `Thresholds must be comma-separated numbers: ${spec}`);
  }
  checkThresholds(values);
  return values;
}

function checkThresholds(values: number[]): void {
  if (!values.length || values.length > 19) {
    throw badRequest('TIERS_SPEC_INVALID', '分档阈值应有1至19个', 'Give from 1 to 19 thresholds');
  }
  if (values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw badRequest('TIERS_SPEC_INVALID', '分档阈值应为非负数', 'Thresholds must be non-negative numbers');
  }
  if (new Set(values).size !== values.length) throw badRequest('TIERS_SPEC_INVALID', '分档阈值重复', 'A threshold is repeated');
}

export interface ConcentrationQuery extends Omit<UnitQuery, 'measure'> {
  /** A funding measure (MEASURES) or a participation measure (PARTNER_MEASURES). */
  measure?: ConcentrationMeasure;
  top: number;
}

export interface ConcentrationResult {
  n: number;
  top: number;
  topShare: number | null;
  hhi: number | null;
  gini: number | null;
  /** Ranked units: rank, the unit under the dimension's name, the measure, share, cumulative (by country on a participation measure, also iso3). */
  members: Record<string, Label | null>[];
  measure: ConcentrationMeasure;
  total: number;
  /** Records with no unit (funding lines without a country; on a participation measure, participations). */
  unassigned: { value: number; records: number } | null;
}

/** Concentration of a measure on the top N units: top-N share, HHI and Gini (formulas in analytics.stats.ts). */
export async function queryConcentration(ctx: ServiceContext, q: ConcentrationQuery): Promise<ConcentrationResult> {
  assertMayQuery(ctx);
  if (!Number.isInteger(q.top) || q.top < 1 || q.top > 1000) {
    throw badRequest('CONCENTRATION_TOP_INVALID', `前N位应为1至1000的整数：${q.top}`, `Top N must be an integer from 1 to 1000: ${q.top}`);
  }
  const measure = q.measure ?? 'amount';
  const { units, labels, unassigned, iso3 } = isPartnerMeasure(measure)
    ? await partnerUnitTotals(ctx, { ...q, measure })
    : { ...(await unitTotals(ctx, { ...q, measure })), iso3: null };
  const c = concentration(units, q.top);
  return {
    n: c.n,
    top: c.top,
    topShare: c.topShare,
    hhi: c.hhi,
    gini: c.gini,
    members: c.members.map((m) => ({
      rank: m.rank,
      ...member(q.by, measure, labels, m),
      ...(iso3?.has(m.unit) ? { iso3: iso3.get(m.unit)! } : {}),
      share: m.share,
      cumulative: m.cumulative,
    })),
    measure,
    total: round(units.reduce((s, u) => s + u.value, 0), 4),
    unassigned,
  };
}

export interface TrendsQuery extends UnitQuery {
  /** A unit whose coefficient of variation reaches this is flagged unstable (default 0.5). */
  cvThreshold?: number;
}

/** A unit's series statistics with the shape named in Chinese. */
type TrendStats = SeriesStats & { shape_zh: string };

export interface TrendsResult {
  measure: Measure;
  years: number[];
  cvThreshold: number;
  /** The yearly totals of all units (the paper's "W": 5636, 2406, 3946, 1188 → ↓↑↓). */
  overall: TrendStats;
  /** Every unit, least stable (highest CV) first. */
  units: (TrendStats & { unstable: boolean; [dimension: string]: unknown })[];
}

/** Year-on-year change, CAGR, coefficient of variation and shape per unit and overall. */
export async function queryTrends(ctx: ServiceContext, q: TrendsQuery): Promise<TrendsResult> {
  assertMayQuery(ctx);
  if (q.by === 'year') throw badRequest('TRENDS_BY_YEAR', '年份是趋势的时间轴，请按其他维度分组', 'Year is the time axis of a trend; group by another dimension');
  const cvThreshold = q.cvThreshold ?? 0.5;
  if (!Number.isFinite(cvThreshold) || cvThreshold <= 0) {
    throw badRequest('TRENDS_CV_THRESHOLD_INVALID', `变异系数阈值应为正数：${cvThreshold}`, `The CV threshold must be a positive number: ${cvThreshold}`);
  }
  checkDistrictsOnly(q);
  const measure = q.measure ?? 'amount';
  const dims: FundingDimension[] = measure === 'projects' && q.by !== 'project' ? [q.by, 'year', 'project'] : [q.by, 'year'];
  const res = await queryFunding(ctx, { by: dims, from: q.from, to: q.to, where: q.where, currency: q.currency });
  const present = res.rows.map((r) => Number(r.year));
  const first = q.from ?? (present.length ? Math.min(...present) : undefined);
  const last = q.to ?? (present.length ? Math.max(...present) : undefined);
  const years: number[] = [];
  if (first !== undefined && last !== undefined) for (let y = first; y <= last; y++) years.push(y);
  const index = new Map(years.map((y, i) => [y, i]));
  const perUnit = new Map<string, number[]>();
  const labels = new Map<string, Label>();
  const overall = years.map(() => 0);
  for (const r of res.rows) {
    const i = index.get(Number(r.year));
    if (i === undefined) continue;
    const v = measure === 'amount' ? Number(r.amount) : measure === 'records' ? Number(r.records) : r.project == null ? 0 : 1;
    overall[i] += v;
    const label = r[q.by];
    if (label === null || label === undefined) continue;
    const key = String(label);
    labels.set(key, label);
    let series = perUnit.get(key);
    if (!series) perUnit.set(key, (series = years.map(() => 0)));
    series[i] += v;
  }
  let keys = [...perUnit.keys()];
  if (q.districtsOnly) {
    const districts = await districtShortNames(ctx.db, keys);
    keys = keys.filter((k) => districts.has(k));
  }
  const stats = (values: number[]): TrendStats => {
    const s = seriesStats(years, values.map((v) => round(v, 4)));
    return { ...s, shape_zh: SHAPE_LABELS[s.shape].zh };
  };
  const units = keys.map((k) => {
    const s = stats(perUnit.get(k)!);
    return { [q.by]: labels.get(k)!, ...s, unstable: s.cv !== null && s.cv >= cvThreshold };
  });
  units.sort((a, b) => (b.cv ?? -1) - (a.cv ?? -1) || b.total - a.total);
  return { measure, years, cvThreshold, overall: stats(overall), units };
}

export const NETWORK_LEVELS = ['country', 'organization'] as const;
export type NetworkLevel = (typeof NETWORK_LEVELS)[number];
export const NETWORK_WEIGHTS = ['projects', 'participations'] as const;
/** The conditions a network accepts: project attributes (year: the project's start year). */
export const NETWORK_CONDITIONS = ['year', 'region', 'country', 'level', 'field', 'mode', 'project', 'industry'] as const;

export interface NetworkQuery {
  level: NetworkLevel;
  weight?: NetworkWeight;
  where?: Record<string, string>;
  /**
   * Count each project's lead side (default true): its lead organisation, or — at country level
   * — China for a project registered under a Chinese region with no lead named.
   */
  lead?: boolean;
  /** Also give the edge list (for drawing the graph). */
  links?: boolean;
  /** With `links`: when the graph has more nodes than this (default 80), only the edges among this many nodes of highest degree. */
  linkNodes?: number;
}

/** Default and largest number of nodes whose edges `links` gives. */
export const LINK_NODES_DEFAULT = 80;
export const LINK_NODES_MAX = 1000;

export interface NetworkResult {
  level: NetworkLevel;
  weight: NetworkWeight;
  nodes: NetworkNode[];
  edges: number;
  projects: number;
  skipped: number;
  /** With `links`: the edges, heaviest first (`edges` still counts all of them). */
  links?: NetworkLink[];
  /** With `links`: N when the links are only those among the N nodes of highest degree (then weighted degree); null when they are all. */
  links_limited_to?: number | null;
}

/** The collaboration network of countries or organisations from project partnerships, with centrality. */
export async function queryNetwork(ctx: ServiceContext, q: NetworkQuery): Promise<NetworkResult> {
  assertMayQuery(ctx);
  const weight = q.weight ?? 'projects';
  const linkNodes = q.linkNodes ?? LINK_NODES_DEFAULT;
  if (!Number.isInteger(linkNodes) || linkNodes < 1 || linkNodes > LINK_NODES_MAX) {
    throw badRequest(
      'NETWORK_LINK_NODES_INVALID',
      `连线节点数应为1至${LINK_NODES_MAX}的整数：${linkNodes}`,
      `The number of nodes to give links for must be an integer from 1 to ${LINK_NODES_MAX}: ${linkNodes}`,
    );
  }
  const filter = await projectFilter(ctx, q.where ?? {}, NETWORK_WHAT);
  const rows = await participations(ctx.db, filter, { lead: q.lead ?? true, home: q.level === 'country' ? 'CHN' : null });
  const parts = rows.map((r) =>
    q.level === 'country'
      ? { project: r.project_id, key: r.part_key, node: r.country_iso3, label: r.country_name }
      : { project: r.project_id, key: r.part_key, node: r.org_id === null ? null : String(r.org_id), label: r.org_name },
  );
  const list = collaborationEdges(parts, weight);
  const g = centralityOf(list);
  if (!q.links) return { level: q.level, weight, ...g };
  const { links, limitedTo } = networkLinks(list, g.nodes, linkNodes);
  return { level: q.level, weight, ...g, links, links_limited_to: limitedTo };
}

const NETWORK_WHAT = { zh: '合作网络', en: 'the network', keys: NETWORK_CONDITIONS };

/** Conditions on projects (network, participation measures), resolved to ids and codes. */
async function projectFilter(
  ctx: ServiceContext,
  where: Record<string, string>,
  what: { zh: string; en: string; keys: readonly string[] },
): Promise<ProjectFilter> {
  const f: ProjectFilter = { scope: scopeOf(ctx.actor) };
  for (const [key, value] of Object.entries(where)) {
    switch (key) {
      case 'year': {
        const y = Number(value);
        if (!Number.isInteger(y)) throw badRequest('QUERY_CONDITION_INVALID', `年份无效：${value}`, `Invalid year: ${value}`);
        f.startYear = y;
        break;
      }
      case 'region': {
        const regions = await regionsNamed(ctx.db, value);
        if (!regions.length) throw badRequest('REGION_UNKNOWN', `未知的地区：${value}`, `Unknown region: ${value}`);
        f.regionPaths = regions.map((r) => r.path);
        break;
      }
      case 'country': {
        const [c] = await resolveCountries(ctx.db, [value]);
        if (!c?.iso3) throw badRequest('COUNTRY_UNRESOLVED', `无法识别的国家或地区：${value}`, `Unknown country or region: ${value}`);
        f.countryIso3 = c.iso3;
        break;
      }
      case 'level': {
        const lv = LEVELS.find((l) => l.value === value || l.zh === value || l.en.toLowerCase() === value.toLowerCase());
        if (!lv) throw badRequest('QUERY_CONDITION_INVALID', `未知的层级：${value}`, `Unknown level: ${value}`);
        f.level = lv.value;
        break;
      }
      case 'field':
        f.field = value;
        break;
      case 'mode':
        f.mode = value;
        break;
      case 'industry':
        f.industry = value;
        break;
      case 'project':
        f.projectCode = value;
        break;
      default:
        throw badRequest(
          'QUERY_CONDITION_UNKNOWN',
          `${what.zh}不支持的条件字段：${key}（可选：${what.keys.join('、')}）`,
          `Unknown condition key for ${what.en}: ${key} (one of ${what.keys.join(', ')})`,
        );
    }
  }
  return f;
}

export interface StrategyQuery {
  /** List this group's members (e.g. BRI), whether or not we cooperate with them. */
  group?: string;
  /** List partner countries and every country with an innovation-level value. */
  all?: boolean;
  rules?: StrategyRules;
}

export interface StrategyCountry {
  iso3: string;
  name_zh: string;
  name_en: string;
  groups: string[];
  innovation: { indicator: string; year: number; value: string; ranked: boolean; rank_min: number | null; rank_max: number | null } | null;
  cooperation: { projects: number; funding: number; funding_records: number; platforms: number; mechanisms: number };
  home: boolean;
  direction: Direction | null;
  direction_zh: string | null;
  direction_en: string | null;
  reason_zh: string;
  reason_en: string;
}

export interface StrategyResult {
  rules: StrategyRules;
  countries: StrategyCountry[];
  /** Countries listed per innovation-level value ("1-20", …, "不在排名榜内"; null: no value). */
  bands: { band: string | null; ranked: boolean; min: number | null; countries: number }[];
  directions: Record<Direction | 'none', number>;
  /** Names the indicator's imports could not resolve to a country, so the counts above leave them out. */
  unresolved: UnresolvedNameRow[];
}

/**
 * The country strategy (003 §4.1): every partner country (by default: any project participant,
 * funding line, platform or mechanism with it, in the actor's regions; or a group's members, or
 * with `all` every country with an innovation level too), its innovation level, memberships,
 * our cooperation with it, and the suggested direction with its reason.
 */
export async function queryStrategy(ctx: ServiceContext, q: StrategyQuery = {}): Promise<StrategyResult> {
  assertMayQuery(ctx);
  const rules = q.rules ?? DEFAULT_STRATEGY_RULES;
  const indicators = [rules.indicator.rank, rules.indicator.band];
  const year = rules.indicator.year;
  const coop = await countryCooperation(ctx.db, scopeOf(ctx.actor));
  const coopOf = new Map(coop.map((c) => [c.iso3, c]));
  let iso3s: string[];
  if (q.group !== undefined) {
    const code = await groupCode(ctx.db, q.group);
    if (!code) throw notFound('country group', q.group);
    iso3s = await groupMembers(ctx.db, code);
  } else {
    iso3s = coop.map((c) => c.iso3).filter((c) => c !== rules.home);
    if (q.all) iso3s = [...new Set([...iso3s, ...(await countriesWithIndicator(ctx.db, indicators, year))])];
  }
  const [profiles, values, unresolved] = await Promise.all([
    countryProfiles(ctx.db, iso3s),
    latestIndicatorValues(ctx.db, indicators, year),
    unresolvedCountryNames(ctx.db, indicators, year),
  ]);
  const byKey = new Map(values.map((v) => [`${v.iso3}|${v.indicator}`, v]));
  const valueOf = (iso3: string, indicator: string) => byKey.get(`${iso3}|${indicator}`) ?? null;
  const countries: (StrategyCountry & { level: InnovationLevel })[] = profiles.map((c) => {
    const level = innovationLevel(valueOf(c.iso3, rules.indicator.rank), valueOf(c.iso3, rules.indicator.band));
    const verdict = suggestDirection({ iso3: c.iso3, groups: c.groups, level }, rules);
    const co = coopOf.get(c.iso3);
    return {
      iso3: c.iso3,
      name_zh: c.name_zh,
      name_en: c.name_en,
      groups: c.groups,
      innovation:
        level.status === 'none'
          ? null
          : {
              indicator: level.indicator,
              year: level.year,
              value: level.value,
              ranked: level.status === 'ranked',
              rank_min: level.status === 'ranked' ? level.min : null,
              rank_max: level.status === 'ranked' ? level.max : null,
            },
      cooperation: {
        projects: co?.projects ?? 0,
        funding: round(co?.funding ?? 0, 4),
        funding_records: co?.funding_records ?? 0,
        platforms: co?.platforms ?? 0,
        mechanisms: co?.mechanisms ?? 0,
      },
      home: c.iso3 === rules.home,
      direction: verdict.direction,
      direction_zh: verdict.direction ? DIRECTION_LABELS[verdict.direction].zh : null,
      direction_en: verdict.direction ? DIRECTION_LABELS[verdict.direction].en : null,
      reason_zh: verdict.reason_zh,
      reason_en: verdict.reason_en,
      level,
    };
  });
  // Best-ranked first, unranked after the ranked, no data last; then by cooperation.
  const order = (c: { level: InnovationLevel }) => (c.level.status === 'ranked' ? c.level.min : c.level.status === 'unranked' ? 1e9 : 2e9);
  countries.sort((a, b) => order(a) - order(b) || b.cooperation.projects - a.cooperation.projects || (a.iso3 < b.iso3 ? -1 : 1));
  const bands = new Map<string, { band: string | null; ranked: boolean; min: number | null; countries: number }>();
  for (const c of countries) {
    const key = c.innovation ? `${c.innovation.ranked ? 'r' : 'u'}${c.innovation.value}` : '-';
    const b = bands.get(key) ?? { band: c.innovation?.value ?? null, ranked: c.innovation?.ranked ?? false, min: c.innovation?.rank_min ?? null, countries: 0 };
    b.countries++;
    bands.set(key, b);
  }
  const directions = Object.fromEntries([...DIRECTIONS, 'none'].map((d) => [d, 0])) as Record<Direction | 'none', number>;
  for (const c of countries) if (!c.home) directions[c.direction ?? 'none']++;
  return {
    rules,
    countries: countries.map(({ level: _level, ...c }) => c),
    bands: [...bands.values()],
    directions,
    unresolved,
  };
}
