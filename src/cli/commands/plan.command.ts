/**
 * `innolink plan …`: import an action plan, read its status board and supervision list, enter
 * reported values, submit and review progress reports. Same services as the HTTP API.
 */
import fs from 'node:fs';
import path from 'node:path';
import { STATUS_LABELS, TASK_STATUS_LABELS } from '../../modules/plans/engine/index.ts';
import { importPlan, type PlanImportResult } from '../../modules/plans/plans.import.ts';
import { MEASURES } from '../../modules/plans/plans.measures.ts';
import { isoDate, reportingDate, TASK_STATUSES } from '../../modules/plans/plans.schema.ts';
import {
  deletePlan,
  enterValue,
  listPlanSummaries,
  listReports,
  planBoard,
  planSupervision,
  planTree,
  reviewReport,
  setTargetMeasure,
  statusContract,
  submitReport,
  updateTask,
} from '../../modules/plans/plans.service.ts';
import { action, EXIT_FAILED, EXIT_OK, UsageError, type CommandModule } from '../cli.ts';

type Opts = Record<string, string | boolean | undefined>;

const JSON_OPT = ['--json', '输出 JSON / print JSON'] as const;

function dateOpt(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isoDate.safeParse(value).success) throw new UsageError(`${flag} 应为 YYYY-MM-DD：${value}`, `${flag} must be YYYY-MM-DD: ${value}`);
  return value;
}

function numberOpt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} 应为数字：${value}`, `${flag} must be a number: ${value}`);
  return n;
}

const unitsOpt = (v: string | undefined) => (v === undefined ? undefined : v.split(/[,，;；]/).map((s) => s.trim()).filter(Boolean));

function printImport(print: (s: string) => void, r: PlanImportResult) {
  print(r.ok ? `✔ 已导入计划 ${r.plan} / plan ${r.plan} imported` : '✘ 未导入 / nothing imported');
  print(`目标 / targets: ${r.targets}   任务 / tasks: ${r.tasks}   数值 / values: ${r.values}`);
  for (const i of r.issues) {
    const where = `${i.file}${i.row ? ` 第 ${i.row} 行 / row ${i.row}` : ''}${i.column ? `「${i.column}」` : ''}`;
    print(`  [${i.severity === 'error' ? '错误' : '警告'} ${i.code}] ${where}`);
    print(`      ${i.message}`);
    print(`      ${i.message_en}`);
  }
}

const fmt = (x: number | null, digits = 2) => (x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(digits));

export const planCommand: CommandModule = (program, rt) => {
  const plan = program.command('plan').description('行动计划监测 / action-plan monitoring');

  plan
    .command('import')
    .description('导入行动计划（目标表、任务表、数值表，顺序不限） / import a plan from its tables, in any order')
    .argument('<files...>', '文件路径 / file paths')
    .option('--name <name>', '计划名称 / plan name')
    .option('--region <region>', '计划地区（登记库指标在其内统计） / plan region')
    .option('--owner <owner>', '牵头部门 / plan owner')
    .option('--period <from-to>', '计划期，如 2024-2027 / plan period')
    .option(...JSON_OPT)
    .action(
      action(rt, async (files: string[], opts: Opts) => {
        for (const f of files) if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new UsageError(`文件不存在：${f}`, `No such file: ${f}`);
        let period: { from: number; to: number } | undefined;
        if (opts.period) {
          const m = /^(\d{4})\s*-\s*(\d{4})$/.exec(String(opts.period));
          if (!m || Number(m[2]) < Number(m[1])) throw new UsageError(`--period 应为 起始年-截止年：${String(opts.period)}`, `--period must be FROM-TO: ${String(opts.period)}`);
          period = { from: Number(m[1]), to: Number(m[2]) };
        }
        const result = await rt.withStore((ctx) =>
          importPlan(
            ctx,
            files.map((f) => ({ fileName: path.basename(f), path: f })),
            { name: opts.name as string | undefined, region: opts.region as string | undefined, owner: opts.owner as string | undefined, period },
          ),
        );
        if (opts.json) rt.printJson(result);
        else printImport(rt.print, result);
        rt.setExitCode(result.ok ? EXIT_OK : EXIT_FAILED);
      }),
    );

  plan
    .command('list')
    .description('列出行动计划 / list plans')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const items = await rt.withStore((ctx) => listPlanSummaries(ctx));
        if (opts.json) rt.printJson({ items });
        else for (const p of items) rt.print(`${p.id}\t${p.name}\t${p.region?.name ?? '-'}\t${p.period_start ?? '-'}…${p.period_end ?? '-'}\t目标/targets ${p.targets}\t任务/tasks ${p.tasks}`);
      }),
    );

  plan
    .command('show')
    .description('查看计划结构 / show a plan’s actions, targets and tasks')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const tree = await rt.withStore((ctx) => planTree(ctx, ref));
        if (opts.json) return rt.printJson(tree);
        rt.print(`${tree.id} ${tree.name}（${tree.region?.name ?? '未指定地区 / no region'}，${tree.period_start ?? '?'}…${tree.period_end ?? '?'}）`);
        for (const a of tree.actions) {
          rt.print(`行动 ${a.number} ${a.title}`);
          for (const t of a.tasks) rt.print(`  任务 ${t.number} ${t.title}  责任单位: ${t.responsible_units.join('；') || '-'}  期限: ${t.due_date ?? '-'}`);
        }
        for (const t of tree.tasks) rt.print(`任务 ${t.number} ${t.title}`);
        for (const t of [...tree.actions.flatMap((a) => a.targets), ...tree.targets])
          rt.print(`目标 ${t.indicator}: ${t.baseline_value ?? '-'}（${t.baseline_year ?? '-'}）→ ${t.target_value ?? '-'}${t.unit ?? ''}（${t.target_year ?? '-'}）${t.measure_key ? ` [${t.measure_key}]` : ''}`);
      }),
    );

  plan
    .command('status')
    .description('进展状态（目标与任务） / status of targets and tasks as of a date')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option('--as-of <date>', '评估日期 YYYY-MM-DD（默认今天） / as-of date (default today)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const asOf = dateOpt(opts.asOf as string | undefined, '--as-of');
        const board = await rt.withStore((ctx) => planBoard(ctx, ref, asOf));
        if (opts.json) return rt.printJson(statusContract(board));
        rt.print(`${board.plan} — 截至 / as of ${board.as_of}`);
        for (const t of board.targets)
          rt.print(
            `  ${t.indicator}: ${fmt(t.latest)}/${fmt(t.target)}${t.unit}（${t.latest_date ?? '-'}） R=${fmt(t.ratio)} 预测/forecast ${fmt(t.forecast, 1)}  ${STATUS_LABELS[t.status].zh} / ${STATUS_LABELS[t.status].en}`,
          );
        for (const k of board.tasks)
          rt.print(
            `  任务 ${k.id} ${k.title}: ${TASK_STATUS_LABELS[k.status as keyof typeof TASK_STATUS_LABELS]?.zh ?? k.status} ${k.percent}%${k.overdue ? ' 逾期/overdue' : ''}${k.escalation ? ` 督办/flag ${k.escalation}` : ''}  ${k.responsible.join('；') || '-'}`,
          );
      }),
    );

  plan
    .command('supervision')
    .description('督办清单（按责任单位） / supervision list per responsible unit')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option('--as-of <date>', '评估日期 YYYY-MM-DD（默认今天） / as-of date (default today)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const asOf = dateOpt(opts.asOf as string | undefined, '--as-of');
        const s = await rt.withStore((ctx) => planSupervision(ctx, ref, asOf));
        if (opts.json) return rt.printJson(s);
        rt.print(`${s.plan} — 督办 / supervision, ${s.as_of}`);
        for (const u of s.units) {
          rt.print(`${u.unit ?? '（未指定责任单位 / unassigned）'}`);
          for (const t of u.tasks) rt.print(`  任务 ${t.id} ${t.title} [${t.escalation === 2 ? '升级 / escalated' : '标记 / flagged'}] ${t.triggers.map((x) => x.detail_zh).join('；')}`);
        }
        for (const t of s.targets) rt.print(`目标 ${t.indicator}: ${STATUS_LABELS[t.status].zh} / ${STATUS_LABELS[t.status].en}`);
      }),
    );

  plan
    .command('value')
    .description('填报目标数值 / enter a reported value of a target')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .requiredOption('--indicator <indicator>', '指标 / indicator')
    .requiredOption('--date <date>', '日期 YYYY-MM-DD 或年份 YYYY / date, or a year')
    .requiredOption('--value <value>', '数值 / value')
    .option('--unit <unit>', '数值单位 / unit of the value')
    .option('--note <note>', '说明 / note')
    .option('--evidence <evidence>', '佐证材料 / evidence')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const date = String(opts.date);
        if (!reportingDate.safeParse(date).success) throw new UsageError(`--date 应为 YYYY-MM-DD 或 YYYY：${date}`, `--date must be YYYY-MM-DD or YYYY: ${date}`);
        const value = numberOpt(opts.value as string, '--value') as number;
        const res = await rt.withStore((ctx) =>
          enterValue(ctx, ref, {
            indicator: String(opts.indicator),
            date,
            value,
            unit: opts.unit as string | undefined,
            note: opts.note as string | undefined,
            evidence: opts.evidence as string | undefined,
          }),
        );
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ ${res.indicator} ${res.date}: ${res.value}${res.unit ?? ''}（编号 / id ${res.id}）`);
        for (const w of res.warnings) rt.print(`  [警告 ${w.code}] ${w.message} / ${w.message_en}`);
      }),
    );

  plan
    .command('report')
    .description('责任单位报送任务进展 / a responsible unit reports progress on a task')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .requiredOption('--task <n>', '任务编号 / task number')
    .requiredOption('--unit <unit>', '报送单位 / reporting unit')
    .requiredOption('--status <status>', `进展状态 / status: ${TASK_STATUSES.join(', ')}`)
    .option('--percent <p>', '完成百分比 0–100 / percent done')
    .option('--narrative <text>', '进展说明 / narrative')
    .option('--evidence <evidence>', '佐证材料 / evidence')
    .option('--date <date>', '报告所述日期（默认今天） / date the report speaks for (default today)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const status = String(opts.status);
        if (!(TASK_STATUSES as readonly string[]).includes(status))
          throw new UsageError(`--status 应为 ${TASK_STATUSES.join('、')} 之一：${status}`, `--status must be one of ${TASK_STATUSES.join(', ')}: ${status}`);
        const percent = numberOpt(opts.percent as string | undefined, '--percent');
        if (percent !== undefined && (percent < 0 || percent > 100)) throw new UsageError(`--percent 应在 0–100 之间：${percent}`, `--percent must be within 0–100: ${percent}`);
        const reported_on = dateOpt(opts.date as string | undefined, '--date');
        const res = await rt.withStore((ctx) =>
          submitReport(ctx, ref, String(opts.task), {
            unit: String(opts.unit),
            status: status as (typeof TASK_STATUSES)[number],
            percent,
            narrative: opts.narrative as string | undefined,
            evidence: opts.evidence as string | undefined,
            reported_on,
          }),
        );
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ 已报送，待审核 / submitted for review: 报告 / report ${res.id}，任务 / task ${res.task}，${res.unit}，${res.status} ${res.percent ?? '-'}%`);
      }),
    );

  plan
    .command('reports')
    .description('进展报告列表 / list progress reports')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option('--pending', '只列待审核 / only those awaiting review')
    .option('--task <n>', '任务编号 / task number')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const items = await rt.withStore((ctx) => listReports(ctx, ref, { review_status: opts.pending ? 'submitted' : undefined, task: opts.task as string | undefined }));
        if (opts.json) return rt.printJson({ items });
        for (const r of items) rt.print(`${r.id}\t任务/task ${r.task}\t${r.unit}\t${r.status} ${r.percent ?? '-'}%\t${r.reported_on}\t${r.review_status}`);
      }),
    );

  plan
    .command('review')
    .description('审核进展报告 / review a progress report')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .requiredOption('--report <id>', '报告编号 / report id')
    .option('--accept', '通过 / accept')
    .option('--return', '退回 / return')
    .option('--comment <text>', '审核意见 / comment')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        if (Boolean(opts.accept) === Boolean(opts.return)) throw new UsageError('请指定 --accept 或 --return 之一', 'Give exactly one of --accept and --return');
        const id = String(opts.report);
        if (!/^\d+$/.test(id)) throw new UsageError(`--report 应为报告编号：${id}`, `--report must be a report id: ${id}`);
        const res = await rt.withStore((ctx) =>
          reviewReport(ctx, ref, Number(id), { decision: opts.accept ? 'accept' : 'return', comment: opts.comment as string | undefined }),
        );
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ 报告 / report ${res.id}: ${res.review_status === 'accepted' ? '已通过 / accepted' : '已退回 / returned'}`);
      }),
    );

  plan
    .command('task')
    .description('修改任务的责任单位、期限 / set a task’s responsible units and dates')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .argument('<n>', '任务编号 / task number')
    .option('--responsible <units>', '责任单位，逗号分隔 / responsible units, comma-separated')
    .option('--supporting <units>', '配合单位，逗号分隔 / supporting units, comma-separated')
    .option('--start <date>', '开始日期 / start date')
    .option('--due <date>', '完成时限 / due date')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, n: string, opts: Opts) => {
        const res = await rt.withStore((ctx) =>
          updateTask(ctx, ref, n, {
            responsible_units: unitsOpt(opts.responsible as string | undefined),
            supporting_units: unitsOpt(opts.supporting as string | undefined),
            start_date: dateOpt(opts.start as string | undefined, '--start'),
            due_date: dateOpt(opts.due as string | undefined, '--due'),
          }),
        );
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ 任务 / task ${res.number}: 责任单位 / responsible ${res.responsible_units.join('；') || '-'}，期限 / due ${res.due_date ?? '-'}`);
      }),
    );

  plan
    .command('link')
    .description(`目标按登记库计数或改回填报 / count a target from the registry, or back to reported values (${MEASURES.map((m) => m.key).join(', ')})`)
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .requiredOption('--indicator <indicator>', '指标 / indicator')
    .option('--measure <key>', '登记库指标 / registry measure')
    .option('--reported', '改为填报 / use reported values')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        if (Boolean(opts.measure) === Boolean(opts.reported)) throw new UsageError('请指定 --measure 或 --reported 之一', 'Give exactly one of --measure and --reported');
        const res = await rt.withStore((ctx) => setTargetMeasure(ctx, ref, { indicator: String(opts.indicator) }, opts.reported ? null : String(opts.measure)));
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ ${res.indicator}: ${res.measure_key ?? '填报 / reported'}`);
      }),
    );

  plan
    .command('delete')
    .description('删除行动计划 / delete a plan')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const res = await rt.withStore((ctx) => deletePlan(ctx, ref));
        if (opts.json) return rt.printJson(res);
        rt.print(`✔ 已删除计划 / deleted plan ${res.deleted}`);
      }),
    );
};
