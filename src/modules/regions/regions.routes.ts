/**
 * Administrative regions API: browse the hierarchy, read one with its children (reference data
 * every user reads), add a unit (park, city-level bodies …) under a region the actor's scope
 * holds (the policy: officers in their scope, administrators).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound } from '../../errors.ts';
import { ctx } from '../../http/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can } from '../auth/auth.policy.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { insertRegion, listRegions, regionById } from './regions.repo.ts';
import { ownRegionPath, regionDetail } from './regions.service.ts';

const region = z.object({
  id: z.number(),
  code: z.string().nullable(),
  name: z.string(),
  short_name: z.string(),
  name_en: z.string().nullable(),
  level: z.string(),
  kind: z.string(),
  parent_id: z.number().nullable(),
  path: z.string(),
  note: z.string().nullable(),
});

export const regionsApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/regions',
    {
      schema: {
        tags: ['regions'],
        summary: '行政区划列表 / List administrative regions',
        querystring: z.object({
          q: z.string().max(50).optional(),
          parent_id: z.coerce.number().int().positive().optional(),
          level: z.enum(['province', 'city', 'district', 'unit']).optional(),
          /** `mine`: the asker's own region and what lies below it (the installation's home city for those without one) — what a form offers first. */
          scope: z.enum(['mine']).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: z.object({ items: z.array(region), total: z.number(), page: z.number(), pageSize: z.number() }) },
      },
    },
    async (req) => {
      const q = req.query;
      const within = q.scope === 'mine' ? await ownRegionPath(ctx(req)) : undefined;
      const { items, total } = await listRegions(req.server.db, {
        q: q.q,
        parentId: q.parent_id,
        level: q.level,
        within,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },
  );
  r.get(
    '/regions/:id',
    {
      schema: {
        tags: ['regions'],
        summary: '行政区划详情（含上级与下级） / Region with ancestors and children',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: region.extend({ ancestors: z.array(region.nullable()), children: z.array(region) }) },
      },
    },
    async (req) => regionDetail(req.server.db, req.params.id),
  );
  r.post(
    '/regions',
    {
      schema: {
        tags: ['regions'],
        summary: '在上级地区下新增单位（园区、市直属等） / Add a unit under a region',
        body: z
          .object({
            parent_id: z.number().int().positive(),
            name: z.string().trim().min(1).max(50),
            name_en: z.string().trim().max(100).optional(),
            kind: z.enum(['park', 'city_direct', 'former_district', 'district', 'other']).default('other'),
            note: z.string().max(500).optional(),
          })
          .strict(),
        response: { 201: region },
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      const parent = await regionById(c.db, req.body.parent_id);
      if (!parent) throw notFound('region', req.body.parent_id);
      // A unit belongs to its parent's subtree: officers add units where their scope reaches.
      if (!can(c.actor, 'create', { kind: 'regions', region_id: Number(parent.id), region_path: parent.path, classification: 'public' })) throw forbidden();
      try {
        const row = await c.db.transaction(async (tx) => {
          const created = await insertRegion(tx, { ...req.body, short_name: req.body.name, level: 'unit', parent_id: parent.id });
          await recordAudit(tx, { actor: c.actor, action: 'create', entity: 'region', entityId: created.id, before: null, after: created, requestId: c.requestId });
          return created;
        });
        return reply.status(201).send(row);
      } catch (e) {
        throw translatePgError(e);
      }
    },
  );
};
