/**
 * The supervision run (督办): judges every task and target of a plan as of a date, opens a
 * case for each item that needs supervision, escalates it once its oldest issue is older than
 * the plan's `escalate_after_days`, resolves it when the item is back on track, and notifies
 * the units' and the owner's users of each of these once. Idempotent: a second run as of the
 * same date changes nothing and notifies nobody; runs only move forward in time.
 *
 * Rules (the engine's, see engine/tasks.ts, plus these for targets):
 *   - A task needs supervision at its escalation level (1 flagged, 2 escalated) from the
 *     engine; its issue dates from its oldest trigger (overdue since the due date, a milestone
 *     since its deadline, blocked since the report, off track since the schedule left it).
 *   - A target needs supervision when it is in deterioration or limited progress, or its
 *     deadline passed without it being achieved. Its issue dates from the first observation
 *     of the trailing run of observations at which it was already off track (judged as of
 *     each observation's date), or from the day after its deadline; a registry-counted target
 *     has no stored history, so from the first run that found it off track. Level as for
 *     tasks: flagged once the issue is `flag_after_days` old, escalated at `escalate_after_days`.
 *   - Recipients: flagged tasks → users of the responsible units (the owner's when there are
 *     none); escalated and resolved → units and owner; targets → the owner.
 */
import { systemActor, type Actor } from '../../actor.ts';
import { loadConfig, type Config } from '../../config.ts';
import { AppError, isAppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Db, Sql } from '../../store/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { MailSender } from '../notifications/notifications.mail.ts';
import {
  addDays,
  computeTargetStatus,
  dayNumber,
  DEFAULT_SUPERVISION,
  resolveSupervisionConfig,
  STATUS_LABELS,
  type Observation,
  type SupervisionConfig,
  type TargetSpec,
} from './engine/index.ts';
import { allPlanIds, casesOf, insertCase, insertRun, lastRunAsOf, lockPlan, resolveCase, updateCase, type CaseRow, type NewCase } from './plans.monitoring.repo.ts';
import type { CaseDto, CasesDto, RunCase, SuperviseResult } from './plans.monitoring.schema.ts';
import { planToChange, storedConfig } from './plans.monitoring.service.ts';
import { notifyPlanUsers, ownerUsers, planLink, sendQueuedEmails, unitUsers } from './plans.notify.ts';
import { tasksOf, valuesOfPlan, type PlanRow } from './plans.repo.ts';
import { isoDate, type BoardTarget, type PlanConfig } from './plans.schema.ts';
import { planBoard, resolvePlan } from './plans.service.ts';
import { todayIso } from './plans.values.ts';

/** What a run found an item needing. */
interface Need {
  kind: 'task' | 'target';
  itemId: number;
  ref: string;
  title: string;
  level: 1 | 2;
  since: string;
  triggers: string[];
  units: string[];
  detail: string;
  detail_en: string;
}

const offTrack = (t: { status: string; deadline_passed: boolean }) =>
  t.status === 'deterioration' || t.status === 'limited' || (t.deadline_passed && t.status !== 'achieved');

/** Level of an issue `since` as of a date: 0 younger than flag_after_days, 2 at escalate_after_days, else 1. */
function levelOf(since: string, asOf: string, cfg: SupervisionConfig): 0 | 1 | 2 {
  const age = dayNumber(asOf) - dayNumber(since);
  if (age < cfg.flag_after_days) return 0;
  return age >= cfg.escalate_after_days ? 2 : 1;
}

function specOf(t: BoardTarget): TargetSpec {
  return {
    indicator: t.indicator,
    unit: t.unit || undefined,
    direction: t.direction,
    baseline: t.baseline !== null && t.baseline_year !== null ? { at: t.baseline_year, value: t.baseline } : null,
    target: t.target !== null && t.target_year !== null ? { at: t.target_year, value: t.target } : null,
  };
}

/** Start of a reported target's trailing off-track run; see the module comment. */
function targetSince(t: BoardTarget, obs: Array<Observation & { at: string }>, asOf: string, config: PlanConfig): string {
  const spec = specOf(t);
  const dates = [...new Set(obs.filter((o) => o.at <= asOf).map((o) => o.at))].sort().reverse();
  let since: string | null = null;
  for (const d of dates) {
    const s = computeTargetStatus(spec, obs, { config: config.progress, as_of: d });
    if (!offTrack(s)) break;
    since = d;
  }
  if (since) return since;
  // Off track only since its deadline passed (or without any observation at all).
  const afterDeadline = t.target_year !== null ? `${t.target_year + 1}-01-01` : asOf;
  return afterDeadline <= asOf ? afterDeadline : asOf;
}

function caseDto(c: CaseRow): CaseDto {
  return {
    id: Number(c.id),
    kind: c.item_kind,
    ref: c.item_kind === 'task' ? (c.task_number ?? '') : (c.indicator ?? ''),
    title: c.item_kind === 'task' ? (c.task_title ?? '') : (c.indicator ?? ''),
    units: c.units,
    level: c.level,
    since: c.since,
    flagged_on: c.flagged_on,
    escalated_on: c.escalated_on,
    resolved_on: c.resolved_on,
    triggers: c.triggers,
    detail: c.detail,
    detail_en: c.detail_en,
  };
}

/** What needs supervision in a plan as of a date, with the open cases' dates for registry targets. */
async function needsOf(ctx: ServiceContext, plan: PlanRow, asOf: string, config: PlanConfig, cfg: SupervisionConfig, open: CaseRow[]): Promise<Need[]> {
  const board = await planBoard(ctx, plan.id, asOf);
  const needs: Need[] = [];
  for (const t of board.tasks) {
    if (t.escalation < 1 || !t.triggers.length) continue;
    const oldest = t.triggers.reduce((a, b) => (b.days > a.days ? b : a));
    needs.push({
      kind: 'task',
      itemId: 0,
      ref: t.id,
      title: t.title,
      level: t.escalation === 2 ? 2 : 1,
      since: oldest.since,
      triggers: [...new Set(t.triggers.map((x) => x.kind))],
      units: t.responsible,
      detail: t.triggers.map((x) => x.detail_zh).join('；'),
      detail_en: t.triggers.map((x) => x.detail_en).join('; '),
    });
  }
  const values = new Map<number, Array<Observation & { at: string }>>();
  for (const v of await valuesOfPlan(ctx.db, plan.id)) values.set(v.target_id, [...(values.get(v.target_id) ?? []), { at: v.date, value: v.value }]);
  const openTarget = new Map(open.filter((c) => c.item_kind === 'target').map((c) => [Number(c.target_id), c]));
  for (const t of board.targets) {
    if (!offTrack(t)) continue;
    const had = openTarget.get(t.id);
    const since = had ? had.since : t.value_source === 'registry' ? asOf : targetSince(t, values.get(t.id) ?? [], asOf, config);
    const level = levelOf(since, asOf, cfg);
    if (level === 0) continue;
    const trigger = t.deadline_passed && t.status !== 'deterioration' && t.status !== 'limited' ? 'deadline_missed' : t.status;
    needs.push({
      kind: 'target',
      itemId: t.id,
      ref: t.indicator,
      title: t.indicator,
      level,
      since,
      triggers: [trigger],
      units: [],
      detail: `${STATUS_LABELS[t.status].zh}：${t.explanation_zh}`,
      detail_en: `${STATUS_LABELS[t.status].en}: ${t.explanation_en}`,
    });
  }
  return needs;
}

type Change = RunCase['change'];

function texts(plan: PlanRow, n: Pick<Need, 'kind' | 'ref' | 'title' | 'units' | 'detail' | 'detail_en' | 'since'>, change: 'flagged' | 'escalated' | 'resolved', asOf: string, cfg: SupervisionConfig) {
  const what = n.kind === 'task' ? `任务 ${n.ref}“${n.title}”` : `目标“${n.ref}”`;
  const whatEn = n.kind === 'task' ? `task ${n.ref} "${n.title}"` : `target "${n.ref}"`;
  const units = n.units.length ? `责任单位：${n.units.join('；')}。` : '';
  const unitsEn = n.units.length ? ` Responsible: ${n.units.join(', ')}.` : '';
  const age = dayNumber(asOf) - dayNumber(n.since);
  switch (change) {
    case 'flagged':
      return {
        title: `督办：${what}`,
        title_en: `Supervision: ${whatEn}`,
        body: `计划“${plan.name}”的${what}已列入督办（截至 ${asOf}）：${n.detail}。${units}`,
        body_en: `${whatEn[0].toUpperCase()}${whatEn.slice(1)} of plan "${plan.name}" is flagged for supervision (as of ${asOf}): ${n.detail_en}.${unitsEn}`,
      };
    case 'escalated':
      return {
        title: `升级督办：${what}`,
        title_en: `Escalated: ${whatEn}`,
        body: `计划“${plan.name}”的${what}已升级督办（截至 ${asOf}，问题自 ${n.since} 起已持续 ${age} 天，满 ${cfg.escalate_after_days} 天升级）：${n.detail}。${units}`,
        body_en: `${whatEn[0].toUpperCase()}${whatEn.slice(1)} of plan "${plan.name}" is escalated (as of ${asOf}, the issue is ${age} days old since ${n.since}; escalation after ${cfg.escalate_after_days}): ${n.detail_en}.${unitsEn}`,
      };
    case 'resolved':
      return {
        title: `督办解除：${what}`,
        title_en: `Supervision closed: ${whatEn}`,
        body: `计划“${plan.name}”的${what}截至 ${asOf} 已无需督办。`,
        body_en: `${whatEn[0].toUpperCase()}${whatEn.slice(1)} of plan "${plan.name}" no longer needs supervision as of ${asOf}.`,
      };
  }
}

/** Recipients of a case's notification; see the module comment. */
async function recipients(tx: Sql, plan: PlanRow, n: Pick<Need, 'kind' | 'units'>, change: 'flagged' | 'escalated' | 'resolved'): Promise<number[]> {
  const owner = await ownerUsers(tx, plan);
  if (n.kind === 'target') return owner;
  const units = await unitUsers(tx, plan.id, n.units);
  if (change === 'flagged') return units.length ? units : owner;
  return [...new Set([...units, ...owner])];
}

export interface SuperviseOptions {
  /** Sender of queued e-mails; by default the configured SMTP server's, none without one. */
  mailer?: MailSender | null;
  /** Today's date (tests): runs as of a later date are refused. */
  today?: string;
}

/**
 * Runs supervision of one plan as of a date; see the module comment. Refused: an as-of date
 * after today (PLAN_SUPERVISION_AS_OF_FUTURE), or before the plan's last run
 * (PLAN_SUPERVISION_STALE, 409). Needs the right to change the plan.
 */
export async function supervisePlan(ctx: ServiceContext, ref: string | number, asOf: string, opts: SuperviseOptions = {}): Promise<SuperviseResult> {
  const plan = await planToChange(ctx, ref);
  const today = opts.today ?? todayIso();
  if (!isoDate.safeParse(asOf).success)
    throw new AppError('PLAN_TIME_INVALID', 400, `评估日期应为 YYYY-MM-DD：${asOf}`, `The as-of date must be YYYY-MM-DD: ${asOf}`, [{ field: 'as_of', value: asOf }]);
  if (asOf > today)
    throw new AppError('PLAN_SUPERVISION_AS_OF_FUTURE', 400, `督办日期 ${asOf} 晚于今天（${today}）`, `Supervision cannot run as of ${asOf}, after today (${today})`, [{ field: 'as_of', value: asOf }]);
  const config = storedConfig(plan);
  const cfg = resolveSupervisionConfig({ ...DEFAULT_SUPERVISION, ...(config.supervision ?? {}) });
  const stale = (last: string) =>
    new AppError(
      'PLAN_SUPERVISION_STALE',
      409,
      `计划“${plan.name}”已督办至 ${last}，不能再按更早的日期 ${asOf} 督办`,
      `Plan "${plan.name}" was supervised as of ${last} already; a run as of the earlier ${asOf} is refused`,
      [{ field: 'as_of', value: asOf, last_run: last }],
    );
  const lastBefore = await lastRunAsOf(ctx.db, plan.id);
  if (lastBefore && lastBefore > asOf) throw stale(lastBefore);

  const needs = await needsOf(ctx, plan, asOf, config, cfg, await casesOf(ctx.db, plan.id, 'open'));
  const taskIds = new Map((await tasksOf(ctx.db, plan.id)).map((t) => [t.number, Number(t.id)]));
  for (const n of needs) if (n.kind === 'task') n.itemId = taskIds.get(n.ref)!;

  const touched: Array<{ id: number; change: Change }> = [];
  const counts = { opened: 0, escalated: 0, resolved: 0, notifications: 0 };
  await ctx.db.transaction(async (tx) => {
    await lockPlan(tx, plan.id);
    // A run that queued behind this one may have moved the plan on meanwhile.
    const last = await lastRunAsOf(tx, plan.id);
    if (last && last > asOf) throw stale(last);
    const open = await casesOf(tx, plan.id, 'open');
    const key = (kind: string, id: number) => `${kind}:${id}`;
    const openByItem = new Map(open.map((c) => [key(c.item_kind, Number(c.item_kind === 'task' ? c.task_id : c.target_id)), c]));
    const send = async (caseId: number, n: Pick<Need, 'kind' | 'ref' | 'title' | 'units' | 'detail' | 'detail_en' | 'since'>, change: 'flagged' | 'escalated' | 'resolved') => {
      counts.notifications += await notifyPlanUsers(ctx, tx, await recipients(tx, plan, n, change), {
        kind: `supervision.${change}`,
        ...texts(plan, n, change, asOf, cfg),
        link: planLink(plan.id, 'supervision'),
        entity: 'plan_supervision_case',
        entity_id: String(caseId),
        dedupe_key: `supervision:${caseId}:${change}`,
      });
    };

    for (const n of needs) {
      const had = openByItem.get(key(n.kind, n.itemId));
      openByItem.delete(key(n.kind, n.itemId));
      const escalatedOn = n.level === 2 ? (had?.escalated_on ?? addDays(n.since, Math.ceil(cfg.escalate_after_days))) : (had?.escalated_on ?? null);
      const fields = { level: n.level, since: n.since, escalated_on: escalatedOn, last_seen_on: asOf, triggers: n.triggers, units: n.units, detail: n.detail, detail_en: n.detail_en };
      if (!had) {
        const c: NewCase = {
          ...fields,
          item_kind: n.kind,
          task_id: n.kind === 'task' ? n.itemId : null,
          target_id: n.kind === 'target' ? n.itemId : null,
          flagged_on: addDays(n.since, Math.ceil(cfg.flag_after_days)),
        };
        const id = await insertCase(tx, plan.id, c);
        counts.opened++;
        if (n.level === 2) counts.escalated++;
        // A case found escalated at once is announced once, as escalated.
        await send(id, n, n.level === 2 ? 'escalated' : 'flagged');
        touched.push({ id, change: 'opened' });
        continue;
      }
      await updateCase(tx, Number(had.id), fields);
      let change: Change = 'unchanged';
      if (n.level === 2 && had.level < 2) {
        change = 'escalated';
        counts.escalated++;
        await send(Number(had.id), n, 'escalated');
      } else if (n.level < had.level) change = 'deescalated';
      touched.push({ id: Number(had.id), change });
    }
    for (const c of openByItem.values()) {
      await resolveCase(tx, Number(c.id), asOf);
      counts.resolved++;
      const d = caseDto(c);
      await send(Number(c.id), { kind: c.item_kind, ref: d.ref, title: d.title, units: c.units, detail: c.detail ?? '', detail_en: c.detail_en ?? '', since: c.since }, 'resolved');
      touched.push({ id: Number(c.id), change: 'resolved' });
    }
    await insertRun(tx, plan.id, { as_of: asOf, actor: ctx.actor.name, ...counts });
    await recordAudit(tx, { actor: ctx.actor, action: 'plan.supervise', entity: 'plan', entityId: plan.id, before: null, after: { as_of: asOf, ...counts }, requestId: ctx.requestId });
  });

  const emails = await sendQueuedEmails(ctx, opts.mailer);
  const all = new Map((await casesOf(ctx.db, plan.id, 'all')).map((c) => [Number(c.id), c]));
  return {
    plan: plan.name,
    plan_id: plan.id,
    as_of: asOf,
    opened: counts.opened,
    escalated: counts.escalated,
    resolved: counts.resolved,
    open: [...all.values()].filter((c) => c.resolved_on === null).length,
    notifications: counts.notifications,
    emails: emails && { sent: emails.sent, failed: emails.failed },
    cases: touched.map((t) => ({ ...caseDto(all.get(t.id)!), change: t.change })),
  };
}

export interface SupervisionRun {
  as_of: string;
  plans: SuperviseResult[];
  /** Plans not run, with the refusal (e.g. already supervised as of a later date). */
  skipped: Array<{ plan_id: number; code: string; message: string; message_en: string }>;
}

/**
 * The supervision job: runs supervision as of `asOf` for one plan (opts.plan) or every plan,
 * as the operator unless an actor is given. A plan that cannot be run (already run as of a
 * later date, invalid settings) is skipped with its refusal; the others still run.
 */
export async function runSupervision(
  db: Db,
  asOf: string,
  opts: SuperviseOptions & { plan?: string | number; actor?: Actor; config?: Config } = {},
): Promise<SupervisionRun> {
  const ctx: ServiceContext = { db, actor: opts.actor ?? systemActor('supervision'), config: opts.config ?? loadConfig() };
  const ids = opts.plan !== undefined ? [(await resolvePlan(ctx, opts.plan)).id] : await allPlanIds(db);
  const out: SupervisionRun = { as_of: asOf, plans: [], skipped: [] };
  for (const id of ids) {
    try {
      out.plans.push(await supervisePlan(ctx, id, asOf, opts));
    } catch (e) {
      if (!isAppError(e) || opts.plan !== undefined) throw e;
      out.skipped.push({ plan_id: id, code: e.code, message: e.messageZh, message_en: e.messageEn });
    }
  }
  return out;
}

/** A plan's supervision cases (open by default), with the open ones counted per responsible unit. */
export async function listCases(ctx: ServiceContext, ref: string | number, state: 'open' | 'resolved' | 'all' = 'open'): Promise<CasesDto> {
  const plan = await resolvePlan(ctx, ref);
  const rows = await casesOf(ctx.db, plan.id, state);
  const units = new Map<string | null, { unit: string | null; open: number; escalated: number }>();
  for (const c of rows) {
    if (c.resolved_on !== null) continue;
    for (const u of c.units.length ? [...new Set(c.units)] : [null]) {
      const e = units.get(u) ?? { unit: u, open: 0, escalated: 0 };
      e.open++;
      if (c.level === 2) e.escalated++;
      units.set(u, e);
    }
  }
  return {
    plan_id: plan.id,
    last_run: await lastRunAsOf(ctx.db, plan.id),
    items: rows.map(caseDto),
    units: [...units.values()].sort((a, b) => b.escalated - a.escalated || b.open - a.open || (a.unit ?? '\uffff').localeCompare(b.unit ?? '\uffff', 'zh-CN')),
  };
}
