/**
 * `authenticate`: the Fastify plugin that gives every request its actor. An onRequest hook
 * reads the session cookie and sets `req.actor` (the user's actor) and `req.session`; requests
 * without a live session get the anonymous public actor, and — `requireLogin` — are refused
 * with 401 UNAUTHENTICATED on every API route except the public ones (health, log-in, OpenAPI,
 * docs, and routes whose config says `public: true`). Pages outside /api are not gated here.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { unauthenticated } from '../../errors.ts';
import { ANONYMOUS } from './auth.policy.ts';
import { DEFAULT_AUTH_SETTINGS, sessionFromToken, type AuthSettings, type Session } from './auth.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The live session of the request, or null (anonymous). */
    session: Session | null;
  }
  interface FastifyInstance {
    authSettings: AuthSettings;
  }
  interface FastifyContextConfig {
    /** Answer without a session (the actor is then the anonymous public one). */
    public?: boolean;
  }
}

/** API paths that answer without a session. */
export const PUBLIC_API_PATHS: readonly (string | RegExp)[] = [
  '/api/health',
  '/api/auth/login',
  '/api/auth/logout',
  '/api/openapi.json',
  /^\/api\/docs(\/|$)/,
];

export interface AuthenticateOptions extends Partial<AuthSettings> {
  /** Replaces PUBLIC_API_PATHS. */
  publicPaths?: readonly (string | RegExp)[];
}

/** Whether a request must come with a session (the requireLogin policy). */
export function requiresLogin(req: FastifyRequest, publicPaths: readonly (string | RegExp)[] = PUBLIC_API_PATHS): boolean {
  // The matched route's own pattern when there is one: a raw URL can be dressed up.
  const path = req.routeOptions.url ?? req.url.split('?')[0];
  if (path !== '/api' && !path.startsWith('/api/')) return false;
  if (req.routeOptions.config?.public === true) return false;
  return !publicPaths.some((p) => (typeof p === 'string' ? p === path : p.test(path)));
}

/** The Secure flag for a cookie set in reply to `req`. */
export function secureCookie(req: FastifyRequest, settings: AuthSettings): boolean {
  return settings.secureCookies === 'auto' ? req.protocol === 'https' : settings.secureCookies;
}

/**
 * Sets the session cookie: HTTP-only, SameSite=Strict, Secure on HTTPS, ending with the
 * session. Strict costs the single-page application nothing (its page is public; its API calls
 * come from its own pages) and keeps the cookie off every request another site starts. Pages
 * on another port of the same host are the same site: src/http/security.ts refuses their writes.
 */
export function setSessionCookie(reply: FastifyReply, req: FastifyRequest, settings: AuthSettings, token: string, expires: Date): void {
  void reply.setCookie(settings.cookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: secureCookie(req, settings),
    expires,
  });
}

export function clearSessionCookie(reply: FastifyReply, req: FastifyRequest, settings: AuthSettings): void {
  void reply.clearCookie(settings.cookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookie(req, settings) });
}

/** Registers @fastify/cookie on `app` unless it is there already. */
export async function ensureCookies(app: FastifyInstance): Promise<void> {
  if (!app.hasReplyDecorator('setCookie')) await app.register(cookie);
}

const authenticatePlugin: FastifyPluginAsync<AuthenticateOptions> = async (app, opts) => {
  const { publicPaths = PUBLIC_API_PATHS, ...overrides } = opts;
  const settings: AuthSettings = Object.freeze({ ...DEFAULT_AUTH_SETTINGS, ...overrides });
  await ensureCookies(app);
  app.decorate('authSettings', settings);
  if (!app.hasRequestDecorator('actor')) app.decorateRequest('actor', null as never);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req, reply) => {
    req.session = null;
    req.actor = ANONYMOUS;
    const token = req.cookies[settings.cookieName];
    if (token) {
      const session = await sessionFromToken(req.server.db, token);
      if (session) {
        req.session = session;
        req.actor = session.actor;
      } else {
        clearSessionCookie(reply, req, settings); // expired or unknown: let the browser forget it
      }
    }
    if (!req.session && requiresLogin(req, publicPaths)) throw unauthenticated();
  });
};
// Like fastify-plugin: the hook and decorators belong to the instance that registers this,
// so they apply to every route registered after it.
(authenticatePlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/** The authentication plugin; register it on the root instance before any route. */
export const authenticate = authenticatePlugin;
