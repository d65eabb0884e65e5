/**
 * Security headers on every reply, and the refusal of cross-site state-changing requests
 * (issue 21, finding 6): every POST, PUT, PATCH and DELETE route answers a browser request
 * from another origin — another site, another port of this host, an opaque origin — with 403
 * CSRF_ORIGIN_REJECTED and writes nothing; the application's own pages (same origin) and
 * clients that send no Origin (curl, scripts) go on; behind a proxy the forwarded host counts
 * only with INNOLINK_TRUST_PROXY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { CONTENT_SECURITY_POLICY } from './security.ts';
import { testApp, testConfig, type TestApp } from '../../test/app.ts';
import { registeredRoutes } from '../../test/routes.ts';
import { freshStore, type TestStore } from '../../test/stores.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp('pglite');
});
afterAll(async () => t?.close());

const orgCount = async () => (await t.app.inject({ url: '/api/organizations?pageSize=1' })).json().total as number;
const newOrg = (name: string, headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/api/organizations', payload: { name_zh: name, domestic: true }, headers });

describe('security headers', () => {
  it.each([
    ['the web application', 'GET', '/'],
    ['a deep link', 'GET', '/analytics/map'],
    ['an API answer', 'GET', '/api/projects'],
    ['the health check', 'GET', '/api/health'],
    ['the API documentation', 'GET', '/api/docs/static/index.html'],
    ['a documentation asset', 'GET', '/api/docs/static/swagger-ui.css'],
    ['an unknown route', 'GET', '/api/nothing-here'],
    ['a refusal', 'POST', '/api/organizations'],
  ])('%s carries them (%s %s)', async (_what, method, url) => {
    const res = await t.app.inject({ method: method as 'GET' | 'POST', url, headers: method === 'POST' ? { origin: 'http://evil.example' } : {} });
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('allows scripts from this origin only and refuses framing', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });
});

describe('cross-site state-changing requests', () => {
  it('are refused on every POST, PUT, PATCH and DELETE route, in Chinese and English', async () => {
    const routes = registeredRoutes(t.app.printRoutes({ commonPrefix: false })).filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(routes.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const r of routes) {
      const url = r.route.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'x');
      const res = await t.app.inject({ method: r.method as 'POST', url, headers: { origin: 'http://127.0.0.1:8080' }, payload: {} });
      const err = res.json().error;
      if (res.statusCode !== 403 || err?.code !== 'CSRF_ORIGIN_REJECTED') wrong.push(`${r.method} ${r.route}: ${res.statusCode} ${err?.code}`);
    }
    expect(wrong).toEqual([]);
    const one = (await t.app.inject({ method: 'DELETE', url: '/api/projects/1', headers: { origin: 'http://127.0.0.1:8080' } })).json().error;
    expect(one.message).toMatch(/[\u4e00-\u9fff]/);
    expect(one.message).toContain('http://127.0.0.1:8080');
    expect(one.message_en).toMatch(/another site/);
    expect(one.details).toEqual([{ field: 'origin', value: 'http://127.0.0.1:8080' }]);
  });

  it('write nothing', async () => {
    const before = await orgCount();
    for (const origin of ['http://evil.example', 'http://localhost:3001', 'null', 'https://localhost.evil.example']) {
      const res = await newOrg(`跨站 ${origin}`, { origin });
      expect(res.statusCode, origin).toBe(403);
    }
    expect(await orgCount()).toBe(before);
  });

  it('from another port of this host are refused though the browser calls it the same site', async () => {
    const res = await newOrg('同站不同端口', { origin: 'http://localhost:5173', 'sec-fetch-site': 'same-site' });
    expect(res.json().error.code).toBe('CSRF_ORIGIN_REJECTED');
    // Without Sec-Fetch-Site (a plain-HTTP server on a LAN address), the Origin alone decides.
    expect((await newOrg('另一端口', { origin: 'http://localhost:8443' })).statusCode).toBe(403);
  });

  it('go on from the application’s own pages, with or without the default port', async () => {
    // inject() sends Host: localhost:80.
    expect((await newOrg('同源甲', { origin: 'http://localhost:80' })).statusCode).toBe(201);
    expect((await newOrg('同源乙', { origin: 'http://localhost' })).statusCode).toBe(201);
    expect((await newOrg('同源丙', { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
    expect((await newOrg('同源丁', { referer: 'http://localhost/registries/organizations/new' })).statusCode).toBe(201);
  });

  it('go on without Origin or Referer (curl with a cookie, scripts)', async () => {
    const before = await orgCount();
    expect((await newOrg('脚本写入', {})).statusCode).toBe(201);
    expect(await orgCount()).toBe(before + 1);
  });

  it('are refused by what the browser says first: Sec-Fetch-Site, then Origin, then Referer', async () => {
    // Sec-Fetch-Site cannot be set by a page: a cross-site one is refused even with a matching Origin.
    expect((await newOrg('甲', { origin: 'http://localhost', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    // A Referer of another site without an Origin (an old browser) is refused, by its origin alone.
    const res = await newOrg('乙', { referer: 'http://evil.example/attack?x=1' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details).toEqual([{ field: 'origin', value: 'http://evil.example' }]);
  });

  it('refuse a log-in from another site (no session is set)', async () => {
    const res = await t.anon({ method: 'POST', url: '/api/auth/login', payload: { username: 'test-admin', password: 'x' }, headers: { origin: 'http://evil.example' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_ORIGIN_REJECTED');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('leave reading alone: GET and HEAD with another Origin answer', async () => {
    expect((await t.app.inject({ url: '/api/projects', headers: { origin: 'http://evil.example' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'HEAD', url: '/api/health', headers: { origin: 'http://evil.example' } })).statusCode).toBe(200);
  });
});

describe('cross-site requests behind a proxy', () => {
  let store: TestStore;
  afterAll(async () => store?.close());

  it('count the forwarded host only with INNOLINK_TRUST_PROXY', async () => {
    store = await freshStore('pglite');
    // The proxy forwards to 127.0.0.1:3000; the browser's page is https://innolink.example.gov.
    const headers = { host: '127.0.0.1:3000', 'x-forwarded-host': 'innolink.example.gov', 'x-forwarded-proto': 'https', origin: 'https://innolink.example.gov' };
    const post = { method: 'POST' as const, url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password' }, headers };
    for (const trustProxy of [true, false]) {
      const app = await buildApp({ db: store.db, config: { ...testConfig(), trustProxy } });
      try {
        const res = await app.inject(post);
        // Trusted: the request goes on to the log-in, which refuses the unknown name (401).
        expect(res.statusCode, `trustProxy=${trustProxy}`).toBe(trustProxy ? 401 : 403);
        const other = await app.inject({ ...post, headers: { ...headers, origin: 'https://evil.example' } });
        expect(other.statusCode).toBe(403);
      } finally {
        await app.close();
      }
    }
  });
});
