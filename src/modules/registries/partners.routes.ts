/**
 * A project's partners (合作单位 and their countries): list, add, remove. The service checks the
 * actor: reading needs the project in scope (404), changing needs the right to update it (403).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { PARTNER_ROLES } from './enums.ts';
import { addPartner, listPartners, removePartner } from './partners.service.ts';

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
    async (req) => (await listPartners(ctx(req), req.params.id)) as z.infer<typeof partner>[],
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
    async (req, reply) => reply.status(201).send((await addPartner(ctx(req), req.params.id, req.body)) as z.infer<typeof partner>[]),
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
      await removePartner(ctx(req), req.params.id, req.params.partnerId);
      return reply.status(204).send(null);
    },
  );
};
