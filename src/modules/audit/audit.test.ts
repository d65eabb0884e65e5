import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import type { Db } from '../../store/db.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { authTestApp, sessionCookie } from '../auth/auth.testing.ts';
import { canonicalJson, entryHash, GENESIS_HASH } from './audit.chain.ts';
import { recordAudit, recordAuditBatch, verifyAuditChain } from './audit.service.ts';

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: '中' }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":"中","z":1}]},"b":1}');
  });
  it('hashes an entry after its predecessor: sha256(prev_hash || canonical JSON)', () => {
    const e = { at: '2026-01-01T00:00:00.000Z', actor: 'a', actor_user_id: null, action: 'create', entity: 'project', entity_id: '1', before: null, after: { x: 1 }, request_id: null };
    expect(entryHash(GENESIS_HASH, e)).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS_HASH, e)).not.toBe(entryHash('1'.repeat(64), e));
    expect(entryHash(GENESIS_HASH, e)).not.toBe(entryHash(GENESIS_HASH, { ...e, after: { x: 2 } }));
  });
});

/**
 * Tampering needs the append-only trigger out of the way. The tests do what an intruder with
 * the table owner's (or a superuser's) rights could do: disable the trigger, change the row,
 * enable it again — and the chain still tells.
 */
async function tamper(db: Db, sql: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete');
  });
}

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

  it('starts empty and verified', async () => {
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, entries: 0, head: { seq: 0, hash: GENESIS_HASH } });
  });

  it('chains entries written in separate transactions and verifies them after the jsonb round trip', async () => {
    await writeSome(5);
    const v = await verifyAuditChain(store.db);
    expect(v.ok).toBe(true);
    expect(v.entries).toBe(5);
    const rows = await store.db.query<{ seq: number; prev_hash: string; hash: string; before: { started: string } }>(
      'SELECT seq, prev_hash, hash, before FROM audit_log ORDER BY seq',
    );
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(v.head).toEqual({ seq: Number(rows[4].seq), hash: rows[4].hash });
    expect(rows[0].before.started).toBe('2024-03-01T00:00:00.000Z'); // dates stored as JSON strings
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
    const v = await verifyAuditChain(store.db);
    expect(v).toMatchObject({ ok: true, entries: 7 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the table (append-only)', async () => {
    await expect(store.db.query(`UPDATE audit_log SET actor = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(store.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(store.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
  });

  describe('tamper detection (innolink audit verify)', () => {
    let tampered: TestStore;
    beforeAll(async () => {
      tampered = await freshStore(kind);
    });
    afterAll(async () => tampered?.close());

    async function chainOf(n: number) {
      await tampered.db.transaction((tx) =>
        recordAuditBatch(
          tx,
          Array.from({ length: n }, (_, i) => ({ actor, action: 'create', entity: 'funding', entityId: i + 1, after: { amount: 100 + i } })),
        ),
      );
      return (await tampered.db.query<{ seq: number }>('SELECT seq FROM audit_log ORDER BY seq')).map((x) => Number(x.seq));
    }

    it('names an edited entry', async () => {
      const seqs = await chainOf(6);
      await tamper(tampered.db, `UPDATE audit_log SET after = '{"amount": 999}' WHERE seq = $1`, [seqs[2]]);
      const v = await verifyAuditChain(tampered.db);
      expect(v.ok).toBe(false);
      expect(v.first_bad).toMatchObject({ seq: seqs[2], problem: 'edited' });
      expect(v.first_bad!.message).toContain(`#${seqs[2]}`);
    });

    it('names the entry after a deleted one, even when the editor recomputed the edited entry\'s own hash', async () => {
      await tamper(tampered.db, 'DELETE FROM audit_log');
      await tampered.db.query(`UPDATE audit_head SET seq = 0, hash = $1`, [GENESIS_HASH]);
      const seqs = await chainOf(5);
      await tamper(tampered.db, 'DELETE FROM audit_log WHERE seq = $1', [seqs[1]]);
      let v = await verifyAuditChain(tampered.db);
      expect(v.first_bad).toMatchObject({ seq: seqs[2], problem: 'chain_broken' });

      // Re-hashing one entry to fit its new predecessor only moves the break to the next one.
      const [third] = await tampered.db.query<Record<string, unknown>>('SELECT * FROM audit_log WHERE seq = $1', [seqs[2]]);
      const [first] = await tampered.db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [seqs[0]]);
      const at = third.at instanceof Date ? third.at.toISOString() : new Date(String(third.at)).toISOString();
      const rehash = entryHash(first.hash, {
        at,
        actor: String(third.actor),
        actor_user_id: third.actor_user_id == null ? null : Number(third.actor_user_id),
        action: String(third.action),
        entity: String(third.entity),
        entity_id: third.entity_id as string | null,
        before: third.before ?? null,
        after: third.after ?? null,
        request_id: third.request_id as string | null,
      });
      await tamper(tampered.db, 'UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3', [first.hash, rehash, seqs[2]]);
      v = await verifyAuditChain(tampered.db);
      expect(v.first_bad).toMatchObject({ seq: seqs[3], problem: 'chain_broken' });
    });

    it('notices a deleted newest entry through the head', async () => {
      await tamper(tampered.db, 'DELETE FROM audit_log');
      await tampered.db.query(`UPDATE audit_head SET seq = 0, hash = $1`, [GENESIS_HASH]);
      const seqs = await chainOf(3);
      expect((await verifyAuditChain(tampered.db)).ok).toBe(true);
      await tamper(tampered.db, 'DELETE FROM audit_log WHERE seq = $1', [seqs[2]]);
      const v = await verifyAuditChain(tampered.db);
      expect(v.first_bad).toMatchObject({ seq: seqs[2], problem: 'head_mismatch' });
    });
  });

  describe('GET /api/audit', () => {
    let app: FastifyInstance;
    let admin: string;
    let bureau: string;

    beforeAll(async () => {
      app = await authTestApp(store.db);
      admin = (await sessionCookie(store.db, { role: 'admin' })).cookie;
      bureau = (await sessionCookie(store.db, { role: 'bureau' })).cookie;
      await writeSome(3, 'organization');
      await store.db.transaction((tx) => recordAudit(tx, { actor: systemActor('cli:ops'), action: 'delete', entity: 'project', entityId: 77, before: { code: 'P-77' } }));
    });
    afterAll(async () => app?.close());

    const get = (url: string, cookie = admin) => app.inject({ url, headers: { cookie } });

    it('answers 401 without a session and 403 for anyone but an administrator', async () => {
      expect((await app.inject({ url: '/api/audit' })).statusCode).toBe(401);
      const res = await get('/api/audit', bureau);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect((await get('/api/audit/verify', bureau)).statusCode).toBe(403);
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

    it('refuses a malformed date with 400', async () => {
      expect((await get('/api/audit?from=yesterday')).statusCode).toBe(400);
    });

    it('GET /api/audit/verify checks the chain', async () => {
      const res = await get('/api/audit/verify');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: true });
    });
  });
});
