/**
 * SQL of the marketplace: profiles and their workflow events, the rows the matching index is
 * built from (published profiles, foreign partner organisations with their project and
 * platform history, talents), matches shown, follow-ups, saved searches and alerts. Every
 * function takes the store or an open transaction first.
 */
import type { Sql } from '../../store/db.ts';
import { fillSearchVectors } from '../../store/search.ts';
import { searchDocument } from '../../text/tokenize.ts';

export type AddParam = (value: unknown) => string;

/** Parameters collected while a query is built. */
export function params(): { values: unknown[]; add: AddParam } {
  const values: unknown[] = [];
  return { values, add: (v) => `$${values.push(v)}` };
}

// ---------------------------------------------------------------------------------------------
// Profiles

export interface ProfileRow {
  id: number;
  kind: 'demand' | 'offer';
  status: string;
  title_zh: string | null;
  title_en: string | null;
  summary_zh: string | null;
  summary_en: string | null;
  problem: string | null;
  advantages: string | null;
  field: string | null;
  keywords: string[];
  trl: number | null;
  ipr: string | null;
  cooperation: string[];
  org_id: number | null;
  org_name: string | null;
  country_iso3: string | null;
  region_id: number | null;
  region_path: string | null;
  expires_on: string | null;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | string | null;
  submitted_at: Date | string | null;
  published_at: Date | string | null;
  closed_reason: string | null;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  /** updated_at as text, exact to the microsecond (the index's change stamp). */
  stamp: string;
}

/** The columns of a profile row (all but its search vector, which only the database reads). */
const PROFILE_ROW_COLUMNS = [
  'id', 'kind', 'status', 'title_zh', 'title_en', 'summary_zh', 'summary_en', 'problem', 'advantages', 'field', 'keywords', 'trl', 'ipr',
  'cooperation', 'org_id', 'country_iso3', 'region_id', 'expires_on', 'review_comment', 'reviewed_by', 'reviewed_at', 'submitted_at',
  'published_at', 'closed_reason', 'created_by', 'created_at', 'updated_at',
].map((c) => `p.${c}`).join(', ');

const PROFILE_SELECT = `
  SELECT ${PROFILE_ROW_COLUMNS}, coalesce(o.name_zh, o.name_en) AS org_name, r.path AS region_path, p.updated_at::text AS stamp
  FROM market_profiles p
  LEFT JOIN organizations o ON o.id = p.org_id
  LEFT JOIN admin_regions r ON r.id = p.region_id`;

/** Columns a create or an edit may set. */
export const PROFILE_COLUMNS = [
  'kind',
  'title_zh',
  'title_en',
  'summary_zh',
  'summary_en',
  'problem',
  'advantages',
  'field',
  'keywords',
  'trl',
  'ipr',
  'cooperation',
  'org_id',
  'country_iso3',
  'region_id',
  'expires_on',
] as const;
const ARRAY_COLUMNS = new Set(['keywords', 'cooperation']);

export async function profileById(db: Sql, id: number): Promise<ProfileRow | null> {
  return (await db.query<ProfileRow>(`${PROFILE_SELECT} WHERE p.id = $1`, [id]))[0] ?? null;
}

/** The searched text columns of a profile, in the order of its search document. */
export const PROFILE_TEXT_COLUMNS = ['title_zh', 'title_en', 'summary_zh', 'summary_en', 'problem', 'advantages', 'keywords'] as const;
type ProfileText = { [K in (typeof PROFILE_TEXT_COLUMNS)[number]]?: unknown };

/** The search document of a profile (the project tokenizer's tokens of its searched text). */
export function profileSearchDocument(r: ProfileText): string {
  const text = (v: unknown) => (Array.isArray(v) ? v.join(' ') : typeof v === 'string' ? v : null);
  return searchDocument(...PROFILE_TEXT_COLUMNS.map((c) => text(r[c])));
}

/** Inserts a profile with its search vector; returns its id. */
export async function insertProfile(tx: Sql, row: Record<string, unknown>, createdBy: string): Promise<number> {
  const cols = PROFILE_COLUMNS.filter((c) => row[c] !== undefined);
  const p = params();
  const values = cols.map((c) => `${p.add(row[c])}${ARRAY_COLUMNS.has(c) ? '::text[]' : ''}`);
  const search = `to_tsvector('simple', ${p.add(profileSearchDocument(row))})`;
  const [r] = await tx.query<{ id: number }>(
    `INSERT INTO market_profiles (${[...cols, 'created_by', 'search'].join(', ')}) VALUES (${[...values, p.add(createdBy), search].join(', ')}) RETURNING id`,
    p.values,
  );
  return Number(r.id);
}

/**
 * Sets columns of a profile (content or workflow) and its updated_at; a change of its text
 * writes its search vector again (migration 010 clears it on such a change).
 */
export async function updateProfileRow(tx: Sql, id: number, set: Record<string, unknown>): Promise<void> {
  const p = params();
  const sets = Object.entries(set)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      if (!/^[a-z_]+$/.test(k)) throw new Error(`bad column ${k}`);
      if (v === NOW) return `${k} = now()`;
      return `${k} = ${p.add(v)}${ARRAY_COLUMNS.has(k) ? '::text[]' : ''}`;
    });
  sets.push('updated_at = now()');
  await tx.query(`UPDATE market_profiles SET ${sets.join(', ')} WHERE id = ${p.add(id)}`, p.values);
  if (PROFILE_TEXT_COLUMNS.some((c) => set[c] !== undefined)) await fillProfileSearch(tx, [id]);
}

/** Rows filled per statement by fillProfileSearch. */
const SEARCH_BATCH = 1000;

/**
 * Writes the search vector of the profiles that have none: those given (ids), or all of them.
 * Returns how many were written. The vector alone moves no change stamp (migration 010).
 */
export async function fillProfileSearch(db: Sql, ids?: number[]): Promise<number> {
  return fillSearchVectors<ProfileText & { id: number }>(db, { table: 'market_profiles', columns: PROFILE_TEXT_COLUMNS, doc: profileSearchDocument, ids, batch: SEARCH_BATCH });
}

/** Marks a column value as "the transaction's time" in updateProfileRow. */
export const NOW = Symbol('now');

export async function deleteProfileRow(tx: Sql, id: number): Promise<void> {
  await tx.query('DELETE FROM market_profiles WHERE id = $1', [id]);
}

export async function insertProfileEvent(
  tx: Sql,
  e: { profileId: number; action: string; from: string | null; to: string; comment?: string | null; actor: string },
): Promise<void> {
  await tx.query('INSERT INTO market_profile_events (profile_id, action, from_status, to_status, comment, actor) VALUES ($1, $2, $3, $4, $5, $6)', [
    e.profileId,
    e.action,
    e.from,
    e.to,
    e.comment ?? null,
    e.actor,
  ]);
}

export interface ProfileEventRow {
  action: string;
  from_status: string | null;
  to_status: string;
  comment: string | null;
  actor: string;
  at: Date | string;
}

export async function profileEvents(db: Sql, id: number): Promise<ProfileEventRow[]> {
  return db.query<ProfileEventRow>('SELECT action, from_status, to_status, comment, actor, at FROM market_profile_events WHERE profile_id = $1 ORDER BY id', [id]);
}

/** The newest change first: the list's order when none is asked for. */
export const DEFAULT_PROFILE_ORDER = 'ORDER BY p.updated_at DESC, p.id DESC';

/** Profiles matching `where` (over `p`, the profile, and `o`, its organisation), counted and one page of them. */
export async function listProfileRows(
  db: Sql,
  where: string[],
  values: unknown[],
  page: { limit: number; offset: number },
  orderBy = DEFAULT_PROFILE_ORDER,
): Promise<{ items: ProfileRow[]; total: number }> {
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM market_profiles p LEFT JOIN organizations o ON o.id = p.org_id ${w}`, values);
  const items = await pageOfProfiles(db, w, values, page, orderBy);
  return { items, total: Number(n) };
}

/** One page of the profiles matching a WHERE clause, in the given order (no count). */
export async function pageOfProfiles(db: Sql, w: string, values: unknown[], page: { limit: number; offset: number }, orderBy = DEFAULT_PROFILE_ORDER): Promise<ProfileRow[]> {
  return db.query<ProfileRow>(`${PROFILE_SELECT} ${w} ${orderBy} LIMIT ${page.limit} OFFSET ${page.offset}`, values);
}

/** The text a profile is searched by: titles, summaries, problem, advantages and keywords. */
export const PROFILE_SEARCH_TEXT = `concat_ws(' ', p.title_zh, p.title_en, p.summary_zh, p.summary_en, p.problem, p.advantages, array_to_string(p.keywords, ' '))`;

/** The path of a region, for access decisions. */
export async function regionPath(db: Sql, regionId: number | null): Promise<string | null> {
  if (regionId == null) return null;
  return (await db.query<{ path: string }>('SELECT path FROM admin_regions WHERE id = $1', [regionId]))[0]?.path ?? null;
}

export interface OrgBrief {
  id: number;
  name: string;
  region_id: number | null;
  region_path: string | null;
  country_iso3: string | null;
  domestic: boolean;
  classification: string;
}

export async function orgBrief(db: Sql, id: number): Promise<OrgBrief | null> {
  const [r] = await db.query<OrgBrief>(
    `SELECT o.id, coalesce(o.name_zh, o.name_en) AS name, o.region_id, r.path AS region_path, o.country_iso3, o.domestic, o.classification
     FROM organizations o LEFT JOIN admin_regions r ON r.id = o.region_id WHERE o.id = $1`,
    [id],
  );
  return r ? { ...r, id: Number(r.id), region_id: r.region_id == null ? null : Number(r.region_id) } : null;
}

// ---------------------------------------------------------------------------------------------
// The index's sources

/** Locks the profiles' version row for this transaction and returns it. */
export async function lockProfilesVersion(tx: Sql): Promise<number> {
  const [r] = await tx.query<{ version: number }>(`SELECT version FROM market_index_version WHERE source = 'profiles' FOR UPDATE`);
  return Number(r.version);
}

export async function profilesVersion(db: Sql): Promise<number> {
  const [r] = await db.query<{ version: number }>(`SELECT version FROM market_index_version WHERE source = 'profiles'`);
  return Number(r.version);
}

/** Published profiles (of a kind, or by id), with what the index needs. */
export async function publishedProfiles(db: Sql, f: { kind?: 'demand' | 'offer'; ids?: number[] }): Promise<ProfileRow[]> {
  const p = params();
  const where = [`p.status = 'published'`];
  if (f.kind) where.push(`p.kind = ${p.add(f.kind)}`);
  if (f.ids) where.push(`p.id = ANY(${p.add(f.ids)}::bigint[])`);
  return db.query<ProfileRow>(`${PROFILE_SELECT} WHERE ${where.join(' AND ')} ORDER BY p.id`, p.values);
}

/** Id and last change of every published profile of a kind (to reconcile the index). */
export async function publishedStamps(db: Sql, kind: 'demand' | 'offer'): Promise<{ id: number; stamp: string }[]> {
  return db.query<{ id: number; stamp: string }>(
    `SELECT id, updated_at::text AS stamp FROM market_profiles WHERE status = 'published' AND kind = $1`,
    [kind],
  );
}

/** Whether any published profile is past its expiry date. */
export async function anyExpireDue(db: Sql): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM market_profiles WHERE status = 'published' AND expires_on < current_date LIMIT 1`)).length > 0;
}

/** Published profiles past their expiry: set to expired; returns their ids. */
export async function expireDueRows(tx: Sql): Promise<{ id: number; expires_on: string }[]> {
  return tx.query<{ id: number; expires_on: string }>(
    `UPDATE market_profiles SET status = 'expired', updated_at = now()
     WHERE status = 'published' AND expires_on < current_date RETURNING id, expires_on`,
  );
}

export interface PartnerRow {
  id: number;
  name_zh: string | null;
  name_en: string | null;
  country_iso3: string | null;
  region_id: number | null;
  region_path: string | null;
  classification: string;
  /** Titles, fields and keywords of its projects (newest first, at most 30) and platforms. */
  history: string | null;
  /** Field and industry of each of those projects, '|'-separated. */
  fields: string | null;
  platforms: string | null;
  projects: number;
  stamp: string;
}

/**
 * Foreign organisations (domestic = false) with the titles, fields and keywords of their
 * latest 30 projects and the names of the platforms they host: what a partner is matched by.
 */
export async function partnerRows(db: Sql, ids?: number[]): Promise<PartnerRow[]> {
  const p = params();
  const filter = ids ? `AND o.id = ANY(${p.add(ids)}::bigint[])` : '';
  return db.query<PartnerRow>(
    `SELECT o.id, o.name_zh, o.name_en, o.country_iso3, o.region_id, r.path AS region_path, o.classification,
            h.history, h.fields, coalesce(h.projects, 0)::int AS projects,
            md5(concat_ws('|', o.updated_at::text, h.history, h.fields, pl.names)) AS stamp,
            pl.names AS platforms
     FROM organizations o
     LEFT JOIN admin_regions r ON r.id = o.region_id
     LEFT JOIN LATERAL (
       SELECT string_agg(concat_ws(' ', x.title_zh, x.title_en, x.keywords), E'\\n') AS history,
              string_agg(concat_ws(' ', x.field, x.industry), '|') AS fields,
              count(*) AS projects
       FROM (SELECT pr.title_zh, pr.title_en, pr.keywords, pr.field, pr.industry
             FROM projects pr
             WHERE pr.id IN (SELECT pp.project_id FROM project_partners pp WHERE pp.org_id = o.id UNION SELECT pr2.id FROM projects pr2 WHERE pr2.lead_org_id = o.id)
             ORDER BY pr.start_date DESC NULLS LAST, pr.id DESC
             LIMIT 30) x
     ) h ON true
     LEFT JOIN LATERAL (
       SELECT string_agg(concat_ws(' ', pf.name_zh, pf.name_en), E'\\n') AS names FROM platforms pf WHERE pf.host_org_id = o.id
     ) pl ON true
     WHERE o.domestic = false ${filter}
     ORDER BY o.id`,
    p.values,
  );
}

export interface TalentRow {
  id: number;
  name: string;
  name_en: string | null;
  title: string | null;
  fields: string | null;
  affiliation: string | null;
  affiliation_org_id: number | null;
  nationality_iso3: string | null;
  region_id: number | null;
  region_path: string | null;
  classification: string;
  note: string | null;
  stamp: string;
}

export async function talentRows(db: Sql, ids?: number[]): Promise<TalentRow[]> {
  const p = params();
  const filter = ids ? `WHERE t.id = ANY(${p.add(ids)}::bigint[])` : '';
  return db.query<TalentRow>(
    `SELECT t.id, t.name, t.name_en, t.title, t.fields, coalesce(t.affiliation, o.name_zh, o.name_en) AS affiliation, t.affiliation_org_id,
            t.nationality_iso3, t.region_id, r.path AS region_path, t.classification, t.note, t.updated_at::text AS stamp
     FROM talents t
     LEFT JOIN organizations o ON o.id = t.affiliation_org_id
     LEFT JOIN admin_regions r ON r.id = t.region_id
     ${filter}
     ORDER BY t.id`,
    p.values,
  );
}

/** A fingerprint of the registries partners and talents are built from (counts, last change). */
export async function registryFingerprint(db: Sql): Promise<{ partners: string; talents: string }> {
  const [r] = await db.query<{ partners: string; talents: string }>(
    `SELECT concat_ws('|', (SELECT count(*) FROM organizations WHERE domestic = false), (SELECT max(updated_at) FROM organizations),
                      (SELECT count(*) FROM projects), (SELECT max(updated_at) FROM projects), (SELECT count(*) FROM project_partners),
                      (SELECT count(*) FROM platforms), (SELECT max(updated_at) FROM platforms)) AS partners,
            concat_ws('|', (SELECT count(*) FROM talents), (SELECT max(updated_at) FROM talents)) AS talents`,
  );
  return r;
}

// ---------------------------------------------------------------------------------------------
// Reasons: country strategy and past cooperation

/** Organisations that took part in a project together with `orgId` (any role), with the count. */
export async function pastPartners(db: Sql, orgId: number, candidates: number[]): Promise<Map<number, number>> {
  if (candidates.length === 0) return new Map();
  const rows = await db.query<{ org_id: number; n: number }>(
    `WITH mine AS (
       SELECT project_id FROM project_partners WHERE org_id = $1 UNION SELECT id FROM projects WHERE lead_org_id = $1
     ), theirs AS (
       SELECT pp.org_id, pp.project_id FROM project_partners pp WHERE pp.org_id = ANY($2::bigint[])
       UNION SELECT pr.lead_org_id, pr.id FROM projects pr WHERE pr.lead_org_id = ANY($2::bigint[])
     )
     SELECT t.org_id, count(DISTINCT t.project_id)::int AS n FROM theirs t JOIN mine m ON m.project_id = t.project_id GROUP BY t.org_id`,
    [orgId, candidates],
  );
  return new Map(rows.map((r) => [Number(r.org_id), Number(r.n)]));
}

export interface CountryNameRow {
  iso3: string;
  name_zh: string;
  name_en: string;
}

export async function countryNames(db: Sql, iso3s: string[]): Promise<CountryNameRow[]> {
  if (iso3s.length === 0) return [];
  return db.query<CountryNameRow>('SELECT iso3, name_zh, name_en FROM countries WHERE iso3 = ANY($1::text[])', [iso3s]);
}

// ---------------------------------------------------------------------------------------------
// Matches shown, follow-ups

export interface ShownRow {
  kind: string;
  id: number;
  score: number;
  field: string | null;
  country: string | null;
}

export async function recordShown(tx: Sql, profileId: number, regionId: number | null, shown: ShownRow[]): Promise<void> {
  if (shown.length === 0) return;
  await tx.query(
    `INSERT INTO market_matches_shown (profile_id, target_kind, target_id, score, field, country_iso3, region_id)
     SELECT $1, k, i, s, f, c, $7 FROM unnest($2::text[], $3::bigint[], $4::numeric[], $5::text[], $6::text[]) AS u(k, i, s, f, c)
     ON CONFLICT (profile_id, target_kind, target_id)
     DO UPDATE SET last_shown = now(), times = market_matches_shown.times + 1, score = excluded.score`,
    [profileId, shown.map((s) => s.kind), shown.map((s) => s.id), shown.map((s) => s.score), shown.map((s) => s.field), shown.map((s) => s.country), regionId],
  );
}

/** Matches shown (distinct profile and target), grouped by field, country and creation date. */
export async function shownRows(db: Sql, where: string[], values: unknown[]): Promise<{ field: string | null; country: string | null; n: number }[]> {
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  return db.query<{ field: string | null; country: string | null; n: number }>(
    `SELECT s.field, s.country_iso3 AS country, count(*)::int AS n FROM market_matches_shown s ${w} GROUP BY 1, 2`,
    values,
  );
}

export interface FollowupRow {
  id: number;
  profile_id: number | null;
  org_id: number | null;
  target_kind: 'offer' | 'demand' | 'partner' | 'talent';
  target_id: number;
  intermediary_org_id: number | null;
  field: string | null;
  country_iso3: string | null;
  region_id: number | null;
  region_path: string | null;
  stage: string;
  reached: string;
  stage_since: Date | string;
  outcome: string | null;
  dropped_reason: string | null;
  project_id: number | null;
  output_id: number | null;
  score: number | null;
  reasons: unknown;
  note: string | null;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const FOLLOWUP_SELECT = `SELECT f.*, r.path AS region_path FROM market_followups f LEFT JOIN admin_regions r ON r.id = f.region_id`;

export async function followupById(db: Sql, id: number): Promise<FollowupRow | null> {
  return (await db.query<FollowupRow>(`${FOLLOWUP_SELECT} WHERE f.id = $1`, [id]))[0] ?? null;
}

export async function insertFollowup(tx: Sql, r: Record<string, unknown>): Promise<number> {
  const cols = Object.keys(r).filter((k) => r[k] !== undefined);
  const p = params();
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO market_followups (${cols.join(', ')}) VALUES (${cols.map((c) => (c === 'reasons' ? `${p.add(JSON.stringify(r[c]))}::jsonb` : p.add(r[c]))).join(', ')}) RETURNING id`,
    p.values,
  );
  return Number(row.id);
}

export async function updateFollowupRow(tx: Sql, id: number, set: Record<string, unknown>): Promise<void> {
  const p = params();
  const sets = Object.entries(set)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === NOW ? `${k} = now()` : `${k} = ${p.add(v)}`));
  sets.push('updated_at = now()');
  await tx.query(`UPDATE market_followups SET ${sets.join(', ')} WHERE id = ${p.add(id)}`, p.values);
}

export async function insertFollowupEvent(tx: Sql, e: { followupId: number; from: string | null; to: string; note?: string | null; actor: string }): Promise<void> {
  await tx.query('INSERT INTO market_followup_events (followup_id, from_stage, to_stage, note, actor) VALUES ($1, $2, $3, $4, $5)', [
    e.followupId,
    e.from,
    e.to,
    e.note ?? null,
    e.actor,
  ]);
}

export async function listFollowupRows(db: Sql, where: string[], values: unknown[], limit = 500): Promise<FollowupRow[]> {
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  return db.query<FollowupRow>(`${FOLLOWUP_SELECT} ${w} ORDER BY f.updated_at DESC, f.id DESC LIMIT ${limit}`, values);
}

/** Stage entries with their durations (days), for time in each stage. */
export async function stageDurations(db: Sql, followupIds: number[]): Promise<{ stage: string; days: number }[]> {
  if (followupIds.length === 0) return [];
  return db.query<{ stage: string; days: number }>(
    `SELECT e.to_stage AS stage,
            extract(epoch FROM (coalesce(lead(e.at) OVER (PARTITION BY e.followup_id ORDER BY e.id), now()) - e.at)) / 86400.0 AS days
     FROM market_followup_events e WHERE e.followup_id = ANY($1::bigint[])`,
    [followupIds],
  );
}

export async function titlesOf(db: Sql, table: 'projects' | 'outputs', ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const expr = table === 'projects' ? 'coalesce(title_zh, title_en)' : 'title';
  const rows = await db.query<{ id: number; title: string }>(`SELECT id, ${expr} AS title FROM ${table} WHERE id = ANY($1::bigint[])`, [ids]);
  return new Map(rows.map((r) => [Number(r.id), r.title]));
}

// ---------------------------------------------------------------------------------------------
// Saved searches and alerts

export interface SavedSearchRow {
  id: number;
  org_id: number | null;
  user_id: number | null;
  name: string;
  text: string;
  kind: 'demand' | 'offer';
  filters: Record<string, unknown>;
  created_by: string | null;
  created_at: Date | string;
}

export async function insertSavedSearch(tx: Sql, r: { org_id: number | null; user_id: number | null; name: string; text: string; kind: string; filters: unknown; created_by: string }): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    'INSERT INTO market_saved_searches (org_id, user_id, name, text, kind, filters, created_by) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING id',
    [r.org_id, r.user_id, r.name, r.text, r.kind, JSON.stringify(r.filters ?? {}), r.created_by],
  );
  return Number(row.id);
}

export async function savedSearches(db: Sql, f: { orgId?: number | null; userId?: number | null; kind?: string; id?: number }): Promise<SavedSearchRow[]> {
  const p = params();
  const where: string[] = [];
  if (f.id !== undefined) where.push(`id = ${p.add(f.id)}`);
  if (f.kind !== undefined) where.push(`kind = ${p.add(f.kind)}`);
  const owner: string[] = [];
  if (f.orgId != null) owner.push(`org_id = ${p.add(f.orgId)}`);
  if (f.userId != null) owner.push(`user_id = ${p.add(f.userId)}`);
  if (owner.length) where.push(`(${owner.join(' OR ')})`);
  return db.query<SavedSearchRow>(`SELECT * FROM market_saved_searches ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, p.values);
}

export async function deleteSavedSearch(tx: Sql, id: number): Promise<void> {
  await tx.query('DELETE FROM market_saved_searches WHERE id = $1', [id]);
}

/** Writes an alert unless the same one exists; returns its id, or null when it existed. */
export async function insertAlert(
  tx: Sql,
  a: { org_id: number | null; user_id: number | null; for_profile_id: number | null; search_id: number | null; profile_id: number; rank: number; score: number; reasons: unknown },
): Promise<number | null> {
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO market_alerts (org_id, user_id, for_profile_id, search_id, profile_id, rank, score, reasons)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
     ON CONFLICT (coalesce(for_profile_id, 0), coalesce(search_id, 0), profile_id) DO NOTHING RETURNING id`,
    [a.org_id, a.user_id, a.for_profile_id, a.search_id, a.profile_id, a.rank, a.score, JSON.stringify(a.reasons)],
  );
  return rows.length > 0 ? Number(rows[0].id) : null;
}

/** The active users acting for an organisation (who hear of its alerts). */
export async function orgUserIds(db: Sql, orgId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>('SELECT id FROM users WHERE org_id = $1 AND disabled_at IS NULL ORDER BY id', [orgId]);
  return rows.map((r) => Number(r.id));
}

export interface AlertRow {
  id: number;
  org_id: number | null;
  user_id: number | null;
  for_profile_id: number | null;
  search_id: number | null;
  profile_id: number;
  profile_kind: 'demand' | 'offer';
  profile_title: string;
  for_title: string | null;
  search_name: string | null;
  rank: number;
  score: number;
  reasons: unknown;
  created_at: Date | string;
  read_at: Date | string | null;
}

export async function alertRows(db: Sql, f: { orgId?: number | null; userId?: number | null; all?: boolean; unread?: boolean; id?: number }): Promise<AlertRow[]> {
  const p = params();
  const where: string[] = [];
  if (f.id !== undefined) where.push(`a.id = ${p.add(f.id)}`);
  if (!f.all) {
    const owner: string[] = [];
    if (f.orgId != null) owner.push(`a.org_id = ${p.add(f.orgId)}`);
    if (f.userId != null) owner.push(`a.user_id = ${p.add(f.userId)}`);
    where.push(owner.length ? `(${owner.join(' OR ')})` : 'false');
  }
  if (f.unread) where.push('a.read_at IS NULL');
  return db.query<AlertRow>(
    `SELECT a.*, np.kind AS profile_kind, coalesce(np.title_zh, np.title_en) AS profile_title,
            coalesce(fp.title_zh, fp.title_en) AS for_title, s.name AS search_name
     FROM market_alerts a
     JOIN market_profiles np ON np.id = a.profile_id
     LEFT JOIN market_profiles fp ON fp.id = a.for_profile_id
     LEFT JOIN market_saved_searches s ON s.id = a.search_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY a.created_at DESC, a.id DESC LIMIT 500`,
    p.values,
  );
}

export async function markAlertRead(tx: Sql, id: number): Promise<void> {
  await tx.query('UPDATE market_alerts SET read_at = coalesce(read_at, now()) WHERE id = $1', [id]);
}
