import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EN_DESCRIPTIONS, EN_DISTRACTORS } from './fixtures.ts';
import { MatchIndex } from './matcher.ts';

// Chinese project titles from the seed table as queries; English descriptions written for the
// test (fixtures.ts) as the collection. Relevant document for title i: description i.
const CSV = path.resolve(import.meta.dirname, '../../../../demo/seed-tables/changzhou_key_country_projects.csv');
const titles = fs
  .readFileSync(CSV, 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(',').slice(2).join(','));

describe('cross-lingual retrieval: Chinese seed titles → English descriptions', () => {
  it('finds the English description of each Chinese project', () => {
    expect(titles.length).toBe(EN_DESCRIPTIONS.length);
    const index = new MatchIndex();
    EN_DESCRIPTIONS.forEach((summary, i) => index.add({ id: `p${i}`, kind: 'offer', title: summary, lang: 'en' }));
    EN_DISTRACTORS.forEach((summary, i) => index.add({ id: `x${i}`, kind: 'offer', title: summary, lang: 'en' }));
    let hits = 0;
    let rr = 0;
    const misses: string[] = [];
    titles.forEach((title, i) => {
      const ranked = index.match(title, { top: 10 }).map((r) => r.id);
      const rank = ranked.indexOf(`p${i}`);
      if (rank >= 0) {
        hits++;
        rr += 1 / (rank + 1);
      }
      if (rank !== 0) misses.push(`${title} → rank ${rank < 0 ? '>10' : rank + 1}`);
    });
    const recall = hits / titles.length;
    const mrr = rr / titles.length;
    console.log(
      `cross-lingual zh→en (${titles.length} queries, ${index.size} English profiles): recall@10=${recall.toFixed(3)} MRR=${mrr.toFixed(3)}\n` +
        (misses.length ? `  not first:\n  ${misses.join('\n  ')}` : ''),
    );
    expect(recall).toBeGreaterThanOrEqual(0.8);
    expect(mrr).toBeGreaterThanOrEqual(0.6);
  });

  it('and the other way: English descriptions → Chinese titles', () => {
    const index = new MatchIndex();
    titles.forEach((title, i) => index.add({ id: `p${i}`, kind: 'demand', title, lang: 'zh' }));
    let hits = 0;
    let rr = 0;
    EN_DESCRIPTIONS.forEach((q, i) => {
      const rank = index.match(q, { top: 10 }).map((r) => r.id).indexOf(`p${i}`);
      if (rank >= 0) {
        hits++;
        rr += 1 / (rank + 1);
      }
    });
    const recall = hits / titles.length;
    const mrr = rr / titles.length;
    console.log(`cross-lingual en→zh (${titles.length} queries, ${index.size} Chinese profiles): recall@10=${recall.toFixed(3)} MRR=${mrr.toFixed(3)}`);
    expect(recall).toBeGreaterThanOrEqual(0.7);
  });
});
