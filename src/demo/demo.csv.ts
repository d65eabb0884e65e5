/**
 * The little CSV the demo needs to read its own tables and to hand derived copies to the
 * importers (as in-memory files): UTF-8, a header row, RFC 4180 quoting.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';

/** The rows of a demo CSV file as objects keyed by its header. */
export function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
}

const quote = (v: string | number | null | undefined): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A CSV file's bytes from a header and rows (cells in header order). */
export function writeCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): Buffer {
  return Buffer.from([header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n', 'utf8');
}
