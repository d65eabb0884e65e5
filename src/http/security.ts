/**
 * What the server does for the browser's side of security, on every request:
 *
 * - security headers on every reply: a Content-Security-Policy that the built web application
 *   and the API documentation (swagger-ui) satisfy, no MIME sniffing, no referrer beyond the
 *   origin to other sites, and no framing (clickjacking);
 * - the refusal of cross-site state-changing requests (CSRF): a POST, PUT, PATCH or DELETE that
 *   a browser sends from a page of another origin — another site, or another port of this host,
 *   which is the same *site* to the browser and so carries the session cookie whatever its
 *   SameSite — is answered 403 CSRF_ORIGIN_REJECTED before it is authenticated or parsed.
 *
 * docs/ARCHITECTURE.md (Decisions) gives the reasons.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { crossSiteRefused } from '../errors.ts';

/**
 * The policy. Scripts only from this origin (Vite emits no inline script; ECharts and the
 * rest need no eval). Styles also inline: Ant Design's CSS-in-JS inserts <style> elements at
 * run time and ECharts' tooltips are HTML with style attributes — a nonce would cover the
 * former only, and styles cannot run script. Images from this origin and data: URLs (the
 * page icon, swagger-ui's icons). Nothing may frame a page, and forms post only here.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers every reply carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // Not no-referrer: under it browsers send `Origin: null` with the application's own POSTs.
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const headerOf = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Whether a URL (an Origin or a Referer) names this server's host and port. */
function sameHost(url: string, host: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    // The request's host read with the URL's scheme, so a default port compares equal (:80, :443).
    return u.host === new URL(`${u.protocol}//${host}`).host;
  } catch {
    return false; // 'null' (a sandboxed or privacy-sensitive context), or garbage
  }
}

/** A Referer shown by its origin alone (its path and query are the other site's business). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url.slice(0, 200);
  }
}

/**
 * Where a state-changing request came from when that is another origin, else null. The
 * browser's own word first: Sec-Fetch-Site (sent to HTTPS and loopback servers) says
 * same-origin, or none for what the user did directly. Without it, the Origin header — sent by
 * browsers with every cross-origin request and every POST — must name this host (the Host
 * header, or X-Forwarded-Host with INNOLINK_TRUST_PROXY), and failing that the Referer. A
 * request with neither did not come from a page: curl, scripts and the tests, which may go on.
 * The scheme is not compared: behind a TLS proxy the server does not know it unless told, and
 * a browser on HTTPS always sends Sec-Fetch-Site.
 */
export function crossSiteSource(req: FastifyRequest): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const site = headerOf(req, 'sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none' ? null : `Sec-Fetch-Site: ${site}`;
  const origin = headerOf(req, 'origin');
  if (origin !== undefined) return sameHost(origin, req.host) ? null : origin.slice(0, 200);
  const referer = headerOf(req, 'referer');
  if (referer !== undefined) return sameHost(referer, req.host) ? null : originOf(referer);
  return null;
}

/** Registers the headers and the cross-site refusal; register before authentication and routes. */
export function registerSecurity(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    void reply.headers(SECURITY_HEADERS);
    const source = crossSiteSource(req);
    if (source !== null) throw crossSiteRefused(source);
  });
}
