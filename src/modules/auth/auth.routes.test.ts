import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { tokenHash } from './auth.passwords.ts';
import { createTestUser, loginCookie, authTestApp, TEST_PASSWORD } from './auth.testing.ts';

// Stand-ins for routes the real application has: a registry route (gated), the OpenAPI
// document and docs (public), a page outside /api (not gated here), and an opt-out route.
const extra: FastifyPluginAsync = async (app) => {
  app.get('/projects', async (req) => ({ actor: req.actor }));
  app.get('/openapi.json', async () => ({ openapi: '3.0.0' }));
  app.get('/docs/static/index.html', async () => 'docs');
  app.get('/open-data', { config: { public: true } }, async (req) => ({ actor: req.actor }));
};

const errorShape = (body: string) => {
  const e = JSON.parse(body).error;
  expect(Object.keys(e).sort()).toEqual(['code', 'details', 'message', 'message_en', 'requestId']);
  return e;
};

describe.each(STORES)('log-in API on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  let regions: Record<string, number>;

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await authTestApp(store.db, { extra, trustProxy: true });
    const rows = await store.db.query<{ short_name: string; id: number }>(
      `SELECT short_name, id FROM admin_regions WHERE code IN ('3204', '320411', '320412')`,
    );
    regions = Object.fromEntries(rows.map((r) => [r.short_name, Number(r.id)]));
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

  describe('POST /api/auth/login', () => {
    it('sets an HTTP-only, SameSite=Strict session cookie and answers with the user', async () => {
      const { username } = await createTestUser(store.db, { role: 'district', region: '新北' });
      const res = await login(username, TEST_PASSWORD);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.user).toMatchObject({ username, role: 'district', region_id: regions['新北'], region_name: '新北区', disabled: false });
      expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);
      const raw = String(res.headers['set-cookie']);
      expect(raw).toMatch(/^innolink_session=[A-Za-z0-9_-]{43};/);
      expect(raw).toMatch(/; HttpOnly/);
      expect(raw).toMatch(/; SameSite=Strict/);
      expect(raw).toMatch(/; Path=\//);
      expect(raw).toMatch(/; Expires=/);
      expect(raw).not.toMatch(/Secure/); // plain http (tests): a Secure cookie would never come back
    });

    it('marks the cookie Secure when the request came over HTTPS', async () => {
      const { username } = await createTestUser(store.db, { role: 'bureau', region: '常州' });
      const res = await login(username, TEST_PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    });

    it('marks the cookie Secure when configured so, even on http', async () => {
      const secureApp = await authTestApp(store.db, { auth: { secureCookies: true } });
      try {
        const { username } = await createTestUser(store.db, { role: 'evaluator' });
        const res = await secureApp.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
        expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
      } finally {
        await secureApp.close();
      }
    });

    it('stores the session only as the SHA-256 of its token, and the password as argon2id', async () => {
      const { username } = await createTestUser(store.db, { role: 'evaluator' });
      const res = await login(username, TEST_PASSWORD);
      const token = res.cookies[0].value;
      const sessions = await store.db.query<{ token_hash: string }>(
        'SELECT s.token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1',
        [username],
      );
      expect(sessions.map((s) => s.token_hash)).toEqual([tokenHash(token)]);
      const [u] = await store.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', [username]);
      expect(u.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(u.password_hash).not.toContain(TEST_PASSWORD);
    });

    it('answers a wrong password and an unknown user alike: 401 INVALID_CREDENTIALS', async () => {
      const { username } = await createTestUser(store.db, { role: 'bureau' });
      const wrong = await login(username, 'Not-the-password-1');
      const unknown = await login('nobody-here', 'Not-the-password-1');
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        const e = errorShape(res.body);
        expect(e.code).toBe('INVALID_CREDENTIALS');
        expect(e.message).toBe('用户名或密码错误');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('refuses a malformed body with 400 VALIDATION_FAILED', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(errorShape(res.body).code).toBe('VALIDATION_FAILED');
    });

    it('locks the name after 5 failures (423 with Retry-After), even for the right password, until the lock ends', async () => {
      const { username } = await createTestUser(store.db, { role: 'district', region: '武进' });
      for (let i = 1; i <= 4; i++) expect((await login(username, `Wrong-password-${i}`)).statusCode).toBe(401);
      const fifth = await login(username, 'Wrong-password-5');
      expect(fifth.statusCode).toBe(423);
      expect(errorShape(fifth.body).code).toBe('ACCOUNT_LOCKED');
      expect(Number(fifth.headers['retry-after'])).toBe(900);

      const right = await login(username, TEST_PASSWORD);
      expect(right.statusCode).toBe(423);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(880);
      expect(right.headers['set-cookie']).toBeUndefined();

      // Fifteen minutes later (the lock is moved into the past rather than waited for).
      await store.db.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`, [`user:${username.toLowerCase()}`]);
      expect((await login(username, TEST_PASSWORD)).statusCode).toBe(200);
      // A success clears the count: four more failures do not lock again.
      for (let i = 1; i <= 4; i++) expect((await login(username, `Wrong-again-${i}`)).statusCode).toBe(401);
      expect((await login(username, TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('locks unknown names the same way, so a lock-out tells nothing about which names exist', async () => {
      for (let i = 1; i <= 4; i++) expect((await login('ghost-user', `Wrong-password-${i}`)).statusCode).toBe(401);
      expect((await login('ghost-user', 'Wrong-password-5')).statusCode).toBe(423);
    });

    it('makes an address that fails too often wait: 429 TOO_MANY_ATTEMPTS', async () => {
      const strict = await authTestApp(store.db, { auth: { maxFailuresPerAddress: 3 }, trustProxy: true });
      try {
        const headers = { 'x-forwarded-for': '203.0.113.9' };
        const names = ['a-one', 'a-two', 'a-three'];
        for (const n of names) {
          const r = await strict.inject({ method: 'POST', url: '/api/auth/login', payload: { username: n, password: 'Wrong-pass-1' }, headers });
          expect(r.statusCode).toBe(401);
        }
        const r = await strict.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a-four', password: 'Wrong-pass-1' }, headers });
        expect(r.statusCode).toBe(429);
        expect(errorShape(r.body).code).toBe('TOO_MANY_ATTEMPTS');
        expect(r.headers['retry-after']).toBeDefined();
      } finally {
        await strict.close();
      }
    });

    it('refuses a disabled user with the same 401, and its open sessions stop working', async () => {
      const { username } = await createTestUser(store.db, { role: 'bureau' });
      const cookie = await loginCookie(app, username, TEST_PASSWORD);
      await store.db.query('UPDATE users SET disabled_at = now() WHERE username = $1', [username]);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
      expect((await login(username, TEST_PASSWORD)).statusCode).toBe(401);
    });

    it('accepts the user name in any case', async () => {
      await createTestUser(store.db, { role: 'evaluator', username: 'Zhang.San' });
      expect((await login('zhang.san', TEST_PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('requireLogin', () => {
    it('answers 401 UNAUTHENTICATED on a registry route without a session', async () => {
      const res = await app.inject({ url: '/api/projects?page=1' });
      expect(res.statusCode).toBe(401);
      const e = errorShape(res.body);
      expect(e).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录', message_en: 'Please log in first', details: [] });
      expect(e.requestId).toEqual(expect.any(String));
    });

    it('answers 401 on unknown API routes too (no route list for strangers), and leaves pages outside /api alone', async () => {
      expect((await app.inject({ url: '/api/no-such-thing' })).statusCode).toBe(401);
      expect((await app.inject({ url: '/no-such-page' })).statusCode).toBe(404);
    });

    it('lets health, log-in, OpenAPI, docs and public-flagged routes through as the anonymous public actor', async () => {
      expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/openapi.json' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/docs/static/index.html' })).statusCode).toBe(200);
      const open = await app.inject({ url: '/api/open-data' });
      expect(open.statusCode).toBe(200);
      expect(open.json().actor).toEqual({ name: 'anonymous', role: 'public', regionScope: null });
    });

    it('does not let a dressed-up path past the gate', async () => {
      for (const url of ['/api/health/../projects', '/api/health%2F..%2Fprojects', '/api/projects?/api/health', '/api/docs/../projects']) {
        const res = await app.inject({ url });
        expect([401, 404]).toContain(res.statusCode);
        if (res.statusCode === 404) expect(res.body).not.toContain('actor');
      }
    });

    it('gives a logged-in request the user\'s actor: role, region scope with its path and the ids below it, user id', async () => {
      const { username, user } = await createTestUser(store.db, { role: 'district', region: '新北' });
      const cookie = await loginCookie(app, username, TEST_PASSWORD);
      const res = await app.inject({ url: '/api/projects', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      const [{ path }] = await store.db.query<{ path: string }>('SELECT path FROM admin_regions WHERE id = $1', [regions['新北']]);
      // The region and every region below it, by path prefix, in id order.
      const all = await store.db.query<{ id: number; path: string }>('SELECT id, path FROM admin_regions ORDER BY id');
      const regionIds = all.filter((r) => r.path.startsWith(path)).map((r) => Number(r.id));
      expect(regionIds).toContain(regions['新北']);
      expect(res.json().actor).toEqual({ name: username, role: 'district', regionScope: [regions['新北']], regionPaths: [path], regionIds, userId: user.id });
    });

    it('treats an unknown cookie as no session and tells the browser to forget it', async () => {
      const res = await app.inject({ url: '/api/projects', headers: { cookie: 'innolink_session=forged-token' } });
      expect(res.statusCode).toBe(401);
      expect(String(res.headers['set-cookie'])).toMatch(/^innolink_session=;.*Expires=Thu, 01 Jan 1970/);
    });
  });

  describe('sessions', () => {
    it('GET /api/auth/me answers the user and when the session ends; 401 without one', async () => {
      const { username } = await createTestUser(store.db, { role: 'bureau', region: '常州' });
      const cookie = await loginCookie(app, username, TEST_PASSWORD);
      const me = await app.inject({ url: '/api/auth/me', headers: { cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.json().user).toMatchObject({ username, role: 'bureau', region_name: '常州市' });
      expect(me.json().user).not.toHaveProperty('password_hash');
      expect((await app.inject({ url: '/api/auth/me' })).statusCode).toBe(401);
    });

    it('ends at its expiry', async () => {
      const { username } = await createTestUser(store.db, { role: 'bureau' });
      const cookie = await loginCookie(app, username, TEST_PASSWORD);
      expect((await app.inject({ url: '/api/projects', headers: { cookie } })).statusCode).toBe(200);
      await store.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [tokenHash(cookie.split('=')[1])]);
      expect((await app.inject({ url: '/api/projects', headers: { cookie } })).statusCode).toBe(401);
    });

    it('ends the old session when the browser logs in again, and sweeps expired sessions and stale counts', async () => {
      const { username } = await createTestUser(store.db, { role: 'bureau' });
      const first = await loginCookie(app, username, TEST_PASSWORD);
      await store.db.query(
        `INSERT INTO login_throttle (key, failures, window_start) VALUES ('user:long-ago', 2, now() - interval '1 day')`,
      );
      const again = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: first }, payload: { username, password: TEST_PASSWORD } });
      expect(again.statusCode).toBe(200);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: first } })).statusCode).toBe(401);
      expect(await store.db.query(`SELECT 1 FROM sessions WHERE expires_at <= now()`)).toHaveLength(0);
      expect(await store.db.query(`SELECT 1 FROM login_throttle WHERE key = 'user:long-ago'`)).toHaveLength(0);
    });

    it('POST /api/auth/logout ends the session and clears the cookie', async () => {
      const { username } = await createTestUser(store.db, { role: 'bureau' });
      const cookie = await loginCookie(app, username, TEST_PASSWORD);
      const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/^innolink_session=;/);
      expect((await app.inject({ url: '/api/projects', headers: { cookie } })).statusCode).toBe(401);
      const left = await store.db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [tokenHash(cookie.split('=')[1])]);
      expect(left).toHaveLength(0);
      // Logging out without a session is harmless.
      expect((await app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    });
  });

  describe('POST /api/auth/password', () => {
    it('needs a session', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/password', payload: { current_password: 'x', new_password: 'y' } });
      expect(res.statusCode).toBe(401);
    });

    it('checks the current password and the rules, then ends the other sessions', async () => {
      const { username } = await createTestUser(store.db, { role: 'district', region: '新北' });
      const cookie = await loginCookie(app, username, TEST_PASSWORD);
      const other = await loginCookie(app, username, TEST_PASSWORD);
      const change = (current_password: string, new_password: string) =>
        app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: { current_password, new_password } });

      const wrong = await change('Not-it-at-all-1', 'Brand-new-pass-2');
      expect(wrong.statusCode).toBe(400);
      expect(errorShape(wrong.body).code).toBe('CURRENT_PASSWORD_WRONG');

      const weak = await change(TEST_PASSWORD, 'short');
      expect(weak.statusCode).toBe(400);
      const e = errorShape(weak.body);
      expect(e.code).toBe('PASSWORD_REJECTED');
      expect(e.details.map((d: { code: string }) => d.code)).toContain('PASSWORD_TOO_SHORT');
      expect((await change(TEST_PASSWORD, `${username}-2024!`)).json().error.details.map((d: { code: string }) => d.code)).toContain(
        'PASSWORD_CONTAINS_USERNAME',
      );

      expect((await change(TEST_PASSWORD, 'Brand-new-pass-2')).statusCode).toBe(204);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie: other } })).statusCode).toBe(401);
      expect((await login(username, TEST_PASSWORD)).statusCode).toBe(401);
      expect((await login(username, 'Brand-new-pass-2')).statusCode).toBe(200);
    });
  });

  it('puts log-ins, log-outs and password changes on the audit log, and the chain verifies', async () => {
    const rows = await store.db.query<{ action: string }>(`SELECT DISTINCT action FROM audit_log`);
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['create', 'auth.login', 'auth.logout', 'auth.lockout', 'user.password_change']),
    );
    const v = await verifyAuditChain(store.db);
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThan(10);
  });
});
