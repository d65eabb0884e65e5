/**
 * Request and reply schemas of the analytics API: validation, TypeScript types and the OpenAPI
 * document come from these.
 */
import { z } from 'zod';
import { FUNDING_DIMENSIONS } from '../query/funding.service.ts';
import { CONCENTRATION_MEASURES, LINK_NODES_DEFAULT, LINK_NODES_MAX, NETWORK_LEVELS, NETWORK_WEIGHTS, MEASURES } from './analytics.service.ts';
import { DIRECTIONS, strategyRulesSchema } from './analytics.strategy.ts';

const year = z.coerce.number().int().min(1900).max(2200).optional();
/** A query-string switch: true/false/1/0. */
const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

const unitQuery = z.object({
  by: z.enum(FUNDING_DIMENSIONS).describe('分组维度 / dimension: year, region, country, level, field, mode, project, source, industry'),
  measure: z.enum(MEASURES).default('amount').describe('amount 经费（万元） | projects 项目数 | records 记录数'),
  from: year,
  to: year,
  where: z.union([z.string(), z.array(z.string())]).optional().describe('key=value，可重复 / repeatable'),
  currency: z.string().regex(/^[A-Za-z]{3}$/).optional(),
  districtsOnly: flag.describe('仅辖市区（按地区时，不含市直属、园区） / districts only (by region: without city-direct units and parks)'),
});

export const tiersQuery = unitQuery.extend({
  thresholds: z.string().max(400).optional().describe('分档阈值，逗号分隔，如 2000,1000 / thresholds, e.g. 2000,1000'),
  quantiles: z.coerce.number().int().min(2).max(20).optional().describe('按分位数分为几档 / number of quantile tiers'),
});

export const concentrationQuery = unitQuery.extend({
  measure: z
    .enum(CONCENTRATION_MEASURES)
    .default('amount')
    .describe(
      'amount 经费（万元） | projects 项目数 | records 记录数（按经费记录）；participations 参与次数 | partner_projects 合作项目数（按项目合作方，按国别即合作国家） / ' +
        'funding measures, or counted on the project partners (by country: the partner countries)',
    ),
  top: z.coerce.number().int().min(1).max(1000).default(10).describe('前N位 / top N'),
});

export const trendsQuery = unitQuery.extend({
  cvThreshold: z.coerce.number().positive().max(100).optional().describe('变异系数达到此值视为不稳定（默认0.5） / CV at which a unit is unstable (default 0.5)'),
});

export const networkQuery = z.object({
  level: z.enum(NETWORK_LEVELS).describe('country 国家 | organization 机构'),
  weight: z.enum(NETWORK_WEIGHTS).default('projects').describe('projects 共同项目数 | participations 参与次数之积'),
  where: z.union([z.string(), z.array(z.string())]).optional().describe('key=value：year（立项年）, region, country, level, field, mode, project, industry'),
  lead: flag.describe('计入牵头方（默认是） / count the lead side (default true)'),
  links: flag.describe('另给出连线（边表），供绘制网络图 / also give the links (edge list) for drawing the graph'),
  linkNodes: z.coerce
    .number()
    .int()
    .min(1)
    .max(LINK_NODES_MAX)
    .optional()
    .describe(`节点多于此数（默认${LINK_NODES_DEFAULT}）时只给出度最高的这些节点之间的连线 / when the graph has more nodes than this (default ${LINK_NODES_DEFAULT}), only the links among this many nodes of highest degree`),
});

export const strategyQuery = z.object({
  group: z.string().min(1).max(40).optional().describe('列出该国家组全部成员，如 BRI / list this group, e.g. BRI'),
  all: flag.describe('另列出有创新水平数据的全部国家 / also every country with an innovation level'),
});

export const strategyBody = z.object({
  group: z.string().min(1).max(40).optional(),
  all: z.boolean().optional(),
  rules: strategyRulesSchema.optional(),
});

const label = z.union([z.string(), z.number()]);

export const tiersReply = z.object({
  tiers: z.array(
    z.object({
      tier: z.number().int(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      members: z.array(z.record(z.string(), label)),
    }),
  ),
});

export const concentrationReply = z.object({
  n: z.number().int(),
  top: z.number().int(),
  topShare: z.number().nullable(),
  hhi: z.number().nullable(),
  gini: z.number().nullable(),
  members: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  measure: z.enum(CONCENTRATION_MEASURES),
  total: z.number(),
  unassigned: z.object({ value: z.number(), records: z.number().int() }).nullable(),
});

const trendStats = z.object({
  values: z.array(z.number()),
  total: z.number(),
  mean: z.number(),
  yoy: z.array(z.object({ year: z.number().int(), change: z.number(), rate: z.number().nullable() })),
  cagr: z.number().nullable(),
  cv: z.number().nullable(),
  moves: z.array(z.enum(['up', 'down', 'flat'])),
  pattern: z.string(),
  reversals: z.number().int(),
  shape: z.enum(['rising', 'falling', 'flat', 'fluctuating']),
  shape_zh: z.string(),
});

export const trendsReply = z.object({
  measure: z.enum(MEASURES),
  years: z.array(z.number().int()),
  cvThreshold: z.number(),
  overall: trendStats,
  // Each unit also carries its label under the dimension's name ({"region": "新北", …}).
  units: z.array(trendStats.extend({ unstable: z.boolean() }).catchall(z.unknown())),
});

export const networkReply = z.object({
  level: z.enum(NETWORK_LEVELS),
  weight: z.enum(NETWORK_WEIGHTS),
  nodes: z.array(
    z.object({
      id: z.string(),
      label: z.string().nullable(),
      degree: z.number().int(),
      weighted_degree: z.number(),
      betweenness: z.number(),
      eigenvector: z.number(),
    }),
  ),
  edges: z.number().int(),
  projects: z.number().int(),
  skipped: z.number().int(),
  links: z
    .array(z.object({ source: z.string(), target: z.string(), weight: z.number() }))
    .optional()
    .describe('连线（links=true 时），权重从大到小 / the links (with links=true), heaviest first'),
  links_limited_to: z
    .number()
    .int()
    .nullable()
    .optional()
    .describe('连线仅限度最高的 N 个节点之间时为 N；全部连线时为 null / N when the links are only those among the N nodes of highest degree; null when all'),
});

// The rules as replied (after defaults), written without transforms so the OpenAPI document
// can describe them.
const rulesReply = z.object({
  indicator: z.object({ rank: z.string(), band: z.string(), year: z.number().int().nullable() }),
  home: z.string(),
  rules: z.array(
    z.object({
      direction: z.enum(DIRECTIONS),
      rank: z.object({ min: z.number().int().optional(), max: z.number().int().optional() }).optional(),
      unranked: z.boolean().optional(),
      noData: z.boolean().optional(),
      groups: z.array(z.string()).optional(),
      reason_zh: z.string(),
      reason_en: z.string(),
    }),
  ),
});
export { rulesReply as strategyRulesReply };

export const strategyReply = z.object({
  rules: rulesReply,
  countries: z.array(
    z.object({
      iso3: z.string(),
      name_zh: z.string(),
      name_en: z.string(),
      groups: z.array(z.string()),
      innovation: z
        .object({
          indicator: z.string(),
          year: z.number().int(),
          value: z.string(),
          ranked: z.boolean(),
          rank_min: z.number().nullable(),
          rank_max: z.number().nullable(),
        })
        .nullable(),
      cooperation: z.object({
        projects: z.number().int(),
        funding: z.number(),
        funding_records: z.number().int(),
        platforms: z.number().int(),
        mechanisms: z.number().int(),
      }),
      home: z.boolean(),
      direction: z.enum(DIRECTIONS).nullable(),
      direction_zh: z.string().nullable(),
      direction_en: z.string().nullable(),
      reason_zh: z.string(),
      reason_en: z.string(),
    }),
  ),
  bands: z.array(z.object({ band: z.string().nullable(), ranked: z.boolean(), min: z.number().nullable(), countries: z.number().int() })),
  directions: z.object({ bring_in: z.number().int(), both: z.number().int(), go_out: z.number().int(), none: z.number().int() }),
  unresolved: z.array(
    z.object({
      name: z.string(),
      import_id: z.number().int(),
      file_name: z.string(),
      row: z.number().int().nullable(),
      suggestions: z.array(z.object({ iso3: z.string(), name_zh: z.string(), name_en: z.string() })),
    }),
  ),
});
