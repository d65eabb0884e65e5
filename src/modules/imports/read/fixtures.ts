/**
 * Paths of the real tables the reading layer is tested on: the seed tables transcribed from
 * the papers (demo/seed-tables) and the public files next to the repository (../shared/data,
 * see its SOURCES.md). Test helper only.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

/** A seed table by file name. */
export const seedTable = (name: string) => path.join(ROOT, 'demo', 'seed-tables', name);

/** Every seed table CSV. */
export const seedTables = () =>
  fs
    .readdirSync(path.join(ROOT, 'demo', 'seed-tables'))
    .filter((f) => f.endsWith('.csv'))
    .sort();

/** A file of ../shared/data by its path inside that folder. */
export function sharedData(rel: string): string {
  const full = path.resolve(ROOT, '..', 'shared', 'data', rel);
  if (!fs.existsSync(full)) throw new Error(`Test data missing: ${full} (see ../shared/data/SOURCES.md)`);
  return full;
}
