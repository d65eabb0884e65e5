import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../errors.ts';
import {
  evaluateTask,
  evaluateTasks,
  resolveSupervisionConfig,
  rollUpTargets,
  rollUpTasks,
  supervisionList,
  type TaskInput,
} from './tasks.ts';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isAppError(e) ? e.code : 'NOT_APP_ERROR';
  }
  return undefined;
};

const task = (over: Partial<TaskInput> = {}): TaskInput => ({
  id: 'T1',
  title: '加强北京市国际科技合作基地建设',
  action: '3',
  responsible: ['市科委、中关村管委会'],
  ...over,
});

describe('evaluateTask — overdue and escalation', () => {
  // Due 2025-03-31, still in progress. Defaults: flag at once, escalate after 30 days.
  const t = task({ due: '2025-03-31', latest_report: { status: 'in_progress', percent: 80, reported_on: '2025-03-20' } });

  it('the due date itself is on time', () => {
    const e = evaluateTask(t, '2025-03-31');
    expect(e.overdue).toBe(false);
    expect(e.escalation).toBe(0);
  });
  it('one day late is overdue and flagged', () => {
    const e = evaluateTask(t, '2025-04-01');
    expect(e.overdue).toBe(true);
    expect(e.days_overdue).toBe(1);
    expect(e.escalation).toBe(1);
    expect(e.triggers.map((x) => x.kind)).toEqual(['overdue']);
  });
  it('29 days late is still level 1; 30 days late is escalated', () => {
    // 2025-03-31 + 29 = 2025-04-29; + 30 = 2025-04-30
    expect(evaluateTask(t, '2025-04-29').escalation).toBe(1);
    const e = evaluateTask(t, '2025-04-30');
    expect(e.days_overdue).toBe(30);
    expect(e.escalation).toBe(2);
    expect(e.explanation_zh).toContain('已超过完成期限 2025-03-31 30 天');
    expect(e.explanation_zh).toContain('督办级别 2（升级督办');
  });
  it('delays are configurable: flag after 7 days, escalate after 60', () => {
    const cfg = { flag_after_days: 7, escalate_after_days: 60 };
    expect(evaluateTask(t, '2025-04-06', cfg).escalation).toBe(0); // 6 days
    expect(evaluateTask(t, '2025-04-07', cfg).escalation).toBe(1); // 7 days
    expect(evaluateTask(t, '2025-05-29', cfg).escalation).toBe(1); // 59 days
    expect(evaluateTask(t, '2025-05-30', cfg).escalation).toBe(2); // 60 days
  });
  it('a completed task is never overdue; completed after the due date is completed_late', () => {
    const done = task({ due: '2025-03-31', latest_report: { status: 'completed', percent: 90, reported_on: '2025-04-10' } });
    const e = evaluateTask(done, '2025-06-30');
    expect(e.overdue).toBe(false);
    expect(e.completed_late).toBe(true);
    expect(e.percent).toBe(100);
    expect(e.escalation).toBe(0);
  });
  it('a report dated after the as-of date is ignored', () => {
    const later = task({ due: '2025-03-31', latest_report: { status: 'completed', percent: 100, reported_on: '2025-05-01' } });
    const e = evaluateTask(later, '2025-04-15');
    expect(e.status).toBe('not_started');
    expect(e.overdue).toBe(true);
    expect(e.notes).toContain('REPORT_AFTER_AS_OF');
  });
  it('no due date (and no plan default) is never overdue', () => {
    const e = evaluateTask(task({ latest_report: null }), '2030-01-01');
    expect(e.overdue).toBe(false);
    expect(e.due).toBeNull();
    expect(e.notes).toContain('NO_SCHEDULE');
  });
  it('falls back to the plan’s default start and due', () => {
    const e = evaluateTask(task(), '2028-01-31', { default_start: '2024-01-01', default_due: '2027-12-31' });
    expect(e.due).toBe('2027-12-31');
    expect(e.days_overdue).toBe(31);
    expect(e.escalation).toBe(2);
  });
});

describe('evaluateTask — off track against the straight-line schedule', () => {
  // 2024-01-01 → 2025-12-31 is 730 days; as of 2024-12-31, 365 days in: expected 50 %.
  const base = { start: '2024-01-01', due: '2025-12-31' };
  const at = (percent: number) =>
    evaluateTask(task({ ...base, latest_report: { status: 'in_progress', percent, reported_on: '2024-12-20' } }), '2024-12-31');

  it('exactly 15 points behind is within the margin', () => {
    const e = at(35);
    expect(e.expected_percent).toBe(50);
    expect(e.behind_by).toBe(15);
    expect(e.off_track).toBe(false);
    expect(e.escalation).toBe(0);
  });
  it('more than 15 points behind is off track, flagged since the schedule passed percent + margin', () => {
    // 34 + 15 = 49 % of 730 days = 357.7 → first off-track day is start + 358 = 2024-12-24, 7 days before as-of
    const e = at(34);
    expect(e.off_track).toBe(true);
    expect(e.triggers).toHaveLength(1);
    expect(e.triggers[0]).toMatchObject({ kind: 'off_track', since: '2024-12-24', days: 7 });
    expect(e.escalation).toBe(1);
    expect(e.explanation_zh).toContain('按线性进度应完成 50%，实际 34%，落后 16 个百分点（容差 15）');
  });
  it('exactly at the margin does not tip over on floating point', () => {
    // 2024-01-01 → 2027-12-31 is 1460 days; day 511 (2025-05-26) expects 511/1460 = 35 %: 20 % reported is 15 behind.
    const t = task({ start: '2024-01-01', due: '2027-12-31', latest_report: { status: 'in_progress', percent: 20, reported_on: '2025-01-01' } });
    const on = evaluateTask(t, '2025-05-26');
    expect(on.expected_percent).toBeCloseTo(35, 12);
    expect(on.off_track).toBe(false);
    const off = evaluateTask(t, '2025-05-27');
    expect(off.off_track).toBe(true);
    expect(off.triggers[0]).toMatchObject({ since: '2025-05-27', days: 0 });
  });
  it('the margin is configurable', () => {
    expect(at(34).off_track).toBe(true);
    const e = evaluateTask(
      task({ ...base, latest_report: { status: 'in_progress', percent: 34, reported_on: '2024-12-20' } }),
      '2024-12-31',
      { off_track_margin: 20 },
    );
    expect(e.off_track).toBe(false);
  });
  it('not started counts as 0 %, whatever percent was typed', () => {
    const e = evaluateTask(task({ ...base, latest_report: { status: 'not_started', percent: 40, reported_on: '2024-12-20' } }), '2024-12-31');
    expect(e.percent).toBe(0);
    expect(e.off_track).toBe(true);
  });
  it('before the start nothing is expected; after the due date 100 % is', () => {
    expect(evaluateTask(task(base), '2023-12-01').expected_percent).toBe(0);
    const late = evaluateTask(task(base), '2026-01-31');
    expect(late.expected_percent).toBe(100);
    expect(late.off_track).toBe(true);
    expect(late.overdue).toBe(true);
  });
  it('due not after start: no schedule', () => {
    const e = evaluateTask(task({ start: '2025-01-01', due: '2024-12-31' }), '2025-06-30');
    expect(e.expected_percent).toBeNull();
    expect(e.off_track).toBe(false);
    expect(e.notes).toContain('NO_SCHEDULE');
  });
});

describe('evaluateTask — milestones and blocked tasks', () => {
  it('an open milestone past its date is a trigger with its own age', () => {
    const e = evaluateTask(
      task({
        milestones: [
          { title: '年度认定', due: '2025-03-31', done_on: '2025-03-29' },
          { title: '中期评估', due: '2025-05-31' },
          { title: '总结', due: '2025-12-31' },
        ],
      }),
      '2025-06-30',
    );
    expect(e.overdue_milestones).toEqual([{ title: '中期评估', due: '2025-05-31', days_overdue: 30 }]);
    expect(e.escalation).toBe(2);
  });
  it('a milestone done after the as-of date was not done as of then', () => {
    const e = evaluateTask(task({ milestones: [{ title: '中期评估', due: '2025-05-31', done_on: '2025-07-10' }] }), '2025-06-30');
    expect(e.overdue_milestones).toHaveLength(1);
  });
  it('blocked is flagged at once and escalated after the delay', () => {
    const t = task({ latest_report: { status: 'blocked', percent: 30, reported_on: '2025-06-15' } });
    const e = evaluateTask(t, '2025-06-30');
    expect(e.percent).toBe(30);
    expect(e.triggers).toMatchObject([{ kind: 'blocked', since: '2025-06-15', days: 15 }]);
    expect(e.escalation).toBe(1);
    expect(evaluateTask(t, '2025-07-15').escalation).toBe(2);
  });
});

describe('evaluateTask — refusals', () => {
  it('percent outside 0–100, unknown status, bad dates, bad config', () => {
    expect(codeOf(() => evaluateTask(task({ latest_report: { status: 'in_progress', percent: 120, reported_on: '2025-01-01' } }), '2025-06-30'))).toBe(
      'PLAN_TASK_PERCENT_INVALID',
    );
    expect(codeOf(() => evaluateTask(task({ latest_report: { status: 'done' as never, reported_on: '2025-01-01' } }), '2025-06-30'))).toBe(
      'PLAN_TASK_REPORT_INVALID',
    );
    expect(codeOf(() => evaluateTask(task({ due: '2025-06-31' }), '2025-06-30'))).toBe('PLAN_TIME_INVALID');
    expect(codeOf(() => resolveSupervisionConfig({ flag_after_days: 40, escalate_after_days: 30 }))).toBe('PLAN_SUPERVISION_CONFIG_INVALID');
    expect(codeOf(() => resolveSupervisionConfig({ off_track_margin: -1 }))).toBe('PLAN_SUPERVISION_CONFIG_INVALID');
  });
  it('duplicate task numbers', () => {
    expect(codeOf(() => evaluateTasks([task(), task()], '2025-06-30'))).toBe('PLAN_TASK_DUPLICATE');
  });
});

describe('rollUpTasks and supervisionList', () => {
  const asOf = '2025-06-30';
  const evals = evaluateTasks(
    [
      task({ id: '1', action: '1', responsible: ['A'], due: '2025-03-31', latest_report: { status: 'in_progress', percent: 50, reported_on: '2025-03-01' } }),
      task({ id: '2', action: '1', responsible: ['A', 'B'], latest_report: { status: 'completed', reported_on: '2025-05-01' } }),
      task({ id: '3', action: '2', responsible: ['B'], latest_report: { status: 'blocked', percent: 10, reported_on: '2025-06-20' } }),
      task({ id: '4', action: '2', responsible: [], latest_report: null }),
      task({ id: '5', action: null, responsible: ['A', 'A'], due: '2025-06-20' }),
    ],
    asOf,
  );

  it('counts per plan, action and unit; a task with two units counts for each', () => {
    const r = rollUpTasks(evals);
    expect(r.plan).toEqual({
      total: 5,
      not_started: 2,
      in_progress: 1,
      completed: 1,
      blocked: 1,
      overdue: 2, // 1 (91 days) and 5 (10 days)
      off_track: 0,
      flagged: 3, // 1, 3, 5
      escalated: 1, // 1
    });
    expect(r.by_action.map((a) => [a.action, a.counts.total])).toEqual([
      ['1', 2],
      ['2', 2],
    ]);
    expect(r.by_unit.map((u) => [u.unit, u.counts.total, u.counts.flagged])).toEqual([
      ['A', 3, 2],
      ['B', 2, 1],
    ]);
    expect(r.unassigned.total).toBe(1);
  });

  it('lists flagged tasks per unit, escalated and oldest first', () => {
    const list = supervisionList(evals);
    expect(list.map((e) => [e.unit, e.tasks.map((t) => [t.id, t.escalation, t.escalation_days])])).toEqual([
      [
        'A',
        [
          ['1', 2, 91],
          ['5', 1, 10],
        ],
      ],
      ['B', [['3', 1, 10]]],
    ]);
  });

  it('lists tasks of the same escalation and age by their number in its natural order (2 before 10)', () => {
    // Twelve tasks of one unit, all due on the same day and with no report: the same level and
    // days, so only the number orders them — 1, 2, …, 12, never 1, 10, 11, 12, 2.
    const same = evaluateTasks(
      Array.from({ length: 12 }, (_, i) => task({ id: String(12 - i), responsible: ['A'], due: '2025-03-31' })),
      asOf,
    );
    const [entry] = supervisionList(same);
    expect(entry.tasks.map((t) => t.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
  });

  it('rollUpTargets counts statuses per plan and group', () => {
    const r = rollUpTargets(
      [
        { status: 'on_track' as const, area: 'x' },
        { status: 'no_data' as const, area: 'y' },
        { status: 'on_track' as const, area: 'y' },
      ],
      (t) => t.area,
    );
    expect(r.plan).toMatchObject({ total: 3, on_track: 2, no_data: 1, achieved: 0 });
    expect(r.groups.map((g) => [g.group, g.counts.total])).toEqual([
      ['x', 1],
      ['y', 2],
    ]);
  });
});
