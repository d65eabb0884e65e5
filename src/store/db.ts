/**
 * The store: one PostgreSQL dialect, two engines. PGlite (Postgres in WebAssembly) in a local
 * folder by default; a PostgreSQL server through DATABASE_URL. Repositories see only `Sql`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { storeLocked } from '../errors.ts';
import type { AuditAnchor } from '../modules/audit/audit.key.ts';
import { ChangeFeed, mayWrite } from './changes.ts';

/** How a statement is sent. */
export interface QueryOptions {
  /**
   * Keep the statement prepared on the server's connections (named after its text), so that
   * repeated requests skip parsing and planning. For hot statements whose plan does not depend
   * on the values (one record by id); ignored inside transactions and on PGlite.
   */
  prepare?: boolean;
  /**
   * Whether the statement may change data, when the caller knows it (the Kysely driver knows the
   * query's kind, src/store/kysely.ts); left out, the text decides (`mayWrite` in changes.ts).
   * A write moves the change epoch.
   */
  writes?: boolean;
}

/** A statement's rows, with the number of rows it affected. */
export interface QueryResult<T> {
  rows: T[];
  /** Rows an INSERT, UPDATE, DELETE or MERGE affected (pg's rowCount, PGlite's per-statement count); null for other statements. */
  rowCount: number | null;
}

/** Anything SQL can be sent to: the store itself or an open transaction. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], opts?: QueryOptions): Promise<T[]>;
  /** `query` with the count of affected rows (what Kysely's insert/update/delete results report). */
  execute<T = Record<string, unknown>>(text: string, params?: unknown[], opts?: QueryOptions): Promise<QueryResult<T>>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /** The installation's audit key and checkpoint file (kept outside the store); transactions carry their store's. */
  readonly auditAnchor?: AuditAnchor | null;
}

export interface Db extends Sql {
  readonly engine: 'pglite' | 'postgres';
  /** Set once when the store is opened (`attachAuditAnchor`); the audit log is written and verified with it. */
  auditAnchor: AuditAnchor | null;
  /** Moves on every committed write (see changes.ts): what cached answers are checked against. */
  readonly changes: ChangeFeed;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Bulk-loads CSV text rows with COPY (used by the benchmark anchor and bulk imports). */
  copyCsv(table: string, columns: string[], csv: AsyncIterable<string> | string, tx?: Sql): Promise<void>;
  close(): Promise<void>;
}

// Same JS shapes from both engines: numeric and int8 as numbers, dates as 'YYYY-MM-DD' strings.
const NUMERIC = 1700;
const INT8 = 20;
const DATE = 1082;
pg.types.setTypeParser(NUMERIC, (v) => Number(v));
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);
const pgliteParsers = {
  [pgliteTypes.NUMERIC]: (v: string) => Number(v),
  [pgliteTypes.INT8]: (v: string) => Number(v),
  [pgliteTypes.DATE]: (v: string) => v,
};

const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);
/** The affected-row count of a statement that has one (command tag INSERT/UPDATE/DELETE/MERGE). */
const countOf = (command: string | null | undefined, rowCount: number | null | undefined): number | null =>
  command && COUNTED.has(command) ? (rowCount ?? 0) : null;

/** A PGlite transaction (or the instance) as a `Sql`. */
function pgliteSql(pg: Pick<PGlite, 'query' | 'exec'>): Sql {
  const execute = async <R>(t: string, p?: unknown[]): Promise<QueryResult<R>> => {
    const res = await pg.query<R>(t, p ?? []);
    return { rows: res.rows, rowCount: countOf(res.command, res.rowCount) };
  };
  return {
    execute,
    query: async <R>(t: string, p?: unknown[]) => (await execute<R>(t, p)).rows,
    exec: async (t: string) => {
      await pg.exec(t);
    },
  };
}

/** A pg client (or the pool) as a `Sql`; `prepare` names the statement (outside transactions). */
function pgSql(client: pg.Pool | pg.PoolClient, prepare: boolean): Sql {
  const execute = async <R>(t: string, p?: unknown[], opts?: QueryOptions): Promise<QueryResult<R>> => {
    const res = prepare && opts?.prepare
      ? await client.query({ name: statementName(t), text: t, values: p })
      : await client.query(t, p);
    return { rows: res.rows as R[], rowCount: countOf(res.command, res.rowCount) };
  };
  return {
    execute,
    query: async <R>(t: string, p?: unknown[], opts?: QueryOptions) => (await execute<R>(t, p, opts)).rows,
    exec: async (t: string) => {
      await client.query(t);
    },
  };
}

class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  readonly changes = new ChangeFeed(null);
  readonly #sql: Sql;
  auditAnchor: AuditAnchor | null = null;
  constructor(private readonly pg: PGlite, private readonly release: () => void) {
    this.#sql = pgliteSql(pg);
  }

  async query<T>(text: string, params?: unknown[], opts?: QueryOptions): Promise<T[]> {
    return (await this.execute<T>(text, params, opts)).rows;
  }
  async execute<T>(text: string, params?: unknown[], opts?: QueryOptions): Promise<QueryResult<T>> {
    try {
      return await this.#sql.execute<T>(text, params);
    } finally {
      if (opts?.writes ?? mayWrite(text)) this.changes.bump();
    }
  }
  async exec(text: string): Promise<void> {
    try {
      await this.pg.exec(text);
    } finally {
      this.changes.bump();
    }
  }
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    try {
      return await this.pg.transaction(async (tx) => fn({ ...pgliteSql(tx), auditAnchor: this.auditAnchor }));
    } finally {
      this.changes.bump();
    }
  }
  async copyCsv(table: string, columns: string[], csv: AsyncIterable<string> | string, _tx?: Sql): Promise<void> {
    let text: string;
    if (typeof csv === 'string') text = csv;
    else {
      const parts: string[] = [];
      for await (const c of csv) parts.push(c);
      text = parts.join('');
    }
    const sql = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`;
    // PGlite transactions cannot take a blob; a caller's transaction shares the single connection anyway.
    try {
      await this.pg.query(sql, [], { blob: new Blob([text]) });
    } finally {
      this.changes.bump();
    }
  }
  async close(): Promise<void> {
    await this.changes.close();
    try {
      await this.pg.close();
    } finally {
      this.release();
    }
  }
  /** The underlying PGlite (tests dump and load data folders with it). */
  get raw(): PGlite {
    return this.pg;
  }
}

class PostgresDb implements Db {
  readonly engine = 'postgres' as const;
  readonly changes: ChangeFeed;
  readonly #sql: Sql;
  auditAnchor: AuditAnchor | null = null;
  constructor(private readonly pool: pg.Pool, connectionString: string) {
    this.changes = new ChangeFeed(connectionString);
    this.#sql = pgSql(pool, true);
  }

  async query<T>(text: string, params?: unknown[], opts?: QueryOptions): Promise<T[]> {
    return (await this.execute<T>(text, params, opts)).rows;
  }
  async execute<T>(text: string, params?: unknown[], opts?: QueryOptions): Promise<QueryResult<T>> {
    try {
      return await this.#sql.execute<T>(text, params, opts);
    } finally {
      if (opts?.writes ?? mayWrite(text)) this.changes.bump();
    }
  }
  async exec(text: string): Promise<void> {
    try {
      await this.pool.query(text);
    } finally {
      this.changes.bump();
    }
  }
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The client rides along for COPY inside the transaction (copyCsv); the audit anchor with the store.
      const result = await fn({ ...pgSql(client, false), auditAnchor: this.auditAnchor, ...({ client } as object) });
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
      this.changes.bump();
    }
  }
  async copyCsv(table: string, columns: string[], csv: AsyncIterable<string> | string, tx?: Sql): Promise<void> {
    const { from } = await import('pg-copy-streams');
    const { pipeline } = await import('node:stream/promises');
    const { Readable } = await import('node:stream');
    const txClient = tx ? (tx as unknown as { client?: pg.PoolClient }).client : undefined;
    const client = txClient ?? (await this.pool.connect());
    try {
      const stream = client.query(from(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
      await pipeline(typeof csv === 'string' ? Readable.from([csv]) : Readable.from(csv), stream);
    } finally {
      if (!txClient) client.release();
      this.changes.bump();
    }
  }
  async close(): Promise<void> {
    await this.changes.close();
    await this.pool.end();
  }
}

const statementNames = new Map<string, string>();
/** The name of a prepared statement: from a hash of its text, so a name never means two texts. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 10_000) statementNames.set(text, name);
  }
  return name;
}

/** Takes the data folder's lock file, refusing when a live process holds it. */
export function lockDataDir(dir: string, port?: number): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'innolink.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, port: port ?? null, since: new Date().toISOString() }));
      fs.closeSync(fd);
      return () => {
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
          if (held.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = 0;
      try {
        pid = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }).pid;
      } catch {
        /* unreadable lock: treat as stale */
      }
      if (pid && pid !== process.pid && isAlive(pid)) throw storeLocked(dir, pid);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw storeLocked(dir, 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OpenOptions {
  databaseUrl?: string | null;
  /** PGlite data folder; omitted means in memory. */
  dataDir?: string | null;
  /** A dumped PGlite data folder to start from (tests). */
  loadDataDir?: Blob;
  port?: number;
}

/** Opens the store: PostgreSQL when a URL is given, else PGlite (locking its folder). */
export async function openDb(opts: OpenOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead
    return new PostgresDb(pool, opts.databaseUrl);
  }
  const release = opts.dataDir ? lockDataDir(opts.dataDir, opts.port) : () => undefined;
  try {
    const pgl = await PGlite.create(opts.dataDir ?? undefined, {
      extensions: { pg_trgm },
      parsers: pgliteParsers,
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    return new PgliteDb(pgl, release);
  } catch (e) {
    release();
    throw e;
  }
}

/** The PGlite instance behind a Db, when it is one. */
export function pgliteOf(db: Db): PGlite | null {
  return db instanceof PgliteDb ? db.raw : null;
}
