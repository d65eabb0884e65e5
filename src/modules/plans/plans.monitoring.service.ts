/**
 * Plan monitoring beyond the status board: milestones of tasks (节点) with their deadlines, the
 * district a task is carried out in, the users acting for the plan's units (who are notified),
 * and the method settings in effect. Called by the HTTP routes and the CLI alike.
 */
import { AppError, forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can, type Resource } from '../auth/auth.policy.ts';
import { regionById, type RegionRow } from '../regions/regions.repo.ts';
import { dayNumber, DEFAULT_SUPERVISION, resolveProgressConfig, resolveSupervisionConfig } from './engine/index.ts';
import {
  activeUserByName,
  addMember,
  deleteMilestoneRow,
  insertMilestone,
  membersOf,
  milestoneById,
  milestonesOfPlan,
  regionChildren,
  regionPaths,
  regionsNamedWithin,
  removeMember,
  setTaskDistrict,
  taskDistricts,
  updateMilestoneRow,
  type MilestoneRow,
} from './plans.monitoring.repo.ts';
import type {
  MemberInput,
  MethodDto,
  MilestoneDto,
  MilestoneInput,
  MilestonePatch,
  MilestoneReply,
  MonitoringWarning,
  TaskDistrictDto,
  UnitsDto,
} from './plans.monitoring.schema.ts';
import { tasksOf, taskByNumber, type PlanRow, type TaskRow } from './plans.repo.ts';
import { planConfigSchema, type PlanConfig } from './plans.schema.ts';
import { resolvePlan } from './plans.service.ts';
import { todayIso, unitKey } from './plans.values.ts';

// ---------------------------------------------------------------------------------------------
// Access

/**
 * The access resource of a plan for changing it: its region decides (a plan binds its
 * region's subtree, but only officers whose scope holds its region change it).
 */
export function planResource(plan: Pick<PlanRow, 'region_id' | 'region_path'>): Resource {
  return { kind: 'plans', region_id: plan.region_id, region_path: plan.region_path, applies_below: true, classification: 'internal' };
}

/** A plan the actor may see (PLAN_NOT_FOUND otherwise) and change (FORBIDDEN otherwise). */
export async function planToChange(ctx: ServiceContext, ref: string | number): Promise<PlanRow> {
  const plan = await resolvePlan(ctx, ref);
  if (!can(ctx.actor, 'update', planResource(plan))) throw forbidden();
  return plan;
}

/** The stored method settings of a plan, validated (PLAN_CONFIG_INVALID on a hand-edited row). */
export function storedConfig(plan: PlanRow): PlanConfig {
  const parsed = planConfigSchema.safeParse(plan.config ?? {});
  if (!parsed.success)
    throw new AppError('PLAN_CONFIG_INVALID', 500, `计划 ${plan.id} 的方法设置无效`, `The method settings of plan ${plan.id} are invalid`, [{ field: 'config' }]);
  return parsed.data;
}

export async function taskOf(ctx: ServiceContext, plan: PlanRow, number: string): Promise<TaskRow> {
  const n = String(number).normalize('NFKC').trim();
  const t = await taskByNumber(ctx.db, plan.id, n);
  if (!t) throw new AppError('PLAN_TASK_NOT_FOUND', 404, `计划“${plan.name}”中没有任务 ${n}`, `Plan "${plan.name}" has no task ${n}`, [{ field: 'task', value: n }]);
  return t;
}

const warn = (code: string, message: string, message_en: string): MonitoringWarning => ({ code, message, message_en });

// ---------------------------------------------------------------------------------------------
// Milestones

/** A milestone's state as of a date: done (on or before its deadline), done_late, overdue, or open. */
export function milestoneState(m: Pick<MilestoneRow, 'due_date' | 'done_on'>, asOf: string): { state: MilestoneDto['state']; days_overdue: number } {
  if (m.done_on && m.done_on <= asOf) return { state: m.done_on > m.due_date ? 'done_late' : 'done', days_overdue: 0 };
  const late = dayNumber(asOf) - dayNumber(m.due_date);
  return late > 0 ? { state: 'overdue', days_overdue: late } : { state: 'open', days_overdue: 0 };
}

function milestoneDto(m: MilestoneRow, asOf: string): MilestoneDto {
  return { id: Number(m.id), task: m.task_number, title: m.title, due_date: m.due_date, done_on: m.done_on, note: m.note, ...milestoneState(m, asOf) };
}

/** A plan's milestones as of a date (default today), optionally of one task or only the overdue ones. */
export async function listMilestones(
  ctx: ServiceContext,
  ref: string | number,
  f: { task?: string; overdue?: boolean; asOf?: string } = {},
): Promise<{ as_of: string; items: MilestoneDto[] }> {
  const plan = await resolvePlan(ctx, ref);
  const task = f.task !== undefined ? await taskOf(ctx, plan, f.task) : undefined;
  const asOf = f.asOf ?? todayIso();
  const items = (await milestonesOfPlan(ctx.db, plan.id, task?.id)).map((m) => milestoneDto(m, asOf));
  return { as_of: asOf, items: f.overdue ? items.filter((m) => m.state === 'overdue') : items };
}

/** Warnings about a milestone's deadline: already passed, outside the task's period. */
function deadlineWarnings(plan: PlanRow, task: TaskRow, m: { title: string; due_date: string; done_on: string | null }, today: string): MonitoringWarning[] {
  const out: MonitoringWarning[] = [];
  if (!m.done_on && m.due_date < today)
    out.push(
      warn(
        'MILESTONE_DUE_PASSED',
        `节点“${m.title}”的时限 ${m.due_date} 已过（今天是 ${today}），尚未完成，将按逾期督办`,
        `The deadline ${m.due_date} of milestone "${m.title}" has passed (today is ${today}) and it is not done: it counts as overdue`,
      ),
    );
  const due = task.due_date ?? plan.period_end;
  if (due && m.due_date > due)
    out.push(warn('MILESTONE_AFTER_TASK_DUE', `节点“${m.title}”的时限 ${m.due_date} 晚于任务完成时限 ${due}`, `Milestone "${m.title}" is due ${m.due_date}, after its task (${due})`));
  const start = task.start_date ?? plan.period_start;
  if (start && m.due_date < start)
    out.push(warn('MILESTONE_BEFORE_TASK_START', `节点“${m.title}”的时限 ${m.due_date} 早于任务开始日期 ${start}`, `Milestone "${m.title}" is due ${m.due_date}, before its task starts (${start})`));
  return out;
}

function checkDone(doneOn: string | null | undefined, today: string): void {
  if (doneOn && doneOn > today)
    throw new AppError('PLAN_MILESTONE_DONE_FUTURE', 400, `完成日期 ${doneOn} 晚于今天（${today}）`, `The milestone is marked done on ${doneOn}, after today (${today})`, [{ field: 'done_on', value: doneOn }]);
}

const duplicateMilestone = (task: string, title: string) =>
  new AppError('PLAN_MILESTONE_DUPLICATE', 409, `任务 ${task} 已有节点“${title}”`, `Task ${task} has a milestone "${title}" already`, [{ field: 'title', value: title }]);

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

/**
 * Adds a milestone with its deadline to a task. Refused: a title the task has already
 * (PLAN_MILESTONE_DUPLICATE, 409), a done date after today (PLAN_MILESTONE_DONE_FUTURE).
 * Warned: a deadline already passed, or outside the task's period.
 */
export async function addMilestone(ctx: ServiceContext, ref: string | number, taskNumber: string, input: MilestoneInput, today = todayIso()): Promise<MilestoneReply> {
  const plan = await planToChange(ctx, ref);
  const task = await taskOf(ctx, plan, taskNumber);
  const m = { title: input.title.normalize('NFKC').trim(), due_date: input.due_date, done_on: input.done_on ?? null, note: input.note?.trim() || null };
  checkDone(m.done_on, today);
  let id: number;
  try {
    id = await ctx.db.transaction(async (tx) => {
      const newId = await insertMilestone(tx, task.id, m, ctx.actor.name);
      await recordAudit(tx, { actor: ctx.actor, action: 'create', entity: 'plan_milestone', entityId: newId, before: null, after: { plan: plan.id, task: task.number, ...m }, requestId: ctx.requestId });
      return newId;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateMilestone(task.number, m.title);
    throw e;
  }
  const row = (await milestoneById(ctx.db, plan.id, id))!;
  return { ...milestoneDto(row, today), warnings: deadlineWarnings(plan, task, m, today) };
}

async function milestoneOf(ctx: ServiceContext, plan: PlanRow, id: number): Promise<MilestoneRow> {
  const m = await milestoneById(ctx.db, plan.id, id);
  if (!m) throw new AppError('PLAN_MILESTONE_NOT_FOUND', 404, `计划“${plan.name}”中没有节点 ${id}`, `Plan "${plan.name}" has no milestone ${id}`, [{ field: 'milestone', value: id }]);
  return m;
}

/** Changes a milestone: title, deadline, done date (null reopens it), note. */
export async function updateMilestone(ctx: ServiceContext, ref: string | number, id: number, patch: MilestonePatch, today = todayIso()): Promise<MilestoneReply> {
  const plan = await planToChange(ctx, ref);
  const before = await milestoneOf(ctx, plan, id);
  checkDone(patch.done_on, today);
  const clean = { ...patch, title: patch.title?.normalize('NFKC').trim(), note: patch.note === undefined ? undefined : patch.note?.trim() || null };
  try {
    await ctx.db.transaction(async (tx) => {
      await updateMilestoneRow(tx, id, clean);
      const after = (await milestoneById(tx, plan.id, id))!;
      await recordAudit(tx, { actor: ctx.actor, action: 'update', entity: 'plan_milestone', entityId: id, before, after, requestId: ctx.requestId });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateMilestone(before.task_number, clean.title ?? before.title);
    throw e;
  }
  const row = (await milestoneById(ctx.db, plan.id, id))!;
  const task = await taskOf(ctx, plan, row.task_number);
  return { ...milestoneDto(row, today), warnings: deadlineWarnings(plan, task, row, today) };
}

/** Deletes a milestone. */
export async function deleteMilestone(ctx: ServiceContext, ref: string | number, id: number): Promise<{ deleted: number }> {
  const plan = await planToChange(ctx, ref);
  const before = await milestoneOf(ctx, plan, id);
  await ctx.db.transaction(async (tx) => {
    await deleteMilestoneRow(tx, id);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'plan_milestone', entityId: id, before, after: null, requestId: ctx.requestId });
  });
  return { deleted: id };
}

// ---------------------------------------------------------------------------------------------
// Districts

/**
 * The districts of a plan's region: the regions one level below it; a region with a single
 * region below it (北京市 the province holds only 北京市 the city) is looked through.
 */
export async function districtsOf(ctx: ServiceContext, plan: PlanRow): Promise<RegionRow[]> {
  if (plan.region_id === null) return [];
  let children = await regionChildren(ctx.db, plan.region_id);
  for (let depth = 0; children.length === 1 && depth < 3; depth++) children = await regionChildren(ctx.db, children[0].id);
  return children;
}

/** The districts a task's responsible units name (海淀区人民政府 → 海淀区). */
export function districtsNamedBy(units: readonly string[], districts: readonly RegionRow[]): RegionRow[] {
  const keys = units.map(unitKey);
  return districts.filter((d) =>
    keys.some((u) => u.includes(d.name) || (d.short_name.length >= 2 && d.short_name !== d.name && u.startsWith(d.short_name) && /^(区|县|市|新区)/.test(u.slice(d.short_name.length)))),
  );
}

/**
 * The districts of each task of a plan: the one set by hand (as the listed district holding
 * it), otherwise those its responsible units name; none for a region-wide (市级) task.
 */
export async function districtsOfTasks(ctx: ServiceContext, plan: PlanRow, tasks: readonly TaskRow[], districts: readonly RegionRow[]): Promise<Map<number, RegionRow[]>> {
  const set = await taskDistricts(ctx.db, plan.id);
  const paths = await regionPaths(ctx.db, [...new Set(set.values())]);
  const out = new Map<number, RegionRow[]>();
  for (const t of tasks) {
    const explicit = set.get(t.id);
    if (explicit !== undefined) {
      const p = paths.get(explicit) ?? '';
      out.set(t.id, districts.filter((d) => p.startsWith(d.path)));
    } else out.set(t.id, districtsNamedBy(t.responsible_units, districts));
  }
  return out;
}

/**
 * Sets the district a task is carried out in (a region below the plan's region, by name, code
 * or id), or clears it (null: read from the responsible units again).
 */
export async function setDistrict(ctx: ServiceContext, ref: string | number, taskNumber: string, region: string | number | null): Promise<TaskDistrictDto> {
  const plan = await planToChange(ctx, ref);
  const task = await taskOf(ctx, plan, taskNumber);
  let chosen: RegionRow | null = null;
  if (region !== null) {
    const found = await regionsNamedWithin(ctx.db, String(region).trim(), plan.region_path);
    const byId = typeof region === 'number' ? await regionById(ctx.db, region) : null;
    chosen = [...(byId ? [byId] : []), ...found].find((r) => !plan.region_path || (r.path.startsWith(plan.region_path) && r.path !== plan.region_path)) ?? null;
    if (!chosen)
      throw new AppError(
        'PLAN_DISTRICT_UNKNOWN',
        400,
        `“${region}”不是计划地区${plan.region_name ? `（${plan.region_name}）` : ''}下属的区`,
        `"${region}" is not a district of the plan's region${plan.region_name ? ` (${plan.region_name})` : ''}`,
        [{ field: 'region', value: region }],
      );
  }
  const before = (await taskDistricts(ctx.db, plan.id)).get(task.id) ?? null;
  await ctx.db.transaction(async (tx) => {
    await setTaskDistrict(tx, task.id, chosen?.id ?? null);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'update',
      entity: 'plan_task',
      entityId: task.id,
      before: { region_id: before },
      after: { region_id: chosen?.id ?? null },
      requestId: ctx.requestId,
    });
  });
  const warnings: MonitoringWarning[] = [];
  if (chosen) {
    const named = districtsNamedBy(task.responsible_units, await districtsOf(ctx, plan));
    if (named.length && !named.some((d) => chosen!.path.startsWith(d.path)))
      warnings.push(
        warn(
          'TASK_DISTRICT_UNITS_DIFFER',
          `任务 ${task.number} 的责任单位指向${named.map((d) => d.name).join('、')}，与所设的${chosen.name}不同`,
          `The responsible units of task ${task.number} name ${named.map((d) => d.name).join(', ')}, not ${chosen.name}`,
        ),
      );
  }
  return { task: task.number, district: chosen ? { id: Number(chosen.id), name: chosen.name } : null, warnings };
}

// ---------------------------------------------------------------------------------------------
// Units and the users acting for them

/** The plan's units (owner, responsible and supporting units of its tasks) with the users acting for each. */
export async function listUnits(ctx: ServiceContext, ref: string | number): Promise<UnitsDto> {
  const plan = await resolvePlan(ctx, ref);
  const units = new Map<string, UnitsDto['units'][number]>();
  const entry = (name: string) => {
    const k = unitKey(name);
    let u = units.get(k);
    if (!u) units.set(k, (u = { unit: name, roles: [], tasks: [], members: [] }));
    return u;
  };
  if (plan.owner) entry(plan.owner).roles.push('owner');
  for (const t of await tasksOf(ctx.db, plan.id)) {
    for (const [list, role] of [[t.responsible_units, 'responsible'], [t.supporting_units, 'supporting']] as const)
      for (const name of list) {
        const u = entry(name);
        if (!u.roles.includes(role)) u.roles.push(role);
        if (!u.tasks.includes(t.number)) u.tasks.push(t.number);
      }
  }
  for (const m of await membersOf(ctx.db, plan.id))
    entry(m.unit).members.push({ username: m.username, display_name: m.display_name, role: m.role, disabled: m.disabled });
  return { plan_id: plan.id, units: [...units.values()] };
}

async function unitOfPlan(ctx: ServiceContext, plan: PlanRow, unit: string): Promise<string> {
  const { units } = await listUnits(ctx, plan.id);
  const k = unitKey(unit);
  const found = units.find((u) => unitKey(u.unit) === k && u.roles.length > 0);
  if (!found)
    throw new AppError(
      'PLAN_UNIT_UNKNOWN',
      400,
      `“${unit}”不是计划“${plan.name}”的牵头部门、责任单位或配合单位（计划中的单位：${units.filter((u) => u.roles.length).map((u) => u.unit).join('；') || '无'}）`,
      `"${unit}" is not the owner, a responsible or a supporting unit of plan "${plan.name}"`,
      [{ field: 'unit', value: unit }],
    );
  return found.unit;
}

/** Lets a user act for a unit of the plan: they then receive its notifications. */
export async function addUnitMember(ctx: ServiceContext, ref: string | number, input: MemberInput): Promise<UnitsDto> {
  const plan = await planToChange(ctx, ref);
  const unit = await unitOfPlan(ctx, plan, input.unit);
  const user = await activeUserByName(ctx.db, input.username);
  if (!user)
    throw new AppError('PLAN_MEMBER_USER_NOT_FOUND', 404, `没有在用的用户：${input.username}`, `No active user ${input.username}`, [{ field: 'username', value: input.username }]);
  await ctx.db.transaction(async (tx) => {
    if (await addMember(tx, plan.id, unitKey(unit), unit, user.id, ctx.actor.name))
      await recordAudit(tx, { actor: ctx.actor, action: 'create', entity: 'plan_unit_member', entityId: `${plan.id}:${unitKey(unit)}:${user.id}`, before: null, after: { plan: plan.id, unit, user: user.username }, requestId: ctx.requestId });
  });
  return listUnits(ctx, plan.id);
}

/** Stops a user acting for a unit of the plan (PLAN_MEMBER_NOT_FOUND when they did not). */
export async function removeUnitMember(ctx: ServiceContext, ref: string | number, input: MemberInput): Promise<UnitsDto> {
  const plan = await planToChange(ctx, ref);
  const user = await activeUserByName(ctx.db, input.username);
  const k = unitKey(input.unit);
  await ctx.db.transaction(async (tx) => {
    if (!user || !(await removeMember(tx, plan.id, k, user.id)))
      throw new AppError('PLAN_MEMBER_NOT_FOUND', 404, `${input.username} 不是“${input.unit}”的成员`, `${input.username} does not act for "${input.unit}"`, [{ field: 'username', value: input.username }]);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'plan_unit_member', entityId: `${plan.id}:${k}:${user.id}`, before: { plan: plan.id, unit: input.unit, user: user.username }, after: null, requestId: ctx.requestId });
  });
  return listUnits(ctx, plan.id);
}

// ---------------------------------------------------------------------------------------------
// Method settings in effect

const METHOD_LABELS = {
  cagr_ratio: ['观测复合年均增长率与所需增长率之比（加拿大统计局 / Open SDG 进展度量）', 'observed CAGR over the CAGR required to reach the target (Statistics Canada / Open SDG progress measure)'],
  linear_ratio: ['观测年均增量与所需年均增量之比（线性）', 'observed yearly change over the yearly change required (linear)'],
} as const;
const FORECAST_LABELS = {
  cagr: ['按基线至最新值的复合年均增长率外推', 'compound annual growth from the baseline to the latest value, extrapolated'],
  linear: ['按全部观测值的最小二乘直线外推', 'least-squares line through all observations, extrapolated'],
} as const;

/** The progress, forecast and supervision settings a plan is judged with: its own where set, the defaults elsewhere. */
export async function planMethod(ctx: ServiceContext, ref: string | number): Promise<MethodDto> {
  const plan = await resolvePlan(ctx, ref);
  const stored = storedConfig(plan);
  const p = resolveProgressConfig(stored.progress ?? {});
  const s = resolveSupervisionConfig({ ...DEFAULT_SUPERVISION, ...(stored.supervision ?? {}) });
  const f = stored.forecast_method ?? 'cagr';
  return {
    plan_id: plan.id,
    progress: {
      method: p.method,
      method_zh: METHOD_LABELS[p.method][0],
      method_en: METHOD_LABELS[p.method][1],
      convention: p.convention,
      min_years_observed: p.min_years_observed,
      ratio_thresholds: p.ratio_thresholds,
      growth_thresholds: p.growth_thresholds,
    },
    forecast: { method: f, method_zh: FORECAST_LABELS[f][0], method_en: FORECAST_LABELS[f][1] },
    supervision: { off_track_margin: s.off_track_margin, flag_after_days: s.flag_after_days, escalate_after_days: s.escalate_after_days },
    stored: stored as Record<string, unknown>,
  };
}

/** Settings merged into a plan's stored ones, key by key (for `plan config`). */
export function mergeConfig(stored: PlanConfig, change: PlanConfig): PlanConfig {
  return {
    ...stored,
    ...change,
    ...(stored.progress || change.progress ? { progress: { ...stored.progress, ...change.progress } } : {}),
    ...(stored.supervision || change.supervision ? { supervision: { ...stored.supervision, ...change.supervision } } : {}),
  };
}
