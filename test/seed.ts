/**
 * The seed tables (demo/seed-tables, transcribed from the papers) parsed plainly, so tests can
 * compute their expectations from the data instead of typing figures in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export const SEED_DIR = path.resolve(import.meta.dirname, '..', 'demo', 'seed-tables');

export function seedPath(file: string): string {
  return path.join(SEED_DIR, file);
}

/** A seed table as an array of records keyed by header. */
export function seedRows(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(seedPath(file)), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}
