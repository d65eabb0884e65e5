/**
 * The evaluation collection, read from the real data next to the repository
 * (../shared/data, see its SOURCES.md) and the seed table of paper 002:
 * - `cordis:<projectID>` — the 383 H2020 / Horizon Europe projects with a Chinese participant
 *   (cordis/cn_participation_subset/projects.csv): title, objective (cut to 500 characters by
 *   the source), keywords; English;
 * - `fp:<acronym>` — the 811 FP7 / H2020 / Horizon Europe projects with Canadian, New Zealand
 *   or Pacific participants (third_country_summary_nz_ca_pacific/FP_projects.csv): titles only,
 *   English; rows whose title repeats a `cordis:` project are left out;
 * - `nasa:<case number>` — NASA's 1,393 patents offered for licence (tech_transfer/
 *   NASA_Patents.csv): titles only, English — real technology offers;
 * - `cz:<row>` — the 30 projects of changzhou_key_country_projects.csv (002 表1): Chinese titles.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/** The shared data folder next to the repository. */
export const SHARED_DATA = path.resolve(import.meta.dirname, '../../../../../shared/data');
const SEED = path.resolve(import.meta.dirname, '../../../../demo/seed-tables/changzhou_key_country_projects.csv');

export interface EvalDoc {
  id: string;
  lang: 'zh' | 'en';
  title: string;
  summary: string;
}

function csvRows(file: string, delimiter = ','): Record<string, string>[] {
  const full = path.join(SHARED_DATA, file);
  if (!fs.existsSync(full)) throw new Error(`Evaluation data missing: ${full} (see ../shared/data/SOURCES.md)`);
  return parse(fs.readFileSync(full), { columns: true, bom: true, delimiter, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
}

/** The Chinese project titles of the seed table, in file order (`cz:<row>`, row from 0). */
export function changzhouTitles(): string[] {
  const rows = parse(fs.readFileSync(SEED), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r) => r['项目名称']);
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Every document of the collection (2,600-odd, mixed Chinese and English). */
export function evalCollection(): EvalDoc[] {
  const docs: EvalDoc[] = [];
  const titles = new Set<string>();
  for (const p of csvRows('cordis/cn_participation_subset/projects.csv')) {
    titles.add(norm(p.title));
    docs.push({ id: `cordis:${p.project_id}`, lang: 'en', title: p.title, summary: [p.objective, p.keywords].filter(Boolean).join('\n') });
  }
  for (const p of csvRows('cordis/third_country_summary_nz_ca_pacific/FP_projects.csv')) {
    if (titles.has(norm(p.title))) continue;
    docs.push({ id: `fp:${p.projectAcronym}`, lang: 'en', title: p.title, summary: '' });
  }
  for (const p of csvRows('tech_transfer/NASA_Patents.csv', ';')) docs.push({ id: `nasa:${p['Case Number']}`, lang: 'en', title: p.Title, summary: '' });
  changzhouTitles().forEach((t, i) => docs.push({ id: `cz:${i}`, lang: 'zh', title: t, summary: '' }));
  return docs;
}

/** CORDIS call topics (code, title) of the projects of the CN subset, from the official topics.csv files. */
export function cordisTopics(): Map<string, { code: string; title: string }> {
  const out = new Map<string, { code: string; title: string }>();
  for (const f of ['cordis/cordis_topics/h2020_topics.csv', 'cordis/cordis_topics/horizon_europe_topics.csv']) {
    for (const r of csvRows(f, ';')) out.set(r.projectID, { code: r.topic, title: r.title });
  }
  return out;
}
