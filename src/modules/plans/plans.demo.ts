/**
 * The built-in example plan: the Beijing 2024–2027 international S&T cooperation action plan
 * (seed 004), imported from its two seed tables through the ordinary plan importer.
 */
import path from 'node:path';
import { systemActor } from '../../actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../store/db.ts';
import { importPlan, type PlanImportResult } from './plans.import.ts';
import { planByName, planCounts } from './plans.repo.ts';

export const DEMO_PLAN_NAME = '北京市国际科技合作行动计划（2024—2027年）';
export const DEMO_PLAN_FILES = ['beijing_action_plan_2024_2027_targets.csv', 'beijing_action_plan_2024_2027_tasks.csv'] as const;

/**
 * Imports the Beijing plan (region 北京) from config.seedDir. Idempotent: when the plan is there
 * already, nothing is imported and `plan` is its id, with its counts and no issues.
 */
export async function loadDemoPlan(db: Db, config: Config): Promise<PlanImportResult> {
  const existing = await planByName(db, DEMO_PLAN_NAME);
  if (existing) {
    const c = await planCounts(db, existing.id);
    return { ok: true, plan: existing.id, targets: c.targets, tasks: c.tasks, values: c.values, issues: [] };
  }
  const files = DEMO_PLAN_FILES.map((f) => ({ fileName: f, path: path.join(config.seedDir, f) }));
  return importPlan({ db, config, actor: systemActor('demo') }, files, { name: DEMO_PLAN_NAME, region: '北京' });
}
