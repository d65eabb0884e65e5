/**
 * `innolink eval …` commands on the store (the `eval run` command itself is in
 * src/cli/commands/eval.command.ts): frameworks, data sets and runs as stored, a run's results,
 * "why this score", reproduction check, XLSX export, file imports and the built-in frameworks.
 * Same services as the HTTP API; `--json` prints what the API answers.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { action, EXIT_FAILED, EXIT_OK, UsageError, type CliRuntime } from '../../cli/cli.ts';
import { runWorkbook } from './indicators.export.ts';
import { runSummaryPdf } from './indicators.pdf.ts';
import { loadBuiltinIndicators } from './indicators.demo.ts';
import type { RunDetail, TreeNode } from './indicators.schema.ts';
import {
  explainRun,
  getFramework,
  getRun,
  importDataset,
  importFramework,
  importFrameworkVersion,
  listDatasetSummaries,
  listFrameworkSummaries,
  listRunSummaries,
  reproduceRun,
  runForExport,
} from './indicators.service.ts';

type Opts = Record<string, string | boolean | undefined>;

const JSON_OPT = ['--json', '输出 JSON / print JSON'] as const;

function positiveInt(v: string, what: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new UsageError(`${what} 应为正整数：${v}`, `${what} must be a positive integer: ${v}`);
  return Number(v);
}

function existingFile(f: string): string {
  if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new UsageError(`文件不存在：${f}`, `No such file: ${f}`);
  return f;
}

const sheetOf = (v: string | boolean | undefined) => (typeof v !== 'string' ? undefined : /^\d+$/.test(v) ? Number(v) : v);
const fmt = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));

function printTree(print: (s: string) => void, n: TreeNode, depth = 0) {
  const w = depth === 0 ? '' : ` ×${n.weight}`;
  const extra = n.type === 'indicator' ? ` [${n.direction > 0 ? '+' : '−'}${n.unit ? `, ${n.unit}` : ''}]` : '';
  print(`${'  '.repeat(depth)}${n.code}  ${n.name ?? ''}${n.name_en ? ` / ${n.name_en}` : ''}${w}${extra}`);
  for (const c of n.children) printTree(print, c, depth + 1);
}

function printRun(print: (s: string) => void, r: RunDetail) {
  print(`运行 / run ${r.id}  ${r.label ?? ''}`);
  print(`框架 / framework ${r.framework.key} v${r.version}  数据集 / data set ${r.dataset.id} ${r.dataset.name}  种子 / seed ${r.seed}  数据哈希 / data hash ${r.data_hash.slice(0, 16)}…`);
  print('排名 / rank  单位 / unit  得分 / score  排名区间 / rank interval');
  for (const u of r.units) print(`${String(u.rank ?? '—').padStart(4)}  ${u.unit.padEnd(10)}  ${fmt(u.score).padStart(8)}  ${u.rank_interval ? `[${u.rank_interval[0]}, ${u.rank_interval[1]}]` : ''}`);
  for (const w of r.warnings.slice(0, 20)) print(`  [${w.code}] ${w.message} / ${w.message_en}`);
}

/** The export format: --format when given, else the --out file's extension (.pdf → pdf, otherwise xlsx). */
export function exportFormat(out: string, format: string | boolean | undefined): 'xlsx' | 'pdf' {
  if (typeof format === 'string') {
    const f = format.trim().toLowerCase();
    if (f !== 'xlsx' && f !== 'pdf') throw new UsageError(`未知的导出格式：${format}（应为 xlsx 或 pdf）`, `Unknown export format: ${format} (expected xlsx or pdf)`);
    return f;
  }
  return /\.pdf$/i.test(out) ? 'pdf' : 'xlsx';
}

/** Adds the store commands under `innolink eval`. */
export function registerEvalStoreCommands(ev: Command, rt: CliRuntime): void {
  ev.command('frameworks')
    .description('已保存的指标框架 / stored indicator frameworks')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const items = await rt.withStore((ctx) => listFrameworkSummaries(ctx));
        if (opts.json) rt.printJson({ items });
        else for (const f of items) rt.print(`${String(f.id).padStart(3)}  ${f.key.padEnd(32)} v${f.latest_version}  ${f.indicators} 个指标 indicators  ${f.datasets} 数据集 data sets  ${f.runs} 次运行 runs  ${f.name}`);
      }),
    );

  ev.command('framework')
    .description('指标框架的树 / a framework’s tree')
    .argument('<framework>', '框架 id 或代码 / framework id or key')
    .option('--version <n>', '版本（默认最新） / version (default latest)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const version = typeof opts.version === 'string' ? positiveInt(opts.version, '--version') : undefined;
        const d = await rt.withStore((ctx) => getFramework(ctx, ref, version));
        if (opts.json) rt.printJson(d);
        else {
          rt.print(`${d.key} v${d.version.version}${d.version.label ? ` (${d.version.label})` : ''}  ${d.name}`);
          printTree(rt.print, d.tree);
        }
      }),
    );

  ev.command('import-framework')
    .description('导入指标框架文件（CSV/XLSX iMeta、YAML、JSON）；代码已存在时加为新版本 / import a framework file; an existing key gets a new version')
    .argument('<file>', '文件 / file')
    .option('--key <key>', '框架代码 / framework key')
    .option('--name <name>', '名称 / name')
    .option('--label <label>', '版本标签 / version label')
    .option('--sheet <sheet>', 'XLSX 工作表 / sheet')
    .option(...JSON_OPT)
    .action(
      action(rt, async (file: string, opts: Opts) => {
        existingFile(file);
        const o = { key: opts.key as string | undefined, name: opts.name as string | undefined, label: opts.label as string | undefined, sheet: sheetOf(opts.sheet) };
        const d = await rt.withStore(async (ctx) => {
          const existing = o.key ? await listFrameworkSummaries(ctx).then((l) => l.find((f) => f.key === o.key)) : undefined;
          return existing ? importFrameworkVersion(ctx, existing.id, { path: file }, o) : importFramework(ctx, { path: file }, o);
        });
        if (opts.json) rt.printJson(d);
        else rt.print(`✔ ${d.key} v${d.version.version}: ${d.indicators} 个指标 indicators`);
      }),
    );

  ev.command('import-data')
    .description('导入数据集（COINr iData CSV/XLSX） / import a data set (COINr iData CSV/XLSX)')
    .argument('<file>', '文件 / file')
    .requiredOption('--framework <framework>', '框架 id 或代码 / framework id or key')
    .option('--name <name>', '数据集名称（默认文件名） / data set name (default file name)')
    .option('--sheet <sheet>', 'XLSX 工作表 / sheet')
    .option(...JSON_OPT)
    .action(
      action(rt, async (file: string, opts: Opts) => {
        existingFile(file);
        const d = await rt.withStore((ctx) => importDataset(ctx, String(opts.framework), { path: file }, { name: opts.name as string | undefined, sheet: sheetOf(opts.sheet) }));
        if (opts.json) rt.printJson(d);
        else rt.print(`✔ 数据集 / data set ${d.id} ${d.name}: ${d.units} 个单位 units, ${d.columns.length} 列 columns`);
      }),
    );

  ev.command('datasets')
    .description('已保存的数据集 / stored data sets')
    .option('--framework <framework>', '框架 id 或代码 / framework id or key')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const items = await rt.withStore((ctx) => listDatasetSummaries(ctx, opts.framework as string | undefined));
        if (opts.json) rt.printJson({ items });
        else for (const d of items) rt.print(`${String(d.id).padStart(3)}  框架 framework ${d.framework_id}  ${d.name}  ${d.units} 个单位 units  ${d.runs} 次运行 runs`);
      }),
    );

  ev.command('runs')
    .description('已保存的评价运行 / stored evaluation runs')
    .option('--framework <framework>', '框架 id 或代码 / framework id or key')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const items = await rt.withStore((ctx) => listRunSummaries(ctx, { framework: opts.framework as string | undefined }));
        if (opts.json) rt.printJson({ items });
        else for (const r of items) rt.print(`${String(r.id).padStart(4)}  ${r.framework.key} v${r.version}  数据集 data set ${r.dataset.id}  ${r.units_out} 个单位 units  ${r.created_at}  ${r.label ?? ''}`);
      }),
    );

  ev.command('show')
    .description('评价运行的结果 / a run’s results')
    .argument('<run>', '运行 id / run id')
    .option('--diagnostics', '附带全部诊断信息 / include every diagnostic')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const r = await rt.withStore((ctx) => getRun(ctx, positiveInt(ref, 'RUN'), { diagnostics: Boolean(opts.diagnostics) }));
        if (opts.json) rt.printJson(r);
        else printRun(rt.print, r);
      }),
    );

  ev.command('explain')
    .description('得分解释：原始值、标准化值、权重与贡献 / why this score')
    .argument('<run>', '运行 id / run id')
    .requiredOption('--unit <unit>', '单位代码 / unit code')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const e = await rt.withStore((ctx) => explainRun(ctx, positiveInt(ref, 'RUN'), String(opts.unit)));
        if (opts.json) return rt.printJson(e);
        rt.print(`${e.unit} ${e.name ?? ''}  得分 / score ${fmt(e.score, 4)}  排名 / rank ${e.rank ?? '—'}  贡献之和 / sum of contributions ${fmt(e.contributions_sum, 4)}`);
        rt.print('指标 / indicator  原始 / raw  标准化 / normalised  有效权重 / weight  贡献 / contribution');
        for (const i of e.indicators) rt.print(`  ${i.code.padEnd(14)} ${String(i.raw ?? '—').padStart(12)} ${fmt(i.normalised).padStart(8)} ${fmt(i.effective_weight, 4).padStart(8)} ${fmt(i.contribution, 4).padStart(9)}`);
        for (const n of e.notes) rt.print(`  [${n.code}] ${n.message} / ${n.message_en}`);
      }),
    );

  ev.command('reproduce')
    .description('按保存的输入重算并核对（不一致时退出码 1） / recompute from the stored inputs and compare (exit 1 when different)')
    .argument('<run>', '运行 id / run id')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const r = await rt.withStore((ctx) => reproduceRun(ctx, positiveInt(ref, 'RUN')));
        if (opts.json) rt.printJson(r);
        else rt.print(r.reproduced ? `✔ 运行 ${r.run} 可复现 / run ${r.run} reproduces: ${r.units_compared} 个单位 units` : `✘ 运行 ${r.run} 不可复现 / run ${r.run} does not reproduce: ${JSON.stringify(r)}`);
        rt.setExitCode(r.reproduced ? EXIT_OK : EXIT_FAILED);
      }),
    );

  ev.command('export')
    .description('导出评价运行（XLSX 每表一页；.pdf 为摘要） / export a run (XLSX, one sheet per table; .pdf: summary)')
    .argument('<run>', '运行 id / run id')
    .requiredOption('--out <file>', '输出文件 / output file (.xlsx or .pdf)')
    .option('--format <format>', '格式 xlsx|pdf（默认按文件扩展名） / format xlsx|pdf (default: from the file extension)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (ref: string, opts: Opts) => {
        const id = positiveInt(ref, 'RUN');
        const format = exportFormat(String(opts.out), opts.format);
        let pages: number | null = null;
        const buf = await rt.withStore(async (ctx) => {
          const { run, result, nodes } = await runForExport(ctx, id);
          if (format === 'xlsx') return runWorkbook(run, result, nodes);
          const r = await runSummaryPdf(run, result, nodes);
          pages = r.pages;
          return r.pdf;
        });
        fs.writeFileSync(String(opts.out), buf);
        if (opts.json) rt.printJson({ run: id, file: String(opts.out), format, bytes: buf.length, ...(pages === null ? {} : { pages }) });
        else rt.print(`✔ ${String(opts.out)} (${buf.length} bytes)`);
      }),
    );

  ev.command('builtins')
    .description('载入内置指标框架与示例数据（已存在的跳过） / load the built-in frameworks and example data (existing ones are kept)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const r = await rt.withStore((ctx) => loadBuiltinIndicators(ctx.db, ctx.config, opts.json ? () => undefined : rt.print));
        if (opts.json) rt.printJson(r);
      }),
    );
}
