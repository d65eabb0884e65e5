/**
 * SQL of users, sessions and the log-in throttle. First argument: the store or a transaction.
 */
import type { Sql } from '../../store/db.ts';
import type { UserRole } from './auth.policy.ts';

export interface UserRow {
  id: number;
  username: string;
  display_name: string | null;
  role: UserRole;
  region_id: number | null;
  region_name: string | null;
  org_id: number | null;
  org_name: string | null;
  password_hash: string;
  password_changed_at: Date;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_by: string | null;
  created_at: Date;
  locked_until: Date | null;
}

const USER_SELECT = `SELECT u.id, u.username, u.display_name, u.role, u.region_id, r.name AS region_name, u.org_id,
       coalesce(o.name_zh, o.name_en) AS org_name, u.password_hash, u.password_changed_at, u.disabled_at,
       u.last_login_at, u.created_by, u.created_at,
       (SELECT t.locked_until FROM login_throttle t WHERE t.key = 'user:' || lower(u.username) AND t.locked_until > now()) AS locked_until
  FROM users u LEFT JOIN admin_regions r ON r.id = u.region_id LEFT JOIN organizations o ON o.id = u.org_id`;

const ids = (u: UserRow | undefined): UserRow | null =>
  u ? { ...u, id: Number(u.id), region_id: u.region_id == null ? null : Number(u.region_id), org_id: u.org_id == null ? null : Number(u.org_id) } : null;

export async function userByName(db: Sql, username: string): Promise<UserRow | null> {
  return ids((await db.query<UserRow>(`${USER_SELECT} WHERE lower(u.username) = lower($1)`, [username]))[0]);
}

export async function userById(db: Sql, id: number): Promise<UserRow | null> {
  return ids((await db.query<UserRow>(`${USER_SELECT} WHERE u.id = $1`, [id]))[0]);
}

export async function listUserRows(db: Sql): Promise<UserRow[]> {
  return (await db.query<UserRow>(`${USER_SELECT} ORDER BY u.id`)).map((u) => ids(u)!);
}

/** Filters of the users list; `regionId` takes its whole subtree. */
export interface UserFilter {
  q?: string;
  role?: UserRole;
  regionId?: number;
  orgId?: number;
  disabled?: boolean;
  limit: number;
  offset: number;
}

/** One page of users (by id) matching the filter, and how many match. */
export async function findUserRows(db: Sql, f: UserFilter): Promise<{ rows: UserRow[]; total: number }> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (f.q) {
    const like = p(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(u.username ILIKE ${like} OR u.display_name ILIKE ${like})`);
  }
  if (f.role) where.push(`u.role = ${p(f.role)}`);
  if (f.regionId !== undefined) {
    where.push(`u.region_id IN (SELECT d.id FROM admin_regions d JOIN admin_regions s ON d.path LIKE s.path || '%' WHERE s.id = ${p(f.regionId)})`);
  }
  if (f.orgId !== undefined) where.push(`u.org_id = ${p(f.orgId)}`);
  if (f.disabled !== undefined) where.push(f.disabled ? 'u.disabled_at IS NOT NULL' : 'u.disabled_at IS NULL');
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users u ${w}`, params))[0].n;
  const rows = await db.query<UserRow>(`${USER_SELECT} ${w} ORDER BY u.id LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`, params);
  return { rows: rows.map((u) => ids(u)!), total };
}

/** Sets a user's display name, role, region and organisation. */
export async function updateUserFields(
  db: Sql,
  id: number,
  u: { display_name: string | null; role: UserRole; region_id: number | null; org_id: number | null },
): Promise<void> {
  await db.query('UPDATE users SET display_name = $2, role = $3, region_id = $4, org_id = $5, updated_at = now() WHERE id = $1', [
    id,
    u.display_name,
    u.role,
    u.region_id,
    u.org_id,
  ]);
}

export async function insertUser(
  db: Sql,
  u: { username: string; display_name: string | null; role: UserRole; region_id: number | null; org_id: number | null; password_hash: string; created_by: string },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, role, region_id, org_id, password_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [u.username, u.display_name, u.role, u.region_id, u.org_id, u.password_hash, u.created_by],
  );
  return Number(rows[0].id);
}

export async function updateUserRole(db: Sql, id: number, role: UserRole, regionId: number | null, orgId: number | null): Promise<void> {
  await db.query('UPDATE users SET role = $2, region_id = $3, org_id = $4, updated_at = now() WHERE id = $1', [id, role, regionId, orgId]);
}

export async function updatePasswordHash(db: Sql, id: number, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1', [id, passwordHash]);
}

export async function setDisabled(db: Sql, id: number, disabled: boolean): Promise<void> {
  await db.query(`UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END, updated_at = now() WHERE id = $1`, [id, disabled]);
}

export async function touchLastLogin(db: Sql, id: number): Promise<void> {
  await db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [id]);
}

/**
 * Locks the enabled administrators' rows until the transaction ends, so that two concurrent
 * demotions cannot both see "another administrator is left" (LAST_ADMIN).
 */
export async function lockEnabledAdmins(db: Sql): Promise<void> {
  await db.query(`SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`);
}

/** Enabled administrators other than `exceptId`. */
export async function otherEnabledAdmins(db: Sql, exceptId: number): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1`, [exceptId]);
  return rows[0].n;
}

// Sessions

export interface SessionUserRow {
  expires_at: Date;
  user_id: number;
  username: string;
  display_name: string | null;
  role: UserRole;
  region_id: number | null;
  region_path: string | null;
  /** The user's region and every region below it. */
  region_ids: number[] | null;
  org_id: number | null;
}

export async function insertSession(db: Sql, s: { tokenHash: string; userId: number; ttlSeconds: number; ip: string | null; userAgent: string | null }): Promise<Date> {
  const rows = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent)
     VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5) RETURNING expires_at`,
    [s.tokenHash, s.userId, s.ttlSeconds, s.ip, s.userAgent],
  );
  return rows[0].expires_at;
}

/** The live session of a token hash with its (enabled) user, or null. */
export async function sessionUser(db: Sql, tokenHash: string): Promise<SessionUserRow | null> {
  const rows = await db.query<SessionUserRow>(
    `SELECT s.expires_at, u.id AS user_id, u.username, u.display_name, u.role, u.region_id, r.path AS region_path, u.org_id,
            CASE WHEN r.id IS NULL THEN NULL
                 -- the paths that start with r.path ('/1/2/'), as a range the path index serves
                 ELSE ARRAY(SELECT d.id FROM admin_regions d WHERE d.path ~>=~ r.path AND d.path ~<~ (r.path || '~') ORDER BY d.id) END AS region_ids
       FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN admin_regions r ON r.id = u.region_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [tokenHash],
    { prepare: true },
  );
  const r = rows[0];
  return r
    ? {
        ...r,
        user_id: Number(r.user_id),
        region_id: r.region_id == null ? null : Number(r.region_id),
        region_ids: r.region_ids == null ? null : r.region_ids.map(Number),
        org_id: r.org_id == null ? null : Number(r.org_id),
      }
    : null;
}

export async function deleteSession(db: Sql, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

/** Ends a user's sessions, all of them or all but one. */
export async function deleteUserSessions(db: Sql, userId: number, keepTokenHash?: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> coalesce($2, \'\')', [userId, keepTokenHash ?? null]);
}

export async function deleteExpiredSessions(db: Sql): Promise<void> {
  await db.query('DELETE FROM sessions WHERE expires_at <= now()');
}

// Log-in throttle

/** Seconds left on a lock of `key`, or 0. */
export async function lockedFor(db: Sql, key: string): Promise<number> {
  const rows = await db.query<{ s: number }>(
    `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS s FROM login_throttle WHERE key = $1 AND locked_until > now()`,
    [key],
  );
  return rows[0]?.s ?? 0;
}

/**
 * Counts one failure of `key` within a window of `windowSeconds`; at `max` failures the key is
 * locked for `lockSeconds` and counting starts again. Returns the seconds locked (0: not locked).
 */
export async function countFailure(db: Sql, key: string, max: number, windowSeconds: number, lockSeconds: number): Promise<number> {
  const rows = await db.query<{ s: number | null }>(
    `INSERT INTO login_throttle AS t (key, failures, window_start) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.window_start < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
       window_start = CASE WHEN t.window_start < now() - make_interval(secs => $2) THEN now() ELSE t.window_start END
     RETURNING t.failures AS s`,
    [key, windowSeconds],
  );
  if ((rows[0].s ?? 0) < max) return 0;
  await db.query(`UPDATE login_throttle SET failures = 0, window_start = now(), locked_until = now() + make_interval(secs => $2) WHERE key = $1`, [
    key,
    lockSeconds,
  ]);
  return lockSeconds;
}

/** Forgets counts whose window has passed and locks that have ended (failed names pile up otherwise). */
export async function deleteStaleThrottle(db: Sql, windowSeconds: number): Promise<void> {
  await db.query(
    `DELETE FROM login_throttle WHERE (locked_until IS NULL OR locked_until <= now()) AND window_start < now() - make_interval(secs => $1)`,
    [windowSeconds],
  );
}

export async function clearFailures(db: Sql, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}
