/**
 * Action-plan monitoring: the plan tree, the status board (target statuses, forecasts and task
 * judgements computed on every read by the engine), reported values, progress reports and their
 * review, and supervision. Called by the HTTP routes and the CLI alike.
 */
import type { Actor } from '../../actor.ts';
import { AppError, forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { hasAssignedReportIn, assignedIds } from '../auth/assignments.repo.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can, type Action, type Resource } from '../auth/auth.policy.ts';
import { isAssigned, organisationNames, regionPath } from '../auth/auth.scope.ts';
import { regionsNamed } from '../regions/regions.repo.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import {
  computeTargetStatus,
  evaluateTasks,
  forecastTarget,
  resolveProgressConfig,
  resolveSupervisionConfig,
  rollUpTargets,
  rollUpTasks,
  supervisionList,
  toIsoDate,
  type Milestone,
  type Observation,
  type TargetSpec,
  type TaskEvaluation,
  type TaskInput,
} from './engine/index.ts';
import { countMeasure, measureOf, unknownMeasure } from './plans.measures.ts';
import { milestonesOfPlan } from './plans.monitoring.repo.ts';
import { notifyReportReviewed, notifyReportSubmitted } from './plans.notify.ts';
import {
  actionsOf,
  deletePlanRow,
  insertReport,
  insertValue,
  listPlans,
  planById,
  planByName,
  reportById,
  reportsOf,
  setReview,
  setTargetSource,
  targetById,
  targetsOf,
  taskByNumber,
  tasksOf,
  updatePlanRow,
  updateTaskRow,
  valuesOfPlan,
  type PlanRow,
  type ReportRow,
  type ReviewStatus,
  type TargetRow,
  type TaskRow,
} from './plans.repo.ts';
import {
  planConfigSchema,
  type BoardTarget,
  type BoardTask,
  type PlanBoard,
  type PlanConfig,
  type PlanPatch,
  type PlanSummary,
  type PlanTree,
  type ReportDto,
  type ReportInput,
  type ReviewInput,
  type StatusContract,
  type Supervision,
  type TargetDto,
  type TaskDto,
  type TaskPatch,
  type ValueDto,
  type ValueInput,
} from './plans.schema.ts';
import { checkUnit, readReportingDate, todayIso, unitKey } from './plans.values.ts';

// ---------------------------------------------------------------------------------------------
// Access: the one policy (auth.policy.ts) decides. A plan applies to its region's subtree (or,
// without a region, everywhere): officers scoped below it read it and report on it, those whose
// scope holds its region change it. An organisation named as a unit of its tasks reads it and
// reports as that unit; a reviewer reads plans and progress reports assigned to it.

/** Importing plans at all (the region is checked by `assertCanImportPlan`). */
export function assertCanManage(actor: Actor): void {
  if (!can(actor, 'import', { kind: 'plans' })) throw forbidden();
}

/** Importing a plan for a region (name or code; absent: a plan that applies everywhere). */
export async function assertCanImportPlan(ctx: ServiceContext, region?: string): Promise<void> {
  assertCanManage(ctx.actor);
  let regionId: number | null = null;
  if (region) {
    // The import resolves the name the same way; an unknown name is its REGION_UNKNOWN issue.
    const found = await regionsNamed(ctx.db, region.trim());
    if (!found.length) return;
    regionId = found[0].id;
  }
  const resource: Resource = { kind: 'plans', region_id: regionId, region_path: await regionPath(ctx.db, regionId), classification: 'internal' };
  if (!can(ctx.actor, 'import', resource)) throw forbidden();
}

const planBase = (plan: PlanRow): Resource => ({
  kind: 'plans',
  region_id: plan.region_id,
  region_path: plan.region_path,
  applies_below: true,
  classification: 'internal',
});

/** Unit keys of the actor's organisation names (organisation users), to match responsible units. */
async function ownUnitKeys(ctx: ServiceContext): Promise<Set<string>> {
  if (ctx.actor.role !== 'organization' || ctx.actor.orgId === undefined) return new Set();
  return new Set((await organisationNames(ctx.db, ctx.actor.orgId)).map(unitKey));
}

/** The access resource of a plan for the acting user: region, units taking part, assignment. */
async function planResource(ctx: ServiceContext, plan: PlanRow): Promise<Resource> {
  const { actor, db } = ctx;
  const base = planBase(plan);
  if (actor.role === 'organization' && actor.orgId !== undefined) {
    const keys = await ownUnitKeys(ctx);
    const units = (await tasksOf(db, plan.id)).flatMap((t) => [...t.responsible_units, ...t.supporting_units]);
    return units.some((u) => keys.has(unitKey(u))) ? { ...base, participant_org_ids: [actor.orgId] } : base;
  }
  if (actor.role === 'reviewer' && actor.userId !== undefined) {
    return { ...base, assigned: (await isAssigned(db, actor, 'plans', plan.id)) || (await hasAssignedReportIn(db, actor.userId, plan.id)) };
  }
  return base;
}

/** Refuses unless the actor may do `action` on the plan; a plan it may not see is not found. */
async function assertCan(ctx: ServiceContext, action: Action, plan: PlanRow): Promise<void> {
  const resource = await planResource(ctx, plan);
  if (!can(ctx.actor, 'read', resource)) throw planNotFound(plan.id);
  if (action !== 'read' && !can(ctx.actor, action, resource)) throw forbidden();
}

/** A progress report as the policy sees it: on the plan's region, owned by the unit's organisation. */
function reportResource(ctx: ServiceContext, plan: PlanRow, unit: string, reportId: number | null, keys: Set<string>, assigned: Set<number>): Resource {
  return {
    ...planBase(plan),
    kind: 'plan_reports',
    ...(ctx.actor.orgId !== undefined && keys.has(unitKey(unit)) ? { org_ids: [ctx.actor.orgId] } : {}),
    ...(reportId !== null && ctx.actor.role === 'reviewer' ? { assigned: assigned.has(reportId) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Mapping rows to replies

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));

const planNotFound = (ref: string | number) =>
  new AppError('PLAN_NOT_FOUND', 404, `未找到行动计划：${ref}`, `No action plan ${ref}`, [{ field: 'plan', value: String(ref) }]);

function targetDto(t: TargetRow): TargetDto {
  return {
    id: t.id,
    indicator: t.indicator,
    area: t.area,
    unit: t.unit,
    action_number: t.action_number,
    baseline_value: t.baseline_value,
    baseline_year: t.baseline_year,
    target_value: t.target_value,
    target_year: t.target_year,
    direction: t.direction,
    source_text: t.source_text,
    value_source: t.value_source,
    measure_key: t.measure_key,
  };
}

function taskDto(t: TaskRow): TaskDto {
  return {
    number: t.number,
    title: t.title,
    action_number: t.action_number,
    responsible_units: t.responsible_units,
    supporting_units: t.supporting_units,
    start_date: t.start_date,
    due_date: t.due_date,
    policy_text: t.policy_text,
  };
}

function reportDto(r: ReportRow): ReportDto {
  return {
    id: r.id,
    task: r.task_number,
    unit: r.unit,
    status: r.status,
    percent: r.percent,
    narrative: r.narrative,
    evidence: r.evidence,
    reported_on: r.reported_on,
    submitted_by: r.submitted_by,
    submitted_at: iso(r.submitted_at) as string,
    review_status: r.review_status,
    reviewer: r.reviewer,
    reviewer_comment: r.reviewer_comment,
    reviewed_at: iso(r.reviewed_at),
  };
}

const regionOf = (p: PlanRow) => (p.region_id === null ? null : { id: p.region_id, name: p.region_name ?? '' });

/** The stored settings, validated (a hand-edited row must not break every read). */
function configOf(p: PlanRow): PlanConfig {
  const parsed = planConfigSchema.safeParse(p.config ?? {});
  if (!parsed.success)
    throw new AppError('PLAN_CONFIG_INVALID', 500, `计划 ${p.id} 的方法设置无效`, `The method settings of plan ${p.id} are invalid`, [{ field: 'config' }]);
  return parsed.data;
}

/** What the audit log keeps of a plan (its own fields, not its tree). */
const planImage = (p: PlanRow) => ({
  id: p.id,
  name: p.name,
  region_id: p.region_id,
  period_start: p.period_start,
  period_end: p.period_end,
  owner: p.owner,
  config: p.config,
});

// ---------------------------------------------------------------------------------------------
// Plans

/** A plan by id (digits) or exact name; PLAN_NOT_FOUND (404) otherwise. */
export async function resolvePlan(ctx: ServiceContext, ref: string | number): Promise<PlanRow> {
  const s = String(ref).trim();
  const plan = /^\d+$/.test(s) ? await planById(ctx.db, Number(s)) : await planByName(ctx.db, s);
  if (!plan) throw planNotFound(s);
  await assertCan(ctx, 'read', plan);
  return plan;
}

/** A plan the actor may change (`update`, `delete`): 404 when it may not see it, 403 when it may not change it. */
async function planFor(ctx: ServiceContext, ref: string | number, action: 'update' | 'delete'): Promise<PlanRow> {
  const plan = await resolvePlan(ctx, ref);
  await assertCan(ctx, action, plan);
  return plan;
}

/** Every plan the actor may see, newest first, with its target and task counts. */
export async function listPlanSummaries(ctx: ServiceContext): Promise<PlanSummary[]> {
  const rows = await listPlans(ctx.db);
  const out: PlanSummary[] = [];
  for (const p of rows) {
    if (!can(ctx.actor, 'read', await planResource(ctx, p))) continue;
    out.push({
      id: p.id,
      name: p.name,
      region: regionOf(p),
      period_start: p.period_start,
      period_end: p.period_end,
      owner: p.owner,
      targets: p.targets,
      tasks: p.tasks,
      created_at: iso(p.created_at) as string,
    });
  }
  return out;
}

/** The plan tree: actions with their targets and tasks, and what belongs to no action. */
export async function planTree(ctx: ServiceContext, ref: string | number): Promise<PlanTree> {
  const plan = await resolvePlan(ctx, ref);
  const [actions, targets, tasks] = await Promise.all([actionsOf(ctx.db, plan.id), targetsOf(ctx.db, plan.id), tasksOf(ctx.db, plan.id)]);
  return {
    id: plan.id,
    name: plan.name,
    region: regionOf(plan),
    period_start: plan.period_start,
    period_end: plan.period_end,
    owner: plan.owner,
    config: configOf(plan),
    actions: actions.map((a) => ({
      number: a.number,
      title: a.title,
      targets: targets.filter((t) => t.action_id === a.id).map(targetDto),
      tasks: tasks.filter((t) => t.action_id === a.id).map(taskDto),
    })),
    targets: targets.filter((t) => t.action_id === null).map(targetDto),
    tasks: tasks.filter((t) => t.action_id === null).map(taskDto),
    created_at: iso(plan.created_at) as string,
    updated_at: iso(plan.updated_at) as string,
  };
}

/** Changes a plan's name, owner, period or method settings (validated against the engine). */
export async function updatePlan(ctx: ServiceContext, ref: string | number, patch: PlanPatch): Promise<PlanTree> {
  const plan = await planFor(ctx, ref, 'update');
  if (patch.config) {
    // The engine refuses unordered thresholds; refuse them here, before they are stored.
    resolveProgressConfig(patch.config.progress ?? {});
    resolveSupervisionConfig(patch.config.supervision ?? {});
  }
  const start = patch.period_start === undefined ? plan.period_start : patch.period_start;
  const end = patch.period_end === undefined ? plan.period_end : patch.period_end;
  if (start && end && end < start)
    throw new AppError('PLAN_PERIOD_INVALID', 400, `计划期末 ${end} 早于期初 ${start}`, `The plan ends (${end}) before it starts (${start})`, [{ field: 'period_end' }]);
  try {
    await ctx.db.transaction(async (tx) => {
      await updatePlanRow(tx, plan.id, patch);
      const after = await planById(tx, plan.id);
      await recordAudit(tx, { actor: ctx.actor, action: 'update', entity: 'plan', entityId: plan.id, before: planImage(plan), after: after && planImage(after), requestId: ctx.requestId });
    });
  } catch (e) {
    throw translatePgError(e);
  }
  return planTree(ctx, plan.id);
}

/** Deletes a plan with everything in it. */
export async function deletePlan(ctx: ServiceContext, ref: string | number): Promise<{ deleted: number }> {
  const plan = await planFor(ctx, ref, 'delete');
  await ctx.db.transaction(async (tx) => {
    await deletePlanRow(tx, plan.id);
    await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: 'plan', entityId: plan.id, before: planImage(plan), after: null, requestId: ctx.requestId });
  });
  return { deleted: plan.id };
}

// ---------------------------------------------------------------------------------------------
// Targets and values

const indicatorKey = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

async function findTarget(ctx: ServiceContext, plan: PlanRow, ref: { indicator?: string; target_id?: number }): Promise<TargetRow> {
  let t: TargetRow | null | undefined = null;
  if (ref.target_id !== undefined) t = await targetById(ctx.db, plan.id, ref.target_id);
  else if (ref.indicator !== undefined) {
    const k = indicatorKey(ref.indicator);
    t = (await targetsOf(ctx.db, plan.id)).find((x) => indicatorKey(x.indicator) === k);
  }
  if (!t) {
    const what = ref.indicator ?? String(ref.target_id);
    throw new AppError('PLAN_TARGET_NOT_FOUND', 404, `计划“${plan.name}”中没有指标：${what}`, `Plan "${plan.name}" has no target ${what}`, [{ field: 'indicator', value: what }]);
  }
  return t;
}

/**
 * Records a reported value of a target. A value in another multiple of the target's unit
 * (万人 for 人) is converted with a warning; in another unit it is refused
 * (PLAN_VALUE_UNIT_MISMATCH); registry-counted targets take no values (PLAN_TARGET_FROM_REGISTRY).
 */
export async function enterValue(ctx: ServiceContext, ref: string | number, input: ValueInput, today = todayIso()): Promise<ValueDto> {
  const plan = await planFor(ctx, ref, 'update');
  const target = await findTarget(ctx, plan, input);
  if (target.value_source === 'registry')
    throw new AppError(
      'PLAN_TARGET_FROM_REGISTRY',
      409,
      `“${target.indicator}”按登记库实时计数（${target.measure_key}），不接受填报数值`,
      `"${target.indicator}" is counted live from the registry (${target.measure_key}); it takes no reported values`,
      [{ field: 'indicator', value: target.indicator }],
    );
  if (!Number.isFinite(input.value))
    throw new AppError('PLAN_VALUE_INVALID', 400, `数值无效：${input.value}`, `Invalid value: ${input.value}`, [{ field: 'value' }]);
  const when = readReportingDate(input.date);
  if (!when)
    throw new AppError('PLAN_TIME_INVALID', 400, `无法识别的日期或年份：${input.date}（应为 YYYY 或 YYYY-MM-DD）`, `Not a year or date: ${input.date} (expected YYYY or YYYY-MM-DD)`, [{ field: 'date', value: input.date }]);
  const warnings: ValueDto['warnings'] = [];
  const u = checkUnit(input.unit, target.unit);
  let value = input.value;
  if (u.kind === 'mismatch')
    throw new AppError(
      'PLAN_VALUE_UNIT_MISMATCH',
      400,
      `“${target.indicator}”的数值单位“${input.unit}”与目标单位“${target.unit}”不符`,
      `The value of "${target.indicator}" is in ${input.unit}, the target is in ${target.unit}`,
      [{ field: 'unit', value_unit: input.unit, target_unit: target.unit }],
    );
  if (u.kind === 'converted') {
    value = Number((input.value * u.factor).toPrecision(12));
    warnings.push({
      code: 'VALUE_UNIT_CONVERTED',
      message: `数值以“${input.unit}”填写，已换算为目标单位“${target.unit}”：${input.value} → ${value}`,
      message_en: `The value was given in ${input.unit} and converted to the target's ${target.unit}: ${input.value} → ${value}`,
    });
  } else if (u.kind === 'counter') {
    warnings.push({
      code: 'VALUE_UNIT_DIFFERS',
      message: `数值单位“${input.unit}”与目标单位“${target.unit}”不同，按同一计数单位处理`,
      message_en: `The value is in ${input.unit}, the target in ${target.unit}; both are counts and were taken as the same`,
    });
  }
  if (when.date > today)
    warnings.push({ code: 'VALUE_DATE_FUTURE', message: `数值日期 ${when.date} 晚于今天（${today}）`, message_en: `The value is dated ${when.date}, after today (${today})` });
  if (target.baseline_year !== null && when.date <= `${target.baseline_year}-12-31`)
    warnings.push({
      code: 'VALUE_NOT_AFTER_BASELINE',
      message: `数值日期 ${when.date} 不晚于基线年份 ${target.baseline_year}，不计入进展`,
      message_en: `The value (${when.date}) is not after the baseline year ${target.baseline_year} and does not count towards progress`,
    });
  const row = await ctx.db.transaction(async (tx) => {
    const v = await insertValue(tx, {
      target_id: target.id,
      date: when.date,
      precision: when.precision,
      value,
      note: input.note ?? null,
      evidence: input.evidence ?? null,
      entered_by: ctx.actor.name,
    });
    await recordAudit(tx, { actor: ctx.actor, action: 'create', entity: 'plan_target_value', entityId: v.id, before: null, after: { plan: plan.id, indicator: target.indicator, ...v }, requestId: ctx.requestId });
    return v;
  });
  return {
    id: row.id,
    target_id: target.id,
    indicator: target.indicator,
    date: row.date,
    precision: row.precision,
    value: row.value,
    unit: target.unit,
    note: row.note,
    evidence: row.evidence,
    warnings,
  };
}

/** Links a target to a registry measure (live count), or back to reported values (null). */
export async function setTargetMeasure(
  ctx: ServiceContext,
  ref: string | number,
  targetRef: { indicator?: string; target_id?: number },
  measureKey: string | null,
): Promise<TargetDto> {
  const plan = await planFor(ctx, ref, 'update');
  const target = await findTarget(ctx, plan, targetRef);
  if (measureKey !== null && !measureOf(measureKey)) throw unknownMeasure(measureKey);
  const source = measureKey === null ? 'reported' : 'registry';
  await ctx.db.transaction(async (tx) => {
    await setTargetSource(tx, target.id, source, measureKey);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'update',
      entity: 'plan_target',
      entityId: target.id,
      before: { plan: plan.id, indicator: target.indicator, value_source: target.value_source, measure_key: target.measure_key },
      after: { plan: plan.id, indicator: target.indicator, value_source: source, measure_key: measureKey },
      requestId: ctx.requestId,
    });
  });
  return targetDto((await targetById(ctx.db, plan.id, target.id))!);
}

// ---------------------------------------------------------------------------------------------
// Tasks and reports

async function findTask(ctx: ServiceContext, plan: PlanRow, number: string): Promise<TaskRow> {
  const n = String(number).normalize('NFKC').trim();
  const t = await taskByNumber(ctx.db, plan.id, n);
  if (!t)
    throw new AppError('PLAN_TASK_NOT_FOUND', 404, `计划“${plan.name}”中没有任务 ${n}`, `Plan "${plan.name}" has no task ${n}`, [{ field: 'task', value: n }]);
  return t;
}

/** Assigns units, dates, title or policy text of a task. */
export async function updateTask(ctx: ServiceContext, ref: string | number, number: string, patch: TaskPatch): Promise<TaskDto> {
  const plan = await planFor(ctx, ref, 'update');
  const task = await findTask(ctx, plan, number);
  const start = patch.start_date === undefined ? task.start_date : patch.start_date;
  const due = patch.due_date === undefined ? task.due_date : patch.due_date;
  if (start && due && due < start)
    throw new AppError('PLAN_TASK_PERIOD_INVALID', 400, `任务 ${task.number} 的完成时限 ${due} 早于开始日期 ${start}`, `Task ${task.number} is due (${due}) before it starts (${start})`, [{ field: 'due_date' }]);
  const clean = (units?: string[]) => (units ? [...new Set(units.map((u) => u.normalize('NFKC').trim()).filter(Boolean))] : undefined);
  await ctx.db.transaction(async (tx) => {
    await updateTaskRow(tx, task.id, { ...patch, responsible_units: clean(patch.responsible_units), supporting_units: clean(patch.supporting_units) });
    const after = await taskByNumber(tx, plan.id, task.number);
    await recordAudit(tx, { actor: ctx.actor, action: 'update', entity: 'plan_task', entityId: task.id, before: { plan: plan.id, ...taskDto(task) }, after: after && { plan: plan.id, ...taskDto(after) }, requestId: ctx.requestId });
  });
  return taskDto(await findTask(ctx, plan, task.number));
}

/**
 * A responsible unit's progress report on a task. Refused with PLAN_UNIT_NOT_RESPONSIBLE (403)
 * when the unit is not one of the task's responsible units (supporting units report through
 * the responsible one), and with PLAN_REPORT_DATE_FUTURE for a report dated after today.
 */
export async function submitReport(ctx: ServiceContext, ref: string | number, taskNumber: string, input: ReportInput, today = todayIso()): Promise<ReportDto> {
  const plan = await resolvePlan(ctx, ref);
  const task = await findTask(ctx, plan, taskNumber);
  const unit = input.unit.normalize('NFKC').trim();
  // An organisation reports as itself only: the report is its own when the unit is its name.
  if (!can(ctx.actor, 'create', reportResource(ctx, plan, unit, null, await ownUnitKeys(ctx), new Set()))) throw forbidden();
  if (!task.responsible_units.some((u) => unitKey(u) === unitKey(unit))) {
    const list = task.responsible_units.join('；') || '（尚未指定）';
    throw new AppError(
      'PLAN_UNIT_NOT_RESPONSIBLE',
      403,
      `“${unit}”不是任务 ${task.number}“${task.title}”的责任单位（责任单位：${list}），不能报送进展`,
      `"${unit}" is not a responsible unit of task ${task.number} "${task.title}" (responsible: ${task.responsible_units.join(', ') || 'none assigned yet'}), so it cannot report on it`,
      [{ field: 'unit', value: unit, task: task.number, responsible: task.responsible_units }],
    );
  }
  const reportedOn = input.reported_on ?? today;
  if (reportedOn > today)
    throw new AppError('PLAN_REPORT_DATE_FUTURE', 400, `报告日期 ${reportedOn} 晚于今天（${today}）`, `The report is dated ${reportedOn}, after today (${today})`, [{ field: 'reported_on' }]);
  const percent = input.status === 'completed' ? (input.percent ?? 100) : input.status === 'not_started' ? (input.percent ?? 0) : (input.percent ?? null);
  const id = await ctx.db.transaction(async (tx) => {
    const newId = await insertReport(tx, {
      task_id: task.id,
      unit: task.responsible_units.find((u) => unitKey(u) === unitKey(unit)) ?? unit,
      status: input.status,
      percent,
      narrative: input.narrative ?? null,
      evidence: input.evidence ?? null,
      reported_on: reportedOn,
      submitted_by: ctx.actor.name,
    });
    const created = await reportById(tx, plan.id, newId);
    await recordAudit(tx, { actor: ctx.actor, action: 'create', entity: 'plan_report', entityId: newId, before: null, after: created && { plan: plan.id, ...reportDto(created) }, requestId: ctx.requestId });
    return newId;
  });
  await notifyReportSubmitted(ctx, plan.id, id);
  return reportDto((await reportById(ctx.db, plan.id, id))!);
}

/**
 * The plan owner's review: accept (the report then counts for the task's status) or return it
 * with a comment. A report is reviewed once (PLAN_REPORT_ALREADY_REVIEWED, 409).
 */
export async function reviewReport(ctx: ServiceContext, ref: string | number, reportId: number, input: ReviewInput): Promise<ReportDto> {
  const plan = await resolvePlan(ctx, ref);
  const report = await reportById(ctx.db, plan.id, reportId);
  const missing = () =>
    new AppError('PLAN_REPORT_NOT_FOUND', 404, `计划“${plan.name}”中没有进展报告 ${reportId}`, `Plan "${plan.name}" has no progress report ${reportId}`, [{ field: 'report', value: reportId }]);
  if (!report) throw missing();
  const assigned = ctx.actor.role === 'reviewer' && ctx.actor.userId !== undefined ? await assignedIds(ctx.db, ctx.actor.userId, 'plan_reports', [report.id]) : new Set<number>();
  const resource = reportResource(ctx, plan, report.unit, report.id, await ownUnitKeys(ctx), assigned);
  if (!can(ctx.actor, 'read', resource)) throw missing();
  // The review is a record of its own: officers write it in their scope, reviewers on reports assigned to them.
  if (!can(ctx.actor, 'create', { ...resource, kind: 'reviews', org_ids: [] })) throw forbidden();
  const already = () =>
    new AppError(
      'PLAN_REPORT_ALREADY_REVIEWED',
      409,
      `进展报告 ${reportId} 已审核（${report.review_status === 'accepted' ? '已通过' : '已退回'}）`,
      `Progress report ${reportId} has been reviewed already (${report.review_status})`,
      [{ field: 'report', value: reportId, review_status: report.review_status }],
    );
  if (report.review_status !== 'submitted') throw already();
  const ok = await ctx.db.transaction(async (tx) => {
    const done = await setReview(tx, report.id, {
      status: input.decision === 'accept' ? 'accepted' : 'returned',
      reviewer: ctx.actor.name,
      comment: input.comment?.trim() || null,
    });
    if (!done) return false;
    const after = await reportById(tx, plan.id, report.id);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'plan.review',
      entity: 'plan_report',
      entityId: report.id,
      before: { plan: plan.id, ...reportDto(report) },
      after: after && { plan: plan.id, ...reportDto(after) },
      requestId: ctx.requestId,
    });
    return true;
  });
  if (!ok) throw already();
  await notifyReportReviewed(ctx, plan.id, report.id);
  return reportDto((await reportById(ctx.db, plan.id, report.id))!);
}

/** A plan's progress reports, newest first; optionally only those awaiting review, or of one task. */
export async function listReports(ctx: ServiceContext, ref: string | number, f: { review_status?: ReviewStatus; task?: string } = {}): Promise<ReportDto[]> {
  const plan = await resolvePlan(ctx, ref);
  const task = f.task !== undefined ? await findTask(ctx, plan, f.task) : undefined;
  const rows = await reportsOf(ctx.db, plan.id, { reviewStatus: f.review_status, taskId: task?.id });
  const keys = await ownUnitKeys(ctx);
  const assigned =
    ctx.actor.role === 'reviewer' && ctx.actor.userId !== undefined ? await assignedIds(ctx.db, ctx.actor.userId, 'plan_reports', rows.map((r) => Number(r.id))) : new Set<number>();
  const out: ReportDto[] = [];
  for (const r of rows) if (can(ctx.actor, 'read', reportResource(ctx, plan, r.unit, Number(r.id), keys, assigned))) out.push(reportDto(r));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Status board and supervision

function specOf(t: TargetRow): TargetSpec {
  return {
    indicator: t.indicator,
    unit: t.unit ?? undefined,
    direction: t.direction,
    baseline: t.baseline_value !== null && t.baseline_year !== null ? { at: t.baseline_year, value: t.baseline_value } : null,
    target: t.target_value !== null && t.target_year !== null ? { at: t.target_year, value: t.target_value } : null,
  };
}

/** The latest observation up to the as-of date; among equal dates the one entered last. */
function latestUpTo(obs: Array<Observation & { at: string }>, asOf: string): (Observation & { at: string }) | null {
  let best: (Observation & { at: string }) | null = null;
  for (const o of obs) if (o.at <= asOf && (!best || o.at >= best.at)) best = o;
  return best;
}

async function observationsOf(ctx: ServiceContext, plan: PlanRow, targets: TargetRow[], asOf: string): Promise<Map<number, Array<Observation & { at: string }>>> {
  const out = new Map<number, Array<Observation & { at: string }>>(targets.map((t) => [t.id, []]));
  for (const v of await valuesOfPlan(ctx.db, plan.id)) out.get(v.target_id)?.push({ at: v.date, value: v.value });
  for (const t of targets) {
    if (t.value_source !== 'registry' || !t.measure_key) continue;
    // A registry target has one value: the count as of the date asked about, recomputed now.
    out.set(t.id, [{ at: asOf, value: await countMeasure(ctx.db, t.measure_key, asOf, plan.region_path) }]);
  }
  return out;
}

function judgeTarget(t: TargetRow, obs: Array<Observation & { at: string }>, asOf: string, config: PlanConfig): BoardTarget {
  const spec = specOf(t);
  const s = computeTargetStatus(spec, obs, { config: config.progress, as_of: asOf });
  const f = forecastTarget(spec, obs, { as_of: asOf, method: config.forecast_method, convention: config.progress?.convention });
  const latest = latestUpTo(obs, asOf);
  const series = [
    ...(t.baseline_value !== null && t.baseline_year !== null ? [{ date: `${t.baseline_year}-12-31`, value: t.baseline_value }] : []),
    ...obs.filter((o) => o.at <= asOf && (t.baseline_year === null || o.at > `${t.baseline_year}-12-31`)).map((o) => ({ date: toIsoDate(o.at), value: o.value })),
  ];
  return {
    id: t.id,
    indicator: t.indicator,
    target: t.target_value,
    unit: t.unit ?? '',
    latest: latest?.value ?? null,
    latest_date: latest ? toIsoDate(latest.at) : null,
    status: s.status,
    ratio: s.ratio,
    forecast: f?.value ?? null,
    area: t.area,
    action_number: t.action_number,
    direction: t.direction,
    baseline: t.baseline_value,
    baseline_year: t.baseline_year,
    target_year: t.target_year,
    value_source: t.value_source,
    measure_key: t.measure_key,
    method: s.method,
    observed_rate: s.observed_rate,
    required_rate: s.required_rate,
    deadline_passed: s.deadline_passed,
    reason: s.reason,
    notes: s.notes,
    explanation_zh: s.explanation_zh,
    explanation_en: s.explanation_en,
    forecast_method: f?.method ?? null,
    forecast_meets_target: f?.meets_target ?? null,
    forecast_explanation_zh: f?.explanation_zh ?? null,
    forecast_explanation_en: f?.explanation_en ?? null,
    series,
  };
}

async function judgeTasks(ctx: ServiceContext, plan: PlanRow, tasks: TaskRow[], asOf: string, config: PlanConfig) {
  // The latest accepted report on or before the as-of date is what counts for a task.
  const accepted = new Map<number, ReportRow>();
  for (const r of await reportsOf(ctx.db, plan.id, { reviewStatus: 'accepted' })) {
    if (r.reported_on > asOf) continue;
    const had = accepted.get(r.task_id);
    if (!had || r.reported_on > had.reported_on || (r.reported_on === had.reported_on && r.id > had.id)) accepted.set(r.task_id, r);
  }
  // Milestones (migration 008) are judged with their task: one overdue is a supervision trigger.
  const milestones = new Map<number, Milestone[]>();
  for (const m of await milestonesOfPlan(ctx.db, plan.id)) milestones.set(m.task_id, [...(milestones.get(m.task_id) ?? []), { title: m.title, due: m.due_date, done_on: m.done_on }]);
  const inputs: TaskInput[] = tasks.map((t) => {
    const r = accepted.get(t.id);
    return {
      id: t.number,
      title: t.title,
      action: t.action_title,
      responsible: t.responsible_units,
      start: t.start_date,
      due: t.due_date,
      latest_report: r ? { status: r.status, percent: r.percent, reported_on: r.reported_on } : null,
      milestones: milestones.get(t.id),
    };
  });
  const evals = evaluateTasks(inputs, asOf, { ...config.supervision, default_start: plan.period_start, default_due: plan.period_end });
  const byNumber = new Map(tasks.map((t) => [t.number, t]));
  const board = evals.map((e): BoardTask => {
    const t = byNumber.get(e.id)!;
    return taskBoard(e, t, accepted.get(t.id)?.id ?? null);
  });
  return { evals, board };
}

function taskBoard(e: TaskEvaluation, t: TaskRow, reportId: number | null): BoardTask {
  return {
    id: e.id,
    title: e.title,
    responsible: e.responsible,
    due: e.due,
    status: e.status,
    overdue: e.overdue,
    action_number: t.action_number,
    action: t.action_title,
    supporting: t.supporting_units,
    start: e.start,
    percent: e.percent,
    days_overdue: e.days_overdue,
    off_track: e.off_track,
    expected_percent: e.expected_percent,
    escalation: e.escalation,
    triggers: e.triggers,
    report_id: reportId,
    explanation_zh: e.explanation_zh,
    explanation_en: e.explanation_en,
  };
}

function checkAsOf(asOf: string): string {
  try {
    toIsoDate(asOf);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error('not a day');
  } catch {
    throw new AppError('PLAN_TIME_INVALID', 400, `评估日期应为 YYYY-MM-DD：${asOf}`, `The as-of date must be YYYY-MM-DD: ${asOf}`, [{ field: 'as_of', value: asOf }]);
  }
  return asOf;
}

/**
 * The status board as of a date (default today): every target's status, ratio and forecast,
 * every task's status and supervision flags, and the roll-ups. Registry-linked targets are
 * counted now, so the board moves as soon as the registries change.
 */
export async function planBoard(ctx: ServiceContext, ref: string | number, asOf: string = todayIso()): Promise<PlanBoard> {
  checkAsOf(asOf);
  const plan = await resolvePlan(ctx, ref);
  const config = configOf(plan);
  const [targets, tasks] = await Promise.all([targetsOf(ctx.db, plan.id), tasksOf(ctx.db, plan.id)]);
  const obs = await observationsOf(ctx, plan, targets, asOf);
  const boardTargets = targets.map((t) => judgeTarget(t, obs.get(t.id) ?? [], asOf, config));
  const { evals, board } = await judgeTasks(ctx, plan, tasks, asOf, config);
  const tr = rollUpTargets(boardTargets, (t) => t.area ?? '');
  const kr = rollUpTasks(evals);
  return {
    plan: plan.name,
    plan_id: plan.id,
    as_of: asOf,
    targets: boardTargets,
    tasks: board,
    summary: {
      targets: tr.plan,
      targets_by_area: tr.groups.filter((g) => g.group !== ''),
      tasks: kr.plan,
      tasks_by_action: kr.by_action,
      tasks_by_unit: kr.by_unit,
    },
  };
}

/** The `plan status --json` contract: exactly its keys, taken from the board. */
export function statusContract(board: PlanBoard): StatusContract {
  return {
    plan: board.plan,
    as_of: board.as_of,
    targets: board.targets.map((t) => ({
      indicator: t.indicator,
      target: t.target,
      unit: t.unit,
      latest: t.latest,
      latest_date: t.latest_date,
      status: t.status,
      ratio: t.ratio,
      forecast: t.forecast,
    })),
    tasks: board.tasks.map((t) => ({ id: t.id, title: t.title, responsible: t.responsible, due: t.due, status: t.status, overdue: t.overdue })),
  };
}

/**
 * Supervision (督办) as of a date: flagged and escalated tasks per responsible unit (escalated
 * first, oldest issue first), and the targets in deterioration or limited progress or missed.
 */
export async function planSupervision(ctx: ServiceContext, ref: string | number, asOf: string = todayIso()): Promise<Supervision> {
  checkAsOf(asOf);
  const plan = await resolvePlan(ctx, ref);
  const config = configOf(plan);
  const [targets, tasks] = await Promise.all([targetsOf(ctx.db, plan.id), tasksOf(ctx.db, plan.id)]);
  const obs = await observationsOf(ctx, plan, targets, asOf);
  const boardTargets = targets.map((t) => judgeTarget(t, obs.get(t.id) ?? [], asOf, config));
  const { evals, board } = await judgeTasks(ctx, plan, tasks, asOf, config);
  const byId = new Map(board.map((b) => [b.id, b]));
  return {
    plan: plan.name,
    plan_id: plan.id,
    as_of: asOf,
    units: supervisionList(evals).map((e) => ({ unit: e.unit, tasks: e.tasks.map((t) => byId.get(t.id)!) })),
    targets: boardTargets.filter((t) => t.status === 'deterioration' || t.status === 'limited' || (t.deadline_passed && t.status !== 'achieved')),
  };
}
