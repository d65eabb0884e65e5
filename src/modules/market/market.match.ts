/**
 * Matching against the store: a text (Chinese or English) or a stored demand / offer is
 * matched against published offers and demands, foreign partner organisations and talents,
 * each kind in its own index (market.index.ts). Only what the actor may see is returned;
 * expired, unpublished and closed profiles never are. Every result carries its reasons: shared
 * terms with the translation that made them match, field, stage and cooperation fit, the
 * partner country with its strategy direction (analytics, 003 §4.1), past cooperation and the
 * partner's project record. `innolink match --json` and the match API print `MatchResponse`.
 */
import type { Actor } from '../../actor.ts';
import { AppError, validationFailed } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Db } from '../../store/db.ts';
import { countryProfiles, latestIndicatorValues } from '../analytics/analytics.repo.ts';
import { DEFAULT_STRATEGY_RULES, DIRECTION_LABELS, innovationLevel, suggestDirection } from '../analytics/analytics.strategy.ts';
import { zodDetails } from '../registry/zod-details.ts';
import { analyze, type MatchFilters, type Profile, type Reason } from './engine/index.ts';
import { techField } from './market.fields.ts';
import { dayNumber, marketIndexOf, profileDoc, visibleTo, type MarketProfile } from './market.index.ts';
import { pastPartners, recordShown, type ShownRow } from './market.repo.ts';
import {
  COOPERATION_LABELS,
  KIND_OF_FLAG,
  matchQuerySchema,
  type CooperationType,
  type MarketReason,
  type MatchFilterInput,
  type MatchKind,
  type MatchResponse,
  type MatchResultDto,
} from './market.schema.ts';
import { sweepExpiredIfDue, visibleProfile } from './market.service.ts';

/** A ranked result before it is shaped for the reply. */
export interface RankedMatch {
  doc: MarketProfile;
  score: number;
  reasons: Reason[];
  /** Share of the query's term weight the result holds (0–1). */
  coverage: number;
}

/** What a match is asked with: a text, or a stored profile. */
export interface MarketQuery {
  profile: Partial<Profile>;
  /** The stored demand or offer the query is, if any. */
  source?: { kind: 'demand' | 'offer'; id: number; orgId: number | null; regionId: number | null };
}

/** Kinds a query looks in when none is asked for: what a demand needs, or what an offer serves. */
export function defaultKinds(source: MarketQuery['source']): MatchKind[] {
  return source?.kind === 'offer' ? ['demand'] : ['offer', 'partner', 'talent'];
}

export function engineFilters(f: MatchFilterInput): MatchFilters {
  return {
    ...(f.country ? { country: f.country } : {}),
    ...(f.field ? { field: f.field } : {}),
    ...(f.trl_min !== undefined ? { trlMin: f.trl_min } : {}),
    ...(f.trl_max !== undefined ? { trlMax: f.trl_max } : {}),
    ...(f.cooperation ? { cooperation: f.cooperation } : {}),
  };
}

/**
 * The top `top` profiles of `kinds` for a query, merged by score; only profiles the actor
 * sees, not expired, and not the query's own record.
 */
export async function rank(ctx: ServiceContext, q: MarketQuery, kinds: readonly MatchKind[], top: number, filters: MatchFilters = {}): Promise<RankedMatch[]> {
  await sweepExpiredIfDue(ctx);
  const indexes = await marketIndexOf(ctx.db).ready(kinds);
  const today = dayNumber();
  const self = q.source;
  const accept = (p: MarketProfile) =>
    (p.lastDay === null || p.lastDay >= today) && !(self && p.kind === self.kind && p.recordId === self.id) && visibleTo(ctx.actor, p);
  const all: RankedMatch[] = [];
  for (const kind of kinds) {
    const index = indexes.get(kind)!;
    for (const r of index.matchDetailed(q.profile as Profile, { top, filters, accept }).results) {
      all.push({ doc: index.get(r.id)!, score: r.score, reasons: r.reasons, coverage: r.coverage });
    }
  }
  all.sort((a, b) => b.score - a.score || a.doc.kind.localeCompare(b.doc.kind) || a.doc.recordId - b.doc.recordId);
  return all.slice(0, top);
}

// ---------------------------------------------------------------------------------------------
// Reasons

const coopLabel = (c: string, lang: 'zh' | 'en') => COOPERATION_LABELS[c as CooperationType]?.[lang] ?? c;

const STAGE_RE = /TRL (\d+)（(?:需求|查询方) TRL (\d+|null)）/;

/**
 * A reason with the taxonomy's and the cooperation types' labels: the engine's own (which
 * name codes: "技术领域相同：biomedicine", "合作方式相符：licence") or one stored earlier
 * (follow-ups and alerts keep the reasons of their match). The codes are read from the
 * reason's term, so a stored reason is relabelled without its record; labelling a labelled
 * reason changes nothing. `doc` and `qTrl` give the stage reason its TRLs when it is new.
 */
export function relabelReason(r: Reason | MarketReason, doc?: Pick<MarketProfile, 'field' | 'trl'>, qTrl?: number | null): MarketReason {
  switch (r.type) {
    case 'field': {
      const code = r.term ?? doc?.field ?? null;
      const f = techField(code);
      if (!f) return { type: 'field', ...(code ? { term: code } : {}), detail_zh: r.detail_zh, detail_en: r.detail_en };
      return { type: 'field', term: f.code, detail_zh: `技术领域相同：${f.zh}`, detail_en: `same technology field: ${f.en}` };
    }
    case 'cooperation': {
      const shared = (r.term ?? '').split(', ').filter(Boolean);
      if (shared.length === 0) return { type: 'cooperation', detail_zh: r.detail_zh, detail_en: r.detail_en };
      return {
        type: 'cooperation',
        term: r.term,
        detail_zh: `合作方式相符：${shared.map((c) => coopLabel(c, 'zh')).join('、')}`,
        detail_en: `cooperation type fits: ${shared.map((c) => coopLabel(c, 'en')).join(', ')}`,
      };
    }
    case 'stage': {
      const m = STAGE_RE.exec(r.detail_zh);
      const trl = doc?.trl ?? (m ? m[1] : null);
      const q = qTrl ?? (m ? m[2] : null);
      if (trl == null) return { type: 'stage', detail_zh: r.detail_zh, detail_en: r.detail_en };
      return { type: 'stage', detail_zh: `成熟度相近：TRL ${trl}（查询方 TRL ${q}）`, detail_en: `close development stage: TRL ${trl} (query TRL ${q})` };
    }
    default:
      return { type: r.type, ...(r.term !== undefined ? { term: r.term } : {}), ...(r.via !== undefined ? { via: r.via } : {}), detail_zh: r.detail_zh, detail_en: r.detail_en };
  }
}

/** Reasons kept in the store (JSON), relabelled for the reply; anything that is not a reason is left out. */
export function storedReasons(value: unknown): MarketReason[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((r): r is MarketReason => !!r && typeof r === 'object' && typeof (r as MarketReason).type === 'string' && typeof (r as MarketReason).detail_zh === 'string')
    .map((r) => relabelReason(r));
}

interface CountryNote {
  name_zh: string;
  name_en: string;
  detail_zh: string;
  detail_en: string;
}

const STRATEGY_TTL_MS = 600_000;
const strategyCache = new WeakMap<Db, { at: number; notes: Map<string, CountryNote> }>();

/** Each country's name and suggested cooperation direction (the analytics strategy rules), cached for ten minutes. */
async function countryNotes(db: Db, iso3s: string[]): Promise<Map<string, CountryNote>> {
  let cache = strategyCache.get(db);
  if (!cache || Date.now() - cache.at > STRATEGY_TTL_MS) strategyCache.set(db, (cache = { at: Date.now(), notes: new Map() }));
  const missing = iso3s.filter((c) => !cache.notes.has(c));
  if (missing.length > 0) {
    const rules = DEFAULT_STRATEGY_RULES;
    const [profiles, values] = await Promise.all([
      countryProfiles(db, missing),
      latestIndicatorValues(db, [rules.indicator.rank, rules.indicator.band], rules.indicator.year),
    ]);
    const byKey = new Map(values.map((v) => [`${v.iso3}|${v.indicator}`, v]));
    for (const c of profiles) {
      const level = innovationLevel(byKey.get(`${c.iso3}|${rules.indicator.rank}`) ?? null, byKey.get(`${c.iso3}|${rules.indicator.band}`) ?? null);
      const v = suggestDirection({ iso3: c.iso3, groups: c.groups, level }, rules);
      const dir = v.direction ? DIRECTION_LABELS[v.direction] : null;
      cache.notes.set(c.iso3, {
        name_zh: c.name_zh,
        name_en: c.name_en,
        detail_zh: `合作国别：${c.name_zh}（${dir ? `建议“${dir.zh}”` : '暂无合作方向建议'}；${v.reason_zh}）`,
        detail_en: `partner country: ${c.name_en} (${dir ? `suggested: ${dir.en}` : 'no suggested direction'}; ${v.reason_en})`,
      });
    }
  }
  return cache.notes;
}

/**
 * Reasons for every result as the match API shows them: the engine's, relabelled, then
 * country, past cooperation and record. Follow-ups and alerts keep these.
 */
export async function explain(ctx: ServiceContext, q: MarketQuery, ranked: RankedMatch[]): Promise<MarketReason[][]> {
  const qTrl = typeof q.profile.trl === 'number' ? q.profile.trl : null;
  const home = DEFAULT_STRATEGY_RULES.home;
  const countries = [...new Set(ranked.map((r) => r.doc.country).filter((c): c is string => !!c && c.toUpperCase() !== home))].map((c) => c.toUpperCase());
  const notes = countries.length ? await countryNotes(ctx.db, countries) : new Map<string, CountryNote>();
  const partnerIds = ranked.filter((r) => r.doc.kind === 'partner').map((r) => r.doc.recordId);
  const orgId = q.source?.orgId ?? ctx.actor.orgId ?? null;
  const history = orgId !== null && partnerIds.length ? await pastPartners(ctx.db, orgId, partnerIds) : new Map<number, number>();
  return ranked.map((r) => {
    const out = r.reasons.map((x) => relabelReason(x, r.doc, qTrl));
    const note = r.doc.country ? notes.get(r.doc.country.toUpperCase()) : undefined;
    if (note) out.push({ type: 'country', term: r.doc.country!.toUpperCase(), detail_zh: note.detail_zh, detail_en: note.detail_en });
    if (r.doc.kind === 'partner') {
      const together = history.get(r.doc.recordId);
      if (together) out.push({ type: 'history', detail_zh: `过往合作：与查询方共同参与 ${together} 个项目`, detail_en: `past cooperation: ${together} project(s) together with the querying organisation` });
      if (r.doc.projects) {
        const f = techField(r.doc.field);
        out.push({
          type: 'record',
          term: r.doc.field ?? undefined,
          detail_zh: `合作项目经历：${r.doc.projects} 个项目${f ? `，主要领域：${f.zh}` : ''}`,
          detail_en: `project record: ${r.doc.projects} project(s)${f ? `, mainly in ${f.en}` : ''}`,
        });
      }
    }
    return out;
  });
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The title of a result in the asked language, Chinese first otherwise. */
export function titleOf(doc: MarketProfile, lang?: 'zh' | 'en'): string {
  const [a, b] = lang === 'en' ? [doc.title_en, doc.title_zh] : [doc.title_zh, doc.title_en];
  return a || b || doc.title;
}

// ---------------------------------------------------------------------------------------------
// The service

const emptyQuery = () =>
  new AppError('MARKET_QUERY_EMPTY', 400, '查询文本没有可以匹配的词（空白、只有符号或表情）', 'The query text has no words to match (blank, symbols or emoji only)', [{ field: 'text' }]);

/** The query profile of a stored demand or offer the actor may see. */
export async function storedQuery(ctx: ServiceContext, id: number, kind: 'demand' | 'offer'): Promise<MarketQuery> {
  const row = await visibleProfile(ctx, id);
  if (row.kind !== kind)
    throw new AppError(
      'MARKET_PROFILE_KIND',
      400,
      `编号 ${id} 是${row.kind === 'demand' ? '技术需求' : '技术成果'}，不是${kind === 'demand' ? '技术需求' : '技术成果'}`,
      `Profile ${id} is ${row.kind === 'demand' ? 'a demand' : 'an offer'}, not ${kind === 'demand' ? 'a demand' : 'an offer'}`,
      [{ field: kind, value: id }],
    );
  const doc = profileDoc(row);
  return {
    profile: { title: doc.title, summary: doc.summary, field: doc.field, trl: doc.trl, cooperation: doc.cooperation, country: doc.country },
    source: { kind: row.kind, id: Number(row.id), orgId: doc.orgId, regionId: doc.regionId },
  };
}

/**
 * `innolink match` and the match API: a text (`text`) or a stored demand / offer (`demand`,
 * `offer`) → `{ results: [{ kind, id, title, score, reasons }] }`. With `recordShown`, the
 * matches of a stored profile are logged as shown (the top of the follow-up funnel).
 */
export async function matchMarket(ctx: ServiceContext, input: unknown, opts: { recordShown?: boolean } = {}): Promise<MatchResponse> {
  const parsed = matchQuerySchema.safeParse(input ?? {});
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error));
  const q = parsed.data;
  const given = [q.text !== undefined, q.demand !== undefined, q.offer !== undefined].filter(Boolean).length;
  if (given !== 1)
    throw new AppError(
      'MARKET_QUERY_REQUIRED',
      400,
      given === 0 ? '请给出查询文本（text）或需求、成果编号（demand / offer）' : '查询文本、需求编号和成果编号只能给出一个',
      given === 0 ? 'Give a text, or the id of a demand or an offer' : 'Give only one of text, demand and offer',
      [{ field: 'text' }],
    );
  if (q.trl_min !== undefined && q.trl_max !== undefined && q.trl_min > q.trl_max)
    throw new AppError('MARKET_TRL_RANGE', 400, `成熟度范围无效：${q.trl_min}–${q.trl_max}`, `Invalid TRL range: ${q.trl_min}–${q.trl_max}`, [{ field: 'trl_min' }]);
  let mq: MarketQuery;
  if (q.text !== undefined) {
    if (analyze(q.text, 'query').bag.size === 0) throw emptyQuery();
    mq = { profile: { title: q.text } };
  } else mq = await storedQuery(ctx, (q.demand ?? q.offer)!, q.demand !== undefined ? 'demand' : 'offer');
  const kinds = q.kind ? [...new Set(q.kind.map((k) => KIND_OF_FLAG[k]))] : defaultKinds(mq.source);
  const ranked = await rank(ctx, mq, kinds, q.top, engineFilters(q));
  const reasons = await explain(ctx, mq, ranked);
  const results: MatchResultDto[] = ranked.map((r, i) => ({ kind: r.doc.kind, id: r.doc.id, title: titleOf(r.doc, q.lang), score: round(r.score), reasons: reasons[i] }));
  if (opts.recordShown && mq.source && ranked.length > 0 && ctx.actor.role !== 'system') await logShown(ctx, mq.source, ranked);
  return { results };
}

async function logShown(ctx: ServiceContext, source: NonNullable<MarketQuery['source']>, ranked: RankedMatch[]): Promise<void> {
  const rows: ShownRow[] = ranked.map((r) => ({
    kind: r.doc.kind,
    id: r.doc.recordId,
    score: r.score,
    field: r.doc.field ?? null,
    country: r.doc.country ? r.doc.country.toUpperCase() : null,
  }));
  await ctx.db.transaction((tx) => recordShown(tx, source.id, source.regionId, rows));
}

/** Whether `actor` may see an indexed record (for follow-ups on a match). */
export async function indexedRecord(ctx: ServiceContext, kind: MatchKind, id: number, actor: Actor = ctx.actor): Promise<MarketProfile | null> {
  const index = (await marketIndexOf(ctx.db).ready([kind])).get(kind)!;
  const doc = index.get(String(id));
  return doc && visibleTo(actor, doc) ? doc : null;
}
