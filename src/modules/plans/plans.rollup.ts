/**
 * The roll-up of a plan as of a date: plan → action → task with aggregated statuses at every
 * node, and region → district (tasks by the district they are carried out in, registry-counted
 * targets counted per district). Computed from the status board on every read, so it moves
 * with the underlying data like the board does.
 */
import type { ServiceContext } from '../../http/context.ts';
import type { RegionRow } from '../regions/regions.repo.ts';
import { rollUpTargets, STATUS_RANK, type ProgressStatus } from './engine/index.ts';
import { countMeasure } from './plans.measures.ts';
import { milestonesOfPlan } from './plans.monitoring.repo.ts';
import type { Rollup, RollupTaskCounts } from './plans.monitoring.schema.ts';
import { districtsOf, districtsOfTasks, milestoneState } from './plans.monitoring.service.ts';
import { actionsOf, tasksOf } from './plans.repo.ts';
import type { BoardTarget, BoardTask } from './plans.schema.ts';
import { planBoard, resolvePlan } from './plans.service.ts';
import { todayIso } from './plans.values.ts';

type MilestoneCounts = { total: number; done: number; overdue: number };

function taskCounts(tasks: readonly BoardTask[], milestones: Map<string, MilestoneCounts>): RollupTaskCounts {
  const c: RollupTaskCounts = { total: 0, not_started: 0, in_progress: 0, completed: 0, blocked: 0, overdue: 0, off_track: 0, flagged: 0, escalated: 0, milestones_overdue: 0 };
  for (const t of tasks) {
    c.total++;
    const s = t.status as keyof RollupTaskCounts;
    if (s in c) c[s]++;
    if (t.overdue) c.overdue++;
    if (t.off_track) c.off_track++;
    if (t.escalation >= 1) c.flagged++;
    if (t.escalation === 2) c.escalated++;
    c.milestones_overdue += milestones.get(t.id)?.overdue ?? 0;
  }
  return c;
}

/** The worst status among targets with data; no_data when none has data; null without targets. */
export function worstStatus(targets: readonly { status: ProgressStatus }[]): ProgressStatus | null {
  if (!targets.length) return null;
  let worst: ProgressStatus | null = null;
  for (const t of targets) if (t.status !== 'no_data' && (worst === null || STATUS_RANK[t.status] < STATUS_RANK[worst])) worst = t.status;
  return worst ?? 'no_data';
}

const maxLevel = (tasks: readonly BoardTask[]) => tasks.reduce((m, t) => Math.max(m, t.escalation), 0);

function aggregate(targets: readonly BoardTarget[], tasks: readonly BoardTask[], milestones: Map<string, MilestoneCounts>) {
  return { targets: rollUpTargets(targets).plan, tasks: taskCounts(tasks, milestones), worst_status: worstStatus(targets), escalation: maxLevel(tasks) };
}

const targetItem = (t: BoardTarget) => ({
  id: t.id,
  indicator: t.indicator,
  status: t.status,
  ratio: t.ratio,
  latest: t.latest,
  target: t.target,
  unit: t.unit,
  forecast: t.forecast,
  forecast_method: t.forecast_method,
});

const regionRef = (r: RegionRow) => ({ id: Number(r.id), name: r.name });

/**
 * The plan → action → task tree and the region → district roll-up as of a date (default
 * today). A task is in the district set on it, or in those its responsible units name; a task
 * in none is region-wide (市级). A task in two districts counts in each.
 */
export async function planRollup(ctx: ServiceContext, ref: string | number, asOf: string = todayIso()): Promise<Rollup> {
  const plan = await resolvePlan(ctx, ref);
  const board = await planBoard(ctx, plan.id, asOf);
  const [actions, taskRows, milestoneRows] = await Promise.all([actionsOf(ctx.db, plan.id), tasksOf(ctx.db, plan.id), milestonesOfPlan(ctx.db, plan.id)]);

  const milestones = new Map<string, MilestoneCounts>();
  for (const m of milestoneRows) {
    const c = milestones.get(m.task_number) ?? { total: 0, done: 0, overdue: 0 };
    const { state } = milestoneState(m, board.as_of);
    c.total++;
    if (state === 'done' || state === 'done_late') c.done++;
    if (state === 'overdue') c.overdue++;
    milestones.set(m.task_number, c);
  }

  const districts = await districtsOf(ctx, plan);
  const byTaskId = await districtsOfTasks(ctx, plan, taskRows, districts);
  const taskDistrictsOf = new Map(taskRows.map((t) => [t.number, byTaskId.get(t.id) ?? []]));

  const taskItem = (t: BoardTask) => ({
    id: t.id,
    title: t.title,
    status: t.status as Rollup['actions'][number]['task_items'][number]['status'],
    percent: t.percent,
    due: t.due,
    overdue: t.overdue,
    off_track: t.off_track,
    escalation: t.escalation,
    responsible: t.responsible,
    districts: (taskDistrictsOf.get(t.id) ?? []).map(regionRef),
    milestones: milestones.get(t.id) ?? { total: 0, done: 0, overdue: 0 },
  });
  const node = (targets: BoardTarget[], tasks: BoardTask[]) => ({ ...aggregate(targets, tasks, milestones), target_items: targets.map(targetItem), task_items: tasks.map(taskItem) });

  let regions: Rollup['regions'] = null;
  if (plan.region_id !== null) {
    const registryTargets = board.targets.filter((t) => t.value_source === 'registry' && t.measure_key);
    const perDistrict = await Promise.all(
      districts.map(async (d) => {
        const tasks = board.tasks.filter((t) => (taskDistrictsOf.get(t.id) ?? []).some((x) => x.id === d.id));
        const measures = [];
        for (const t of registryTargets) measures.push({ target_id: t.id, indicator: t.indicator, measure_key: t.measure_key!, value: await countMeasure(ctx.db, t.measure_key!, board.as_of, d.path) });
        return { region: regionRef(d), tasks: taskCounts(tasks, milestones), escalation: maxLevel(tasks), task_ids: tasks.map((t) => t.id), measures };
      }),
    );
    const regionWide = board.tasks.filter((t) => !(taskDistrictsOf.get(t.id) ?? []).length);
    regions = {
      region: { id: plan.region_id, name: plan.region_name ?? '' },
      tasks: taskCounts(board.tasks, milestones),
      escalation: maxLevel(board.tasks),
      districts: perDistrict,
      region_wide: { tasks: taskCounts(regionWide, milestones), task_ids: regionWide.map((t) => t.id) },
      measures: registryTargets.map((t) => ({
        target_id: t.id,
        indicator: t.indicator,
        measure_key: t.measure_key!,
        value: t.latest ?? 0,
        in_districts: perDistrict.reduce((s, d) => s + (d.measures.find((m) => m.target_id === t.id)?.value ?? 0), 0),
      })),
    };
  }

  return {
    plan: board.plan,
    plan_id: board.plan_id,
    as_of: board.as_of,
    ...aggregate(board.targets, board.tasks, milestones),
    actions: actions.map((a) => ({
      number: a.number,
      title: a.title,
      ...node(board.targets.filter((t) => t.action_number === a.number), board.tasks.filter((t) => t.action_number === a.number)),
    })),
    unlinked: node(board.targets.filter((t) => t.action_number === null), board.tasks.filter((t) => t.action_number === null)),
    regions,
  };
}
