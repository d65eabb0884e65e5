/**
 * Users and sessions, called by the HTTP routes and the CLI alike: log-in with throttling and
 * lock-out, sessions as hashed random tokens, password changes, and user management for
 * administrators (and the operator's CLI). Every change is on the audit log.
 */
import type { Actor } from '../../actor.ts';
import { AppError, forbidden, validationFailed, type ErrorDetail } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { QueryCache } from '../../store/cache.ts';
import type { Db, Sql } from '../../store/db.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { regionById, regionsNamed } from '../regions/regions.repo.ts';
import { notifyAuditorChange, type AuditorChange } from '../audit/audit.notify.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  accountLocked,
  currentPasswordWrong,
  invalidCredentials,
  lastAdmin,
  orgRequired,
  passwordRejected,
  regionRequired,
  roleUnknown,
  tooManyAttempts,
  userExists,
  userIdNotFound,
  userNotFound,
} from './auth.errors.ts';
import { hashPassword, newSessionToken, passwordProblems, tokenHash, verifyNothing, verifyPassword } from './auth.passwords.ts';
import { actorForUser, can, USER_ROLES, type UserRole } from './auth.policy.ts';
import {
  clearFailures,
  countFailure,
  deleteExpiredSessions,
  deleteSession,
  deleteStaleThrottle,
  deleteUserSessions,
  findUserRows,
  insertSession,
  insertUser,
  listUserRows,
  lockedFor,
  lockEnabledAdmins,
  otherEnabledAdmins,
  sessionUser,
  setDisabled,
  touchLastLogin,
  updatePasswordHash,
  updateUserFields,
  updateUserRole,
  userById,
  userByName,
  type UserRow,
} from './auth.repo.ts';

export interface AuthSettings {
  /** Name of the session cookie. */
  readonly cookieName: string;
  /** Sessions end this long after log-in. */
  readonly sessionTtlSeconds: number;
  /** 'auto': the cookie is Secure when the request came over HTTPS; true/false to force. */
  readonly secureCookies: boolean | 'auto';
  /** Failed log-ins of one user name within the window that lock it … */
  readonly maxFailures: number;
  readonly failureWindowSeconds: number;
  /** … for this long. */
  readonly lockSeconds: number;
  /** Failed log-ins from one address within the window before it must wait (429). */
  readonly maxFailuresPerAddress: number;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = Object.freeze({
  cookieName: 'innolink_session',
  sessionTtlSeconds: 12 * 3600,
  secureCookies: 'auto',
  maxFailures: 5,
  failureWindowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
  maxFailuresPerAddress: 50,
});

/** A user as shown to people (never the password hash). */
export interface UserDto {
  id: number;
  username: string;
  display_name: string | null;
  role: UserRole;
  region_id: number | null;
  region_name: string | null;
  org_id: number | null;
  org_name: string | null;
  disabled: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

export function toUserDto(u: UserRow): UserDto {
  return {
    id: u.id,
    username: u.username,
    display_name: u.display_name,
    role: u.role,
    region_id: u.region_id,
    region_name: u.region_name,
    org_id: u.org_id,
    org_name: u.org_name,
    disabled: u.disabled_at != null,
    locked_until: iso(u.locked_until),
    last_login_at: iso(u.last_login_at),
    created_at: iso(u.created_at)!,
  };
}

/** What the audit log keeps of a user: its access, never its password. */
const auditImage = (u: UserRow) => ({
  username: u.username,
  display_name: u.display_name,
  role: u.role,
  region_id: u.region_id,
  org_id: u.org_id,
  disabled: u.disabled_at != null,
});

/** Request details recorded with a change. */
export interface RequestMeta {
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

// User names: letters (any script), digits and . _ @ -; no ':' so that they never look like
// the operator's actor names (cli:…), and no spaces.
const USERNAME = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{1,63}$/u;
const RESERVED = new Set(['anonymous', 'system', 'cli', 'http']);

function checkUsername(username: string): void {
  if (!USERNAME.test(username) || RESERVED.has(username.toLowerCase())) {
    throw validationFailed([
      {
        field: 'username',
        code: 'USERNAME_INVALID',
        message: '用户名为 2–64 个字母、数字或 . _ @ -，以字母或数字开头（anonymous、system 等为保留名）',
        message_en: 'A user name has 2–64 letters, digits or . _ @ -, starting with a letter or digit (anonymous, system … are reserved)',
      },
    ]);
  }
}

function checkRole(role: string): asserts role is UserRole {
  if (!(USER_ROLES as readonly string[]).includes(role)) throw roleUnknown(role);
}

function checkPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length) throw passwordRejected(problems);
}

function assertManagesUsers(actor: Actor): void {
  if (!can(actor, 'update', { kind: 'users' })) throw forbidden();
}

/** What the auditors hear of a change to an account (null: nothing concerning an auditor). */
function auditorChange(before: Pick<UserRow, 'role' | 'disabled_at'> | null, after: Pick<UserRow, 'role' | 'disabled_at'>): AuditorChange | null {
  const was = before?.role === 'auditor';
  const is = after.role === 'auditor';
  if (!was && is) return 'granted';
  if (was && !is) return 'removed';
  if (is && !before!.disabled_at && after.disabled_at) return 'disabled';
  if (is && before!.disabled_at && !after.disabled_at) return 'enabled';
  return null;
}

/** Tells the auditors of a change to an auditor's account (三员分立: the administrator's changes are seen). */
async function tellAuditors(ctx: ServiceContext, tx: Sql, what: AuditorChange | null, user: { id: number; username: string }, seq: number): Promise<void> {
  if (what) await notifyAuditorChange(tx, ctx.config, { actor: ctx.actor, user: { id: Number(user.id), username: user.username }, what, seq });
}

/** A region given by name (新北, 常州市), code (320411) or id; ambiguous names are refused. */
export async function resolveRegionRef(db: Sql, ref: string | number): Promise<number> {
  const s = String(ref).trim();
  const found = await regionsNamed(db, s);
  if (found.length === 1) return found[0].id;
  if (found.length > 1) {
    throw new AppError('REGION_AMBIGUOUS', 400, `地区名称“${s}”有多个匹配，请用行政区划代码指定`, `The region name "${s}" matches several regions; give its code`,
      found.slice(0, 20).map((r) => ({ field: 'region', id: Number(r.id), region_code: r.code, name: r.name, level: r.level })));
  }
  if (/^\d+$/.test(s)) {
    const r = await regionById(db, Number(s));
    if (r) return Number(r.id);
  }
  throw new AppError('REGION_UNKNOWN', 400, `未知的地区：${s}`, `Unknown region: ${s}`, [{ field: 'region', value: s }]);
}

/** An organisation given by id or exact (Chinese or English) name. */
export async function resolveOrgRef(db: Sql, ref: string | number): Promise<number> {
  const s = String(ref).trim();
  const rows = /^\d+$/.test(s)
    ? await db.query<{ id: number }>('SELECT id FROM organizations WHERE id = $1', [Number(s)])
    : await db.query<{ id: number }>('SELECT id FROM organizations WHERE name_zh = $1 OR name_en = $1 ORDER BY id LIMIT 2', [s]);
  if (rows.length === 1) return Number(rows[0].id);
  if (rows.length > 1) {
    throw new AppError('ORG_AMBIGUOUS', 400, `机构名称“${s}”有多个匹配，请用机构编号指定`, `The organisation name "${s}" matches several; give its id`, [{ field: 'org', value: s }]);
  }
  throw new AppError('ORG_UNKNOWN', 400, `未知的机构：${s}`, `Unknown organisation: ${s}`, [{ field: 'org', value: s }]);
}

/** Region and organisation as stored for a role: checked, resolved, and dropped where unused. */
async function accessOf(db: Sql, role: UserRole, region?: string | number | null, org?: string | number | null) {
  const regionId = region == null || region === '' ? null : await resolveRegionRef(db, region);
  const orgId = org == null || org === '' ? null : await resolveOrgRef(db, org);
  if (role === 'district' && regionId == null) throw regionRequired(role);
  if (role === 'organization' && orgId == null) throw orgRequired(role);
  return { regionId, orgId };
}

async function mustFind(db: Sql, username: string): Promise<UserRow> {
  const u = await userByName(db, username);
  if (!u) throw userNotFound(username);
  return u;
}

export interface NewUser {
  username: string;
  role: string;
  password: string;
  region?: string | number | null;
  org?: string | number | null;
  displayName?: string | null;
}

/** Creates a user (administrators and the operator only). */
export async function createUser(ctx: ServiceContext, input: NewUser, meta: RequestMeta = {}): Promise<UserDto> {
  if (!can(ctx.actor, 'create', { kind: 'users' })) throw forbidden();
  const username = input.username.trim();
  checkUsername(username);
  checkRole(input.role);
  const role = input.role;
  checkPassword(input.password, username);
  const { regionId, orgId } = await accessOf(ctx.db, role, input.region, input.org);
  if (await userByName(ctx.db, username)) throw userExists(username);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await ctx.db.transaction(async (tx) => {
      const id = await insertUser(tx, {
        username,
        display_name: input.displayName?.trim() || null,
        role,
        region_id: regionId,
        org_id: orgId,
        password_hash: passwordHash,
        created_by: ctx.actor.name,
      });
      const created = (await userByName(tx, username))!;
      const seq = await recordAudit(tx, { actor: ctx.actor, action: 'create', entity: 'user', entityId: id, before: null, after: auditImage(created), requestId: meta.requestId });
      await tellAuditors(ctx, tx, auditorChange(null, created), created, seq);
      return created;
    });
    return toUserDto(user);
  } catch (e) {
    const t = translatePgError(e);
    if (t instanceof AppError && t.code === 'DUPLICATE') throw userExists(username);
    throw t;
  }
}

export async function listUsers(ctx: ServiceContext): Promise<UserDto[]> {
  if (!can(ctx.actor, 'read', { kind: 'users' })) throw forbidden();
  return (await listUserRows(ctx.db)).map(toUserDto);
}

/** Gives a user another role (and the region or organisation the role needs). */
export async function setUserRole(
  ctx: ServiceContext,
  username: string,
  change: { role: string; region?: string | number | null; org?: string | number | null },
  meta: RequestMeta = {},
): Promise<UserDto> {
  assertManagesUsers(ctx.actor);
  checkRole(change.role);
  const role = change.role;
  const { regionId, orgId } = await accessOf(ctx.db, role, change.region, change.org);
  const user = await ctx.db.transaction(async (tx) => {
    await lockEnabledAdmins(tx);
    const before = await mustFind(tx, username);
    if (before.role === 'admin' && role !== 'admin' && !before.disabled_at && (await otherEnabledAdmins(tx, before.id)) === 0) throw lastAdmin();
    await updateUserRole(tx, before.id, role, regionId, orgId);
    const after = (await userByName(tx, username))!;
    const seq = await recordAudit(tx, { actor: ctx.actor, action: 'update', entity: 'user', entityId: before.id, before: auditImage(before), after: auditImage(after), requestId: meta.requestId });
    await tellAuditors(ctx, tx, auditorChange(before, after), after, seq);
    return after;
  });
  return toUserDto(user);
}

/** Sets a user's password (administrator reset): ends its sessions and lifts a lock. */
export async function setUserPassword(ctx: ServiceContext, username: string, password: string, meta: RequestMeta = {}): Promise<UserDto> {
  assertManagesUsers(ctx.actor);
  const found = await mustFind(ctx.db, username);
  checkPassword(password, found.username);
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    await updatePasswordHash(tx, found.id, passwordHash);
    await deleteUserSessions(tx, found.id);
    await clearFailures(tx, `user:${found.username.toLowerCase()}`);
    const seq = await recordAudit(tx, { actor: ctx.actor, action: 'user.password_reset', entity: 'user', entityId: found.id, requestId: meta.requestId });
    await tellAuditors(ctx, tx, found.role === 'auditor' ? 'password_reset' : null, found, seq);
  });
  return toUserDto((await userByName(ctx.db, username))!);
}

/** Disables (ending its sessions) or enables a user. */
export async function setUserDisabled(ctx: ServiceContext, username: string, disabled: boolean, meta: RequestMeta = {}): Promise<UserDto> {
  assertManagesUsers(ctx.actor);
  const user = await ctx.db.transaction(async (tx) => {
    await lockEnabledAdmins(tx);
    const before = await mustFind(tx, username);
    if (disabled && before.role === 'admin' && !before.disabled_at && (await otherEnabledAdmins(tx, before.id)) === 0) throw lastAdmin();
    await setDisabled(tx, before.id, disabled);
    if (disabled) await deleteUserSessions(tx, before.id);
    const after = (await userByName(tx, username))!;
    const seq = await recordAudit(tx, { actor: ctx.actor, action: disabled ? 'user.disable' : 'user.enable', entity: 'user', entityId: before.id, before: auditImage(before), after: auditImage(after), requestId: meta.requestId });
    await tellAuditors(ctx, tx, auditorChange(before, after), after, seq);
    return after;
  });
  return toUserDto(user);
}

// Users administration by id (the API; administrators and the operator only)

export interface UserListParams {
  /** Part of the user name or display name. */
  q?: string;
  role?: string;
  /** Region name, code or id: users of its whole subtree. */
  region?: string | number;
  /** Organisation id or exact name. */
  org?: string | number;
  disabled?: boolean;
  page: number;
  pageSize: number;
}

export interface UserPage {
  items: UserDto[];
  total: number;
  page: number;
  pageSize: number;
}

/** One page of users, filtered by role, region (subtree), organisation, disabled, name. */
export async function findUsers(ctx: ServiceContext, params: UserListParams): Promise<UserPage> {
  if (!can(ctx.actor, 'read', { kind: 'users' })) throw forbidden();
  if (params.role !== undefined) checkRole(params.role);
  const regionId = params.region == null || params.region === '' ? undefined : await resolveRegionRef(ctx.db, params.region);
  const orgId = params.org == null || params.org === '' ? undefined : await resolveOrgRef(ctx.db, params.org);
  const { rows, total } = await findUserRows(ctx.db, {
    q: params.q?.trim() || undefined,
    role: params.role as UserRole | undefined,
    regionId,
    orgId,
    disabled: params.disabled,
    limit: params.pageSize,
    offset: (params.page - 1) * params.pageSize,
  });
  return { items: rows.map(toUserDto), total, page: params.page, pageSize: params.pageSize };
}

async function mustFindId(db: Sql, id: number): Promise<UserRow> {
  const u = await userById(db, id);
  if (!u) throw userIdNotFound(id);
  return u;
}

/** One user by id. */
export async function getUser(ctx: ServiceContext, id: number): Promise<UserDto> {
  if (!can(ctx.actor, 'read', { kind: 'users' })) throw forbidden();
  return toUserDto(await mustFindId(ctx.db, id));
}

/** What an administrator may change about a user at once (absent: unchanged; null: cleared). */
export interface UserPatch {
  display_name?: string | null;
  role?: string;
  region?: string | number | null;
  org?: string | number | null;
  disabled?: boolean;
}

const refOf = async <T>(v: string | number | null | undefined, resolve: (ref: string | number) => Promise<T>): Promise<T | null | undefined> =>
  v === undefined ? undefined : v === null || v === '' ? null : resolve(v);

/**
 * Changes a user's display name, role, region, organisation and disabled flag in one audited
 * step. Refuses to leave no enabled administrator (LAST_ADMIN), a district officer without a
 * region, an organisation user without an organisation. Disabling ends the user's sessions;
 * other changes apply to its next request.
 */
export async function updateUser(ctx: ServiceContext, id: number, patch: UserPatch, meta: RequestMeta = {}): Promise<UserDto> {
  assertManagesUsers(ctx.actor);
  if (Object.values(patch).every((v) => v === undefined)) throw new AppError('EMPTY_UPDATE', 400, '没有需要修改的字段', 'Nothing to update');
  if (patch.role !== undefined) checkRole(patch.role);
  const regionId = await refOf(patch.region, (r) => resolveRegionRef(ctx.db, r));
  const orgId = await refOf(patch.org, (o) => resolveOrgRef(ctx.db, o));
  const user = await ctx.db.transaction(async (tx) => {
    await lockEnabledAdmins(tx);
    const before = await mustFindId(tx, id);
    const role = (patch.role ?? before.role) as UserRole;
    const region = regionId === undefined ? before.region_id : regionId;
    const org = orgId === undefined ? before.org_id : orgId;
    if (role === 'district' && region == null) throw regionRequired(role);
    if (role === 'organization' && org == null) throw orgRequired(role);
    const wasDisabled = before.disabled_at != null;
    const disabled = patch.disabled ?? wasDisabled;
    const wasActiveAdmin = before.role === 'admin' && !wasDisabled;
    if (wasActiveAdmin && (role !== 'admin' || disabled) && (await otherEnabledAdmins(tx, before.id)) === 0) throw lastAdmin();
    const displayName = patch.display_name === undefined ? before.display_name : patch.display_name?.trim() || null;
    await updateUserFields(tx, before.id, { display_name: displayName, role, region_id: region, org_id: org });
    if (disabled !== wasDisabled) {
      await setDisabled(tx, before.id, disabled);
      if (disabled) await deleteUserSessions(tx, before.id);
    }
    const after = (await userById(tx, before.id))!;
    const seq = await recordAudit(tx, { actor: ctx.actor, action: 'update', entity: 'user', entityId: before.id, before: auditImage(before), after: auditImage(after), requestId: meta.requestId });
    await tellAuditors(ctx, tx, auditorChange(before, after), after, seq);
    return after;
  });
  return toUserDto(user);
}

/** Administrator reset of a user's password by id: ends its sessions and lifts a lock. */
export async function resetUserPassword(ctx: ServiceContext, id: number, password: string, meta: RequestMeta = {}): Promise<UserDto> {
  assertManagesUsers(ctx.actor);
  return setUserPassword(ctx, (await mustFindId(ctx.db, id)).username, password, meta);
}

/** Lifts a lock-out (and forgets the failed log-ins counted) for a user. */
export async function unlockUser(ctx: ServiceContext, id: number, meta: RequestMeta = {}): Promise<UserDto> {
  assertManagesUsers(ctx.actor);
  const user = await ctx.db.transaction(async (tx) => {
    const before = await mustFindId(tx, id);
    await clearFailures(tx, userKey(before.username));
    await recordAudit(tx, { actor: ctx.actor, action: 'user.unlock', entity: 'user', entityId: before.id, before: { locked_until: iso(before.locked_until) }, after: { locked_until: null }, requestId: meta.requestId });
    return (await userById(tx, before.id))!;
  });
  return toUserDto(user);
}

// Log-in and sessions

const userKey = (username: string) => `user:${username.trim().toLowerCase()}`;
const addressKey = (ip: string) => `ip:${ip}`;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: UserDto;
}

/**
 * Checks a user name and password. Unknown names, disabled users and wrong passwords get the
 * same 401 after the same work; `maxFailures` failures lock the name (423), many failures
 * from one address make it wait (429). Success starts a session.
 */
export async function login(
  db: Db,
  username: string,
  password: string,
  settings: AuthSettings,
  meta: RequestMeta & { /** The session the browser had: a new log-in ends it. */ replaces?: Session | null } = {},
): Promise<LoginResult> {
  const key = userKey(username);
  if (meta.ip) {
    const wait = await lockedFor(db, addressKey(meta.ip));
    if (wait) throw tooManyAttempts(wait);
  }
  const locked = await lockedFor(db, key);
  if (locked) throw accountLocked(locked);

  const user = await userByName(db, username.trim());
  let ok = false;
  if (user && !user.disabled_at) ok = await verifyPassword(user.password_hash, password);
  else await verifyNothing(password);

  if (!ok) {
    const { maxFailures, failureWindowSeconds: win, lockSeconds } = settings;
    if (meta.ip) await countFailure(db, addressKey(meta.ip), settings.maxFailuresPerAddress, win, lockSeconds);
    const lockedNow = await countFailure(db, key, maxFailures, win, lockSeconds);
    if (lockedNow) {
      if (user) {
        await db.transaction((tx) =>
          recordAudit(tx, { actor: { name: 'anonymous' }, action: 'auth.lockout', entity: 'user', entityId: user.id, after: { ip: meta.ip ?? null, failures: maxFailures }, requestId: meta.requestId }),
        );
      }
      throw accountLocked(lockedNow);
    }
    throw invalidCredentials();
  }

  const token = newSessionToken();
  const expiresAt = await db.transaction(async (tx) => {
    await clearFailures(tx, key);
    if (meta.replaces) await deleteSession(tx, meta.replaces.tokenHash);
    // Housekeeping rides on log-ins: a few index-range deletes, no background job needed.
    await deleteExpiredSessions(tx);
    await deleteStaleThrottle(tx, settings.failureWindowSeconds);
    const exp = await insertSession(tx, { tokenHash: tokenHash(token), userId: user!.id, ttlSeconds: settings.sessionTtlSeconds, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 500) ?? null });
    await touchLastLogin(tx, user!.id);
    await recordAudit(tx, { actor: actorForUser(user!), action: 'auth.login', entity: 'user', entityId: user!.id, after: { ip: meta.ip ?? null }, requestId: meta.requestId });
    return exp;
  });
  return { token, expiresAt: new Date(expiresAt), user: toUserDto((await userByName(db, user!.username))!) };
}

/** A live session: who it is and when it ends. */
export interface Session {
  readonly tokenHash: string;
  readonly userId: number;
  readonly username: string;
  readonly expiresAt: Date;
  readonly actor: Actor;
}

/** The session of a cookie token, or null when it is unknown, expired or its user disabled. */
export async function sessionFromToken(db: Sql, token: string): Promise<Session | null> {
  if (!token || token.length > 200) return null;
  const hash = tokenHash(token);
  // Kept until the store changes (a log-out, a disabled user, a new region all change it).
  const { session } = await SESSIONS.get(db, hash, async () => {
    const s = await sessionUser(db, hash);
    if (!s) return { session: null };
    return {
      session: {
        tokenHash: hash,
        userId: s.user_id,
        username: s.username,
        expiresAt: new Date(s.expires_at),
        actor: actorForUser({ id: s.user_id, username: s.username, role: s.role, region_id: s.region_id, org_id: s.org_id, region_path: s.region_path, region_ids: s.region_ids }),
      },
    };
  });
  return session && session.expiresAt.getTime() > Date.now() ? session : null;
}

const SESSIONS = new QueryCache<{ session: Session | null }>(10_000);

/** Ends a session. */
export async function logout(db: Db, session: Session, meta: RequestMeta = {}): Promise<void> {
  await db.transaction(async (tx) => {
    await deleteSession(tx, session.tokenHash);
    await recordAudit(tx, { actor: session.actor, action: 'auth.logout', entity: 'user', entityId: session.userId, requestId: meta.requestId });
  });
}

/** The logged-in user's details. */
export async function currentUser(db: Sql, session: Session): Promise<UserDto> {
  const u = await userByName(db, session.username);
  if (!u) throw userNotFound(session.username);
  return toUserDto(u);
}

/**
 * Changes one's own password: the current one must be given (wrong ones count towards the
 * lock-out); the user's other sessions end.
 */
export async function changePassword(db: Db, session: Session, current: string, next: string, settings: AuthSettings, meta: RequestMeta = {}): Promise<void> {
  const key = userKey(session.username);
  const locked = await lockedFor(db, key);
  if (locked) throw accountLocked(locked);
  const user = await userByName(db, session.username);
  if (!user) throw userNotFound(session.username);
  if (!(await verifyPassword(user.password_hash, current))) {
    const lockedNow = await countFailure(db, key, settings.maxFailures, settings.failureWindowSeconds, settings.lockSeconds);
    if (lockedNow) throw accountLocked(lockedNow);
    throw currentPasswordWrong();
  }
  const problems: ErrorDetail[] = passwordProblems(next, user.username).map((p) => ({ ...p, field: 'new_password' }));
  if (next === current) {
    problems.push({ field: 'new_password', code: 'PASSWORD_UNCHANGED', message: '新密码不能与当前密码相同', message_en: 'The new password must differ from the current one' });
  }
  if (problems.length) throw passwordRejected(problems);
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await updatePasswordHash(tx, user.id, passwordHash);
    await deleteUserSessions(tx, user.id, session.tokenHash);
    await clearFailures(tx, key);
    await recordAudit(tx, { actor: session.actor, action: 'user.password_change', entity: 'user', entityId: user.id, requestId: meta.requestId });
  });
}
