/**
 * Audit log API (administrators): GET /audit with filters and paging, GET /audit/verify.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { listAudit, verifyAudit } from './audit.service.ts';

// A day (2026-03-01) or a time with its zone (2026-03-01T08:00:00Z, …+08:00).
const dayOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const auditQuery = z.object({
  actor: z.string().max(100).optional(),
  actor_user_id: z.coerce.number().int().positive().optional(),
  action: z.string().max(100).optional(),
  entity: z.string().max(100).optional(),
  entity_id: z.string().max(100).optional(),
  from: dayOrTime.optional(),
  to: dayOrTime.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

const entry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  actor_user_id: z.number().nullable(),
  action: z.string(),
  entity: z.string(),
  entity_id: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  request_id: z.string().nullable(),
  hash: z.string(),
});

const problem = z.object({
  seq: z.number().nullable(),
  problem: z.enum(['edited', 'chain_broken', 'head_mismatch']),
  message: z.string(),
  message_en: z.string(),
});

export const auditApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志（管理员） / Audit log (administrators)',
        querystring: auditQuery,
        response: { 200: z.object({ items: z.array(entry), total: z.number(), page: z.number(), pageSize: z.number() }) },
      },
    },
    async (req) => listAudit(ctx(req), req.query),
  );
  r.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计日志哈希链（管理员） / Verify the audit hash chain (administrators)',
        response: {
          200: z.object({ ok: z.boolean(), entries: z.number(), head: z.object({ seq: z.number(), hash: z.string() }), first_bad: problem.optional() }),
        },
      },
    },
    async (req) => verifyAudit(ctx(req)),
  );
};
