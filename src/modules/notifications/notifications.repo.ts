/**
 * SQL of in-app notifications and per-user notification settings. Every function takes the
 * store or an open transaction first.
 */
import type { Sql } from '../../store/db.ts';

export interface NotificationRow {
  id: number;
  user_id: number;
  kind: string;
  title: string;
  title_en: string;
  body: string;
  body_en: string;
  link: string | null;
  entity: string | null;
  entity_id: string | null;
  dedupe_key: string;
  created_at: Date | string;
  read_at: Date | string | null;
  email_status: 'none' | 'pending' | 'sent' | 'failed';
  emailed_at: Date | string | null;
  email_error: string | null;
}

export interface SettingsRow {
  user_id: number;
  email: string | null;
  email_enabled: boolean;
}

export interface NewNotification {
  kind: string;
  title: string;
  title_en: string;
  body: string;
  body_en: string;
  link: string | null;
  entity: string | null;
  entity_id: string | null;
  dedupe_key: string;
}

const COLS = `id, user_id, kind, title, title_en, body, body_en, link, entity, entity_id, dedupe_key, created_at, read_at,
  email_status, emailed_at, email_error`;

/**
 * One notification for each active user of `userIds` that has not had this event
 * (dedupe_key) yet. The e-mail is queued ('pending') when `email` is true and the user has an
 * address with e-mail switched on. Returns the ids created.
 */
export async function insertNotifications(db: Sql, userIds: readonly number[], n: NewNotification, email: boolean): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await db.query<{ id: number }>(
    `INSERT INTO notifications (user_id, kind, title, title_en, body, body_en, link, entity, entity_id, dedupe_key, email_status)
     SELECT u.id, $2, $3, $4, $5, $6, $7, $8, $9, $10,
            CASE WHEN $11::boolean AND s.email IS NOT NULL AND s.email_enabled THEN 'pending' ELSE 'none' END
       FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id
      WHERE u.id = ANY($1::bigint[]) AND u.disabled_at IS NULL
      ORDER BY u.id
     ON CONFLICT (user_id, dedupe_key) DO NOTHING
     RETURNING id`,
    [[...new Set(userIds)], n.kind, n.title, n.title_en, n.body, n.body_en, n.link, n.entity, n.entity_id, n.dedupe_key, email],
  );
  return rows.map((r) => Number(r.id));
}

/** A user's notifications, newest first, with the total and the unread count. */
export async function listForUser(
  db: Sql,
  userId: number,
  p: { unreadOnly: boolean; limit: number; offset: number },
): Promise<{ items: NotificationRow[]; total: number; unread: number }> {
  const items = await db.query<NotificationRow>(
    `SELECT ${COLS} FROM notifications WHERE user_id = $1 AND (NOT $2::boolean OR read_at IS NULL)
      ORDER BY id DESC LIMIT $3 OFFSET $4`,
    [userId, p.unreadOnly, p.limit, p.offset],
  );
  const [c] = await db.query<{ total: number; unread: number }>(
    `SELECT count(*) FILTER (WHERE NOT $2::boolean OR read_at IS NULL)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
       FROM notifications WHERE user_id = $1`,
    [userId, p.unreadOnly],
  );
  return { items, total: c.total, unread: c.unread };
}

export async function unreadCount(db: Sql, userId: number): Promise<number> {
  const [c] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [userId]);
  return c.n;
}

/** Marks the user's notifications read (the listed ids, or all); returns the ids changed. */
export async function markRead(db: Sql, userId: number, ids: readonly number[] | 'all'): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `UPDATE notifications SET read_at = now()
      WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
      RETURNING id`,
    [userId, ids === 'all' ? null : [...ids]],
  );
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Which of `ids` belong to the user. */
export async function ownedIds(db: Sql, userId: number, ids: readonly number[]): Promise<number[]> {
  const rows = await db.query<{ id: number }>(`SELECT id FROM notifications WHERE user_id = $1 AND id = ANY($2::bigint[])`, [userId, [...ids]]);
  return rows.map((r) => Number(r.id));
}

export async function settingsOf(db: Sql, userId: number): Promise<SettingsRow | null> {
  return (await db.query<SettingsRow>(`SELECT user_id, email, email_enabled FROM notification_settings WHERE user_id = $1`, [userId]))[0] ?? null;
}

export async function upsertSettings(db: Sql, userId: number, s: { email: string | null; email_enabled: boolean }): Promise<SettingsRow> {
  const [row] = await db.query<SettingsRow>(
    `INSERT INTO notification_settings (user_id, email, email_enabled) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, email_enabled = EXCLUDED.email_enabled, updated_at = now()
     RETURNING user_id, email, email_enabled`,
    [userId, s.email, s.email_enabled],
  );
  return row;
}

export interface PendingEmail {
  id: number;
  email: string;
  title: string;
  title_en: string;
  body: string;
  body_en: string;
  link: string | null;
}

/**
 * Claims up to `limit` queued e-mails: they are marked sent before sending (at most once — the
 * in-app notification is the record; a failure is written back). SKIP LOCKED lets two senders
 * share the queue without sending a message twice.
 */
export async function claimPendingEmails(db: Sql, limit: number): Promise<PendingEmail[]> {
  return db.query<PendingEmail>(
    `WITH c AS (
       SELECT id FROM notifications WHERE email_status = 'pending' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
     )
     UPDATE notifications n SET email_status = 'sent', emailed_at = now()
       FROM c, notification_settings s
      WHERE n.id = c.id AND s.user_id = n.user_id
      RETURNING n.id, s.email, n.title, n.title_en, n.body, n.body_en, n.link`,
    [limit],
  );
}

export async function setEmailFailed(db: Sql, id: number, error: string): Promise<void> {
  await db.query(`UPDATE notifications SET email_status = 'failed', email_error = $2 WHERE id = $1`, [id, error.slice(0, 1000)]);
}

/** Queued e-mails whose user has meanwhile removed the address are dropped from the queue. */
export async function dropOrphanPending(db: Sql): Promise<number> {
  const rows = await db.query(
    `UPDATE notifications n SET email_status = 'none'
      WHERE n.email_status = 'pending'
        AND NOT EXISTS (SELECT 1 FROM notification_settings s WHERE s.user_id = n.user_id AND s.email IS NOT NULL AND s.email_enabled)
      RETURNING n.id`,
  );
  return rows.length;
}
