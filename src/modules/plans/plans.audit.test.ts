/**
 * Every write of an action plan is on the audit log, in the write's own transaction (issue 3:
 * "every write records who, when, what, before and after"): changing and deleting a plan,
 * reported values, a target's value source, tasks, progress reports and their review. The chain
 * still verifies, through the service and through `innolink audit verify`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, multipart, planFiles, type World } from '../../../test/access-fixtures.ts';
import { STORES } from '../../../test/stores.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const PLAN_ENTITIES = ['plan', 'plan_target', 'plan_target_value', 'plan_task', 'plan_report'];

interface Entry {
  seq: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe.each(STORES)('plan writes on the audit log on %s', (kind) => {
  let w: World;
  let start: number; // the last audit entry before the writes under test
  beforeAll(async () => {
    w = await buildWorld(kind);
    start = Number((await w.store.db.query<{ n: number }>('SELECT coalesce(max(seq), 0) AS n FROM audit_log'))[0].n);
  });
  afterAll(async () => w?.close());

  const entries = async () =>
    w.store.db.query<Entry>(`SELECT seq, actor, action, entity, entity_id, before, after FROM audit_log WHERE seq > $1 AND entity = ANY($2::text[]) ORDER BY seq`, [start, PLAN_ENTITIES]);

  it('records update, values, target source, task, report, review and delete with before and after', async () => {
    const plan = w.plans.wujin;
    const bureau = w.users.bureau.username;
    const admin = w.users.admin.username;
    const call = async (role: 'admin' | 'bureau', method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) => {
      const res = await w.as(role, { method, url, payload });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };
    const tree = await w.admin<{ owner: string | null; targets: Array<{ id: number }>; actions: Array<{ targets: Array<{ id: number }> }> }>({ method: 'GET', url: `/api/plans/${plan}` });
    const target = [...tree.targets, ...tree.actions.flatMap((a) => a.targets)][0].id;

    await call('bureau', 'PATCH', `/api/plans/${plan}`, { owner: '武进区科技局（审计）' });
    const value = await call('bureau', 'POST', `/api/plans/${plan}/values`, { indicator: '国际合作项目数', date: '2024', value: 40 });
    await call('bureau', 'PUT', `/api/plans/${plan}/targets/${target}/source`, { measure_key: null });
    await call('bureau', 'PATCH', `/api/plans/${plan}/tasks/1`, { due_date: '2027-12-31' });
    const report = await call('bureau', 'POST', `/api/plans/${plan}/tasks/1/reports`, { unit: '武进区科技局', status: 'in_progress', percent: 30, reported_on: '2025-01-15' });
    await call('admin', 'POST', `/api/plans/${plan}/reports/${report.id}/review`, { decision: 'return', comment: '请补充材料' });
    const doomed = (await w.admin<{ plan: number }>({ method: 'POST', url: `/api/plans/import?region=${encodeURIComponent('武进')}&name=${encodeURIComponent('待删计划（审计）')}`, ...multipart(planFiles([['1', '武进区科技局']])) })).plan;
    await call('admin', 'DELETE', `/api/plans/${doomed}`);
    // Refusals write nothing.
    expect((await w.as('district', { method: 'PATCH', url: `/api/plans/${plan}`, payload: { owner: 'x' } })).statusCode).toBe(404);
    expect((await w.as('evaluator', { method: 'PATCH', url: `/api/plans/${plan}/tasks/1`, payload: { due_date: '2028-12-31' } })).statusCode).toBe(403);

    const log = await entries();
    expect(log.map((e) => [e.action, e.entity, e.actor])).toEqual([
      ['update', 'plan', bureau],
      ['create', 'plan_target_value', bureau],
      ['update', 'plan_target', bureau],
      ['update', 'plan_task', bureau],
      ['create', 'plan_report', bureau],
      ['plan.review', 'plan_report', admin],
      ['delete', 'plan', admin],
    ]);
    const [upd, val, src, task, rep, review, del] = log;
    expect([upd.entity_id, upd.before?.owner, upd.after?.owner]).toEqual([String(plan), tree.owner, '武进区科技局（审计）']);
    expect([val.entity_id, val.before, val.after]).toEqual([String(value.id), null, expect.objectContaining({ plan, indicator: '国际合作项目数', value: 40, entered_by: bureau })]);
    expect([src.entity_id, src.after]).toEqual([String(target), expect.objectContaining({ plan, value_source: 'reported', measure_key: null })]);
    expect([task.before?.due_date, task.after?.due_date, task.after?.number]).toEqual([null, '2027-12-31', '1']);
    expect([rep.entity_id, rep.before, rep.after]).toEqual([String(report.id), null, expect.objectContaining({ unit: '武进区科技局', percent: 30, review_status: 'submitted' })]);
    expect([review.before?.review_status, review.after?.review_status, review.after?.reviewer_comment]).toEqual(['submitted', 'returned', '请补充材料']);
    expect([del.entity_id, del.before?.name, del.after]).toEqual([String(doomed), '待删计划（审计）', null]);
  });

  it('keeps a chain that verifies, one entry per write', async () => {
    const count = Number((await w.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n);
    expect(await verifyAuditChain(w.store.db)).toMatchObject({ ok: true, entries: count });
  });

  it.runIf(kind === 'postgres')('innolink audit verify --json passes on the same store', async () => {
    const { stdout } = await run(process.execPath, ['bin/innolink.mjs', 'audit', 'verify', '--json'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: w.store.url!, INNOLINK_DEMO: '0' },
      timeout: 60_000,
    });
    const count = Number((await w.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, entries: count });
  });
});
