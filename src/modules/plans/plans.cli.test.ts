import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type TestStore } from '../../../test/stores.ts';
import { seedTargets, seedTasks, targetsPath, tasksPath } from './plans.fixture.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

// The CLI opens its own store, so it runs against a server database. Each spawn costs seconds:
// three of them cover the two contracts and a refusal.
describe('innolink plan (CLI)', () => {
  let store: TestStore;
  let planId: number;
  beforeAll(async () => {
    store = await freshStore('postgres');
  });
  afterAll(async () => store?.close());

  const cli = (...args: string[]) =>
    run(process.execPath, ['bin/innolink.mjs', 'plan', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' },
      timeout: 60_000,
    });

  it('plan import FILE… --json prints exactly {ok, plan, targets, tasks, values, issues}', async () => {
    const { stdout } = await cli('import', targetsPath, tasksPath, '--name', '北京市国际科技合作行动计划（2024—2027年）', '--region', '北京', '--json');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['ok', 'plan', 'targets', 'tasks', 'values', 'issues']);
    expect(out).toMatchObject({ ok: true, plan: expect.any(Number), targets: seedTargets.length, tasks: seedTasks.length, values: 0 });
    for (const i of out.issues) {
      expect(Object.keys(i).sort()).toEqual(['code', 'column', 'file', 'message', 'message_en', 'row', 'severity']);
      expect(i).toMatchObject({ code: 'TARGET_NO_BASELINE', severity: 'warning', file: 'beijing_action_plan_2024_2027_targets.csv' });
    }
    planId = out.plan;
  });

  it('plan status PLAN --as-of DATE --json prints exactly the status contract', async () => {
    // A value entered beforehand through the store the CLI reads.
    const [t] = await store.db.query<{ id: number }>(`SELECT id FROM plan_targets WHERE plan_id = $1 AND indicator = 'PCT专利申请量'`, [planId]);
    await store.db.query(`INSERT INTO plan_target_values (target_id, date, precision, value) VALUES ($1, '2024-12-31', 'year', 12100)`, [t.id]);
    const { stdout } = await cli('status', String(planId), '--as-of', '2025-06-30', '--json');
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['plan', 'as_of', 'targets', 'tasks']);
    expect(out).toMatchObject({ plan: '北京市国际科技合作行动计划（2024—2027年）', as_of: '2025-06-30' });
    expect(out.targets).toHaveLength(12);
    expect(out.tasks).toHaveLength(20);
    for (const x of out.targets) expect(Object.keys(x)).toEqual(['indicator', 'target', 'unit', 'latest', 'latest_date', 'status', 'ratio', 'forecast']);
    for (const x of out.tasks) expect(Object.keys(x)).toEqual(['id', 'title', 'responsible', 'due', 'status', 'overdue']);
    expect(out.targets.find((x: { indicator: string }) => x.indicator === 'PCT专利申请量')).toEqual({
      indicator: 'PCT专利申请量',
      target: 12000,
      unit: '件',
      latest: 12100,
      latest_date: '2024-12-31',
      status: 'achieved',
      ratio: null,
      forecast: null,
    });
    expect(out.targets.find((x: { indicator: string }) => x.indicator === '国际联合研发项目')).toMatchObject({ status: 'no_data', latest: null });
    expect(out.tasks[0]).toEqual({ id: '1', title: '持续丰富完善国际科创交流合作体系', responsible: [], due: '2027-12-31', status: 'not_started', overdue: false });
  });

  it('plan report by a unit not responsible for the task exits 1 with one coded JSON error', async () => {
    const failed = await cli('report', String(planId), '--task', '1', '--unit', '市商务局', '--status', 'in_progress', '--percent', '20', '--json').catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
    const out = JSON.parse((failed as { stdout: string }).stdout);
    expect(out.error).toMatchObject({ code: 'PLAN_UNIT_NOT_RESPONSIBLE', message: expect.stringContaining('市商务局'), message_en: expect.any(String) });
  });
});
