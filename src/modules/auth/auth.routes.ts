/**
 * Log-in API: POST /auth/login (sets the session cookie), POST /auth/logout, GET /auth/me,
 * POST /auth/password; with it the users administration (/users) and review assignments
 * (/assignments). Registered under /api; the `authenticate` plugin supplies req.session.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isAppError, unauthenticated } from '../../errors.ts';
import { clearSessionCookie, ensureCookies, setSessionCookie } from './auth.plugin.ts';
import { loginBody, meReply, passwordBody } from './auth.schema.ts';
import { assignmentsApi } from './assignments.routes.ts';
import { usersApi } from './users.routes.ts';
import { changePassword, currentUser, DEFAULT_AUTH_SETTINGS, login, logout, type RequestMeta, type Session } from './auth.service.ts';

const meta = (req: FastifyRequest): RequestMeta => ({
  requestId: req.id,
  ip: req.ip ?? null,
  userAgent: req.headers['user-agent'] ?? null,
});

function sessionOf(req: FastifyRequest): Session {
  if (!req.session) throw unauthenticated();
  return req.session;
}

/** Refusals that say when to try again carry a Retry-After header as well. */
function withRetryAfter<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T> {
  return run().catch((e: unknown) => {
    const wait = isAppError(e) ? e.details[0]?.retry_after_seconds : undefined;
    if (typeof wait === 'number') void reply.header('retry-after', String(wait));
    throw e;
  });
}

export const authApi: FastifyPluginAsync = async (app) => {
  await ensureCookies(app);
  const settings = () => (app.hasDecorator('authSettings') ? app.authSettings : DEFAULT_AUTH_SETTINGS);
  const r = app.withTypeProvider<ZodTypeProvider>();
  await app.register(usersApi);
  await app.register(assignmentsApi);

  r.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: '登录（设置会话 Cookie） / Log in (sets the session cookie)',
        body: loginBody,
        response: { 200: meReply },
      },
    },
    async (req, reply) => {
      const s = settings();
      const result = await withRetryAfter(reply, () =>
        login(req.server.db, req.body.username, req.body.password, s, { ...meta(req), replaces: req.session ?? null }),
      );
      setSessionCookie(reply, req, s, result.token, result.expiresAt);
      return { user: result.user, expires_at: result.expiresAt.toISOString() };
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: '退出登录 / Log out', response: { 204: z.null() } },
    },
    async (req, reply) => {
      if (req.session) await logout(req.server.db, req.session, meta(req));
      clearSessionCookie(reply, req, settings());
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: '当前用户 / The logged-in user', response: { 200: meReply } } },
    async (req) => {
      const session = sessionOf(req);
      return { user: await currentUser(req.server.db, session), expires_at: session.expiresAt.toISOString() };
    },
  );

  r.post(
    '/auth/password',
    {
      schema: { tags: ['auth'], summary: '修改密码 / Change password', body: passwordBody, response: { 204: z.null() } },
    },
    async (req, reply) => {
      const session = sessionOf(req);
      await withRetryAfter(reply, () =>
        changePassword(req.server.db, session, req.body.current_password, req.body.new_password, settings(), meta(req)),
      );
      return reply.status(204).send(null);
    },
  );
};
