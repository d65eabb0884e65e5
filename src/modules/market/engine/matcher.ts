/**
 * The matching core: an incremental BM25 index over bilingual token bags (analyze.ts), plus
 * field, TRL-stage and cooperation-type fit. Profiles are added and removed one at a time; the
 * postings (token → profile → weighted tf) are kept up to date, so a query touches only the
 * postings of its own tokens, never the whole collection. Pure: no database, no I/O.
 */
import { analyze, AREA_PREFIX, AREA_WEIGHTS, FIELD_PREFIX, fieldToken, type Analysis, type Bag, type BagTerm, type Via } from './analyze.ts';
import { techArea } from './classify.ts';
import { tokenize } from '../../../text/tokenize.ts';

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
  /** How a shared word matched (a shared technology area is a reason with no route). */
  via?: Exclude<Via, 'area'>;
  detail_zh: string;
  detail_en: string;
}

export interface MatchResult {
  id: string;
  kind: ProfileKind;
  score: number;
  reasons: Reason[];
  /**
   * Share of the query's term weight (idf × query weight, over its terms the collection
   * knows) that the profile contains: 0–1, comparable across queries, unlike the score.
   */
  coverage: number;
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

export interface MatchOptions<P extends Profile = Profile> {
  top?: number;
  filters?: MatchFilters;
  /** The caller's own check (access, expiry …), asked only of profiles that would enter the top. */
  accept?: (profile: P) => boolean;
}

export type MatchQuery = string | Omit<Profile, 'id' | 'kind'> & { id?: string; kind?: ProfileKind };

export interface MatchOutcome {
  results: MatchResult[];
  /** What was done to the query text. */
  query: { tokens: number; truncated: boolean; html: boolean };
}

/**
 * BM25 parameters and the bonuses for structured fit (added to the text score). Length
 * normalisation b is 0.5, not the textbook 0.75: a marketplace mixes title-only offers (a
 * patent's title) with profiles that carry a page of summary, and at 0.75 a short profile
 * that shares one word outranks a long one about the same subject (on the evaluation set, MRR
 * rose on both halves of the English and of the translated queries at 0.5; recall@10 kept).
 */
export const SCORING = { k1: 1.2, b: 0.5, titleWeight: 2, field: 1.5, stage: 0.75, cooperation: 0.75, maxReasons: 5, maxDfFraction: 0.02, context: 0.3 } as const;

interface Doc<P extends Profile = Profile> {
  profile: P;
  /** Its bag, column-wise: token ids, weights, routes (VIAS index) and source words (ids). */
  tokens: Int32Array;
  weights: Float32Array;
  vias: Uint8Array;
  froms: Int32Array;
  field: string | null;
  trl: number | null;
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
  /** The score a newcomer must beat once the heap is full (-Infinity before). */
  get threshold(): number {
    return this.items.length < this.size || this.size === 0 ? -Infinity : this.items[0].score;
  }
  /** Whether a score would enter the heap now. */
  wouldTake(score: number): boolean {
    return this.items.length < this.size || (this.size > 0 && score > this.items[0].score);
  }
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

/** One token's postings: parallel arrays of slots and weighted tf, dead slots skipped lazily. */
interface Posting {
  slots: Int32Array;
  tfs: Float32Array;
  /** Entries used in the arrays (live and dead). */
  n: number;
  /** Live entries: the document frequency. */
  df: number;
}

const EMPTY_I32 = new Int32Array(0);
const VIAS: readonly Via[] = ['same-language', 'glossary', 'translation', 'area'];

function grow<T extends Int32Array | Float32Array | Float64Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2, 8));
  b.set(a);
  return b;
}

/**
 * The index. Postings are typed arrays (slot, weighted tf) per token id, so a query walks flat
 * memory; removal marks the slot dead and compacts a posting once half of it is dead; slots are
 * never reused before a global compaction, so a dead entry can never be mistaken for a new
 * profile. idf uses the live document frequency, so scores equal those of a fresh index.
 * `P` lets callers keep their own fields on each profile (read back by `accept`).
 */
export class MatchIndex<P extends Profile = Profile> {
  private docs: (Doc<P> | null)[] = [];
  private slotOf = new Map<string, number>();
  private tokenIds = new Map<string, number>();
  private tokenNames: string[] = [];
  /** Source words of translated tokens, interned (a reason names the word a token came from). */
  private fromIds = new Map<string, number>();
  private fromNames: string[] = [];
  private postings: Posting[] = [];
  private totalLength = 0;
  /** BM25 document length by slot; -1 for a dead slot. */
  private lengths = new Float64Array(0);
  private dead = 0;
  /**
   * Scratch accumulators, reused by every query (zeroed through `touched`): the words' BM25,
   * the taxonomy tokens' BM25, and the share of the query's taxonomy weight a profile holds.
   */
  private acc = new Float64Array(0);
  private accArea = new Float64Array(0);
  private accCover = new Float64Array(0);
  private seen = new Uint8Array(0);
  private touched = EMPTY_I32;

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** The stored profile with this id, if indexed. */
  get(id: string): P | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.docs[slot]?.profile;
  }

  /** Every indexed profile (no particular order). */
  *profiles(): IterableIterator<P> {
    for (const d of this.docs) if (d) yield d.profile;
  }

  /** Adds or replaces a profile; cost is that of analysing its text. */
  add(profile: P): void {
    if (!profile || typeof profile.id !== 'string') return;
    this.remove(profile.id);
    const analysis = analyzeProfile(profile, 'index');
    const slot = this.docs.length;
    const size = analysis.bag.size;
    const tokens = new Int32Array(size);
    const weights = new Float32Array(size);
    const vias = new Uint8Array(size);
    const froms = new Int32Array(size);
    let i = 0;
    for (const [token, t] of analysis.bag) {
      let id = this.tokenIds.get(token);
      if (id === undefined) {
        id = this.postings.length;
        this.tokenIds.set(token, id);
        this.tokenNames.push(token);
        this.postings.push({ slots: EMPTY_I32, tfs: new Float32Array(0), n: 0, df: 0 });
      }
      let from = t.from === token ? -1 : this.fromIds.get(t.from);
      if (from === undefined) {
        from = this.fromNames.length;
        this.fromIds.set(t.from, from);
        this.fromNames.push(t.from);
      }
      weights[i] = t.w;
      vias[i] = VIAS.indexOf(t.via);
      froms[i] = from;
      const p = this.postings[id];
      p.slots = grow(p.slots, p.n + 1, (n) => new Int32Array(n));
      p.tfs = grow(p.tfs, p.n + 1, (n) => new Float32Array(n));
      p.slots[p.n] = slot;
      p.tfs[p.n] = t.w;
      p.n++;
      p.df++;
      tokens[i++] = id;
    }
    this.docs.push({
      profile,
      tokens,
      weights,
      vias,
      froms,
      field: key(profile.field),
      trl: validTrl(profile.trl),
      cooperation: new Set((Array.isArray(profile.cooperation) ? profile.cooperation : []).map(key).filter((c): c is string => c !== null)),
      country: key(profile.country),
    });
    this.lengths = grow(this.lengths, slot + 1, (n) => new Float64Array(n));
    this.lengths[slot] = analysis.length;
    this.slotOf.set(profile.id, slot);
    this.totalLength += analysis.length;
  }

  /** Removes a profile (e.g. when it expires); returns whether it was indexed. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const doc = this.docs[slot]!;
    this.docs[slot] = null;
    this.totalLength -= this.lengths[slot];
    this.lengths[slot] = -1;
    this.slotOf.delete(id);
    this.dead++;
    for (const t of doc.tokens) {
      const p = this.postings[t];
      p.df--;
      if (p.n - p.df > p.df) this.compactPosting(p);
    }
    if (this.dead > 1024 && this.dead > this.docs.length / 2) this.compactAll();
    return true;
  }

  private compactPosting(p: Posting): void {
    let w = 0;
    for (let r = 0; r < p.n; r++) {
      if (this.docs[p.slots[r]] === null) continue;
      p.slots[w] = p.slots[r];
      p.tfs[w] = p.tfs[r];
      w++;
    }
    p.n = w;
    if (p.slots.length > 4 * Math.max(w, 4)) {
      p.slots = p.slots.slice(0, w);
      p.tfs = p.tfs.slice(0, w);
    }
  }

  /** Renumbers the live slots densely (after many removals). */
  private compactAll(): void {
    const remap = new Int32Array(this.docs.length).fill(-1);
    const docs: Doc<P>[] = [];
    const lengths = new Float64Array(this.slotOf.size);
    for (let s = 0; s < this.docs.length; s++) {
      const d = this.docs[s];
      if (!d) continue;
      remap[s] = docs.length;
      lengths[docs.length] = this.lengths[s];
      this.slotOf.set(d.profile.id, docs.length);
      docs.push(d);
    }
    for (const p of this.postings) {
      let w = 0;
      for (let r = 0; r < p.n; r++) {
        const to = remap[p.slots[r]];
        if (to < 0) continue;
        p.slots[w] = to;
        p.tfs[w] = p.tfs[r];
        w++;
      }
      p.n = w;
    }
    this.docs = docs;
    this.lengths = lengths;
    this.dead = 0;
  }

  match(query: MatchQuery, options: MatchOptions<P> = {}): MatchResult[] {
    return this.matchDetailed(query, options).results;
  }

  /** Ranked profiles for a query text or profile, with reasons; never throws on odd input. */
  matchDetailed(query: MatchQuery, options: MatchOptions<P> = {}): MatchOutcome {
    const q: Partial<Profile> = typeof query === 'string' ? { title: query } : query && typeof query === 'object' ? query : {};
    const qa = analyzeProfile(q, 'query');
    const top = Math.max(0, Math.min(1000, Math.floor(Number.isFinite(options.top) ? options.top! : 10)));
    const outcome: MatchOutcome = { results: [], query: { tokens: qa.bag.size, truncated: qa.truncated, html: qa.html } };
    const n = this.slotOf.size;
    if (n === 0 || top === 0) return outcome;

    // Text score: BM25 over the postings of the query's tokens only, rarest first. Words in
    // more than maxDfFraction of a large collection (技术, develop …), areas and fields only
    // complete the scores of profiles that a rarer word already found ("continue" mode): they
    // cannot bring in profiles of their own, so they cost a walk over flat arrays and nothing
    // else. Profiles that share only areas come after (the bound test below).
    const slots = this.docs.length;
    if (this.acc.length < slots) {
      const size = Math.max(slots, this.acc.length * 2);
      this.acc = new Float64Array(size);
      this.accArea = new Float64Array(size);
      this.accCover = new Float64Array(size);
      this.seen = new Uint8Array(size);
      this.touched = new Int32Array(size);
    }
    const acc = this.acc;
    const accArea = this.accArea;
    const accCover = this.accCover;
    const seen = this.seen;
    const touched = this.touched;
    const lengths = this.lengths;
    let nTouched = 0;
    const { k1, b, maxDfFraction } = SCORING;
    const avgdl = this.totalLength / n || 1;
    const c1 = k1 * (1 - b);
    const c2 = (k1 * b) / avgdl;
    const terms: { id: number; qw: number; p: Posting; kind: 'area' | 'field' | 'word' }[] = [];
    for (const [token, qt] of qa.bag) {
      const id = this.tokenIds.get(token);
      if (id === undefined || this.postings[id].df === 0) continue;
      terms.push({ id, qw: qt.w, p: this.postings[id], kind: qt.via !== 'area' ? 'word' : token.startsWith(AREA_PREFIX) ? 'area' : 'field' });
    }
    const dfCap = n > 1000 ? maxDfFraction * n : Infinity;
    const anyRare = terms.some((t) => t.kind === 'word' && t.p.df <= dfCap);
    const opens = (t: (typeof terms)[number]) => t.kind === 'word' && (!anyRare || t.p.df <= dfCap);
    // The words that find profiles first, then those that only complete scores (common words,
    // areas, fields), so that every profile found gets all of its shared terms.
    terms.sort((x, y) => Number(opens(y)) - Number(opens(x)) || x.p.df - y.p.df);
    let coverMax = 0;
    // Areas may bring in profiles that share no word (that is their point), but only after the
    // words, and only when such a profile could still enter the top k (below).
    const areaTerms: { num: number; idfQw: number; p: Posting }[] = [];
    /** Field token id → its BM25 numerator. */
    const fieldNums = new Map<number, number>();
    for (const t of terms) {
      const { id, qw, p, kind } = t;
      const idf = Math.log(1 + (n - p.df + 0.5) / (p.df + 0.5));
      const num = idf * qw * (k1 + 1);
      const taxonomy = kind !== 'word';
      if (taxonomy) coverMax += idf * qw;
      if (kind === 'area') areaTerms.push({ num, idfQw: idf * qw, p });
      if (kind === 'field') fieldNums.set(id, num);
      const open = opens(t);
      const into = taxonomy ? accArea : acc;
      const ps = p.slots;
      const pt = p.tfs;
      for (let i = 0; i < p.n; i++) {
        const s = ps[i];
        const dl = lengths[s];
        if (dl < 0) continue;
        if (seen[s] === 0) {
          if (!open) continue;
          seen[s] = 1;
          touched[nTouched++] = s;
        }
        const tf = pt[i];
        // Taxonomy tokens saturate without length normalisation: a long abstract is not less
        // about its area than a title is.
        into[s] += (num * tf) / (tf + (taxonomy ? k1 : c1 + c2 * dl));
        if (taxonomy) accCover[s] += idf * qw;
      }
    }
    // The words' score counts in full for a profile in all of the query's areas and fields, and
    // SCORING.context of it for a profile in none: a word shared out of context (a deep-sea
    // sponge for a medical sponge) weighs less than the same word in context.
    const { context } = SCORING;
    const combined = (s: number) => acc[s] * (coverMax > 0 ? context + (1 - context) * Math.min(1, accCover[s] / coverMax) : 1) + accArea[s];

    const qField = key(q.field);
    const qTrl = validTrl(q.trl);
    const qCoop = [...new Set((Array.isArray(q.cooperation) ? q.cooperation : []).map(key).filter((c): c is string => c !== null))];
    const structured = qField !== null || qTrl !== null || qCoop.length > 0;
    const filter = compileFilters<P>(options.filters);
    const accept = typeof options.accept === 'function' ? options.accept : null;
    const heap = new TopK(top);
    // The cheap score first; filters and the caller's access check only for profiles that
    // would enter the current top k.
    const consider = (slot: number, text: number) => {
      const doc = this.docs[slot];
      if (!doc) return;
      const score = text + (structured ? structuredScore(doc, qField, qTrl, qCoop) : 0);
      if (!(score > 0) || !heap.wouldTake(score)) return;
      if ((q.id !== undefined && doc.profile.id === q.id) || !filter(doc) || (accept !== null && !accept(doc.profile))) return;
      heap.push(score, slot);
    };
    try {
      // A query with no text (only its stated field, stage, cooperation) ranks every profile by those.
      const textual = qa.length > 0 || areaTerms.length > 0;
      if (textual) for (let i = 0; i < nTouched; i++) consider(touched[i], combined(touched[i]));
      else if (structured) for (let slot = 0; slot < slots; slot++) consider(slot, combined(slot));
      // Profiles that share only areas with the query score at most `bound`: their postings are
      // walked only when that could beat the k-th best so far (WAND's test), so a query whose
      // words found enough costs nothing more for its areas, however broad.
      const tfMax = AREA_WEIGHTS.area * AREA_WEIGHTS.maxHits;
      const fieldTfMax = AREA_WEIGHTS.field * AREA_WEIGHTS.maxHits + AREA_WEIGHTS.statedField;
      let bound = structured ? SCORING.field + SCORING.stage + SCORING.cooperation : 0;
      for (const t of areaTerms) bound += (t.num * tfMax) / (tfMax + k1);
      for (const num of fieldNums.values()) bound += (num * fieldTfMax) / (fieldTfMax + k1);
      if (areaTerms.length > 0 && bound > heap.threshold) {
        const from = nTouched;
        for (const { num, idfQw, p } of areaTerms) {
          const ps = p.slots;
          const pt = p.tfs;
          for (let i = 0; i < p.n; i++) {
            const s = ps[i];
            if (lengths[s] < 0 || seen[s] === 1) continue;
            if (seen[s] === 0) {
              seen[s] = 2;
              touched[nTouched++] = s;
            }
            const tf = pt[i];
            accArea[s] += (num * tf) / (tf + k1);
            accCover[s] += idfQw;
          }
        }
        // Their fields, read from their own tokens (not from the fields' long postings).
        for (let i = from; i < nTouched; i++) {
          const s = touched[i];
          const doc = this.docs[s];
          if (doc && fieldNums.size > 0) {
            for (let j = 0; j < doc.tokens.length; j++) {
              const num = fieldNums.get(doc.tokens[j]);
              if (num !== undefined) accArea[s] += (num * doc.weights[j]) / (doc.weights[j] + k1);
            }
          }
          consider(s, accArea[s]);
        }
      }
    } finally {
      for (let i = 0; i < nTouched; i++) {
        const s = touched[i];
        acc[s] = 0;
        accArea[s] = 0;
        accCover[s] = 0;
        seen[s] = 0;
      }
    }

    outcome.results = heap.sorted().map(({ score, slot }) => {
      const doc = this.docs[slot]!;
      const bag = this.bagOf(doc);
      return {
        id: doc.profile.id,
        kind: doc.profile.kind,
        score: round(score),
        reasons: [...termReasons(qa, bag, n, (t) => this.df(t), [profileText(doc.profile), profileText(q)]), ...structuredReasons(doc, qField, qTrl, qCoop), ...areaReasons(qa, bag, n, (t) => this.df(t), qField !== null && doc.field === qField)],
        coverage: round(coverage(qa, bag, n, (t) => this.df(t))),
      };
    });
    return outcome;
  }

  /** A profile's bag as analysed when it was added. */
  private bagOf(doc: Doc<P>): Bag {
    const bag: Bag = new Map();
    for (let i = 0; i < doc.tokens.length; i++) {
      const token = this.tokenNames[doc.tokens[i]];
      bag.set(token, { w: doc.weights[i], via: VIAS[doc.vias[i]], from: doc.froms[i] < 0 ? token : this.fromNames[doc.froms[i]] });
    }
    return bag;
  }

  /** Live document frequency of a token. */
  private df(token: string): number {
    const id = this.tokenIds.get(token);
    return id === undefined ? 0 : this.postings[id].df;
  }
}

/** The text a profile is indexed and queried by. */
function profileText(p: Partial<Profile>): string {
  return [p.title, p.summary].filter((s) => typeof s === 'string').join('\n');
}

/** A profile's bag: its text's, and its stated field as a field token (as strong as a few words of the field). */
function analyzeProfile(p: Partial<Profile>, mode: 'index' | 'query'): Analysis {
  const a = analyze(profileText(p), mode);
  // Title words count TITLE_WEIGHT times (BM25F's title field): a title says what a profile is
  // about; its summary also says how, for whom and what else.
  if (mode === 'index' && typeof p.title === 'string' && p.title.trim()) {
    const extra = SCORING.titleWeight - 1;
    for (const [token, t] of analyze(p.title, mode).bag) {
      const had = token.startsWith('~') ? undefined : a.bag.get(token);
      if (!had) continue;
      had.w += t.w * extra;
      a.length += t.w * extra;
    }
  }
  const field = key(p.field);
  if (field !== null) {
    const token = fieldToken(field);
    const t = a.bag.get(token);
    a.bag.set(token, { w: (t?.w ?? 0) + AREA_WEIGHTS.statedField, via: 'area', from: t?.from ?? field });
  }
  return a;
}

function compileFilters<P extends Profile>(f: MatchFilters | undefined): (d: Doc<P>) => boolean {
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
    const trl = d.trl;
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

function structuredScore(doc: Doc, qField: string | null, qTrl: number | null, qCoop: readonly string[]): number {
  let s = 0;
  if (qField !== null && doc.field === qField) s += SCORING.field;
  s += SCORING.stage * stageFit(qTrl, doc.trl);
  for (const c of qCoop) {
    if (doc.cooperation.has(c)) {
      s += SCORING.cooperation;
      break;
    }
  }
  return s;
}

function structuredReasons(doc: Doc, qField: string | null, qTrl: number | null, qCoop: readonly string[]): Reason[] {
  const out: Reason[] = [];
  if (qField !== null && doc.field === qField) {
    out.push({ type: 'field', term: doc.profile.field ?? undefined, detail_zh: `技术领域相同：${doc.profile.field}`, detail_en: `same technology field: ${doc.profile.field}` });
  }
  const trl = doc.trl;
  const fit = stageFit(qTrl, trl);
  if (fit > 0) {
    out.push({ type: 'stage', detail_zh: `成熟度相近：TRL ${trl}（需求 TRL ${qTrl}）`, detail_en: `close development stage: TRL ${trl} (query TRL ${qTrl})` });
  }
  const shared = (Array.isArray(doc.profile.cooperation) ? doc.profile.cooperation : []).filter((c) => qCoop.includes(key(c) ?? ''));
  if (shared.length > 0) {
    out.push({ type: 'cooperation', term: shared.join(', '), detail_zh: `合作方式相符：${shared.join('、')}`, detail_en: `cooperation type fits: ${shared.join(', ')}` });
  }
  return out;
}

const VIA_ZH: Record<Exclude<Via, 'area'>, string> = { 'same-language': '同语言', glossary: '经术语表翻译', translation: '经词典翻译' };
const VIA_EN: Record<Exclude<Via, 'area'>, string> = { 'same-language': 'same language', glossary: 'via the glossary', translation: 'via the dictionary' };

const LATIN_TOKEN = /^\p{Script=Latin}+$/u;
const LATIN_WORD = /\p{Script=Latin}+/gu;

/**
 * English stems as a person reads them: each stem as a word that stems to it, the first one
 * written in `texts` (the profile's text, then the query's), as written in lower case — or in
 * capitals for an acronym (CNC, GIS). A stem found in no text stays as it is.
 */
function wordsForStems(stems: readonly string[], texts: readonly string[]): Map<string, string> {
  const need = new Set(stems.filter((s) => LATIN_TOKEN.test(s)));
  const out = new Map<string, string>();
  for (const text of texts) {
    for (const m of text.matchAll(LATIN_WORD)) {
      if (need.size === 0) return out;
      const [stem] = tokenize(m[0], 'query');
      if (stem === undefined || !need.has(stem)) continue;
      need.delete(stem);
      out.set(stem, m[0].length > 1 && m[0] === m[0].toUpperCase() ? m[0] : m[0].toLowerCase());
    }
  }
  return out;
}

/**
 * The shared terms that contributed most, each with the translation that made it match; an
 * English term shown as the profile writes it (`texts`: its text, then the query's), not as its
 * stem (batteries, not batteri). `term` keeps the token itself.
 */
function termReasons(qa: Analysis, bag: Bag, n: number, dfOf: (token: string) => number, texts: readonly string[]): Reason[] {
  const scored: { token: string; q: BagTerm; d: BagTerm; s: number }[] = [];
  for (const [token, q] of qa.bag) {
    const d = bag.get(token);
    if (!d || q.via === 'area') continue;
    const df = dfOf(token) || 1;
    scored.push({ token, q, d, s: Math.log(1 + (n - df + 0.5) / (df + 0.5)) * q.w * d.w });
  }
  scored.sort((a, b) => b.s - a.s);
  const seen = new Set<string>();
  const out: Reason[] = [];
  const words = wordsForStems(scored.slice(0, 3 * SCORING.maxReasons).map((x) => x.token), texts);
  for (const { token, q, d } of scored) {
    const via = (q.via !== 'same-language' ? q.via : d.via) as Exclude<Via, 'area'>;
    const word = words.get(token) ?? token;
    const pair = via === 'same-language' ? word : q.via !== 'same-language' ? `${q.from} → ${word}` : `${word} ← ${d.from}`;
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

/**
 * The technology areas a profile shares with the query (the two best, with the words that told
 * each side), then the field they share, unless the stated fields already said so (`fieldShown`).
 */
function areaReasons(qa: Analysis, bag: Bag, n: number, dfOf: (token: string) => number, fieldShown: boolean): Reason[] {
  const shared: { token: string; q: BagTerm; d: BagTerm; s: number }[] = [];
  for (const [token, q] of qa.bag) {
    const d = bag.get(token);
    if (!d || q.via !== 'area' || d.via !== 'area') continue;
    const df = dfOf(token) || 1;
    shared.push({ token, q, d, s: Math.log(1 + (n - df + 0.5) / (df + 0.5)) * q.w * d.w });
  }
  shared.sort((a, b) => b.s - a.s);
  const out: Reason[] = [];
  const words = (q: BagTerm, d: BagTerm) => (q.from === d.from ? q.from : `${q.from} ↔ ${d.from}`);
  for (const { token, q, d } of shared) {
    const area = token.startsWith(AREA_PREFIX) ? techArea(token.slice(AREA_PREFIX.length)) : undefined;
    if (!area || out.length >= 2) continue;
    out.push({
      type: 'term',
      term: area.code,
      detail_zh: `同属技术方向「${area.zh}」：${words(q, d)}`,
      detail_en: `same technology area "${area.en}": ${words(q, d)}`,
    });
  }
  const field = shared.find((x) => x.token.startsWith(FIELD_PREFIX));
  const code = field?.token.slice(FIELD_PREFIX.length);
  if (field && !fieldShown) {
    out.push({ type: 'field', term: code, detail_zh: `技术领域相同：${code}（${words(field.q, field.d)}）`, detail_en: `same technology field: ${code} (${words(field.q, field.d)})` });
  }
  return out;
}

function coverage(qa: Analysis, bag: Bag, n: number, dfOf: (token: string) => number): number {
  let all = 0;
  let shared = 0;
  for (const [token, q] of qa.bag) {
    const df = dfOf(token);
    if (df === 0 || q.via === 'area') continue;
    const w = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * q.w;
    all += w;
    if (bag.has(token)) shared += w;
  }
  return all > 0 ? shared / all : 0;
}

/** One-shot matching over a list of profiles (builds a throwaway index). */
export function match<P extends Profile>(query: MatchQuery, profiles: readonly P[], options: MatchOptions<P> = {}): MatchResult[] {
  const index = new MatchIndex<P>();
  for (const p of profiles) index.add(p);
  return index.match(query, options);
}
