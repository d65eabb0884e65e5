/**
 * Fresh, migrated stores for tests: a PGlite loaded from the run's dump, or a new database on
 * the PostgreSQL server cloned from the run's template. No mocks: both are real PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { attachAuditAnchor } from '../src/modules/audit/audit.service.ts';
import { openDb, type Db } from '../src/store/db.ts';

export const STORES = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof STORES)[number];

const ADMIN_URL = process.env.INNOLINK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let counter = 0;

export interface TestStore {
  /** The open store (a new handle after `resume`). */
  readonly db: Db;
  /** Connection URL of the server database (postgres only). */
  url: string | null;
  /**
   * The environment a CLI process needs to open this same store: DATABASE_URL or INNOLINK_DATA,
   * and the store's audit checkpoint file (the run's audit key comes from test/setup-env.ts).
   */
  env: Record<string, string>;
  /** This store's audit checkpoint file (a folder of its own, removed on close). */
  checkpointFile: string;
  /**
   * Closes this process's handle so that a CLI process can open the store (an on-disk PGlite
   * folder belongs to one process at a time); a no-op on the server, which takes many clients.
   */
  suspend(): Promise<void>;
  /** Opens the store again after `suspend`. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export interface FreshStoreOptions {
  /** PGlite only: keep the store in a data folder on disk (for CLI processes), not in memory. */
  onDisk?: boolean;
  /**
   * false: leave the audit log as a store from before the audit key (no key loaded, no key
   * epoch) — for tests of the upgrade. Default: keyed as `openStore` keys a store.
   */
  keyed?: boolean;
}

/** The audit anchor `openStore` would give the store: the run's key, the store's own checkpoint file. */
async function keyed(db: Db, checkpointFile: string, opts: FreshStoreOptions): Promise<Db> {
  if (opts.keyed !== false) await attachAuditAnchor(db, { ...loadConfig(), auditCheckpointFile: checkpointFile });
  return db;
}

/** A fresh store of the given kind, migrated, with reference data and its audit key, and nothing else. */
export async function freshStore(kind: StoreKind, opts: FreshStoreOptions = {}): Promise<TestStore> {
  const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-checkpoints-'));
  const checkpointFile = path.join(auditDir, 'audit-checkpoints.jsonl');
  if (kind === 'pglite') {
    const dump = fs.readFileSync(inject('pgliteDump'));
    const dir = opts.onDisk ? fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-store-')) : null;
    let db: Db | null = await keyed(await openDb({ loadDataDir: new Blob([dump]), dataDir: dir }), checkpointFile, opts);
    return {
      get db() {
        if (!db) throw new Error('the test store is suspended');
        return db;
      },
      url: null,
      env: { ...(dir ? { INNOLINK_DATA: dir, DATABASE_URL: '' } : {}), INNOLINK_AUDIT_CHECKPOINT_FILE: checkpointFile },
      checkpointFile,
      async suspend() {
        if (!dir) throw new Error('only an on-disk PGlite store can be suspended (freshStore(kind, { onDisk: true }))');
        await db?.close();
        db = null;
      },
      async resume() {
        if (!db) db = await keyed(await openDb({ dataDir: dir }), checkpointFile, opts);
      },
      async close() {
        await db?.close();
        db = null;
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(auditDir, { recursive: true, force: true });
      },
    };
  }
  const name = `innolink_t_${inject('pgRun')}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  } finally {
    await admin.end();
  }
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await keyed(await openDb({ databaseUrl: url }), checkpointFile, opts);
  return {
    db,
    url,
    env: { DATABASE_URL: url, INNOLINK_AUDIT_CHECKPOINT_FILE: checkpointFile },
    checkpointFile,
    async suspend() {},
    async resume() {},
    async close() {
      await db.close();
      fs.rmSync(auditDir, { recursive: true, force: true });
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
