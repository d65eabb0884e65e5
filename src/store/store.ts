/**
 * Opens the configured store, applies migrations, loads reference data, and gives it its audit
 * anchor (the key and checkpoint file outside the store).
 */
import type { Config } from '../config.ts';
import { attachAuditAnchor } from '../modules/audit/audit.service.ts';
import { openDb, type Db } from './db.ts';
import { migrate } from './migrate.ts';
import { ensureReferenceData } from './reference.ts';

/** The store an installation runs on, migrated, with its reference data and its audit key. */
export async function openStore(config: Config, opts: { port?: number } = {}): Promise<Db> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, port: opts.port });
  try {
    await migrate(db);
    await ensureReferenceData(db);
    await attachAuditAnchor(db, config);
    return db;
  } catch (e) {
    await db.close();
    throw e;
  }
}
