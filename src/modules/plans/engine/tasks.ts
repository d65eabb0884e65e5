/**
 * Task status and supervision (督办) rules, and the roll-up of tasks and targets into counts
 * for the status board: plan → action → task, and per responsible unit.
 *
 * Rules, as of a date (all dates civil 'YYYY-MM-DD'):
 *   - The task's status and percent come from its latest progress report dated on or before
 *     the as-of date (a later report is ignored, note REPORT_AFTER_AS_OF); no report means
 *     not_started at 0 %. The caller passes the latest *accepted* report: review is not the
 *     engine's business. 'completed' counts as 100 % and 'not_started' as 0 % whatever percent
 *     was typed; 'in_progress' and 'blocked' use the reported percent (0 when missing).
 *   - Overdue: not completed and the as-of date is after the due date (the due date itself is
 *     still on time); days_overdue = as_of − due. A task completed after its due date is not
 *     overdue but completed_late.
 *   - Off track: not completed and behind the straight-line schedule from start to due by more
 *     than `off_track_margin` percentage points (strictly more). Expected percent is
 *     (as_of − start)/(due − start)·100, clamped to 0…100. Without both dates (after the plan
 *     defaults) or with due ≤ start, no schedule exists and the task is never off track
 *     (note NO_SCHEDULE).
 *   - Milestones not done by their due date, as of the as-of date, are overdue milestones.
 *   - Blocked: the latest report says 'blocked'.
 *   - Each of these is a supervision trigger with a start date: overdue since the due date;
 *     milestone since its due date; blocked since the report date; off track since the day
 *     the straight-line schedule first ran more than the margin ahead of the reported percent
 *     (an estimate: the engine sees one report, not the history).
 *   - Escalation level from the oldest trigger's age in days: 0 none (no trigger, or all
 *     younger than `flag_after_days`), 1 flagged, 2 escalated once a trigger is at least
 *     `escalate_after_days` old. Defaults: margin 15 points, flag after 0 days, escalate
 *     after 30 days.
 */
import { badRequest } from '../../../errors.ts';
import { formatNumber } from './format.ts';
import { addDays, dayNumber, parseIsoDate } from './quarters.ts';
import { STATUS_RANK, type ProgressStatus } from './status.ts';

/** Status in a progress report. */
export type TaskStatus = 'not_started' | 'in_progress' | 'completed' | 'blocked';

export interface Milestone {
  title: string;
  due: string;
  /** Date the milestone was done; null or absent when not yet done. */
  done_on?: string | null;
}

/** The latest accepted progress report of a task. */
export interface TaskReport {
  status: TaskStatus;
  /** 0–100; ignored for completed (100) and not_started (0). */
  percent?: number | null;
  reported_on: string;
}

export interface TaskInput {
  id: string;
  title?: string;
  /** The action (行动) the task belongs to. */
  action?: string | null;
  /** Responsible units (责任单位). */
  responsible?: string[];
  start?: string | null;
  due?: string | null;
  milestones?: Milestone[];
  latest_report?: TaskReport | null;
}

/** Per-plan supervision settings. */
export interface SupervisionConfig {
  /** Percentage points behind the straight-line schedule tolerated before a task is off track. */
  off_track_margin: number;
  /** Days a trigger must be old before the task is flagged (level 1). */
  flag_after_days: number;
  /** Days a trigger must be old before the task is escalated (level 2). */
  escalate_after_days: number;
  /** Start used for tasks without one (usually the plan's start). */
  default_start: string | null;
  /** Due date used for tasks without one (usually the plan's end). */
  default_due: string | null;
}

export type EscalationLevel = 0 | 1 | 2;

/**
 * Why an item needs supervision. Tasks raise the first four; 'report_overdue' is a project's
 * report (progress, financial, final, outcome) past its deadline — the post-award lifecycle's
 * items are supervised by the same rules (src/modules/agreements/engine/supervision.ts).
 */
export type TriggerKind = 'overdue' | 'milestone_overdue' | 'off_track' | 'blocked' | 'report_overdue';

/** A reason for supervision and how long it has held. */
export interface SupervisionTrigger {
  kind: TriggerKind;
  since: string;
  days: number;
  detail_zh: string;
  detail_en: string;
}

export type TaskNote = 'NO_SCHEDULE' | 'REPORT_AFTER_AS_OF';

/** A task judged as of a date. */
export interface TaskEvaluation {
  id: string;
  title: string;
  action: string | null;
  responsible: string[];
  as_of: string;
  status: TaskStatus;
  percent: number;
  start: string | null;
  due: string | null;
  overdue: boolean;
  days_overdue: number;
  completed_late: boolean;
  expected_percent: number | null;
  /** expected_percent − percent, when a schedule exists. */
  behind_by: number | null;
  off_track: boolean;
  overdue_milestones: Array<{ title: string; due: string; days_overdue: number }>;
  triggers: SupervisionTrigger[];
  escalation: EscalationLevel;
  /** Age in days of the oldest trigger (0 without triggers). */
  escalation_days: number;
  notes: TaskNote[];
  explanation_zh: string;
  explanation_en: string;
}

export const DEFAULT_SUPERVISION: Readonly<SupervisionConfig> = Object.freeze({
  off_track_margin: 15,
  flag_after_days: 0,
  escalate_after_days: 30,
  default_start: null,
  default_due: null,
});

export const TASK_STATUS_LABELS: Readonly<Record<TaskStatus, { zh: string; en: string }>> = Object.freeze({
  not_started: { zh: '未启动', en: 'not started' },
  in_progress: { zh: '推进中', en: 'in progress' },
  completed: { zh: '已完成', en: 'completed' },
  blocked: { zh: '受阻', en: 'blocked' },
});

export const ESCALATION_LABELS: Readonly<Record<EscalationLevel, { zh: string; en: string }>> = Object.freeze({
  0: { zh: '无需督办', en: 'no supervision' },
  1: { zh: '已标记督办', en: 'flagged' },
  2: { zh: '升级督办', en: 'escalated' },
});

const TASK_STATUSES: readonly TaskStatus[] = ['not_started', 'in_progress', 'completed', 'blocked'];

const invalid = (code: string, zh: string, en: string, field: string) => badRequest(code, zh, en, [{ field }]);

/** A complete, validated supervision configuration from a plan's partial settings. */
export function resolveSupervisionConfig(partial: Partial<SupervisionConfig> = {}): SupervisionConfig {
  const cfg = { ...DEFAULT_SUPERVISION, ...partial };
  for (const k of ['off_track_margin', 'flag_after_days', 'escalate_after_days'] as const) {
    if (!Number.isFinite(cfg[k]) || cfg[k] < 0)
      throw invalid('PLAN_SUPERVISION_CONFIG_INVALID', `督办设置 ${k} 须为非负数`, `Supervision setting ${k} must be a non-negative number`, k);
  }
  if (cfg.escalate_after_days < cfg.flag_after_days)
    throw invalid(
      'PLAN_SUPERVISION_CONFIG_INVALID',
      '升级督办天数不能少于标记督办天数',
      'escalate_after_days must not be less than flag_after_days',
      'escalate_after_days',
    );
  if (cfg.default_start) parseIsoDate(cfg.default_start);
  if (cfg.default_due) parseIsoDate(cfg.default_due);
  return cfg;
}

const pct = (x: number) => formatNumber(x, 1);

/**
 * The escalation level of an item from its triggers (the one rule for every supervised item):
 * 0 without triggers or while the oldest is younger than `flag_after_days`, 2 once it is at least
 * `escalate_after_days` old, 1 between. Also returns the oldest trigger's age in days.
 */
export function escalationOf(triggers: readonly Pick<SupervisionTrigger, 'days'>[], cfg: Pick<SupervisionConfig, 'flag_after_days' | 'escalate_after_days'>): { escalation: EscalationLevel; days: number } {
  const days = triggers.reduce((m, t) => Math.max(m, t.days), 0);
  const escalation: EscalationLevel = triggers.length === 0 || days < cfg.flag_after_days ? 0 : days >= cfg.escalate_after_days ? 2 : 1;
  return { escalation, days };
}

/**
 * Anything supervision can follow besides a plan's tasks — a project's overdue report or
 * milestone — with its triggers already found by its own engine.
 */
export interface SupervisedItemInput {
  id: string;
  title: string;
  /** Who must act (责任单位; for a project, its lead organisation). */
  responsible: string[];
  triggers: SupervisionTrigger[];
}

/** A supervised item judged: its escalation by the same rule as tasks. */
export interface SupervisedItem extends SupervisedItemInput {
  escalation: EscalationLevel;
  escalation_days: number;
}

/** Judges a supervised item by the plan's supervision settings (the same levels as tasks). */
export function judgeSupervisedItem(item: SupervisedItemInput, config: Partial<SupervisionConfig> = {}): SupervisedItem {
  const { escalation, days } = escalationOf(item.triggers, resolveSupervisionConfig(config));
  return { ...item, escalation, escalation_days: days };
}

/** Judges one task as of a date; see the module comment for every rule. */
export function evaluateTask(task: TaskInput, asOf: string, config: Partial<SupervisionConfig> = {}): TaskEvaluation {
  const cfg = resolveSupervisionConfig(config);
  const today = dayNumber(asOf);
  const notes: TaskNote[] = [];
  const start = task.start ?? cfg.default_start;
  const due = task.due ?? cfg.default_due;
  if (start) parseIsoDate(start);
  if (due) parseIsoDate(due);

  let report = task.latest_report ?? null;
  if (report) {
    if (!TASK_STATUSES.includes(report.status))
      throw invalid('PLAN_TASK_REPORT_INVALID', `任务 ${task.id} 的进展状态无效：${String(report.status)}`, `Task ${task.id} has an invalid report status: ${String(report.status)}`, 'status');
    const p = report.percent;
    if (p !== null && p !== undefined && !(Number.isFinite(p) && p >= 0 && p <= 100))
      throw invalid('PLAN_TASK_PERCENT_INVALID', `任务 ${task.id} 的完成百分比须在 0–100 之间：${String(p)}`, `Task ${task.id} percent must be within 0–100: ${String(p)}`, 'percent');
    if (dayNumber(report.reported_on) > today) {
      notes.push('REPORT_AFTER_AS_OF');
      report = null;
    }
  }
  const status: TaskStatus = report?.status ?? 'not_started';
  const percent = status === 'completed' ? 100 : status === 'not_started' ? 0 : (report?.percent ?? 0);
  const completed = status === 'completed';

  const triggers: SupervisionTrigger[] = [];
  const daysOverdue = !completed && due ? Math.max(0, today - dayNumber(due)) : 0;
  const overdue = daysOverdue > 0;
  if (overdue && due)
    triggers.push({
      kind: 'overdue',
      since: due,
      days: daysOverdue,
      detail_zh: `已超过完成期限 ${due} ${daysOverdue} 天`,
      detail_en: `${daysOverdue} days past the due date ${due}`,
    });
  const completedLate = completed && !!due && !!report && dayNumber(report.reported_on) > dayNumber(due);

  let expected: number | null = null;
  let behind: number | null = null;
  let offTrack = false;
  if (start && due && dayNumber(due) > dayNumber(start)) {
    const s = dayNumber(start);
    const span = dayNumber(due) - s;
    expected = Math.min(100, Math.max(0, ((today - s) / span) * 100));
    behind = expected - percent;
    // 1e-9: a task exactly at the margin (35 % expected from 511/1460 days) must not tip over on rounding.
    offTrack = !completed && behind > cfg.off_track_margin + 1e-9;
    if (offTrack) {
      // First day on which the schedule ran more than the margin ahead of the reported percent.
      const since = addDays(start, Math.floor(((percent + cfg.off_track_margin) * span) / 100 + 1e-9) + 1);
      triggers.push({
        kind: 'off_track',
        since,
        days: Math.max(0, today - dayNumber(since)),
        detail_zh: `按线性进度应完成 ${pct(expected)}%，实际 ${pct(percent)}%，落后 ${pct(behind)} 个百分点（容差 ${pct(cfg.off_track_margin)}）`,
        detail_en: `${pct(percent)}% done against ${pct(expected)}% on a straight-line schedule, ${pct(behind)} points behind (margin ${pct(cfg.off_track_margin)})`,
      });
    }
  } else {
    notes.push('NO_SCHEDULE');
  }

  const overdueMilestones: TaskEvaluation['overdue_milestones'] = [];
  for (const m of task.milestones ?? []) {
    const done = !!m.done_on && dayNumber(m.done_on) <= today;
    const late = today - dayNumber(m.due);
    if (!done && late > 0) {
      overdueMilestones.push({ title: m.title, due: m.due, days_overdue: late });
      triggers.push({
        kind: 'milestone_overdue',
        since: m.due,
        days: late,
        detail_zh: `节点“${m.title}”已超过期限 ${m.due} ${late} 天`,
        detail_en: `milestone "${m.title}" is ${late} days past ${m.due}`,
      });
    }
  }

  if (status === 'blocked' && report)
    triggers.push({
      kind: 'blocked',
      since: report.reported_on,
      days: Math.max(0, today - dayNumber(report.reported_on)),
      detail_zh: `自 ${report.reported_on} 报告受阻`,
      detail_en: `reported blocked on ${report.reported_on}`,
    });

  const { escalation, days: age } = escalationOf(triggers, cfg);

  const title = task.title ?? task.id;
  // When off track, the trigger already states the expected percent.
  const sched =
    expected === null
      ? ['无起止日期，不判断进度是否落后；', 'no start and due date, so no schedule to compare with; ']
      : offTrack
        ? ['', '']
        : [`按线性进度应完成 ${pct(expected)}%；`, `${pct(expected)}% expected on a straight-line schedule; `];
  const why = triggers.length ? triggers.map((t) => t.detail_zh).join('；') : '无督办事项';
  const whyEn = triggers.length ? triggers.map((t) => t.detail_en).join('; ') : 'nothing to supervise';
  return {
    id: task.id,
    title,
    action: task.action ?? null,
    responsible: task.responsible ?? [],
    as_of: asOf,
    status,
    percent,
    start,
    due,
    overdue,
    days_overdue: daysOverdue,
    completed_late: completedLate,
    expected_percent: expected,
    behind_by: behind,
    off_track: offTrack,
    overdue_milestones: overdueMilestones,
    triggers,
    escalation,
    escalation_days: age,
    notes,
    explanation_zh:
      `截至 ${asOf}，任务“${title}”${TASK_STATUS_LABELS[status].zh}，完成 ${pct(percent)}%；${sched[0]}${why}。` +
      `督办级别 ${escalation}（${ESCALATION_LABELS[escalation].zh}${escalation ? `，最早事项已持续 ${age} 天，${cfg.escalate_after_days} 天升级` : ''}）。`,
    explanation_en:
      `As of ${asOf}, task "${title}" is ${TASK_STATUS_LABELS[status].en}, ${pct(percent)}% done; ${sched[1]}${whyEn}. ` +
      `Supervision level ${escalation} (${ESCALATION_LABELS[escalation].en}${escalation ? `, oldest issue ${age} days old, escalation after ${cfg.escalate_after_days}` : ''}).`,
  };
}

/** Judges every task of a plan; throws PLAN_TASK_DUPLICATE when two tasks share an id. */
export function evaluateTasks(tasks: readonly TaskInput[], asOf: string, config: Partial<SupervisionConfig> = {}): TaskEvaluation[] {
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t.id))
      throw badRequest('PLAN_TASK_DUPLICATE', `任务编号重复：${t.id}`, `Duplicate task number: ${t.id}`, [{ field: 'id', value: t.id }]);
    seen.add(t.id);
  }
  return tasks.map((t) => evaluateTask(t, asOf, config));
}

/** Counts of tasks by status and by supervision flag. */
export interface TaskCounts {
  total: number;
  not_started: number;
  in_progress: number;
  completed: number;
  blocked: number;
  overdue: number;
  off_track: number;
  /** Escalation level ≥ 1. */
  flagged: number;
  /** Escalation level 2. */
  escalated: number;
}

/** Task counts for the plan, each action and each responsible unit. */
export interface TaskRollUp {
  plan: TaskCounts;
  by_action: Array<{ action: string; counts: TaskCounts }>;
  /** A task with several responsible units counts once for each of them. */
  by_unit: Array<{ unit: string; counts: TaskCounts }>;
  /** Tasks without any responsible unit. */
  unassigned: TaskCounts;
}

const emptyTaskCounts = (): TaskCounts => ({
  total: 0,
  not_started: 0,
  in_progress: 0,
  completed: 0,
  blocked: 0,
  overdue: 0,
  off_track: 0,
  flagged: 0,
  escalated: 0,
});

function addTask(c: TaskCounts, e: TaskEvaluation): void {
  c.total++;
  c[e.status]++;
  if (e.overdue) c.overdue++;
  if (e.off_track) c.off_track++;
  if (e.escalation >= 1) c.flagged++;
  if (e.escalation === 2) c.escalated++;
}

/** Rolls judged tasks up to plan, action and responsible-unit counts (groups in order of first appearance). */
export function rollUpTasks(evals: readonly TaskEvaluation[]): TaskRollUp {
  const plan = emptyTaskCounts();
  const unassigned = emptyTaskCounts();
  const byAction = new Map<string, TaskCounts>();
  const byUnit = new Map<string, TaskCounts>();
  const bucket = (m: Map<string, TaskCounts>, k: string) => {
    let c = m.get(k);
    if (!c) m.set(k, (c = emptyTaskCounts()));
    return c;
  };
  for (const e of evals) {
    addTask(plan, e);
    if (e.action !== null) addTask(bucket(byAction, e.action), e);
    // A unit listed twice on one task still counts the task once.
    const units = [...new Set(e.responsible)];
    if (units.length === 0) addTask(unassigned, e);
    for (const u of units) addTask(bucket(byUnit, u), e);
  }
  return {
    plan,
    by_action: [...byAction].map(([action, counts]) => ({ action, counts })),
    by_unit: [...byUnit].map(([unit, counts]) => ({ unit, counts })),
    unassigned,
  };
}

/** What the supervision list needs of an item: tasks and any other supervised item. */
export type Supervisable = Pick<TaskEvaluation, 'id' | 'responsible' | 'escalation' | 'escalation_days'>;

/** The supervision list of one responsible unit. */
export interface SupervisionEntry<T extends Supervisable = TaskEvaluation> {
  /** Null for items without a responsible unit. */
  unit: string | null;
  tasks: T[];
}

/**
 * Flagged and escalated items (tasks, or any supervised item) per responsible unit: within a unit,
 * escalated first, then by the age of the oldest issue; units with more escalated, then more
 * flagged items first.
 */
export function supervisionList<T extends Supervisable = TaskEvaluation>(evals: readonly T[]): SupervisionEntry<T>[] {
  const byUnit = new Map<string | null, T[]>();
  for (const e of evals) {
    if (e.escalation === 0) continue;
    const units = e.responsible.length ? [...new Set(e.responsible)] : [null];
    for (const u of units) {
      const list = byUnit.get(u) ?? [];
      list.push(e);
      byUnit.set(u, list);
    }
  }
  const entries = [...byUnit].map(([unit, tasks]) => ({
    unit,
    // Task numbers in their natural order (2 before 10), as the plan numbers them.
    tasks: [...tasks].sort((a, b) => b.escalation - a.escalation || b.escalation_days - a.escalation_days || a.id.localeCompare(b.id, 'zh-CN', { numeric: true })),
  }));
  const escalated = (e: SupervisionEntry<T>) => e.tasks.filter((t) => t.escalation === 2).length;
  return entries.sort(
    (a, b) =>
      escalated(b) - escalated(a) ||
      b.tasks.length - a.tasks.length ||
      (a.unit ?? '\uffff').localeCompare(b.unit ?? '\uffff', 'zh-CN'),
  );
}

/** Counts of targets per progress status. */
export type StatusCounts = Record<ProgressStatus, number> & { total: number };

const emptyStatusCounts = (): StatusCounts => ({
  total: 0,
  achieved: 0,
  on_track: 0,
  acceleration_needed: 0,
  limited: 0,
  deterioration: 0,
  no_data: 0,
});

/**
 * Target statuses counted for the plan and, when `groupOf` is given, per group (e.g. the
 * goal area 目标领域, or the district for a region → district roll-up); groups in order of
 * first appearance.
 */
export function rollUpTargets<T extends { status: ProgressStatus }>(
  items: readonly T[],
  groupOf?: (item: T) => string,
): { plan: StatusCounts; groups: Array<{ group: string; counts: StatusCounts }> } {
  const plan = emptyStatusCounts();
  const groups = new Map<string, StatusCounts>();
  for (const it of items) {
    if (!(it.status in STATUS_RANK)) throw invalid('PLAN_STATUS_INVALID', `未知的进度状态：${String(it.status)}`, `Unknown progress status: ${String(it.status)}`, 'status');
    plan.total++;
    plan[it.status]++;
    if (groupOf) {
      const k = groupOf(it);
      let c = groups.get(k);
      if (!c) groups.set(k, (c = emptyStatusCounts()));
      c.total++;
      c[it.status]++;
    }
  }
  return { plan, groups: [...groups].map(([group, counts]) => ({ group, counts })) };
}
