/**
 * Fresh, migrated stores for tests: a PGlite loaded from the run's dump, or a new database on
 * the PostgreSQL server cloned from the run's template. No mocks: both are real PostgreSQL.
 */
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDb, type Db } from '../src/store/db.ts';

export const STORES = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof STORES)[number];

const ADMIN_URL = process.env.INNOLINK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let counter = 0;

export interface TestStore {
  db: Db;
  /** Connection URL of the server database (postgres only). */
  url: string | null;
  close(): Promise<void>;
}

/** A fresh store of the given kind, migrated, with reference data and nothing else. */
export async function freshStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'pglite') {
    const dump = fs.readFileSync(inject('pgliteDump'));
    const db = await openDb({ loadDataDir: new Blob([dump]) });
    return { db, url: null, close: () => db.close() };
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
  const db = await openDb({ databaseUrl: url });
  return {
    db,
    url,
    async close() {
      await db.close();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
