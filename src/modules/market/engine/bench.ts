/**
 * Rough timing of the in-memory index: `npx tsx src/modules/market/engine/bench.ts 100000`.
 * Synthetic profiles: a seed title or a test description (fixtures.ts) plus six random words of
 * the same pool, so token frequencies are far more skewed than in real data (a worst case).
 */
import fs from 'node:fs';
import path from 'node:path';
import { EN_DESCRIPTIONS, EN_DISTRACTORS } from './fixtures.ts';
import { MatchIndex } from './matcher.ts';

const csv = path.resolve(import.meta.dirname, '../../../../demo/seed-tables/changzhou_key_country_projects.csv');
const titles = fs.readFileSync(csv, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').slice(2).join(','));
const pool = [...EN_DESCRIPTIONS, ...EN_DISTRACTORS, ...titles];
const words = pool.join(' ').split(/\s+/);
let seed = 1;
const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];

const n = Number(process.argv[2] ?? 10_000);
const index = new MatchIndex();
index.add({ id: 'warm-up', kind: 'offer', title: '超临界 warm-up' }); // loads CC-CEDICT
let t0 = performance.now();
for (let i = 0; i < n; i++) {
  const summary = `${Array.from({ length: 6 }, () => pick(words)).join(' ')} code${i}`;
  index.add({ id: `g${i}`, kind: i % 2 ? 'offer' : 'demand', title: pick(pool), summary, trl: 1 + (i % 9), cooperation: ['licence'] });
}
const build = performance.now() - t0;
const times: number[] = [];
for (const q of [...titles, ...EN_DESCRIPTIONS]) {
  t0 = performance.now();
  index.match(q, { top: 10 });
  times.push(performance.now() - t0);
}
t0 = performance.now();
for (let i = 0; i < 1000; i++) index.remove(`g${i}`);
const removeMs = (performance.now() - t0) / 1000;
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))].toFixed(1);
console.log(`${n} profiles: build ${(build / 1000).toFixed(1)} s (${(build / n).toFixed(2)} ms/add), remove ${removeMs.toFixed(2)} ms, top-10 query p50 ${q(0.5)} ms p95 ${q(0.95)} ms max ${q(1)} ms`);
