/**
 * Answers kept until the store changes: each entry remembers the change epoch it was computed
 * at (read before computing, so a write during the computation makes it stale at once) and is
 * used only while the epoch is the same. Least-recently-used entries go first.
 * `INNOLINK_QUERY_CACHE=0` turns every cache off (the benchmark measures both ways).
 */
import { LRUCache } from 'lru-cache';
import type { Db, Sql } from './db.ts';

interface Entry<T> {
  epoch: number;
  value: T;
}

export const queryCacheEnabled = () => process.env.INNOLINK_QUERY_CACHE !== '0';

export class QueryCache<T extends NonNullable<unknown>> {
  /** One set of entries per store (epochs of different stores are unrelated). */
  readonly #stores = new WeakMap<Db, LRUCache<string, Entry<T>>>();
  constructor(private readonly max = 5000) {}

  #entries(db: Db): LRUCache<string, Entry<T>> {
    let e = this.#stores.get(db);
    if (!e) this.#stores.set(db, (e = new LRUCache({ max: this.max })));
    return e;
  }

  /**
   * The answer for `key` on `db`, computed by `compute` when absent or stale. Inside a
   * transaction (`sql` not the store itself) nothing is cached: the transaction may see its own
   * uncommitted writes.
   */
  async get(db: Db | Sql, key: string, compute: () => Promise<T>): Promise<T> {
    if (!('changes' in db) || !queryCacheEnabled() || !db.changes.ready()) return compute();
    const entries = this.#entries(db);
    const epoch = db.changes.epoch;
    const hit = entries.get(key);
    if (hit && hit.epoch === epoch) return hit.value;
    const value = await compute();
    entries.set(key, { epoch, value });
    return value;
  }

  /** Forgets one entry (an answer known to be wrong now, e.g. an ended session). */
  delete(db: Db | Sql, key: string): void {
    if ('changes' in db) this.#stores.get(db)?.delete(key);
  }
}
