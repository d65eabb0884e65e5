/**
 * Test helpers for logging in: a user of any role in a store, its session cookie (for
 * app.inject({ headers: { cookie } })), and a small application with the authentication
 * plugin and the auth and audit routes. Used by tests only.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { systemActor } from '../../actor.ts';
import { loadConfig } from '../../config.ts';
import { registerErrorHandling } from '../../http/errors.plugin.ts';
import '../../http/context.ts';
import type { Db } from '../../store/db.ts';
import { auditApi } from '../audit/audit.routes.ts';
import { authenticate, type AuthenticateOptions } from './auth.plugin.ts';
import type { UserRole } from './auth.policy.ts';
import { authApi } from './auth.routes.ts';
import { createUser, DEFAULT_AUTH_SETTINGS, login, type UserDto } from './auth.service.ts';

/** A password that meets the rules. */
export const TEST_PASSWORD = 'Correct-horse-7';

export interface TestUserOptions {
  role: UserRole;
  username?: string;
  /** Region name, code or id (bureau, district …). */
  region?: string | number;
  /** Organisation id or name (organization). */
  org?: string | number;
  password?: string;
}

let counter = 0;

/** Creates a user in the store (as the operator); returns it with its password. */
export async function createTestUser(db: Db, opts: TestUserOptions): Promise<{ user: UserDto; username: string; password: string }> {
  const username = opts.username ?? `${opts.role}-${process.pid}-${++counter}`;
  const password = opts.password ?? TEST_PASSWORD;
  const config = loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: '' });
  const user = await createUser({ db, actor: systemActor('test'), config }, { username, role: opts.role, password, region: opts.region, org: opts.org });
  return { user, username, password };
}

/**
 * A user of the given role and its session cookie, ready for
 * `app.inject({ headers: { cookie } })`.
 */
export async function sessionCookie(db: Db, opts: TestUserOptions): Promise<{ cookie: string; user: UserDto }> {
  const { user, username, password } = await createTestUser(db, opts);
  const { token } = await login(db, username, password, DEFAULT_AUTH_SETTINGS);
  return { cookie: `${DEFAULT_AUTH_SETTINGS.cookieName}=${token}`, user };
}

/** Logs in through the API; returns the cookie header value, or throws with the reply. */
export async function loginCookie(app: FastifyInstance, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`log-in failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === DEFAULT_AUTH_SETTINGS.cookieName);
  return `${c!.name}=${c!.value}`;
}

/**
 * A small application on `db` with what issue 3 adds to the real one: the authenticate plugin,
 * /api/auth/*, /api/audit, plus `extra` routes under /api (e.g. a stand-in registry route).
 */
export async function authTestApp(
  db: Db,
  opts: { auth?: AuthenticateOptions; trustProxy?: boolean; extra?: FastifyPluginAsync } = {},
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy: opts.trustProxy ?? false });
  app.decorate('db', db);
  app.decorate('config', loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: '' }));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await app.register(authenticate, opts.auth ?? {});
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.register(authApi, { prefix: '/api' });
  await app.register(auditApi, { prefix: '/api' });
  if (opts.extra) await app.register(opts.extra, { prefix: '/api' });
  await app.ready();
  return app;
}
