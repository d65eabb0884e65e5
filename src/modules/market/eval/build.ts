/**
 * Writes the evaluation fixture eval/judgements.json from the real data and the judgements
 * made by reading (manual.ts):  npx tsx src/modules/market/eval/build.ts
 *
 * - en-en: each thematic CORDIS call topic of the CN-subset projects (not MSCA, not ERC) is a
 *   query (its official topic title — a need stated by the funder); the projects funded under
 *   it are relevant (grade 2, from topics.csv). Topics whose title equals a funded project's
 *   title are left out (trivial).
 * - zh-en: the Chinese seed titles against the English documents, judged by reading (manual.ts).
 * - en-zh: the same pairs read the other way: the English document's text is the query, the
 *   Chinese title the relevant document.
 * - zh-zh: the seed titles against each other (manual.ts).
 * - zh-en-topics: the en-en topics in Chinese (topics.zh.ts, translated by a person, CLEF-style)
 *   against the English documents; the judgements are the en-en ones (topics.csv).
 * - en-en-titles: the zh-en titles in English (titles.en.ts, translated by a person) against the
 *   English documents, with the zh-en judgements: the monolingual baseline of zh-en.
 */
import fs from 'node:fs';
import path from 'node:path';
import { changzhouTitles, cordisTopics, evalCollection } from './collection.ts';
import { ZH_EN, ZH_ZH } from './manual.ts';
import { TITLES_EN } from './titles.en.ts';
import { TOPICS_ZH } from './topics.zh.ts';
import type { EvalFixture, EvalJudgement, EvalQuery } from './evaluate.ts';

export const FIXTURE = path.join(import.meta.dirname, 'judgements.json');

/** The fixture as committed (judgements.json). */
export function readFixture(): EvalFixture {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as EvalFixture;
}

export function buildFixture(): EvalFixture {
  const docs = new Map(evalCollection().map((d) => [d.id, d]));
  const queries: EvalQuery[] = [];
  const judgements: EvalJudgement[] = [];
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const topicQueries: EvalQuery[] = [];
  const topicJudgements: EvalJudgement[] = [];

  // en-en: CORDIS topics → funded projects.
  const topics = cordisTopics();
  const byTopic = new Map<string, { title: string; projects: string[] }>();
  for (const d of docs.values()) {
    if (!d.id.startsWith('cordis:')) continue;
    const t = topics.get(d.id.slice('cordis:'.length));
    if (!t || /MSCA|ERC/.test(t.code)) continue;
    const e = byTopic.get(t.code) ?? { title: t.title, projects: [] };
    e.projects.push(d.id);
    byTopic.set(t.code, e);
  }
  for (const [code, t] of [...byTopic].sort(([a], [b]) => a.localeCompare(b))) {
    if (t.projects.some((p) => norm(docs.get(p)!.title) === norm(t.title))) continue;
    const id = `en-en:${code}`;
    queries.push({ id, set: 'en-en', text: t.title, self: null, note: `CORDIS topic ${code}` });
    for (const p of t.projects) judgements.push({ query: id, doc: p, grade: 2, how: `funded under topic ${code} (topics.csv)` });
    const zh = TOPICS_ZH[code];
    if (!zh) throw new Error(`topics.zh.ts has no Chinese version of topic ${code}`);
    const zid = `zh-en-topics:${code}`;
    topicQueries.push({ id: zid, set: 'zh-en-topics', text: zh, self: null, note: `CORDIS topic ${code}, translated (topics.zh.ts)` });
    for (const p of t.projects) topicJudgements.push({ query: zid, doc: p, grade: 2, how: `funded under topic ${code} (topics.csv)` });
  }

  // zh-en and en-zh: judgements by reading.
  const titles = changzhouTitles();
  const reverse = new Map<string, { row: number; grade: 1 | 2 }[]>();
  const titleQueries: EvalQuery[] = [];
  const titleJudgements: EvalJudgement[] = [];
  for (const j of ZH_EN) {
    const entries = Object.entries(j.docs);
    for (const [doc] of entries) if (!docs.has(doc)) throw new Error(`manual.ts names ${doc}, which is not in the collection`);
    if (entries.length === 0) continue;
    const id = `zh-en:cz:${j.row}`;
    queries.push({ id, set: 'zh-en', text: titles[j.row], self: `cz:${j.row}`, note: `probe /${j.probe}/` });
    const eid = `en-en-titles:cz:${j.row}`;
    titleQueries.push({ id: eid, set: 'en-en-titles', text: TITLES_EN[j.row], self: null, note: `seed title ${j.row} in English (titles.en.ts)` });
    for (const [doc, grade] of entries) {
      judgements.push({ query: id, doc, grade, how: 'reading (manual.ts)' });
      titleJudgements.push({ query: eid, doc, grade, how: 'reading (manual.ts), as for the Chinese title' });
      reverse.set(doc, [...(reverse.get(doc) ?? []), { row: j.row, grade }]);
    }
  }
  for (const [doc, rows] of [...reverse].sort(([a], [b]) => a.localeCompare(b))) {
    const d = docs.get(doc)!;
    const id = `en-zh:${doc}`;
    queries.push({ id, set: 'en-zh', text: [d.title, d.summary].filter(Boolean).join('\n'), self: doc, note: 'the English document as the query' });
    for (const r of rows) judgements.push({ query: id, doc: `cz:${r.row}`, grade: r.grade, how: 'reading (manual.ts), read the other way' });
  }

  // zh-zh: seed titles against each other.
  const pairs = new Map<number, { row: number; grade: 1 | 2 }[]>();
  for (const [a, b, grade] of ZH_ZH) {
    pairs.set(a, [...(pairs.get(a) ?? []), { row: b, grade }]);
    pairs.set(b, [...(pairs.get(b) ?? []), { row: a, grade }]);
  }
  for (const [row, rel] of [...pairs].sort(([a], [b]) => a - b)) {
    const id = `zh-zh:cz:${row}`;
    queries.push({ id, set: 'zh-zh', text: titles[row], self: `cz:${row}`, note: 'seed title' });
    for (const r of rel) judgements.push({ query: id, doc: `cz:${r.row}`, grade: r.grade, how: 'reading (manual.ts)' });
  }

  queries.push(...topicQueries, ...titleQueries);
  judgements.push(...topicJudgements, ...titleJudgements);

  return {
    about:
      'Demand → relevant-offer judgements for issue 7, from the real data in ../shared/data and the seed table of paper 002; built by src/modules/market/eval/build.ts. Grades: 2 same technology or problem, 1 same product, technology or disease area. The collection (eval/collection.ts) mixes CORDIS projects (title, objective, keywords), FP project titles, NASA patent titles (English) and the 30 Changzhou titles (Chinese); each set is ranked against the documents of its target language, the query’s own document left out. Only judged documents count as relevant: en-en judges CN-subset projects by their call topic, so a relevant FP project of the same topic counts as a miss (the figures are pessimistic).',
    queries,
    judgements,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const f = buildFixture();
  fs.writeFileSync(FIXTURE, `${JSON.stringify(f, null, 1)}\n`);
  const by = (s: string) => f.judgements.filter((j) => j.query.startsWith(`${s}:`)).length;
  console.log(`${f.queries.length} queries, ${f.judgements.length} judgements (en-en ${by('en-en')}, zh-en ${by('zh-en')}, en-zh ${by('en-zh')}, zh-zh ${by('zh-zh')}, zh-en-topics ${by('zh-en-topics')}, en-en-titles ${by('en-en-titles')}) → ${FIXTURE}`);
}
