/**
 * A project's partners (合作单位 and their countries): list, add, remove. Writes go through
 * the project's own scope check: whoever may not see the project may not change its partners.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound, validationFailed } from '../../errors.ts';
import { ctx } from '../../http/context.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { registryService } from '../registry/registry.service.ts';
import { projects } from './defs.ts';
import { PARTNER_ROLES } from './enums.ts';
import { projectRelated } from './projects.related.ts';

const service = registryService(projects);
const params = z.object({ id: z.coerce.number().int().positive() });
const partner = z.object({
  id: z.number(),
  role: z.string(),
  org_id: z.number().nullable(),
  org_name: z.string().nullable(),
  country_iso3: z.string().nullable(),
  country_name_zh: z.string().nullable(),
  country_name_en: z.string().nullable(),
  contribution: z.number().nullable(),
  currency: z.string().nullable(),
});

export const partnersApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/projects/:id/partners',
    { schema: { tags: ['projects'], summary: '项目合作方 / Partners of a project', params, response: { 200: z.array(partner) } } },
    async (req) => {
      await service.get(ctx(req), req.params.id);
      return (await projectRelated(req.server.db, req.params.id)).partners as z.infer<typeof partner>[];
    },
  );
  r.post(
    '/projects/:id/partners',
    {
      schema: {
        tags: ['projects'],
        summary: '添加合作方 / Add a partner',
        params,
        body: z
          .object({
            org_id: z.number().int().positive().optional(),
            country_iso3: z.string().regex(/^[A-Za-z]{3}$/).transform((v) => v.toUpperCase()).optional(),
            role: z.enum(PARTNER_ROLES.map((v) => v.value) as [string, ...string[]]).default('partner'),
            contribution: z.number().min(0).optional(),
            currency: z.string().regex(/^[A-Z]{3}$/).optional(),
          })
          .strict(),
        response: { 201: z.array(partner) },
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      if (c.actor.role === 'public' || c.actor.role === 'reviewer' || c.actor.role === 'evaluator') throw forbidden();
      await service.get(c, req.params.id);
      const b = req.body;
      if (!b.org_id && !b.country_iso3) {
        throw validationFailed([{ field: 'org_id', code: 'PARTNER_EMPTY', message: '请填写合作单位或国别', message_en: 'Give an organisation or a country' }]);
      }
      try {
        await c.db.query(
          `INSERT INTO project_partners (project_id, org_id, country_iso3, role, contribution, currency)
           VALUES ($1, $2, coalesce($3, (SELECT country_iso3 FROM organizations WHERE id = $2)), $4, $5, $6)`,
          [req.params.id, b.org_id ?? null, b.country_iso3 ?? null, b.role, b.contribution ?? null, b.currency ?? null],
        );
      } catch (e) {
        throw translatePgError(e);
      }
      return reply.status(201).send((await projectRelated(c.db, req.params.id)).partners as z.infer<typeof partner>[]);
    },
  );
  r.delete(
    '/projects/:id/partners/:partnerId',
    {
      schema: {
        tags: ['projects'],
        summary: '移除合作方 / Remove a partner',
        params: params.extend({ partnerId: z.coerce.number().int().positive() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      if (c.actor.role === 'public' || c.actor.role === 'reviewer' || c.actor.role === 'evaluator') throw forbidden();
      await service.get(c, req.params.id);
      const rows = await c.db.query('DELETE FROM project_partners WHERE id = $1 AND project_id = $2 RETURNING id', [req.params.partnerId, req.params.id]);
      if (!rows.length) throw notFound('record', req.params.partnerId);
      return reply.status(204).send(null);
    },
  );
};
