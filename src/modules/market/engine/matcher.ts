/**
 * The matching core: an incremental BM25 index over bilingual token bags (analyze.ts), plus
 * field, TRL-stage and cooperation-type fit. Profiles are added and removed one at a time; the
 * postings (token → profile → weighted tf) are kept up to date, so a query touches only the
 * postings of its own tokens, never the whole collection. Pure: no database, no I/O.
 */
import { analyze, type Analysis, type BagTerm, type Via } from './analyze.ts';

export const PROFILE_KINDS = ['offer', 'demand', 'partner', 'talent'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

export interface Profile {
  id: string;
  kind: ProfileKind;
  title: string;
  summary?: string | null;
  lang?: 'zh' | 'en' | null;
  field?: string | null;
  /** Technology readiness level, 1–9. */
  trl?: number | null;
  cooperation?: string[] | null;
  country?: string | null;
}

export interface Reason {
  type: 'term' | 'field' | 'stage' | 'cooperation';
  term?: string;
  via?: Via;
  detail_zh: string;
  detail_en: string;
}

export interface MatchResult {
  id: string;
  kind: ProfileKind;
  score: number;
  reasons: Reason[];
}

export interface MatchFilters {
  kind?: ProfileKind | ProfileKind[];
  country?: string | string[];
  field?: string | string[];
  trlMin?: number;
  trlMax?: number;
  /** Profiles offering at least one of these cooperation types. */
  cooperation?: string[];
}

export interface MatchOptions {
  top?: number;
  filters?: MatchFilters;
}

export type MatchQuery = string | Omit<Profile, 'id' | 'kind'> & { id?: string; kind?: ProfileKind };

export interface MatchOutcome {
  results: MatchResult[];
  /** What was done to the query text. */
  query: { tokens: number; truncated: boolean; html: boolean };
}

/** BM25 parameters and the bonuses for structured fit (added to the text score). */
export const SCORING = { k1: 1.2, b: 0.75, field: 1.5, stage: 0.75, cooperation: 0.75, maxReasons: 5, maxDfFraction: 0.02 } as const;

interface Doc {
  profile: Profile;
  analysis: Analysis;
  field: string | null;
  cooperation: Set<string>;
  country: string | null;
}

const key = (s: string | null | undefined): string | null => {
  const k = typeof s === 'string' ? s.normalize('NFKC').trim().toLowerCase() : '';
  return k.length > 0 ? k : null;
};
const asList = <T>(v: T | T[] | undefined): T[] | null => (v === undefined ? null : Array.isArray(v) ? v : [v]);
const validTrl = (t: unknown): number | null => (typeof t === 'number' && Number.isFinite(t) && t >= 1 && t <= 9 ? Math.round(t) : null);
const round = (x: number) => Math.round(x * 1000) / 1000;

/** A min-heap of the `size` best (score, slot) pairs. */
class TopK {
  private items: { score: number; slot: number }[] = [];
  constructor(private readonly size: number) {}
  push(score: number, slot: number): void {
    const h = this.items;
    if (h.length < this.size) {
      h.push({ score, slot });
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p].score <= h[i].score) break;
        [h[p], h[i]] = [h[i], h[p]];
        i = p;
      }
    } else if (this.size > 0 && score > h[0].score) {
      h[0] = { score, slot };
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].score < h[m].score) m = l;
        if (r < h.length && h[r].score < h[m].score) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
  }
  sorted(): { score: number; slot: number }[] {
    return [...this.items].sort((a, b) => b.score - a.score || a.slot - b.slot);
  }
}

export class MatchIndex {
  private docs: (Doc | null)[] = [];
  private free: number[] = [];
  private slotOf = new Map<string, number>();
  private postings = new Map<string, Map<number, number>>();
  private totalLength = 0;
  /** BM25 document length by slot. */
  private lengths: number[] = [];

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds or replaces a profile; cost is that of analysing its text. */
  add(profile: Profile): void {
    if (!profile || typeof profile.id !== 'string') return;
    this.remove(profile.id);
    const text = [profile.title, profile.summary].filter((s) => typeof s === 'string').join('\n');
    const analysis = analyze(text, 'index');
    const doc: Doc = {
      profile,
      analysis,
      field: key(profile.field),
      cooperation: new Set((Array.isArray(profile.cooperation) ? profile.cooperation : []).map(key).filter((c): c is string => c !== null)),
      country: key(profile.country),
    };
    const slot = this.free.pop() ?? this.docs.length;
    this.docs[slot] = doc;
    this.lengths[slot] = analysis.length;
    this.slotOf.set(profile.id, slot);
    for (const [token, t] of analysis.bag) {
      let p = this.postings.get(token);
      if (!p) this.postings.set(token, (p = new Map()));
      p.set(slot, t.w);
    }
    this.totalLength += analysis.length;
  }

  /** Removes a profile (e.g. when it expires); returns whether it was indexed. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const doc = this.docs[slot]!;
    for (const token of doc.analysis.bag.keys()) {
      const p = this.postings.get(token);
      if (!p) continue;
      p.delete(slot);
      if (p.size === 0) this.postings.delete(token);
    }
    this.totalLength -= doc.analysis.length;
    this.docs[slot] = null;
    this.free.push(slot);
    this.slotOf.delete(id);
    return true;
  }

  match(query: MatchQuery, options: MatchOptions = {}): MatchResult[] {
    return this.matchDetailed(query, options).results;
  }

  /** Ranked profiles for a query text or profile, with reasons; never throws on odd input. */
  matchDetailed(query: MatchQuery, options: MatchOptions = {}): MatchOutcome {
    const q: Partial<Profile> = typeof query === 'string' ? { title: query } : query && typeof query === 'object' ? query : {};
    const qText = [q.title, q.summary].filter((s) => typeof s === 'string').join('\n');
    const qa = analyze(qText, 'query');
    const top = Math.max(0, Math.min(1000, Math.floor(Number.isFinite(options.top) ? options.top! : 10)));
    const outcome: MatchOutcome = { results: [], query: { tokens: qa.bag.size, truncated: qa.truncated, html: qa.html } };
    const n = this.slotOf.size;
    if (n === 0 || top === 0) return outcome;

    // Text score: BM25 over the postings of the query's tokens only.
    // Terms in more than maxDfFraction of a large collection (技术, develop …) add little but
    // cost a walk over most profiles: they are skipped unless the query has nothing rarer.
    const avgdl = this.totalLength / n || 1;
    const acc = new Float64Array(this.docs.length);
    const touched: number[] = [];
    const { k1, b, maxDfFraction } = SCORING;
    const terms = [...qa.bag].map(([token, qt]) => ({ qt, p: this.postings.get(token) })).filter((t) => t.p !== undefined);
    const dfCap = n > 1000 ? maxDfFraction * n : Infinity;
    const kept = terms.some((t) => t.p!.size <= dfCap) ? terms.filter((t) => t.p!.size <= dfCap) : terms;
    for (const { qt, p } of kept) {
      const idf = Math.log(1 + (n - p!.size + 0.5) / (p!.size + 0.5));
      const num = idf * qt.w * (k1 + 1);
      for (const [slot, tf] of p!) {
        if (acc[slot] === 0) touched.push(slot);
        acc[slot] += (num * tf) / (tf + k1 * (1 - b + (b * this.lengths[slot]) / avgdl));
      }
    }

    const qField = key(q.field);
    const qTrl = validTrl(q.trl);
    const qCoop = new Set((Array.isArray(q.cooperation) ? q.cooperation : []).map(key).filter((c): c is string => c !== null));
    const structured = qField !== null || qTrl !== null || qCoop.size > 0;
    const filter = compileFilters(options.filters);
    const heap = new TopK(top);
    const consider = (slot: number, text: number) => {
      const doc = this.docs[slot];
      if (!doc || (q.id !== undefined && doc.profile.id === q.id) || !filter(doc)) return;
      const score = text + structuredScore(doc, qField, qTrl, qCoop);
      if (score > 0) heap.push(score, slot);
    };
    if (qa.bag.size > 0) for (const slot of touched) consider(slot, acc[slot]);
    else if (structured) for (let slot = 0; slot < this.docs.length; slot++) consider(slot, 0);

    outcome.results = heap.sorted().map(({ score, slot }) => {
      const doc = this.docs[slot]!;
      return {
        id: doc.profile.id,
        kind: doc.profile.kind,
        score: round(score),
        reasons: [...termReasons(qa, doc, n, this.postings), ...structuredReasons(doc, qField, qTrl, qCoop)],
      };
    });
    return outcome;
  }
}

function compileFilters(f: MatchFilters | undefined): (d: Doc) => boolean {
  if (!f || typeof f !== 'object') return () => true;
  const kinds = asList(f.kind);
  const countries = asList(f.country)?.map(key);
  const fields = asList(f.field)?.map(key);
  const coop = Array.isArray(f.cooperation) ? f.cooperation.map(key).filter((c): c is string => c !== null) : null;
  const trlMin = validTrl(f.trlMin);
  const trlMax = validTrl(f.trlMax);
  return (d) => {
    if (kinds && !kinds.includes(d.profile.kind)) return false;
    if (countries && !countries.includes(d.country)) return false;
    if (fields && !fields.includes(d.field)) return false;
    if (coop && coop.length > 0 && !coop.some((c) => d.cooperation.has(c))) return false;
    const trl = validTrl(d.profile.trl);
    if (trlMin !== null && (trl === null || trl < trlMin)) return false;
    if (trlMax !== null && (trl === null || trl > trlMax)) return false;
    return true;
  };
}

/** Stage fit: 1 for the same TRL or one apart, 0.5 for two apart, else 0. */
function stageFit(a: number | null, b: number | null): number {
  if (a === null || b === null) return 0;
  const d = Math.abs(a - b);
  return d <= 1 ? 1 : d === 2 ? 0.5 : 0;
}

function structuredScore(doc: Doc, qField: string | null, qTrl: number | null, qCoop: Set<string>): number {
  let s = 0;
  if (qField !== null && doc.field === qField) s += SCORING.field;
  s += SCORING.stage * stageFit(qTrl, validTrl(doc.profile.trl));
  if ([...qCoop].some((c) => doc.cooperation.has(c))) s += SCORING.cooperation;
  return s;
}

function structuredReasons(doc: Doc, qField: string | null, qTrl: number | null, qCoop: Set<string>): Reason[] {
  const out: Reason[] = [];
  if (qField !== null && doc.field === qField) {
    out.push({ type: 'field', term: doc.profile.field ?? undefined, detail_zh: `技术领域相同：${doc.profile.field}`, detail_en: `same technology field: ${doc.profile.field}` });
  }
  const trl = validTrl(doc.profile.trl);
  const fit = stageFit(qTrl, trl);
  if (fit > 0) {
    out.push({ type: 'stage', detail_zh: `成熟度相近：TRL ${trl}（需求 TRL ${qTrl}）`, detail_en: `close development stage: TRL ${trl} (query TRL ${qTrl})` });
  }
  const shared = (doc.profile.cooperation ?? []).filter((c) => qCoop.has(key(c) ?? ''));
  if (shared.length > 0) {
    out.push({ type: 'cooperation', term: shared.join(', '), detail_zh: `合作方式相符：${shared.join('、')}`, detail_en: `cooperation type fits: ${shared.join(', ')}` });
  }
  return out;
}

const VIA_ZH: Record<Via, string> = { 'same-language': '同语言', glossary: '经术语表翻译', translation: '经词典翻译' };
const VIA_EN: Record<Via, string> = { 'same-language': 'same language', glossary: 'via the glossary', translation: 'via the dictionary' };

/** The shared terms that contributed most, each with the translation that made it match. */
function termReasons(qa: Analysis, doc: Doc, n: number, postings: Map<string, Map<number, number>>): Reason[] {
  const scored: { token: string; q: BagTerm; d: BagTerm; s: number }[] = [];
  for (const [token, q] of qa.bag) {
    const d = doc.analysis.bag.get(token);
    if (!d) continue;
    const df = postings.get(token)?.size ?? 1;
    scored.push({ token, q, d, s: Math.log(1 + (n - df + 0.5) / (df + 0.5)) * q.w * d.w });
  }
  scored.sort((a, b) => b.s - a.s);
  const seen = new Set<string>();
  const out: Reason[] = [];
  for (const { token, q, d } of scored) {
    const via: Via = q.via !== 'same-language' ? q.via : d.via;
    const pair = via === 'same-language' ? token : q.via !== 'same-language' ? `${q.from} → ${token}` : `${token} ← ${d.from}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    out.push({
      type: 'term',
      term: token,
      via,
      detail_zh: `共同术语「${pair}」（${VIA_ZH[via]}）`,
      detail_en: `shared term "${pair}" (${VIA_EN[via]})`,
    });
    if (out.length >= SCORING.maxReasons) break;
  }
  return out;
}

/** One-shot matching over a list of profiles (builds a throwaway index). */
export function match(query: MatchQuery, profiles: readonly Profile[], options: MatchOptions = {}): MatchResult[] {
  const index = new MatchIndex();
  for (const p of profiles) index.add(p);
  return index.match(query, options);
}
