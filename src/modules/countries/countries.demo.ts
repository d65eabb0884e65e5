/**
 * Demo innovation levels for every economy the Global Innovation Index ranks, not only the
 * Belt-and-Road countries of 003 表1: the partners of the demo's projects and offers (the
 * United States of the NASA offers, Germany, the United Kingdom, Israel) otherwise have no
 * innovation level, and the country-strategy rules (analytics.strategy.ts) suggest nothing
 * for them — every demo match with a NASA offer said "no innovation-level data".
 *
 * The bands are those of 003 表1 (1-20, 21-50, 51-100, 101-132), read from WIPO's GII scores of
 * DEMO_GII_YEAR put in order (../shared/data/gii/gii_panel_2011_2022.csv, see its SOURCES.md:
 * the panel has scores and no ranks; the GII reports rank by score). Economies whose scores are
 * equal at the panel's one decimal share the better rank. A band, not the rank, because the
 * paper's own table gives bands: the same indicator for all, and where both name a country
 * they agree (tested). `giiBandsTable` makes the table the demo loads
 * (demo/gii/gii_2022_rank_bands.csv; `node bin/run-ts.mjs src/modules/countries/countries.demo.ts
 * --write`), and the ordinary countries importer loads it on first start, after the seed tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { systemActor } from '../../actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../store/db.ts';
import { csvCell } from '../exports/export.ts';
import { runImport } from '../imports/imports.service.ts';
import type { ImportResult } from '../imports/imports.types.ts';

/** The GII edition of the demo bands (the panel's latest year, and the one 003 表1 uses). */
export const DEMO_GII_YEAR = 2022;

/** The rank bands of 003 表1. */
export const GII_BANDS: readonly (readonly [min: number, max: number])[] = [
  [1, 20],
  [21, 50],
  [51, 100],
  [101, 132],
];

/** The demo table's file, beside the seed tables. */
export const demoGiiPath = (config: Pick<Config, 'seedDir'>) => path.resolve(config.seedDir, '..', 'gii', `gii_${DEMO_GII_YEAR}_rank_bands.csv`);

/** The panel's economies of `year` with their GII score and rank (equal scores share the better rank), best first. */
export function giiRanks(panelCsv: string, year: number): { economy: string; score: number; rank: number }[] {
  const rows = parse(panelCsv, { columns: true, bom: true, delimiter: ';', skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const scores = rows
    .filter((r) => Number(r.Year) === year && (r['Global Innovation Index'] ?? '') !== '')
    .map((r) => ({ economy: r.Economies, score: Number(r['Global Innovation Index'].replace(',', '.')) }))
    .filter((r) => Number.isFinite(r.score))
    .sort((a, b) => b.score - a.score || a.economy.localeCompare(b.economy));
  return scores.map((s) => ({ ...s, rank: 1 + scores.filter((o) => o.score > s.score).length }));
}

/** The band of a rank, as 003 表1 writes it ("21-50"). */
export function bandOf(rank: number): string {
  const band = GII_BANDS.find(([min, max]) => rank >= min && rank <= max) ?? GII_BANDS[GII_BANDS.length - 1];
  return `${band[0]}-${band[1]}`;
}

/** The demo table: each economy (as the panel names it) and its GII rank band of `year`, best first. */
export function giiBandsTable(panelCsv: string, year: number): string {
  const lines = [`国家,GII${year}排名区间`, ...giiRanks(panelCsv, year).map((r) => `${csvCell(r.economy)},${bandOf(r.rank)}`)];
  return `${lines.join('\n')}\n`;
}

/** Loads the demo GII bands through the countries importer; null when the file is not there. */
export async function loadDemoGii(db: Db, config: Config): Promise<ImportResult | null> {
  const file = demoGiiPath(config);
  if (!fs.existsSync(file)) return null;
  return runImport({ db, config, actor: systemActor('demo') }, { fileName: path.basename(file), path: file }, { kind: 'countries' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename) && process.argv.includes('--write')) {
  const source = path.resolve(import.meta.dirname, '../../../../shared/data/gii/gii_panel_2011_2022.csv');
  const target = demoGiiPath({ seedDir: path.resolve(import.meta.dirname, '../../../demo/seed-tables') });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, giiBandsTable(fs.readFileSync(source, 'utf8'), DEMO_GII_YEAR));
  console.log(`${target}: ${fs.readFileSync(target, 'utf8').trim().split('\n').length - 1} economies (GII ${DEMO_GII_YEAR} rank bands)`);
}
