/**
 * Test fixture: the JRC COINr "ASEM" example (bluefoxr/COINr, MIT), as stored in
 * ../shared/data/composite_reference/coinr_asem/ (see ../shared/data/SOURCES.md, section
 * composite_reference, for how each file was produced with COINr 1.1.14).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { buildDataTable } from './data.ts';
import { buildFramework } from './framework.ts';
import type { DataTable, Framework, IMetaRow } from './types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The shared data folder sits next to the repository (`../shared/data`). */
export const ASEM_DIR = path.resolve(HERE, '../../../../../shared/data/composite_reference/coinr_asem');

export function readCsv(file: string): Record<string, string>[] {
  const full = path.join(ASEM_DIR, file);
  if (!fs.existsSync(full)) throw new Error(`COINr reference file missing: ${full} (see ../shared/data/SOURCES.md)`);
  return parse(fs.readFileSync(full, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

export function asemFramework(): Framework {
  const rows = readCsv('ASEM_iMeta.csv') as unknown as IMetaRow[];
  return buildFramework(rows, { version: 'COINr-ASEM-1.1.14' });
}

export function asemData(fw: Framework): DataTable {
  // The iData file has a Time column holding one year (2018): a one-period panel.
  return buildDataTable(fw, readCsv('ASEM_iData.csv'));
}

/** A reference table as unit → column → value (null for NA / empty). */
export function referenceTable(file: string, idCol = 'uCode'): Map<string, Record<string, number | null>> {
  const out = new Map<string, Record<string, number | null>>();
  for (const r of readCsv(file)) {
    const rec: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === idCol) continue;
      rec[k] = v === '' || v === 'NA' ? null : Number(v);
    }
    out.set(r[idCol], rec);
  }
  return out;
}

/** Largest absolute difference between a DataTable and a reference table over the reference's columns. */
export function compareTable(
  got: DataTable,
  ref: Map<string, Record<string, number | null>>,
  columns?: string[],
): { maxAbs: number; maxRel: number; where: string; missingMismatch: string[]; units: { extra: string[]; missing: string[] } } {
  let maxAbs = 0;
  let maxRel = 0;
  let where = '';
  const missingMismatch: string[] = [];
  const extra = got.units.filter((u) => !ref.has(u));
  const missing = [...ref.keys()].filter((u) => !got.units.includes(u));
  got.units.forEach((u, i) => {
    const r = ref.get(u);
    if (!r) return;
    for (const c of columns ?? Object.keys(r)) {
      const j = got.codes.indexOf(c);
      const a = j < 0 ? undefined : got.values[i][j];
      const b = r[c];
      if (a === undefined) {
        missingMismatch.push(`${u}.${c}: column missing`);
        continue;
      }
      if ((a === null) !== (b === null)) {
        missingMismatch.push(`${u}.${c}: got ${a} want ${b}`);
        continue;
      }
      if (a === null || b === null) continue;
      const d = Math.abs(a - b);
      const rel = d / Math.max(Math.abs(b), 1e-300);
      if (d > maxAbs) {
        maxAbs = d;
        where = `${u}.${c}: got ${a} want ${b}`;
      }
      if (b !== 0 && rel > maxRel) maxRel = rel;
    }
  });
  return { maxAbs, maxRel, where, missingMismatch, units: { extra, missing } };
}
