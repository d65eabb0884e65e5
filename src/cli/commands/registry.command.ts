/**
 * Registry commands: `innolink KIND list|get|create|update|delete|export` for every registry
 * (organizations, projects, funding, platforms, talents, mechanisms, outputs, facts).
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { exportStream } from '../../modules/exports/export.ts';
import { REGISTRIES } from '../../modules/registries/defs.ts';
import { exportColumns } from '../../modules/registry/registry.routes.ts';
import { listQuerySchema } from '../../modules/registry/registry.schema.ts';
import { registryService } from '../../modules/registry/registry.service.ts';
import { toListParams } from '../../modules/registry/registry.routes.ts';
import { zodDetails } from '../../modules/registry/zod-details.ts';
import { validationFailed } from '../../errors.ts';
import { action, UsageError, type CliRuntime, type CommandModule } from '../cli.ts';

function idArg(id: string): number {
  if (!/^\d+$/.test(id)) throw new UsageError(`编号应为正整数：${id}`, `An id is a positive integer: ${id}`);
  return Number(id);
}

function jsonArg(data: string | undefined, file: string | undefined): unknown {
  const text = data ?? (file ? fs.readFileSync(file, 'utf8') : undefined);
  if (text === undefined) throw new UsageError('请用 --data 或 --file 提供 JSON 记录', 'Give the record as JSON with --data or --file');
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('记录不是有效的 JSON', 'The record is not valid JSON');
  }
}

/** Filters given as --filter key=value pairs, validated like the HTTP query string. */
function listParams(kind: string, opts: Record<string, unknown>) {
  const def = REGISTRIES[kind];
  const raw: Record<string, unknown> = { page: opts.page, pageSize: opts.pageSize, sort: opts.sort, order: opts.order, q: opts.q };
  for (const f of (opts.filter as string[]) ?? []) {
    const i = f.indexOf('=');
    if (i <= 0) throw new UsageError(`--filter 应为 字段=值：${f}`, `--filter must be field=value: ${f}`);
    raw[f.slice(0, i)] = f.slice(i + 1);
  }
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  const parsed = listQuerySchema(def).safeParse(raw);
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error));
  return toListParams(def, parsed.data as Record<string, unknown>);
}

function registerKind(program: Command, rt: CliRuntime, kind: string) {
  const def = REGISTRIES[kind];
  const service = registryService(def);
  const cmd = program.command(kind).description(`${def.zh} / ${def.en}`);
  const collect = (v: string, acc: string[]) => [...acc, v];
  cmd
    .command('list')
    .description('列表（检索、筛选、排序、分页） / list with search, filters, sort, paging')
    .option('--q <text>', '全文检索 / text search')
    .option('--filter <field=value>', '筛选，可重复 / filter, repeatable', collect, [] as string[])
    .option('--sort <field>', '排序字段 / sort field')
    .option('--order <asc|desc>', '排序方向 / order')
    .option('--page <n>', '页码 / page', '1')
    .option('--page-size <n>', '每页条数 / page size', '20')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: Record<string, unknown>) => {
        const params = listParams(kind, opts);
        const res = await rt.withStore((ctx) => service.list(ctx, params));
        if (opts.json) return rt.printJson(res);
        const cols = ['id', ...def.fields.slice(0, 5).map((f) => f.name)];
        rt.print(cols.join('\t'));
        for (const r of res.items) rt.print(cols.map((c) => r[c] ?? '').join('\t'));
        rt.print(`共 ${res.total} 条，第 ${res.page} 页 / ${res.total} in all, page ${res.page}`);
      }),
    );
  cmd
    .command('get')
    .argument('<id>')
    .description('查看一条 / show one')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (id: string) => {
        rt.printJson(await rt.withStore((ctx) => service.get(ctx, idArg(id))));
      }),
    );
  cmd
    .command('create')
    .description('新增 / create')
    .option('--data <json>', 'JSON 记录 / record as JSON')
    .option('--file <path>', 'JSON 文件 / JSON file')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { data?: string; file?: string }) => {
        const body = jsonArg(opts.data, opts.file);
        rt.printJson(await rt.withStore((ctx) => service.create(ctx, body)));
      }),
    );
  cmd
    .command('update')
    .argument('<id>')
    .description('修改 / update')
    .option('--data <json>', 'JSON 字段 / fields as JSON')
    .option('--file <path>', 'JSON 文件 / JSON file')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (id: string, opts: { data?: string; file?: string }) => {
        const body = jsonArg(opts.data, opts.file);
        rt.printJson(await rt.withStore((ctx) => service.update(ctx, idArg(id), body)));
      }),
    );
  cmd
    .command('delete')
    .argument('<id>')
    .description('删除 / delete')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (id: string, opts: { json?: boolean }) => {
        await rt.withStore((ctx) => service.remove(ctx, idArg(id)));
        if (opts.json) rt.printJson({ deleted: Number(id) });
        else rt.print(`已删除 / deleted ${id}`);
      }),
    );
  cmd
    .command('export')
    .description('导出为 CSV 或 XLSX / export to CSV or XLSX')
    .requiredOption('--out <file>', '输出文件（.csv 或 .xlsx） / output file')
    .option('--q <text>', '全文检索 / text search')
    .option('--filter <field=value>', '筛选，可重复 / filter, repeatable', collect, [] as string[])
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: Record<string, unknown>) => {
        const out = String(opts.out);
        const format = out.toLowerCase().endsWith('.csv') ? 'csv' : out.toLowerCase().endsWith('.xlsx') ? 'xlsx' : null;
        if (!format) throw new UsageError('输出文件应以 .csv 或 .xlsx 结尾', 'The output file must end in .csv or .xlsx');
        const params = listParams(kind, { ...opts, page: 1, pageSize: 1 });
        let n = 0;
        await rt.withStore(async (ctx) => {
          async function* counted() {
            for await (const r of service.iterate(ctx, params)) {
              n++;
              yield r;
            }
          }
          await pipeline(exportStream(format, def.zh, exportColumns(def), counted()), fs.createWriteStream(out));
        });
        if (opts.json) rt.printJson({ file: out, rows: n });
        else rt.print(`已导出 ${n} 条到 ${out} / exported ${n} rows to ${out}`);
      }),
    );
}

export const registryCommands: CommandModule = (program, rt) => {
  for (const kind of Object.keys(REGISTRIES)) registerKind(program, rt, kind);
};
