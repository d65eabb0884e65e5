import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { csv, seedTargets, seedTasks, targetsPath, tasksPath, tasksWithUnits, TARGETS_FILE, TASKS_FILE } from './plans.fixture.ts';

/** A multipart body with several files in the field "file". */
function multipart(files: Array<[string, Buffer]>) {
  const boundary = '----innolinkplans';
  const parts = files.flatMap(([name, content]) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    content,
    Buffer.from('\r\n'),
  ]);
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(STORES)('plans API on %s', (kind) => {
  let t: TestApp;
  let plan: number;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(async () => t?.close());

  describe('POST /api/plans/import', () => {
    it('imports the two seed files in one request', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/plans/import?region=${encodeURIComponent('北京')}&name=${encodeURIComponent('北京市国际科技合作行动计划（2024—2027年）')}`,
        ...multipart([
          [TASKS_FILE, fs.readFileSync(tasksPath)],
          [TARGETS_FILE, fs.readFileSync(targetsPath)],
        ]),
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body)).toEqual(['ok', 'plan', 'targets', 'tasks', 'values', 'issues']);
      expect(body).toMatchObject({ ok: true, targets: seedTargets.length, tasks: seedTasks.length, values: 0 });
      plan = body.plan;
    });

    it('answers bad input with coded issues and nothing written, and a request without files with 400', async () => {
      const dup = csv(['行动编号', '行动', '任务编号', '任务'], [['1', '甲', '1', '一'], ['1', '甲', '1', '二']]);
      const res = await t.app.inject({ method: 'POST', url: '/api/plans/import?name=dup', ...multipart([['tasks.csv', Buffer.from(dup)]]) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: false, plan: null, issues: [{ code: 'TASK_NUMBER_DUPLICATE', severity: 'error', row: 3, column: '任务编号' }] });
      const none = await t.app.inject({ method: 'POST', url: '/api/plans/import', payload: {} });
      expect(none.statusCode).toBe(400);
      expect(none.json().error.code).toBe('FILE_MISSING');
    });
  });

  describe('GET /api/plans, /api/plans/:id', () => {
    it('lists the plan and returns its tree', async () => {
      const list = (await t.app.inject({ url: '/api/plans' })).json();
      expect(list.items).toEqual([expect.objectContaining({ id: plan, targets: 12, tasks: 20, region: expect.objectContaining({ name: '北京' }) })]);
      const tree = await t.app.inject({ url: `/api/plans/${plan}` });
      expect(tree.statusCode).toBe(200);
      expect(tree.json().actions).toHaveLength(6);
      expect(tree.json().actions[2]).toMatchObject({ number: '3', title: '国际科技合作平台建设行动', tasks: expect.arrayContaining([expect.objectContaining({ number: '7' })]) });
    });

    it('answers an unknown plan with 404 and a malformed id with 400', async () => {
      const missing = await t.app.inject({ url: '/api/plans/999999' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error).toMatchObject({ code: 'PLAN_NOT_FOUND', message: expect.stringMatching(/[\u4e00-\u9fff]/), message_en: expect.any(String) });
      expect((await t.app.inject({ url: '/api/plans/abc' })).statusCode).toBe(400);
    });
  });

  describe('status, values and registry links', () => {
    it('POST /api/plans/:id/values, then GET status shows the value; a bad asOf is 400', async () => {
      const v = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/values`, payload: { indicator: 'PCT专利申请量', date: '2024', value: 12100, note: '年度统计' } });
      expect(v.statusCode).toBe(201);
      expect(v.json()).toMatchObject({ indicator: 'PCT专利申请量', date: '2024-12-31', precision: 'year', value: 12100 });
      const s = await t.app.inject({ url: `/api/plans/${plan}/status?asOf=2025-06-30` });
      expect(s.statusCode).toBe(200);
      // No baseline, but 12100 ≥ 12000 already meets the target.
      expect(s.json().targets.find((x: { indicator: string }) => x.indicator === 'PCT专利申请量')).toMatchObject({ status: 'achieved', latest: 12100, latest_date: '2024-12-31' });
      expect((await t.app.inject({ url: `/api/plans/${plan}/status?asOf=2025-13-01` })).statusCode).toBe(400);
      const wrong = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/values`, payload: { indicator: 'PCT专利申请量', date: '2025-06-30', value: 1, unit: '项目' } });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.code).toBe('PLAN_VALUE_UNIT_MISMATCH');
    });

    it('a target linked to the platform registry moves when POST /api/platforms adds one', async () => {
      const tree = (await t.app.inject({ url: `/api/plans/${plan}` })).json();
      const base = tree.actions.flatMap((a: { targets: unknown[] }) => a.targets).concat(tree.targets).find((x: { indicator: string }) => x.indicator === '北京国际科技合作基地');
      const link = await t.app.inject({ method: 'PUT', url: `/api/plans/${plan}/targets/${base.id}/source`, payload: { measure_key: 'platforms.intl_base' } });
      expect(link.statusCode).toBe(200);
      expect(link.json()).toMatchObject({ value_source: 'registry', measure_key: 'platforms.intl_base' });
      const latest = async () =>
        (await t.app.inject({ url: `/api/plans/${plan}/status?asOf=2025-06-30` })).json().targets.find((x: { indicator: string }) => x.indicator === '北京国际科技合作基地');
      expect(await latest()).toMatchObject({ latest: 0, value_source: 'registry' });
      const [haidian] = await t.store.db.query<{ id: number }>(
        `SELECT d.id FROM admin_regions d JOIN admin_regions c ON c.id = d.parent_id WHERE d.name = '海淀区' AND c.short_name = '北京'`,
      );
      const p = await t.app.inject({ method: 'POST', url: '/api/platforms', payload: { name_zh: '中关村国际科技合作基地', kind: 'intl_base', region_id: haidian.id } });
      expect(p.statusCode).toBe(201);
      expect(await latest()).toMatchObject({ latest: 1, latest_date: '2025-06-30' });
      const refused = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/values`, payload: { indicator: '北京国际科技合作基地', date: '2025-06-30', value: 96 } });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('PLAN_TARGET_FROM_REGISTRY');
      const unknown = await t.app.inject({ method: 'PUT', url: `/api/plans/${plan}/targets/${base.id}/source`, payload: { measure_key: 'platforms.nope' } });
      expect(unknown.json().error.code).toBe('PLAN_MEASURE_UNKNOWN');
    });
  });

  describe('reports, review and supervision', () => {
    it('a responsible unit reports, the owner accepts; a second review is 409; another unit is 403', async () => {
      const assign = await t.app.inject({ method: 'PATCH', url: `/api/plans/${plan}/tasks/7`, payload: { responsible_units: ['市科委、中关村管委会'], due_date: '2025-03-31' } });
      expect(assign.statusCode).toBe(200);
      expect(assign.json()).toMatchObject({ number: '7', responsible_units: ['市科委、中关村管委会'], due_date: '2025-03-31' });

      const other = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/tasks/7/reports`, payload: { unit: '市商务局', status: 'in_progress', percent: 30 } });
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('PLAN_UNIT_NOT_RESPONSIBLE');
      const bad = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/tasks/7/reports`, payload: { unit: '市科委、中关村管委会', status: 'finished' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');

      const rep = await t.app.inject({
        method: 'POST',
        url: `/api/plans/${plan}/tasks/7/reports`,
        payload: { unit: '市科委、中关村管委会', status: 'in_progress', percent: 60, narrative: '新认定基地 5 家', reported_on: '2025-06-20' },
      });
      expect(rep.statusCode).toBe(201);
      const report = rep.json();
      expect(report).toMatchObject({ task: '7', review_status: 'submitted', percent: 60 });
      const pending = (await t.app.inject({ url: `/api/plans/${plan}/reports?status=submitted` })).json();
      expect(pending.items.map((r: { id: number }) => r.id)).toEqual([report.id]);

      const ok = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/reports/${report.id}/review`, payload: { decision: 'accept', comment: '同意' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ review_status: 'accepted', reviewer_comment: '同意' });
      const twice = await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/reports/${report.id}/review`, payload: { decision: 'return' } });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error.code).toBe('PLAN_REPORT_ALREADY_REVIEWED');
      expect((await t.app.inject({ method: 'POST', url: `/api/plans/${plan}/reports/999999/review`, payload: { decision: 'accept' } })).statusCode).toBe(404);

      const status = (await t.app.inject({ url: `/api/plans/${plan}/status?asOf=2025-06-30` })).json();
      // Due 2025-03-31 and 60 % done: 91 days overdue as of 2025-06-30.
      expect(status.tasks.find((x: { id: string }) => x.id === '7')).toMatchObject({ status: 'in_progress', percent: 60, overdue: true, days_overdue: 91, report_id: report.id });
    });

    it('GET /api/plans/:id/supervision lists the overdue task under its unit', async () => {
      const res = await t.app.inject({ url: `/api/plans/${plan}/supervision?asOf=2025-06-30` });
      expect(res.statusCode).toBe(200);
      const unit = res.json().units.find((u: { unit: string | null }) => u.unit === '市科委、中关村管委会');
      expect(unit.tasks).toEqual([expect.objectContaining({ id: '7', escalation: 2, overdue: true })]);
    });

    it('PATCH /api/plans/:id validates method settings against the engine', async () => {
      const bad = await t.app.inject({
        method: 'PATCH',
        url: `/api/plans/${plan}`,
        payload: { config: { progress: { ratio_thresholds: { on_track: 0.5, acceleration_needed: 0.9, limited: 0 } } } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('PLAN_PROGRESS_CONFIG_INVALID');
      const good = await t.app.inject({ method: 'PATCH', url: `/api/plans/${plan}`, payload: { owner: '市科委', config: { forecast_method: 'linear' } } });
      expect(good.statusCode).toBe(200);
      expect(good.json()).toMatchObject({ owner: '市科委', config: { forecast_method: 'linear' } });
    });
  });

  it('every plans route is in the OpenAPI document with a Chinese / English summary', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const ops = Object.entries(doc.paths as Record<string, Record<string, { summary?: string }>>)
      .filter(([p]) => p.startsWith('/api/plans'))
      .flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op.summary ?? ''] as const));
    expect(ops.map(([k]) => k)).toEqual(expect.arrayContaining(['GET /api/plans', 'POST /api/plans/import', 'GET /api/plans/{id}', 'GET /api/plans/{id}/status',
      'POST /api/plans/{id}/values', 'POST /api/plans/{id}/tasks/{n}/reports', 'POST /api/plans/{id}/reports/{rid}/review', 'GET /api/plans/{id}/supervision']));
    for (const [k, summary] of ops) expect(summary, k).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
  });

  it('a plan imported with units and deadlines: the tasks file shape with 责任单位 and 完成时限', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/plans/import?name=units&period=2024-2027', ...multipart([['tasks.csv', Buffer.from(tasksWithUnits())]]) });
    expect(res.json()).toMatchObject({ ok: true, tasks: 20, targets: 0 });
    const tree = (await t.app.inject({ url: `/api/plans/${res.json().plan}` })).json();
    expect(tree.actions[4].tasks[0]).toMatchObject({ number: '14', due_date: '2025-03-31', responsible_units: ['市知识产权局', '市人才局', '市金融监管局'] });
    const del = await t.app.inject({ method: 'DELETE', url: `/api/plans/${res.json().plan}` });
    expect(del.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/plans/${res.json().plan}` })).statusCode).toBe(404);
  });
});
