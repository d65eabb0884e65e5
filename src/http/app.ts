/**
 * Builds the HTTP application (API under /api, OpenAPI at /api/openapi.json, docs at /api/docs).
 * Listening happens elsewhere, so tests use app.inject().
 */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import multipart from '@fastify/multipart';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { registerErrorHandling } from './errors.plugin.ts';
import './context.ts';
import { apiModules } from './modules.ts';
import { registerWeb } from './home.ts';
import { registerSecurity } from './security.ts';
import { authenticate } from '../modules/auth/auth.plugin.ts';

export interface AppOptions {
  db: Db;
  config: Config;
  logger?: boolean | object;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: opts.config.trustProxy,
    genReqId: () => `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
  });
  app.decorate('db', opts.db);
  app.decorate('config', opts.config);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // Security headers on every reply; cross-site writes refused before anything else looks at them.
  registerSecurity(app);
  // Every request gets its actor from its session; API routes without one answer 401.
  await app.register(authenticate, { secureCookies: opts.config.secureCookies });

  await app.register(multipart, { limits: { fileSize: opts.config.maxImportBytes, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'innolink API',
        description: '国际科技合作管理平台接口 / International STI cooperation platform API',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: '健康检查 / Health check',
        response: { 200: z.object({ status: z.literal('ok'), store: z.enum(['pglite', 'postgres']) }) },
      },
    },
    async () => {
      try {
        await opts.db.query('SELECT 1');
      } catch {
        throw new AppError('STORE_UNAVAILABLE', 503, '数据库不可用', 'The store is not reachable');
      }
      return { status: 'ok' as const, store: opts.db.engine };
    },
  );
  api.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerWeb(app, opts.config.webDir);
  for (const mod of apiModules) await app.register(mod, { prefix: '/api' });
  return app;
}
