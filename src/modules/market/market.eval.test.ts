/**
 * The evaluation set of issue 7 (eval/judgements.json): demand → relevant-offer judgements
 * from the real data, and the matcher's recall@10, MRR and nDCG@10 on it. The floors below
 * are the figures measured with the technology-area taxonomy (engine/taxonomy.ts), rounded
 * down: they catch a regression; they are not the issue's goal (cross-lingual recall@10 ≥ 0.8),
 * which Chinese → English does not reach on this set (see docs/benchmarks.md).
 */
import { describe, expect, it } from 'vitest';
import { evalCollection } from './eval/collection.ts';
import { buildFixture, readFixture } from './eval/build.ts';
import { CROSS_LINGUAL, evaluate, figuresTable, ndcgAt, pooled, reciprocalRank, recallAt } from './eval/evaluate.ts';
import { report } from './eval/report.ts';

const fixture = readFixture();
const docs = evalCollection();

describe('the evaluation set (eval/judgements.json)', () => {
  it('holds at least 200 demand → offer judgements, every one naming a document of the real data', () => {
    expect(fixture.judgements.length).toBeGreaterThanOrEqual(200);
    const ids = new Set(docs.map((d) => d.id));
    const queries = new Set(fixture.queries.map((q) => q.id));
    for (const j of fixture.judgements) {
      expect(ids.has(j.doc), j.doc).toBe(true);
      expect(queries.has(j.query), j.query).toBe(true);
      expect([1, 2]).toContain(j.grade);
    }
    for (const q of fixture.queries) if (q.self) expect(ids.has(q.self), q.self).toBe(true);
    const sets = new Set(fixture.queries.map((q) => q.set));
    expect([...sets].sort()).toEqual(['en-en', 'en-en-titles', 'en-zh', 'zh-en', 'zh-en-topics', 'zh-zh']);
  });

  it('is exactly what eval/build.ts makes from the data and the reading notes (no hand edits)', () => {
    expect(buildFixture()).toEqual(fixture);
  });
});

describe('metrics', () => {
  // Two judged documents: b (grade 2) ranked second, d (grade 1) not ranked.
  const grades = new Map([
    ['b', 2],
    ['d', 1],
  ]);
  it('recall@k, reciprocal rank and nDCG@k follow their definitions', () => {
    expect(recallAt(['a', 'b', 'c'], grades, 10)).toBe(1 / 2);
    expect(recallAt(['a', 'b', 'c'], grades, 1)).toBe(0);
    expect(reciprocalRank(['a', 'b', 'c'], grades)).toBe(1 / 2);
    expect(reciprocalRank(['a', 'c'], grades)).toBe(0);
    const dcg = 3 / Math.log2(3);
    const ideal = 3 / Math.log2(2) + 1 / Math.log2(3);
    expect(ndcgAt(['a', 'b', 'c'], grades, 10)).toBeCloseTo(dcg / ideal, 12);
    expect(ndcgAt(['b', 'd'], grades, 10)).toBeCloseTo(1, 12);
  });
});

describe('retrieval figures of the matcher', () => {
  it('recall@10, MRR and nDCG@10 per query set', () => {
    const figs = evaluate(fixture, docs);
    console.log(`${figuresTable(figs)}\n${figs.map((f) => `${f.set}: no relevant document in the top 10 for ${f.misses.length} of ${f.queries}`).join('\n')}`);
    const by = Object.fromEntries(figs.map((f) => [f.set, f]));
    expect(by['en-en']).toMatchObject({ queries: 156, judgements: 198 });
    expect(by['en-en'].recallAt10).toBeGreaterThanOrEqual(0.82);
    expect(by['en-en'].mrr).toBeGreaterThanOrEqual(0.72);
    expect(by['zh-zh'].recallAt10).toBeGreaterThanOrEqual(0.99);
    expect(by['zh-zh'].mrr).toBeGreaterThanOrEqual(0.91);
    expect(by['zh-en'].recallAt10).toBeGreaterThanOrEqual(0.61);
    expect(by['zh-en'].mrr).toBeGreaterThanOrEqual(0.7);
    expect(by['zh-en'].ndcgAt10).toBeGreaterThanOrEqual(0.55);
    expect(by['en-zh'].recallAt10).toBeGreaterThanOrEqual(0.91);
    expect(by['en-zh'].mrr).toBeGreaterThanOrEqual(0.89);
    expect(by['zh-en-topics']).toMatchObject({ queries: 156, judgements: 198 });
    expect(by['zh-en-topics'].recallAt10).toBeGreaterThanOrEqual(0.79);
    expect(by['zh-en-topics'].mrr).toBeGreaterThanOrEqual(0.6);
    // The zh-en titles in English: the same queries and judgements as zh-en, no translation.
    expect(by['en-en-titles']).toMatchObject({ queries: by['zh-en'].queries, judgements: by['zh-en'].judgements });
    expect(by['en-en-titles'].recallAt10).toBeGreaterThanOrEqual(0.58);
    expect(by['en-en-titles'].mrr).toBeGreaterThanOrEqual(0.7);
    // Pooled: every cross-lingual query counts once, whichever set it is in.
    const cross = figs.filter((f) => CROSS_LINGUAL.includes(f.set));
    const all = pooled(cross);
    expect(all.queries).toBe(by['zh-en'].queries + by['en-zh'].queries + by['zh-en-topics'].queries);
    const between = [Math.min(...cross.map((f) => f.recallAt10)), Math.max(...cross.map((f) => f.recallAt10))];
    expect(all.recallAt10).toBeGreaterThanOrEqual(between[0]);
    expect(all.recallAt10).toBeLessThanOrEqual(between[1]);
    expect(figuresTable(figs)).toContain(`| All cross-lingual queries above, pooled | ${all.queries} |`);
  });
});

describe('the evaluation report (eval/report.ts)', () => {
  it('prints the chosen sets and, per query, its recall and the rank of every judged document', () => {
    const lines = report(fixture, ['zh-zh'], true);
    expect(lines[0]).toContain('Chinese → Chinese');
    expect(lines[0]).not.toContain('English → English');
    const zhzh = fixture.queries.filter((q) => q.set === 'zh-zh');
    expect(lines.slice(1)).toHaveLength(zhzh.length);
    for (const [i, q] of zhzh.entries()) {
      const judged = fixture.judgements.filter((j) => j.query === q.id);
      const [id, recall, ranks] = lines[i + 1].split('\t');
      expect(id).toBe(q.id);
      expect(Number(recall)).toBeGreaterThanOrEqual(0);
      expect(ranks.split(' ')).toHaveLength(judged.length);
    }
  });
});
