import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { isAppError } from '../../errors.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { sessionCookie } from '../auth/auth.testing.ts';
import { countUnread, notify } from './notifications.service.ts';

const event = (key: string, title = '督办：任务 1') => ({
  kind: 'supervision.flagged',
  title,
  title_en: 'Supervision: task 1',
  body: '已超过完成期限',
  body_en: 'past the due date',
  link: '/plans/1/supervision',
  entity: 'plan_supervision_case',
  entity_id: key,
  dedupe_key: `test:${key}`,
});

describe.each(STORES)('notifications API on %s', (kind) => {
  let t: TestApp;
  let alice: { cookie: string; id: number };
  let bob: { cookie: string; id: number };
  const as = (who: { cookie: string }, opts: InjectOptions) => t.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), cookie: who.cookie } });

  beforeAll(async () => {
    t = await testApp(kind);
    const a = await sessionCookie(t.store.db, { role: 'bureau', username: `alice-${kind}` });
    const b = await sessionCookie(t.store.db, { role: 'district', username: `bob-${kind}`, region: '海淀区' });
    alice = { cookie: a.cookie, id: a.user.id };
    bob = { cookie: b.cookie, id: b.user.id };
    await t.store.db.transaction(async (tx) => {
      expect(await notify(tx, [alice.id, bob.id], event('1'), { email: false })).toBe(2);
      expect(await notify(tx, [alice.id], event('2', '督办：任务 2'), { email: false })).toBe(1);
      // The same event again reaches nobody twice.
      expect(await notify(tx, [alice.id, bob.id], event('1'), { email: false })).toBe(0);
    });
  });
  afterAll(async () => t?.close());

  it('GET /api/notifications lists the user’s own, newest first, with the unread count', async () => {
    const res = await as(alice, { url: '/api/notifications' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 2, unread: 2, page: 1, pageSize: 50 });
    expect(body.items.map((n: { title: string }) => n.title)).toEqual(['督办：任务 2', '督办：任务 1']);
    expect(body.items[0]).toMatchObject({ kind: 'supervision.flagged', read: false, read_at: null, email_status: 'none', link: '/plans/1/supervision' });
    expect((await as(bob, { url: '/api/notifications' })).json()).toMatchObject({ total: 1, unread: 1 });
    expect((await as(alice, { url: '/api/notifications/unread-count' })).json()).toEqual({ unread: 2 });
  });

  it('POST /api/notifications/:id/read and /read {ids | all}; another user’s id is 404 and changes nothing', async () => {
    const items = (await as(alice, { url: '/api/notifications' })).json().items as Array<{ id: number }>;
    const bobs = (await as(bob, { url: '/api/notifications' })).json().items as Array<{ id: number }>;
    const foreign = await as(alice, { method: 'POST', url: '/api/notifications/read', payload: { ids: [items[0].id, bobs[0].id] } });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('NOTIFICATION_NOT_FOUND');
    expect((await as(alice, { url: '/api/notifications/unread-count' })).json()).toEqual({ unread: 2 });

    const one = await as(alice, { method: 'POST', url: `/api/notifications/${items[0].id}/read` });
    expect(one.json()).toEqual({ updated: 1, unread: 1 });
    expect((await as(alice, { method: 'POST', url: `/api/notifications/${items[0].id}/read` })).json()).toEqual({ updated: 0, unread: 1 });
    const unread = (await as(alice, { url: '/api/notifications?unread=true' })).json();
    expect(unread).toMatchObject({ total: 1, unread: 1, items: [{ id: items[1].id }] });
    expect((await as(alice, { method: 'POST', url: '/api/notifications/read', payload: { all: true } })).json()).toEqual({ updated: 1, unread: 0 });
    // Bob's stay unread.
    expect((await as(bob, { url: '/api/notifications/unread-count' })).json()).toEqual({ unread: 1 });
    const audit = await t.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'notification.read' AND entity_id = $1`, [String(alice.id)]);
    expect(audit[0].n).toBe(2);
  });

  it('refuses an empty or ambiguous mark-read request, and requests without a session', async () => {
    const empty = await as(alice, { method: 'POST', url: '/api/notifications/read', payload: {} });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'NOTIFICATIONS_READ_NOTHING']);
    const both = await as(alice, { method: 'POST', url: '/api/notifications/read', payload: { ids: [1], all: true } });
    expect([both.statusCode, both.json().error.code]).toEqual([400, 'NOTIFICATIONS_READ_AMBIGUOUS']);
    const bad = await as(alice, { method: 'POST', url: '/api/notifications/read', payload: { ids: ['x'] } });
    expect(bad.statusCode).toBe(400);
    const anon = await t.anon({ url: '/api/notifications' });
    expect(anon.statusCode).toBe(401);
  });

  it('GET/PUT /api/notifications/settings: the e-mail address, validated; no mail server configured here', async () => {
    expect((await as(alice, { url: '/api/notifications/settings' })).json()).toEqual({ email: null, email_enabled: true, smtp_configured: false });
    const bad = await as(alice, { method: 'PUT', url: '/api/notifications/settings', payload: { email: 'not-an-address' } });
    expect(bad.statusCode).toBe(400);
    const ok = await as(alice, { method: 'PUT', url: '/api/notifications/settings', payload: { email: 'Alice@Example.org', email_enabled: false } });
    expect(ok.json()).toEqual({ email: 'alice@example.org', email_enabled: false, smtp_configured: false });
    const keep = await as(alice, { method: 'PUT', url: '/api/notifications/settings', payload: { email_enabled: true } });
    expect(keep.json()).toMatchObject({ email: 'alice@example.org', email_enabled: true });
    const cleared = await as(alice, { method: 'PUT', url: '/api/notifications/settings', payload: { email: null } });
    expect(cleared.json()).toMatchObject({ email: null });
    // Bob sees his own settings only.
    expect((await as(bob, { url: '/api/notifications/settings' })).json()).toMatchObject({ email: null });
  });

  it('belongs to logged-in users: the operator’s CLI actor has no notifications', async () => {
    try {
      await countUnread({ db: t.store.db, actor: systemActor('cli'), config: t.app.config });
      throw new Error('expected a refusal');
    } catch (e) {
      expect(isAppError(e) && [e.code, e.status]).toEqual(['NOTIFICATIONS_USER_REQUIRED', 403]);
    }
  });

  it('every notifications route is in the OpenAPI document with a Chinese / English summary', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const ops = Object.entries(doc.paths as Record<string, Record<string, { summary?: string }>>)
      .filter(([p]) => p.startsWith('/api/notifications'))
      .flatMap(([, methods]) => Object.values(methods).map((op) => op.summary ?? ''));
    expect(ops).toHaveLength(6);
    for (const s of ops) expect(s).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
  });
});
