/**
 * Request and reply schemas of the region dashboard, the world map and the participation
 * breakdown (validation, TypeScript types and the OpenAPI document come from these).
 */
import { z } from 'zod';
import { NETWORK_WEIGHTS } from './analytics.service.ts';
import { PARTICIPATION_DIMENSIONS } from './participations.repo.ts';

const year = z.coerce.number().int().min(1900).max(2200).optional();
const region = z.string().min(1).max(100).optional().describe('地区名称、简称或代码（如 常州、新北）；不填为全部 / region name, short name or code; none: every region');
const currency = z.string().regex(/^[A-Za-z]{3}$/).optional().describe('币种（默认 CNY） / currency (default CNY)');
const source = z.enum(['aggregates', 'tables']).optional().describe('数据来源：预汇总表（默认）或原始记录 / read the aggregates (default) or the records');

export const dashboardQuery = z.object({
  region,
  from: year,
  to: year,
  currency,
  thresholds: z.string().max(400).optional().describe('地区分档阈值（万元），如 2000,1000；默认按分位数分三档 / tier thresholds; default three quantile tiers'),
  quantiles: z.coerce.number().int().min(2).max(20).optional(),
  top: z.coerce.number().int().min(1).max(1000).default(10).describe('集中度前N位国家 / top N countries'),
  weight: z.enum(NETWORK_WEIGHTS).default('projects').describe('合作网络边权 / network edge weight'),
  nodes: z.coerce.number().int().min(0).max(1000).default(10).describe('列出中心性最高的节点数 / most central nodes listed'),
  source,
});

export const mapQuery = z.object({ region, from: year, to: year, currency, source });

export const participationsQuery = z.object({
  by: z.string().min(1).max(60).describe(`分组维度，一至两个，逗号分隔：${PARTICIPATION_DIMENSIONS.join(', ')} / one or two dimensions`),
  where: z.union([z.string(), z.array(z.string())]).optional().describe('key=value：year（立项年）, region, country（有该国参与的项目）, level, field, mode, programme, project, role'),
  participant: z.string().min(1).max(100).optional().describe('只计该国的参与 / count only this country’s participations'),
});

const amounts = { amount: z.number(), records: z.number().int() };
const regionReply = z
  .object({
    query: z.string(),
    regions: z.array(z.object({ id: z.number().int(), name: z.string(), short_name: z.string(), level: z.string() })),
  })
  .nullable();

const mapRow = z.object({
  iso3: z.string(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  projects: z.number().int(),
  participations: z.number().int(),
  funding: z.number(),
});

const networkNode = z.object({
  id: z.string(),
  label: z.string().nullable(),
  degree: z.number().int(),
  weighted_degree: z.number(),
  betweenness: z.number(),
  eigenvector: z.number(),
});

export const dashboardReply = z.object({
  region: regionReply,
  from: z.number().int().nullable(),
  to: z.number().int().nullable(),
  unit: z.literal('万元'),
  currency: z.string(),
  source: z.enum(['aggregates', 'tables']),
  by_year: z.array(z.object({ year: z.number().int().nullable(), ...amounts })),
  by_region: z.array(z.object({ region: z.string().nullable(), ...amounts })),
  by_country: z.array(z.object({ iso3: z.string().nullable(), country: z.string().nullable(), country_en: z.string().nullable(), ...amounts })),
  by_field: z.array(z.object({ field: z.string().nullable(), ...amounts })),
  tiers: z.object({
    by: z.literal('region'),
    measure: z.literal('amount'),
    rule: z.union([z.object({ thresholds: z.array(z.number()) }), z.object({ quantiles: z.number().int() })]),
    tiers: z.array(
      z.object({
        tier: z.number().int(),
        min: z.number().nullable(),
        max: z.number().nullable(),
        members: z.array(z.object({ region: z.string(), amount: z.number() })),
      }),
    ),
  }),
  concentration: z.object({
    by: z.literal('country'),
    measure: z.literal('amount'),
    n: z.number().int(),
    top: z.number().int(),
    topShare: z.number().nullable(),
    hhi: z.number().nullable(),
    gini: z.number().nullable(),
    total: z.number(),
    members: z.array(
      z.object({
        rank: z.number().int(),
        iso3: z.string(),
        country: z.string().nullable(),
        amount: z.number(),
        share: z.number().nullable(),
        cumulative: z.number().nullable(),
      }),
    ),
  }),
  map: z.array(mapRow),
  network: z.object({
    level: z.literal('country'),
    weight: z.enum(NETWORK_WEIGHTS),
    nodes: z.number().int(),
    edges: z.number().int(),
    projects: z.number().int(),
    skipped: z.number().int(),
    top: z.array(networkNode),
  }),
});

export const mapReply = z.object({
  region: regionReply,
  from: z.number().int().nullable(),
  to: z.number().int().nullable(),
  unit: z.literal('万元'),
  currency: z.string(),
  source: z.enum(['aggregates', 'tables']),
  countries: z.array(mapRow),
});

export const participationsReply = z.object({
  by: z.array(z.enum(PARTICIPATION_DIMENSIONS)),
  participant: z.object({ iso3: z.string(), name_zh: z.string().nullable(), name_en: z.string().nullable() }).nullable(),
  totals: z.object({ projects: z.number().int(), participations: z.number().int(), contribution: z.number().nullable() }),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});
