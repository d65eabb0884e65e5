/**
 * `innolink report …`: exported reports, written to a file.
 *
 *   innolink report region --region 常州 [--from 2011 --to 2014] [--thresholds 2000,1000] [--top 10] --format pdf|xlsx --out FILE [--json]
 *   innolink report plan PLAN [--as-of 2025-06-30] --format pdf|xlsx --out FILE [--json]
 *
 * With --json one object is printed: {"ok": true, "kind", "format", "file", "file_name", "bytes",
 * "pages", "sheets"}. A report that takes more than a second shows its progress on stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { action, EXIT_USAGE, reportError, UsageError, type CliRuntime, type CommandModule } from '../../cli/cli.ts';
import { parseThresholds } from '../analytics/analytics.service.ts';
import { isoDate } from '../plans/plans.schema.ts';
import { parseFormat, parsePeriod, planReport, regionReport, type ReportFile, type ReportFormat, type ReportProgress } from './reports.service.ts';

type Opts = Record<string, string | boolean | undefined>;

const STEP_LABELS: Record<string, string> = {
  funding: '经费 / funding',
  tiers: '方阵 / tiers',
  concentration: '集中度 / concentration',
  trends: '趋势 / trends',
  strategy: '国别策略 / strategy',
  quality: '数据质量 / data quality',
  plan: '计划 / plan',
  status: '目标进展 / status board',
  supervision: '督办 / supervision',
  render: '排版 / rendering',
  done: '完成 / done',
};

/** Progress shown only once a report has taken more than a second: a bar on a terminal, lines otherwise. */
function progress(rt: CliRuntime): { onProgress: ReportProgress; stop(): void } {
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  let last = '';
  return {
    onProgress(p) {
      if (Date.now() - started < 1000) return;
      const step = STEP_LABELS[p.step] ?? p.step;
      if (process.stderr.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ format: '报告 / report [{bar}] {value}/{total} {step}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
          bar.start(p.total, p.done, { step });
        }
        bar.update(p.done, { step });
      } else if (step !== last) {
        rt.note(`报告 / report ${p.done}/${p.total} ${step}`);
      }
      last = step;
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** The format from --format, else from the output file's extension, else pdf. */
function formatOf(opts: Opts): ReportFormat {
  if (typeof opts.format === 'string') return parseFormat(opts.format);
  const ext = typeof opts.out === 'string' ? path.extname(opts.out).slice(1).toLowerCase() : '';
  return ext === 'xlsx' ? 'xlsx' : 'pdf';
}

/** The output path; its folder must exist (bad usage otherwise). */
function outPath(opts: Opts): string | null {
  if (typeof opts.out !== 'string') return null;
  const out = path.resolve(opts.out);
  const dir = path.dirname(out);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`输出目录不存在：${dir}`, `The output folder does not exist: ${dir}`);
  if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new UsageError(`--out 是一个目录：${out}`, `--out is a folder: ${out}`);
  return out;
}

/** Runs the checks of the options; a refusal keeps its own code (FORMAT_UNKNOWN …) and exits 2. */
function checked<T>(rt: CliRuntime, json: boolean, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    reportError(rt, e, json);
    rt.setExitCode(EXIT_USAGE);
    return undefined;
  }
}

/** Writes the file next to its final name first, so a failed write leaves no half file. */
function writeFile(out: string, body: Buffer): void {
  const tmp = `${out}.${process.pid}.part`;
  fs.writeFileSync(tmp, body);
  fs.renameSync(tmp, out);
}

function finish(rt: CliRuntime, file: ReportFile, out: string, json: boolean): void {
  writeFile(out, file.body);
  if (json) {
    rt.printJson({ ok: true, kind: file.kind, format: file.format, file: out, file_name: file.fileName, bytes: file.body.length, pages: file.pages, sheets: file.sheets });
    return;
  }
  const size = `${Math.max(1, Math.round(file.body.length / 1024))} KB`;
  const parts = file.pages !== null ? `${file.pages} 页 / pages` : `${file.sheets?.length ?? 0} 个工作表 / sheets`;
  rt.print(`✔ 已生成报告 / report written: ${out}（${parts}，${size}）`);
}

export const reportCommand: CommandModule = (program, rt) => {
  const report = program.command('report').description('导出报告（PDF、XLSX） / exported reports (PDF, XLSX)');

  report
    .command('region')
    .description('地区报告：经费、方阵、集中度、趋势、国别策略、数据质量 / region report: funding, tiers, concentration, trends, strategy, data quality')
    .requiredOption('--region <name>', '地区名称或代码，如 常州 / region name or code')
    .option('--from <year>', '起始年 / from year')
    .option('--to <year>', '截止年 / to year')
    .option('--thresholds <list>', '方阵阈值（万元），默认 2000,1000 / tier thresholds, default 2000,1000')
    .option('--top <n>', '集中度前N位，默认10 / top N for the concentration, default 10')
    .option('--format <format>', '格式 / format: pdf | xlsx（默认按 --out 的扩展名，否则 pdf）')
    .option('--out <file>', '输出文件（默认当前目录下的报告名） / output file (default: the report name in the current folder)')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: Opts) => {
        const json = Boolean(opts.json);
        const input = checked(rt, json, () => {
          const format = formatOf(opts);
          const { from, to } = parsePeriod(opts.from as string | undefined, opts.to as string | undefined);
          if (typeof opts.thresholds === 'string') parseThresholds(opts.thresholds);
          return { format, from, to, out: outPath(opts) };
        });
        if (!input) return;
        const p = progress(rt);
        try {
          const file = await rt.withStore((ctx) =>
            regionReport(
              ctx,
              { region: String(opts.region), from: input.from, to: input.to, format: input.format, thresholds: opts.thresholds as string | undefined, top: opts.top as string | undefined },
              p.onProgress,
            ),
          );
          finish(rt, file, input.out ?? path.resolve(file.fileName), json);
        } finally {
          p.stop();
        }
      }),
    );

  report
    .command('plan')
    .description('行动计划季度报告：目标进展、责任单位任务、督办 / quarterly plan report: status board, tasks by unit, supervision')
    .argument('<plan>', '计划编号或名称 / plan id or name')
    .option('--as-of <date>', '评估日期 YYYY-MM-DD（默认今天） / as-of date (default today)')
    .option('--format <format>', '格式 / format: pdf | xlsx（默认按 --out 的扩展名，否则 pdf）')
    .option('--out <file>', '输出文件（默认当前目录下的报告名） / output file (default: the report name in the current folder)')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (plan: string, opts: Opts) => {
        const json = Boolean(opts.json);
        const input = checked(rt, json, () => {
          const format = formatOf(opts);
          if (typeof opts.asOf === 'string' && !isoDate.safeParse(opts.asOf).success) {
            throw new UsageError(`--as-of 应为 YYYY-MM-DD：${opts.asOf}`, `--as-of must be YYYY-MM-DD: ${opts.asOf}`);
          }
          return { format, out: outPath(opts) };
        });
        if (!input) return;
        const p = progress(rt);
        try {
          const file = await rt.withStore((ctx) => planReport(ctx, { plan, asOf: opts.asOf as string | undefined, format: input.format }, p.onProgress));
          finish(rt, file, input.out ?? path.resolve(file.fileName), json);
        } finally {
          p.stop();
        }
      }),
    );
};
