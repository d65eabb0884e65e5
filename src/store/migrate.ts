/**
 * Plain, numbered SQL migrations (src/store/migrations/NNN_name.sql), applied in order on start,
 * each in its own transaction, recorded in schema_migrations. Landed files are never edited.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './db.ts';

const DIR = path.join(import.meta.dirname, 'migrations');

export function migrationFiles(): { version: number; name: string; file: string }[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), file: path.join(DIR, f) }));
}

/** Applies every migration not yet applied; returns the names applied now. */
export async function migrate(db: Db): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const m of migrationFiles()) {
    const sql = fs.readFileSync(m.file, 'utf8');
    const done = await db.transaction(async (tx) => {
      // Serialise concurrent starters on a server; a no-op cost on PGlite.
      await tx.query('SELECT pg_advisory_xact_lock(7263001)');
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (seen.length > 0) return false;
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  // Tables added by later migrations get the change trigger too (011_change_notifications).
  await db.query('SELECT innolink_watch_tables()');
  return applied;
}
