/**
 * Who hears of what happens in a plan, and what they read: the users acting for a unit
 * (plan_unit_members) and the plan owner's users; the notifications of progress reports
 * (submitted → owner, reviewed → the reporting unit) and of supervision cases. E-mail is
 * queued only where a mail server is configured, and sent once the write has committed.
 */
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { mailSenderFor, type MailSender } from '../notifications/notifications.mail.ts';
import { deliverPendingEmails, notify, type DeliveryResult, type NewNotification } from '../notifications/notifications.service.ts';
import { activeUserByName, planCreatorUserId, userIdsOfUnits } from './plans.monitoring.repo.ts';
import { planById, reportById } from './plans.repo.ts';
import { unitKey } from './plans.values.ts';

/** Users acting for any of the units in the plan. */
export async function unitUsers(db: Sql, planId: number, units: readonly string[]): Promise<number[]> {
  return userIdsOfUnits(db, planId, [...new Set(units.map(unitKey))]);
}

/** The plan owner's users: those acting for the owner unit (牵头部门), and the user who created the plan. */
export async function ownerUsers(db: Sql, plan: { id: number; owner: string | null }): Promise<number[]> {
  const ids = new Set(plan.owner ? await unitUsers(db, plan.id, [plan.owner]) : []);
  const creator = await planCreatorUserId(db, plan.id);
  if (creator !== null) ids.add(creator);
  return [...ids].sort((a, b) => a - b);
}

/** Link of a plan page in the web application. */
export const planLink = (planId: number, page: 'supervision' | 'reports' | 'status') => `/plans/${planId}/${page}`;

/** Queues notifications inside `tx`; e-mail only when the installation has a mail server. */
export async function notifyPlanUsers(ctx: ServiceContext, tx: Sql, userIds: readonly number[], n: NewNotification): Promise<number> {
  return notify(tx, userIds, n, { email: ctx.config.smtpUrl !== null });
}

/**
 * Sends queued e-mails when a mail server is configured (null otherwise). Never throws: a
 * refused message is recorded on its notification.
 */
export async function sendQueuedEmails(ctx: ServiceContext, sender: MailSender | null = mailSenderFor(ctx.config)): Promise<DeliveryResult | null> {
  if (!sender) return null;
  try {
    return await deliverPendingEmails(ctx.db, sender);
  } catch (e) {
    return { sent: 0, failed: 0, errors: [{ id: 0, error: e instanceof Error ? e.message : String(e) }] };
  }
}

/** A responsible unit submitted a progress report: the plan owner's users are asked to review it. */
export async function notifyReportSubmitted(ctx: ServiceContext, planId: number, reportId: number): Promise<number> {
  const plan = await planById(ctx.db, planId);
  const r = await reportById(ctx.db, planId, reportId);
  if (!plan || !r) return 0;
  const users = await ownerUsers(ctx.db, plan);
  const n = await notifyPlanUsers(ctx, ctx.db, users, {
    kind: 'plan.report_submitted',
    title: `待审核：任务 ${r.task_number} 进展报告`,
    title_en: `To review: progress report on task ${r.task_number}`,
    body: `${r.unit}报送了计划“${plan.name}”任务 ${r.task_number} 的进展（${r.reported_on}，${r.percent ?? '-'}%），请审核。`,
    body_en: `${r.unit} reported progress on task ${r.task_number} of plan "${plan.name}" (${r.reported_on}, ${r.percent ?? '-'}%); please review it.`,
    link: planLink(planId, 'reports'),
    entity: 'plan_report',
    entity_id: String(r.id),
    dedupe_key: `plan_report:${r.id}:submitted`,
  });
  await sendQueuedEmails(ctx);
  return n;
}

/** The owner accepted or returned a report: the reporting unit's users and the submitter hear of it. */
export async function notifyReportReviewed(ctx: ServiceContext, planId: number, reportId: number): Promise<number> {
  const plan = await planById(ctx.db, planId);
  const r = await reportById(ctx.db, planId, reportId);
  if (!plan || !r || r.review_status === 'submitted') return 0;
  const users = new Set(await unitUsers(ctx.db, planId, [r.unit]));
  const submitter = r.submitted_by ? await activeUserByName(ctx.db, r.submitted_by) : null;
  if (submitter) users.add(submitter.id);
  const accepted = r.review_status === 'accepted';
  const comment = r.reviewer_comment ? `审核意见：${r.reviewer_comment}` : '';
  const commentEn = r.reviewer_comment ? ` Comment: ${r.reviewer_comment}` : '';
  const n = await notifyPlanUsers(ctx, ctx.db, [...users], {
    kind: 'plan.report_reviewed',
    title: `进展报告${accepted ? '已通过' : '被退回'}：任务 ${r.task_number}`,
    title_en: `Progress report ${accepted ? 'accepted' : 'returned'}: task ${r.task_number}`,
    body: `计划“${plan.name}”任务 ${r.task_number} 的进展报告（${r.reported_on}）${accepted ? '已通过审核' : '被退回，请修改后重新报送'}。${comment}`,
    body_en: `The progress report on task ${r.task_number} of plan "${plan.name}" (${r.reported_on}) was ${accepted ? 'accepted' : 'returned; please revise and submit it again'}.${commentEn}`,
    link: planLink(planId, 'reports'),
    entity: 'plan_report',
    entity_id: String(r.id),
    dedupe_key: `plan_report:${r.id}:${r.review_status}`,
  });
  await sendQueuedEmails(ctx);
  return n;
}
