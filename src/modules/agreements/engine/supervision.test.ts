import { describe, expect, it } from 'vitest';
import { evaluateTask, supervisionList } from '../../plans/engine/tasks.ts';
import { signedAgreement } from './engine.fixture.ts';
import { expandSchedule, scheduleStatus, type Submission } from './schedule.ts';
import { escalatesOn, projectSupervision } from './supervision.ts';

const a = signedAgreement();
const project = { code: a.project, title: '航空级碳纤维复合材料联合研发', lead_org: '常州碳谷新材料有限公司' };
const schedule = expandSchedule(a, a.reporting);
const sent: Submission[] = [{ kind: 'progress', period: '2024H2', submitted_on: '2025-01-20', state: 'accepted' }];
const items = (asOf: string, config = {}) => projectSupervision(project, scheduleStatus(schedule, sent, asOf), a.milestones, config);

describe('overdue reports and milestones as supervised items of the plans’ mechanism', () => {
  it('as of 2025-09-13: the 2024 financial report (151 days past 2025-04-15) and the milestone (75 days past 2025-06-30) are escalated, the 2025H1 report (29 days) is flagged', () => {
    const list = items('2025-09-13');
    expect(list.map((i) => [i.id, i.triggers[0].kind, i.triggers[0].since, i.escalation_days, i.escalation])).toEqual([
      ['project:CZ-GJ-2024-07:report:financial:2024', 'report_overdue', '2025-04-15', 151, 2],
      ['project:CZ-GJ-2024-07:report:progress:2025H1', 'report_overdue', '2025-08-15', 29, 1],
      ['project:CZ-GJ-2024-07:milestone:样机试制', 'milestone_overdue', '2025-06-30', 75, 2],
    ]);
    expect(list[0].title).toBe('项目 CZ-GJ-2024-07“航空级碳纤维复合材料联合研发”的2024 年度财务报告');
    expect(list[1].triggers[0].detail_zh).toBe('2025H1 进展报告已超过报送期限 2025-08-15 29 天（应于 2025-07-31 前报送）');
    expect(list.every((i) => i.responsible[0] === '常州碳谷新材料有限公司')).toBe(true);
  });
  it('the 2025H1 report escalates on its 30th day, 2025-09-14, as a plan task would', () => {
    const h1 = (asOf: string) => items(asOf).find((i) => i.id.endsWith('2025H1'))!;
    expect(h1('2025-09-14').escalation).toBe(2);
    expect(escalatesOn(h1('2025-09-13'), { escalate_after_days: 30 })).toBe('2025-09-14');
  });
  it('the plan’s delays apply: flagged only after 7 days', () => {
    const h1 = items('2025-08-20', { flag_after_days: 7 }).find((i) => i.id.endsWith('2025H1'))!;
    expect([h1.escalation_days, h1.escalation]).toEqual([5, 0]);
  });
  it('a submitted report and a milestone done are no longer supervised', () => {
    const done = projectSupervision(
      project,
      scheduleStatus(schedule, [...sent, { kind: 'financial', period: '2024', submitted_on: '2025-09-01', state: 'submitted' }, { kind: 'progress', period: '2025H1', submitted_on: '2025-09-01', state: 'submitted' }], '2025-09-13'),
      [{ ...a.milestones[0], done_on: '2025-09-10' }, a.milestones[1]],
    );
    expect(done).toEqual([]);
  });
  it('one supervision list holds a plan’s tasks and the projects’ items, per unit that must act', () => {
    const task = evaluateTask({ id: '12', title: '建立国际合作项目绩效评价制度', responsible: ['市科技局'], due: '2025-06-30' }, '2025-09-13');
    const list = supervisionList([task, ...items('2025-09-13')]);
    expect(list.map((e) => [e.unit, e.tasks.map((t) => [t.id, t.escalation])])).toEqual([
      [
        '常州碳谷新材料有限公司',
        [
          ['project:CZ-GJ-2024-07:report:financial:2024', 2],
          ['project:CZ-GJ-2024-07:milestone:样机试制', 2],
          ['project:CZ-GJ-2024-07:report:progress:2025H1', 1],
        ],
      ],
      ['市科技局', [['12', 2]]],
    ]);
  });
});
