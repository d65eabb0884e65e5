/** GET /api/home: what the logged-in user's home page shows. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { homeSummary } from './home.service.ts';

const label = { zh: z.string(), en: z.string() };

export const homeApi: FastifyPluginAsync = async (app) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/home',
    {
      schema: {
        tags: ['home'],
        summary: '工作台：数据概览与待办提醒 / Home: counts and what needs attention',
        response: {
          200: z.object({
            counts: z.array(z.object({ kind: z.string(), ...label, total: z.number() })),
            attention: z.array(z.object({ kind: z.string(), count: z.number(), ...label, link: z.string() })),
            recent_imports: z.array(
              z.object({ id: z.number(), kind: z.string(), file_name: z.string(), status: z.string(), rows_imported: z.number(), rows_rejected: z.number(), issue_count: z.number(), started_at: z.string() }),
            ),
            plans: z.array(z.object({ id: z.number(), name: z.string(), targets_lagging: z.number(), tasks_overdue: z.number(), reports_to_review: z.number() })),
          }),
        },
      },
    },
    async (req) => homeSummary(ctx(req)),
  );
};
