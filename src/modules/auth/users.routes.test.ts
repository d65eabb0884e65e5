/**
 * Users administration API: list with filters and paging, create, change, reset a password,
 * unlock — administrators only, never a password hash in a reply, every change audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { DEFAULT_AUTH_SETTINGS } from './auth.service.ts';
import { sessionCookie, TEST_PASSWORD } from './auth.testing.ts';

describe.each(STORES)('users administration API on %s', (kind) => {
  let t: TestApp;
  let xinbei: number;
  let wujin: number;
  let changzhou: number;
  let auditor: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    t = await testApp(kind);
    const region = async (name: string, level: string) =>
      Number((await t.store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = $1 AND level = $2`, [name, level]))[0].id);
    xinbei = await region('新北', 'district');
    wujin = await region('武进', 'district');
    changzhou = await region('常州', 'city');
    // The audit log is the auditor's to read (三员分立), not the administrator's.
    auditor = (await sessionCookie(t.store.db, { role: 'auditor', username: 'users-auditor' })).cookie;
  });
  afterAll(async () => {
    // No reply of this file ever carried a password hash.
    for (const b of bodies) expect(b).not.toMatch(/argon2|password_hash/);
    await t?.close();
  });

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie?: string) => {
    const res = await t.app.inject({ method, url, payload, ...(cookie ? { headers: { cookie } } : {}) });
    bodies.push(res.body);
    return res;
  };
  const create = (payload: object) => call('POST', '/api/users', { password: TEST_PASSWORD, ...payload });
  /** Logs in without the administrator's cookie (a log-in ends the session the request carries). */
  const logIn = async (username: string, password: string) => {
    const res = await t.anon({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.cookies.find((x) => x.name === DEFAULT_AUTH_SETTINGS.cookieName)!;
    return `${c.name}=${c.value}`;
  };

  describe('POST /api/users', () => {
    it('creates a user with display name, role, region and organisation; 201 without the hash', async () => {
      const org = (await call('POST', '/api/organizations', { name_zh: '常州甲科技有限公司', domestic: true, region_id: xinbei })).json().id as number;
      const res = await create({ username: 'xb-officer', display_name: '新北 王科长', role: 'district', region: '新北' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ username: 'xb-officer', display_name: '新北 王科长', role: 'district', region_id: xinbei, disabled: false });
      expect(Object.keys(res.json())).not.toContain('password_hash');
      const o = await create({ username: 'org-user', role: 'organization', org: org });
      expect(o.statusCode, o.body).toBe(201);
      expect(o.json()).toMatchObject({ org_id: org, org_name: '常州甲科技有限公司' });
      // The new user logs in with the initial password.
      const login = await t.anon({ method: 'POST', url: '/api/auth/login', payload: { username: 'xb-officer', password: TEST_PASSWORD } });
      expect(login.statusCode).toBe(200);
    });

    it.each([
      ['an existing name (any case)', { username: 'XB-Officer', role: 'district', region: '新北' }, 409, 'USER_EXISTS'],
      ['an unknown role', { username: 'someone', role: 'superuser' }, 400, 'ROLE_UNKNOWN'],
      ['an unknown region', { username: 'someone', role: 'bureau', region: '火星市' }, 400, 'REGION_UNKNOWN'],
      ['a district officer without region', { username: 'someone', role: 'district' }, 400, 'REGION_REQUIRED'],
      ['an organisation user without organisation', { username: 'someone', role: 'organization' }, 400, 'ORG_REQUIRED'],
      ['a weak initial password', { username: 'someone', role: 'public', password: 'short' }, 400, 'PASSWORD_REJECTED'],
      ['a reserved name', { username: 'system', role: 'public' }, 400, 'VALIDATION_FAILED'],
    ])('refuses %s', async (_what, payload, status, code) => {
      const res = await create(payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(res.json().error.message_en).toBeTruthy();
    });
  });

  describe('GET /api/users', () => {
    beforeAll(async () => {
      await create({ username: 'wj-officer', display_name: '武进 李科长', role: 'district', region: wujin });
      await create({ username: 'cz-bureau', display_name: '常州 国际合作处', role: 'bureau', region: '常州' });
      await create({ username: 'reviewer-1', role: 'reviewer' });
    });

    it('filters by role, by region (with its subtree), by disabled, and searches names', async () => {
      const names = async (qs: string) => (await call('GET', `/api/users?${qs}`)).json().items.map((u: { username: string }) => u.username).sort();
      expect(await names('role=district')).toEqual(['wj-officer', 'xb-officer']);
      expect(await names(`region=${changzhou}`)).toEqual(['cz-bureau', 'wj-officer', 'xb-officer']);
      expect(await names('region=武进')).toEqual(['wj-officer']);
      expect(await names('q=科长')).toEqual(['wj-officer', 'xb-officer']);
      expect(await names('q=REVIEWER')).toEqual(['reviewer-1']);
      expect(await names('disabled=true')).toEqual([]);
    });

    it('pages with a total', async () => {
      const all = (await call('GET', '/api/users?pageSize=500')).json();
      const first = (await call('GET', '/api/users?pageSize=2&page=1')).json();
      const second = (await call('GET', '/api/users?pageSize=2&page=2')).json();
      expect(first.total).toBe(all.items.length);
      expect(first.items).toHaveLength(2);
      expect(second.items[0].id).toBe(all.items[2].id);
    });

    it('refuses an unknown role filter with ROLE_UNKNOWN', async () => {
      expect((await call('GET', '/api/users?role=king')).json().error.code).toBe('ROLE_UNKNOWN');
    });
  });

  describe('PATCH /api/users/:id', () => {
    const idOf = async (username: string) => (await call('GET', `/api/users?q=${username}`)).json().items.find((u: { username: string }) => u.username === username).id as number;

    it('changes role, region and display name in one step, and writes one audit entry with before and after', async () => {
      const id = await idOf('wj-officer');
      const res = await call('PATCH', `/api/users/${id}`, { role: 'bureau', region: '常州', display_name: '常州 李处长' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ role: 'bureau', region_id: changzhou, display_name: '常州 李处长' });
      const audit = (await call('GET', `/api/audit?entity=user&entity_id=${id}&action=update`, undefined, auditor)).json().items;
      expect(audit[0].before).toMatchObject({ role: 'district', region_id: wujin });
      expect(audit[0].after).toMatchObject({ role: 'bureau', region_id: changzhou });
      expect(JSON.stringify(audit)).not.toMatch(/argon2/);
    });

    it('takes effect on the user’s next request: a demoted officer loses its scope at once', async () => {
      const id = await idOf('xb-officer');
      const cookie = await logIn('xb-officer', TEST_PASSWORD);
      const created = await call('POST', '/api/projects', { code: 'XB-U1', title_zh: '新北项目', region_id: xinbei });
      expect(created.statusCode, created.body).toBe(201);
      const p = created.json().id;
      expect((await call('GET', `/api/projects/${p}`, undefined, cookie)).statusCode).toBe(200);
      await call('PATCH', `/api/users/${id}`, { role: 'public' });
      expect((await call('GET', `/api/projects/${p}`, undefined, cookie)).statusCode).toBe(404);
      await call('PATCH', `/api/users/${id}`, { role: 'district' }); // keeps its region
      expect((await call('GET', `/api/projects/${p}`, undefined, cookie)).statusCode).toBe(200);
    });

    it('disables a user (its sessions end) and enables it again', async () => {
      const { cookie, user } = await sessionCookie(t.store.db, { role: 'evaluator', username: 'eval-1' });
      expect((await call('GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(200);
      const res = await call('PATCH', `/api/users/${user.id}`, { disabled: true });
      expect(res.json().disabled).toBe(true);
      expect((await call('GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(401);
      expect((await call('GET', '/api/users?disabled=true')).json().items.map((u: { username: string }) => u.username)).toEqual(['eval-1']);
      expect((await call('PATCH', `/api/users/${user.id}`, { disabled: false })).json().disabled).toBe(false);
    });

    it('refuses to disable or demote the last enabled administrator (LAST_ADMIN), but not one of two', async () => {
      const admin = await idOf('test-admin');
      for (const patch of [{ disabled: true }, { role: 'bureau' }]) {
        const res = await call('PATCH', `/api/users/${admin}`, patch);
        expect(res.statusCode).toBe(409);
        expect(res.json().error).toMatchObject({ code: 'LAST_ADMIN' });
      }
      const second = (await create({ username: 'admin-2', role: 'admin' })).json().id;
      expect((await call('PATCH', `/api/users/${second}`, { role: 'evaluator' })).statusCode).toBe(200);
      expect((await call('PATCH', `/api/users/${admin}`, { role: 'evaluator' })).json().error.code).toBe('LAST_ADMIN');
    });

    it.each([
      [{ role: 'district', region: null }, 400, 'REGION_REQUIRED'],
      [{ region: '不存在的区' }, 400, 'REGION_UNKNOWN'],
      [{ role: 'overlord' }, 400, 'ROLE_UNKNOWN'],
      [{}, 400, 'EMPTY_UPDATE'],
      [{ password: 'x' }, 400, 'VALIDATION_FAILED'],
    ])('refuses %j with %i %s', async (patch, status, code) => {
      const id = await idOf('xb-officer');
      const res = await call('PATCH', `/api/users/${id}`, patch);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    });

    it('answers an unknown id with 404 USER_NOT_FOUND', async () => {
      const res = await call('PATCH', '/api/users/999999', { display_name: 'x' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('USER_NOT_FOUND');
    });
  });

  describe('POST /api/users/:id/password and /unlock', () => {
    it('unlocks a locked-out user, and a reset sets a new password, ending the old sessions', async () => {
      const { cookie, user } = await sessionCookie(t.store.db, { role: 'public', username: 'visitor-1' });
      for (let i = 0; i < DEFAULT_AUTH_SETTINGS.maxFailures; i++) {
        await t.anon({ method: 'POST', url: '/api/auth/login', payload: { username: 'visitor-1', password: 'wrong-password-9' } });
      }
      const locked = await t.anon({ method: 'POST', url: '/api/auth/login', payload: { username: 'visitor-1', password: TEST_PASSWORD } });
      expect(locked.statusCode).toBe(423);
      expect((await call('GET', `/api/users/${user.id}`)).json().locked_until).not.toBeNull();

      const unlocked = await call('POST', `/api/users/${user.id}/unlock`);
      expect(unlocked.statusCode).toBe(200);
      expect(unlocked.json().locked_until).toBeNull();
      expect((await t.anon({ method: 'POST', url: '/api/auth/login', payload: { username: 'visitor-1', password: TEST_PASSWORD } })).statusCode).toBe(200);

      const reset = await call('POST', `/api/users/${user.id}/password`, { password: 'New-horse-42' });
      expect(reset.statusCode, reset.body).toBe(200);
      expect((await call('GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(401);
      expect((await t.anon({ method: 'POST', url: '/api/auth/login', payload: { username: 'visitor-1', password: 'New-horse-42' } })).statusCode).toBe(200);
      expect((await call('POST', `/api/users/${user.id}/password`, { password: 'short' })).json().error.code).toBe('PASSWORD_REJECTED');

      const actions = (await call('GET', `/api/audit?entity=user&entity_id=${user.id}&pageSize=100`, undefined, auditor)).json().items.map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['user.unlock', 'user.password_reset', 'auth.lockout']));
    });
  });

  describe('auditors (审计员)', () => {
    const noticesOf = async (cookie: string) =>
      (await call('GET', '/api/notifications?pageSize=100', undefined, cookie)).json().items.filter((n: { kind: string }) => n.kind === 'audit.auditor_changed') as Array<{ title: string; body: string; body_en: string }>;

    it('an administrator creates an auditor, and the auditors already there are told; so of a role taken away and a password reset', async () => {
      const res = await create({ username: 'new-auditor', display_name: '审计 张', role: 'auditor' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ role: 'auditor', region_id: null, org_id: null });
      let told = await noticesOf(auditor);
      // Newest first; the first auditor was told of its own appointment too.
      expect(told.map((n) => n.title)).toEqual(['审计员账户变更：new-auditor', '审计员账户变更：users-auditor']);
      expect(told[0].body).toMatch(/new-auditor 被授予审计员角色（操作人：test-admin，审计记录 #\d+）/);

      // The new auditor reads the log — the entry of its own creation among it.
      const own = await logIn('new-auditor', TEST_PASSWORD);
      const log = (await call('GET', `/api/audit?entity=user&entity_id=${res.json().id}`, undefined, own)).json();
      expect(log.items.map((e: { action: string }) => e.action)).toEqual(['auth.login', 'create']);

      expect((await call('PATCH', `/api/users/${res.json().id}`, { role: 'public' })).statusCode).toBe(200);
      const me = (await call('GET', '/api/auth/me', undefined, auditor)).json().user;
      expect((await call('POST', `/api/users/${me.id}/password`, { password: 'Audit-reset-key-3' })).statusCode).toBe(200);
      const again = await logIn('users-auditor', 'Audit-reset-key-3');
      told = await noticesOf(again);
      expect(told.map((n) => n.body_en)).toEqual([
        expect.stringMatching(/^User users-auditor \(an auditor\) had the password reset \(by test-admin/),
        expect.stringMatching(/^User new-auditor lost the auditor role/),
        expect.stringMatching(/^User new-auditor was given the auditor role/),
        expect.stringMatching(/^User users-auditor was given the auditor role \(by test\b/),
      ]);
      auditor = again;
    });
  });

  it('is for administrators only: 401 without a session, 403 for every other role', async () => {
    expect((await t.anon({ url: '/api/users' })).statusCode).toBe(401);
    for (const role of ['bureau', 'district', 'evaluator', 'reviewer', 'public', 'auditor'] as const) {
      const { cookie, user } = await sessionCookie(t.store.db, { role, region: role === 'district' ? '新北' : undefined });
      expect((await call('GET', '/api/users', undefined, cookie)).statusCode, role).toBe(403);
      expect((await call('GET', `/api/users/${user.id}`, undefined, cookie)).statusCode, role).toBe(403);
      expect((await call('PATCH', `/api/users/${user.id}`, { role: 'admin' }, cookie)).statusCode, role).toBe(403);
      expect((await call('POST', '/api/users', { username: `${role}-made`, role: 'admin', password: TEST_PASSWORD }, cookie)).statusCode, role).toBe(403);
      expect((await call('POST', `/api/users/${user.id}/unlock`, undefined, cookie)).statusCode, role).toBe(403);
    }
  });
});
