/**
 * Saved searches and in-app alerts: when a profile is published (or renewed after expiring),
 * every organisation whose published demand (for a new offer) or offer (for a new demand) now
 * has it among its top matches, and every saved search that now returns it among its top
 * matches, gets an alert. "Top" is the same list the organisation would see: ALERT_TOP. Each
 * alert also reaches the organisation's users (and the user who saved the search) as a
 * notification of the notifications module — the bell of the web application — and by e-mail
 * where a mail server is configured.
 */
import { systemActor } from '../../actor.ts';
import { AppError, forbidden, notFound, validationFailed } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { mailSenderFor } from '../notifications/notifications.mail.ts';
import { deliverPendingEmails, notify } from '../notifications/notifications.service.ts';
import { zodDetails } from '../registry/zod-details.ts';
import { analyze } from './engine/index.ts';
import { marketIndexOf, profileDoc } from './market.index.ts';
import { engineFilters, explain, rank, storedReasons, type MarketQuery } from './market.match.ts';
import {
  alertRows,
  deleteSavedSearch,
  insertAlert,
  insertSavedSearch,
  markAlertRead,
  orgUserIds,
  profileById,
  savedSearches,
  type AlertRow,
  type SavedSearchRow,
} from './market.repo.ts';
import { matchFiltersSchema, savedSearchBody, type AlertDto, type MarketReason, type SavedSearchDto } from './market.schema.ts';
import { isOfficer } from './market.service.ts';

/** A new profile alerts a demand, offer or saved search that has it among this many top matches … */
export const ALERT_TOP = 10;
/**
 * … and only when the offer of the pair covers this share of the demand (of the idf-weighted
 * terms of the demand's query that the offers know; for a saved search, of its text): a weak
 * match through one common word (develop, 研究) is no news. Measured on the seed projects and
 * their English descriptions (engine/fixtures.ts): the relevant description covers 0.33–1.0
 * of a Chinese title, the best irrelevant one mostly below 0.28.
 */
export const ALERT_MIN_COVERAGE = 0.3;
/** Candidates looked at per new profile (those it matches best). */
const CANDIDATES = 30;

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));

/**
 * Alerts for a newly published profile: returns how many were written. Runs as the operator:
 * what an organisation is alerted about is a published profile, visible to every user.
 */
export async function notifyNewProfile(ctx: ServiceContext, profileId: number): Promise<number> {
  const row = await profileById(ctx.db, profileId);
  if (!row || row.status !== 'published') return 0;
  const op = { ...ctx, actor: systemActor('market-alerts') };
  const doc = profileDoc(row);
  const opposite = row.kind === 'offer' ? 'demand' : 'offer';
  const asQuery = (p: typeof doc): MarketQuery => ({
    profile: { title: p.title, summary: p.summary, field: p.field, trl: p.trl, cooperation: p.cooperation, country: p.country },
    source: { kind: p.kind as 'demand' | 'offer', id: p.recordId, orgId: p.orgId, regionId: p.regionId },
  });
  let written = 0;
  const profileTitle = row.title_zh ?? row.title_en ?? '';
  // Stored profiles of the other kind that the new one fits best; alert those whose own top
  // list now holds it.
  const candidates = await rank(op, asQuery(doc), [opposite], CANDIDATES);
  for (const c of candidates) {
    if (c.doc.orgId === null || c.doc.orgId === doc.orgId) continue;
    const theirs = await rank(op, asQuery(c.doc), [row.kind], ALERT_TOP);
    const at = theirs.findIndex((m) => m.doc.recordId === profileId);
    // How much of the demand the offer covers, in the offers' collection: the demand's query
    // against the offer (a new offer), or the new demand against the candidate offer.
    const covered = row.kind === 'offer' ? theirs[at]?.coverage : c.coverage;
    if (at < 0 || covered < ALERT_MIN_COVERAGE) continue;
    // The reasons the organisation's own match list gives for the new profile.
    const [reasons] = await explain(op, asQuery(c.doc), [theirs[at]]);
    const ok = await ctx.db.transaction(async (tx) => {
      const a = { org_id: c.doc.orgId, user_id: null, for_profile_id: c.doc.recordId, search_id: null, profile_id: profileId, rank: at + 1, score: theirs[at].score, reasons };
      const alertId = await insertAlert(tx, a);
      if (alertId !== null) await notifyAlertUsers(ctx, tx, { ...a, id: alertId, kind: row.kind, title: profileTitle, forWhat: { title: c.doc.title_zh ?? c.doc.title_en ?? '' } });
      return alertId !== null;
    });
    if (ok) written++;
  }
  for (const s of await savedSearches(ctx.db, { kind: row.kind })) {
    const filters = matchFiltersSchema.safeParse(s.filters ?? {});
    const hits = await rank(op, { profile: { title: s.text } }, [row.kind], ALERT_TOP, filters.success ? engineFilters(filters.data) : {});
    const at = hits.findIndex((m) => m.doc.recordId === profileId && m.coverage >= ALERT_MIN_COVERAGE);
    if (at < 0) continue;
    const [reasons] = await explain(op, { profile: { title: s.text } }, [hits[at]]);
    const ok = await ctx.db.transaction(async (tx) => {
      const a = { org_id: s.org_id == null ? null : Number(s.org_id), user_id: s.user_id == null ? null : Number(s.user_id), for_profile_id: null, search_id: Number(s.id), profile_id: profileId, rank: at + 1, score: hits[at].score, reasons };
      const alertId = await insertAlert(tx, a);
      if (alertId !== null) await notifyAlertUsers(ctx, tx, { ...a, id: alertId, kind: row.kind, title: profileTitle, forWhat: { search: s.name } });
      return alertId !== null;
    });
    if (ok) written++;
  }
  if (written > 0) await deliverQueuedEmails(ctx);
  return written;
}

/** What an alert is about, for its notification. */
interface AlertNotice {
  id: number;
  org_id: number | null;
  user_id: number | null;
  profile_id: number;
  rank: number;
  /** The new profile's kind and title. */
  kind: 'demand' | 'offer';
  title: string;
  /** The organisation's profile whose matches it entered, or the saved search. */
  forWhat: { title: string } | { search: string };
}

/** The words of an alert, as the alert list says them (alertDto) and the bell shows them. */
export function alertWords(a: Pick<AlertNotice, 'kind' | 'title' | 'rank' | 'forWhat'>): { title: string; title_en: string; body: string; body_en: string } {
  const what = a.kind === 'offer' ? { zh: '技术成果', en: 'offer' } : { zh: '技术需求', en: 'demand' };
  const forWhat = 'title' in a.forWhat ? { zh: `您的「${a.forWhat.title}」`, en: `your "${a.forWhat.title}"` } : { zh: `保存的检索「${a.forWhat.search}」`, en: `saved search "${a.forWhat.search}"` };
  return {
    title: `新的匹配：${what.zh}「${a.title}」`,
    title_en: `New match: ${what.en} "${a.title}"`,
    body: `新发布的${what.zh}「${a.title}」进入${forWhat.zh}的匹配结果第 ${a.rank} 位`,
    body_en: `A newly published ${what.en}, "${a.title}", is match no. ${a.rank} for ${forWhat.en}`,
  };
}

/**
 * The in-app notification of a new alert (inside the transaction that wrote it): to the users
 * of the alerted organisation and to the user who saved the search; once per alert and user.
 */
async function notifyAlertUsers(ctx: ServiceContext, tx: Sql, a: AlertNotice): Promise<number> {
  const users = new Set(a.org_id !== null ? await orgUserIds(tx, a.org_id) : []);
  if (a.user_id !== null) users.add(a.user_id);
  if (users.size === 0) return 0;
  return notify(
    tx,
    [...users],
    { kind: 'market.alert', ...alertWords(a), link: `/market/profiles/${a.profile_id}`, entity: 'market_alert', entity_id: String(a.id), dedupe_key: `market.alert:${a.id}` },
    { email: ctx.config.smtpUrl !== null },
  );
}

/** Sends the e-mails queued with the notifications, where a mail server is configured; never throws. */
async function deliverQueuedEmails(ctx: ServiceContext): Promise<void> {
  const sender = mailSenderFor(ctx.config);
  if (!sender) return;
  try {
    await deliverPendingEmails(ctx.db, sender);
  } catch {
    // A refused or unreachable mail server leaves the messages marked; the in-app notifications stand.
  }
}

// ---------------------------------------------------------------------------------------------
// Saved searches

function searchDto(r: SavedSearchRow): SavedSearchDto {
  return {
    id: Number(r.id),
    org_id: r.org_id == null ? null : Number(r.org_id),
    user_id: r.user_id == null ? null : Number(r.user_id),
    name: r.name,
    text: r.text,
    kind: r.kind,
    filters: r.filters ?? {},
    created_at: iso(r.created_at)!,
  };
}

/** Saves a search for the actor's organisation (officers: for any organisation, or themselves). */
export async function createSavedSearch(ctx: ServiceContext, input: unknown): Promise<SavedSearchDto> {
  const parsed = savedSearchBody.safeParse(input);
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error));
  const s = parsed.data;
  const { actor } = ctx;
  if (actor.role !== 'organization' && !isOfficer(actor)) throw forbidden();
  if (actor.role === 'organization' && s.org_id !== undefined && s.org_id !== actor.orgId) throw forbidden();
  if (analyze(s.text, 'query').bag.size === 0)
    throw new AppError('MARKET_QUERY_EMPTY', 400, '查询文本没有可以匹配的词（空白、只有符号或表情）', 'The query text has no words to match (blank, symbols or emoji only)', [{ field: 'text' }]);
  const orgId = actor.role === 'organization' ? (actor.orgId ?? null) : (s.org_id ?? null);
  const userId = actor.userId ?? null;
  if (orgId === null && userId === null) throw new AppError('MARKET_SEARCH_OWNER', 400, '请指定保存检索所属的机构（org_id）', 'Say which organisation the saved search belongs to (org_id)', [{ field: 'org_id' }]);
  const id = await ctx.db.transaction(async (tx) => {
    const id = await insertSavedSearch(tx, { org_id: orgId, user_id: userId, name: s.name, text: s.text, kind: s.kind, filters: s.filters, created_by: actor.name });
    await recordAudit(tx, { actor, action: 'create', entity: 'market_saved_search', entityId: id, before: null, after: { id, ...s, org_id: orgId }, requestId: ctx.requestId });
    return id;
  });
  return searchDto((await savedSearches(ctx.db, { id }))[0]);
}

/** The actor's saved searches (its organisation's and its own; the operator sees all). */
export async function listSavedSearches(ctx: ServiceContext): Promise<SavedSearchDto[]> {
  const all = ctx.actor.role === 'system' || ctx.actor.role === 'admin';
  if (!all && ctx.actor.orgId === undefined && ctx.actor.userId === undefined) return [];
  return (await savedSearches(ctx.db, all ? {} : { orgId: ctx.actor.orgId ?? null, userId: ctx.actor.userId ?? null })).map(searchDto);
}

export async function removeSavedSearch(ctx: ServiceContext, id: number): Promise<{ deleted: number }> {
  const [row] = await savedSearches(ctx.db, { id });
  const mine = row && (ctx.actor.role === 'system' || ctx.actor.role === 'admin' || (row.org_id != null && Number(row.org_id) === ctx.actor.orgId) || (row.user_id != null && Number(row.user_id) === ctx.actor.userId));
  if (!row || !mine) throw notFound('saved search', id);
  await ctx.db.transaction(async (tx) => {
    await deleteSavedSearch(tx, id);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'market_saved_search', entityId: id, before: searchDto(row), after: null, requestId: ctx.requestId });
  });
  return { deleted: id };
}

// ---------------------------------------------------------------------------------------------
// Alerts

function alertDto(r: AlertRow): AlertDto {
  const words = alertWords({ kind: r.profile_kind, title: r.profile_title, rank: Number(r.rank), forWhat: r.for_title ? { title: r.for_title } : { search: r.search_name ?? '' } });
  return {
    id: Number(r.id),
    org_id: r.org_id == null ? null : Number(r.org_id),
    for_profile_id: r.for_profile_id == null ? null : Number(r.for_profile_id),
    search_id: r.search_id == null ? null : Number(r.search_id),
    profile: { id: Number(r.profile_id), kind: r.profile_kind, title: r.profile_title },
    rank: Number(r.rank),
    score: Number(r.score),
    reasons: storedReasons(r.reasons),
    message: words.body,
    message_en: words.body_en,
    created_at: iso(r.created_at)!,
    read_at: iso(r.read_at),
  };
}

/** The actor's alerts (its organisation's and its own), newest first. */
export async function listAlerts(ctx: ServiceContext, opts: { unread?: boolean } = {}): Promise<AlertDto[]> {
  const all = ctx.actor.role === 'system' || ctx.actor.role === 'admin';
  return (await alertRows(ctx.db, { all, orgId: ctx.actor.orgId ?? null, userId: ctx.actor.userId ?? null, unread: opts.unread })).map(alertDto);
}

export async function readAlert(ctx: ServiceContext, id: number): Promise<AlertDto> {
  const all = ctx.actor.role === 'system' || ctx.actor.role === 'admin';
  const [row] = await alertRows(ctx.db, { id, all, orgId: ctx.actor.orgId ?? null, userId: ctx.actor.userId ?? null });
  if (!row) throw notFound('alert', id);
  await ctx.db.transaction((tx) => markAlertRead(tx, id));
  return alertDto((await alertRows(ctx.db, { id, all: true }))[0]);
}

/** Rebuilds nothing: forces the next match to re-read partners and talents (after registry imports). */
export function refreshRegistries(ctx: ServiceContext): void {
  if (!isOfficer(ctx.actor)) throw forbidden();
  marketIndexOf(ctx.db).invalidateRegistries();
}
