/**
 * Retrieval figures of the matcher on the evaluation fixture (judgements.json): recall@10,
 * MRR and nDCG@10 for each query set (en-en and zh-zh monolingual, zh-en and en-zh
 * cross-lingual, zh-en-topics the en-en topics in Chinese, en-en-titles the zh-en titles in
 * English). Each set is ranked against the documents of its target language, one
 * engine index per language as the store keeps one per kind; the query's own document is
 * left out.
 */
import { MatchIndex, type Profile } from '../engine/index.ts';
import type { EvalDoc } from './collection.ts';

export const EVAL_SETS = ['en-en', 'zh-zh', 'zh-en', 'en-zh', 'zh-en-topics', 'en-en-titles'] as const;
export type EvalSet = (typeof EVAL_SETS)[number];
const TARGET: Record<EvalSet, 'zh' | 'en'> = { 'en-en': 'en', 'zh-zh': 'zh', 'zh-en': 'en', 'en-zh': 'zh', 'zh-en-topics': 'en', 'en-en-titles': 'en' };

export interface EvalQuery {
  id: string;
  set: EvalSet;
  text: string;
  /** The collection document the query is taken from (left out of its ranking). */
  self: string | null;
  note: string;
}

export interface EvalJudgement {
  query: string;
  doc: string;
  grade: 1 | 2;
  how: string;
}

export interface EvalFixture {
  about: string;
  queries: EvalQuery[];
  judgements: EvalJudgement[];
}

export interface SetFigures {
  set: EvalSet;
  queries: number;
  judgements: number;
  collection: number;
  recallAt10: number;
  mrr: number;
  ndcgAt10: number;
  /** Queries with no relevant document in their top 10. */
  misses: string[];
}

/** Recall at k: the share of the relevant documents (grade ≥ 1) in the first k. */
export function recallAt(ranked: readonly string[], grades: ReadonlyMap<string, number>, k: number): number {
  if (grades.size === 0) return 0;
  return ranked.slice(0, k).filter((d) => (grades.get(d) ?? 0) > 0).length / grades.size;
}

/** Reciprocal rank of the first relevant document (0 when none is ranked). */
export function reciprocalRank(ranked: readonly string[], grades: ReadonlyMap<string, number>): number {
  const i = ranked.findIndex((d) => (grades.get(d) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** nDCG at k with gains 2^grade − 1 and log2 discounts (Järvelin & Kekäläinen). */
export function ndcgAt(ranked: readonly string[], grades: ReadonlyMap<string, number>, k: number): number {
  const dcg = (gs: number[]) => gs.slice(0, k).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...grades.values()].sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((d) => grades.get(d) ?? 0)) / ideal;
}

/** Ranked document ids for every query of the fixture (top 100). */
export function rankAll(fixture: EvalFixture, docs: readonly EvalDoc[]): Map<string, string[]> {
  const indexes = new Map<'zh' | 'en', MatchIndex>();
  for (const lang of ['zh', 'en'] as const) {
    const index = new MatchIndex();
    for (const d of docs) if (d.lang === lang) index.add({ id: d.id, kind: 'offer', title: d.title, summary: d.summary });
    indexes.set(lang, index);
  }
  const out = new Map<string, string[]>();
  for (const q of fixture.queries) {
    const index = indexes.get(TARGET[q.set])!;
    const accept = (p: Profile) => p.id !== q.self;
    out.set(q.id, index.match(q.text, { top: 100, accept }).map((r) => r.id));
  }
  return out;
}

/** Each judged query's documents with their grades. */
export function gradesByQuery(fixture: EvalFixture): Map<string, Map<string, number>> {
  const grades = new Map<string, Map<string, number>>();
  for (const j of fixture.judgements) {
    const g = grades.get(j.query) ?? new Map<string, number>();
    g.set(j.doc, j.grade);
    grades.set(j.query, g);
  }
  return grades;
}

/** Figures per query set. */
export function evaluate(fixture: EvalFixture, docs: readonly EvalDoc[]): SetFigures[] {
  const ranked = rankAll(fixture, docs);
  const grades = gradesByQuery(fixture);
  return EVAL_SETS.map((set) => {
    const qs = fixture.queries.filter((q) => q.set === set && grades.has(q.id));
    const mean = (f: (q: EvalQuery) => number) => (qs.length ? qs.reduce((s, q) => s + f(q), 0) / qs.length : 0);
    const r = (q: EvalQuery) => ranked.get(q.id)!;
    const g = (q: EvalQuery) => grades.get(q.id)!;
    return {
      set,
      queries: qs.length,
      judgements: qs.reduce((s, q) => s + g(q).size, 0),
      collection: docs.filter((d) => d.lang === TARGET[set]).length,
      recallAt10: mean((q) => recallAt(r(q), g(q), 10)),
      mrr: mean((q) => reciprocalRank(r(q), g(q))),
      ndcgAt10: mean((q) => ndcgAt(r(q), g(q), 10)),
      misses: qs.filter((q) => recallAt(r(q), g(q), 10) === 0).map((q) => q.id),
    };
  });
}

/** The cross-lingual sets. */
export const CROSS_LINGUAL: readonly EvalSet[] = ['zh-en', 'en-zh', 'zh-en-topics'];

/**
 * Figures of several sets taken as one set of queries: each figure is a mean over queries, so
 * the pooled one weighs each set by its number of queries.
 */
export function pooled(figs: readonly SetFigures[]): Pick<SetFigures, 'queries' | 'judgements' | 'recallAt10' | 'mrr' | 'ndcgAt10'> {
  const queries = figs.reduce((s, f) => s + f.queries, 0);
  const mean = (k: 'recallAt10' | 'mrr' | 'ndcgAt10') => (queries ? figs.reduce((s, f) => s + f[k] * f.queries, 0) / queries : 0);
  return { queries, judgements: figs.reduce((s, f) => s + f.judgements, 0), recallAt10: mean('recallAt10'), mrr: mean('mrr'), ndcgAt10: mean('ndcgAt10') };
}

/** The figures as a markdown table; with two or more cross-lingual sets, their pooled figures last. */
export function figuresTable(figs: readonly SetFigures[]): string {
  const f = (x: number) => x.toFixed(3);
  const label: Record<EvalSet, string> = {
    'en-en': 'English → English (monolingual)',
    'zh-zh': 'Chinese → Chinese (monolingual)',
    'zh-en': 'Chinese → English (cross-lingual)',
    'en-zh': 'English → Chinese (cross-lingual)',
    'zh-en-topics': 'Chinese → English, the en-en topics translated (cross-lingual)',
    'en-en-titles': 'English → English, the zh-en titles translated (monolingual baseline)',
  };
  const lines = ['| queries | n | judgements | documents ranked | recall@10 | MRR | nDCG@10 |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const s of figs) lines.push(`| ${label[s.set]} | ${s.queries} | ${s.judgements} | ${s.collection} | ${f(s.recallAt10)} | ${f(s.mrr)} | ${f(s.ndcgAt10)} |`);
  const cross = figs.filter((s) => CROSS_LINGUAL.includes(s.set));
  if (cross.length > 1) {
    const p = pooled(cross);
    lines.push(`| All cross-lingual queries above, pooled | ${p.queries} | ${p.judgements} | | ${f(p.recallAt10)} | ${f(p.mrr)} | ${f(p.ndcgAt10)} |`);
  }
  return lines.join('\n');
}
