/**
 * Audit log API (auditors): GET /audit with filters and paging, GET /audit/verify (full, or
 * incremental from the latest checkpoint), POST /audit/checkpoint (verify, then write a
 * checkpoint outside the store). The server's scheduled verification registers here too.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { registerAuditTimer } from './audit.schedule.ts';
import { checkpointAudit, listAudit, verifyAudit } from './audit.service.ts';
import { AUDIT_PROBLEMS } from './audit.verify.ts';

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
  problem: z.enum(AUDIT_PROBLEMS),
  message: z.string(),
  message_en: z.string(),
});

const checkpoint = z.object({ seq: z.number(), hash: z.string(), entries: z.number(), at: z.string(), key_id: z.string() });

const verification = z.object({
  ok: z.boolean(),
  mode: z.enum(['full', 'incremental']),
  entries: z.number(),
  checked: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }),
  key: z.object({ id: z.string(), epoch_seq: z.number().nullable(), legacy_entries: z.number() }),
  checkpoints: z.object({ valid: z.number(), invalid: z.number(), latest: checkpoint.nullable() }),
  first_bad: problem.optional(),
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const auditApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志（审计员） / Audit log (auditors)',
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
        summary: '校验审计日志：密钥链与检查点（审计员） / Verify the audit log: keyed chain and checkpoints (auditors)',
        description:
          '默认完整校验全部记录；incremental=true 时从最近的检查点起校验 / full by default; incremental=true starts from the latest checkpoint',
        querystring: z.object({ incremental: flag.optional() }),
        response: { 200: verification },
      },
    },
    async (req) => verifyAudit(ctx(req), { incremental: req.query.incremental }),
  );
  r.post(
    '/audit/checkpoint',
    {
      schema: {
        tags: ['audit'],
        summary: '校验后写入审计检查点（审计员） / Verify, then write a checkpoint of the audit log (auditors)',
        description:
          '校验通过才写入（written 为写入的检查点），否则 written 为 null / written only when verification passes (written is the checkpoint), else null',
        querystring: z.object({ full: flag.optional() }),
        response: { 200: verification.extend({ written: checkpoint.nullable() }) },
      },
    },
    async (req) => checkpointAudit(ctx(req), { full: req.query.full }),
  );

  registerAuditTimer(app);
};
