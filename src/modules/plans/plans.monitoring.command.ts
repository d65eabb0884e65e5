/**
 * `innolink plan …` monitoring commands, added to the `plan` command group (registered after it):
 *
 *   innolink plan supervise PLAN [--as-of DATE] --json     督办: flag, escalate, resolve and notify
 *   innolink plan supervise --all [--as-of DATE] --json    every plan (what the server's timer runs)
 *   innolink plan cases PLAN [--resolved | --all] --json   supervision cases per responsible unit
 *   innolink plan rollup PLAN [--as-of DATE] --json        plan → action → task, region → district
 *   innolink plan milestone PLAN TASK --title T --due DATE [--done DATE] [--note TEXT] --json
 *   innolink plan milestones PLAN [--task N] [--overdue] [--as-of DATE] --json
 *   innolink plan milestone-done PLAN ID [--on DATE | --reopen] --json
 *   innolink plan district PLAN TASK (--region NAME | --clear) --json
 *   innolink plan units PLAN --json
 *   innolink plan unit-member PLAN --unit UNIT --user NAME [--remove] --json
 *   innolink plan config PLAN [--method M] [--forecast F] [--thresholds a,b,c] [--growth-thresholds a,b,c]
 *                             [--margin P] [--flag-after D] [--escalate-after D] --json
 */
import type { Command } from 'commander';
import { action, UsageError, type CliRuntime, type CommandModule } from '../../cli/cli.ts';
import { ESCALATION_LABELS, STATUS_LABELS, type EscalationLevel } from './engine/index.ts';
import {
  addMilestone,
  addUnitMember,
  listMilestones,
  listUnits,
  mergeConfig,
  planMethod,
  removeUnitMember,
  setDistrict,
  storedConfig,
  updateMilestone,
} from './plans.monitoring.service.ts';
import { planRollup } from './plans.rollup.ts';
import { isoDate, planConfigSchema, type PlanConfig } from './plans.schema.ts';
import { resolvePlan, updatePlan } from './plans.service.ts';
import { listCases, runSupervision, supervisePlan } from './plans.supervise.ts';
import { todayIso } from './plans.values.ts';

type Opts = Record<string, string | boolean | undefined>;
const JSON_OPT = ['--json', '输出 JSON / print JSON'] as const;
const AS_OF = ['--as-of <date>', '评估日期 YYYY-MM-DD（默认今天） / as-of date (default today)'] as const;

function dateOpt(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const v = String(value);
  if (!isoDate.safeParse(v).success) throw new UsageError(`${flag} 应为 YYYY-MM-DD：${v}`, `${flag} must be YYYY-MM-DD: ${v}`);
  return v;
}

function numberOpt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} 应为数字：${String(value)}`, `${flag} must be a number: ${String(value)}`);
  return n;
}

function thresholdsOpt(value: unknown, flag: string) {
  if (value === undefined) return undefined;
  const parts = String(value).split(/[,，]/).map((s) => numberOpt(s, flag) as number);
  if (parts.length !== 3) throw new UsageError(`${flag} 应为三个数：按期,需加快,有限（如 0.95,0.6,0）`, `${flag} takes three numbers: on_track,acceleration_needed,limited (e.g. 0.95,0.6,0)`);
  return { on_track: parts[0], acceleration_needed: parts[1], limited: parts[2] };
}

const level = (n: number) => ESCALATION_LABELS[n as EscalationLevel] ?? { zh: String(n), en: String(n) };

export const planMonitoringCommands: CommandModule = (program, rt) => {
  const plan = program.commands.find((c) => c.name() === 'plan');
  if (!plan) throw new Error('plan monitoring commands need the plan command group: register them after it');
  superviseCommands(plan, rt);
  rollupCommand(plan, rt);
  milestoneCommands(plan, rt);
  unitCommands(plan, rt);
  configCommand(plan, rt);
};

function superviseCommands(plan: Command, rt: CliRuntime) {
  plan
    .command('supervise')
    .description('执行督办：标记、升级、解除并通知（服务器按时自动执行） / run supervision: flag, escalate, resolve and notify')
    .argument('[plan]', '计划编号或名称 / plan id or name')
    .option('--all', '全部计划 / every plan')
    .option(...AS_OF)
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string | undefined, opts: Opts) => {
        if (Boolean(ref) === Boolean(opts.all)) throw new UsageError('请指定一个计划或 --all', 'Give one plan or --all');
        const asOf = dateOpt(opts.asOf, '--as-of') ?? todayIso();
        if (opts.all) {
          const run = await rt.withStore((ctx) => runSupervision(ctx.db, asOf, { actor: ctx.actor, config: ctx.config }));
          if (opts.json) return rt.printJson(run);
          for (const p of run.plans) rt.print(`${p.plan}: 新增 / opened ${p.opened}，升级 / escalated ${p.escalated}，解除 / resolved ${p.resolved}，在办 / open ${p.open}，通知 / notified ${p.notifications}`);
          for (const s of run.skipped) rt.print(`  跳过 / skipped ${s.plan_id} [${s.code}] ${s.message} / ${s.message_en}`);
          return;
        }
        const res = await rt.withStore((ctx) => supervisePlan(ctx, ref!, asOf));
        if (opts.json) return rt.printJson(res);
        rt.print(`${res.plan} — 督办 / supervision ${res.as_of}: 新增 / opened ${res.opened}，升级 / escalated ${res.escalated}，解除 / resolved ${res.resolved}，在办 / open ${res.open}，通知 / notified ${res.notifications}`);
        for (const c of res.cases)
          rt.print(`  [${c.change}] ${c.kind === 'task' ? `任务 / task ${c.ref}` : `目标 / target ${c.ref}`} ${c.title !== c.ref ? c.title : ''} ${level(c.level).zh} / ${level(c.level).en} 自 / since ${c.since}  ${c.units.join('；')}`);
      }),
    );

  plan
    .command('cases')
    .description('督办事项记录（按责任单位） / supervision cases, per responsible unit')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option('--resolved', '只列已解除 / resolved only')
    .option('--all', '全部 / open and resolved')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const state = opts.all ? 'all' : opts.resolved ? 'resolved' : 'open';
        const res = await rt.withStore((ctx) => listCases(ctx, ref, state));
        if (opts.json) return rt.printJson(res);
        rt.print(`最近督办日期 / last run: ${res.last_run ?? '-'}`);
        for (const u of res.units) rt.print(`${u.unit ?? '（未指定责任单位 / unassigned）'}: 在办 / open ${u.open}，升级 / escalated ${u.escalated}`);
        for (const c of res.items)
          rt.print(`  ${c.id}\t${c.kind}\t${c.ref}\t${level(c.level).zh}\t${c.since}${c.resolved_on ? ` → ${c.resolved_on}` : ''}\t${c.triggers.join(',')}`);
      }),
    );
}

function rollupCommand(plan: Command, rt: CliRuntime) {
  plan
    .command('rollup')
    .description('汇总：计划→行动→任务，地区→区 / roll-up: plan → action → task, region → district')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option(...AS_OF)
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const asOf = dateOpt(opts.asOf, '--as-of');
        const r = await rt.withStore((ctx) => planRollup(ctx, ref, asOf));
        if (opts.json) return rt.printJson(r);
        const worst = (s: keyof typeof STATUS_LABELS | null) => (s ? `${STATUS_LABELS[s].zh} / ${STATUS_LABELS[s].en}` : '-');
        rt.print(`${r.plan} — 截至 / as of ${r.as_of}: 目标 / targets ${r.targets.total}，最差 / worst ${worst(r.worst_status)}；任务 / tasks ${r.tasks.total}，逾期 / overdue ${r.tasks.overdue}，督办 / flagged ${r.tasks.flagged}`);
        for (const a of r.actions)
          rt.print(`  行动 ${a.number} ${a.title}: 目标 ${a.targets.total}（最差 ${worst(a.worst_status)}），任务 ${a.tasks.total}，完成 ${a.tasks.completed}，逾期 ${a.tasks.overdue}，督办级别 / level ${a.escalation}`);
        if (r.regions) {
          rt.print(`${r.regions.region.name}: 市级任务 / region-wide tasks ${r.regions.region_wide.tasks.total}`);
          for (const d of r.regions.districts.filter((x) => x.tasks.total || x.measures.some((m) => m.value)))
            rt.print(`  ${d.region.name}: 任务 / tasks ${d.tasks.total}，逾期 / overdue ${d.tasks.overdue}${d.measures.map((m) => `，${m.indicator} ${m.value}`).join('')}`);
        }
      }),
    );
}

function milestoneCommands(plan: Command, rt: CliRuntime) {
  plan
    .command('milestone')
    .description('为任务添加节点及期限 / add a milestone with its deadline to a task')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .argument('<task>', '任务编号 / task number')
    .requiredOption('--title <title>', '节点名称 / milestone')
    .requiredOption('--due <date>', '节点时限 / deadline')
    .option('--done <date>', '完成日期 / done on')
    .option('--note <text>', '说明 / note')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, task: string, opts: Opts) => {
        const due = dateOpt(opts.due, '--due')!;
        const done = dateOpt(opts.done, '--done');
        const res = await rt.withStore((ctx) => addMilestone(ctx, ref, task, { title: String(opts.title), due_date: due, done_on: done ?? null, note: opts.note as string | undefined }));
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ 节点 / milestone ${res.id}: 任务 / task ${res.task}「${res.title}」期限 / due ${res.due_date}（${res.state}）`);
        for (const w of res.warnings) rt.print(`  [警告 ${w.code}] ${w.message} / ${w.message_en}`);
      }),
    );

  plan
    .command('milestones')
    .description('任务节点与期限 / milestones and deadlines')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option('--task <n>', '任务编号 / task number')
    .option('--overdue', '只列逾期 / overdue only')
    .option(...AS_OF)
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const asOf = dateOpt(opts.asOf, '--as-of');
        const res = await rt.withStore((ctx) => listMilestones(ctx, ref, { task: opts.task as string | undefined, overdue: Boolean(opts.overdue), asOf }));
        if (opts.json) return rt.printJson(res);
        for (const m of res.items) rt.print(`${m.id}\t任务/task ${m.task}\t${m.title}\t${m.due_date}\t${m.done_on ?? '-'}\t${m.state}${m.days_overdue ? ` ${m.days_overdue}天/days` : ''}`);
      }),
    );

  plan
    .command('milestone-done')
    .description('标记节点完成（或重新打开） / mark a milestone done, or reopen it')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .argument('<id>', '节点编号 / milestone id')
    .option('--on <date>', '完成日期（默认今天） / done on (default today)')
    .option('--reopen', '重新打开 / reopen')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, id: string, opts: Opts) => {
        if (!/^\d+$/.test(id)) throw new UsageError(`节点编号应为数字：${id}`, `The milestone id must be a number: ${id}`);
        if (opts.reopen && opts.on) throw new UsageError('--on 与 --reopen 只能指定其一', 'Give either --on or --reopen');
        const doneOn = opts.reopen ? null : (dateOpt(opts.on, '--on') ?? todayIso());
        const res = await rt.withStore((ctx) => updateMilestone(ctx, ref, Number(id), { done_on: doneOn }));
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ 节点 / milestone ${res.id}「${res.title}」: ${res.state}${res.done_on ? ` ${res.done_on}` : ''}`);
      }),
    );

  plan
    .command('district')
    .description('设置任务所在区 / set the district a task is carried out in')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .argument('<task>', '任务编号 / task number')
    .option('--region <name>', '区的名称或代码 / district name or code')
    .option('--clear', '清除（按责任单位名称判断） / clear (read from the responsible units)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, task: string, opts: Opts) => {
        if (Boolean(opts.region) === Boolean(opts.clear)) throw new UsageError('请指定 --region 或 --clear 之一', 'Give exactly one of --region and --clear');
        const res = await rt.withStore((ctx) => setDistrict(ctx, ref, task, opts.clear ? null : String(opts.region)));
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ 任务 / task ${res.task}: ${res.district?.name ?? '（按责任单位 / from its units）'}`);
        for (const w of res.warnings) rt.print(`  [警告 ${w.code}] ${w.message} / ${w.message_en}`);
      }),
    );
}

function unitCommands(plan: Command, rt: CliRuntime) {
  plan
    .command('units')
    .description('计划的单位及其用户（接收通知） / the plan’s units and the users acting for them')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const res = await rt.withStore((ctx) => listUnits(ctx, ref));
        if (opts.json) return rt.printJson(res);
        for (const u of res.units) rt.print(`${u.unit}\t${u.roles.join(',')}\t任务/tasks ${u.tasks.join(',') || '-'}\t${u.members.map((m) => m.username).join(',') || '-'}`);
      }),
    );

  plan
    .command('unit-member')
    .description('指定（或取消）用户代表计划中的单位 / let a user act for a unit of the plan, or stop it')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .requiredOption('--unit <unit>', '单位 / unit')
    .requiredOption('--user <name>', '用户名 / user name')
    .option('--remove', '取消 / remove')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const input = { unit: String(opts.unit), username: String(opts.user) };
        const res = await rt.withStore((ctx) => (opts.remove ? removeUnitMember(ctx, ref, input) : addUnitMember(ctx, ref, input)));
        if (opts.json) return rt.printJson(res);
        const u = res.units.find((x) => x.unit === input.unit);
        rt.print(`✔ ${input.unit}: ${u?.members.map((m) => m.username).join(', ') || '-'}`);
      }),
    );
}

function configCommand(plan: Command, rt: CliRuntime) {
  plan
    .command('config')
    .description('查看或修改计划的进度、预测与督办方法 / show or change a plan’s progress, forecast and supervision methods')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option('--method <m>', '进度方法 cagr_ratio | linear_ratio / progress method')
    .option('--forecast <f>', '预测方法 cagr | linear / forecast method')
    .option('--thresholds <a,b,c>', '比值阈值：按期,需加快,有限 / ratio thresholds')
    .option('--growth-thresholds <a,b,c>', '增速阈值（无量化目标时） / growth thresholds')
    .option('--margin <points>', '进度落后容差（百分点） / off-track margin in points')
    .option('--flag-after <days>', '标记督办天数 / days before flagging')
    .option('--escalate-after <days>', '升级督办天数 / days before escalating')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const change: PlanConfig = {};
        const progress = {
          ...(opts.method !== undefined ? { method: opts.method } : {}),
          ...(opts.thresholds !== undefined ? { ratio_thresholds: thresholdsOpt(opts.thresholds, '--thresholds') } : {}),
          ...(opts.growthThresholds !== undefined ? { growth_thresholds: thresholdsOpt(opts.growthThresholds, '--growth-thresholds') } : {}),
        };
        const supervision = {
          ...(opts.margin !== undefined ? { off_track_margin: numberOpt(opts.margin, '--margin') } : {}),
          ...(opts.flagAfter !== undefined ? { flag_after_days: numberOpt(opts.flagAfter, '--flag-after') } : {}),
          ...(opts.escalateAfter !== undefined ? { escalate_after_days: numberOpt(opts.escalateAfter, '--escalate-after') } : {}),
        };
        const raw = {
          ...(Object.keys(progress).length ? { progress } : {}),
          ...(opts.forecast !== undefined ? { forecast_method: opts.forecast } : {}),
          ...(Object.keys(supervision).length ? { supervision } : {}),
        };
        const parsed = planConfigSchema.safeParse(raw);
        if (!parsed.success)
          throw new UsageError(`方法设置无效：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`, `Invalid method settings: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
        Object.assign(change, parsed.data);
        const res = await rt.withStore(async (ctx) => {
          if (Object.keys(change).length) {
            const p = await resolvePlan(ctx, ref);
            await updatePlan(ctx, p.id, { config: mergeConfig(storedConfig(p), change) });
          }
          return planMethod(ctx, ref);
        });
        if (opts.json) return rt.printJson(res);
        const t = res.progress.ratio_thresholds;
        const g = res.progress.growth_thresholds;
        rt.print(`进度方法 / progress: ${res.progress.method}（${res.progress.method_zh} / ${res.progress.method_en}）`);
        rt.print(`  比值阈值 / ratio thresholds: ${t.on_track} / ${t.acceleration_needed} / ${t.limited}；增速阈值 / growth: ${g.on_track} / ${g.acceleration_needed} / ${g.limited}`);
        rt.print(`预测方法 / forecast: ${res.forecast.method}（${res.forecast.method_zh} / ${res.forecast.method_en}）`);
        rt.print(`督办 / supervision: 容差 / margin ${res.supervision.off_track_margin}，标记 / flag after ${res.supervision.flag_after_days} 天/days，升级 / escalate after ${res.supervision.escalate_after_days} 天/days`);
      }),
    );
}
