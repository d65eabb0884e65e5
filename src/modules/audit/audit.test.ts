import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { loadConfig } from '../../config.ts';
import { buildApp } from '../../http/app.ts';
import type { Db } from '../../store/db.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { authTestApp, sessionCookie } from '../auth/auth.testing.ts';
import { canonicalJson, EPOCH_ACTION, GENESIS_HASH, keyedHash, legacyHash, type ChainedEntry } from './audit.chain.ts';
import { appendCheckpoint, readCheckpoints } from './audit.checkpoints.ts';
import { auditKeyFrom, loadAuditAnchor } from './audit.key.ts';
import { runAuditCheck } from './audit.schedule.ts';
import { attachAuditAnchor, recordAudit, recordAuditBatch, takeCheckpoint, verifyAuditChain } from './audit.service.ts';
import { chainedOf } from './audit.verify.ts';
import type { AuditRow } from './audit.repo.ts';

const ENTRY: ChainedEntry = { at: '2026-01-01T00:00:00.000Z', actor: 'a', actor_user_id: null, action: 'create', entity: 'project', entity_id: '1', before: null, after: { x: 1 }, request_id: null };
const sha256 = (...parts: string[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

describe('the chain rules', () => {
  it('writes canonical JSON: keys sorted at every level, undefined members dropped', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: '中' }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":"中","z":1}]},"b":1}');
  });

  it('legacy entries: sha256(prev_hash || canonical JSON), as written before the key', () => {
    const body = '{"action":"create","actor":"a","actor_user_id":null,"after":{"x":1},"at":"2026-01-01T00:00:00.000Z","before":null,"entity":"project","entity_id":"1","request_id":null}';
    expect(legacyHash(GENESIS_HASH, ENTRY)).toBe(sha256(GENESIS_HASH, body));
  });

  it('keyed entries: HMAC-SHA256 under the key, which nobody computes without the key', () => {
    const bytes = randomBytes(32);
    const key = auditKeyFrom(bytes);
    const body = canonicalJson({ ...ENTRY });
    // RFC 2104 HMAC, written out: H((K ⊕ opad) || H((K ⊕ ipad) || m)), K padded to the 64-byte block.
    const k = Buffer.concat([bytes, Buffer.alloc(32)]);
    const pad = (b: number) => Buffer.from(k.map((x) => x ^ b));
    const inner = createHash('sha256').update(pad(0x36)).update(GENESIS_HASH).update(body).digest();
    const hmac = createHash('sha256').update(pad(0x5c)).update(inner).digest('hex');
    expect(keyedHash(key, GENESIS_HASH, ENTRY)).toBe(hmac);
    expect(keyedHash(key, GENESIS_HASH, ENTRY)).not.toBe(legacyHash(GENESIS_HASH, ENTRY));
    expect(keyedHash(auditKeyFrom(randomBytes(32)), GENESIS_HASH, ENTRY)).not.toBe(hmac);
  });

  it('never shows the key: its JSON is its id, an HMAC of a fixed label', () => {
    const bytes = randomBytes(32);
    const key = auditKeyFrom(bytes);
    expect(JSON.stringify(key)).toBe(`{"id":"${key.id}"}`);
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(key)).not.toContain(bytes.toString('hex').slice(0, 8));
  });
});

describe('the audit key file', () => {
  let dir: string;
  const config = (over: Partial<{ auditKeyFile: string; dataDir: string; databaseUrl: string | null }> = {}) => ({
    auditKeyFile: path.join(dir, 'audit', 'audit.key'),
    auditCheckpointFile: path.join(dir, 'audit', 'audit-checkpoints.jsonl'),
    dataDir: path.join(dir, 'data'),
    databaseUrl: null,
    ...over,
  });
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-key-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('defaults to innolink-audit/audit.key beside the data folder, checkpoints beside the key', () => {
    const c = loadConfig({ INNOLINK_DATA: '/srv/innolink/data' });
    expect([c.auditKeyFile, c.auditCheckpointFile, c.auditVerifyIntervalMinutes]).toEqual(['/srv/innolink/innolink-audit/audit.key', '/srv/innolink/innolink-audit/audit-checkpoints.jsonl', 60]);
    const d = loadConfig({ INNOLINK_AUDIT_KEY_FILE: '/etc/innolink/audit.key', INNOLINK_AUDIT_VERIFY_INTERVAL_MINUTES: '15' });
    expect([d.auditKeyFile, d.auditCheckpointFile, d.auditVerifyIntervalMinutes]).toEqual(['/etc/innolink/audit.key', '/etc/innolink/audit-checkpoints.jsonl', 15]);
    expect(loadConfig({ INNOLINK_AUDIT_CHECKPOINT_FILE: '/mnt/other-host/cp.jsonl' }).auditCheckpointFile).toBe('/mnt/other-host/cp.jsonl');
  });

  it('is created with mode 0600 on the first start, then read back as the same key', () => {
    const a = loadAuditAnchor(config(), { create: true });
    const file = config().auditKeyFile;
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^#.*\n#.*\n#.*\n[0-9a-f]{64}\n$/);
    expect(loadAuditAnchor(config(), { create: false }).key.id).toBe(a.key.id);
  });

  it('is refused when others may read it, when malformed, when missing for a keyed log, and inside the data folder', () => {
    const file = config().auditKeyFile;
    fs.chmodSync(file, 0o644);
    expect(() => loadAuditAnchor(config(), { create: false })).toThrow(expect.objectContaining({ code: 'AUDIT_KEY_INSECURE' }));
    fs.chmodSync(file, 0o600);
    const bad = path.join(dir, 'bad.key');
    fs.writeFileSync(bad, 'not-hex\n', { mode: 0o600 });
    expect(() => loadAuditAnchor(config({ auditKeyFile: bad }), { create: false })).toThrow(expect.objectContaining({ code: 'AUDIT_KEY_INVALID' }));
    const gone = path.join(dir, 'gone', 'audit.key');
    expect(() => loadAuditAnchor(config({ auditKeyFile: gone }), { create: false })).toThrow(expect.objectContaining({ code: 'AUDIT_KEY_MISSING' }));
    expect(fs.existsSync(gone)).toBe(false);
    const inData = path.join(dir, 'data', 'audit.key');
    expect(() => loadAuditAnchor(config({ auditKeyFile: inData }), { create: true })).toThrow(expect.objectContaining({ code: 'AUDIT_KEY_IN_STORE' }));
    expect(fs.existsSync(inData)).toBe(false);
    // On a PostgreSQL server the data folder holds nothing of the store.
    expect(loadAuditAnchor(config({ auditKeyFile: inData, databaseUrl: 'postgres://x/y' }), { create: true }).key.id).toMatch(/^[0-9a-f]{16}$/);
  });
});

/**
 * Tampering as an intruder with the database's superuser rights: triggers off (as replication
 * does it), rows changed with plain SQL.
 */
async function tamper(db: Db, sql: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    await tx.query(sql, params);
  });
}

/** The log as the pre-key version wrote it: sha256 chain, head moved, no key columns. */
async function writeLegacy(db: Db, n: number) {
  const [head] = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head');
  let prev = head.hash;
  for (let i = 0; i < n; i++) {
    const e: ChainedEntry = { ...ENTRY, at: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(), entity: 'funding', entity_id: String(i + 1), after: { amount: 10 * i, year: 2020 } };
    const hash = legacyHash(prev, e);
    const [row] = await db.query<{ seq: number }>(
      `INSERT INTO audit_log (at, actor, actor_user_id, action, entity, entity_id, before, after, request_id, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11) RETURNING seq`,
      [e.at, e.actor, e.actor_user_id, e.action, e.entity, e.entity_id, null, canonicalJson(e.after), e.request_id, prev, hash],
    );
    await db.query('UPDATE audit_head SET seq = $1, hash = $2', [row.seq, hash]);
    prev = hash;
  }
}

const rows = (db: Db) => db.query<AuditRow>('SELECT * FROM audit_log ORDER BY seq');

describe.each(STORES)('audit log on %s', (kind) => {
  let store: TestStore;
  const actor = { name: 'officer-1', userId: 42 };

  beforeAll(async () => {
    store = await freshStore(kind);
  });
  afterAll(async () => store?.close());

  async function writeSome(n: number, entity = 'project') {
    for (let i = 0; i < n; i++) {
      await store.db.transaction((tx) =>
        recordAudit(tx, {
          actor,
          action: 'update',
          entity,
          entityId: i + 1,
          before: { title_zh: `旧标题 ${i}`, amount: 1.5, started: new Date('2024-03-01T00:00:00Z') },
          after: { title_zh: `新标题 ${i}`, amount: 2.25, tags: ['国际', 'BRI'], nested: { b: 1, a: null } },
          requestId: `req-${i}`,
        }),
      );
    }
  }

  it('begins with its key epoch entry and a checkpoint of it, and verifies', async () => {
    const [epoch] = await rows(store.db);
    const key = store.db.auditAnchor!.key;
    expect(epoch).toMatchObject({ action: EPOCH_ACTION, entity: 'audit', entity_id: key.id, actor: 'innolink', prev_hash: GENESIS_HASH });
    expect(epoch.after).toMatchObject({ key_id: key.id, legacy_entries: 0, legacy_head: { seq: 0, hash: GENESIS_HASH } });
    expect(epoch.hash).toBe(keyedHash(key, GENESIS_HASH, chainedOf(epoch)));
    const v = await verifyAuditChain(store.db);
    expect(v).toMatchObject({ ok: true, mode: 'full', entries: 1, checked: 1, head: { seq: Number(epoch.seq), hash: epoch.hash }, key: { id: key.id, epoch_seq: Number(epoch.seq), legacy_entries: 0 } });
    expect(v.checkpoints).toMatchObject({ valid: 1, invalid: 0, latest: { seq: Number(epoch.seq), hash: epoch.hash, entries: 1, key_id: key.id } });
  });

  it('chains entries written in separate transactions with the key, and verifies them after the jsonb round trip', async () => {
    await writeSome(5);
    const v = await verifyAuditChain(store.db);
    expect(v).toMatchObject({ ok: true, entries: 6 });
    const all = await rows(store.db);
    const key = store.db.auditAnchor!.key;
    for (let i = 1; i < all.length; i++) {
      expect(all[i].prev_hash).toBe(all[i - 1].hash);
      expect(all[i].hash).toBe(keyedHash(key, all[i - 1].hash, chainedOf(all[i])));
      expect(all[i].hash).not.toBe(legacyHash(all[i - 1].hash, chainedOf(all[i])));
    }
    expect(v.head).toEqual({ seq: Number(all[5].seq), hash: all[5].hash });
    expect((all[1].before as { started: string }).started).toBe('2024-03-01T00:00:00.000Z'); // dates stored as JSON strings
  });

  it('records a batch in order and leaves no entry when the write rolls back', async () => {
    const seqs = await store.db.transaction((tx) =>
      recordAuditBatch(tx, [
        { actor, action: 'import', entity: 'import', entityId: 9, after: { rows: 3 } },
        { actor, action: 'create', entity: 'project', entityId: 'P-1', after: { code: 'P-1' } },
      ]),
    );
    expect(seqs[1]).toBeGreaterThan(seqs[0]);
    await expect(
      store.db.transaction(async (tx) => {
        await recordAudit(tx, { actor, action: 'delete', entity: 'project', entityId: 1, before: { code: 'x' } });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, entries: 8 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the table (append-only)', async () => {
    await expect(store.db.query(`UPDATE audit_log SET actor = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(store.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(store.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
  });

  it('keeps the key out of the store: no table holds it, only its id', async () => {
    const keyHex = fs.readFileSync(store.db.auditAnchor!.keyFile, 'utf8').split('\n').find((l) => /^[0-9a-f]{64}$/.test(l))!;
    const dump = JSON.stringify([await rows(store.db), await store.db.query('SELECT * FROM audit_head')]);
    expect(dump).toContain(store.db.auditAnchor!.key.id);
    expect(dump).not.toContain(keyHex);
    expect(dump).not.toContain(keyHex.slice(0, 16));
  });

  describe('checkpoints outside the store', () => {
    it('writes one only after a verification passed, each line with its HMAC', async () => {
      const before = readCheckpoints(store.db.auditAnchor!).valid.length;
      const run = await takeCheckpoint(store.db);
      expect(run).toMatchObject({ ok: true, mode: 'incremental', entries: 8 });
      expect(run.written).toMatchObject({ seq: run.head.seq, hash: run.head.hash, entries: 8, key_id: store.db.auditAnchor!.key.id });
      const lines = fs.readFileSync(store.checkpointFile, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(before + 1);
      expect(JSON.parse(lines[lines.length - 1])).toMatchObject({ v: 1, seq: run.head.seq, entries: 8, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    });

    it('verifies incrementally from the latest checkpoint: only the entries after it are recomputed', async () => {
      await writeSome(3, 'platform');
      const inc = await verifyAuditChain(store.db, { mode: 'incremental' });
      // The epoch, the checkpoint's own entry, and the three new ones.
      expect(inc).toMatchObject({ ok: true, mode: 'incremental', entries: 11, checked: 5 });
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, mode: 'full', entries: 11, checked: 11 });
    });

    it('refuses a checkpoint line that was edited (its HMAC no longer fits)', async () => {
      const t = await freshStore(kind);
      try {
        const text = fs.readFileSync(t.checkpointFile, 'utf8');
        fs.writeFileSync(t.checkpointFile, text.replace(/"entries":1/, '"entries":2'));
        const v = await verifyAuditChain(t.db);
        expect(v).toMatchObject({ ok: false, checkpoints: { valid: 0, invalid: 1 }, first_bad: { problem: 'checkpoint_invalid' } });
        expect(v.first_bad!.message).toContain('第 1 行');
      } finally {
        await t.close();
      }
    });
  });

  describe('tamper detection (innolink audit verify)', () => {
    let t: TestStore;
    afterEach(async () => t?.close());

    async function chainOf(n: number) {
      await t.db.transaction((tx) =>
        recordAuditBatch(
          tx,
          Array.from({ length: n }, (_, i) => ({ actor, action: 'create', entity: 'funding', entityId: i + 1, after: { amount: 100 + i } })),
        ),
      );
      return (await t.db.query<{ seq: number }>(`SELECT seq FROM audit_log WHERE entity = 'funding' ORDER BY seq`)).map((x) => Number(x.seq));
    }

    it('names an edited entry', async () => {
      t = await freshStore(kind);
      const seqs = await chainOf(6);
      await tamper(t.db, `UPDATE audit_log SET after = '{"amount": 999}' WHERE seq = $1`, [seqs[2]]);
      const v = await verifyAuditChain(t.db);
      expect(v.ok).toBe(false);
      expect(v.first_bad).toMatchObject({ seq: seqs[2], problem: 'edited' });
      expect(v.first_bad!.message).toContain(`#${seqs[2]}`);
    });

    it('names the entry after a deleted one, even when the editor re-keyed one entry to fit its new predecessor', async () => {
      t = await freshStore(kind);
      const seqs = await chainOf(5);
      await tamper(t.db, 'DELETE FROM audit_log WHERE seq = $1', [seqs[1]]);
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ seq: seqs[2], problem: 'chain_broken' });
      // Even with the key, re-hashing one entry only moves the break to the next one.
      const [third] = await t.db.query<AuditRow>('SELECT * FROM audit_log WHERE seq = $1', [seqs[2]]);
      const [first] = await t.db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [seqs[0]]);
      const rehash = keyedHash(t.db.auditAnchor!.key, first.hash, chainedOf(third));
      await tamper(t.db, 'UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3', [first.hash, rehash, seqs[2]]);
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ seq: seqs[3], problem: 'chain_broken' });
    });

    it('notices a deleted newest entry through the head, and a head moved back over entries still there', async () => {
      t = await freshStore(kind);
      const seqs = await chainOf(3);
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
      await tamper(t.db, 'DELETE FROM audit_log WHERE seq = $1', [seqs[2]]);
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ seq: seqs[2], problem: 'head_mismatch' });
      const [first] = await t.db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [seqs[0]]);
      await tamper(t.db, 'UPDATE audit_head SET seq = $1, hash = $2', [seqs[0], first.hash]);
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ seq: seqs[1], problem: 'head_mismatch' });
    });

    it('fails a log without its key epoch: emptied, or rewritten with plain SHA-256 from genesis', async () => {
      t = await freshStore(kind);
      await chainOf(3);
      await tamper(t.db, 'DELETE FROM audit_log');
      await tamper(t.db, 'UPDATE audit_head SET seq = 0, hash = $1', [GENESIS_HASH]);
      fs.rmSync(t.checkpointFile); // even with the checkpoints gone
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ seq: null, problem: 'not_keyed' });

      // The server goes on writing after the wipe: keyed entries with no epoch before them.
      await chainOf(2);
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ problem: 'not_keyed' });

      // Every entry rechained as a legacy one, the epoch dropped: the chain fits, but is not keyed.
      let prev = GENESIS_HASH;
      for (const r of await rows(t.db)) {
        const hash = legacyHash(prev, chainedOf(r));
        await tamper(t.db, 'UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3', [prev, hash, r.seq]);
        prev = hash;
      }
      await tamper(t.db, 'UPDATE audit_head SET hash = $1', [prev]);
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ seq: null, problem: 'not_keyed' });
    });

    it('catches a chain started afresh under the key after the old one was removed: the checkpoints are not in it', async () => {
      t = await freshStore(kind);
      await chainOf(4);
      expect((await takeCheckpoint(t.db)).written).not.toBeNull();
      await tamper(t.db, 'DELETE FROM audit_log');
      await tamper(t.db, 'UPDATE audit_head SET seq = 0, hash = $1, key_id = NULL, epoch_seq = NULL', [GENESIS_HASH]);
      await chainOf(6); // the next write begins a new key epoch, longer than the old chain
      const v = await verifyAuditChain(t.db);
      expect(v.first_bad).toMatchObject({ problem: 'checkpoint_mismatch' });
      expect(await verifyAuditChain(t.db, { mode: 'incremental' })).toMatchObject({ ok: false, first_bad: { problem: 'checkpoint_mismatch' } });
      expect((await takeCheckpoint(t.db)).written).toBeNull(); // no checkpoint over a failure
    });

    it('catches deleted newest entries with the checkpoint, incrementally too', async () => {
      t = await freshStore(kind);
      const seqs = await chainOf(5);
      await takeCheckpoint(t.db);
      await tamper(t.db, 'DELETE FROM audit_log WHERE seq >= $1', [seqs[3]]);
      await tamper(t.db, 'UPDATE audit_head SET seq = l.seq, hash = l.hash FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) l');
      for (const mode of ['full', 'incremental'] as const) {
        const v = await verifyAuditChain(t.db, { mode });
        expect(v.first_bad, mode).toMatchObject({ seq: seqs[4], problem: 'behind_checkpoint' });
        expect(v.first_bad!.message_en).toMatch(new RegExp(`ends at #${seqs[2]}.*recorded #${seqs[4]}`));
      }
    });

    it('leaves an edit before the latest checkpoint to full verification', async () => {
      t = await freshStore(kind);
      const seqs = await chainOf(4);
      await takeCheckpoint(t.db);
      await tamper(t.db, `UPDATE audit_log SET after = '{"amount": 1}' WHERE seq = $1`, [seqs[1]]);
      expect(await verifyAuditChain(t.db, { mode: 'incremental' })).toMatchObject({ ok: true, checked: 2 });
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, first_bad: { seq: seqs[1], problem: 'edited' } });
    });

    it('tells a wrong key file from a rewritten log, and refuses to write or open with it', async () => {
      t = await freshStore(kind);
      await chainOf(2);
      const right = t.db.auditAnchor!;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-otherkey-'));
      try {
        const other = loadAuditAnchor({ auditKeyFile: path.join(dir, 'audit.key'), auditCheckpointFile: path.join(dir, 'cp.jsonl'), dataDir: path.join(dir, 'data'), databaseUrl: null }, { create: true });
        t.db.auditAnchor = other;
        const v = await verifyAuditChain(t.db);
        expect(v.first_bad).toMatchObject({ problem: 'key_mismatch' });
        expect(v.first_bad!.message_en).toContain(right.key.id);
        await expect(t.db.transaction((tx) => recordAudit(tx, { actor, action: 'create', entity: 'x' }))).rejects.toMatchObject({ code: 'AUDIT_KEY_MISMATCH' });
        await expect(attachAuditAnchor(t.db, { auditKeyFile: other.keyFile, auditCheckpointFile: other.checkpointFile, dataDir: path.join(dir, 'data'), databaseUrl: null })).rejects.toMatchObject({ code: 'AUDIT_KEY_MISMATCH' });
      } finally {
        t.db.auditAnchor = right;
        fs.rmSync(dir, { recursive: true, force: true });
      }
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
    });
  });

  describe('a log written before the key (upgrade)', () => {
    let t: TestStore;
    let dir: string;
    afterEach(async () => {
      await t?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const anchorConfig = () => ({ auditKeyFile: path.join(dir, 'k', 'audit.key'), auditCheckpointFile: path.join(dir, 'k', 'cp.jsonl'), dataDir: path.join(dir, 'data'), databaseUrl: null });

    async function upgraded() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-upgrade-'));
      t = await freshStore(kind, { keyed: false });
      await writeLegacy(t.db, 4);
      const legacy = await rows(t.db);
      const anchor = await attachAuditAnchor(t.db, anchorConfig()); // the first start with the key
      return { legacy, anchor };
    }

    it('keeps the legacy entries as they were; the key epoch commits to the last of them', async () => {
      const { legacy, anchor } = await upgraded();
      expect(fs.statSync(anchor.keyFile).mode & 0o777).toBe(0o600);
      const all = await rows(t.db);
      expect(all.slice(0, 4)).toEqual(legacy);
      const epoch = all[4];
      expect(epoch).toMatchObject({ action: EPOCH_ACTION, prev_hash: legacy[3].hash });
      expect(epoch.after).toMatchObject({ key_id: anchor.key.id, legacy_entries: 4, legacy_head: { seq: Number(legacy[3].seq), hash: legacy[3].hash } });
      await t.db.transaction((tx) => recordAudit(tx, { actor, action: 'update', entity: 'project', entityId: 7, after: { a: 1 } }));
      const v = await verifyAuditChain(t.db);
      expect(v).toMatchObject({ ok: true, entries: 6, key: { id: anchor.key.id, epoch_seq: Number(epoch.seq), legacy_entries: 4 }, checkpoints: { valid: 1 } });
      // Opening again writes no second epoch.
      await attachAuditAnchor(t.db, anchorConfig());
      expect((await rows(t.db)).filter((r) => r.action === EPOCH_ACTION)).toHaveLength(1);
    });

    it('catches a legacy entry edited and the legacy chain recomputed after the key: the epoch no longer fits', async () => {
      const { legacy } = await upgraded();
      await tamper(t.db, `UPDATE audit_log SET after = '{"amount": 5}' WHERE seq = $1`, [legacy[1].seq]);
      let prev = legacy[0].hash;
      for (const r of (await rows(t.db)).slice(1, 4)) {
        const hash = legacyHash(prev, chainedOf(r));
        await tamper(t.db, 'UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3', [prev, hash, r.seq]);
        prev = hash;
      }
      const epochSeq = Number((await rows(t.db))[4].seq);
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ seq: epochSeq, problem: 'chain_broken' });
      await tamper(t.db, 'UPDATE audit_log SET prev_hash = $1 WHERE seq = $2', [prev, epochSeq]);
      expect((await verifyAuditChain(t.db)).first_bad).toMatchObject({ seq: epochSeq, problem: 'edited' });
    });

    it('does not make a new key when a keyed log has lost its key file', async () => {
      const { anchor } = await upgraded();
      fs.rmSync(anchor.keyFile);
      await expect(attachAuditAnchor(t.db, anchorConfig())).rejects.toMatchObject({ code: 'AUDIT_KEY_MISSING' });
      expect(fs.existsSync(anchor.keyFile)).toBe(false);
    });
  });

  describe('the scheduled verification', () => {
    let t: TestStore;
    afterEach(async () => t?.close());

    it('writes a checkpoint when the log is intact, and tells the auditors — not the administrators — when not, once a day', async () => {
      t = await freshStore(kind);
      const auditor = (await sessionCookie(t.db, { role: 'auditor' })).user;
      const admin = (await sessionCookie(t.db, { role: 'admin' })).user;
      const config = { smtpUrl: null, mailFrom: 'x' };
      const ok = await runAuditCheck(t.db, config, { full: true });
      expect(ok).toMatchObject({ ok: true, mode: 'full', notified: 0, written: { seq: ok.head.seq } });

      const [victim] = await t.db.query<{ seq: number }>(`SELECT seq FROM audit_log WHERE action = 'auth.login' ORDER BY seq LIMIT 1`);
      await tamper(t.db, `UPDATE audit_log SET actor = 'someone-else' WHERE seq = $1`, [victim.seq]);
      await t.db.transaction((tx) => recordAudit(tx, { actor, action: 'create', entity: 'project', entityId: 1 }));
      const lines = fs.readFileSync(t.checkpointFile, 'utf8');
      const bad = await runAuditCheck(t.db, config, { full: true });
      expect(bad).toMatchObject({ ok: false, written: null, notified: 1, first_bad: { seq: Number(victim.seq), problem: 'edited' } });
      expect(fs.readFileSync(t.checkpointFile, 'utf8')).toBe(lines);
      const told = await t.db.query<{ user_id: number; kind: string; title: string; title_en: string; body: string; link: string }>(
        `SELECT user_id, kind, title, title_en, body, link FROM notifications WHERE kind = 'audit.verify_failed'`,
      );
      expect(told).toEqual([{ user_id: auditor.id, kind: 'audit.verify_failed', title: '审计日志校验未通过', title_en: 'The audit log failed verification', body: bad.first_bad!.message, link: '/audit' }]);
      expect((await t.db.query<{ user_id: number }>('SELECT user_id FROM notifications')).some((n) => Number(n.user_id) === admin.id)).toBe(false);
      expect((await runAuditCheck(t.db, config, { full: true })).notified).toBe(0); // the same failure, the same day
    });

    it('runs on the server once it listens (INNOLINK_AUDIT_VERIFY_INTERVAL_MINUTES)', async () => {
      t = await freshStore(kind);
      const config = loadConfig({ INNOLINK_DEMO: '0', INNOLINK_AUDIT_VERIFY_INTERVAL_MINUTES: '60', INNOLINK_WEB_DIR: path.join(os.tmpdir(), 'innolink-no-web') });
      const app = await buildApp({ db: t.db, config });
      const before = readCheckpoints(t.db.auditAnchor!).valid.length;
      try {
        await app.listen({ host: '127.0.0.1', port: 0 });
        await expect.poll(() => readCheckpoints(t.db.auditAnchor!).valid.length, { timeout: 20_000 }).toBe(before + 1);
      } finally {
        await app.close();
      }
      const off = await buildApp({ db: t.db, config: { ...config, auditVerifyIntervalMinutes: 0 } });
      try {
        await off.listen({ host: '127.0.0.1', port: 0 });
        await new Promise((r) => setTimeout(r, 2000));
        expect(readCheckpoints(t.db.auditAnchor!).valid.length).toBe(before + 1);
      } finally {
        await off.close();
      }
    });
  });

  describe('GET /api/audit, GET /api/audit/verify, POST /api/audit/checkpoint', () => {
    let app: FastifyInstance;
    let auditor: string;
    let admin: string;
    let bureau: string;

    beforeAll(async () => {
      app = await authTestApp(store.db);
      auditor = (await sessionCookie(store.db, { role: 'auditor' })).cookie;
      admin = (await sessionCookie(store.db, { role: 'admin' })).cookie;
      bureau = (await sessionCookie(store.db, { role: 'bureau' })).cookie;
      await writeSome(3, 'organization');
      await store.db.transaction((tx) => recordAudit(tx, { actor: systemActor('cli:ops'), action: 'delete', entity: 'project', entityId: 77, before: { code: 'P-77' } }));
    });
    afterAll(async () => app?.close());

    const get = (url: string, cookie = auditor) => app.inject({ url, headers: { cookie } });

    it('answers 401 without a session and 403 for anyone but an auditor — the administrator included (三员分立)', async () => {
      expect((await app.inject({ url: '/api/audit' })).statusCode).toBe(401);
      for (const cookie of [admin, bureau]) {
        const res = await get('/api/audit', cookie);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
        expect((await get('/api/audit/verify', cookie)).statusCode).toBe(403);
        expect((await app.inject({ method: 'POST', url: '/api/audit/checkpoint', headers: { cookie } })).statusCode).toBe(403);
      }
    });

    it('lists entries newest first, with paging', async () => {
      const res = await get('/api/audit?pageSize=2');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items).toHaveLength(2);
      expect(body.items[0].seq).toBeGreaterThan(body.items[1].seq);
      expect(body.items[0]).toMatchObject({ actor: 'cli:ops', action: 'delete', entity: 'project', entity_id: '77', before: { code: 'P-77' }, after: null });
      const page2 = (await get('/api/audit?pageSize=2&page=2')).json();
      expect(page2.items[0].seq).toBeLessThan(body.items[1].seq);
      expect(page2.total).toBe(body.total);
    });

    it('filters by actor, entity, entity id, action and date range', async () => {
      const byEntity = (await get('/api/audit?entity=organization')).json();
      expect(byEntity.total).toBe(3);
      expect(byEntity.items.every((e: { entity: string; actor: string; actor_user_id: number }) => e.entity === 'organization' && e.actor === 'officer-1' && e.actor_user_id === 42)).toBe(true);
      expect((await get('/api/audit?entity=organization&entity_id=2')).json().items.map((e: { request_id: string }) => e.request_id)).toEqual(['req-1']);
      expect((await get('/api/audit?actor=cli:ops')).json().total).toBe(1);
      expect((await get('/api/audit?action=delete&entity=project')).json().total).toBe(1);
      const today = new Date().toISOString().slice(0, 10);
      const all = (await get('/api/audit')).json().total;
      expect((await get(`/api/audit?from=${today}&to=${today}`)).json().total).toBe(all);
      expect((await get('/api/audit?to=2000-01-01')).json().total).toBe(0);
      expect((await get(`/api/audit?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json().total).toBe(0);
    });

    it('refuses a malformed date or flag with 400', async () => {
      expect((await get('/api/audit?from=yesterday')).statusCode).toBe(400);
      expect((await get('/api/audit/verify?incremental=maybe')).statusCode).toBe(400);
    });

    it('verifies (full, or incremental) and writes a checkpoint on demand', async () => {
      const full = await get('/api/audit/verify');
      expect(full.statusCode).toBe(200);
      const total = Number((await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n);
      expect(full.json()).toMatchObject({ ok: true, mode: 'full', entries: total, checked: total, key: { id: store.db.auditAnchor!.key.id, legacy_entries: 0 } });
      const cp = await app.inject({ method: 'POST', url: '/api/audit/checkpoint', headers: { cookie: auditor } });
      expect(cp.statusCode).toBe(200);
      expect(cp.json()).toMatchObject({ ok: true, written: { seq: full.json().head.seq, entries: total } });
      const inc = (await get('/api/audit/verify?incremental=true')).json();
      expect(inc).toMatchObject({ ok: true, mode: 'incremental', entries: total, checkpoints: { latest: { seq: full.json().head.seq } } });
      expect(inc.checked).toBeLessThan(total);
    });
  });
});

describe('appendCheckpoint', () => {
  it('makes the file with mode 0600 and appends one line per checkpoint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-cp-'));
    try {
      const anchor = { key: auditKeyFrom(randomBytes(32)), keyFile: path.join(dir, 'k'), checkpointFile: path.join(dir, 'sub', 'cp.jsonl') };
      appendCheckpoint(anchor, { seq: 3, hash: 'a'.repeat(64), entries: 3 });
      appendCheckpoint(anchor, { seq: 5, hash: 'b'.repeat(64), entries: 5 });
      expect(fs.statSync(anchor.checkpointFile).mode & 0o777).toBe(0o600);
      expect(readCheckpoints(anchor)).toMatchObject({ valid: [{ seq: 3 }, { seq: 5 }], invalid: [] });
      fs.appendFileSync(anchor.checkpointFile, 'not json\n');
      expect(readCheckpoints({ ...anchor, key: auditKeyFrom(randomBytes(32)) })).toMatchObject({ valid: [], invalid: [{ line: 1, reason: 'mac' }, { line: 2, reason: 'mac' }, { line: 3, reason: 'malformed' }] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
