/**
 * Region dashboard API under /api/analytics: the eight dashboard figures in one call, the world
 * map by country, and the participation breakdown.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctx } from '../../http/context.ts';
import { parseThresholds } from './analytics.service.ts';
import { dashboardQuery, dashboardReply, mapQuery, mapReply, participationsQuery, participationsReply } from './dashboard.schema.ts';
import { queryDashboard, queryMap } from './dashboard.service.ts';
import { parseParticipationDimensions, queryParticipations } from './participations.service.ts';
import { badRequest } from '../../errors.ts';

/** key=value conditions, each key once. */
function conditions(where: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of where === undefined ? [] : Array.isArray(where) ? where : [where]) {
    const i = item.indexOf('=');
    if (i <= 0) throw badRequest('QUERY_CONDITION_INVALID', `条件格式应为 键=值：${item}`, `A condition must be key=value: ${item}`);
    out[item.slice(0, i).trim()] = item.slice(i + 1).trim();
  }
  return out;
}

export const dashboardApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['analytics'];

  r.get(
    '/analytics/dashboard',
    {
      schema: {
        tags,
        summary: '地区看板 / Region dashboard: the eight figures for a region and period',
        description:
          '按年份、地区、国别、领域的经费（万元），地区方阵，合作国家集中度，世界地图（按国家：项目、参与、经费），合作网络概况；默认读预汇总表 / ' +
          'funding by year, region, country and field; tiers of the regions; concentration on partner countries; the map by country; the network summary. ' +
          'A funding line counts for its own region or, naming none, its project’s; projects are placed by region and start year.',
        querystring: dashboardQuery,
        response: { 200: dashboardReply },
      },
    },
    async (req) =>
      queryDashboard(ctx(req), {
        region: req.query.region,
        from: req.query.from,
        to: req.query.to,
        currency: req.query.currency,
        thresholds: req.query.thresholds === undefined ? undefined : parseThresholds(req.query.thresholds),
        quantiles: req.query.quantiles,
        top: req.query.top,
        weight: req.query.weight,
        nodes: req.query.nodes,
        source: req.query.source,
      }),
  );

  r.get(
    '/analytics/map',
    {
      schema: {
        tags,
        summary: '世界地图数据 / World map by country: projects, participations, funding',
        description:
          '每个国家：有其参与的项目数、参与次数（含牵头方）、记在该国的经费（万元） / ' +
          'per country: projects with a participant of it, its participations (the lead side included), funding booked to it (万元)',
        querystring: mapQuery,
        response: { 200: mapReply },
      },
    },
    async (req) => queryMap(ctx(req), req.query),
  );

  r.get(
    '/analytics/participations',
    {
      schema: {
        tags,
        summary: '参与情况分组统计 / Participations by year, country, role, region, programme or field',
        description:
          'where country=X：有X参与的项目（按 country 分组即X的合作国家）；participant=X：只计X自身的参与 / ' +
          'where country=X keeps projects with a participant of X (by country: X’s partner countries); participant=X counts only X’s own participations',
        querystring: participationsQuery,
        response: { 200: participationsReply },
      },
    },
    async (req) =>
      queryParticipations(ctx(req), {
        by: parseParticipationDimensions(req.query.by),
        where: conditions(req.query.where),
        participant: req.query.participant,
      }),
  );
};
