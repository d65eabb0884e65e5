/**
 * Several application instances on one PostgreSQL database (issue 21, "Beyond one machine"):
 * two real server processes (`innolink serve`, as an office would start them behind a load
 * balancer) on one fresh database. What one of them writes is what the other answers — lists
 * and their counts, sessions (a log-in on one works on the other; a log-out or a disabled user
 * ends it on both), the matching index — and both write into one audit chain that verifies.
 *
 * The other instance learns of a change from PostgreSQL's notifications (src/store/changes.ts),
 * a few milliseconds after the commit: each check below waits for it (at most 10 s) and the
 * longest wait is printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_PASSWORD, createTestUser } from '../src/modules/auth/auth.testing.ts';
import { verifyAuditChain } from '../src/modules/audit/audit.verify.ts';
import { freshStore, type TestStore } from './stores.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STARTUP_MS = 120_000;

interface Instance {
  name: string;
  url: string;
  proc: ChildProcess;
  log: string[];
}

/** A free loopback port (asked of the system, then released for the server to take). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `innolink serve` on the store's database and waits until /api/health answers. */
async function startInstance(name: string, store: TestStore): Promise<Instance> {
  const port = await freePort();
  const log: string[] = [];
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'innolink.mjs'), 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, ...store.env, INNOLINK_DEMO: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', INNOLINK_AUDIT_VERIFY_INTERVAL_MINUTES: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  proc.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}): ${log.join('')}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > STARTUP_MS) throw new Error(`${name} did not answer within ${STARTUP_MS} ms: ${log.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { name, url, proc, log };
}

async function stopInstance(i: Instance | undefined): Promise<void> {
  if (!i || i.proc.exitCode !== null) return;
  const exited = new Promise((r) => i.proc.once('exit', r));
  i.proc.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (i.proc.exitCode === null) i.proc.kill('SIGKILL');
}

let store: TestStore;
let a: Instance;
let b: Instance;
let waitedMs = 0;

/** Waits until `check` holds on the other instance; records the longest wait. */
async function seen(check: () => Promise<boolean>): Promise<void> {
  const t0 = Date.now();
  await vi.waitUntil(check, { timeout: 10_000, interval: 10 });
  waitedMs = Math.max(waitedMs, Date.now() - t0);
}

async function login(i: Instance, username: string): Promise<string> {
  const res = await fetch(`${i.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  expect(res.status, `log-in of ${username} on ${i.name}`).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  expect(cookie).not.toBe('');
  return cookie;
}

async function call(i: Instance, cookie: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${i.url}${url}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

describe('two application instances on one PostgreSQL database', () => {
  let officer: string; // a 常州 bureau officer, logged in on A
  let admin: string; // logged in on B

  beforeAll(async () => {
    store = await freshStore('postgres');
    await createTestUser(store.db, { role: 'bureau', username: 'mi-officer', region: '常州' });
    await createTestUser(store.db, { role: 'admin', username: 'mi-admin' });
    await createTestUser(store.db, { role: 'district', username: 'mi-district', region: '新北' });
    [a, b] = await Promise.all([startInstance('A', store), startInstance('B', store)]);
    officer = await login(a, 'mi-officer');
    admin = await login(b, 'mi-admin');
  }, STARTUP_MS * 2);

  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    await store?.close();
    if (waitedMs) console.log(`multi-instance: the longest wait for the other instance to see a change was ${waitedMs} ms`);
  });

  it('honours on B a session opened on A', async () => {
    const me = await call(b, officer, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.json.user.username).toBe('mi-officer');
  });

  it('shows on B, in its list and count, the projects created, changed and deleted on A', async () => {
    const list = async (i: Instance) => (await call(i, officer, 'GET', '/api/projects?pageSize=5&sort=code&order=asc')).json as { total: number; items: { id: number; code: string; title_zh: string }[] };
    const [{ id: wujin }] = await store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '武进'`);
    // B answers the list once, so that what it answers next could come from what it kept.
    const before = await list(b);
    const made = await call(a, officer, 'POST', '/api/projects', { code: 'AA-MI-001', title_zh: '两个实例之间的项目', region_id: wujin });
    expect(made.status).toBe(201);
    await seen(async () => (await list(b)).total === before.total + 1);
    expect((await list(b)).items[0]).toMatchObject({ code: 'AA-MI-001', title_zh: '两个实例之间的项目' });

    expect((await call(a, officer, 'PATCH', `/api/projects/${made.json.id}`, { title_zh: '在实例 A 上改名' })).status).toBe(200);
    await seen(async () => (await list(b)).items[0].title_zh === '在实例 A 上改名');

    expect((await call(a, officer, 'DELETE', `/api/projects/${made.json.id}`)).status).toBe(204);
    await seen(async () => (await list(b)).total === before.total);
    expect((await call(b, officer, 'GET', `/api/projects/${made.json.id}`)).status).toBe(404);
  });

  it('matches on B an offer published on A', async () => {
    const query = { text: '城市公交氢燃料电池电堆', kind: 'offers' };
    const before = await call(b, admin, 'POST', '/api/market/match', query);
    expect(before.status).toBe(200);
    const draft = await call(a, officer, 'POST', '/api/market/profiles', { kind: 'offer', title_en: 'Hydrogen fuel cell stacks for city buses', cooperation: ['technical_service'] });
    expect(draft.status).toBe(201);
    const id = String(draft.json.id);
    expect((before.json.results as { id: string }[]).map((r) => r.id)).not.toContain(id);
    expect((await call(a, officer, 'POST', `/api/market/profiles/${draft.json.id}/submit`)).status).toBe(200);
    const published = await call(a, officer, 'POST', `/api/market/profiles/${draft.json.id}/review`, { decision: 'approve' });
    expect(published.status, JSON.stringify(published.json)).toBe(200);
    expect(published.json.status).toBe('published');
    await seen(async () => ((await call(b, admin, 'POST', '/api/market/match', query)).json.results as { id: string }[])[0]?.id === id);
  });

  it('ends on A a session logged out on B, and refuses on both a user disabled on B', async () => {
    const district = await login(a, 'mi-district');
    expect((await call(b, district, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await call(b, district, 'POST', '/api/auth/logout')).status).toBe(204);
    await seen(async () => (await call(a, district, 'GET', '/api/auth/me')).status === 401);

    const again = await login(a, 'mi-district');
    const [{ id }] = await store.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'mi-district'`);
    expect((await call(a, again, 'GET', '/api/auth/me')).status).toBe(200);
    const disabled = await call(b, admin, 'PATCH', `/api/users/${id}`, { disabled: true });
    expect(disabled.status, JSON.stringify(disabled.json)).toBe(200);
    await seen(async () => (await call(a, again, 'GET', '/api/auth/me')).status === 401);
  });

  it('writes from both instances into one audit chain that verifies, one entry per write', async () => {
    // Both instances create at once: their audit entries interleave on the one chain.
    const [{ id: wujin }] = await store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '武进'`);
    const [{ n: entriesBefore }] = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    const writes = await Promise.all(
      Array.from({ length: 20 }, (_, k) => call(k % 2 ? b : a, k % 2 ? admin : officer, 'POST', '/api/projects', { code: `AA-MI-${String(100 + k)}`, title_zh: `并发写入${k}`, region_id: wujin })),
    );
    expect(writes.map((w) => w.status)).toEqual(Array(20).fill(201));
    const [{ n: entriesAfter }] = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    expect(entriesAfter - entriesBefore).toBe(20);
    const report = await verifyAuditChain(store.db);
    expect(report.ok, JSON.stringify(report.first_bad)).toBe(true);
  });
});
