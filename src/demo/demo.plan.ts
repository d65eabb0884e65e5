/**
 * The demo's Beijing plan with progress: the plan's twelve targets and twenty tasks from the
 * seed tables (004), plus what the plan text does not give and the demo has to construct — a
 * baseline per target, reported values at two reporting dates, and task progress reports
 * (demo/plan/README.md). Every constructed figure carries 演示数据 / demo data in its record
 * (a value's note, a report's unit, narrative and review comment), so nobody can take it for
 * Beijing's statistics.
 *
 * The two reporting dates are the last two quarter ends before the day of the first start, and
 * the values and percentages follow from each row's pace factor (1 = exactly on schedule), so
 * that the statuses differ in the same way whenever the demo is started during the plan period.
 */
import path from 'node:path';
import { systemActor } from '../actor.ts';
import type { Config } from '../config.ts';
import type { Db } from '../store/db.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import { importPlan, type PlanImportResult } from '../modules/plans/plans.import.ts';
import { DEMO_PLAN_FILES, DEMO_PLAN_NAME } from '../modules/plans/plans.demo.ts';
import { insertReport, planByName, planCounts, setReview, targetsOf, tasksOf } from '../modules/plans/plans.repo.ts';
import { todayIso } from '../modules/plans/plans.values.ts';
import { readCsv, writeCsv } from './demo.csv.ts';

/** Where the constructed progress lives. */
export const DEMO_PLAN_DIR = path.resolve(import.meta.dirname, '../../demo/plan');
export const DEMO_TARGET_PROGRESS = 'beijing_targets_demo_progress.csv';
export const DEMO_TASK_REPORTS = 'beijing_tasks_demo_reports.csv';

/** The mark every constructed record carries. */
export const DEMO_MARK_ZH = '演示数据（为展示功能而构造，非北京市实际统计或进展）';
export const DEMO_MARK_EN = 'Demo data (constructed to show the feature; not Beijing’s actual statistics or progress)';
/** The reporting unit of the constructed reports: the seed plan names no responsible units. */
export const DEMO_REPORT_UNIT = '演示报送单位（构造数据）';

const DAY = 86_400_000;
const dayNo = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** The last `n` quarter ends strictly before `today`, oldest first. */
export function quarterEndsBefore(today: string, n: number): string[] {
  const out: string[] = [];
  let y = Number(today.slice(0, 4));
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3); // the quarter `today` is in, 0-based
  while (out.length < n) {
    q -= 1;
    if (q < 0) {
      q = 3;
      y -= 1;
    }
    const end = isoOf(Date.UTC(y, (q + 1) * 3, 0) / DAY);
    if (end < today) out.unshift(end);
  }
  return out;
}

/**
 * A value on the compound path from the baseline to the target: pace 1 reaches the target
 * exactly at the target year's end, pace 0.5 half the way (in growth rate), pace < 0 falls below
 * the baseline. Rounded to whole units (the targets count institutions, projects, people …).
 */
export function valueAt(baseline: number, target: number, baselineYear: number, targetYear: number, pace: number, date: string): number {
  const t0 = dayNo(`${baselineYear}-12-31`);
  const f = Math.max(0, (dayNo(date) - t0) / (dayNo(`${targetYear}-12-31`) - t0));
  return Math.round(baseline * (target / baseline) ** (pace * f));
}

/** The straight-line schedule's percentage on `date`, times the pace, kept within 0–99. */
export function percentAt(start: string, due: string, pace: number, date: string): number {
  const expected = ((dayNo(date) - dayNo(start)) / (dayNo(due) - dayNo(start))) * 100;
  return Math.min(99, Math.max(0, Math.round(expected * pace)));
}

const STATUS_OF: Record<string, 'in_progress' | 'completed' | 'blocked' | 'not_started'> = { 推进中: 'in_progress', 已完成: 'completed', 受阻: 'blocked', 未启动: 'not_started' };

export interface DemoPlanResult extends PlanImportResult {
  reporting_dates: string[];
  reports: number;
}

/**
 * Imports the Beijing plan with the constructed baselines and values (one plan import, so a
 * refusal leaves nothing) and adds the constructed, accepted progress reports. Does nothing when
 * the plan exists already.
 */
export async function loadDemoPlanWithProgress(db: Db, config: Config, today: string = todayIso()): Promise<DemoPlanResult | null> {
  if (await planByName(db, DEMO_PLAN_NAME)) return null;
  const actor = systemActor('demo');
  const [first, latest] = quarterEndsBefore(today, 2);
  const progress = new Map(readCsv(path.join(DEMO_PLAN_DIR, DEMO_TARGET_PROGRESS)).map((r) => [r['指标'], r]));

  // The seed targets with the constructed baseline columns added; values at the two dates.
  const seedTargets = readCsv(path.join(config.seedDir, DEMO_PLAN_FILES[0]));
  const header = [...Object.keys(seedTargets[0]), '基线年份', '基线值'];
  const values: (string | number)[][] = [];
  const targetRows = seedTargets.map((t) => {
    const p = progress.get(t['指标']);
    if (!p) return [...Object.values(t), '', ''];
    const pace = p['进度系数'] === '' ? null : Number(p['进度系数']);
    if (pace !== null)
      for (const date of [first, latest])
        values.push([t['指标'], date, valueAt(Number(p['基线值']), Number(t['目标值']), Number(p['基线年份']), Number(t['目标年份']), pace, date), `${DEMO_MARK_ZH}；${p['说明']} / ${DEMO_MARK_EN}`]);
    return [...Object.values(t), p['基线年份'], p['基线值']];
  });
  const files = [
    { fileName: DEMO_PLAN_FILES[0], buffer: writeCsv(header, targetRows) },
    { fileName: DEMO_PLAN_FILES[1], path: path.join(config.seedDir, DEMO_PLAN_FILES[1]) },
    { fileName: 'beijing_targets_demo_values.csv', buffer: writeCsv(['指标', '日期', '数值', '说明'], values) },
  ];
  const ctx = { db, config, actor };
  const result = await importPlan(ctx, files, { name: DEMO_PLAN_NAME, region: '北京', today });
  if (!result.ok || result.plan === null) return { ...result, reporting_dates: [first, latest], reports: 0 };
  const planId = result.plan;

  // Two reports per listed task, accepted by the plan's (demo) reviewer; unlisted tasks stay without.
  const plan = (await planByName(db, DEMO_PLAN_NAME))!;
  const tasks = new Map((await tasksOf(db, planId)).map((k) => [k.number, k]));
  let reports = 0;
  await db.transaction(async (tx) => {
    for (const r of readCsv(path.join(DEMO_PLAN_DIR, DEMO_TASK_REPORTS))) {
      const task = tasks.get(r['任务编号']);
      if (!task) continue;
      const start = task.start_date ?? plan.period_start!;
      const due = task.due_date ?? plan.period_end!;
      const pace = r['进度系数'] === '' ? 1 : Number(r['进度系数']);
      const last = STATUS_OF[r['状态']];
      for (const [date, status] of [
        [first, 'in_progress'],
        [latest, last],
      ] as const) {
        const percent = status === 'completed' ? 100 : percentAt(start, due, pace, date);
        const narrative = `${DEMO_MARK_ZH}：${r['说明']}（截至 ${date}，按线性进度的 ${pace} 倍构造）。\n${DEMO_MARK_EN}: as of ${date}, ${pace} × the straight-line schedule.`;
        const id = await insertReport(tx, { task_id: task.id, unit: DEMO_REPORT_UNIT, status, percent, narrative, evidence: null, reported_on: date, submitted_by: actor.name });
        await setReview(tx, id, { status: 'accepted', reviewer: actor.name, comment: `${DEMO_MARK_ZH} / ${DEMO_MARK_EN}` });
        await recordAudit(tx, { actor, action: 'create', entity: 'plan_report', entityId: id, before: null, after: { plan: planId, task: task.number, status, percent, reported_on: date, review_status: 'accepted', demo: true } });
        reports += 1;
      }
    }
  });
  const c = await planCounts(db, planId);
  return { ...result, targets: (await targetsOf(db, planId)).length, tasks: c.tasks, values: c.values, reporting_dates: [first, latest], reports };
}
