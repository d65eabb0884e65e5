/**
 * The matcher's figures on the evaluation set, with each query's ranks when asked:
 *
 *   node bin/run-ts.mjs src/modules/market/eval/report.ts [SET ...] [--queries]
 *
 * SET: en-en, zh-zh, zh-en, en-zh, zh-en-topics (all by default). --queries lists, per query of
 * the named sets, its recall@10 and the rank of each judged document ('-' when not in the top
 * 100), for reading what a change to the engine did. The fixture is read as it is
 * (judgements.json; rebuild it with `npx tsx src/modules/market/eval/build.ts`).
 */
import path from 'node:path';
import { readFixture } from './build.ts';
import { evalCollection } from './collection.ts';
import { EVAL_SETS, evaluate, figuresTable, gradesByQuery, rankAll, recallAt, type EvalFixture, type EvalSet } from './evaluate.ts';

/** The report's lines for the given sets. */
export function report(fixture: EvalFixture, sets: readonly EvalSet[], perQuery: boolean): string[] {
  const docs = evalCollection();
  const figs = evaluate(fixture, docs).filter((f) => sets.includes(f.set));
  const lines = [figuresTable(figs)];
  if (!perQuery) return lines;
  const queries = fixture.queries.filter((q) => sets.includes(q.set));
  const ranked = rankAll({ ...fixture, queries }, docs);
  const judged = gradesByQuery(fixture);
  for (const q of queries) {
    const grades = judged.get(q.id);
    if (!grades) continue;
    const r = ranked.get(q.id) ?? [];
    const ranks = [...grades.keys()].map((d) => `${d}@${r.indexOf(d) + 1 || '-'}`);
    lines.push(`${q.id}\t${recallAt(r, grades, 10).toFixed(2)}\t${ranks.join(' ')}\t${q.text.replace(/\s+/g, ' ').slice(0, 60)}`);
  }
  return lines;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--queries' && !(EVAL_SETS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    console.error(`未知的参数 Unknown argument: ${unknown.join(', ')} (sets: ${EVAL_SETS.join(', ')}; flag: --queries)`);
    process.exit(2);
  }
  const sets = args.filter((a): a is EvalSet => (EVAL_SETS as readonly string[]).includes(a));
  console.log(report(readFixture(), sets.length > 0 ? sets : EVAL_SETS, args.includes('--queries')).join('\n'));
}
