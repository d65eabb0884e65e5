/**
 * Data-quality API under /api/quality: a summary, then stated figures that disagree with the
 * registries, files whose totals disagree with their details, unresolved names, and likely
 * duplicate organisations — each item with its import and rows.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctx } from '../../http/context.ts';
import { duplicatesQuery, duplicatesReply, factsReply, summaryReply, totalsReply, unresolvedQuery, unresolvedReply } from './quality.schema.ts';
import { qualityDuplicates, qualityFacts, qualitySummary, qualityTotals, qualityUnresolved } from './quality.service.ts';

export const qualityApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['quality'];

  r.get('/quality', { schema: { tags, summary: '数据质量概况 / Data-quality summary', response: { 200: summaryReply } } }, async (req) => qualitySummary(ctx(req)));

  r.get(
    '/quality/facts',
    {
      schema: {
        tags,
        summary: '与登记数据不符的统计数字 / Stated figures that disagree with the registries',
        description: '按导入时的规则重新核对：经费合计、项目数、合作国家数、名单与数量 / checked again now with the importer’s rules: funding totals, project counts, partner-country counts, lists against their counts',
        response: { 200: factsReply },
      },
    },
    async (req) => qualityFacts(ctx(req)),
  );

  r.get(
    '/quality/totals',
    { schema: { tags, summary: '合计与明细不符的文件 / Files whose totals disagree with their details', response: { 200: totalsReply } } },
    async (req) => qualityTotals(ctx(req)),
  );

  r.get(
    '/quality/unresolved',
    {
      schema: {
        tags,
        summary: '未能识别的名称 / Names the imports could not resolve',
        description: '国家、项目编号、新增的地区、与已登记机构相近的新机构，按名称归并，附导入批次与行号 / countries, project codes, regions added, new organisations close to registered ones — by name, with imports and rows',
        querystring: unresolvedQuery,
        response: { 200: unresolvedReply },
      },
    },
    async (req) => qualityUnresolved(ctx(req), { kind: req.query.kind }),
  );

  r.get(
    '/quality/duplicates',
    {
      schema: {
        tags,
        summary: '疑似重复的机构 / Likely duplicate organisations',
        description: '名称相近（编辑相似度 ≥ 0.75 或互相包含）、国别相同或未知、标识不冲突；分页扫描 / close names (edit similarity ≥ 0.75 or one inside the other), same or unknown country, no conflicting identifiers; paged scan',
        querystring: duplicatesQuery,
        response: { 200: duplicatesReply },
      },
    },
    async (req) => qualityDuplicates(ctx(req), req.query),
  );
};
