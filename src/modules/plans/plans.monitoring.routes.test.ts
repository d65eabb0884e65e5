import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { buildApp } from '../../http/app.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES, freshStore } from '../../../test/stores.ts';
import { systemActor } from '../../actor.ts';
import { sessionCookie } from '../auth/auth.testing.ts';
import { seedTasks, tasksWithUnits } from './plans.fixture.ts';
import { importPlan } from './plans.import.ts';
import { rollupSchema, superviseResultSchema } from './plans.monitoring.schema.ts';

describe.each(STORES)('plan monitoring API on %s', (kind) => {
  let t: TestApp;
  let plan: number;
  let officer: { cookie: string; username: string };
  const as = (cookie: string, opts: InjectOptions) => t.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), cookie } });

  beforeAll(async () => {
    t = await testApp(kind);
    const r = await importPlan(
      { db: t.store.db, actor: systemActor('test'), config: t.app.config },
      [{ fileName: 'tasks.csv', buffer: Buffer.from(tasksWithUnits()) }],
      { name: `接口计划 ${kind}`, region: '北京', owner: '市科委、中关村管委会', period: { from: 2024, to: 2027 }, config: { supervision: { off_track_margin: 100 } } },
    );
    plan = r.plan!;
    const s = await sessionCookie(t.store.db, { role: 'bureau', username: `ip-api-${kind}` });
    officer = { cookie: s.cookie, username: s.user.username };
  });
  afterAll(async () => t?.close());

  it('milestones: POST (201 with warnings), GET ?overdue, PATCH, DELETE; refusals are coded', async () => {
    const add = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/tasks/2/milestones`, payload: { title: '签约', due_date: '2025-03-31' } });
    expect(add.statusCode).toBe(201);
    expect(add.json()).toMatchObject({ task: '2', state: 'overdue', warnings: [{ code: 'MILESTONE_DUE_PASSED' }] });
    const id = add.json().id;
    const dup = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/tasks/2/milestones`, payload: { title: '签约', due_date: '2025-12-31' } });
    expect([dup.statusCode, dup.json().error.code]).toEqual([409, 'PLAN_MILESTONE_DUPLICATE']);
    const badDate = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/tasks/2/milestones`, payload: { title: 'x', due_date: '2025-02-30' } });
    expect(badDate.statusCode).toBe(400);
    const list = (await t.app.inject({ url: `/api/plans/${plan}/milestones?overdue=true&asOf=2025-06-30` })).json();
    expect(list).toEqual({ as_of: '2025-06-30', items: [expect.objectContaining({ id, days_overdue: 91 })] });
    const done = await t.app.inject({ method: 'PATCH', url: `/api/plans/${plan}/milestones/${id}`, payload: { done_on: '2025-03-30' } });
    expect(done.json()).toMatchObject({ state: 'done', warnings: [] });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/plans/${plan}/milestones/${id}` })).json()).toEqual({ deleted: id });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/plans/${plan}/milestones/${id}` })).statusCode).toBe(404);
  });

  it('PUT /api/plans/:id/tasks/:n/district and GET /api/plans/:id/rollup', async () => {
    const set = await t.app.inject({ method: 'PUT', url: `/api/plans/${plan}/tasks/4/district`, payload: { region: '海淀区' } });
    expect(set.json()).toMatchObject({ task: '4', district: { name: '海淀区' } });
    const bad = await t.app.inject({ method: 'PUT', url: `/api/plans/${plan}/tasks/4/district`, payload: { region: '武进区' } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'PLAN_DISTRICT_UNKNOWN']);
    const res = await t.app.inject({ url: `/api/plans/${plan}/rollup?asOf=2025-06-30` });
    expect(res.statusCode).toBe(200);
    const body = rollupSchema.parse(res.json());
    expect(body.tasks.total).toBe(seedTasks.length);
    expect(body.regions!.districts.find((d) => d.region.name === '海淀区')!.task_ids).toEqual(['4']);
    expect(body.tasks.overdue).toBe(1); // task 14, due 2025-03-31
    expect((await t.app.inject({ url: `/api/plans/${plan}/rollup?asOf=2025-13-01` })).statusCode).toBe(400);
    expect((await t.app.inject({ url: `/api/plans/999999/rollup` })).statusCode).toBe(404);
  });

  it('GET /api/plans/:id/method shows the settings in effect', async () => {
    const m = (await t.app.inject({ url: `/api/plans/${plan}/method` })).json();
    expect(m).toMatchObject({ plan_id: plan, progress: { method: 'cagr_ratio' }, forecast: { method: 'cagr' }, supervision: { off_track_margin: 100, escalate_after_days: 30 }, stored: { supervision: { off_track_margin: 100 } } });
  });

  it('units: GET, POST and DELETE members; POST /supervise notifies the member; GET /supervision/cases', async () => {
    const add = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/units/members`, payload: { unit: '市知识产权局', username: officer.username } });
    expect(add.statusCode).toBe(200);
    expect(add.json().units.find((u: { unit: string }) => u.unit === '市知识产权局').members).toEqual([expect.objectContaining({ username: officer.username })]);
    const unknown = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/units/members`, payload: { unit: '某单位', username: officer.username } });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'PLAN_UNIT_UNKNOWN']);

    const run = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/supervise?asOf=2025-04-10` });
    expect(run.statusCode).toBe(200);
    const result = superviseResultSchema.parse(run.json());
    expect(Object.keys(run.json())).toEqual(['plan', 'plan_id', 'as_of', 'opened', 'escalated', 'resolved', 'open', 'notifications', 'emails', 'cases']);
    expect(result).toMatchObject({ opened: 1, notifications: 1, cases: [{ ref: '14', level: 1, change: 'opened' }] });
    const stale = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/supervise?asOf=2025-04-01` });
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'PLAN_SUPERVISION_STALE']);

    const inbox = (await as(officer.cookie, { url: '/api/notifications' })).json();
    expect(inbox).toMatchObject({ unread: 1, items: [{ kind: 'supervision.flagged', link: `/plans/${plan}/supervision` }] });
    const cases = (await t.app.inject({ url: `/api/plans/${plan}/supervision/cases` })).json();
    expect(cases).toMatchObject({ last_run: '2025-04-10', items: [{ ref: '14', level: 1 }] });
    expect(cases.units.map((u: { unit: string }) => u.unit)).toContain('市知识产权局');

    const del = await t.app.inject({ method: 'DELETE', url: `/api/plans/${plan}/units/members?unit=${encodeURIComponent('市知识产权局')}&username=${officer.username}` });
    expect(del.json().units.find((u: { unit: string }) => u.unit === '市知识产权局').members).toEqual([]);
  });

  it('refuses changes by an evaluator (403) and by a bureau of another region (404)', async () => {
    const evaluator = await sessionCookie(t.store.db, { role: 'evaluator', username: `ev-api-${kind}` });
    const r = await as(evaluator.cookie, { method: 'POST', url: `/api/plans/${plan}/supervise?asOf=2025-06-30` });
    expect([r.statusCode, r.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const m = await as(evaluator.cookie, { method: 'POST', url: `/api/plans/${plan}/tasks/2/milestones`, payload: { title: 'y', due_date: '2026-01-01' } });
    expect(m.statusCode).toBe(403);
    const other = await sessionCookie(t.store.db, { role: 'bureau', username: `cz-api-${kind}`, region: '常州' });
    expect((await as(other.cookie, { url: `/api/plans/${plan}/rollup` })).statusCode).toBe(404);
    expect((await t.anon({ url: `/api/plans/${plan}/rollup` })).statusCode).toBe(401);
  });

  it('every new plans route is in the OpenAPI document with a Chinese / English summary', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const ops = Object.entries(doc.paths as Record<string, Record<string, { summary?: string }>>).flatMap(([p, methods]) =>
      Object.entries(methods).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op.summary ?? ''] as const),
    );
    const mine = [
      'GET /api/plans/{id}/rollup',
      'GET /api/plans/{id}/method',
      'GET /api/plans/{id}/milestones',
      'POST /api/plans/{id}/tasks/{n}/milestones',
      'PATCH /api/plans/{id}/milestones/{mid}',
      'DELETE /api/plans/{id}/milestones/{mid}',
      'PUT /api/plans/{id}/tasks/{n}/district',
      'GET /api/plans/{id}/units',
      'POST /api/plans/{id}/units/members',
      'DELETE /api/plans/{id}/units/members',
      'POST /api/plans/{id}/supervise',
      'GET /api/plans/{id}/supervision/cases',
    ];
    expect(ops.map(([k]) => k)).toEqual(expect.arrayContaining(mine));
    for (const [k, summary] of ops.filter(([k]) => mine.includes(k))) expect(summary, k).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
  });
});

describe('the server’s supervision timer', () => {
  it('runs supervision of every plan once the server listens, and never under inject()', async () => {
    const store = await freshStore('pglite');
    try {
      const ctx = { db: store.db, actor: systemActor('test'), config: loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: '' }) };
      await importPlan(ctx, [{ fileName: 'tasks.csv', buffer: Buffer.from(tasksWithUnits()) }], { name: '定时督办', region: '北京', period: { from: 2024, to: 2027 } });
      const runs = async () => (await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan_supervision_runs`))[0].n;
      const config = loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: '', INNOLINK_SUPERVISION_INTERVAL_MINUTES: '60' });
      expect(config.supervisionIntervalMinutes).toBe(60);

      const injected = await buildApp({ db: store.db, config });
      await injected.ready();
      await injected.inject({ url: '/api/health' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await runs()).toBe(0);
      await injected.close();

      const app = await buildApp({ db: store.db, config });
      await app.listen({ port: 0, host: '127.0.0.1' });
      for (let i = 0; i < 100 && (await runs()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await app.close();
      expect(await runs()).toBe(1);
      const [c] = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan_supervision_cases WHERE resolved_on IS NULL`);
      // Task 14 is overdue today, and every task without a report is behind its straight-line schedule.
      expect(c.n).toBe(seedTasks.length);
    } finally {
      await store.close();
    }
  });
});
