/**
 * The bad input issue 6 names, in one place — targets without baselines, deadlines in the past,
 * values in the wrong unit, duplicate task numbers, reports on tasks a unit is not responsible
 * for — each answered with a coded error or warning. Cases already covered elsewhere
 * (plans.test.ts, plans.routes.test.ts, plans.cli.test.ts) are not repeated; these are the
 * variants that had no test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { isAppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testConfig } from '../../../test/app.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { csv } from './plans.fixture.ts';
import { importPlan, type PlanImportResult } from './plans.import.ts';
import { enterValue, submitReport, updateTask } from './plans.service.ts';

const TODAY = '2025-07-01';
const buf = (s: string) => Buffer.from(s, 'utf8');
const issues = (r: PlanImportResult) => r.issues.map((i) => [i.code, i.severity, i.row, i.column]);

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(STORES)('bad plan input on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  const planCount = async () => (await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM plans'))[0].n;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
  });
  afterAll(async () => store?.close());

  describe('targets without (complete) baselines', () => {
    it('refuses a baseline value without its year, or a year without its value, and a baseline not before the target', async () => {
      const targets = csv(
        ['指标', '目标值', '单位', '目标年份', '基线值', '基线年份'],
        [
          ['甲', 10, '个', 2027, 5, null],
          ['乙', 10, '个', 2027, null, 2023],
          ['丙', 10, '个', 2027, 5, 2027],
          ['丁', 10, '个', 2027, null, null],
        ],
      );
      const r = await importPlan(ctx, [{ fileName: 't.csv', buffer: buf(targets) }], { name: `基线 ${kind}`, today: TODAY });
      expect(r.ok).toBe(false);
      expect(issues(r)).toEqual(
        expect.arrayContaining([
          ['TARGET_BASELINE_INCOMPLETE', 'error', 2, '基线年份'],
          ['TARGET_BASELINE_INCOMPLETE', 'error', 3, '基线值'],
          ['TARGET_BASELINE_NOT_BEFORE_TARGET', 'error', 4, '基线年份'],
          ['TARGET_NO_BASELINE', 'warning', 5, '基线值'],
        ]),
      );
      expect(await planCount()).toBe(0);
    });

    it('refuses the same indicator twice', async () => {
      const targets = csv(['指标', '目标值', '单位', '目标年份'], [['甲', 10, '个', 2027], ['甲', 12, '个', 2027]]);
      const r = await importPlan(ctx, [{ fileName: 't.csv', buffer: buf(targets) }], { name: `重复指标 ${kind}`, today: TODAY });
      expect(r.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.row])).toEqual([['TARGET_DUPLICATE', 3]]);
    });
  });

  describe('deadlines in the past, or before the start', () => {
    it('warns about a task due before today and refuses one due before it starts', async () => {
      const tasks = csv(
        ['行动编号', '行动', '任务编号', '任务', '开始日期', '完成时限'],
        [
          ['1', '甲', '1', '一', '2024-01-01', '2025-03-31'],
          ['1', '甲', '2', '二', '2025-06-01', '2025-05-01'],
        ],
      );
      const r = await importPlan(ctx, [{ fileName: 'k.csv', buffer: buf(tasks) }], { name: `期限 ${kind}`, today: TODAY });
      expect(issues(r)).toEqual(
        expect.arrayContaining([
          ['TASK_DUE_PASSED', 'warning', 2, '完成时限'],
          ['TASK_PERIOD_INVALID', 'error', 3, '完成时限'],
        ]),
      );
      expect(r.ok).toBe(false);
    });

    it('refuses a task changed to be due before it starts, and a progress report dated after today', async () => {
      const tasks = csv(['行动编号', '行动', '任务编号', '任务', '责任单位'], [['1', '甲', '1', '一', '市外办']]);
      const r = await importPlan(ctx, [{ fileName: 'k.csv', buffer: buf(tasks) }], { name: `改期 ${kind}`, period: { from: 2024, to: 2027 }, today: TODAY });
      const e = await refusal(updateTask(ctx, r.plan!, '1', { start_date: '2025-06-01', due_date: '2025-05-01' }));
      expect([e.code, e.status]).toEqual(['PLAN_TASK_PERIOD_INVALID', 400]);
      const future = await refusal(submitReport(ctx, r.plan!, '1', { unit: '市外办', status: 'in_progress', percent: 10, reported_on: '2025-07-02' }, TODAY));
      expect([future.code, future.status]).toEqual(['PLAN_REPORT_DATE_FUTURE', 400]);
    });
  });

  describe('values: dated after today or not after the baseline', () => {
    it('takes them with warnings, and they do not move the status', async () => {
      const targets = csv(['指标', '目标值', '单位', '目标年份', '基线值', '基线年份'], [['项目', 100, '项', 2027, 40, 2023]]);
      const r = await importPlan(ctx, [{ fileName: 't.csv', buffer: buf(targets) }], { name: `数值 ${kind}`, today: TODAY });
      const future = await enterValue(ctx, r.plan!, { indicator: '项目', date: '2025-09-30', value: 60 }, TODAY);
      expect(future.warnings.map((w) => w.code)).toEqual(['VALUE_DATE_FUTURE']);
      const old = await enterValue(ctx, r.plan!, { indicator: '项目', date: '2023', value: 41 }, TODAY);
      expect(old.warnings.map((w) => w.code)).toEqual(['VALUE_NOT_AFTER_BASELINE']);
    });
  });

  describe('duplicate task numbers across files', () => {
    it('refuses a task number used in two tasks files, naming the first file and row', async () => {
      const a = csv(['行动编号', '行动', '任务编号', '任务'], [['1', '甲', '1', '一']]);
      const b = csv(['行动编号', '行动', '任务编号', '任务'], [['2', '乙', '1', '二']]);
      const r = await importPlan(
        ctx,
        [
          { fileName: 'a.csv', buffer: buf(a) },
          { fileName: 'b.csv', buffer: buf(b) },
        ],
        { name: `跨文件 ${kind}`, today: TODAY },
      );
      expect(r.ok).toBe(false);
      const dup = r.issues.find((i) => i.code === 'TASK_NUMBER_DUPLICATE')!;
      expect(dup).toMatchObject({ file: 'b.csv', row: 2, severity: 'error' });
      expect(dup.message).toContain('a.csv');
    });
  });
});
