import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { isAppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testConfig } from '../../../test/app.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { createTestUser } from '../auth/auth.testing.ts';
import { dayNumber, STATUS_RANK, type ProgressStatus } from './engine/index.ts';
import { SCENARIO, seedTasks, targetsWithBaselines, tasksWithUnits, UNITS } from './plans.fixture.ts';
import { importPlan } from './plans.import.ts';
import {
  addMilestone,
  addUnitMember,
  deleteMilestone,
  districtsNamedBy,
  listMilestones,
  listUnits,
  mergeConfig,
  planMethod,
  removeUnitMember,
  setDistrict,
  updateMilestone,
} from './plans.monitoring.service.ts';
import { planRollup } from './plans.rollup.ts';
import { enterValue, planBoard, setTargetMeasure, updatePlan, updateTask } from './plans.service.ts';

const TODAY = '2025-07-01';
const buf = (s: string) => Buffer.from(s, 'utf8');

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(STORES)('plan monitoring on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  let plan: number;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    const r = await importPlan(
      ctx,
      [
        { fileName: 'tasks.csv', buffer: buf(tasksWithUnits()) },
        { fileName: 'targets.csv', buffer: buf(targetsWithBaselines()) },
      ],
      { name: '北京计划（监测）2024-2027', region: '北京', owner: '市科委、中关村管委会', today: TODAY },
    );
    expect(r.ok).toBe(true);
    plan = r.plan!;
    for (const [indicator, s] of Object.entries(SCENARIO))
      for (const [date, value] of s.values) await enterValue(ctx, plan, { indicator, date, value }, TODAY);
  });
  afterAll(async () => store?.close());

  describe('milestones and deadlines', () => {
    let overdueId: number;

    it('adds a milestone, warning that its deadline has passed; the task’s board entry then carries the overdue milestone', async () => {
      const m = await addMilestone(ctx, plan, '2', { title: '签署合作备忘录', due_date: '2025-03-31' }, TODAY);
      overdueId = m.id;
      expect(m).toMatchObject({ task: '2', title: '签署合作备忘录', due_date: '2025-03-31', done_on: null, state: 'overdue', days_overdue: dayNumber(TODAY) - dayNumber('2025-03-31') });
      expect(m.warnings.map((w) => w.code)).toEqual(['MILESTONE_DUE_PASSED']);
      expect(m.warnings[0].message).toContain('2025-03-31');
      const task = (await planBoard(ctx, plan, '2025-06-30')).tasks.find((t) => t.id === '2')!;
      const trigger = task.triggers.find((t) => t.kind === 'milestone_overdue')!;
      // 2025-03-31 → 2025-06-30: 30 + 31 + 30 days.
      expect(trigger).toMatchObject({ since: '2025-03-31', days: 91 });
      expect(trigger.detail_zh).toContain('签署合作备忘录');
      // Not yet due as of 2025-03-31 itself.
      const before = (await planBoard(ctx, plan, '2025-03-31')).tasks.find((t) => t.id === '2')!;
      expect(before.triggers.some((t) => t.kind === 'milestone_overdue')).toBe(false);
    });

    it('warns about a deadline outside the task’s period, refuses a duplicate title, a done date after today, an unknown task', async () => {
      // Task 14 is due 2025-03-31 (fixture).
      const late = await addMilestone(ctx, plan, '14', { title: '完成评估', due_date: '2025-09-30' }, TODAY);
      expect(late.warnings.map((w) => w.code)).toEqual(['MILESTONE_AFTER_TASK_DUE']);
      const early = await addMilestone(ctx, plan, '3', { title: '启动', due_date: '2023-06-30', done_on: '2023-06-30' }, TODAY);
      expect(early.warnings.map((w) => w.code)).toEqual(['MILESTONE_BEFORE_TASK_START']);
      const dup = await refusal(addMilestone(ctx, plan, '2', { title: '签署合作备忘录', due_date: '2025-12-31' }, TODAY));
      expect([dup.code, dup.status]).toEqual(['PLAN_MILESTONE_DUPLICATE', 409]);
      const future = await refusal(addMilestone(ctx, plan, '2', { title: '未来', due_date: '2025-12-31', done_on: '2025-07-02' }, TODAY));
      expect([future.code, future.status]).toEqual(['PLAN_MILESTONE_DONE_FUTURE', 400]);
      const none = await refusal(addMilestone(ctx, plan, '99', { title: 'x', due_date: '2025-12-31' }, TODAY));
      expect([none.code, none.status]).toEqual(['PLAN_TASK_NOT_FOUND', 404]);
      const missing = await refusal(updateMilestone(ctx, plan, 999999, { done_on: null }, TODAY));
      expect([missing.code, missing.status]).toEqual(['PLAN_MILESTONE_NOT_FOUND', 404]);
    });

    it('lists milestones as of a date, the overdue ones alone, and marks one done late', async () => {
      const all = await listMilestones(ctx, plan, { asOf: '2025-06-30' });
      expect(all.items.map((m) => [m.task, m.title, m.state])).toEqual([
        ['2', '签署合作备忘录', 'overdue'],
        ['3', '启动', 'done'],
        ['14', '完成评估', 'open'],
      ]);
      expect((await listMilestones(ctx, plan, { asOf: '2025-06-30', overdue: true })).items.map((m) => m.id)).toEqual([overdueId]);
      const done = await updateMilestone(ctx, plan, overdueId, { done_on: '2025-06-15' }, TODAY);
      expect(done).toMatchObject({ state: 'done_late', days_overdue: 0, warnings: [] });
      // Done on 2025-06-15: overdue as of 2025-06-14, no longer as of 2025-06-30.
      expect((await listMilestones(ctx, plan, { asOf: '2025-06-14', overdue: true })).items).toHaveLength(1);
      const task = (await planBoard(ctx, plan, '2025-06-30')).tasks.find((t) => t.id === '2')!;
      expect(task.triggers.some((t) => t.kind === 'milestone_overdue')).toBe(false);
    });

    it('deletes a milestone, recording each write in the audit log', async () => {
      const m = await addMilestone(ctx, plan, '5', { title: '临时', due_date: '2026-01-31' }, TODAY);
      await deleteMilestone(ctx, plan, m.id);
      expect((await listMilestones(ctx, plan, { task: '5' })).items).toEqual([]);
      const rows = await ctx.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'plan_milestone' AND entity_id = $1 ORDER BY seq`, [String(m.id)]);
      expect(rows.map((r) => r.action)).toEqual(['create', 'delete']);
    });
  });

  describe('roll-up: plan → action → task, region → district', () => {
    let haidian: number;
    let chaoyang: number;
    beforeAll(async () => {
      const rows = await ctx.db.query<{ id: number; name: string }>(
        `SELECT d.id, d.name FROM admin_regions d JOIN admin_regions c ON d.parent_id = c.id WHERE c.short_name = '北京' AND d.name IN ('海淀区', '朝阳区')`,
      );
      haidian = Number(rows.find((r) => r.name === '海淀区')!.id);
      chaoyang = Number(rows.find((r) => r.name === '朝阳区')!.id);
    });

    it('aggregates the board at every node: counts, the worst target status, the highest supervision level', async () => {
      const [board, r] = await Promise.all([planBoard(ctx, plan, '2025-06-30'), planRollup(ctx, plan, '2025-06-30')]);
      expect(r.targets).toEqual(board.summary.targets);
      // The seed's targets belong to goal areas, not to actions: all of them are unlinked here.
      expect(r.unlinked.targets.total).toBe(12);
      const worst = Object.values(SCENARIO)
        .map((s): ProgressStatus => s.q2)
        .filter((s) => s !== 'no_data')
        .reduce((a, b) => (STATUS_RANK[b] < STATUS_RANK[a] ? b : a));
      expect(r.worst_status).toBe(worst);
      expect(r.worst_status).toBe('deterioration');
      const perAction = new Map<string, number>();
      for (const t of seedTasks) perAction.set(t['行动编号'], (perAction.get(t['行动编号']) ?? 0) + 1);
      expect(r.actions.map((a) => [a.number, a.tasks.total])).toEqual([...perAction]);
      for (const a of r.actions) {
        const tasks = board.tasks.filter((t) => t.action_number === a.number);
        expect(a.tasks.overdue).toBe(tasks.filter((t) => t.overdue).length);
        expect(a.tasks.flagged).toBe(tasks.filter((t) => t.escalation >= 1).length);
        expect(a.escalation).toBe(Math.max(0, ...tasks.map((t) => t.escalation)));
        expect(a.worst_status).toBeNull(); // no targets under an action
      }
      // Task 14 (action 5) is overdue since 2025-03-31.
      expect(r.actions.find((a) => a.number === '5')!.task_items.find((t) => t.id === '14')).toMatchObject({ overdue: true, escalation: 2, responsible: UNITS['5'] });
      expect(r.tasks.total).toBe(seedTasks.length);
    });

    it('puts a task in the district set on it, or in the one its units name; the rest are region-wide', async () => {
      expect(await setDistrict(ctx, plan, '4', '海淀')).toEqual({ task: '4', district: { id: haidian, name: '海淀区' }, warnings: [] });
      await updateTask(ctx, plan, '7', { responsible_units: ['朝阳区人民政府', '市科委、中关村管委会'] });
      const r = await planRollup(ctx, plan, '2025-06-30');
      expect(r.regions!.region.name).toBe('北京');
      // 北京市 the city holds the 16 districts.
      expect(r.regions!.districts).toHaveLength(16);
      const hd = r.regions!.districts.find((d) => d.region.id === haidian)!;
      const cy = r.regions!.districts.find((d) => d.region.id === chaoyang)!;
      expect([hd.task_ids, cy.task_ids]).toEqual([['4'], ['7']]);
      expect(r.regions!.region_wide.task_ids).toHaveLength(seedTasks.length - 2);
      expect(r.regions!.tasks.total).toBe(seedTasks.length);
      expect(r.actions.find((a) => a.number === '2')!.task_items.find((t) => t.id === '4')!.districts).toEqual([{ id: haidian, name: '海淀区' }]);
    });

    it('counts registry-linked targets per district, live', async () => {
      await setTargetMeasure(ctx, plan, { indicator: '北京国际科技合作基地' }, 'platforms.intl_base');
      const add = (name: string, region: number) =>
        ctx.db.query(`INSERT INTO platforms (name_zh, name_key, kind, region_id, status) VALUES ($1, $1, 'intl_base', $2, 'active')`, [name, region]);
      await add('海淀基地一', haidian);
      await add('海淀基地二', haidian);
      await add('朝阳基地', chaoyang);
      const r = await planRollup(ctx, plan, '2025-06-30');
      const m = (id: number) => r.regions!.districts.find((d) => d.region.id === id)!.measures[0];
      expect([m(haidian).value, m(chaoyang).value]).toEqual([2, 1]);
      expect(r.regions!.measures).toEqual([expect.objectContaining({ indicator: '北京国际科技合作基地', measure_key: 'platforms.intl_base', value: 3, in_districts: 3 })]);
    });

    it('refuses a district outside the plan’s region or unknown; warns when the units name another one', async () => {
      const away = await refusal(setDistrict(ctx, plan, '4', '武进区'));
      expect([away.code, away.status]).toEqual(['PLAN_DISTRICT_UNKNOWN', 400]);
      const nowhere = await refusal(setDistrict(ctx, plan, '4', '不存在区'));
      expect(nowhere.code).toBe('PLAN_DISTRICT_UNKNOWN');
      const differ = await setDistrict(ctx, plan, '7', '海淀区');
      expect(differ.warnings.map((w) => w.code)).toEqual(['TASK_DISTRICT_UNITS_DIFFER']);
      expect((await setDistrict(ctx, plan, '7', null)).district).toBeNull();
    });

    it('reads districts from unit names', async () => {
      const rows = await ctx.db.query<{ id: number; code: string; name: string; short_name: string; name_en: string | null; level: 'district'; kind: string; parent_id: number; path: string; note: null }>(
        `SELECT id, code, name, short_name, name_en, level, kind, parent_id, path, note FROM admin_regions WHERE id = ANY($1::bigint[])`,
        [[haidian, chaoyang]],
      );
      expect(districtsNamedBy(['海淀区人民政府'], rows).map((d) => d.name)).toEqual(['海淀区']);
      expect(districtsNamedBy(['朝阳区科委', '海淀园管委会'], rows).map((d) => d.name)).toEqual(['朝阳区']);
      expect(districtsNamedBy(['市科委、中关村管委会'], rows)).toEqual([]);
    });
  });

  describe('method settings in effect: thresholds and forecast method per plan', () => {
    it('shows the defaults: CAGR ratio 95 % / 60 % / 0, growth 1.5 % / 0.5 % / 0, CAGR forecast, 15 points, 0 and 30 days', async () => {
      const m = await planMethod(ctx, plan);
      expect(m.progress).toMatchObject({ method: 'cagr_ratio', ratio_thresholds: { on_track: 0.95, acceleration_needed: 0.6, limited: 0 }, growth_thresholds: { on_track: 0.015, acceleration_needed: 0.005, limited: 0 } });
      expect(m.progress.method_zh).toContain('复合年均增长率');
      expect(m.forecast).toMatchObject({ method: 'cagr' });
      expect(m.supervision).toEqual({ off_track_margin: 15, flag_after_days: 0, escalate_after_days: 30 });
      expect(m.stored).toEqual({});
    });

    it('a plan’s own thresholds move a target across a band; its forecast method is the one shown', async () => {
      const rd = async () => (await planBoard(ctx, plan, '2025-06-30')).targets.find((t) => t.indicator === '国际联合研发项目')!;
      // R = 0.918768 (fixture): acceleration needed under 95 %, on track under 90 %.
      expect(await rd()).toMatchObject({ status: 'acceleration_needed', forecast_method: 'cagr' });
      const stored = (await planMethod(ctx, plan)).stored;
      await updatePlan(ctx, plan, { config: mergeConfig(stored, { progress: { ratio_thresholds: { on_track: 0.9, acceleration_needed: 0.6, limited: 0 } }, forecast_method: 'linear' }) });
      const after = await rd();
      expect(after.status).toBe('on_track');
      expect(after.ratio).toBeCloseTo(0.918768, 5);
      // Least squares through (t, y) = (0, 40), (1, 50), (1.5, 55) years after the baseline: mean t 5/6,
      // mean y 145/3, Sty 35/3, Stt 7/6, slope 10/yr; at the target year (t = 4): 145/3 + 10 · (4 − 5/6) = 80.
      expect(after.forecast_method).toBe('linear');
      expect(after.forecast).toBeCloseTo(80, 6);
      const m = await planMethod(ctx, plan);
      expect(m.progress.ratio_thresholds.on_track).toBe(0.9);
      expect(m.forecast.method).toBe('linear');
      const bad = await refusal(updatePlan(ctx, plan, { config: { progress: { ratio_thresholds: { on_track: 0.5, acceleration_needed: 0.6, limited: 0 } } } }));
      expect(bad.code).toBe('PLAN_PROGRESS_CONFIG_INVALID');
      await updatePlan(ctx, plan, { config: {} });
    });

    it('merges settings key by key', () => {
      expect(mergeConfig({ progress: { method: 'linear_ratio' }, supervision: { escalate_after_days: 10 } }, { supervision: { flag_after_days: 2 } })).toEqual({
        progress: { method: 'linear_ratio' },
        supervision: { escalate_after_days: 10, flag_after_days: 2 },
      });
    });
  });

  describe('units and the users acting for them', () => {
    it('lists the owner, responsible and supporting units; adds and removes members; refuses unknown units and users', async () => {
      const { user } = await createTestUser(store.db, { role: 'bureau', username: `unit-user-${kind}` });
      const units = await listUnits(ctx, plan);
      const owner = units.units.find((u) => u.unit === '市科委、中关村管委会')!;
      expect(owner.roles).toEqual(['owner', 'responsible']);
      expect(units.units.find((u) => u.unit === '市知识产权局')!.tasks).toEqual(seedTasks.filter((t) => t['行动编号'] === '5').map((t) => t['任务编号']));
      const added = await addUnitMember(ctx, plan, { unit: '市知识产权局', username: user.username.toUpperCase() });
      expect(added.units.find((u) => u.unit === '市知识产权局')!.members.map((m) => m.username)).toEqual([user.username]);
      // Adding twice changes nothing.
      await addUnitMember(ctx, plan, { unit: '市知识产权局', username: user.username });
      const [n] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan_unit_members WHERE plan_id = $1`, [plan]);
      expect(n.n).toBe(1);
      const unknownUnit = await refusal(addUnitMember(ctx, plan, { unit: '市教委', username: user.username }));
      expect([unknownUnit.code, unknownUnit.status]).toEqual(['PLAN_UNIT_UNKNOWN', 400]);
      const unknownUser = await refusal(addUnitMember(ctx, plan, { unit: '市知识产权局', username: 'nobody-here' }));
      expect([unknownUser.code, unknownUser.status]).toEqual(['PLAN_MEMBER_USER_NOT_FOUND', 404]);
      const removed = await removeUnitMember(ctx, plan, { unit: '市知识产权局', username: user.username });
      expect(removed.units.find((u) => u.unit === '市知识产权局')!.members).toEqual([]);
      const again = await refusal(removeUnitMember(ctx, plan, { unit: '市知识产权局', username: user.username }));
      expect([again.code, again.status]).toEqual(['PLAN_MEMBER_NOT_FOUND', 404]);
    });
  });
});
