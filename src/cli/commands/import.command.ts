/**
 * `innolink import FILE --as KIND [--dry-run] [--keep-valid] [--region R] [--json]` and
 * `innolink imports list|show|undo`.
 */
import path from 'node:path';
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import { knownKinds, runImport } from '../../modules/imports/imports.service.ts';
import { importProfiles } from '../../modules/market/market.import.ts';

const MARKET_KINDS = ['demands', 'offers'];
import type { ImportResult } from '../../modules/imports/imports.types.ts';
import { getImport, listImports } from '../../modules/imports/imports.repo.ts';
import { undoImport } from '../../modules/imports/imports.undo.ts';
import { notFound } from '../../errors.ts';
import { action, EXIT_FAILED, EXIT_OK, UsageError, type CommandModule } from '../cli.ts';

function parseMap(spec: string | undefined): Record<string, string> | undefined {
  if (!spec) return undefined;
  const out: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new UsageError(`--map 应为 源列=目标字段,…：${pair}`, `--map must be source=target,…: ${pair}`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

function printHuman(print: (s: string) => void, r: ImportResult) {
  print(`${r.ok ? '✔ 导入成功' : '✘ 未导入'}${r.dry_run ? '（试导入，未写入）' : ''} / ${r.ok ? 'Import succeeded' : 'Nothing imported'}${r.dry_run ? ' (dry run, nothing written)' : ''}`);
  print(`类型 / kind: ${r.kind}   读取 / read: ${r.rows.read}   导入 / imported: ${r.rows.imported}   拒绝 / rejected: ${r.rows.rejected}`);
  if (r.changes) print(`新增 / inserted: ${r.changes.inserted}   更新 / updated: ${r.changes.updated}   未变 / unchanged: ${r.changes.unchanged}`);
  if (r.import_id) print(`导入批次 / import id: ${r.import_id}（撤销 / undo: innolink imports undo ${r.import_id}）`);
  if (r.mapping) {
    print('列映射 / column mapping:');
    for (const c of r.mapping.columns) print(`  ${c.column} → ${c.field ?? '（未使用 / unused）'}${c.year ? ` [${c.year}]` : ''}`);
    if (r.mapping.total_rows.length) print(`  合计行 / total rows: ${r.mapping.total_rows.join(', ')}`);
  }
  if (r.issues.length) {
    print(`问题 / issues (${r.issue_count ?? r.issues.length}):`);
    const shown = r.issues.slice(0, 50);
    for (const i of shown) {
      print(`  [${i.severity === 'error' ? '错误' : '警告'} ${i.code}] 第 ${i.row} 行${i.column ? `「${i.column}」` : ''}：${i.message}`);
      print(`      ${i.severity} row ${i.row}${i.column ? ` "${i.column}"` : ''}: ${i.message_en}`);
    }
    const more = (r.issue_count ?? r.issues.length) - shown.length;
    if (more > 0) print(`  …… 另有 ${more} 条，完整清单请用 --json 或 innolink imports show / ${more} more: use --json or innolink imports show`);
  }
}

export const importCommand: CommandModule = (program, rt) => {
  program
    .command('import')
    .description('导入 CSV/XLSX 文件 / import a CSV or XLSX file')
    .argument('<file>', '文件路径 / file path')
    .requiredOption('--as <kind>', `数据类型 / kind: ${[...knownKinds(), 'demands', 'offers'].join(', ')}`)
    .option('--dry-run', '只检查不写入 / check only, write nothing')
    .option('--keep-valid', '只导入有效行 / import only the valid rows')
    .option('--region <region>', '所属城市（辖区名称在其内解析） / city whose districts the names are (default: home region)')
    .option('--sheet <sheet>', '工作表名称或序号 / sheet name or number')
    .option('--unit <unit>', '金额单位（默认 万元） / unit of amounts (default 万元)')
    .option('--currency <code>', '币种（默认 CNY） / currency (default CNY)')
    .option('--group <code>', '国家分组（导入国家时） / country group for a countries file')
    .option('--period <from-to>', '汇总表覆盖的年份，如 2011-2014 / years a summary covers')
    .option('--map <pairs>', '列映射 源列=目标字段,… / column mapping source=target,…')
    .option('--publish', '需求/成果直接发布（限业务人员） / publish demands or offers at once (officers)')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (file: string, opts: Record<string, string | boolean | undefined>) => {
        const kind = String(opts.as);
        const kinds = [...knownKinds(), ...MARKET_KINDS];
        if (!kinds.includes(kind)) {
          throw new UsageError(`未知的导入类型：${kind}（可选：${kinds.join('、')}）`, `Unknown kind: ${kind} (one of ${kinds.join(', ')})`);
        }
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`文件不存在：${file}`, `No such file: ${file}`);
        if (kind === 'demands' || kind === 'offers') {
          // Technology demands and offers (需求/成果) go through the marketplace's own importer.
          const res = await rt.withStore((ctx) =>
            importProfiles(ctx, { fileName: path.basename(file), path: file }, { kind, dryRun: Boolean(opts.dryRun), keepValid: Boolean(opts.keepValid), publish: Boolean(opts.publish) }),
          );
          if (opts.json) rt.printJson(res);
          else printHuman(rt.print, res as unknown as ImportResult);
          rt.setExitCode(res.ok ? EXIT_OK : EXIT_FAILED);
          return;
        }
        let period: { from: number; to: number } | undefined;
        if (opts.period) {
          const m = /^(\d{4})\s*-\s*(\d{4})$/.exec(String(opts.period));
          if (!m) throw new UsageError(`--period 应为 起始年-截止年：${String(opts.period)}`, `--period must be FROM-TO: ${String(opts.period)}`);
          period = { from: Number(m[1]), to: Number(m[2]) };
        }
        const sheet = opts.sheet === undefined ? undefined : /^\d+$/.test(String(opts.sheet)) ? Number(opts.sheet) : String(opts.sheet);
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar({ format: '导入 / importing [{bar}] {percentage}% | {rows} 行 / rows', hideCursor: true }, cliProgress.Presets.shades_classic)
          : null;
        let started = false;
        const result = await rt.withStore((ctx) =>
          runImport(ctx, { fileName: path.basename(file), path: file }, {
            kind,
            dryRun: Boolean(opts.dryRun),
            keepValid: Boolean(opts.keepValid),
            region: opts.region as string | undefined,
            sheet,
            unit: opts.unit as string | undefined,
            currency: opts.currency as string | undefined,
            group: opts.group as string | undefined,
            period,
            map: parseMap(opts.map as string | undefined),
            onProgress: (p) => {
              if (!bar) return;
              if (!started) {
                bar.start(Math.max(p.totalBytes, 1), 0, { rows: 0 });
                started = true;
              }
              bar.update(Math.min(p.bytes, p.totalBytes), { rows: p.rows });
            },
          }),
        );
        if (bar && started) {
          bar.update(bar.getTotal());
          bar.stop();
        }
        if (opts.json) rt.printJson(result);
        else printHuman(rt.print, result);
        rt.setExitCode(result.ok ? EXIT_OK : EXIT_FAILED);
      }),
    );

  const imports = program.command('imports').description('导入记录 / import history');
  imports
    .command('list')
    .description('列出导入批次 / list imports')
    .option('--json', '输出 JSON / print JSON')
    .option('--limit <n>', '条数 / how many', '20')
    .action(
      action(rt, async (opts: { json?: boolean; limit: string }) => {
        const res = await rt.withStore((ctx) => listImports(ctx.db, { limit: Number(opts.limit) || 20, offset: 0 }));
        if (opts.json) rt.printJson(res);
        else for (const i of res.items) rt.print(`${i.id}\t${i.status}\t${i.kind}\t${i.file_name}\t读/read ${i.rows_read}\t入/imported ${i.rows_imported}\t问题/issues ${i.issue_count}\t${new Date(i.started_at).toISOString()}`);
      }),
    );
  imports
    .command('show')
    .argument('<id>')
    .option('--json', '输出 JSON / print JSON')
    .description('查看导入批次及其问题 / show an import and its issues')
    .action(
      action(rt, async (id: string, opts: { json?: boolean }) => {
        const res = await rt.withStore(async (ctx) => {
          const r = await getImport(ctx.db, Number(id));
          if (!r) throw notFound('import', id);
          return r;
        });
        rt.printJson(res);
      }),
    );
  imports
    .command('undo')
    .argument('<id>')
    .option('--json', '输出 JSON / print JSON')
    .description('撤销一个导入批次 / undo an import as one batch')
    .action(
      action(rt, async (id: string, opts: { json?: boolean }) => {
        if (!/^\d+$/.test(id)) throw new UsageError(`导入批次编号应为数字：${id}`, `An import id is a number: ${id}`);
        const res = await rt.withStore((ctx) => undoImport(ctx, Number(id)));
        if (opts.json) rt.printJson(res);
        else rt.print(`已撤销导入 ${res.import_id} / undone import ${res.import_id}: 恢复/restored ${res.restored}, 删除/deleted ${JSON.stringify(res.deleted)}`);
      }),
    );
};
