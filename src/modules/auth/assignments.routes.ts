/**
 * Review assignments API: GET /assignments (administrators, bureau officers in their scope,
 * a reviewer its own), POST /assignments and DELETE /assignments/:id (administrators and
 * bureau officers).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { ASSIGNABLE_KINDS, assign, listAssignments, unassign } from './assignments.service.ts';

const tags = ['assignments'];
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const assignment = z.object({
  id: z.number(),
  reviewer: z.object({ id: z.number(), username: z.string(), display_name: z.string().nullable() }),
  kind: z.string(),
  target_id: z.number(),
  note: z.string().nullable(),
  assigned_by: z.string(),
  assigned_at: z.string(),
});

const kindDoc = `记录类型 / record kind: ${ASSIGNABLE_KINDS.join(', ')}`;

export const assignmentsApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/assignments',
    {
      schema: {
        tags,
        summary: '评审分配列表 / Review assignments',
        description: '管理员看全部，业务处室看其辖区内记录的分配，评审专家看自己的 / administrators see all, bureau officers those of records in their scope, a reviewer its own',
        querystring: z.object({
          reviewer: z.string().trim().min(1).max(64).optional().describe('评审专家用户名或编号 / reviewer user name or id'),
          kind: z.string().trim().min(1).max(40).optional().describe(kindDoc),
          target_id: id.optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: z.object({ items: z.array(assignment), total: z.number(), page: z.number(), pageSize: z.number() }) },
      },
    },
    async (req) => listAssignments(ctx(req), req.query),
  );

  r.post(
    '/assignments',
    {
      schema: {
        tags,
        summary: '分配评审记录 / Assign a record to a reviewer',
        body: z
          .object({
            reviewer: z.union([z.number().int().positive(), z.string().trim().min(1).max(64)]).describe('评审专家用户名或编号 / reviewer user name or id'),
            kind: z.string().trim().min(1).max(40).describe(kindDoc),
            target_id: z.number().int().positive(),
            note: z.string().max(1000).nullable().optional(),
          })
          .strict(),
        response: { 201: assignment },
      },
    },
    async (req, reply) => reply.status(201).send(await assign(ctx(req), req.body)),
  );

  r.delete(
    '/assignments/:id',
    {
      schema: { tags, summary: '取消评审分配 / Remove a review assignment', params: z.object({ id }), response: { 204: z.null() } },
    },
    async (req, reply) => {
      await unassign(ctx(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
};
