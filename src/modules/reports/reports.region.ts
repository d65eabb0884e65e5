/**
 * The region report (issue 4): for a region and period, funding by year and by district, the
 * districts by year, tiers (方阵), concentration on partner countries, trends and stability, the
 * partner countries' suggested cooperation direction, and the data-quality notes of the
 * region's imported tables. Every figure comes from the services the API and the CLI answer
 * with (funding query, analytics), so the report and the dashboards cannot disagree.
 */
import type { ServiceContext } from '../../http/context.ts';
import { scopeOf } from '../auth/auth.policy.ts';
import { queryConcentration, queryStrategy, queryTiers, queryTrends, type ConcentrationResult, type TiersResult, type TrendsResult } from '../analytics/analytics.service.ts';
import { concentration, round } from '../analytics/analytics.stats.ts';
import { DIRECTION_LABELS, type Direction } from '../analytics/analytics.strategy.ts';
import { queryFunding, type FundingQueryResult } from '../query/funding.service.ts';
import { regionsNamed, type RegionRow } from '../regions/regions.repo.ts';
import { both, type ReportBlock, type ReportDocument, type ReportRow, type ReportSection } from './reports.document.ts';
import { importWarnings, partnerCountries, type ImportWarningRow, type PartnerCountryRow } from './reports.repo.ts';

export interface RegionReportQuery {
  region: RegionRow;
  from?: number;
  to?: number;
  /** Tier thresholds (default the paper's 2000, 1000 万元, 002 §2.2). */
  thresholds: number[];
  /** Top N partner countries for the concentration (default 10). */
  top: number;
}

export interface RegionReportData {
  region: { id: number; name: string; short_name: string; level: string };
  from: number | null;
  to: number | null;
  /** Years the funding covers in the period (the axis of the trends). */
  years: number[];
  byYear: FundingQueryResult;
  byDistrict: FundingQueryResult;
  byDistrictYear: FundingQueryResult;
  tiers: TiersResult;
  thresholds: number[];
  concentration: ConcentrationResult;
  partners: { countries: (PartnerCountryRow & { share: number | null; cumulative: number | null; rank: number })[]; n: number; top: number; topShare: number | null; hhi: number | null; gini: number | null; undated: number };
  trends: TrendsResult;
  strategy: {
    iso3: string;
    name_zh: string;
    name_en: string;
    groups: string[];
    level: string | null;
    direction: Direction | null;
    reason_zh: string;
    reason_en: string;
    projects: number;
    funding: number;
  }[];
  quality: ImportWarningRow[];
}

/** Steps reported to a progress callback (the CLI shows them when a report takes long). */
export const REGION_STEPS = ['funding', 'tiers', 'concentration', 'trends', 'strategy', 'quality'] as const;

/** The condition selecting the region in the funding query: its code when it has one (unique), else its name. */
const regionCondition = (r: RegionRow) => ({ region: r.code ?? r.name });

/** Gathers the figures of a region report, as the actor may see them. */
export async function regionReportData(ctx: ServiceContext, q: RegionReportQuery, progress: (step: string) => void = () => undefined): Promise<RegionReportData> {
  const where = regionCondition(q.region);
  const period = { from: q.from, to: q.to };
  progress('funding');
  const byYear = await queryFunding(ctx, { by: ['year'], where, ...period });
  const byDistrict = await queryFunding(ctx, { by: ['region'], where, ...period });
  const byDistrictYear = await queryFunding(ctx, { by: ['region', 'year'], where, ...period });
  progress('tiers');
  const tiers = await queryTiers(ctx, { by: 'region', measure: 'amount', thresholds: q.thresholds, where, ...period, districtsOnly: true });
  progress('concentration');
  const conc = await queryConcentration(ctx, { by: 'country', measure: 'amount', top: q.top, where, ...period });
  const partnerRows = await partnerCountries(ctx.db, { regionPath: q.region.path, ...period, scope: scopeOf(ctx.actor) });
  const pc = concentration(
    partnerRows.map((r) => ({ unit: r.iso3, value: r.projects })),
    q.top,
  );
  const byIso = new Map(partnerRows.map((r) => [r.iso3, r]));
  progress('trends');
  const trends = await queryTrends(ctx, { by: 'region', measure: 'amount', where, ...period });
  progress('strategy');
  const strategy = await queryStrategy(ctx, {});
  const fundingByCountry = new Map(conc.members.map((m) => [String(m.country), Number(m.amount)]));
  const partnerIso = new Set(partnerRows.map((r) => r.iso3));
  const strategyRows = strategy.countries
    .filter((c) => !c.home && (partnerIso.has(c.iso3) || fundingByCountry.has(c.name_zh)))
    .map((c) => ({
      iso3: c.iso3,
      name_zh: c.name_zh,
      name_en: c.name_en,
      groups: c.groups,
      level: c.innovation?.value ?? null,
      direction: c.direction,
      reason_zh: c.reason_zh,
      reason_en: c.reason_en,
      projects: byIso.get(c.iso3)?.projects ?? 0,
      funding: fundingByCountry.get(c.name_zh) ?? 0,
    }));
  progress('quality');
  const quality = await regionWarnings(ctx, q.region);
  const years = trends.years;
  return {
    region: { id: q.region.id, name: q.region.name, short_name: q.region.short_name, level: q.region.level },
    from: q.from ?? null,
    to: q.to ?? null,
    years,
    byYear,
    byDistrict,
    byDistrictYear,
    tiers,
    thresholds: q.thresholds,
    concentration: conc,
    partners: {
      countries: pc.members.map((m) => ({ ...byIso.get(m.unit)!, rank: m.rank, share: m.share, cumulative: m.cumulative })),
      n: pc.n,
      top: pc.top,
      topShare: pc.topShare,
      hhi: pc.hhi,
      gini: pc.gini,
      undated: partnerRows.reduce((s, r) => s + r.undated, 0),
    },
    trends,
    strategy: strategyRows,
    quality,
  };
}

/** Warnings of the tables imported in the region or below it (the context city of each import). */
async function regionWarnings(ctx: ServiceContext, region: RegionRow): Promise<ImportWarningRow[]> {
  const rows = await importWarnings(ctx.db);
  const contexts = new Map<string, string | null>();
  for (const name of new Set(rows.map((r) => r.region_context))) {
    const found = await regionsNamed(ctx.db, name);
    // As the importer picks its context: the city of that name, else the first match.
    const pick = found.find((r) => r.level === 'city') ?? found[0];
    contexts.set(name, pick?.path ?? null);
  }
  return rows.filter((r) => contexts.get(r.region_context)?.startsWith(region.path));
}

// ---------------------------------------------------------------------------------------------
// The document

const TIER_ZH = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const AMOUNT = { zh: '经费（万元）', en: 'Funding (CNY 10k)' };
const WAN = { zh: '万元', en: 'CNY 10k' };

/** "2011–2014", or the years present when the period is open. */
export function periodLabel(d: Pick<RegionReportData, 'from' | 'to' | 'years'>): { zh: string; en: string } {
  const from = d.from ?? d.years[0];
  const to = d.to ?? d.years[d.years.length - 1];
  if (from === undefined || to === undefined) return { zh: '全部年份', en: 'all years' };
  return from === to ? { zh: `${from}年`, en: String(from) } : { zh: `${from}–${to}年`, en: `${from}–${to}` };
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function fundingSection(d: RegionReportData): ReportSection {
  const total = d.byYear.total;
  const blocks: ReportBlock[] = [
    {
      type: 'figures',
      items: [
        { label: { zh: '经费合计（万元）', en: 'Total funding (CNY 10k)' }, value: String(total) },
        { label: { zh: '经费记录数', en: 'Funding records' }, value: String(d.byYear.records) },
        { label: { zh: '区县（单位）数', en: 'Districts and units' }, value: String(d.byDistrict.rows.filter((r) => r.region !== null).length) },
        { label: { zh: '年度走势', en: 'Yearly shape' }, value: d.trends.overall.values.length > 1 ? `${d.trends.overall.pattern} ${d.trends.overall.shape_zh}` : '—' },
      ],
    },
    {
      type: 'chart',
      kind: 'bar',
      title: { zh: '按年份经费', en: 'Funding by year' },
      unit: WAN,
      categories: d.byYear.rows.map((r) => String(r.year ?? '—')),
      series: [{ name: AMOUNT, values: d.byYear.rows.map((r) => Number(r.amount)) }],
    },
    {
      type: 'table',
      sheet: '按年份 By year',
      title: { zh: '按年份经费', en: 'Funding by year' },
      columns: [
        { key: 'year', zh: '年份', en: 'Year' },
        { key: 'amount', zh: AMOUNT.zh, en: AMOUNT.en, kind: 'number' },
        { key: 'records', zh: '记录数', en: 'Records', kind: 'int' },
        { key: 'share', zh: '占比', en: 'Share', kind: 'percent' },
      ],
      rows: [
        ...d.byYear.rows.map((r) => ({ cells: { year: r.year === null ? '—' : String(r.year), amount: r.amount, records: r.records, share: total > 0 ? round(Number(r.amount) / total) : null } })),
        { cells: { year: '合计 / Total', amount: total, records: d.byYear.records, share: total > 0 ? 1 : null }, tone: 'total' as const },
      ],
    },
  ];
  const districts = [...d.byDistrict.rows].sort((a, b) => Number(b.amount) - Number(a.amount));
  blocks.push(
    {
      type: 'chart',
      kind: 'bar',
      title: { zh: '按区县（单位）经费', en: 'Funding by district (unit)' },
      unit: WAN,
      categories: districts.map((r) => String(r.region ?? '未归属')),
      series: [{ name: AMOUNT, values: districts.map((r) => Number(r.amount)) }],
    },
    {
      type: 'table',
      sheet: '按区县 By district',
      title: { zh: '按区县（单位）经费', en: 'Funding by district (unit)' },
      columns: [
        { key: 'region', zh: '区县（单位）', en: 'District (unit)', width: 1.4 },
        { key: 'amount', zh: AMOUNT.zh, en: AMOUNT.en, kind: 'number' },
        { key: 'records', zh: '记录数', en: 'Records', kind: 'int' },
        { key: 'share', zh: '占比', en: 'Share', kind: 'percent' },
      ],
      rows: [
        ...d.byDistrict.rows.map((r) => ({ cells: { region: r.region ?? '未归属 / unassigned', amount: r.amount, records: r.records, share: total > 0 ? round(Number(r.amount) / total) : null } })),
        { cells: { region: '合计 / Total', amount: total, records: d.byDistrict.records, share: total > 0 ? 1 : null }, tone: 'total' as const },
      ],
    },
  );
  // Districts by year, as the paper's table 2 lays them out.
  const years = d.years;
  const matrix = new Map<string, Map<number, number>>();
  for (const r of d.byDistrictYear.rows) {
    const key = String(r.region ?? '未归属 / unassigned');
    const m = matrix.get(key) ?? new Map<number, number>();
    m.set(Number(r.year), (m.get(Number(r.year)) ?? 0) + Number(r.amount));
    matrix.set(key, m);
  }
  const order = d.byDistrict.rows.map((r) => String(r.region ?? '未归属 / unassigned'));
  const rows: ReportRow[] = order.map((region) => {
    const m = matrix.get(region) ?? new Map<number, number>();
    return { cells: { region, ...Object.fromEntries(years.map((y) => [`y${y}`, round(m.get(y) ?? 0, 4)])), total: round([...m.values()].reduce((s, v) => s + v, 0), 4) } };
  });
  rows.push({
    cells: { region: '合计 / Total', ...Object.fromEntries(years.map((y, i) => [`y${y}`, d.trends.overall.values[i] ?? 0])), total },
    tone: 'total',
  });
  blocks.push({
    type: 'table',
    sheet: '区县×年份 District x year',
    title: { zh: '各区县（单位）逐年经费（万元）', en: 'Funding by district (unit) and year (CNY 10k)' },
    columns: [
      { key: 'region', zh: '区县（单位）', en: 'District (unit)', width: 1.4 },
      ...years.map((y) => ({ key: `y${y}`, zh: String(y), en: String(y), kind: 'number' as const })),
      { key: 'total', zh: '合计', en: 'Total', kind: 'number' },
    ],
    rows,
  });
  return { title: { zh: '经费概况', en: 'Funding' }, blocks };
}

function tiersSection(d: RegionReportData): ReportSection {
  const rows: ReportRow[] = d.tiers.tiers.flatMap((t): ReportRow[] => {
    const range = t.max === null ? `≥ ${t.min}` : t.min === null ? `< ${t.max}` : `${t.min} – ${t.max}`;
    const name = `${TIER_ZH[t.tier - 1] ?? t.tier}级方阵 / Tier ${t.tier}`;
    if (!t.members.length) return [{ cells: { tier: name, range, region: '（无 / none）', amount: null } }];
    return t.members.map((m) => ({ cells: { tier: name, range, region: String(m.region), amount: Number(m.amount) } }));
  });
  return {
    title: { zh: '方阵分档', en: 'Tiers' },
    blocks: [
      {
        type: 'paragraph',
        text: {
          zh: `按${periodLabel(d).zh}经费合计把辖市区分为${d.tiers.tiers.length}个方阵，阈值 ${d.thresholds.join('、')} 万元（不含市直属单位和园区）。${d.tiers.tiers.map((t) => `${TIER_ZH[t.tier - 1] ?? t.tier}级方阵：${t.members.map((m) => m.region).join('、') || '无'}`).join('；')}。`,
          en: `Districts grouped into ${d.tiers.tiers.length} tiers by their funding in ${periodLabel(d).en}, thresholds ${d.thresholds.join(', ')} (CNY 10k; city-direct units and parks left out). ${d.tiers.tiers.map((t) => `Tier ${t.tier}: ${t.members.map((m) => m.region).join(', ') || 'none'}`).join('; ')}.`,
        },
      },
      {
        type: 'table',
        sheet: '方阵 Tiers',
        title: { zh: '方阵分档', en: 'Tiers by funding' },
        columns: [
          { key: 'tier', zh: '方阵', en: 'Tier', width: 1.3 },
          { key: 'range', zh: '经费区间（万元）', en: 'Range (CNY 10k)' },
          { key: 'region', zh: '辖市区', en: 'District' },
          { key: 'amount', zh: AMOUNT.zh, en: AMOUNT.en, kind: 'number' },
        ],
        rows,
      },
    ],
  };
}

function concentrationSection(d: RegionReportData): ReportSection {
  const c = d.concentration;
  const p = d.partners;
  const blocks: ReportBlock[] = [];
  if (c.n > 0) {
    blocks.push(
      {
        type: 'figures',
        items: [
          { label: { zh: '合作国家和地区数（经费）', en: 'Partner countries (funding)' }, value: String(c.n) },
          { label: { zh: `前${c.top}位经费占比`, en: `Top-${c.top} share` }, value: pct(c.topShare) },
          { label: { zh: '赫芬达尔指数', en: 'HHI' }, value: c.hhi === null ? '—' : String(round(c.hhi, 4)) },
          { label: { zh: '基尼系数', en: 'Gini' }, value: c.gini === null ? '—' : String(round(c.gini, 4)) },
        ],
      },
      {
        type: 'chart',
        kind: 'pie',
        title: { zh: `前${c.top}位合作国家经费`, en: `Funding of the top ${c.top} partner countries` },
        categories: [...c.members.slice(0, c.top).map((m) => String(m.country)), ...(c.n > c.top ? ['其他 / others'] : [])],
        series: [
          {
            name: AMOUNT,
            values: [...c.members.slice(0, c.top).map((m) => Number(m.amount)), ...(c.n > c.top ? [round(c.members.slice(c.top).reduce((s, m) => s + Number(m.amount), 0), 4)] : [])],
          },
        ],
      },
    );
  }
  blocks.push({
    type: 'table',
    sheet: '国别经费 Country funding',
    title: { zh: '按合作国家经费（集中度）', en: 'Funding by partner country (concentration)' },
    columns: [
      { key: 'rank', zh: '位次', en: 'Rank', kind: 'int', width: 0.6 },
      { key: 'country', zh: '国家或地区', en: 'Country or region', width: 1.4 },
      { key: 'amount', zh: AMOUNT.zh, en: AMOUNT.en, kind: 'number' },
      { key: 'share', zh: '占比', en: 'Share', kind: 'percent' },
      { key: 'cumulative', zh: '累计占比', en: 'Cumulative', kind: 'percent' },
    ],
    rows: c.members.map((m) => ({ cells: { rank: m.rank as number, country: m.country as string, amount: m.amount as number, share: m.share as number | null, cumulative: m.cumulative as number | null } })),
    note:
      c.unassigned && c.unassigned.value > 0
        ? {
            zh: `另有 ${c.unassigned.value} 万元（${c.unassigned.records} 条经费记录）未注明合作国家，不计入集中度。`,
            en: `A further ${c.unassigned.value} (CNY 10k; ${c.unassigned.records} funding records) names no partner country and is left out of the concentration.`,
          }
        : undefined,
  });
  blocks.push({
    type: 'table',
    sheet: '国别项目 Country projects',
    title: { zh: '按合作国家项目数（集中度）', en: 'Projects by partner country (concentration)' },
    columns: [
      { key: 'rank', zh: '位次', en: 'Rank', kind: 'int', width: 0.6 },
      { key: 'country', zh: '国家或地区', en: 'Country or region', width: 1.4 },
      { key: 'iso3', zh: '代码', en: 'ISO3', width: 0.7 },
      { key: 'projects', zh: '项目数', en: 'Projects', kind: 'int' },
      { key: 'share', zh: '占比', en: 'Share', kind: 'percent' },
      { key: 'cumulative', zh: '累计占比', en: 'Cumulative', kind: 'percent' },
    ],
    rows: p.countries.map((m) => ({ cells: { rank: m.rank, country: `${m.name_zh} ${m.name_en}`, iso3: m.iso3, projects: m.projects, share: m.share, cumulative: m.cumulative } })),
    note: {
      zh: `合作国家 ${p.n} 个，前${p.top}位项目占比 ${pct(p.topShare)}，HHI ${p.hhi ?? '—'}，基尼系数 ${p.gini ?? '—'}。${p.undated ? `其中 ${p.undated} 个项目未注明起止日期，按属于本期统计。` : ''}`,
      en: `${p.n} partner countries; top-${p.top} share of projects ${pct(p.topShare)}, HHI ${p.hhi ?? '—'}, Gini ${p.gini ?? '—'}.${p.undated ? ` ${p.undated} projects give no dates and are counted in the period.` : ''}`,
    },
  });
  if (p.n > 0 && c.n === 0) {
    blocks.push({
      type: 'chart',
      kind: 'pie',
      title: { zh: '按合作国家项目数', en: 'Projects by partner country' },
      categories: p.countries.map((m) => m.name_zh),
      series: [{ name: { zh: '项目数', en: 'Projects' }, values: p.countries.map((m) => m.projects) }],
    });
  }
  return { title: { zh: '合作国家集中度', en: 'Concentration on partner countries' }, blocks };
}

function trendsSection(d: RegionReportData): ReportSection {
  const t = d.trends;
  const o = t.overall;
  const units = t.units.slice(0, 8);
  return {
    title: { zh: '趋势与稳定性', en: 'Trends and stability' },
    blocks: [
      {
        type: 'paragraph',
        text: {
          zh: `年度经费 ${o.values.join('、')} 万元，走势 ${o.pattern || '—'}（${o.shape_zh}），复合增长率 ${pct(o.cagr)}，变异系数 ${o.cv ?? '—'}。变异系数达到 ${t.cvThreshold} 的区县（单位）视为不稳定：${t.units.filter((u) => u.unstable).map((u) => u.region).join('、') || '无'}。`,
          en: `Yearly funding ${o.values.join(', ')} (CNY 10k), moves ${o.pattern || '—'} (${o.shape}), CAGR ${pct(o.cagr)}, coefficient of variation ${o.cv ?? '—'}. Units with a CV of ${t.cvThreshold} or more are unstable: ${t.units.filter((u) => u.unstable).map((u) => u.region).join(', ') || 'none'}.`,
        },
      },
      {
        type: 'chart',
        kind: 'line',
        title: { zh: '各区县（单位）逐年经费（波动最大的前8个）', en: 'Funding by year of the 8 least stable units' },
        unit: WAN,
        categories: t.years.map(String),
        series: units.map((u) => ({ name: { zh: String(u.region), en: String(u.region) }, values: u.values })),
      },
      {
        type: 'table',
        sheet: '趋势 Trends',
        title: { zh: '趋势与稳定性', en: 'Trends and stability' },
        columns: [
          { key: 'region', zh: '区县（单位）', en: 'District (unit)', width: 1.3 },
          ...t.years.map((y) => ({ key: `y${y}`, zh: String(y), en: String(y), kind: 'number' as const, width: 0.8 })),
          { key: 'cagr', zh: '复合增长率', en: 'CAGR', kind: 'percent' },
          { key: 'cv', zh: '变异系数', en: 'CV', kind: 'number', digits: 3 },
          { key: 'pattern', zh: '走势', en: 'Moves', width: 0.8 },
          { key: 'unstable', zh: '不稳定', en: 'Unstable', width: 0.8 },
        ],
        rows: [
          ...t.units.map((u) => ({
            cells: {
              region: String(u.region),
              ...Object.fromEntries(t.years.map((y, i) => [`y${y}`, u.values[i]])),
              cagr: u.cagr,
              cv: u.cv,
              pattern: u.pattern,
              unstable: u.unstable ? '是 / yes' : '否 / no',
            },
            tone: u.unstable ? ('warn' as const) : undefined,
          })),
          {
            cells: { region: '合计 / Total', ...Object.fromEntries(t.years.map((y, i) => [`y${y}`, o.values[i]])), cagr: o.cagr, cv: o.cv, pattern: o.pattern, unstable: o.cv !== null && o.cv >= t.cvThreshold ? '是 / yes' : '否 / no' },
            tone: 'total' as const,
          },
        ],
      },
    ],
  };
}

function strategySection(d: RegionReportData): ReportSection {
  const counts = new Map<string, number>();
  for (const c of d.strategy) counts.set(c.direction ?? 'none', (counts.get(c.direction ?? 'none') ?? 0) + 1);
  const label = (k: string) => (k === 'none' ? '未定 / none' : `${DIRECTION_LABELS[k as Direction].zh} / ${DIRECTION_LABELS[k as Direction].en}`);
  return {
    title: { zh: '国别合作策略', en: 'Country strategy' },
    blocks: [
      {
        type: 'paragraph',
        text: {
          zh: `本地区的合作国家按创新水平（全球创新指数排名区间）建议的合作方向（003 §4.1）：${[...counts].map(([k, n]) => `${label(k).split(' / ')[0]} ${n} 个`).join('，') || '无合作国家'}。`,
          en: `Suggested cooperation direction of the region's partner countries by innovation level (GII rank band; 003 §4.1): ${[...counts].map(([k, n]) => `${label(k).split(' / ')[1]} ${n}`).join(', ') || 'no partner countries'}.`,
        },
      },
      {
        type: 'table',
        sheet: '国别策略 Strategy',
        title: { zh: '合作国家与建议方向', en: 'Partner countries and suggested direction' },
        columns: [
          { key: 'country', zh: '国家或地区', en: 'Country or region', width: 1.4 },
          { key: 'groups', zh: '所属国家组', en: 'Groups', width: 1 },
          { key: 'level', zh: '创新水平', en: 'Innovation level', width: 0.8 },
          { key: 'projects', zh: '项目数', en: 'Projects', kind: 'int', width: 0.6 },
          { key: 'funding', zh: AMOUNT.zh, en: AMOUNT.en, kind: 'number', width: 0.8 },
          { key: 'direction', zh: '建议方向', en: 'Direction', width: 0.9 },
          { key: 'reason', zh: '理由', en: 'Reason', width: 3 },
        ],
        rows: d.strategy.map((c) => ({
          cells: {
            country: `${c.name_zh} ${c.name_en}`,
            groups: c.groups.join(', '),
            level: c.level,
            projects: c.projects,
            funding: c.funding,
            direction: c.direction ? label(c.direction) : '—',
            reason: c.reason_zh,
          },
        })),
      },
    ],
  };
}

function qualitySection(d: RegionReportData): ReportSection {
  return {
    title: { zh: '数据质量说明', en: 'Data-quality notes' },
    blocks: [
      {
        type: 'paragraph',
        tone: d.quality.length ? 'warn' : 'note',
        text: d.quality.length
          ? { zh: `本地区导入的表格有 ${d.quality.length} 条警告（填报数与计算数不符、名单不全、新增的非行政区单位等），列于下表；数据按导入时保留，未作更正。`, en: `The tables imported for the region carry ${d.quality.length} warnings (stated figures that disagree with computed ones, incomplete lists, units added that are not districts …), listed below; the data is kept as imported, not corrected.` }
          : { zh: '本地区导入的表格没有警告。', en: 'The tables imported for the region carry no warnings.' },
      },
      {
        type: 'table',
        sheet: '数据质量 Data quality',
        title: { zh: '导入警告', en: 'Import warnings' },
        columns: [
          { key: 'file', zh: '文件', en: 'File', width: 1.6 },
          { key: 'row', zh: '行', en: 'Row', kind: 'int', width: 0.4 },
          { key: 'code', zh: '代码', en: 'Code', width: 1.2 },
          { key: 'message', zh: '说明', en: 'Message', width: 4 },
        ],
        rows: d.quality.map((w) => ({ cells: { file: `${w.file_name} (#${w.import_id})`, row: w.row, code: w.code, message: w.message } })),
      },
    ],
  };
}

/** The region report as a document. */
export function regionDocument(d: RegionReportData, generatedAt: string): ReportDocument {
  const period = periodLabel(d);
  const name = d.region.short_name;
  return {
    title: { zh: `${name}国际科技合作地区报告`, en: `${name}: international STI cooperation, region report` },
    subtitle: { zh: `${period.zh}，经费单位：万元`, en: `${period.en}, funding in CNY 10k (万元)` },
    header: { zh: `${name} ${period.zh} 地区报告`, en: `Region report ${period.en}` },
    meta: [
      { label: { zh: '地区', en: 'Region' }, value: `${d.region.name}（${name}）` },
      { label: { zh: '期间', en: 'Period' }, value: both(period) },
      { label: { zh: '经费合计（万元）', en: 'Total funding (CNY 10k)' }, value: String(d.byYear.total) },
      { label: { zh: '方阵阈值（万元）', en: 'Tier thresholds (CNY 10k)' }, value: d.thresholds.join(', ') },
    ],
    sections: [fundingSection(d), tiersSection(d), concentrationSection(d), trendsSection(d), strategySection(d), qualitySection(d)],
    generatedAt,
  };
}
