/**
 * Test data for the plans tests: the Beijing 2024–2027 seed tables, extended with INVENTED
 * baselines, reported values and responsible units (the same invented figures as the engine's
 * beijing.scenario.test.ts, so the statuses can be checked by hand). Nothing here claims to be
 * Beijing's real figures.
 */
import { seedPath, seedRows } from '../../../test/seed.ts';
import type { ProgressStatus } from './engine/index.ts';

export const TARGETS_FILE = 'beijing_action_plan_2024_2027_targets.csv';
export const TASKS_FILE = 'beijing_action_plan_2024_2027_tasks.csv';
export const targetsPath = seedPath(TARGETS_FILE);
export const tasksPath = seedPath(TASKS_FILE);
export const seedTargets = seedRows(TARGETS_FILE);
export const seedTasks = seedRows(TASKS_FILE);

/** A CSV text from a header and rows (cells quoted when they need it). */
export function csv(header: string[], rows: Array<Array<string | number | null>>): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/**
 * Baselines (2023 year-end) and values reported at the two reporting dates 2024-12-31 and
 * 2025-06-30, with the status expected as of each date. t0 = 2023, target 2027 (4 years);
 * as of 2024-12-31 the latest value is 1 year after the baseline, as of 2025-06-30 1.5 years.
 * obs = (latest/base)^(1/years) − 1, req = (target/base)^(1/4) − 1, R = obs/req.
 */
export const SCENARIO: Record<
  string,
  { base: number; values: Array<[string, number]>; q4: ProgressStatus; q2: ProgressStatus }
> = {
  '政府间、园区间国际科技合作机制': {
    base: 30,
    values: [['2024-12-31', 34], ['2025-06-30', 37]],
    q4: 'on_track', // 34/30 − 1 = 13.33 %, req (50/30)^(1/4) − 1 = 13.62 %, R = 0.979
    q2: 'on_track', // (37/30)^(1/1.5) − 1 = 15.01 %, R = 1.10
  },
  '市级“一带一路”联合实验室': {
    base: 8,
    values: [['2024-12-31', 9], ['2025-06-30', 9]],
    q4: 'acceleration_needed', // 9/8 − 1 = 12.5 %, req (15/8)^(1/4) − 1 = 17.02 %, R = 0.734
    q2: 'limited', // (9/8)^(1/1.5) − 1 = 8.17 %, R = 0.48
  },
  '国际科技组织、机构': {
    base: 60,
    values: [['2024-12-31', 70], ['2025-06-30', 75]],
    q4: 'on_track', // 16.67 % vs 13.62 %, R = 1.22
    q2: 'on_track', // 16.04 % vs 13.62 %, R = 1.18
  },
  '中关村企业驻海外服务代表处': {
    base: 12,
    values: [['2025-06-30', 15]],
    q4: 'no_data', // nothing reported after the baseline by 2024-12-31
    q2: 'acceleration_needed', // (15/12)^(1/1.5) − 1 = 16.04 %, req (25/12)^(1/4) − 1 = 20.14 %, R = 0.80
  },
  '北京国际科技合作基地': {
    base: 90,
    values: [['2024-12-31', 88], ['2025-06-30', 86]],
    q4: 'deterioration', // 88/90 − 1 = −2.22 % < 0
    q2: 'deterioration', // (86/90)^(1/1.5) − 1 = −2.99 % < 0
  },
  '跨境技术转移机构（培育和引进）': {
    base: 0, // counted from the plan's start: CAGR undefined, straight-line rates
    values: [['2024-12-31', 4], ['2025-06-30', 6]],
    q4: 'acceleration_needed', // (4 − 0)/1 = 4/yr vs (20 − 0)/4 = 5/yr, R = 0.80
    q2: 'acceleration_needed', // (6 − 0)/1.5 = 4/yr, R = 0.80
  },
  '海外国际化创新载体平台': { base: 15, values: [], q4: 'no_data', q2: 'no_data' },
  '国际联合研发项目': {
    base: 40,
    values: [['2024-12-31', 50], ['2025-06-30', 55]],
    q4: 'on_track', // 50/40 − 1 = 25 %, req (100/40)^(1/4) − 1 = 25.74 %, R = 0.9711
    q2: 'acceleration_needed', // (55/40)^(1/1.5) − 1 = 23.65 %, R = 0.9188
  },
  '在京外资研发中心': {
    base: 260,
    values: [['2025-06-30', 290]],
    q4: 'no_data',
    q2: 'on_track', // (290/260)^(1/1.5) − 1 = 7.55 %, req 3.64 %, R = 2.07
  },
  'PCT专利申请量': {
    base: 11000,
    values: [['2024', 12100]], // the 2024 total, entered by year
    q4: 'achieved', // 12100 ≥ 12000
    q2: 'achieved',
  },
  '中关村示范区海外从业人员及留学归国人员': {
    base: 70000,
    values: [['2024-12-31', 71000], ['2025-06-30', 71500]],
    q4: 'acceleration_needed', // 1.43 % vs (75000/70000)^(1/4) − 1 = 1.74 %, R = 0.82
    q2: 'acceleration_needed', // (71500/70000)^(1/1.5) − 1 = 1.42 %, R = 0.82
  },
  '进入科睿唯安Q1区科技期刊': {
    base: 100,
    values: [['2024-12-31', 102], ['2025-06-30', 103]],
    q4: 'limited', // 2 % vs (120/100)^(1/4) − 1 = 4.66 %, R = 0.43
    q2: 'limited', // (103/100)^(1/1.5) − 1 = 1.99 %, R = 0.43
  },
};

/** The seed targets table with 基线值 and 基线年份 (2023) added from the scenario. */
export function targetsWithBaselines(): string {
  const header = [...Object.keys(seedTargets[0]), '基线值', '基线年份', '方向'];
  return csv(
    header,
    seedTargets.map((r) => [...Object.values(r), SCENARIO[r['指标']].base, 2023, '正向']),
  );
}

/** Invented responsible units per action (行动编号), as in the engine's scenario. */
export const UNITS: Record<string, string[]> = {
  '1': ['市科委、中关村管委会', '市外办'],
  '2': ['市科委、中关村管委会'],
  '3': ['市科委、中关村管委会'],
  '4': ['市商务局', '市科委、中关村管委会'],
  '5': ['市知识产权局', '市人才局', '市金融监管局'],
  '6': ['市科委、中关村管委会', '市科协'],
};

/** The seed tasks table with 责任单位 added, and task 14 due on 2025-03-31. */
export function tasksWithUnits(): string {
  const header = [...Object.keys(seedTasks[0]), '责任单位', '完成时限'];
  return csv(
    header,
    seedTasks.map((r) => [...Object.values(r), UNITS[r['行动编号']].join('；'), r['任务编号'] === '14' ? '2025-03-31' : '']),
  );
}
