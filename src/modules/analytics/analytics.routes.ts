/**
 * Analytics API under /api/analytics: tiers (方阵), concentration, trends and stability, the
 * collaboration network, and the country strategy.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { parseWhere } from '../query/funding.service.ts';
import {
  concentrationQuery,
  concentrationReply,
  networkQuery,
  networkReply,
  strategyBody,
  strategyQuery,
  strategyReply,
  strategyRulesReply,
  tiersQuery,
  tiersReply,
  trendsQuery,
  trendsReply,
} from './analytics.schema.ts';
import { parseThresholds, queryConcentration, queryNetwork, queryStrategy, queryTiers, queryTrends, type UnitQuery } from './analytics.service.ts';
import { DEFAULT_STRATEGY_RULES } from './analytics.strategy.ts';

const conditions = (where: string | string[] | undefined) => parseWhere(where === undefined ? [] : Array.isArray(where) ? where : [where]);

const unitQueryOf = (q: z.output<typeof tiersQuery | typeof trendsQuery>): UnitQuery => ({
  by: q.by,
  measure: q.measure,
  from: q.from,
  to: q.to,
  where: conditions(q.where),
  currency: q.currency,
  districtsOnly: q.districtsOnly,
});

export const analyticsApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['analytics'];

  r.get(
    '/analytics/tiers',
    {
      schema: {
        tags,
        summary: '方阵分档 / Tiers of units by thresholds or quantiles',
        description:
          '按阈值（如 2000,1000：≥2000、1000–2000、<1000）或分位数把单位分为一级、二级、三级方阵 / ' +
          'groups units into tiers by thresholds (2000,1000: ≥ 2000, 1000–2000, < 1000) or by quantiles',
        querystring: tiersQuery,
        response: { 200: tiersReply },
      },
    },
    async (req) =>
      queryTiers(ctx(req), {
        ...unitQueryOf(req.query),
        thresholds: req.query.thresholds === undefined ? undefined : parseThresholds(req.query.thresholds),
        quantiles: req.query.quantiles,
      }),
  );

  r.get(
    '/analytics/concentration',
    {
      schema: {
        tags,
        summary: '集中度 / Concentration: top-N share, HHI, Gini',
        description:
          '前N位占比、赫芬达尔指数（份额平方和，份额合计为1）、基尼系数（各单位合计值的总体基尼系数）；度量可按经费记录，或按项目合作方计（participations、partner_projects） / ' +
          'top-N share, Herfindahl–Hirschman index (sum of squared shares summing to 1), population Gini of the unit totals; measures on funding lines, or on project partners (participations, partner_projects)',
        querystring: concentrationQuery,
        response: { 200: concentrationReply },
      },
    },
    async (req) =>
      queryConcentration(ctx(req), {
        by: req.query.by,
        measure: req.query.measure,
        from: req.query.from,
        to: req.query.to,
        where: conditions(req.query.where),
        currency: req.query.currency,
        districtsOnly: req.query.districtsOnly,
        top: req.query.top,
      }),
  );

  r.get(
    '/analytics/trends',
    {
      schema: {
        tags,
        summary: '趋势与稳定性 / Trends and stability',
        description:
          '各单位逐年变化、复合增长率、变异系数及年度合计的走势形状（如“W型”：降、升、降） / ' +
          'year-on-year change, CAGR, coefficient of variation per unit, and the shape of the yearly totals',
        querystring: trendsQuery,
        response: { 200: trendsReply },
      },
    },
    async (req) => queryTrends(ctx(req), { ...unitQueryOf(req.query), cvThreshold: req.query.cvThreshold }),
  );

  r.get(
    '/analytics/network',
    {
      schema: {
        tags,
        summary: '合作网络 / Collaboration network with centrality',
        description:
          '由项目合作关系构成的国家或机构网络：度、加权度、介数中心性（归一化）、特征向量中心性；links=true 时另给出连线（节点多于 linkNodes 时仅限度最高的节点之间） / ' +
          'network of countries or organisations from project partnerships: degree, weighted degree, normalised betweenness, eigenvector centrality; with links=true also the links (only among the nodes of highest degree when there are more than linkNodes)',
        querystring: networkQuery,
        response: { 200: networkReply },
      },
    },
    async (req) =>
      queryNetwork(ctx(req), {
        level: req.query.level,
        weight: req.query.weight,
        where: conditions(req.query.where),
        lead: req.query.lead,
        links: req.query.links,
        linkNodes: req.query.linkNodes,
      }),
  );

  r.get(
    '/analytics/strategy',
    {
      schema: {
        tags,
        summary: '国别合作策略 / Country strategy (bring in, both ways, go out)',
        description:
          '每个合作国家的创新水平（GII排名区间）、所属国家组、我方合作情况及建议合作方向（默认规则） / ' +
          "each partner country's innovation level (GII rank band), groups, our cooperation and the suggested direction (default rules)",
        querystring: strategyQuery,
        response: { 200: strategyReply },
      },
    },
    async (req) => queryStrategy(ctx(req), { group: req.query.group, all: req.query.all }),
  );

  r.post(
    '/analytics/strategy',
    {
      schema: {
        tags,
        summary: '按自定规则的国别合作策略 / Country strategy with your own rules',
        body: strategyBody,
        response: { 200: strategyReply },
      },
    },
    async (req) => queryStrategy(ctx(req), req.body),
  );

  r.get(
    '/analytics/strategy/rules',
    {
      schema: {
        tags,
        summary: '默认国别策略规则 / The default strategy rules (003 §4.1)',
        response: { 200: strategyRulesReply },
      },
    },
    async () => DEFAULT_STRATEGY_RULES,
  );
};
