/**
 * Marketplace workloads (issue 7), for `npm run bench`: 100,000 published offers generated from
 * real titles and abstracts (../shared/data: CORDIS project titles, objectives and keywords,
 * FP project titles, NASA patent titles, CORDIS call-topic titles; the Changzhou seed titles
 * for the Chinese tenth) and 1,000 published demands (half Chinese, half English), on the
 * PostgreSQL server and on PGlite:
 * - index build: the offers read from the store and analysed into the in-memory index;
 * - top-10 matching of each stored demand through the service (`innolink match --demand ID
 *   --kind offers`: the demand read, the index version checked, reasons and country notes),
 *   and of the same texts as free text, p50 / p95;
 * - incremental updates: publishing an offer (review → published → index → alerts) and
 *   closing one (→ out of the index);
 * - anchor, in the same run: PostgreSQL's own full-text search over the same offers (jieba /
 *   Porter tokens in a GIN-indexed `simple` tsvector, top 10 by ts_rank, any query token) —
 *   what the database does without translation or reasons;
 * - the evaluation set (src/modules/market/eval): recall@10, MRR, nDCG@10.
 * BENCH_SCALE (default 1) shrinks the offers and demands.
 *
 *   export async function benchMarket(log) → the markdown section for docs/benchmarks.md
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { systemActor } from '../src/actor.ts';
import { loadConfig } from '../src/config.ts';
import type { ServiceContext } from '../src/http/context.ts';
import type { Db } from '../src/store/db.ts';
import { openStore } from '../src/store/store.ts';
import { searchDocument, tokenize } from '../src/text/tokenize.ts';
import { evalCollection, SHARED_DATA } from '../src/modules/market/eval/collection.ts';
import { readFixture } from '../src/modules/market/eval/build.ts';
import { CROSS_LINGUAL, evaluate, figuresTable, pooled } from '../src/modules/market/eval/evaluate.ts';
import { FIELD_CODES } from '../src/modules/market/market.fields.ts';
import { marketIndexOf } from '../src/modules/market/market.index.ts';
import { matchMarket } from '../src/modules/market/market.match.ts';
import { COOPERATION_TYPES } from '../src/modules/market/market.schema.ts';
import { closeProfile, createProfile, reviewProfile, submitProfile } from '../src/modules/market/market.service.ts';
import { prng } from './generate.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ADMIN_URL = process.env.INNOLINK_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const COUNTRIES = ['DEU', 'GBR', 'ISR', 'USA', 'FRA', 'ITA', 'NLD', 'FIN', 'KOR', 'JPN', 'CAN', 'AUS', 'SWE', 'CHE', 'RUS', 'SGP', 'ESP', 'BEL', 'AUT', 'DNK'];
const ZH_PREFIX = ['新型', '高效', '低成本', '智能化', '绿色', '高精度', '模块化', '一体化'];
const ZH_SUFFIX = ['技术', '关键技术研究', '及产业化', '工程化应用', '成套装备', '的联合研发', '技术转让', '中试与示范'];

interface Sources {
  enTitles: string[];
  sentences: string[];
  keywords: string[];
  zhTitles: string[];
  topicTitles: string[];
}

function readCsv(file: string, delimiter = ','): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(SHARED_DATA, file)), { columns: true, bom: true, delimiter, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
}

function sources(): Sources {
  const cordis = readCsv('cordis/cn_participation_subset/projects.csv');
  const fp = readCsv('cordis/third_country_summary_nz_ca_pacific/FP_projects.csv');
  const nasa = readCsv('tech_transfer/NASA_Patents.csv', ';');
  const topics = new Set<string>();
  for (const f of ['cordis/cordis_topics/h2020_topics.csv', 'cordis/cordis_topics/horizon_europe_topics.csv']) for (const r of readCsv(f, ';')) if (r.title.length > 20) topics.add(r.title);
  const zh = parse(fs.readFileSync(path.join(ROOT, 'demo/seed-tables/changzhou_key_country_projects.csv')), { columns: true, bom: true }) as Record<string, string>[];
  return {
    enTitles: [...cordis.map((r) => r.title), ...fp.map((r) => r.title), ...nasa.map((r) => r.Title)],
    sentences: cordis.flatMap((r) => r.objective.split(/(?<=[.!?])\s+/).filter((s) => s.length > 40)),
    keywords: cordis.map((r) => r.keywords).filter(Boolean),
    zhTitles: zh.map((r) => r['项目名称']),
    topicTitles: [...topics],
  };
}

interface Generated {
  offersCsv: string;
  demandsCsv: string;
  offers: number;
  demands: number;
  /** Token text of each offer, for the full-text anchor (id order of insertion). */
  offerDocs: string[];
}

const cell = (v: string | number | null) => (v === null ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const COLUMNS = ['kind', 'status', 'title_zh', 'title_en', 'summary_zh', 'summary_en', 'field', 'trl', 'cooperation', 'country_iso3', 'expires_on', 'published_at'];

/** Deterministic offers and demands from the real sources. */
function generateMarket(src: Sources, offers: number, demands: number, seed: number): Generated {
  const rand = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const expires = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const coop = () => COOPERATION_TYPES.filter(() => rand() < 0.3);
  const row = (kind: string, zh: [string, string | null] | null, en: [string, string | null] | null, country: string | null) =>
    [kind, 'published', zh?.[0] ?? null, en?.[0] ?? null, zh?.[1] ?? null, en?.[1] ?? null, pick(FIELD_CODES), 1 + Math.floor(rand() * 9), `{${coop().join(',')}}`, country, expires, new Date().toISOString()]
      .map(cell)
      .join(',');
  const offerLines: string[] = [];
  const offerDocs: string[] = [];
  for (let i = 0; i < offers; i++) {
    if (rand() < 0.1) {
      const title = `${pick(ZH_PREFIX)}${pick(src.zhTitles)}`;
      const summary = `${pick(src.zhTitles)}；${pick(src.zhTitles)}${pick(ZH_SUFFIX)}`;
      offerLines.push(row('offer', [title, summary], null, 'CHN'));
      offerDocs.push(searchDocument(title, summary));
    } else {
      const title = rand() < 0.7 ? pick(src.enTitles) : pick(src.topicTitles);
      const summary = `${pick(src.sentences)} ${pick(src.sentences)} Keywords: ${pick(src.keywords)}`;
      offerLines.push(row('offer', null, [title, summary], pick(COUNTRIES)));
      offerDocs.push(searchDocument(title, summary));
    }
  }
  const demandLines: string[] = [];
  for (let i = 0; i < demands; i++) {
    if (i % 2 === 0) demandLines.push(row('demand', [`${pick(ZH_PREFIX)}${pick(src.zhTitles)}${pick(ZH_SUFFIX)}`, null], null, 'CHN'));
    else demandLines.push(row('demand', null, [pick(src.topicTitles), null], 'CHN'));
  }
  return { offersCsv: `${offerLines.join('\n')}\n`, demandsCsv: `${demandLines.join('\n')}\n`, offers, demands, offerDocs };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');

interface EngineFigures {
  engine: string;
  loadSeconds: number;
  buildSeconds: number;
  demand: { p50: number; p95: number; n: number };
  text: { p50: number; p95: number; n: number };
  anchor: { p50: number; p95: number; n: number; indexSeconds: number };
  publish: { p50: number; n: number };
  close: { p50: number; n: number };
}

async function freshServerUrl(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
}

async function dropServerDb(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

const stats = (times: number[]) => ({ p50: percentile(times, 50), p95: percentile(times, 95), n: times.length });

async function runEngine(engine: 'postgres' | 'pglite', data: Generated, log: (m: string) => void): Promise<EngineFigures> {
  const dbName = 'innolink_bench_market';
  const dir = engine === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-bench-market-')) : null;
  const url = engine === 'postgres' ? await freshServerUrl(dbName) : '';
  const config = loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: url, ...(dir ? { INNOLINK_DATA: dir } : {}) });
  const db: Db = await openStore(config);
  const ctx: ServiceContext = { db, actor: systemActor('bench'), config };
  try {
    log(`  ${engine}: loading ${data.offers} offers and ${data.demands} demands`);
    let t = performance.now();
    await db.copyCsv('market_profiles', COLUMNS, data.offersCsv);
    await db.copyCsv('market_profiles', COLUMNS, data.demandsCsv);
    await db.exec('ANALYZE market_profiles');
    const loadSeconds = (performance.now() - t) / 1000;

    log(`  ${engine}: building the offer index`);
    t = performance.now();
    await marketIndexOf(db).ready(['offer']);
    const buildSeconds = (performance.now() - t) / 1000;

    const demands = await db.query<{ id: number; text: string }>(`SELECT id, coalesce(title_zh, title_en) AS text FROM market_profiles WHERE kind = 'demand' ORDER BY id`);
    for (const d of demands.slice(0, 5)) await matchMarket(ctx, { demand: d.id, kind: ['offers'] }); // warm caches
    log(`  ${engine}: ${demands.length} stored demands → top-10 offers`);
    const demandTimes: number[] = [];
    for (const d of demands) {
      const s = performance.now();
      await matchMarket(ctx, { demand: Number(d.id), kind: ['offers'], top: 10 });
      demandTimes.push(performance.now() - s);
    }
    const textTimes: number[] = [];
    for (const d of demands) {
      const s = performance.now();
      await matchMarket(ctx, { text: d.text, kind: ['offers'], top: 10 });
      textTimes.push(performance.now() - s);
    }

    log(`  ${engine}: publishing and closing offers`);
    const publishTimes: number[] = [];
    const closeTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await createProfile(ctx, { kind: 'offer', title_en: `Bench offer ${i}: solid-state lithium battery cathode coating`, cooperation: ['licence'] });
      await submitProfile(ctx, p.id);
      let s = performance.now();
      await reviewProfile(ctx, p.id, { decision: 'approve' });
      publishTimes.push(performance.now() - s);
      if (!marketIndexOf(db).peek('offer')!.has(String(p.id))) throw new Error('a published offer is not in the index');
      s = performance.now();
      await closeProfile(ctx, p.id, { reason: 'bench' });
      closeTimes.push(performance.now() - s);
    }

    log(`  ${engine}: anchor — PostgreSQL full-text search over the same offers`);
    t = performance.now();
    await db.exec('DROP TABLE IF EXISTS bench_market_fts; CREATE TABLE bench_market_fts (id bigint, doc text)');
    await db.copyCsv('bench_market_fts', ['id', 'doc'], `${data.offerDocs.map((d, i) => `${i + 1},${cell(d)}`).join('\n')}\n`);
    await db.exec(`ALTER TABLE bench_market_fts ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc)) STORED;
                   CREATE INDEX bench_market_fts_tsv ON bench_market_fts USING gin (tsv); ANALYZE bench_market_fts`);
    const indexSeconds = (performance.now() - t) / 1000;
    const anchorTimes: number[] = [];
    for (const d of demands) {
      const tokens = [...new Set(tokenize(d.text, 'query'))].map((x) => `'${x.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`);
      if (tokens.length === 0) continue;
      const s = performance.now();
      await db.query(`SELECT id FROM bench_market_fts, to_tsquery('simple', $1) q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10`, [tokens.join(' | ')]);
      anchorTimes.push(performance.now() - s);
    }
    return {
      engine,
      loadSeconds,
      buildSeconds,
      demand: stats(demandTimes),
      text: stats(textTimes),
      anchor: { ...stats(anchorTimes), indexSeconds },
      publish: { p50: percentile(publishTimes, 50), n: publishTimes.length },
      close: { p50: percentile(closeTimes, 50), n: closeTimes.length },
    };
  } finally {
    await db.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (engine === 'postgres') await dropServerDb(dbName);
  }
}

/** Runs the marketplace workloads on both stores; returns the markdown section. */
export async function benchMarket(log: (m: string) => void): Promise<string> {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  const nOffers = Math.max(1000, Math.round(100_000 * scale));
  const nDemands = Math.max(50, Math.round(1000 * scale));
  const loadAtStart = os.loadavg()[0];
  log(`market: generating ${nOffers} offers and ${nDemands} demands (scale ${scale})`);
  const data = generateMarket(sources(), nOffers, nDemands, 20261122);

  log('market: evaluation set');
  const fixture = readFixture();
  const figs = evaluate(fixture, evalCollection());

  const results: EngineFigures[] = [];
  for (const engine of ['postgres', 'pglite'] as const) results.push(await runEngine(engine, data, log));

  const lines: string[] = [];
  lines.push('## Marketplace (issue 7): matching, index, evaluation');
  lines.push('');
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; 1-minute load average ${loadAtStart.toFixed(2)} at the start and ${os.loadavg()[0].toFixed(2)} at the end.`,
  );
  lines.push(
    `Data (\`bench/market.ts\`, seed 20261122, scale ${scale}): ${fmt(nOffers, 0)} published offers generated from real titles and abstracts (CORDIS project titles, objective sentences and keywords, FP project titles, NASA patent titles, CORDIS call-topic titles; a tenth Chinese, from the Changzhou seed titles), ${fmt(nDemands, 0)} published demands (half Chinese seed titles with a prefix and suffix, half English call-topic titles). Matching runs through the service (\`matchMarket\`, as \`innolink match --demand ID --kind offers --top 10\`): the demand read from the store, the index version checked, reasons with country notes. The anchor, in the same run, is PostgreSQL's own full-text search over the same offers (the project tokenizer's tokens in a GIN-indexed \`simple\` tsvector, any query token, top 10 by \`ts_rank\`): no translation, no reasons.`,
  );
  lines.push('');
  lines.push('| store | load (COPY) s | index build s | stored demand p50 / p95 (ms) | text p50 / p95 (ms) | anchor: full-text top 10 p50 / p95 (ms) | publish (review → index → alerts) p50 ms | close (→ out of index) p50 ms |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    lines.push(
      `| ${r.engine} | ${fmt(r.loadSeconds)} | ${fmt(r.buildSeconds)} | ${fmt(r.demand.p50)} / ${fmt(r.demand.p95)} | ${fmt(r.text.p50)} / ${fmt(r.text.p95)} | ${fmt(r.anchor.p50)} / ${fmt(r.anchor.p95)} | ${fmt(r.publish.p50)} | ${fmt(r.close.p50)} |`,
    );
  }
  lines.push('');
  lines.push(`Goal: p95 < 50 ms per query on the server. ${results.map((r) => `${r.engine}: ${r.demand.p95 < 50 ? 'met' : 'not met'} (${fmt(r.demand.p95)} ms)`).join('; ')}.`);
  lines.push('');
  lines.push(
    `Evaluation set (\`src/modules/market/eval/judgements.json\`, ${fixture.judgements.length} judgements, ${fixture.queries.length} queries; how each was made: \`eval/build.ts\`, \`eval/manual.ts\`, \`eval/topics.zh.ts\`, \`eval/titles.en.ts\`). en-en: CORDIS call-topic titles → the projects funded under them (from topics.csv); zh-en: the Changzhou Chinese titles → English projects and NASA patents judged by reading; en-zh: the same pairs the other way; zh-zh: the Chinese titles among themselves; zh-en-topics: the en-en topics translated into Chinese by a person (written before the matcher was run on them), with the en-en judgements — the way CLEF and NTCIR built their cross-lingual sets, and the same queries as en-en, so its figures set the translation against the original English; en-en-titles: the Changzhou titles translated into English by a person (also written before the matcher was run on them), with the zh-en judgements — the monolingual baseline of zh-en. Each set is ranked against the documents of its target language.`,
  );
  lines.push('');
  lines.push(figuresTable(figs));
  lines.push('');
  const by = Object.fromEntries(figs.map((f) => [f.set, f]));
  const cross = (['zh-en', 'zh-en-topics', 'en-zh'] as const).map((s) => `${s} ${by[s].recallAt10.toFixed(3)} (${by[s].recallAt10 >= 0.8 ? 'met' : 'not met'})`);
  const all = pooled(figs.filter((f) => CROSS_LINGUAL.includes(f.set)));
  lines.push(
    `Goal: cross-lingual recall@10 ≥ 0.8 — per set ${cross.join(', ')}; all ${all.queries} cross-lingual queries pooled ${all.recallAt10.toFixed(3)} (${all.recallAt10 >= 0.8 ? 'met' : 'not met'}). The translated topics reach ${((100 * by['zh-en-topics'].recallAt10) / by['en-en'].recallAt10).toFixed(0)} % of the recall of the same topics in English (${by['en-en'].recallAt10.toFixed(3)}): what translation loses is words the dictionaries miss or render otherwise than the documents (修复 as repair or restore where CORDIS writes remediation, 纳米 as nanometre where it writes nano-, 冰冻圈 cryosphere and 蓝碳 blue carbon in no dictionary), and the English topics themselves stop at ${by['en-en'].recallAt10.toFixed(3)} (titles such as "Design Studies" or "Strategic cooperation partnerships"). The Changzhou titles' judgements are mostly area-level (grade 1: a collagen sponge against biomaterial scaffolds); the matcher reaches them through the technology areas of the shared field taxonomy (\`engine/taxonomy.ts\`) where a title names its area, and misses them where the title's technology is in no area's vocabulary (a selective-emitter mask-printing process) or where more documents of the same area rank above them. The same titles written in English reach ${by['en-en-titles'].recallAt10.toFixed(3)} (en-en-titles), so the Chinese titles reach ${((100 * by['zh-en'].recallAt10) / by['en-en-titles'].recallAt10).toFixed(0)} % of their English baseline: on this set the shortfall is the matching itself — knowing that a selective emitter is a solar-cell process, ranking a title's area above its incidental words — not the translation.`,
  );
  return lines.join('\n');
}
