/**
 * Issue 3's workloads: an HTTP load test (autocannon, 50 connections) of the project list
 * (filtered, sorted, paged) and of project detail pages as a logged-in bureau officer, against
 * the server in its own process on the foundation data set in PostgreSQL; the web bundle's
 * first-page JavaScript (compressed, as sent) and the time until the home page is interactive
 * in Chromium. The anchor is GET /api/health under the same load: the framework's own ceiling.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const PASSWORD = 'Load-test-Passw0rd';
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server did not come up');
}

interface Load {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(name: string, url: string, cookie: string, paths: () => string, seconds: number): Promise<Load> {
  // A short warm-up, then the measured run.
  const run = (duration: number) =>
    autocannon({
      url,
      connections: 50,
      duration,
      headers: { cookie },
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths() }) }],
    });
  await run(3);
  const r = await run(seconds);
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function browserFigures(url: string): Promise<{ jsBytes: number; jsGzip: number; jsFiles: number; cssBytes: number; interactive: number[] }> {
  const browser = await chromium.launch({
    executablePath: process.env.INNOLINK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // Log in once; each measured load is a cold page (new context, empty cache) with the cookie.
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-officer', password: PASSWORD }) });
    const token = /innolink_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    if (!token) throw new Error('bench log-in failed');
    const interactive: number[] = [];
    let jsBytes = 0;
    let jsGzip = 0;
    let jsFiles = 0;
    let cssBytes = 0;
    for (let i = 0; i < 6; i++) {
      const context = await browser.newContext({ baseURL: url });
      await context.addCookies([{ name: 'innolink_session', value: token, url }]);
      const page = await context.newPage();
      const sizes: Promise<{ type: string; bytes: number; gzip: number }>[] = [];
      page.on('requestfinished', (req) => {
        const type = req.resourceType();
        const gz = path.join(ROOT, 'dist', 'web', new URL(req.url()).pathname + '.gz');
        const gzip = fs.existsSync(gz) ? fs.statSync(gz).size : 0;
        if (type === 'script' || type === 'stylesheet') sizes.push(req.sizes().then((s) => ({ type, bytes: s.responseBodySize + s.responseHeadersSize, gzip })));
      });
      await page.goto('/');
      await page.getByTestId('home-title').waitFor({ timeout: 30_000 });
      // Interactive: the home page's data is drawn and the main thread is free again.
      const t = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))));
      const loaded = await Promise.all(sizes);
      if (i === 0) {
        jsBytes = loaded.filter((s) => s.type === 'script').reduce((a, s) => a + s.bytes, 0);
        jsFiles = loaded.filter((s) => s.type === 'script').length;
        jsGzip = loaded.filter((s) => s.type === 'script').reduce((a, s) => a + s.gzip, 0);
        cssBytes = loaded.filter((s) => s.type === 'stylesheet').reduce((a, s) => a + s.bytes, 0);
      } else interactive.push(t); // the first load warms the server's file cache
      await context.close();
    }
    return { jsBytes, jsGzip, jsFiles, cssBytes, interactive };
  } finally {
    await browser.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the web workloads on a PostgreSQL database already holding the foundation data set. */
export async function benchWeb(log: (m: string) => void, opts: { databaseUrl: string; seconds?: number }): Promise<string> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_WEB_SECONDS ?? '15');
  const { buildWeb } = (await import(path.join(ROOT, 'bin/build-web.mjs'))) as { buildWeb: (o?: { force?: boolean; quiet?: boolean }) => Promise<boolean> };
  await buildWeb({ quiet: true });
  const env = { ...process.env, DATABASE_URL: opts.databaseUrl, INNOLINK_DEMO: '0', LOG_LEVEL: 'warn' };
  const made = spawnSync(process.execPath, [path.join(ROOT, 'bin/innolink.mjs'), 'users', 'create', 'bench-officer', '--role', 'bureau', '--region', '常州', '--password-stdin'], { env, input: PASSWORD, encoding: 'utf8' });
  if (made.status !== 0 && !/USER_EXISTS|exists|已存在/.test(made.stderr + made.stdout)) throw new Error(`users create failed: ${made.stderr}`);
  const start = async (extra: Record<string, string>) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/innolink.mjs'), 'serve'], { env: { ...env, ...extra, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitUp(url, child).catch(async (e) => {
      child.kill('SIGTERM');
      throw e;
    });
    const stop = async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    };
    return { url, stop };
  };
  let server = await start({});
  try {
    let url = server.url;
    const logIn = async () => {
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-officer', password: PASSWORD }) });
      if (!login.ok) throw new Error(`log-in failed: ${login.status} ${await login.text()}`);
      return (login.headers.get('set-cookie') ?? '').split(';')[0];
    };
    let cookie = await logIn();
    const stats = (await (await fetch(`${url}/api/projects?pageSize=1`, { headers: { cookie } })).json()) as { total: number; items: { id: number }[] };
    const maxId = (await (await fetch(`${url}/api/projects?pageSize=1&sort=id&order=desc`, { headers: { cookie } })).json()) as { items: { id: number }[] };
    const top = maxId.items[0]?.id ?? 1;
    const minId = Math.max(1, top - stats.total + 1);
    log(`  web: ${fmt(stats.total)} projects visible to a 常州 bureau officer`);
    const levels = ['national', 'provincial', 'municipal'];
    const sorts = ['start_date', 'title_zh', 'code'];
    let n = 0;
    const listPath = () => {
      n++;
      return `/api/projects?level=${levels[n % 3]}&sort=${sorts[n % 3]}&order=${n % 2 ? 'desc' : 'asc'}&page=${1 + (n % 50)}&pageSize=20`;
    };
    const detailPath = () => `/api/projects/${minId + Math.floor(Math.random() * (top - minId + 1))}`;
    const LIST = 'project list (filtered by level, sorted, page 1–50 of 20)';
    const DETAIL = 'project detail (random id, with partners, funding, outputs)';
    const results: (Load & { cache: string })[] = [];
    for (const [name, p] of [
      ['anchor: GET /api/health', () => '/api/health'],
      [LIST, listPath],
      [DETAIL, detailPath],
    ] as const) {
      log(`  web: ${name}`);
      const r = await load(name, url, cookie, p, seconds);
      log(`  web: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
      results.push({ ...r, cache: 'kept until the data changes' });
    }
    log('  web: first page in Chromium');
    const b = await browserFigures(url);
    // The same list and detail loads with every kept answer turned off: each request checks its
    // session, counts and chooses its page in the store (the first request after any change).
    await server.stop();
    server = await start({ INNOLINK_QUERY_CACHE: '0' });
    url = server.url;
    cookie = await logIn();
    for (const [name, p] of [
      [LIST, listPath],
      [DETAIL, detailPath],
    ] as const) {
      log(`  web: ${name}, INNOLINK_QUERY_CACHE=0`);
      const r = await load(name, url, cookie, p, seconds);
      log(`  web: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
      results.push({ ...r, cache: 'off (`INNOLINK_QUERY_CACHE=0`)' });
    }
    const lines = [
      '## Web application (issue 3): API under load, bundle, first page',
      '',
      `The server runs in its own process (\`innolink serve\`, request logging off) on the PostgreSQL data set above (${fmt(stats.total)} projects); autocannon in the bench process, 50 connections, ${seconds} s per workload after a 3 s warm-up, as a logged-in bureau officer of 常州 (session cookie; every request checks the session and the data scope). The list workload cycles through 150 different requests (level and sort key in turn, both directions, pages 1–50). The anchor is \`GET /api/health\` (one \`SELECT 1\`) under the same load. Goal: ≥ 1,500 requests/s and p99 < 100 ms.`,
      '',
      'Kept answers (docs/ARCHITECTURE.md): a session\'s actor, a list\'s page (its rows) and a list\'s count are kept until the data changes (this server\'s writes at once, other processes\' on their commit notification); a detail page (the project, its partners, funding lines and outputs, one prepared statement) is read from the store on every request. With 200,000 projects and random ids, the detail load is almost all first reads. The rows with the cache off are what a request costs the first time after a change.',
      '',
      '| workload | kept answers | requests/s | p50 (ms) | p99 (ms) | non-2xx | errors |',
      '|---|---|---:|---:|---:|---:|---:|',
      ...results.map((r) => `| ${r.name} | ${r.cache} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`),
      '',
      `First page in Chromium (home page of a logged-in officer, cold cache, pre-compressed assets over loopback): ${b.jsFiles} scripts, **${fmt(b.jsGzip / 1024, 1)} KB** JavaScript gzip-compressed (${fmt(b.jsBytes / 1024, 1)} KB as transferred with brotli) and ${fmt(b.cssBytes / 1024, 1)} KB CSS (goal: < 500 KB gzip); time until the home page is drawn with its data and the main thread is idle: median **${fmt(median(b.interactive))} ms** of ${b.interactive.length} loads (${b.interactive.map((x) => fmt(x)).join(', ')} ms; goal < 1,500 ms).`,
      '',
    ];
    return lines.join('\n');
  } finally {
    await server.stop();
  }
}

// Standalone: `node bin/run-ts.mjs bench/web.ts` on the database the last `npm run bench` left.
if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.INNOLINK_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/innolink_bench';
  process.stdout.write(await benchWeb((m) => process.stderr.write(`${m}\n`), { databaseUrl: url }));
}
