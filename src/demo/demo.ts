/**
 * Demo data, loaded when the server first starts on an empty store, all of it traceable:
 * the tables transcribed from the seed papers (demo/seed-tables) through the ordinary importer,
 * with the same warnings an officer would see; the institutions, platforms, parks and mechanisms
 * the papers name (demo/registries, each row citing paper and section); the GII bands
 * (demo/gii); the Beijing plan with constructed progress marked as demo data (demo/plan,
 * demo.plan.ts); the indicator frameworks; the marketplace's NASA offers (demo/market).
 */
import fs from 'node:fs';
import path from 'node:path';
import { systemActor } from '../actor.ts';
import type { Config } from '../config.ts';
import type { Db } from '../store/db.ts';
import { runImport } from '../modules/imports/imports.service.ts';
import type { ImportOptions, ImportResult } from '../modules/imports/imports.types.ts';
import { loadDemoPlan } from '../modules/plans/plans.demo.ts';
import { loadBuiltinIndicators } from '../modules/indicators/indicators.demo.ts';
import { loadDemoMarket } from '../modules/market/market.demo.ts';
import { loadDemoGii } from '../modules/countries/countries.demo.ts';
import { readCsv, writeCsv } from './demo.csv.ts';
import { loadDemoPlanWithProgress } from './demo.plan.ts';

/** The seed tables in the order they load: reference figures first, then what checks against them. */
export const DEMO_FILES: { file: string; options: Omit<ImportOptions, 'onProgress'> }[] = [
  { file: 'belt_and_road_gii2022_rank_bands.csv', options: { kind: 'countries' } },
  { file: 'changzhou_district_funding_2011_2014.csv', options: { kind: 'funding', region: '常州' } },
  { file: 'changzhou_key_country_projects.csv', options: { kind: 'projects', region: '常州' } },
  { file: 'changzhou_key_country_summary.csv', options: { kind: 'facts', region: '常州', period: { from: 2011, to: 2014 } } },
  { file: 'changzhou_programme_totals_2011_2014.csv', options: { kind: 'facts', region: '常州', period: { from: 2011, to: 2014 } } },
  { file: 'changzhou_partner_country_concentration.csv', options: { kind: 'facts', region: '常州', period: { from: 2011, to: 2014 } } },
  { file: 'regional_indicator_facts.csv', options: { kind: 'facts', region: '江苏' } },
];

/**
 * The registry records the papers name (demo/registries/README.md): partner institutions,
 * platforms and parks, cooperation mechanisms — each row's 备注 says where in which paper.
 * Files of Beijing rows load in Beijing's context, the others in the home region's.
 */
export const DEMO_REGISTRY_DIR = path.resolve(import.meta.dirname, '../../demo/registries');
export const DEMO_REGISTRY_FILES: { file: string; options: Omit<ImportOptions, 'onProgress'> }[] = [
  { file: 'organizations.csv', options: { kind: 'organizations', region: '常州' } },
  { file: 'platforms.csv', options: { kind: 'platforms', region: '常州' } },
  { file: 'platforms_beijing.csv', options: { kind: 'platforms', region: '北京' } },
  { file: 'mechanisms.csv', options: { kind: 'mechanisms', region: '常州' } },
  { file: 'mechanisms_beijing.csv', options: { kind: 'mechanisms', region: '北京' } },
];

/** The seed table of named projects, which has no code column. */
export const DEMO_PROJECTS_FILE = 'changzhou_key_country_projects.csv';

/**
 * The named projects of 002 表1 with a readable code in front, derived from the table itself:
 * 常州-<国别>-<the project's place among that country's projects in the table, two digits>
 * (常州-以色列-01 is the first Israeli project listed). Without it the importer would give each
 * project a hash of its title (AUTO-…), which nobody can read.
 */
export function codedProjects(file: string): Buffer {
  const rows = readCsv(file);
  const seen = new Map<string, number>();
  const header = ['项目编号', ...Object.keys(rows[0])];
  return writeCsv(
    header,
    rows.map((r) => {
      const n = (seen.get(r['国别']) ?? 0) + 1;
      seen.set(r['国别'], n);
      return [`常州-${r['国别']}-${String(n).padStart(2, '0')}`, ...Object.values(r)];
    }),
  );
}

/** A loaded table's line on the console: ✔/✘, rows imported of read, warnings. */
function loadedLine(label: string, r: { ok: boolean; rows: { read: number; imported: number }; issues: readonly { severity: string }[] }, unit: string): string {
  const warnings = r.issues.filter((i) => i.severity === 'warning').length;
  return `  ${label}: ${r.ok ? '✔' : '✘'} ${r.rows.imported}/${r.rows.read} ${unit}, ${warnings} 条警告 warnings`;
}

/** Loads the demo tables; returns each import's result. */
export async function loadDemo(db: Db, config: Config, note: (msg: string) => void = () => undefined): Promise<{ file: string; result: ImportResult }[]> {
  const out: { file: string; result: ImportResult }[] = [];
  const ctx = { db, config, actor: systemActor('demo') };
  for (const { file, options } of DEMO_FILES) {
    const p = path.join(config.seedDir, file);
    if (!fs.existsSync(p)) {
      note(`演示数据缺少文件 / demo file missing: ${p}`);
      continue;
    }
    const input = file === DEMO_PROJECTS_FILE ? { fileName: file, buffer: codedProjects(p) } : { fileName: file, path: p };
    const result = await runImport(ctx, input, options);
    note(loadedLine(file, result, '行 rows'));
    out.push({ file, result });
  }
  return out;
}

/** Loads the registry records the papers name (partners, platforms, mechanisms). */
export async function loadDemoRegistries(db: Db, config: Config, note: (msg: string) => void = () => undefined): Promise<{ file: string; result: ImportResult }[]> {
  const out: { file: string; result: ImportResult }[] = [];
  const ctx = { db, config, actor: systemActor('demo') };
  for (const { file, options } of DEMO_REGISTRY_FILES) {
    const result = await runImport(ctx, { fileName: file, path: path.join(DEMO_REGISTRY_DIR, file) }, options);
    note(loadedLine(file, result, '行 rows'));
    out.push({ file, result });
  }
  return out;
}

/**
 * Loads the demo when the store holds no import yet (first start). `today` dates the Beijing
 * plan's constructed progress (demo.plan.ts); tests fix it.
 */
export async function loadDemoIfEmpty(db: Db, config: Config, note: (msg: string) => void = () => undefined, today?: string): Promise<boolean> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM imports');
  if (r.n > 0) return false;
  note('首次启动，载入演示数据 / first start: loading the demo data');
  await loadDemo(db, config, note);
  const gii = await loadDemoGii(db, config);
  if (gii) note(loadedLine('全球创新指数 2022 排名区间（132 个经济体）/ GII 2022 rank bands (132 economies)', gii, '行 rows'));
  await loadDemoRegistries(db, config, note);
  const plan = (await loadDemoPlanWithProgress(db, config, today)) ?? { ...(await loadDemoPlan(db, config)), reporting_dates: [], reports: 0 };
  note(
    `  北京行动计划 / Beijing action plan: ${plan.ok ? '✔' : '✘'} ${plan.targets} 个目标 targets, ${plan.tasks} 项任务 tasks, ` +
      `${plan.values} 个演示填报值 demo values, ${plan.reports} 份演示进展报告 demo reports (${plan.reporting_dates.join(', ')}), ${plan.issues.length} 条提示 issues`,
  );
  await loadBuiltinIndicators(db, config, note);
  const market = await loadDemoMarket(db, config);
  if (market) note(loadedLine('技术成果（NASA 许可专利）/ technology offers (NASA patents for licence)', market, '条 offers'));
  return true;
}
