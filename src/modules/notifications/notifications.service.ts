/**
 * In-app notifications: other modules send them (`notify`, inside their own write
 * transaction), a logged-in user lists, counts and marks their own, and sets the e-mail
 * address they are also sent to. E-mail goes out only where a mail server is configured
 * (`deliverPendingEmails`, after the writing transaction committed).
 */
import type { Actor } from '../../actor.ts';
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { isAuthenticated } from '../auth/auth.policy.ts';
import { mailOf, type MailSender } from './notifications.mail.ts';
import {
  claimPendingEmails,
  dropOrphanPending,
  insertNotifications,
  listForUser,
  markRead,
  ownedIds,
  setEmailFailed,
  settingsOf,
  unreadCount,
  upsertSettings,
  type NewNotification,
  type NotificationRow,
} from './notifications.repo.ts';
import type { NotificationDto, NotificationList, ReadResult, SettingsDto, SettingsInput } from './notifications.schema.ts';

export type { NewNotification } from './notifications.repo.ts';

/**
 * Sends one notification to each of `userIds` (disabled users and users who had this event
 * already — same dedupe_key — are skipped). `email`: queue an e-mail for users with an
 * address (pass whether a mail server is configured). Returns how many were created.
 */
export async function notify(tx: Sql, userIds: readonly number[], n: NewNotification, opts: { email: boolean }): Promise<number> {
  return (await insertNotifications(tx, userIds, n, opts.email)).length;
}

/**
 * Notifications belong to one logged-in user: no role or region decides who reads them, so
 * the check is only that the actor is a user (the operator's CLI actor has none).
 */
function userOf(actor: Actor): number {
  if (!isAuthenticated(actor) || actor.userId === undefined)
    throw new AppError('NOTIFICATIONS_USER_REQUIRED', 403, '通知属于登录用户，请以用户身份登录', 'Notifications belong to a logged-in user; log in as one');
  return actor.userId;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function dto(r: NotificationRow): NotificationDto {
  return {
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    title_en: r.title_en,
    body: r.body,
    body_en: r.body_en,
    link: r.link,
    entity: r.entity,
    entity_id: r.entity_id,
    created_at: iso(r.created_at) as string,
    read: r.read_at !== null,
    read_at: iso(r.read_at),
    email_status: r.email_status,
  };
}

/** The actor's notifications, newest first (optionally unread only), with the unread count. */
export async function listNotifications(ctx: ServiceContext, p: { unread?: boolean; page: number; pageSize: number }): Promise<NotificationList> {
  const userId = userOf(ctx.actor);
  const r = await listForUser(ctx.db, userId, { unreadOnly: p.unread ?? false, limit: p.pageSize, offset: (p.page - 1) * p.pageSize });
  return { items: r.items.map(dto), total: r.total, unread: r.unread, page: p.page, pageSize: p.pageSize };
}

/** How many of the actor's notifications are unread. */
export async function countUnread(ctx: ServiceContext): Promise<{ unread: number }> {
  return { unread: await unreadCount(ctx.db, userOf(ctx.actor)) };
}

/**
 * Marks the actor's notifications read: the given ids (each must be the actor's:
 * NOTIFICATION_NOT_FOUND otherwise, nothing changed) or all of them. Already read ones are
 * left as they are.
 */
export async function readNotifications(ctx: ServiceContext, which: { ids?: number[]; all?: boolean }): Promise<ReadResult> {
  const userId = userOf(ctx.actor);
  if (!which.all && !which.ids?.length)
    throw new AppError('NOTIFICATIONS_READ_NOTHING', 400, '请指定要标记为已读的通知（ids）或全部（all）', 'Name the notifications to mark read (ids), or all');
  if (which.all && which.ids?.length)
    throw new AppError('NOTIFICATIONS_READ_AMBIGUOUS', 400, 'ids 与 all 只能指定其一', 'Give either ids or all, not both');
  return ctx.db.transaction(async (tx) => {
    if (which.ids) {
      const ids = [...new Set(which.ids)];
      const mine = new Set(await ownedIds(tx, userId, ids));
      const missing = ids.filter((id) => !mine.has(id));
      // Another user's notification is "not found": its existence is not the actor's business.
      if (missing.length)
        throw new AppError('NOTIFICATION_NOT_FOUND', 404, `未找到通知：${missing.join('、')}`, `No notification ${missing.join(', ')}`, missing.map((id) => ({ field: 'ids', value: id })));
    }
    const changed = await markRead(tx, userId, which.all ? 'all' : which.ids!);
    if (changed.length)
      await recordAudit(tx, { actor: ctx.actor, action: 'notification.read', entity: 'notification', entityId: userId, before: null, after: { ids: changed }, requestId: ctx.requestId });
    return { updated: changed.length, unread: await unreadCount(tx, userId) };
  });
}

/** The actor's notification settings, and whether this installation sends e-mail at all. */
export async function getSettings(ctx: ServiceContext): Promise<SettingsDto> {
  const s = await settingsOf(ctx.db, userOf(ctx.actor));
  return { email: s?.email ?? null, email_enabled: s?.email_enabled ?? true, smtp_configured: ctx.config.smtpUrl !== null };
}

/** Sets the actor's e-mail address for notifications (null removes it) and whether to use it. */
export async function putSettings(ctx: ServiceContext, input: SettingsInput): Promise<SettingsDto> {
  const userId = userOf(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const before = await settingsOf(tx, userId);
    const email = input.email === undefined ? (before?.email ?? null) : input.email === null ? null : input.email.trim().toLowerCase();
    const after = await upsertSettings(tx, userId, { email, email_enabled: input.email_enabled ?? before?.email_enabled ?? true });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'update',
      entity: 'notification_settings',
      entityId: userId,
      before: before && { email: before.email, email_enabled: before.email_enabled },
      after: { email: after.email, email_enabled: after.email_enabled },
      requestId: ctx.requestId,
    });
    return { email: after.email, email_enabled: after.email_enabled, smtp_configured: ctx.config.smtpUrl !== null };
  });
}

export interface DeliveryResult {
  sent: number;
  failed: number;
  errors: Array<{ id: number; error: string }>;
}

/**
 * Sends the queued e-mails (at most `limit` per call, oldest first). A message the server
 * refuses is marked failed with the server's answer; the in-app notification stays.
 */
export async function deliverPendingEmails(db: Sql, sender: MailSender, opts: { limit?: number } = {}): Promise<DeliveryResult> {
  await dropOrphanPending(db);
  const out: DeliveryResult = { sent: 0, failed: 0, errors: [] };
  const batch = await claimPendingEmails(db, opts.limit ?? 200);
  for (const m of batch) {
    try {
      await sender.send({ to: m.email, ...mailOf(m) });
      out.sent++;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      await setEmailFailed(db, Number(m.id), error);
      out.failed++;
      out.errors.push({ id: Number(m.id), error });
    }
  }
  return out;
}
