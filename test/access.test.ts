/**
 * Access through the API as each role sees it: no session → 401 on every registry route;
 * regional scopes follow the hierarchy (常州 sees 新北 and 武进, 新北 does not see 武进);
 * read-only roles cannot write; restricted fields are hidden without clearance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../src/modules/auth/auth.testing.ts';
import { REGISTRIES } from '../src/modules/registries/defs.ts';
import { testApp, type TestApp } from './app.ts';
import { STORES } from './stores.ts';

type Role = 'admin' | 'bureau' | 'district' | 'district_wj' | 'evaluator' | 'public' | 'auditor';

describe.each(STORES)('access on %s', (kind) => {
  let t: TestApp;
  const cookies: Partial<Record<Role, string>> = {};
  const ids: Record<string, number> = {};
  const as = (role: Role, opts: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object }) =>
    t.app.inject({ method: opts.method ?? 'GET', url: opts.url, payload: opts.payload, headers: { cookie: cookies[role]! } });

  beforeAll(async () => {
    t = await testApp(kind);
    const region = async (name: string) =>
      (await t.store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = $1 AND level IN ('city', 'district') ORDER BY level LIMIT 1`, [name]))[0].id;
    ids.xinbei = await region('新北');
    ids.wujin = await region('武进');
    cookies.admin = t.cookie;
    cookies.bureau = (await sessionCookie(t.store.db, { role: 'bureau', region: '常州', username: 'cz-officer' })).cookie;
    cookies.district = (await sessionCookie(t.store.db, { role: 'district', region: '新北', username: 'xb-officer' })).cookie;
    cookies.district_wj = (await sessionCookie(t.store.db, { role: 'district', region: '武进', username: 'wj-officer' })).cookie;
    cookies.evaluator = (await sessionCookie(t.store.db, { role: 'evaluator', username: 'evaluator' })).cookie;
    cookies.public = (await sessionCookie(t.store.db, { role: 'public', username: 'visitor' })).cookie;
    cookies.auditor = (await sessionCookie(t.store.db, { role: 'auditor', username: 'auditor' })).cookie;
    const mk = async (code: string, region: number, classification = 'internal') =>
      (await as('admin', { method: 'POST', url: '/api/projects', payload: { code, title_zh: `${code} 联合研发`, region_id: region, classification } })).json().id as number;
    ids.a = await mk('XB-1', ids.xinbei);
    ids.b = await mk('WJ-1', ids.wujin);
    ids.c = await mk('WJ-PUB', ids.wujin, 'public');
    ids.talent = (await as('admin', { method: 'POST', url: '/api/talents', payload: { name: '李明', email: 'li@example.cn', phone: '13800000000', region_id: ids.xinbei } })).json().id;
  });
  afterAll(async () => t?.close());

  it.each(Object.keys(REGISTRIES))('GET /api/%s without a session answers 401 with the usual error body', async (k) => {
    for (const url of [`/api/${k}`, `/api/${k}/1`, `/api/${k}/export`]) {
      const res = await t.anon({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(res.json().error.message_en).toBeTruthy();
    }
    expect((await t.anon({ method: 'POST', url: `/api/${k}`, payload: {} })).statusCode).toBe(401);
  });

  it('logs in with POST /api/auth/login, which sets an HTTP-only session cookie', async () => {
    const bad = await t.anon({ method: 'POST', url: '/api/auth/login', payload: { username: 'test-admin', password: 'wrong-password-1' } });
    expect(bad.statusCode).toBe(401);
    expect((await t.anon({ url: '/api/health' })).statusCode).toBe(200);
  });

  it.each([
    ['admin', ['XB-1', 'WJ-1', 'WJ-PUB']],
    ['bureau', ['XB-1', 'WJ-1', 'WJ-PUB']],
    ['district', ['XB-1']],
    ['district_wj', ['WJ-1', 'WJ-PUB']],
    ['evaluator', ['XB-1', 'WJ-1', 'WJ-PUB']],
    ['public', ['WJ-PUB']],
    ['auditor', ['WJ-PUB']], // of the business data, what the public sees
  ] as [Role, string[]][])('%s lists the projects of its scope', async (role, codes) => {
    const res = await as(role, { url: '/api/projects?pageSize=100&sort=code' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((p: { code: string }) => p.code).sort()).toEqual([...codes].sort());
  });

  it.each([
    ['admin', 'b', 200],
    ['bureau', 'b', 200],
    ['district', 'a', 200],
    ['district', 'b', 404],
    ['district_wj', 'a', 404],
    ['evaluator', 'b', 200],
    ['public', 'b', 404],
    ['public', 'c', 200],
    ['auditor', 'b', 404],
    ['auditor', 'c', 200],
  ] as [Role, string, number][])('%s reading project %s by id answers %i', async (role, which, status) => {
    expect((await as(role, { url: `/api/projects/${ids[which]}` })).statusCode).toBe(status);
  });

  it.each([
    ['bureau', 'wujin', 201],
    ['district', 'xinbei', 201],
    ['district', 'wujin', 403],
    ['evaluator', 'xinbei', 403],
    ['public', 'xinbei', 403],
    ['auditor', 'xinbei', 403],
  ] as [Role, string, number][])('%s creating a project in %s answers %i', async (role, region, status) => {
    const res = await as(role, { method: 'POST', url: '/api/projects', payload: { code: `${role}-${region}`, title_zh: '新项目', region_id: ids[region] } });
    expect(res.statusCode, res.body).toBe(status);
  });

  it("a district officer can edit its own district's project but not another's, nor move one out of its district", async () => {
    expect((await as('district', { method: 'PATCH', url: `/api/projects/${ids.a}`, payload: { status: 'active' } })).statusCode).toBe(200);
    expect((await as('district', { method: 'PATCH', url: `/api/projects/${ids.b}`, payload: { status: 'active' } })).statusCode).toBe(404);
    expect((await as('district', { method: 'PATCH', url: `/api/projects/${ids.a}`, payload: { region_id: ids.wujin } })).statusCode).toBe(403);
    expect((await as('evaluator', { method: 'DELETE', url: `/api/projects/${ids.a}` })).statusCode).toBe(403);
  });

  it('hides a talent’s contact details from roles without clearance, in details, lists and exports', async () => {
    const admin = (await as('admin', { url: `/api/talents/${ids.talent}` })).json();
    expect(admin).toMatchObject({ email: 'li@example.cn', phone: '13800000000' });
    const evaluator = (await as('evaluator', { url: `/api/talents/${ids.talent}` })).json();
    expect(evaluator.email).toBeNull();
    expect(evaluator.phone).toBeNull();
    const list = (await as('evaluator', { url: '/api/talents' })).json();
    expect(list.items[0].email).toBeNull();
    const csv = (await as('evaluator', { url: '/api/talents/export?format=csv' })).body;
    expect(csv).not.toContain('li@example.cn');
  });

  it('sums only the funding lines a role may see', async () => {
    await as('admin', { method: 'POST', url: '/api/funding', payload: { region_id: ids.xinbei, year: 2020, amount: 100 } });
    await as('admin', { method: 'POST', url: '/api/funding', payload: { region_id: ids.wujin, year: 2020, amount: 40 } });
    await as('admin', { method: 'POST', url: '/api/funding', payload: { region_id: ids.wujin, year: 2020, source: '未公开', amount: 7, classification: 'restricted' } });
    const total = async (role: Role) => (await as(role, { url: '/api/query/funding?by=year&from=2020&to=2020' })).json().total;
    expect(await total('admin')).toBe(147);
    expect(await total('bureau')).toBe(147);
    expect(await total('district')).toBe(100);
    expect(await total('district_wj')).toBe(47);
    expect(await total('evaluator')).toBe(140);
  });

  it('shows the import log to roles that may import, not to the public or evaluators', async () => {
    expect((await as('bureau', { url: '/api/imports' })).statusCode).toBe(200);
    expect((await as('evaluator', { url: '/api/imports' })).statusCode).toBe(403);
    expect((await as('public', { url: '/api/imports' })).statusCode).toBe(403);
  });

  it('records every write in the audit log, and the chain verifies', async () => {
    const log = (await as('auditor', { url: '/api/audit?entity=project&pageSize=100' })).json();
    expect(log.items.length).toBeGreaterThanOrEqual(5);
    expect(log.items.some((e: { action: string; actor: string }) => e.action === 'update' && e.actor === 'xb-officer')).toBe(true);
    const verify = (await as('auditor', { url: '/api/audit/verify' })).json();
    expect(verify.ok).toBe(true);
    expect((await as('bureau', { url: '/api/audit' })).statusCode).toBe(403);
    expect((await as('admin', { url: '/api/audit' })).statusCode).toBe(403); // 三员分立: the auditor reads it
  });
});
