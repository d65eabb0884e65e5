/**
 * Issue 4 benchmark: the eight queries behind the region dashboard (funding by year, region,
 * country and field; tiers; concentration; the map by country; the network summary), p50 and
 * p95 each, on PGlite and on the PostgreSQL server, on the data set of bench/generate.ts
 * (200,000 projects, ~1,000,000 participations, 1,000,000 funding lines at scale 1) loaded by
 * the importer — so the aggregates of migration 002 were kept by their triggers all along.
 *
 * Each figure is timed as one panel of the page loads it (`queryDashboardPart`, from the
 * aggregates), and the whole page in one call (`queryDashboard`). For comparison, the same
 * figures computed from the registries (a fresh GROUP BY, `source: 'tables'`), and — the
 * anchor — the same aggregations run by DuckDB over the same CSV rows, in the same run (the
 * JavaScript steps, tiers, concentration and centrality, are the same code on both sides).
 *
 * Wired by bench/run.ts (`benchAnalytics(log, { files, stores })` with the stores its
 * foundation step filled), or standalone on fresh stores:
 *   BENCH_SCALE=0.01 npx tsx bench/analytics.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemActor } from '../src/actor.ts';
import { loadConfig } from '../src/config.ts';
import type { ServiceContext } from '../src/http/context.ts';
import { concentration, tiersByQuantiles } from '../src/modules/analytics/analytics.stats.ts';
import { DASHBOARD_PARTS, networkGraph, queryDashboard, queryDashboardPart, type DashboardPart, type DashboardQuery } from '../src/modules/analytics/dashboard.service.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { generate, type BenchFiles } from './generate.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface AnalyticsBenchStore {
  engine: 'postgres' | 'pglite';
  /** PostgreSQL: the database holding the imported data set. */
  databaseUrl?: string;
  /** PGlite: the data folder holding it (not open in another process). */
  dataDir?: string;
}

export interface AnalyticsBenchContext {
  /** The generated data set (bench/generate.ts). */
  files: BenchFiles;
  /** Stores already holding the three files imported by the importer; absent: imported here into fresh ones. */
  stores?: AnalyticsBenchStore[];
  /** Server URL for creating a fresh database (default as bench/run.ts). */
  adminUrl?: string;
  /** Timed runs per query (default 30; the registry path: 3). */
  rounds?: number;
}

/** The two dashboards timed: a city over all years, and a district over six years. */
const VARIANTS: { label: string; q: DashboardQuery; district: string | null }[] = [
  { label: '常州, all years', q: { region: '常州' }, district: null },
  { label: '新北, 2015–2020', q: { region: '新北', from: 2015, to: 2020 }, district: '新北' },
];

interface Timing {
  p50: number;
  p95: number;
  n: number;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function time(rounds: number, warm: number, fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < warm; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return { p50: percentile(xs, 50), p95: percentile(xs, 95), n: xs.length };
}

const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// ------------------------------------------------------------------------------------ stores

function importInChild(kind: string, file: string, env: Record<string, string>): { rows: number; seconds: number } {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/run-ts.mjs'), path.join(ROOT, 'bench/import-child.ts'), kind, file], {
    env: { ...process.env, ...env, INNOLINK_DEMO: '0' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`import of ${kind} failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!) as { ok: boolean; rows: { read: number }; seconds: number };
  if (!out.ok) throw new Error(`import of ${kind} reported errors`);
  return { rows: out.rows.read, seconds: out.seconds };
}

/** Fresh stores of both engines with the data set imported (standalone runs). */
async function freshStores(log: (m: string) => void, files: BenchFiles, adminUrl: string): Promise<{ stores: AnalyticsBenchStore[]; cleanup: () => Promise<void> }> {
  const name = 'innolink_bench_analytics';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-bench-analytics-'));
  const stores: AnalyticsBenchStore[] = [
    { engine: 'postgres', databaseUrl: url },
    { engine: 'pglite', dataDir: dir },
  ];
  for (const s of stores) {
    const env: Record<string, string> = s.engine === 'postgres' ? { DATABASE_URL: url } : { INNOLINK_DATA: dir, DATABASE_URL: '' };
    for (const [kind, file] of [['projects', files.projects], ['partners', files.partners], ['funding', files.funding]] as const) {
      const r = importInChild(kind, file, env);
      log(`  ${s.engine}: imported ${kind} (${fmt(r.rows, 0)} rows, ${fmt(r.seconds)} s)`);
    }
  }
  return {
    stores,
    async cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

// ------------------------------------------------------------------------------------ DuckDB

/** The parts of @duckdb/node-api the anchor uses. */
interface DuckDBConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjectsJS(): unknown[] }>;
}

/**
 * @duckdb/node-api, installed for the benchmark only: it cannot be in package.json, because the
 * registry here lacks its non-Linux binding packages and `npm ci` then refuses the lock file.
 * `npm install --no-save @duckdb/node-api` before `npm run bench` (the bench says so if absent).
 */
async function duckdb(): Promise<{ DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckDBConnection> }> } }> {
  const name = '@duckdb/node-api';
  try {
    return (await import(name)) as Awaited<ReturnType<typeof duckdb>>;
  } catch {
    throw new Error('The DuckDB anchor needs @duckdb/node-api: run `npm install --no-save @duckdb/node-api` first (it is not in package.json: the registry lacks its non-Linux bindings, which npm ci needs in the lock file)');
  }
}

/** The same aggregations over the same CSV rows in DuckDB. */
class DuckAnchor {
  private constructor(private readonly c: DuckDBConnection) {}

  static async load(files: BenchFiles): Promise<{ anchor: DuckAnchor; seconds: number }> {
    const started = performance.now();
    const { DuckDBInstance } = await duckdb();
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const csv = (f: string) => `read_csv('${f.replace(/'/g, "''")}', header = true, all_varchar = true)`;
    // The importer's reading of these columns: district → region, field, start year; funding in 万元; partner country; the lead is Chinese.
    await c.run(`CREATE TABLE p AS SELECT "项目编号" AS code, "辖区" AS region, nullif("技术领域", '') AS field,
                        year(CAST("开始日期" AS DATE)) AS start_year FROM ${csv(files.projects)}`);
    await c.run(`CREATE TABLE f AS SELECT "项目编号" AS code, CAST("年份" AS INTEGER) AS year, CAST("金额" AS DECIMAL(20, 4)) AS amount,
                        CAST(NULL AS VARCHAR) AS country FROM ${csv(files.funding)}`);
    await c.run(`CREATE TABLE pp AS SELECT "项目编号" AS code, "国别" AS country FROM ${csv(files.partners)}`);
    return { anchor: new DuckAnchor(c), seconds: (performance.now() - started) / 1000 };
  }

  private async rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  }

  private where(v: (typeof VARIANTS)[number], year: string): string {
    const c = ['TRUE'];
    if (v.district) c.push(`p.region = '${v.district}'`);
    if (v.q.from !== undefined) c.push(`${year} >= ${v.q.from}`);
    if (v.q.to !== undefined) c.push(`${year} <= ${v.q.to}`);
    return c.join(' AND ');
  }

  funding(by: 'year' | 'region' | 'country' | 'field', v: (typeof VARIANTS)[number]) {
    const key = { year: 'f.year', region: 'p.region', country: 'f.country', field: 'p.field' }[by];
    return this.rows(`SELECT ${key} AS key, CAST(sum(f.amount) AS DOUBLE) AS amount, count(*) AS records
                        FROM f JOIN p ON p.code = f.code WHERE ${this.where(v, 'f.year')} GROUP BY 1 ORDER BY 1`);
  }

  private projectCountries(v: (typeof VARIANTS)[number]) {
    return `sel AS (SELECT code FROM p WHERE ${this.where(v, 'p.start_year')}),
            pc AS (SELECT code, country, sum(n) AS n FROM (
                     SELECT pp.code, pp.country, count(*) AS n FROM pp JOIN sel USING (code) GROUP BY 1, 2
                     UNION ALL SELECT code, 'CHN', 1 FROM sel) GROUP BY 1, 2)`;
  }

  countries(v: (typeof VARIANTS)[number]) {
    return this.rows(`WITH ${this.projectCountries(v)} SELECT country, count(*) AS projects, CAST(sum(n) AS BIGINT) AS parts FROM pc GROUP BY 1`);
  }

  pairs(v: (typeof VARIANTS)[number]) {
    return this.rows(`WITH ${this.projectCountries(v)}
                      SELECT a.country AS a, b.country AS b, count(*) AS projects, CAST(sum(a.n * b.n) AS BIGINT) AS weight FROM pc a JOIN pc b ON a.code = b.code AND a.country < b.country GROUP BY 1, 2`);
  }

  /** One figure, computed as the dashboard computes it. */
  async part(part: DashboardPart, v: (typeof VARIANTS)[number]): Promise<unknown> {
    switch (part) {
      case 'by_year':
      case 'by_region':
      case 'by_country':
      case 'by_field':
        return this.funding(part.slice(3) as 'year' | 'region' | 'country' | 'field', v);
      case 'tiers':
        return tiersByQuantiles((await this.funding('region', v)).map((r) => ({ unit: String(r.key), value: Number(r.amount) })), 3);
      case 'concentration':
        return concentration((await this.funding('country', v)).filter((r) => r.key !== null).map((r) => ({ unit: String(r.key), value: Number(r.amount) })), 10);
      case 'map':
        return [await this.countries(v), await this.funding('country', v)];
      case 'network': {
        // The same centrality code as the dashboard, on the same sums.
        const [nodes, pairs] = [await this.countries(v), await this.pairs(v)];
        return networkGraph(
          {
            countries: nodes.map((n) => ({ iso3: String(n.country), name_zh: null, name_en: null, projects: Number(n.projects), parts: Number(n.parts) })),
            pairs: pairs.map((e) => ({ a: String(e.a), b: String(e.b), projects: Number(e.projects), weight: Number(e.weight) })),
            projects: 0,
            skipped: 0,
          },
          'projects',
        );
      }
    }
  }
}

// ------------------------------------------------------------------------------------ run

/** Runs the benchmark; returns the markdown section. */
export async function benchAnalytics(log: (m: string) => void, ctx: AnalyticsBenchContext): Promise<string> {
  const rounds = ctx.rounds ?? 30;
  const loadAtStart = os.loadavg()[0];
  const own = ctx.stores ? null : await freshStores(log, ctx.files, ctx.adminUrl ?? process.env.INNOLINK_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const stores = ctx.stores ?? own!.stores;
  const config = loadConfig({ ...process.env, INNOLINK_DEMO: '0' });
  const results: { engine: string; variant: string; path: string; part: string; t: Timing }[] = [];
  const checks: string[] = [];
  const reference = new Map<string, unknown>();
  try {
    for (const s of stores) {
      const db: Db = await openDb(s.engine === 'postgres' ? { databaseUrl: s.databaseUrl } : { dataDir: s.dataDir });
      const sc: ServiceContext = { db, config, actor: systemActor('bench') };
      try {
        const [{ n: aggRows }] = await db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM agg_funding) + (SELECT count(*) FROM agg_net_country) + (SELECT count(*) FROM agg_net_pair) + (SELECT count(*) FROM agg_net_cell) AS n`,
        );
        log(`${s.engine}: ${fmt(Number(aggRows), 0)} aggregate rows`);
        for (const v of VARIANTS) {
          for (const part of DASHBOARD_PARTS) {
            const t = await time(rounds, 2, () => queryDashboardPart(sc, part, v.q));
            results.push({ engine: s.engine, variant: v.label, path: 'aggregates', part, t });
            log(`  ${s.engine} ${v.label} ${part}: p50 ${fmt(t.p50)} ms, p95 ${fmt(t.p95)} ms`);
          }
          const whole = await time(Math.max(5, Math.round(rounds / 3)), 1, () => queryDashboard(sc, v.q));
          results.push({ engine: s.engine, variant: v.label, path: 'aggregates', part: 'whole page', t: whole });
          const d = await queryDashboard(sc, v.q);
          reference.set(`${s.engine}|${v.label}`, d);
        }
        // The registries (a fresh GROUP BY), for the city over all years.
        const v = VARIANTS[0];
        for (const part of DASHBOARD_PARTS) {
          const t = await time(3, 0, () => queryDashboardPart(sc, part, { ...v.q, source: 'tables' }));
          results.push({ engine: s.engine, variant: v.label, path: 'tables', part, t });
          log(`  ${s.engine} ${v.label} ${part} from the registries: p50 ${fmt(t.p50)} ms`);
        }
      } finally {
        await db.close();
      }
    }

    log('DuckDB: loading the CSV files');
    const { anchor, seconds } = await DuckAnchor.load(ctx.files);
    log(`DuckDB: loaded in ${fmt(seconds)} s`);
    for (const v of VARIANTS) {
      for (const part of DASHBOARD_PARTS) {
        const t = await time(rounds, 2, () => anchor.part(part, v));
        results.push({ engine: 'duckdb', variant: v.label, path: 'anchor', part, t });
      }
      // The anchor computes the same figures: compare with the stores'.
      const mine = reference.get(`postgres|${v.label}`) as Awaited<ReturnType<typeof queryDashboard>> | undefined;
      if (mine) {
        const years = (await anchor.funding('year', v)).map((r) => [Number(r.key), Math.round(Number(r.amount) * 1e4) / 1e4]);
        const regions = (await anchor.funding('region', v)).map((r) => [String(r.key), Math.round(Number(r.amount) * 1e4) / 1e4]).sort();
        const net = (await anchor.part('network', v)) as { nodes: unknown[]; edges: number };
        const same =
          JSON.stringify(years) === JSON.stringify(mine.by_year.map((r) => [r.year, r.amount])) &&
          JSON.stringify(regions) === JSON.stringify(mine.by_region.map((r) => [r.region, r.amount]).sort()) &&
          net.nodes.length === mine.network.nodes &&
          net.edges === mine.network.edges;
        checks.push(`${v.label}: ${same ? 'DuckDB and the stores agree' : '**DuckDB and the stores disagree**'} (funding by year and region; network ${mine.network.nodes} nodes, ${mine.network.edges} edges)`);
        const lite = reference.get(`pglite|${v.label}`);
        const figures = (d: unknown) => JSON.stringify({ ...(d as Record<string, unknown>), region: null });
        if (lite) checks.push(`${v.label}: PGlite ${figures(lite) === figures(mine) ? 'and the server agree' : '**and the server disagree**'} on every figure`);
      }
    }
  } finally {
    await own?.cleanup();
  }

  const lines: string[] = [];
  const c = ctx.files.counts;
  lines.push('## Analytics (issue 4): the region dashboard');
  lines.push('');
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; 1-minute load average ${loadAtStart.toFixed(2)} at the start and ${os.loadavg()[0].toFixed(2)} at the end. ` +
      `Data set (\`bench/generate.ts\`): ${fmt(c.projects, 0)} projects, ${fmt(c.partners, 0)} participations, ${fmt(c.funding, 0)} funding lines, imported through the importer (the aggregates of migration 002 kept by their triggers). ` +
      `Each of the eight figures is timed as one panel loads it (\`queryDashboardPart\`, ${rounds} runs after 2 warm-up runs), then the whole page in one call; ` +
      `"registries" computes the same figures from the tables (\`source=tables\`, 3 runs); DuckDB runs the same aggregations over the same CSV rows in memory (the anchor, same run).`,
  );
  lines.push('');
  const cell = (engine: string, variant: string, p: string, part: string) => {
    const r = results.find((x) => x.engine === engine && x.variant === variant && x.path === p && x.part === part);
    return r ? `${fmt(r.t.p50)} / ${fmt(r.t.p95)}` : '–';
  };
  for (const v of VARIANTS) {
    lines.push(`**${v.label}** — p50 / p95 in ms:`);
    lines.push('');
    lines.push('| figure | PostgreSQL (aggregates) | PGlite (aggregates) | PostgreSQL (registries) | PGlite (registries) | DuckDB (anchor) |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const part of [...DASHBOARD_PARTS, 'whole page']) {
      lines.push(
        `| ${part} | ${cell('postgres', v.label, 'aggregates', part)} | ${cell('pglite', v.label, 'aggregates', part)} | ${cell('postgres', v.label, 'tables', part)} | ${cell('pglite', v.label, 'tables', part)} | ${cell('duckdb', v.label, 'anchor', part)} |`,
      );
    }
    lines.push('');
  }
  const worst = Math.max(...results.filter((r) => r.engine === 'postgres' && r.path === 'aggregates' && r.part !== 'whole page').map((r) => r.t.p95));
  lines.push(`Goal: each dashboard query p95 ≤ 100 ms on the server — the slowest here: ${fmt(worst)} ms.`);
  for (const ch of checks) lines.push(`- ${ch}`);
  lines.push('');
  return lines.join('\n');
}

// Standalone: BENCH_SCALE=0.01 npx tsx bench/analytics.ts
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  const log = (m: string) => process.stderr.write(`[bench analytics ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  const files = await generate(path.join(ROOT, '.bench-data', `scale-${scale}`), {
    projects: Math.round(200_000 * scale),
    partners: Math.round(1_000_000 * scale),
    fundingPerProject: 5,
    seed: 20261122,
  });
  log(`data: ${JSON.stringify(files.counts)}`);
  process.stdout.write(`${await benchAnalytics(log, { files })}\n`);
}
