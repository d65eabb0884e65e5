/**
 * `npm run bench`: runs each workload the issues name, at the size they name, on PGlite and on
 * the PostgreSQL server, with the anchor measured in the same run, and writes the figures to
 * docs/benchmarks.md. BENCH_SCALE (default 1) shrinks the data set for a quick look.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemActor } from '../src/actor.ts';
import { loadConfig } from '../src/config.ts';
import { registryService } from '../src/modules/registry/registry.service.ts';
import { REGISTRIES } from '../src/modules/registries/defs.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { generate } from './generate.ts';
import { benchWeb } from './web.ts';
import { benchAnalytics } from './analytics.ts';
import { benchIndicators } from './indicators.ts';
import { benchMarket } from './market.ts';
import { benchReview } from './review.ts';
import { benchAudit } from './audit.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const SIZES = { projects: Math.round(200_000 * SCALE), partners: Math.round(1_000_000 * SCALE), fundingPerProject: 5, seed: 20261122 };
const ADMIN_URL = process.env.INNOLINK_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATA_DIR = path.join(ROOT, '.bench-data');

function log(msg: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let pgVersion = '';
  try {
    pgVersion = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-Atc', 'SHOW server_version', 'postgres']).toString().trim();
  } catch {
    pgVersion = 'unknown';
  }
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, PostgreSQL ${pgVersion} (server), PGlite ${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version}`;
}

interface ImportFigure {
  kind: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  maxRssMb: number;
  ok: boolean;
}

function importInChild(kind: string, file: string, env: Record<string, string>): ImportFigure {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/run-ts.mjs'), path.join(ROOT, 'bench/import-child.ts'), kind, file], {
    env: { ...process.env, ...env, INNOLINK_DEMO: '0' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`import of ${kind} failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!);
  if (!out.ok) log(`import ${kind} reported problems: ${JSON.stringify(out.firstIssues)}`);
  return { kind, rows: out.rows.read, seconds: out.seconds, rowsPerSec: out.rows.read / out.seconds, maxRssMb: out.maxRssMb, ok: out.ok };
}

async function freshServerDb(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
}

/** Anchor: the same CSV rows loaded by COPY into bare tables of text columns. */
async function copyAnchor(db: Db, files: Record<string, string>): Promise<{ rows: number; seconds: number }> {
  let rows = 0;
  const started = performance.now();
  for (const [name, file] of Object.entries(files)) {
    const header = fs.readFileSync(file, 'utf8').split('\n', 1)[0].split(',');
    await db.exec(`DROP TABLE IF EXISTS bare_${name}; CREATE TABLE bare_${name} (${header.map((_, i) => `c${i} text`).join(', ')})`);
    const text = fs.readFileSync(file, 'utf8');
    const body = text.slice(text.indexOf('\n') + 1);
    rows += body.split('\n').filter(Boolean).length;
    await db.copyCsv(`bare_${name}`, header.map((_, i) => `c${i}`), body);
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function searchLatency(db: Db): Promise<{ zh: { p50: number; p95: number; n: number }; en: { p50: number; p95: number; n: number } }> {
  const config = loadConfig({ ...process.env, INNOLINK_DEMO: '0' });
  const service = registryService(REGISTRIES.projects);
  const ctx = { db, config, actor: systemActor('bench') };
  const zh = ['超临界流体', '无线传感器网络', '光伏电池', '抗体', '机器人', '石墨烯导热膜', '数控机床', '餐厨垃圾', '手术机器人', '锂电池正极材料'];
  const en = ['graphene', 'quantum', 'climate', 'battery', 'sensor network', 'cancer', 'hydrogen', 'robot', 'marine', 'solar cells'];
  const run = async (qs: string[]) => {
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const q of qs) {
        const t = performance.now();
        await service.list(ctx, { q, page: 1, pageSize: 20, filters: {}, ranges: {} });
        times.push(performance.now() - t);
      }
    }
    return { p50: percentile(times, 50), p95: percentile(times, 95), n: times.length };
  };
  await run(zh.slice(0, 2)); // warm caches and jieba
  return { zh: await run(zh), en: await run(en) };
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function foundation() {
  const loadAtStart = os.loadavg()[0];
  log(`generating data set (scale ${SCALE}); load average ${loadAtStart.toFixed(2)}`);
  const files = await generate(path.join(DATA_DIR, `scale-${SCALE}`), SIZES);
  log(`data: ${JSON.stringify(files.counts)}`);
  const order: [string, string][] = [
    ['projects', files.projects],
    ['partners', files.partners],
    ['funding', files.funding],
  ];
  const results: Record<string, { imports: ImportFigure[]; anchor: { rows: number; seconds: number }; search: Awaited<ReturnType<typeof searchLatency>> }> = {};
  for (const engine of ['postgres', 'pglite'] as const) {
    log(`engine ${engine}`);
    let env: Record<string, string>;
    let url: string | null = null;
    let dir: string | null = null;
    if (engine === 'postgres') {
      url = await freshServerDb(BENCH_DB);
      env = { DATABASE_URL: url };
    } else {
      // Kept after the run: later workloads (analytics) read the same imported data set.
      dir = PGLITE_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      env = { INNOLINK_DATA: dir, DATABASE_URL: '' };
    }
    const imports: ImportFigure[] = [];
    for (const [kind, file] of order) {
      log(`  import ${kind}`);
      const f = importInChild(kind, file, env);
      log(`  ${kind}: ${fmt(f.rows)} rows in ${fmt(f.seconds, 1)} s = ${fmt(f.rowsPerSec)} rows/s, max RSS ${f.maxRssMb} MB`);
      imports.push(f);
    }
    const db = await openDb(url ? { databaseUrl: url } : { dataDir: dir });
    log('  search latency');
    const search = await searchLatency(db);
    log(`  search zh p50 ${fmt(search.zh.p50, 1)} ms p95 ${fmt(search.zh.p95, 1)} ms; en p50 ${fmt(search.en.p50, 1)} p95 ${fmt(search.en.p95, 1)}`);
    log('  anchor: COPY into bare tables');
    const anchor = await copyAnchor(db, { projects: files.projects, partners: files.partners, funding: files.funding });
    log(`  COPY: ${fmt(anchor.rows)} rows in ${fmt(anchor.seconds, 1)} s = ${fmt(anchor.rows / anchor.seconds)} rows/s`);
    await db.close();
    results[engine] = { imports, anchor, search };
  }

  const lines: string[] = [];
  lines.push('## Foundation (issue 2): import and registry search');
  lines.push('');
  lines.push(`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}; 1-minute load average ${loadAtStart.toFixed(2)} at the start and ${os.loadavg()[0].toFixed(2)} at the end (other processes were ${os.loadavg()[0] > 1.5 ? 'competing for the 2 cores: figures are pessimistic' : 'quiet'}).`);
  lines.push(`Data set (\`bench/generate.ts\`, seed ${SIZES.seed}, scale ${SCALE}): ${fmt(files.counts.projects)} projects, ${fmt(files.counts.partners)} partner participations (${fmt(files.counts.organizations)} foreign organisations, countries Zipf-skewed), ${fmt(files.counts.funding)} funding lines. Each import runs in its own process (full validation, name resolution, natural-key upsert, search index); the anchor is PostgreSQL's own \`COPY\` of the same CSV rows into bare text tables, in the same run.`);
  lines.push('');
  lines.push('| store | file | rows | seconds | rows/s | peak RSS (MB) | vs COPY |');
  lines.push('|---|---|---:|---:|---:|---:|---:|');
  for (const [engine, r] of Object.entries(results)) {
    const copyRate = r.anchor.rows / r.anchor.seconds;
    const total = r.imports.reduce((s, f) => s + f.rows, 0);
    const secs = r.imports.reduce((s, f) => s + f.seconds, 0);
    for (const f of r.imports) lines.push(`| ${engine} | ${f.kind} | ${fmt(f.rows)} | ${fmt(f.seconds, 1)} | ${fmt(f.rowsPerSec)} | ${f.maxRssMb} | ${fmt((100 * f.rowsPerSec) / copyRate, 1)} % |`);
    lines.push(`| ${engine} | **all three** | ${fmt(total)} | ${fmt(secs, 1)} | ${fmt(total / secs)} | ${Math.max(...r.imports.map((f) => f.maxRssMb))} | ${fmt((100 * (total / secs)) / copyRate, 1)} % |`);
    lines.push(`| ${engine} | anchor: bare COPY | ${fmt(r.anchor.rows)} | ${fmt(r.anchor.seconds, 1)} | ${fmt(copyRate)} | – | 100 % |`);
  }
  lines.push('');
  lines.push('Registry text search over the projects (`GET /api/projects?q=…`, page of 20 with total count; jieba tokens in a GIN-indexed tsvector), 10 Chinese and 10 English queries × 5 rounds:');
  lines.push('');
  lines.push('| store | queries | p50 (ms) | p95 (ms) |');
  lines.push('|---|---|---:|---:|');
  for (const [engine, r] of Object.entries(results)) {
    lines.push(`| ${engine} | Chinese | ${fmt(r.search.zh.p50, 1)} | ${fmt(r.search.zh.p95, 1)} |`);
    lines.push(`| ${engine} | English | ${fmt(r.search.en.p50, 1)} | ${fmt(r.search.en.p95, 1)} |`);
  }
  lines.push('');
  writeSection('foundation', lines.join('\n'));
  log('written to docs/benchmarks.md');
}

/** Replaces one marked section of docs/benchmarks.md, keeping the others. */
export function writeSection(name: string, body: string) {
  const file = path.join(ROOT, 'docs', 'benchmarks.md');
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench`; every figure below comes from a run of it.\n\n';
  const block = `${begin}\n${body}\n${end}`;
  const re = new RegExp(`${begin}[\\s\\S]*?${end}`);
  doc = re.test(doc) ? doc.replace(re, block) : `${doc.trimEnd()}\n\n${block}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc);
}

const BENCH_DB = 'innolink_bench';
const PGLITE_DIR = path.join(DATA_DIR, 'pglite-store');

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

/**
 * `npm run bench` runs every workload; `npm run bench -- web` (or several names) runs some.
 * Workloads after the foundation reuse the PostgreSQL database it leaves (innolink_bench).
 */
async function main() {
  const all = ['foundation', 'web', 'analytics', 'indicators', 'market', 'review', 'audit'];
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) throw new Error(`unknown workload(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
  const run = wanted.length ? wanted : all;
  if (run.includes('foundation')) await foundation();
  const benchUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${BENCH_DB}`);
  if (run.includes('web')) {
    if (!(await databaseExists(BENCH_DB))) throw new Error('the web workload needs the foundation data set: run `npm run bench -- foundation web`');
    log('web application');
    writeSection('web', await benchWeb(log, { databaseUrl: benchUrl }));
    log('written to docs/benchmarks.md');
  }
  if (run.includes('analytics')) {
    log('analytics dashboard');
    const files = await generate(path.join(DATA_DIR, `scale-${SCALE}`), SIZES);
    // The foundation's stores when they are there (same rows); otherwise imported afresh.
    const stores =
      (await databaseExists(BENCH_DB)) && fs.existsSync(path.join(PGLITE_DIR, 'PG_VERSION'))
        ? [
            { engine: 'postgres' as const, databaseUrl: benchUrl },
            { engine: 'pglite' as const, dataDir: PGLITE_DIR },
          ]
        : undefined;
    writeSection('analytics', await benchAnalytics(log, { files, stores }));
    log('written to docs/benchmarks.md');
  }
  if (run.includes('indicators')) {
    log('indicator engine');
    writeSection('indicators', await benchIndicators(log));
    log('written to docs/benchmarks.md');
  }
  if (run.includes('market')) {
    log('marketplace matching');
    writeSection('market', await benchMarket(log));
    log('written to docs/benchmarks.md');
  }
  if (run.includes('review')) {
    log('expert review: conflicts and assignment');
    writeSection('review', await benchReview(log));
    log('written to docs/benchmarks.md');
  }
  if (run.includes('audit')) {
    log('audit log');
    writeSection('audit', await benchAudit(log));
    log('written to docs/benchmarks.md');
  }
}

await main();
