/**
 * Demands and offers (技术需求 / 技术成果) and their review workflow (the EEN partnering
 * workflow): an organisation writes its own profiles as drafts and submits them; bureau and
 * district officers review — approve (published), return with comments (returned, to be
 * edited and submitted again) or reject; published profiles expire on their date and are
 * renewed, or are closed. Every write is checked with `can` / `scopeOf`, runs in one
 * transaction with its audit entry and a workflow event, and reaches the matching index as
 * soon as it commits. Called by the HTTP routes and the CLI alike.
 */
import type { Actor } from '../../actor.ts';
import { systemActor } from '../../actor.ts';
import { AppError, forbidden, validationFailed } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { recordAudit, recordAuditBatch } from '../audit/audit.service.ts';
import { can, scopeOf, type Resource } from '../auth/auth.policy.ts';
import { inRegionScope } from '../auth/auth.scope.ts';
import { zodDetails } from '../registry/zod-details.ts';
import { sanitizeText } from './engine/index.ts';
import { marketIndexOf } from './market.index.ts';
import {
  anyExpireDue,
  deleteProfileRow,
  expireDueRows,
  insertProfile,
  insertProfileEvent,
  DEFAULT_PROFILE_ORDER,
  listProfileRows,
  lockProfilesVersion,
  pageOfProfiles,
  NOW,
  orgBrief,
  params,
  profileById,
  profileEvents,
  profilesVersion,
  PROFILE_COLUMNS,
  regionPath,
  updateProfileRow,
  type ProfileRow,
} from './market.repo.ts';
import {
  closeBody,
  profileCreateBody,
  profileExportQuery,
  profileListQuery,
  PROFILE_STATUSES,
  profilePatchBody,
  renewBody,
  reviewBody,
  STATUS_LABELS,
  type ProfileDto,
  type ProfileEventDto,
  type ProfileExportQuery,
  type ProfileListQuery,
  type ProfileSort,
  type ProfileStatus,
} from './market.schema.ts';
import { FIELD_CODES } from './market.fields.ts';
import { searchClause } from './market.search.ts';
import type { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Access

/** Roles that review profiles and follow matches for the bureau. */
const OFFICERS: ReadonlySet<Actor['role']> = new Set(['admin', 'system', 'bureau', 'district']);
export const isOfficer = (actor: Actor) => OFFICERS.has(actor.role);

/** The access resource of a profile: published ones are public, the others internal. */
export function profileResource(row: Pick<ProfileRow, 'status' | 'region_id' | 'region_path' | 'org_id'>): Resource {
  return {
    kind: 'market_profiles',
    region_id: row.region_id == null ? null : Number(row.region_id),
    region_path: row.region_path,
    org_id: row.org_id == null ? null : Number(row.org_id),
    classification: row.status === 'published' ? 'public' : 'internal',
  };
}

const owns = (actor: Actor, row: Pick<ProfileRow, 'org_id'>) => actor.orgId !== undefined && row.org_id != null && Number(row.org_id) === actor.orgId;

/** Published profiles are seen by everyone signed in; the others by their organisation and the officers of their region. */
export function canSeeProfile(actor: Actor, row: ProfileRow): boolean {
  if (row.status === 'published') return true;
  return can(actor, 'read', profileResource(row));
}

/** Its organisation, or an officer whose scope holds it. */
function canWrite(actor: Actor, row: ProfileRow): boolean {
  if (owns(actor, row)) return can(actor, 'update', profileResource(row));
  return isOfficer(actor) && can(actor, 'update', profileResource(row));
}

export const profileNotFound = (id: number | string) =>
  new AppError('MARKET_PROFILE_NOT_FOUND', 404, `未找到技术需求或成果：${id}`, `No demand or offer with id ${id}`, [{ field: 'id', value: String(id) }]);

const wrongStatus = (row: ProfileRow, action: { zh: string; en: string }, allowed: readonly ProfileStatus[]) =>
  new AppError(
    'MARKET_PROFILE_STATUS',
    409,
    `${STATUS_LABELS[row.status as ProfileStatus].zh}状态的需求或成果不能${action.zh}（应为：${allowed.map((s) => STATUS_LABELS[s].zh).join('、')}）`,
    `A ${STATUS_LABELS[row.status as ProfileStatus].en} profile cannot be ${action.en} (it must be ${allowed.map((s) => STATUS_LABELS[s].en).join(' or ')})`,
    [{ field: 'status', value: row.status }],
  );

/** A profile the actor may see, or MARKET_PROFILE_NOT_FOUND (also when outside its scope). */
export async function visibleProfile(ctx: ServiceContext, id: number): Promise<ProfileRow> {
  const row = await profileById(ctx.db, id);
  if (!row || !canSeeProfile(ctx.actor, row)) throw profileNotFound(id);
  return row;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationFailed(zodDetails(r.error));
  return r.data;
}

// ---------------------------------------------------------------------------------------------
// Mapping

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));

export function profileDto(r: ProfileRow): ProfileDto {
  const status = r.status as ProfileStatus;
  return {
    id: Number(r.id),
    kind: r.kind,
    status,
    status_zh: STATUS_LABELS[status].zh,
    status_en: STATUS_LABELS[status].en,
    title_zh: r.title_zh,
    title_en: r.title_en,
    summary_zh: r.summary_zh,
    summary_en: r.summary_en,
    problem: r.problem,
    advantages: r.advantages,
    field: r.field,
    keywords: r.keywords ?? [],
    trl: r.trl == null ? null : Number(r.trl),
    ipr: r.ipr,
    cooperation: r.cooperation ?? [],
    org: r.org_id == null ? null : { id: Number(r.org_id), name: r.org_name ?? '' },
    country_iso3: r.country_iso3,
    region_id: r.region_id == null ? null : Number(r.region_id),
    expires_on: r.expires_on,
    review_comment: r.review_comment,
    reviewed_by: r.reviewed_by,
    reviewed_at: iso(r.reviewed_at),
    submitted_at: iso(r.submitted_at),
    published_at: iso(r.published_at),
    closed_reason: r.closed_reason,
    created_by: r.created_by,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

/** Text fields are stored as plain text: HTML is stripped (the engine's sanitiser). */
const TEXT_FIELDS = ['title_zh', 'title_en', 'summary_zh', 'summary_en', 'problem', 'advantages'] as const;
function sanitize<T extends Record<string, unknown>>(rec: T): T {
  const out: Record<string, unknown> = { ...rec };
  for (const f of TEXT_FIELDS) {
    const v = out[f];
    if (typeof v !== 'string') continue;
    const clean = sanitizeText(v).text.replace(/\s+/g, ' ').trim();
    out[f] = clean.length > 0 ? clean : null;
  }
  if (Array.isArray(out.keywords)) out.keywords = [...new Set((out.keywords as string[]).map((k) => sanitizeText(k).text.trim()).filter(Boolean))];
  if (Array.isArray(out.cooperation)) out.cooperation = [...new Set(out.cooperation as string[])];
  return out as T;
}

const todayIso = () => new Date().toISOString().slice(0, 10);

const expiryInPast = (d: string) =>
  new AppError('MARKET_EXPIRY_PAST', 400, `有效期 ${d} 已过，请填写今天以后的日期`, `The expiry date ${d} has passed; give a date after today`, [{ field: 'expires_on', value: d }]);

// ---------------------------------------------------------------------------------------------
// Writes: version lock → write → audit, then the index

/**
 * Runs a write of profiles in one transaction holding the profiles' version row (so the
 * index knows whether anything else wrote in between), then applies it to the index.
 */
async function profileWrite<T>(ctx: ServiceContext, fn: (tx: Sql) => Promise<{ ids: number[]; value: T }>): Promise<T> {
  let before = 0;
  let after = 0;
  let out!: { ids: number[]; value: T };
  try {
    await ctx.db.transaction(async (tx) => {
      before = await lockProfilesVersion(tx);
      out = await fn(tx);
      after = await profilesVersion(tx);
    });
  } catch (e) {
    throw translatePgError(e);
  }
  await marketIndexOf(ctx.db).afterWrite(ctx.db, out.ids, before, after);
  return out.value;
}

async function transition(
  tx: Sql,
  ctx: ServiceContext,
  row: ProfileRow,
  to: ProfileStatus,
  action: string,
  set: Record<string, unknown>,
  comment?: string | null,
): Promise<void> {
  await updateProfileRow(tx, Number(row.id), { status: to, ...set });
  await insertProfileEvent(tx, { profileId: Number(row.id), action, from: row.status, to, comment, actor: ctx.actor.name });
  const after = await profileById(tx, Number(row.id));
  await recordAudit(tx, { actor: ctx.actor, action: `market.${action}`, entity: 'market_profile', entityId: Number(row.id), before: profileDto(row), after: after && profileDto(after), requestId: ctx.requestId });
}

/** Creates a draft demand or offer. */
export async function createProfile(ctx: ServiceContext, input: unknown): Promise<ProfileDto> {
  const rec = sanitize(parse(profileCreateBody, input));
  const { actor } = ctx;
  if (actor.role === 'organization') {
    if (rec.org_id != null && rec.org_id !== actor.orgId) throw forbidden();
    rec.org_id = actor.orgId ?? null;
  } else if (!isOfficer(actor)) throw forbidden();
  if (rec.expires_on && rec.expires_on <= todayIso()) throw expiryInPast(rec.expires_on);
  const org = rec.org_id != null ? await orgBrief(ctx.db, rec.org_id) : null;
  if (rec.org_id != null && !org) throw new AppError('REFERENCE_NOT_FOUND', 400, `机构不存在：${rec.org_id}`, `No organisation ${rec.org_id}`, [{ field: 'org_id', value: rec.org_id }]);
  // The profile's region scopes it: given, else its organisation's, else the officer's own.
  const region = rec.region_id ?? org?.region_id ?? actor.regionScope?.[0] ?? null;
  const row = {
    ...rec,
    region_id: region,
    country_iso3: rec.country_iso3 ?? org?.country_iso3 ?? (org?.domestic ? 'CHN' : null),
  };
  const draft = { status: 'draft', region_id: region, region_path: await regionPath(ctx.db, region), org_id: row.org_id ?? null } as ProfileRow;
  if (!can(actor, 'create', profileResource(draft))) throw forbidden();
  const id = await profileWrite(ctx, async (tx) => {
    const id = await insertProfile(tx, row, actor.name);
    await insertProfileEvent(tx, { profileId: id, action: 'create', from: null, to: 'draft', actor: actor.name });
    const created = await profileById(tx, id);
    await recordAudit(tx, { actor, action: 'create', entity: 'market_profile', entityId: id, before: null, after: created && profileDto(created), requestId: ctx.requestId });
    return { ids: [id], value: id };
  });
  return profileDto((await profileById(ctx.db, id))!);
}

/** One profile as the actor may see it. */
export async function getProfile(ctx: ServiceContext, id: number): Promise<ProfileDto> {
  return profileDto(await visibleProfile(ctx, id));
}

/** The workflow history of a profile: every transition with its actor and comment. */
export async function profileHistory(ctx: ServiceContext, id: number): Promise<ProfileEventDto[]> {
  await visibleProfile(ctx, id);
  return (await profileEvents(ctx.db, id)).map((e) => ({ ...e, at: iso(e.at)! }));
}

/** SQL of each list order (`p` the profile, `o` its organisation). */
const SORT_SQL: Record<ProfileSort, string> = {
  created_at: 'p.created_at',
  updated_at: 'p.updated_at',
  published_at: 'p.published_at',
  title: 'coalesce(p.title_zh, p.title_en)',
  kind: 'p.kind',
  status: `array_position(ARRAY[${PROFILE_STATUSES.map((x) => `'${x}'`).join(', ')}]::text[], p.status)`,
  field: `array_position(ARRAY[${FIELD_CODES.map((x) => `'${x}'`).join(', ')}]::text[], p.field)`,
  trl: 'p.trl',
  org: 'coalesce(o.name_zh, o.name_en)',
  country_iso3: 'p.country_iso3',
  expires_on: 'p.expires_on',
};

/** ORDER BY of a list query: the asked order (empty values last either way, then the id), else the newest change first. */
function orderOf(q: { sort?: ProfileSort; order?: 'asc' | 'desc' }): string {
  if (!q.sort) return DEFAULT_PROFILE_ORDER;
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  return `ORDER BY ${SORT_SQL[q.sort]} ${dir} NULLS LAST, p.id ${dir}`;
}

/**
 * The WHERE clause of a list query as `actor` may see it: every published profile, and the
 * others of its organisation or of its regions (officers); then the filters and the search.
 */
async function listFilter(ctx: ServiceContext, q: Omit<ProfileListQuery, 'page' | 'pageSize'>): Promise<{ where: string[]; values: unknown[] }> {
  const p = params();
  const where: string[] = [];
  if (q.kind) where.push(`p.kind = ${p.add(q.kind)}`);
  if (q.status) where.push(`p.status = ${p.add(q.status)}`);
  if (q.org_id) where.push(`p.org_id = ${p.add(q.org_id)}`);
  if (q.field) where.push(`p.field = ${p.add(q.field)}`);
  const scope = scopeOf(ctx.actor);
  if (!scope.all) {
    const general: string[] = [];
    if (scope.regions)
      general.push(inRegionScope(scope, 'p.region_id', p.add));
    if (!scope.levels.includes('internal')) general.push('false');
    const alternatives = [general.length ? general.join(' AND ') : 'true', `p.status = 'published'`];
    if (scope.orgId != null) alternatives.push(`p.org_id = ${p.add(scope.orgId)}`);
    where.push(`((${alternatives.join(') OR (')}))`);
  }
  if (q.q) where.push(await searchClause(ctx.db, q.q, p.add));
  return { where, values: p.values };
}

/**
 * Profiles the actor sees: every published one, and the others of its organisation or
 * region; filtered, searched (`q`, Chinese or English), sorted and paged.
 */
export async function listProfiles(ctx: ServiceContext, query: unknown): Promise<{ items: ProfileDto[]; total: number; page: number; pageSize: number }> {
  const q = parse(profileListQuery, query ?? {});
  const f = await listFilter(ctx, q);
  const { items, total } = await listProfileRows(ctx.db, f.where, f.values, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize }, orderOf(q));
  return { items: items.map(profileDto), total, page: q.page, pageSize: q.pageSize };
}

/** Rows read per query by an export. */
const EXPORT_PAGE = 500;

/**
 * Every profile of a list query (its filters, search and order; no paging), as the list shows
 * them to the actor: the rows an export writes. Validates the query before the first row.
 */
export async function iterateProfiles(ctx: ServiceContext, query: unknown): Promise<{ query: ProfileExportQuery; rows: AsyncIterable<ProfileDto> }> {
  const q = parse(profileExportQuery, query ?? {});
  const f = await listFilter(ctx, q);
  const w = f.where.length ? `WHERE ${f.where.join(' AND ')}` : '';
  const order = orderOf(q);
  async function* rows(): AsyncIterable<ProfileDto> {
    for (let offset = 0; ; offset += EXPORT_PAGE) {
      const page = await pageOfProfiles(ctx.db, w, f.values, { limit: EXPORT_PAGE, offset }, order);
      for (const r of page) yield profileDto(r);
      if (page.length < EXPORT_PAGE) return;
    }
  }
  return { query: q, rows: rows() };
}

/** Edits a profile: its organisation while it is a draft or returned; officers until it is closed. */
export async function updateProfile(ctx: ServiceContext, id: number, input: unknown): Promise<ProfileDto> {
  const patch = sanitize(parse(profilePatchBody, input));
  if (Object.keys(patch).length === 0) throw new AppError('EMPTY_UPDATE', 400, '没有需要修改的字段', 'Nothing to update');
  const row = await visibleProfile(ctx, id);
  if (!canWrite(ctx.actor, row)) throw forbidden();
  const editable: readonly ProfileStatus[] = isOfficer(ctx.actor) ? ['draft', 'submitted', 'returned', 'published'] : ['draft', 'returned'];
  if (!editable.includes(row.status as ProfileStatus)) throw wrongStatus(row, { zh: '修改', en: 'edited' }, editable);
  if (patch.org_id !== undefined && Number(patch.org_id) !== Number(row.org_id) && !isOfficer(ctx.actor)) throw forbidden();
  const merged = { ...row, ...patch };
  if (!merged.title_zh && !merged.title_en) throw validationFailed([{ field: 'title_zh', code: 'TITLE_REQUIRED', message: '中文或英文标题至少填写一个', message_en: 'Give a Chinese or an English title' }]);
  if (patch.expires_on && patch.expires_on <= todayIso()) throw expiryInPast(patch.expires_on);
  if (patch.region_id !== undefined || patch.org_id !== undefined) {
    const moved = { ...merged, region_path: await regionPath(ctx.db, merged.region_id == null ? null : Number(merged.region_id)) } as ProfileRow;
    if (!canWrite(ctx.actor, moved)) throw forbidden();
  }
  const set = Object.fromEntries(PROFILE_COLUMNS.filter((c) => c !== 'kind' && patch[c as keyof typeof patch] !== undefined).map((c) => [c, patch[c as keyof typeof patch]]));
  await profileWrite(ctx, async (tx) => {
    await updateProfileRow(tx, id, set);
    const after = await profileById(tx, id);
    await recordAudit(tx, { actor: ctx.actor, action: 'update', entity: 'market_profile', entityId: id, before: profileDto(row), after: after && profileDto(after), requestId: ctx.requestId });
    return { ids: [id], value: null };
  });
  return getProfile(ctx, id);
}

/** Deletes a draft (or a rejected profile); anything that was submitted is closed instead. */
export async function deleteProfile(ctx: ServiceContext, id: number): Promise<{ deleted: number }> {
  const row = await visibleProfile(ctx, id);
  if (!canWrite(ctx.actor, row)) throw forbidden();
  const allowed: readonly ProfileStatus[] = ['draft', 'rejected'];
  if (!allowed.includes(row.status as ProfileStatus)) throw wrongStatus(row, { zh: '删除（请改为关闭）', en: 'deleted (close it instead)' }, allowed);
  await profileWrite(ctx, async (tx) => {
    await deleteProfileRow(tx, id);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'market_profile', entityId: id, before: profileDto(row), after: null, requestId: ctx.requestId });
    return { ids: [id], value: null };
  });
  return { deleted: id };
}

/** Submits a draft or a returned profile for review. */
export async function submitProfile(ctx: ServiceContext, id: number): Promise<ProfileDto> {
  const row = await visibleProfile(ctx, id);
  if (!canWrite(ctx.actor, row)) throw forbidden();
  const allowed: readonly ProfileStatus[] = ['draft', 'returned'];
  if (!allowed.includes(row.status as ProfileStatus)) throw wrongStatus(row, { zh: '提交审核', en: 'submitted' }, allowed);
  if (row.expires_on && row.expires_on <= todayIso()) throw expiryInPast(row.expires_on);
  await profileWrite(ctx, async (tx) => {
    await transition(tx, ctx, row, 'submitted', 'submit', { submitted_at: NOW });
    return { ids: [id], value: null };
  });
  return getProfile(ctx, id);
}

/** Published profiles without a date of their own expire this long after publication (EEN: 12 months). */
export const DEFAULT_VALIDITY_MONTHS = 12;

function plusMonths(iso: string, months: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/**
 * An officer's review of a submitted profile: approve (published, with a default expiry of
 * 12 months), return with comments, or reject with a reason. Approval notifies the
 * organisations whose demands or saved searches the new profile matches.
 */
export async function reviewProfile(ctx: ServiceContext, id: number, input: unknown): Promise<ProfileDto> {
  const r = parse(reviewBody, input);
  const row = await visibleProfile(ctx, id);
  if (!isOfficer(ctx.actor) || !can(ctx.actor, 'update', profileResource(row))) throw forbidden();
  if (row.status !== 'submitted') throw wrongStatus(row, { zh: '审核', en: 'reviewed' }, ['submitted']);
  if (r.decision !== 'approve' && !r.comment)
    throw new AppError('MARKET_REVIEW_COMMENT_REQUIRED', 400, '退回或不通过时必须填写审核意见', 'A comment is required to return or reject a profile', [{ field: 'comment' }]);
  const to: ProfileStatus = r.decision === 'approve' ? 'published' : r.decision === 'return' ? 'returned' : 'rejected';
  const set: Record<string, unknown> = { reviewed_by: ctx.actor.name, reviewed_at: NOW, review_comment: r.comment ?? null };
  if (to === 'published') {
    set.published_at = NOW;
    if (!row.expires_on) set.expires_on = plusMonths(todayIso(), DEFAULT_VALIDITY_MONTHS);
    else if (row.expires_on <= todayIso()) throw expiryInPast(row.expires_on);
  }
  await profileWrite(ctx, async (tx) => {
    await transition(tx, ctx, row, to, r.decision, set, r.comment);
    return { ids: [id], value: null };
  });
  if (to === 'published') await notifyNewProfile(ctx, id);
  return getProfile(ctx, id);
}

/** Renews a published or expired profile until a new date (published again). */
export async function renewProfile(ctx: ServiceContext, id: number, input: unknown): Promise<ProfileDto> {
  const { expires_on } = parse(renewBody, input);
  const row = await visibleProfile(ctx, id);
  if (!canWrite(ctx.actor, row)) throw forbidden();
  const allowed: readonly ProfileStatus[] = ['published', 'expired'];
  if (!allowed.includes(row.status as ProfileStatus)) throw wrongStatus(row, { zh: '续期', en: 'renewed' }, allowed);
  if (expires_on <= todayIso()) throw expiryInPast(expires_on);
  await profileWrite(ctx, async (tx) => {
    await transition(tx, ctx, row, 'published', 'renew', { expires_on }, `→ ${expires_on}`);
    return { ids: [id], value: null };
  });
  if (row.status === 'expired') await notifyNewProfile(ctx, id);
  return getProfile(ctx, id);
}

/** Closes a profile (withdrawn, deal done …) with a reason; closed profiles are never matched. */
export async function closeProfile(ctx: ServiceContext, id: number, input: unknown): Promise<ProfileDto> {
  const { reason } = parse(closeBody, input);
  const row = await visibleProfile(ctx, id);
  if (!canWrite(ctx.actor, row)) throw forbidden();
  if (row.status === 'closed') throw wrongStatus(row, { zh: '关闭', en: 'closed' }, ['draft', 'submitted', 'returned', 'rejected', 'published', 'expired']);
  await profileWrite(ctx, async (tx) => {
    await transition(tx, ctx, row, 'closed', 'close', { closed_reason: reason }, reason);
    return { ids: [id], value: null };
  });
  return getProfile(ctx, id);
}

/**
 * Sets every published profile past its expiry date to `expired` (one audit entry each, by
 * the operator's expiry job); returns their ids. Matching never returns them even before.
 */
export async function expireDueProfiles(ctx: ServiceContext): Promise<number[]> {
  if (!isOfficer(ctx.actor)) throw forbidden();
  // An index probe first: a write would move the index version and make other processes reconcile.
  if (!(await anyExpireDue(ctx.db))) return [];
  const { actor } = ctx;
  return profileWrite(ctx, async (tx) => {
    const rows = await expireDueRows(tx);
    for (const r of rows) await insertProfileEvent(tx, { profileId: Number(r.id), action: 'expire', from: 'published', to: 'expired', comment: r.expires_on, actor: actor.name });
    await recordAuditBatch(
      tx,
      rows.map((r) => ({ actor, action: 'market.expire', entity: 'market_profile', entityId: Number(r.id), before: { status: 'published', expires_on: r.expires_on }, after: { status: 'expired' }, requestId: ctx.requestId })),
    );
    const ids = rows.map((r) => Number(r.id));
    return { ids, value: ids };
  });
}

const SWEEP_EVERY_MS = 3_600_000;
const lastSweep = new WeakMap<object, number>();

/** Runs the expiry sweep at most once an hour per store (as the operator), before matching. */
export async function sweepExpiredIfDue(ctx: ServiceContext): Promise<void> {
  const at = lastSweep.get(ctx.db) ?? 0;
  if (Date.now() - at < SWEEP_EVERY_MS) return;
  lastSweep.set(ctx.db, Date.now());
  await expireDueProfiles({ ...ctx, actor: systemActor('market-expiry') });
}

// Alerts live in market.alerts.ts; imported lazily to keep the module graph acyclic.
async function notifyNewProfile(ctx: ServiceContext, id: number): Promise<void> {
  const { notifyNewProfile: notify } = await import('./market.alerts.ts');
  await notify(ctx, id);
}
