/**
 * Demo data: the tables transcribed from the seed papers (demo/seed-tables), imported through
 * the ordinary importer when the server first starts on an empty store — with the same
 * warnings an officer would see.
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
    const result = await runImport(ctx, { fileName: file, path: p }, options);
    note(loadedLine(file, result, '行 rows'));
    out.push({ file, result });
  }
  return out;
}

/** Loads the demo tables when the store holds no import yet (first start). */
export async function loadDemoIfEmpty(db: Db, config: Config, note: (msg: string) => void = () => undefined): Promise<boolean> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM imports');
  if (r.n > 0) return false;
  note('首次启动，载入演示数据 / first start: loading the demo data');
  await loadDemo(db, config, note);
  const gii = await loadDemoGii(db, config);
  if (gii) note(loadedLine('全球创新指数 2022 排名区间（132 个经济体）/ GII 2022 rank bands (132 economies)', gii, '行 rows'));
  const plan = await loadDemoPlan(db, config);
  note(`  北京行动计划 / Beijing action plan: ${plan.ok ? "✔" : "✘"} ${plan.targets} 个目标 targets, ${plan.tasks} 项任务 tasks, ${plan.issues.length} 条提示 issues`);
  await loadBuiltinIndicators(db, config, note);
  const market = await loadDemoMarket(db, config);
  if (market) note(loadedLine('技术成果（NASA 许可专利）/ technology offers (NASA patents for licence)', market, '条 offers'));
  return true;
}
