/**
 * Issue 21, finding 3: rewriting the audit log as someone with the database's superuser rights
 * would — the append-only trigger switched off (session_replication_role = replica), rows
 * deleted or changed with plain SQL, the chain recomputed with plain SHA-256 (the algorithm is
 * in the open source), the head moved to fit. Each rewrite must be caught by
 * `innolink audit verify` (exit 1, a coded JSON answer) and by GET /api/audit/verify, on both
 * stores. The server takes checkpoints at intervals; here the operator takes one
 * (`innolink audit checkpoint`) after the first writes, as the schedule would have.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../store/db.ts';
import { STORES, freshStore, type StoreKind, type TestStore } from '../../../test/stores.ts';
import { authTestApp, createTestUser, sessionCookie } from '../auth/auth.testing.ts';
import { canonicalJson } from './audit.chain.ts';
import { recordAuditBatch } from './audit.service.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const GENESIS = '0'.repeat(64);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(store: TestStore, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/innolink.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...store.env, INNOLINK_DEMO: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Row {
  seq: number;
  at: Date | string;
  actor: string;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

/** What an intruder who read the source computes: sha256(prev_hash || canonical JSON of the entry). */
function plainHash(prev: string, r: Row): string {
  const body = canonicalJson({
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    actor_user_id: r.actor_user_id == null ? null : Number(r.actor_user_id),
    action: r.action,
    entity: r.entity,
    entity_id: r.entity_id,
    before: r.before ?? null,
    after: r.after ?? null,
    request_id: r.request_id,
  });
  return createHash('sha256').update(prev).update(body).digest('hex');
}

/** Plain SQL as a superuser, triggers off (as replication does it), in one transaction. */
async function asIntruder(db: Db, fn: (q: <T>(sql: string, params?: unknown[]) => Promise<T[]>) => Promise<void>) {
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    await fn((sql, params) => tx.query(sql, params));
  });
}

/** Recomputes every entry from `fromSeq` on with plain SHA-256 and moves the head to the last. */
async function rechain(db: Db, fromSeq: number) {
  await asIntruder(db, async (q) => {
    const [before] = await q<{ hash: string }>('SELECT hash FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT 1', [fromSeq]);
    let prev = before?.hash ?? GENESIS;
    let last = 0;
    for (const r of await q<Row>('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq', [fromSeq])) {
      const hash = plainHash(prev, r);
      await q('UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3', [prev, hash, r.seq]);
      prev = hash;
      last = Number(r.seq);
    }
    await q('UPDATE audit_head SET seq = $1, hash = $2', [last, prev]);
  });
}

type Attack = (db: Db) => Promise<{ problem: string; seq?: number }>;

const ATTACKS: Array<[string, Attack]> = [
  [
    '(a) deleting the newest entries and moving the head back',
    async (db) => {
      const newest = await db.query<{ seq: number }>('SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 3');
      await asIntruder(db, async (q) => {
        await q('DELETE FROM audit_log WHERE seq >= $1', [newest[2].seq]);
        await q('UPDATE audit_head SET seq = l.seq, hash = l.hash FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) l');
      });
      return { problem: 'behind_checkpoint' };
    },
  ],
  [
    '(b) editing an entry and recomputing the chain after it with plain SHA-256',
    async (db) => {
      const [target] = await db.query<{ seq: number }>(`SELECT seq FROM audit_log WHERE entity = 'funding' ORDER BY seq LIMIT 1 OFFSET 2`);
      await asIntruder(db, (q) => q(`UPDATE audit_log SET after = '{"amount": 1}' WHERE seq = $1`, [target.seq]).then(() => undefined));
      await rechain(db, Number(target.seq));
      return { problem: 'edited', seq: Number(target.seq) };
    },
  ],
  [
    '(b) editing an entry and recomputing the whole chain from genesis with plain SHA-256',
    async (db) => {
      await asIntruder(db, (q) => q(`UPDATE audit_log SET after = '{"amount": 1}' WHERE seq = (SELECT max(seq) FROM audit_log WHERE entity = 'funding')`).then(() => undefined));
      await rechain(db, 0);
      return { problem: 'edited' };
    },
  ],
  [
    '(c) truncating the log to genesis',
    async (db) => {
      await asIntruder(db, async (q) => {
        await q('DELETE FROM audit_log');
        await q('UPDATE audit_head SET seq = 0, hash = $1', [GENESIS]);
      });
      return { problem: 'behind_checkpoint' };
    },
  ],
];

describe.each(STORES)('rewriting the audit log on %s (issue 21, finding 3)', (kind: StoreKind) => {
  let store: TestStore | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  it.each(ATTACKS)('%s is caught by innolink audit verify and GET /api/audit/verify', { timeout: 240_000 }, async (_name, attack) => {
    const s = (store = await freshStore(kind, { onDisk: true }));
    const actor = { name: 'officer-1', userId: 42 };
    await createTestUser(s.db, { role: 'bureau', region: '常州' });
    // The auditor logs in before the rewrite (a log-in is itself an entry).
    const { cookie } = await sessionCookie(s.db, { role: 'auditor' });
    await s.db.transaction((tx) =>
      recordAuditBatch(
        tx,
        Array.from({ length: 6 }, (_, i) => ({ actor, action: 'create', entity: 'funding', entityId: i + 1, after: { amount: 100 + i, year: 2020 + i } })),
      ),
    );
    await s.suspend();
    const checkpoint = await cli(s, ['audit', 'checkpoint', '--json']);
    await s.resume();
    await createTestUser(s.db, { role: 'evaluator' }); // written after the checkpoint

    const expected = await attack(s.db);

    await s.suspend();
    const res = await cli(s, ['audit', 'verify', '--json']);
    await s.resume();
    expect(res.code, res.stdout + res.stderr).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.ok).toBe(false);
    expect(out.first_bad).toMatchObject({ problem: expected.problem, ...(expected.seq ? { seq: expected.seq } : {}) });
    expect(out.first_bad.message).toMatch(/[\u4e00-\u9fff]/);
    expect(out.first_bad.message_en).toMatch(/[a-z]/);

    const app = await authTestApp(s.db);
    try {
      const api = await app.inject({ url: '/api/audit/verify', headers: { cookie } });
      expect(api.statusCode, api.body).toBe(200);
      expect(api.json()).toMatchObject({ ok: false, first_bad: { problem: expected.problem } });
    } finally {
      await app.close();
    }
    // The checkpoint the operator took before the rewrite.
    expect(checkpoint.code, checkpoint.stdout + checkpoint.stderr).toBe(0);
  });
});
