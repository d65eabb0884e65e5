/**
 * Query API: funding summed by any dimensions (`/api/query/funding?by=region,year`).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { CONTENT_TYPES, exportStream } from '../exports/export.ts';
import { parseDimensions, parseWhere, queryFunding } from './funding.service.ts';

const year = z.coerce.number().int().min(1900).max(2200).optional();

export const queryApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const query = z.object({
    by: z.string().min(1).max(200).describe('year,region,country,level,field,mode,project,source,industry'),
    from: year,
    to: year,
    where: z.union([z.string(), z.array(z.string())]).optional().describe('key=value，可重复 / repeatable'),
    currency: z.string().regex(/^[A-Za-z]{3}$/).optional(),
  });
  const run = (req: Parameters<typeof ctx>[0], q: z.infer<typeof query>) =>
    queryFunding(ctx(req), {
      by: parseDimensions(q.by),
      from: q.from,
      to: q.to,
      where: parseWhere(q.where === undefined ? [] : Array.isArray(q.where) ? q.where : [q.where]),
      currency: q.currency,
    });
  r.get(
    '/query/funding',
    {
      schema: {
        tags: ['query'],
        summary: '经费汇总 / Funding by dimensions',
        querystring: query,
        response: {
          200: z.object({
            unit: z.string(),
            currency: z.string(),
            total: z.number(),
            records: z.number(),
            rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
          }),
        },
      },
    },
    async (req) => run(req, req.query),
  );
  r.get(
    '/query/funding/export',
    {
      schema: {
        tags: ['query'],
        summary: '导出经费汇总 / Export funding by dimensions (CSV, XLSX)',
        querystring: query.extend({ format: z.enum(['csv', 'xlsx']).default('xlsx') }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const result = await run(req, q);
      const dims = parseDimensions(q.by);
      const columns = [...dims.map((d) => ({ key: d, header: d })), { key: 'amount', header: `金额（${result.unit}） / Amount` }, { key: 'records', header: '记录数 / Records' }];
      void reply.header('content-type', CONTENT_TYPES[q.format]).header('content-disposition', `attachment; filename="funding.${q.format}"`);
      return reply.send(exportStream(q.format, '经费汇总', columns, result.rows));
    },
  );
};
