/**
 * The Beijing 2024–2027 action plan (seed 004) run through the engine: its twelve targets and
 * twenty tasks from the seed tables, with INVENTED baselines, reported values, responsible
 * units and reports — stated below so every expected status can be checked by hand. Nothing
 * here claims to be Beijing's real figures.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { forecastTarget } from './forecast.ts';
import { computeTargetStatus, type Observation, type ProgressStatus, type TargetSpec } from './status.ts';
import { evaluateTasks, rollUpTargets, rollUpTasks, supervisionList, type TaskInput } from './tasks.ts';

const table = (name: string): Array<Record<string, string>> =>
  parse(fs.readFileSync(new URL(`../../../../demo/seed-tables/${name}`, import.meta.url)), { columns: true, bom: true });
const targets = table('beijing_action_plan_2024_2027_targets.csv');
const tasks = table('beijing_action_plan_2024_2027_tasks.csv');

/**
 * Invented baselines (2023 year-end) and values reported at the two reporting dates
 * 2024-12-31 and 2025-06-30, with the status expected as of 2025-06-30.
 * Unless noted: t0 = 2023, latest = 2025-06-30 (1.5 years later), target 2027 (4 years after t0).
 * obs = (latest/base)^(1/1.5) − 1, req = (target/base)^(1/4) − 1, R = obs/req.
 */
const scenario: Record<string, { base: number; values: Array<[string | number, number]>; expect: ProgressStatus; why: string }> = {
  '政府间、园区间国际科技合作机制': {
    base: 30,
    values: [['2024-12-31', 34], ['2025-06-30', 37]],
    expect: 'on_track',
    why: 'obs (37/30)^(1/1.5) − 1 = 15.01 %, req (50/30)^(1/4) − 1 = 13.62 %, R = 1.10',
  },
  '市级“一带一路”联合实验室': {
    base: 8,
    values: [['2024-12-31', 9], ['2025-06-30', 9]],
    expect: 'limited',
    why: 'obs (9/8)^(1/1.5) − 1 = 8.17 %, req (15/8)^(1/4) − 1 = 17.02 %, R = 0.48',
  },
  '国际科技组织、机构': {
    base: 60,
    values: [['2024-12-31', 70], ['2025-06-30', 75]],
    expect: 'on_track',
    why: 'obs (75/60)^(1/1.5) − 1 = 16.04 %, req (100/60)^(1/4) − 1 = 13.62 %, R = 1.18',
  },
  '中关村企业驻海外服务代表处': {
    base: 12,
    values: [['2025-06-30', 15]],
    expect: 'acceleration_needed',
    why: 'obs (15/12)^(1/1.5) − 1 = 16.04 %, req (25/12)^(1/4) − 1 = 20.14 %, R = 0.80',
  },
  '北京国际科技合作基地': {
    base: 90,
    values: [['2024-12-31', 88], ['2025-06-30', 86]],
    expect: 'deterioration',
    why: 'obs (86/90)^(1/1.5) − 1 = −2.99 % < 0, R = −1.12',
  },
  '跨境技术转移机构（培育和引进）': {
    // Counted from the plan's start, so the baseline is 0: CAGR undefined, linear rates.
    base: 0,
    values: [['2024-12-31', 4], ['2025-06-30', 6]],
    expect: 'acceleration_needed',
    why: 'linear: obs (6 − 0)/1.5 = 4/yr, req (20 − 0)/4 = 5/yr, R = 0.80',
  },
  '海外国际化创新载体平台': {
    base: 15,
    values: [],
    expect: 'no_data',
    why: 'no value reported after the baseline',
  },
  '国际联合研发项目': {
    base: 40,
    values: [['2024-12-31', 50], ['2025-06-30', 55]],
    expect: 'acceleration_needed',
    why: 'obs (55/40)^(1/1.5) − 1 = 23.65 %, req (100/40)^(1/4) − 1 = 25.74 %, R = 0.919',
  },
  '在京外资研发中心': {
    base: 260,
    values: [['2025-06-30', 290]],
    expect: 'on_track',
    why: 'obs (290/260)^(1/1.5) − 1 = 7.55 %, req (300/260)^(1/4) − 1 = 3.64 %, R = 2.07',
  },
  'PCT专利申请量': {
    // An annual flow, reported by year label (2024 = the 2024 total).
    base: 11000,
    values: [[2024, 12100]],
    expect: 'achieved',
    why: '12100 ≥ 12000',
  },
  '中关村示范区海外从业人员及留学归国人员': {
    base: 70000,
    values: [['2024-12-31', 71000], ['2025-06-30', 71500]],
    expect: 'acceleration_needed',
    why: 'obs (71500/70000)^(1/1.5) − 1 = 1.42 %, req (75000/70000)^(1/4) − 1 = 1.74 %, R = 0.82',
  },
  '进入科睿唯安Q1区科技期刊': {
    base: 100,
    values: [['2024-12-31', 102], ['2025-06-30', 103]],
    expect: 'limited',
    why: 'obs (103/100)^(1/1.5) − 1 = 1.99 %, req (120/100)^(1/4) − 1 = 4.66 %, R = 0.43',
  },
};

function specOf(row: Record<string, string>): TargetSpec {
  const s = scenario[row['指标']];
  return {
    indicator: row['指标'],
    unit: row['单位'],
    direction: 'increase', // every Beijing target is 正向
    baseline: { at: 2023, value: s.base },
    target: { at: Number(row['目标年份']), value: Number(row['目标值']) },
  };
}
const valuesOf = (row: Record<string, string>): Observation[] => scenario[row['指标']].values.map(([at, value]) => ({ at, value }));

describe('Beijing 2024–2027 plan — targets', () => {
  it('the seed table has the twelve targets the scenario covers', () => {
    expect(targets).toHaveLength(12);
    expect(new Set(targets.map((r) => r['指标']))).toEqual(new Set(Object.keys(scenario)));
    expect(targets.find((r) => r['指标'] === '国际联合研发项目')).toMatchObject({ 目标值: '100', 单位: '项', 目标年份: '2027' });
  });

  it.each(targets.map((r) => [r['指标'], r] as const))('%s', (_name, row) => {
    const r = computeTargetStatus(specOf(row), valuesOf(row), { as_of: '2025-06-30' });
    expect(r.status, `${row['指标']}: ${scenario[row['指标']].why}\n${r.explanation_zh}`).toBe(scenario[row['指标']].expect);
  });

  it('国际联合研发项目: the figures, and how the status moved between the two reporting dates', () => {
    const row = targets.find((r) => r['指标'] === '国际联合研发项目') as Record<string, string>;
    // As of 2024-12-31: obs (50/40)^1 − 1 = 25 %, req 25.74 %, R = 0.9711 → on_track
    const q4 = computeTargetStatus(specOf(row), valuesOf(row), { as_of: '2024-12-31' });
    expect(q4.ratio).toBeCloseTo(0.971125, 5);
    expect(q4.status).toBe('on_track');
    // As of 2025-06-30: obs (55/40)^(1/1.5) − 1 = 23.652 %, R = 0.236522 / 0.257433 = 0.918768 → acceleration_needed
    const q2 = computeTargetStatus(specOf(row), valuesOf(row), { as_of: '2025-06-30' });
    expect(q2.observed_rate).toBeCloseTo(0.236522, 6);
    expect(q2.ratio).toBeCloseTo(0.918768, 5);
    expect(q2.status).toBe('acceleration_needed');
    expect(q2.explanation_zh).toContain('国际联合研发项目：基线 40项（2023年）→ 最新值 55项（2025-06-30）');
    // Forecast on the same trend: 55 × 1.236522^2.5 = 93.51 by 2027, short of 100
    const f = forecastTarget(specOf(row), valuesOf(row), { as_of: '2025-06-30' });
    expect(f?.value).toBeCloseTo(93.512, 3);
    expect(f?.meets_target).toBe(false);
  });

  it('a new value moves the status: one more 北京国际科技合作基地 report of 96 turns deterioration into on_track', () => {
    // obs (96/90)^(1/1.5) − 1 = 4.39 %, req (100/90)^(1/4) − 1 = 2.67 %, R = 1.64
    const row = targets.find((r) => r['指标'] === '北京国际科技合作基地') as Record<string, string>;
    const more = [...valuesOf(row), { at: '2025-06-30', value: 96 }];
    expect(computeTargetStatus(specOf(row), more, { as_of: '2025-06-30' }).status).toBe('on_track');
  });

  it('rolls the twelve statuses up by goal area (目标领域)', () => {
    const rows = targets.map((row) => ({
      area: row['目标领域'],
      status: computeTargetStatus(specOf(row), valuesOf(row), { as_of: '2025-06-30' }).status,
    }));
    const r = rollUpTargets(rows, (x) => x.area);
    expect(r.plan).toEqual({ total: 12, achieved: 1, on_track: 3, acceleration_needed: 4, limited: 2, deterioration: 1, no_data: 1 });
    expect(r.groups.map((g) => [g.group, g.counts.total])).toEqual([
      ['国际科技合作网络体系更趋完善', 4],
      ['国际科技合作平台能级持续增强', 3],
      ['创新主体国际合作质效稳步提升', 3],
      ['开放创新生态更具全球竞争力', 1],
      ['国际科技合作影响力持续增强', 1],
    ]);
  });
});

describe('Beijing 2024–2027 plan — tasks and supervision', () => {
  // Invented: the units responsible for each action, the reports as of 2025-06-30, one task
  // with its own earlier deadline and two with milestones. All others run 2024-01-01 → 2027-12-31
  // (the plan's defaults): 546 of 1460 days have passed, so 37.4 % is expected.
  const units: Record<string, string[]> = {
    '1': ['市科委、中关村管委会', '市外办'],
    '2': ['市科委、中关村管委会'],
    '3': ['市科委、中关村管委会'],
    '4': ['市商务局', '市科委、中关村管委会'],
    '5': ['市知识产权局', '市人才局', '市金融监管局'],
    '6': ['市科委、中关村管委会', '市科协'],
  };
  const reports: Record<string, TaskInput['latest_report']> = {
    '1': { status: 'in_progress', percent: 40, reported_on: '2025-06-25' },
    '2': { status: 'in_progress', percent: 35, reported_on: '2025-06-25' },
    '3': { status: 'in_progress', percent: 20, reported_on: '2025-06-25' }, // 17.4 points behind → off track
    '7': { status: 'in_progress', percent: 45, reported_on: '2025-06-28' },
    '9': { status: 'blocked', percent: 25, reported_on: '2025-06-15' }, // blocked 15 days → flagged
    '12': { status: 'in_progress', percent: 50, reported_on: '2025-06-20' },
    '14': { status: 'in_progress', percent: 80, reported_on: '2025-03-25' }, // due 2025-03-31 → 91 days overdue
    '18': { status: 'in_progress', percent: 50, reported_on: '2025-06-30' },
    '20': { status: 'in_progress', percent: 30, reported_on: '2025-06-30' },
  };
  const input: TaskInput[] = tasks.map((r) => ({
    id: r['任务编号'],
    title: r['任务'],
    action: r['行动'],
    responsible: units[r['行动编号']],
    due: r['任务编号'] === '14' ? '2025-03-31' : undefined,
    milestones:
      r['任务编号'] === '18'
        ? [{ title: '2025中关村论坛年会', due: '2025-03-31', done_on: '2025-03-29' }]
        : r['任务编号'] === '20'
          ? [{ title: '期刊国际化方案出台', due: '2025-03-31' }] // not done: 91 days late
          : [],
    latest_report: reports[r['任务编号']] ?? { status: 'in_progress', percent: 38, reported_on: '2025-06-20' },
  }));
  const evals = evaluateTasks(input, '2025-06-30', { default_start: '2024-01-01', default_due: '2027-12-31' });
  const byId = new Map(evals.map((e) => [e.id, e]));

  it('reads twenty tasks in six actions from the seed table', () => {
    expect(evals).toHaveLength(20);
    expect(new Set(evals.map((e) => e.action)).size).toBe(6);
    expect(byId.get('1')?.expected_percent).toBeCloseTo((546 / 1460) * 100, 10);
  });

  it('flags exactly the off-track, blocked, overdue and milestone cases', () => {
    const flagged = evals.filter((e) => e.escalation > 0).map((e) => [e.id, e.escalation, e.triggers.map((t) => t.kind).join('+')]);
    expect(flagged).toEqual([
      // 37.4 − 20 = 17.4 points behind > 15. The schedule passed 20 + 15 = 35 % on day
      // floor(0.35 × 1460) + 1 = 512 after 2024-01-01, i.e. 2025-05-27: 34 days ago ≥ 30 → escalated.
      ['3', 2, 'off_track'],
      // Blocked since 2025-06-15: 15 days, flagged but not yet escalated.
      ['9', 1, 'blocked'],
      // Due 2025-03-31: 91 days overdue; and 100 % was expected by then, 80 % reported → also off track.
      ['14', 2, 'overdue+off_track'],
      // Milestone due 2025-03-31 still open: 91 days.
      ['20', 2, 'milestone_overdue'],
    ]);
    expect(byId.get('3')?.triggers[0]).toMatchObject({ since: '2025-05-27', days: 34 });
    expect(byId.get('14')?.days_overdue).toBe(91);
    expect(byId.get('18')?.escalation).toBe(0); // its milestone was met on 2025-03-29
  });

  it('rolls up per action and per responsible unit, and lists supervision per unit', () => {
    const r = rollUpTasks(evals);
    expect(r.plan).toEqual({
      total: 20,
      not_started: 0,
      in_progress: 19,
      completed: 0,
      blocked: 1,
      overdue: 1,
      off_track: 2,
      flagged: 4,
      escalated: 3,
    });
    expect(r.by_action.map((a) => [a.action, a.counts.total, a.counts.flagged])).toEqual([
      ['国际科技合作网络拓展行动', 3, 1],
      ['国际科技合作载体提质行动', 3, 0],
      ['国际科技合作平台建设行动', 4, 1],
      ['创新主体国际合作提升行动', 3, 0],
      ['开放创新生态卓越行动', 4, 1],
      ['国际科技交流合作促进行动', 3, 1],
    ]);
    const unit = (u: string) => r.by_unit.find((x) => x.unit === u)?.counts;
    // 市科委、中关村管委会 shares actions 1, 2, 3, 4 and 6: 3 + 3 + 4 + 3 + 3 = 16 tasks; flagged 3, 9, 20; escalated 3, 20.
    expect(unit('市科委、中关村管委会')).toMatchObject({ total: 16, flagged: 3, escalated: 2 });
    expect(unit('市知识产权局')).toMatchObject({ total: 4, flagged: 1, escalated: 1 });
    expect(unit('市商务局')).toMatchObject({ total: 3, flagged: 0 });
    const list = supervisionList(evals);
    expect(list[0].unit).toBe('市科委、中关村管委会');
    // Escalated first, oldest first: 20 (91 days), 3 (34 days), then 9 (flagged, 15 days).
    expect(list[0].tasks.map((t) => t.id)).toEqual(['20', '3', '9']);
    expect(list.map((e) => e.unit)).not.toContain('市商务局');
  });
});
