/**
 * Lists, counts and sessions are kept until the store changes (src/store/cache.ts): whatever
 * changes them — this server's own requests, another process on the same database — shows in
 * the next answer, and an ended session stops working.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessionCookie } from '../src/modules/auth/auth.testing.ts';
import { testApp, type TestApp } from './app.ts';
import { STORES } from './stores.ts';

/** Waits (up to 10 s) until `check` holds: another connection's change arrives after its commit. */
const until = (check: () => boolean | Promise<boolean>) => vi.waitUntil(check, { timeout: 10_000, interval: 20 });

describe.each(STORES)('kept lists and sessions on %s', (kind) => {
  let t: TestApp;
  let officer: string;
  let xinbei: number;
  const list = async (cookie?: string, query = '') => {
    const res = await t.app.inject({ url: `/api/projects?pageSize=5&sort=code&order=asc${query}`, ...(cookie ? { headers: { cookie } } : {}) });
    expect(res.statusCode).toBe(200);
    return res.json() as { total: number; items: { id: number; code: string; title_zh: string }[] };
  };
  const fresh = async (where = '') => (await t.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM projects ${where}`))[0].n;

  beforeAll(async () => {
    t = await testApp(kind);
    [{ id: xinbei }] = await t.store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '新北'`);
    for (let i = 0; i < 12; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: `LC-${String(i).padStart(2, '0')}`, title_zh: `缓存测试项目${i}`, region_id: xinbei } });
      expect(res.statusCode).toBe(201);
    }
    ({ cookie: officer } = await sessionCookie(t.store.db, { role: 'district', region: '新北', username: 'lc-officer' }));
    await until(async () => t.store.db.changes.ready());
  });
  afterAll(async () => t?.close());

  it('answers the same page and count again, and this server\'s own writes at once', async () => {
    const a = await list();
    expect(a.total).toBe(await fresh());
    expect(await list()).toEqual(a);
    const created = await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: 'LB-000', title_zh: '排在最前的项目', region_id: xinbei } });
    expect(created.statusCode).toBe(201);
    const b = await list();
    expect(b.total).toBe(a.total + 1);
    expect(b.items[0].code).toBe('LB-000');
    const edited = await t.app.inject({ method: 'PATCH', url: `/api/projects/${created.json().id}`, payload: { title_zh: '改过的名称' } });
    expect(edited.statusCode).toBe(200);
    expect((await list()).items[0].title_zh).toBe('改过的名称');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/projects/${created.json().id}` })).statusCode).toBe(204);
    expect(await list()).toEqual(a);
  });

  it('keeps each actor to its own scope (a district officer\'s count is its district\'s)', async () => {
    const all = await list();
    const mine = await list(officer);
    expect(mine.total).toBe(await fresh(`WHERE region_id IN (SELECT d.id FROM admin_regions d, admin_regions s WHERE s.id = ${xinbei} AND d.path LIKE s.path || '%')`));
    expect(mine.total).toBeLessThanOrEqual(all.total);
    // A project moved out of 新北 leaves the officer's list and count at once.
    const moved = mine.items[0];
    const [{ id: wujin }] = await t.store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '武进'`);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/projects/${moved.id}`, payload: { region_id: wujin } })).statusCode).toBe(200);
    const after = await list(officer);
    expect(after.total).toBe(mine.total - 1);
    expect(after.items.map((p) => p.id)).not.toContain(moved.id);
    expect((await list()).total).toBe(all.total);
  });

  it.runIf(kind === 'postgres')('shows another process\'s committed changes once they arrive, and ends a session disabled elsewhere', async () => {
    const a = await list();
    const other = new pg.Client({ connectionString: t.store.url! });
    await other.connect();
    try {
      await other.query(`INSERT INTO projects (code, title_zh, region_id) VALUES ('LC-001a', '另一个进程写入', $1)`, [xinbei]);
      await until(async () => (await list()).total === a.total + 1);
      expect((await list()).items.map((p) => p.code)).toContain('LC-001a');
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: officer } })).statusCode).toBe(200);
      await other.query(`UPDATE users SET disabled_at = now() WHERE username = 'lc-officer'`);
      await until(async () => (await t.app.inject({ url: '/api/auth/me', headers: { cookie: officer } })).statusCode === 401);
    } finally {
      await other.end();
    }
  });
});
