/**
 * Reports API: GET /api/reports/region and GET /api/reports/plan/:id answer a file download
 * (PDF or XLSX) with a UTF-8 file name. Parameters are validated by the service, so a bad
 * format or period gets its own code (FORMAT_UNKNOWN, PERIOD_INVALID) rather than a generic one.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { contentDisposition, planReport, regionReport, type ReportFile } from './reports.service.ts';

const TAGS = ['reports'];
const text = (max: number) => z.string().max(max);

const regionQuery = z.object({
  region: text(100).describe('地区名称或代码，如 常州 / region name or code'),
  from: text(10).optional().describe('起始年 / from year'),
  to: text(10).optional().describe('截止年 / to year'),
  format: text(10).optional().describe('pdf（默认） | xlsx'),
  thresholds: text(200).optional().describe('方阵阈值（万元），默认 2000,1000 / tier thresholds, default 2000,1000'),
  top: text(10).optional().describe('集中度前N位，默认10 / top N for the concentration, default 10'),
});

const planQuery = z.object({
  asOf: text(20).optional().describe('评估日期 YYYY-MM-DD（默认今天） / as-of date (default today)'),
  format: text(10).optional().describe('pdf（默认） | xlsx'),
});

const download = (reply: FastifyReply, file: ReportFile) =>
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file))
    .header('content-length', String(file.body.length))
    .header('cache-control', 'no-store')
    .send(file.body);

export const reportsApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/reports/region',
    {
      schema: {
        tags: TAGS,
        summary: '地区报告（PDF、XLSX） / Region report (PDF, XLSX)',
        description:
          '所选地区和期间的经费（按年份、区县）、方阵、合作国家集中度、趋势、国别策略和数据质量说明；PDF 含图表并嵌入中文字体，XLSX 每表一页 / ' +
          'funding by year and district, tiers, concentration on partner countries, trends, country strategy and data-quality notes for a region and period; PDF with charts and the Chinese font embedded, XLSX with one sheet per table',
        querystring: regionQuery,
      },
    },
    async (req, reply) => download(reply, await regionReport(ctx(req), req.query)),
  );

  r.get(
    '/reports/plan/:id',
    {
      schema: {
        tags: TAGS,
        summary: '行动计划季度报告（PDF、XLSX） / Quarterly report of an action plan (PDF, XLSX)',
        description:
          '截至评估日期的目标进展（状态、比值、预测）、各责任单位的任务及逾期标记、督办清单 / ' +
          'status board (targets with status, ratio and forecast), tasks by responsible unit with overdue flags, and the supervision list, as of a date',
        params: z.object({ id: z.coerce.number().int().positive() }),
        querystring: planQuery,
      },
    },
    async (req, reply) => download(reply, await planReport(ctx(req), { plan: req.params.id, asOf: req.query.asOf, format: req.query.format })),
  );
};
