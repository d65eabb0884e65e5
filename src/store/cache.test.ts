import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STORES, freshStore, type TestStore } from '../../test/stores.ts';
import { QueryCache } from './cache.ts';
import { mayWrite } from './changes.ts';

const factCount = async (store: TestStore) => (await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facts'))[0].n;

/** Waits (up to 10 s) until `check` holds: another connection's change arrives after its commit. */
const until = (check: () => boolean | Promise<boolean>) => vi.waitUntil(check, { timeout: 10_000, interval: 20 });

describe('which statements may write', () => {
  it('tells reads from writes, and reads that name a write', () => {
    expect(mayWrite('SELECT 1')).toBe(false);
    expect(mayWrite('  select id from projects')).toBe(false);
    expect(mayWrite('INSERT INTO facts (subject) VALUES ($1)')).toBe(true);
    expect(mayWrite('UPDATE projects SET title_zh = $1')).toBe(true);
    expect(mayWrite('WITH x AS (DELETE FROM facts RETURNING id) SELECT count(*) FROM x')).toBe(true);
    expect(mayWrite('SELECT * FROM facts; DELETE FROM facts')).toBe(true);
  });
});

describe.each(STORES)('answers kept until the store changes, on %s', (kind) => {
  let store: TestStore;
  const cache = new QueryCache<number>();
  let computed = 0;
  const count = () =>
    cache.get(store.db, 'facts', async () => {
      computed++;
      return factCount(store);
    });

  beforeAll(async () => {
    store = await freshStore(kind);
    // On a server the store listens for other connections' changes before it keeps anything.
    await until(() => store.db.changes.ready());
  });
  afterAll(async () => store?.close());

  it('computes once while nothing changes', async () => {
    const before = computed;
    const a = await count();
    const b = await count();
    expect(b).toBe(a);
    expect(computed - before).toBe(1);
  });

  it('recomputes after a write through the store, a committed transaction, and a rolled-back one', async () => {
    const n0 = await count();
    await store.db.query(`INSERT INTO facts (subject, indicator, value) VALUES ('cache', 'a', 1)`);
    expect(await count()).toBe(n0 + 1);
    await store.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO facts (subject, indicator, value) VALUES ('cache', 'b', 2)`);
    });
    expect(await count()).toBe(n0 + 2);
    const c = computed;
    await expect(
      store.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO facts (subject, indicator, value) VALUES ('cache', 'c', 3)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await count()).toBe(n0 + 2);
    expect(computed).toBe(c + 1); // the rollback moved the epoch too: recomputed, same answer
  });

  it('keeps nothing inside a transaction (it may see its own uncommitted writes)', async () => {
    await store.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO facts (subject, indicator, value) VALUES ('cache', 'd', 4)`);
      const inside = await cache.get(tx, 'facts', async () => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM facts'))[0].n);
      expect(inside).toBe((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM facts'))[0].n);
    });
    expect(await count()).toBe(await factCount(store));
  });

  it('computes every time with INNOLINK_QUERY_CACHE=0', async () => {
    process.env.INNOLINK_QUERY_CACHE = '0';
    try {
      const c = computed;
      await count();
      await count();
      expect(computed).toBe(c + 2);
    } finally {
      delete process.env.INNOLINK_QUERY_CACHE;
    }
  });

  it.runIf(kind === 'postgres')('recomputes after another connection commits a change (a CLI import while the server runs)', async () => {
    const n0 = await count();
    const other = new pg.Client({ connectionString: store.url! });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO facts (subject, indicator, value) VALUES ('cache', 'other', 5)`);
      // Not committed: still the old answer (and no notification yet).
      expect(await count()).toBe(n0);
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    await until(async () => (await count()) === n0 + 1);
    expect(await count()).toBe(await factCount(store));
  });

  it.runIf(kind === 'postgres')('computes afresh while it cannot listen, and keeps again once it listens', async () => {
    // End the listening connection from the server side, as a restart or a network cut would.
    const killer = new pg.Client({ connectionString: store.url! });
    await killer.connect();
    try {
      const r = await killer.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
      );
      expect(r.rows[0].n).toBe(1);
    } finally {
      await killer.end();
    }
    await until(() => !store.db.changes.ready()); // lost
    const c = computed;
    await count();
    expect(computed).toBe(c + 1);
    await until(() => store.db.changes.ready()); // listening again
    await count();
    const c2 = computed;
    await count();
    expect(computed).toBe(c2);
  });
});
