/**
 * What the store has changed since: a counter (the change epoch) that moves on every committed
 * write, so that answers computed from the store can be kept until the data under them changes.
 *
 * - Writes through this process's store move it as soon as they return (a plain write) or
 *   commit (a transaction) — a user who changes something and reloads sees the change.
 * - Writes by other processes on a PostgreSQL server (a CLI import while the server runs,
 *   a second server) arrive as notifications on the `innolink_changes` channel, sent at commit
 *   by statement triggers on every table (migration 011, `innolink_watch_tables()`). They move
 *   the counter when they arrive, a few milliseconds after the commit.
 * - Until it listens, and while the listening connection is down, `ready()` is false and
 *   callers compute afresh.
 *
 * PGlite is held by one process (the data folder's lock), so its own writes are all there is.
 */
import pg from 'pg';

export const CHANGES_CHANNEL = 'innolink_changes';

const READ = /^\s*(SELECT|SHOW|EXPLAIN|VALUES)\b/i;
const WRITES_INSIDE = /\b(INSERT|UPDATE|DELETE|TRUNCATE|COPY|MERGE|CALL|NOTIFY|REFRESH|ALTER|CREATE|DROP)\b/i;

/** Whether a statement may change data (a read that calls a writing function counts as a read only when it names none). */
export function mayWrite(text: string): boolean {
  return !READ.test(text) || WRITES_INSIDE.test(text);
}

export class ChangeFeed {
  #epoch = 0;
  #reliable: boolean;
  #client: pg.Client | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;
  #starting: Promise<void> | null = null;

  /** `external`: a connection string whose other writers must be listened to (PostgreSQL); null when this process is the only writer. */
  constructor(private readonly external: string | null) {
    this.#reliable = external === null;
  }

  /** The current change epoch. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Whether every committed change moves the epoch: false until listening (the first call
   * starts it) and while the listening connection is down.
   */
  ready(): boolean {
    if (!this.#reliable && this.external && !this.#closed && !this.#starting && !this.#retry) this.#start();
    return this.#reliable;
  }

  /** Records a change (this process's writes, and notifications). */
  bump(): void {
    this.#epoch++;
  }

  #start(): void {
    this.#starting = this.#listen().finally(() => {
      this.#starting = null;
    });
  }

  #retryLater(): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#start();
    }, 1000).unref();
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.external! });
    const lost = () => {
      if (this.#client !== client) return;
      this.#client = null;
      this.#reliable = false;
      this.bump();
      client.end().catch(() => undefined);
      this.#retryLater();
    };
    try {
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', () => this.bump());
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (this.#closed) {
        await client.end();
        return;
      }
      this.#client = client;
      this.bump(); // whatever happened while nobody listened
      this.#reliable = true;
    } catch {
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end().catch(() => undefined);
      this.#retryLater();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    await this.#starting?.catch(() => undefined);
    const c = this.#client;
    this.#client = null;
    this.#reliable = false;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
  }
}
