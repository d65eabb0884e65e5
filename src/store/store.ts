/**
 * Opens the configured store, applies migrations and loads reference data.
 */
import type { Config } from '../config.ts';
import { openDb, type Db } from './db.ts';
import { migrate } from './migrate.ts';
import { ensureReferenceData } from './reference.ts';

/** The store an installation runs on, migrated and with its reference data. */
export async function openStore(config: Config, opts: { port?: number } = {}): Promise<Db> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, port: opts.port });
  try {
    await migrate(db);
    await ensureReferenceData(db);
    return db;
  } catch (e) {
    await db.close();
    throw e;
  }
}
