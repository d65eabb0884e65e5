/**
 * Overdue reports and milestones of projects as supervised items of the one supervision (督办)
 * mechanism the action plans use: this file only says WHAT is overdue and since when (a trigger
 * per report or milestone); whether it is flagged or escalated, how the list is grouped by the
 * unit that must act, and (in the store) how cases are opened, escalated, resolved and notified
 * are the plans' rules, unchanged (src/modules/plans/engine/tasks.ts: escalationOf,
 * judgeSupervisedItem, supervisionList). See README.md in this folder for the store's part.
 *
 *   - a report past its deadline (status overdue in schedule.ts; a returned report's new date
 *     counts) is one item with the trigger 'report_overdue', dated from its deadline, its age the
 *     days since;
 *   - a milestone not done after its due date is one item with the trigger 'milestone_overdue',
 *     dated from its due date — the same trigger a plan task's milestone raises;
 *   - the unit that must act is the project's lead organisation.
 */
import { addDays, dayNumber } from './dates.ts';
import { judgeSupervisedItem, type SupervisedItem, type SupervisedItemInput, type SupervisionConfig } from '../../plans/engine/tasks.ts';
import { SCHEDULE_KINDS, named } from './agreement.ts';
import type { ScheduleStatus } from './schedule.ts';

/** The project whose items are supervised. */
export interface SupervisedProject {
  code: string;
  title: string;
  /** The lead organisation's name: the unit that must act. */
  lead_org: string;
}

const periodZh = (p: string) => (p === 'final' ? '' : /^\d{4}$/.test(p) ? `${p} 年度` : `${p} `);
const periodEn = (p: string) => (p === 'final' ? '' : p);

/** One supervised item per report overdue in a project's schedule status. */
export function reportItems(project: SupervisedProject, status: ScheduleStatus): SupervisedItemInput[] {
  return status.overdue.map((r) => {
    const kind = named(SCHEDULE_KINDS, r.kind);
    const what = `${periodZh(r.period)}${kind.zh}`;
    const whatEn = `${periodEn(r.period)} ${kind.en}`.trim();
    return {
      id: `project:${project.code}:report:${r.kind}:${r.period}`,
      title: `项目 ${project.code}“${project.title}”的${what}`,
      responsible: [project.lead_org],
      triggers: [
        {
          kind: 'report_overdue',
          since: r.effective_deadline,
          days: r.days_overdue,
          detail_zh: `${what}已超过报送期限 ${r.effective_deadline} ${r.days_overdue} 天（应于 ${r.due} 前报送）`,
          detail_en: `the ${whatEn} is ${r.days_overdue} days past its deadline ${r.effective_deadline} (due ${r.due})`,
        },
      ],
    };
  });
}

/** One supervised item per milestone of the agreement not done after its due date, as of a date. */
export function milestoneItems(project: SupervisedProject, milestones: ReadonlyArray<{ title: string; due: string; done_on?: string | null }>, asOf: string): SupervisedItemInput[] {
  const today = dayNumber(asOf);
  return milestones
    .filter((m) => !(m.done_on && m.done_on <= asOf) && today > dayNumber(m.due))
    .map((m) => {
      const days = today - dayNumber(m.due);
      return {
        id: `project:${project.code}:milestone:${m.title}`,
        title: `项目 ${project.code}“${project.title}”的节点“${m.title}”`,
        responsible: [project.lead_org],
        triggers: [{ kind: 'milestone_overdue', since: m.due, days, detail_zh: `节点“${m.title}”已超过期限 ${m.due} ${days} 天`, detail_en: `milestone "${m.title}" is ${days} days past ${m.due}` }],
      };
    });
}

/**
 * A project's supervised items as of a date, judged by the supervision settings of the plans'
 * mechanism (flag and escalation delays): overdue reports first, then overdue milestones.
 */
export function projectSupervision(
  project: SupervisedProject,
  status: ScheduleStatus,
  milestones: ReadonlyArray<{ title: string; due: string; done_on?: string | null }>,
  config: Partial<SupervisionConfig> = {},
): SupervisedItem[] {
  return [...reportItems(project, status), ...milestoneItems(project, milestones, status.as_of)].map((i) => judgeSupervisedItem(i, config));
}

/** The first day an overdue report or milestone reaches escalation (for "escalates on" in lists). */
export const escalatesOn = (item: SupervisedItem, config: Pick<SupervisionConfig, 'escalate_after_days'>): string =>
  addDays(item.triggers.reduce((a, t) => (t.since < a ? t.since : a), item.triggers[0].since), Math.ceil(config.escalate_after_days));
