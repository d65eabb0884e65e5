/**
 * Benchmark of the audit log (issue 21): what keying the chain costs a write, where the chain's
 * head makes writers queue, and how long verification takes on a large log.
 *
 * - hash: an entry's legacy sha256 against its HMAC-SHA256 under the key (the anchor: the same
 *   bytes hashed without a key), per entry;
 * - append: single-entry audit transactions (lock the head, insert, move the head, commit) by
 *   1 and by 8 concurrent writers — the ceiling the head's row lock puts on write transactions;
 * - creates: organisations created through the registry service (validation, insert, search
 *   vector, audit entry) by 1 and 8 writers, against the anchor of the same row inserted in its
 *   own transaction without service or audit;
 * - verify: full verification of a log of N entries, and incremental verification after the
 *   latest checkpoint with 1,000 new entries.
 *
 * On PostgreSQL (the server) and PGlite. `benchAudit(log)` returns the markdown section for
 * docs/benchmarks.md; BENCH_SCALE (default 1) shrinks N; `node bin/run-ts.mjs bench/audit.ts --print`
 * prints it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemActor } from '../src/actor.ts';
import { loadConfig } from '../src/config.ts';
import { canonicalJson, GENESIS_HASH, keyedHash, legacyHash, type ChainedEntry } from '../src/modules/audit/audit.chain.ts';
import { loadAuditAnchor } from '../src/modules/audit/audit.key.ts';
import { attachAuditAnchor, recordAudit, recordAuditBatch, takeCheckpoint, verifyAuditChain } from '../src/modules/audit/audit.service.ts';
import { registryService } from '../src/modules/registry/registry.service.ts';
import { REGISTRIES } from '../src/modules/registries/defs.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { ensureReferenceData } from '../src/store/reference.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const ADMIN_URL = process.env.INNOLINK_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LOG_SIZE = Math.max(1000, Math.round(200_000 * SCALE));
const APPENDS = Math.max(200, Math.round(2000 * SCALE));
const CREATES = Math.max(100, Math.round(1000 * SCALE));

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const ENTRY: ChainedEntry = {
  at: '2026-03-01T08:00:00.000Z',
  actor: 'cz-officer',
  actor_user_id: 12,
  action: 'update',
  entity: 'project',
  entity_id: '4711',
  before: { code: 'CZ-2021-017', title_zh: '中德新能源汽车动力电池联合研发', amount: 120, status: 'active' },
  after: { code: 'CZ-2021-017', title_zh: '中德新能源汽车动力电池联合研发', amount: 150, status: 'active' },
  request_id: 'req-abc123',
};

const HASHES = 200_000;
const ROUNDS = 10;

/**
 * Microseconds per call of each function: rounds of HASHES / ROUNDS calls, the functions taking
 * turns, the fastest round of each — the least disturbed by other processes on a shared machine.
 */
function perEntry(fns: Record<string, () => void>): Record<string, number> {
  const best: Record<string, number> = {};
  for (const f of Object.values(fns)) for (let i = 0; i < 5000; i++) f();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, f] of Object.entries(fns)) {
      const t = performance.now();
      for (let i = 0; i < HASHES / ROUNDS; i++) f();
      const us = ((performance.now() - t) * 1000) / (HASHES / ROUNDS);
      best[name] = Math.min(best[name] ?? Infinity, us);
    }
  }
  return best;
}

async function withWorkers(workers: number, total: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < total; i = next++) await job(i);
    }),
  );
  return (performance.now() - t) / 1000;
}

interface StoreFigures {
  engine: string;
  append: { workers: number; perSec: number }[];
  creates: { workers: number; perSec: number; anchorPerSec: number }[];
  verify: { entries: number; fullSeconds: number; incrementalMs: number; incrementalChecked: number };
}

async function measureStore(engine: 'postgres' | 'pglite', db: Db, log: (m: string) => void): Promise<StoreFigures> {
  const actor = { name: 'bench', userId: 1 };
  const append: StoreFigures['append'] = [];
  for (const workers of [1, 8]) {
    const s = await withWorkers(workers, APPENDS, (i) => db.transaction((tx) => recordAudit(tx, { actor, action: 'update', entity: 'project', entityId: i, before: ENTRY.before, after: ENTRY.after })).then(() => undefined));
    append.push({ workers, perSec: APPENDS / s });
    log(`  ${engine}: audit appends, ${workers} writer(s): ${fmt(APPENDS / s)} /s`);
  }

  const ctx = { db, actor: systemActor('bench'), config: loadConfig({ ...process.env, INNOLINK_DEMO: '0' }) };
  const orgs = registryService(REGISTRIES.organizations);
  const creates: StoreFigures['creates'] = [];
  for (const workers of [1, 8]) {
    const s = await withWorkers(workers, CREATES, (i) => orgs.create(ctx, { name_zh: `基准机构 ${workers}-${i}`, domestic: true }).then(() => undefined));
    const a = await withWorkers(workers, CREATES, (i) =>
      db.transaction((tx) => tx.query(`INSERT INTO organizations (name_zh, name_key, domestic) VALUES ($1, $1, true)`, [`锚点机构 ${workers}-${i}`])).then(() => undefined),
    );
    creates.push({ workers, perSec: CREATES / s, anchorPerSec: CREATES / a });
    log(`  ${engine}: creates, ${workers} writer(s): ${fmt(CREATES / s)} /s (anchor: plain insert ${fmt(CREATES / a)} /s)`);
  }

  // A large log, written in batches, then verified in full and from a checkpoint.
  const have = Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n);
  for (let written = have; written < LOG_SIZE; written += 2000) {
    const n = Math.min(2000, LOG_SIZE - written);
    await db.transaction((tx) => recordAuditBatch(tx, Array.from({ length: n }, (_, i) => ({ actor, action: 'update', entity: 'project', entityId: written + i, before: ENTRY.before, after: ENTRY.after }))));
  }
  let t = performance.now();
  const full = await verifyAuditChain(db);
  const fullSeconds = (performance.now() - t) / 1000;
  if (!full.ok) throw new Error(`verification failed: ${JSON.stringify(full.first_bad)}`);
  await takeCheckpoint(db);
  await db.transaction((tx) => recordAuditBatch(tx, Array.from({ length: 1000 }, (_, i) => ({ actor, action: 'create', entity: 'funding', entityId: i, after: { amount: i } }))));
  t = performance.now();
  const inc = await verifyAuditChain(db, { mode: 'incremental' });
  const incrementalMs = performance.now() - t;
  log(`  ${engine}: verify ${fmt(full.entries)} entries: full ${fmt(fullSeconds, 1)} s; incremental (${inc.checked} recomputed) ${fmt(incrementalMs)} ms`);
  return { engine, append, creates, verify: { entries: full.entries, fullSeconds, incrementalMs, incrementalChecked: inc.checked } };
}

export async function benchAudit(log: (m: string) => void): Promise<string> {
  const loadAtStart = os.loadavg()[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-bench-audit-'));
  const anchorConfig = { auditKeyFile: path.join(dir, 'audit.key'), auditCheckpointFile: path.join(dir, 'cp.jsonl'), dataDir: path.join(dir, 'data'), databaseUrl: null };

  // Hashing alone.
  // One key for both stores; each store its own checkpoint file (one file belongs to one log).
  const anchor = loadAuditAnchor(anchorConfig, { create: true });
  const body = canonicalJson(ENTRY);
  const hash = perEntry({
    legacy: () => legacyHash(GENESIS_HASH, ENTRY),
    keyed: () => keyedHash(anchor.key, GENESIS_HASH, ENTRY),
    anchor: () => createHash('sha256').update(GENESIS_HASH).update(body).digest('hex'),
  });
  log(`hash per entry: sha256 ${fmt(hash.legacy, 2)} µs, HMAC ${fmt(hash.keyed, 2)} µs (anchor, pre-serialised sha256: ${fmt(hash.anchor, 2)} µs)`);

  const stores: StoreFigures[] = [];
  const name = 'innolink_bench_audit';
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  try {
    const server = await openDb({ databaseUrl: url });
    await migrate(server);
    await ensureReferenceData(server);
    await attachAuditAnchor(server, { ...anchorConfig, auditCheckpointFile: path.join(dir, 'cp-server.jsonl') });
    stores.push(await measureStore('postgres', server, log));
    await server.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  const lite = await openDb({ dataDir: path.join(dir, 'pglite') });
  await migrate(lite);
  await ensureReferenceData(lite);
  await attachAuditAnchor(lite, { ...anchorConfig, auditCheckpointFile: path.join(dir, 'cp-lite.jsonl') });
  stores.push(await measureStore('pglite', lite, log));
  await lite.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const lines: string[] = [];
  lines.push('## Audit log (issue 21): keyed chain, the head lock, verification');
  lines.push('');
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; 1-minute load average ${loadAtStart.toFixed(2)} at the start and ${os.loadavg()[0].toFixed(2)} at the end (other processes were ${os.loadavg()[0] > 1.5 ? 'competing for the 2 cores: figures are pessimistic' : 'quiet'}). \`npm run bench -- audit\`.`,
  );
  lines.push('');
  lines.push(`Hashing one entry (a project update with before and after images; canonical JSON included; the fastest of ${ROUNDS} rounds of ${fmt(HASHES / ROUNDS)}, the rules taking turns):`);
  lines.push('');
  lines.push('| rule | µs per entry |');
  lines.push('|---|---:|');
  lines.push(`| legacy: sha256(prev ‖ JSON) | ${fmt(hash.legacy, 2)} |`);
  lines.push(`| keyed: HMAC-SHA256(key, prev ‖ JSON) | ${fmt(hash.keyed, 2)} |`);
  lines.push(`| anchor: sha256 of the already serialised bytes | ${fmt(hash.anchor, 2)} |`);
  lines.push('');
  lines.push(`Writes. Every write transaction appends its entries under the chain head's row lock (\`SELECT … FROM audit_head FOR UPDATE\`), held from the append to the commit: write transactions queue there. Appends: ${fmt(APPENDS)} single-entry transactions; creates: ${fmt(CREATES)} organisations through the registry service (each with its audit entry), against the same row inserted alone in its own transaction.`);
  lines.push('');
  lines.push('| store | writers | audit appends/s | creates/s | anchor: plain inserts/s |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const s of stores) {
    for (const w of [1, 8]) {
      const a = s.append.find((x) => x.workers === w)!;
      const c = s.creates.find((x) => x.workers === w)!;
      lines.push(`| ${s.engine} | ${w} | ${fmt(a.perSec)} | ${fmt(c.perSec)} | ${fmt(c.anchorPerSec)} |`);
    }
  }
  lines.push('');
  lines.push('Verification (entries recomputed under the key, read in pages of 5,000):');
  lines.push('');
  lines.push('| store | entries | full (s) | entries/s | incremental: 1,000 new entries since the checkpoint (ms) |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const s of stores) {
    lines.push(`| ${s.engine} | ${fmt(s.verify.entries)} | ${fmt(s.verify.fullSeconds, 1)} | ${fmt(s.verify.entries / s.verify.fullSeconds)} | ${fmt(s.verify.incrementalMs)} (${fmt(s.verify.incrementalChecked)} recomputed) |`);
  }
  lines.push('');
  return lines.join('\n');
}

if (process.argv.includes('--print')) {
  process.stdout.write(`${await benchAudit((m) => process.stderr.write(`${m}\n`))}\n`);
}
