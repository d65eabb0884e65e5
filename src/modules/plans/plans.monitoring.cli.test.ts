import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { testConfig } from '../../../test/app.ts';
import { freshStore, type TestStore } from '../../../test/stores.ts';
import { tasksWithUnits } from './plans.fixture.ts';
import { importPlan } from './plans.import.ts';
import { superviseResultSchema } from './plans.monitoring.schema.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

// The CLI opens its own store, so it runs against a server database; each spawn costs seconds.
describe('innolink plan supervise / config (CLI)', () => {
  let store: TestStore;
  let plan: number;
  beforeAll(async () => {
    store = await freshStore('postgres');
    const r = await importPlan({ db: store.db, actor: systemActor('test'), config: testConfig() }, [{ fileName: 'tasks.csv', buffer: Buffer.from(tasksWithUnits()) }], {
      name: '命令行督办',
      region: '北京',
      period: { from: 2024, to: 2027 },
      config: { supervision: { off_track_margin: 100 } },
    });
    plan = r.plan!;
  });
  afterAll(async () => store?.close());

  const cli = (...args: string[]) =>
    run(process.execPath, ['bin/innolink.mjs', 'plan', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' },
      timeout: 60_000,
    });

  it('plan supervise PLAN --as-of DATE --json prints one result; a second run as of the same date changes nothing', async () => {
    const { stdout } = await cli('supervise', String(plan), '--as-of', '2025-04-10', '--json');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = superviseResultSchema.strict().parse(JSON.parse(stdout));
    expect(out).toMatchObject({ plan: '命令行督办', plan_id: plan, as_of: '2025-04-10', opened: 1, escalated: 0, open: 1, emails: null });
    expect(out.cases).toEqual([expect.objectContaining({ kind: 'task', ref: '14', level: 1, since: '2025-03-31', change: 'opened' })]);
    // The same run through the service's store: idempotent.
    const { stdout: again } = await cli('supervise', String(plan), '--as-of', '2025-04-10', '--json');
    expect(JSON.parse(again)).toMatchObject({ opened: 0, escalated: 0, resolved: 0, notifications: 0, open: 1, cases: [{ ref: '14', change: 'unchanged' }] });
  });

  it('plan supervise refuses an earlier date with exit 1 and one coded JSON error; plan config changes the delay', async () => {
    const err = await cli('supervise', String(plan), '--as-of', '2025-04-01', '--json').catch((e: { code: number; stdout: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect(JSON.parse((err as { stdout: string }).stdout).error).toMatchObject({ code: 'PLAN_SUPERVISION_STALE' });
    const { stdout } = await cli('config', String(plan), '--escalate-after', '5', '--thresholds', '0.9,0.5,0', '--json');
    const m = JSON.parse(stdout);
    expect(m.supervision).toEqual({ off_track_margin: 100, flag_after_days: 0, escalate_after_days: 5 });
    expect(m.progress.ratio_thresholds).toEqual({ on_track: 0.9, acceleration_needed: 0.5, limited: 0 });
    const [row] = await store.db.query<{ config: { supervision: Record<string, number> } }>(`SELECT config FROM plans WHERE id = $1`, [plan]);
    expect(row.config.supervision).toEqual({ off_track_margin: 100, escalate_after_days: 5 });
  });
});
