/**
 * `innolink quality [summary | facts | totals | unresolved | duplicates] [--json]`: the
 * data-quality view from the command line (without a subcommand: the summary).
 */
import type { Command } from 'commander';
import { UsageError, action, type CliRuntime, type CommandModule } from '../../cli/cli.ts';
import { UNRESOLVED_KINDS, qualityDuplicates, qualityFacts, qualitySummary, qualityTotals, qualityUnresolved, type RowRef, type UnresolvedKind } from './quality.service.ts';

const rows = (r: RowRef[]) => (r.length ? r.map((x) => x.row).join(', ') : '—');

function int(v: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} 应为${min}至${max}的整数：${v}`, `${flag} must be an integer from ${min} to ${max}: ${v}`);
  return n;
}

export const qualityCommand: CommandModule = (program: Command, rt: CliRuntime) => {
  const quality = program
    .command('quality')
    .description('数据质量：统计数字核对、合计核对、未识别名称、疑似重复机构 / data quality: figures, totals, unresolved names, likely duplicates');

  quality
    .command('summary', { isDefault: true })
    .description('各部分的条数（默认） / how many items each part holds (the default)')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { json?: boolean }) => {
        const s = await rt.withStore((ctx) => qualitySummary(ctx));
        if (opts.json) return rt.printJson(s);
        rt.print(`统计数字不符 / figures disagreeing: ${s.facts}`);
        rt.print(`合计与明细不符 / totals disagreeing: ${s.totals}`);
        rt.print(`未识别名称 / unresolved names: ${s.unresolved}`);
        rt.print(`疑似重复机构 / likely duplicates: ${s.duplicates.found}${s.duplicates.complete ? '' : '（仅前一页 / first page only）'}`);
      }),
    );

  quality
    .command('facts')
    .description('与登记数据不符的统计数字 / stated figures that disagree with the registries')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { json?: boolean }) => {
        const res = await rt.withStore((ctx) => qualityFacts(ctx));
        if (opts.json) return rt.printJson(res);
        for (const i of res.items) {
          rt.print(`[${i.code}] ${i.message}`);
          rt.print(`    ${i.message_en}`);
          rt.print(`    导入 import ${i.import_id ?? '—'} ${i.file_name ?? ''}，行 rows ${rows(i.rows)}`);
        }
        if (!res.items.length) rt.print('无 / none');
      }),
    );

  quality
    .command('totals')
    .description('合计与明细不符的文件 / files whose totals disagree with their details')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { json?: boolean }) => {
        const res = await rt.withStore((ctx) => qualityTotals(ctx));
        if (opts.json) return rt.printJson(res);
        for (const i of res.items) rt.print(`导入 import ${i.import_id} ${i.file_name} 第 ${i.row} 行 row「${i.column}」：${i.message} / ${i.message_en}`);
        if (!res.items.length) rt.print('无 / none');
      }),
    );

  quality
    .command('unresolved')
    .description('未能识别的名称 / names the imports could not resolve')
    .option('--kind <kind>', `类别 / kind: ${UNRESOLVED_KINDS.join(', ')}`)
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { kind?: string; json?: boolean }) => {
        if (opts.kind !== undefined && !(UNRESOLVED_KINDS as readonly string[]).includes(opts.kind)) {
          throw new UsageError(`--kind 应为 ${UNRESOLVED_KINDS.join('、')} 之一：${opts.kind}`, `--kind must be one of ${UNRESOLVED_KINDS.join(', ')}: ${opts.kind}`);
        }
        const res = await rt.withStore((ctx) => qualityUnresolved(ctx, { kind: opts.kind as UnresolvedKind | undefined }));
        if (opts.json) return rt.printJson(res);
        for (const i of res.items) {
          rt.print(`${i.kind}\t${i.name}\t${i.occurrences} 次 times\t${i.imports.map((m) => `导入 import ${m.import_id}（${m.file_name}）行 rows ${rows(m.rows)}`).join('；')}`);
        }
        if (!res.items.length) rt.print('无 / none');
        for (const t of res.truncated) rt.print(`注意 / note: 导入 import ${t.import_id} 记录了 ${t.issue_count} 条问题，只保存前 ${t.kept} 条 / logged ${t.issue_count} issues, kept the first ${t.kept}`);
      }),
    );

  quality
    .command('duplicates')
    .description('疑似重复的机构 / likely duplicate organisations')
    .option('--after <id>', '从该机构编号之后开始检查 / look from organisations after this id')
    .option('--budget <n>', '本页检查的机构数 / organisations looked from', '5000')
    .option('--limit <n>', '返回的对数 / pairs shown', '200')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { after?: string; budget: string; limit: string; json?: boolean }) => {
        const q = { after: int(opts.after, '--after', 0, Number.MAX_SAFE_INTEGER), budget: int(opts.budget, '--budget', 1, 100_000), limit: int(opts.limit, '--limit', 1, 5000) };
        const res = await rt.withStore((ctx) => qualityDuplicates(ctx, q));
        if (opts.json) return rt.printJson(res);
        for (const i of res.items) {
          rt.print(`${i.similarity}\t${i.a.id} ${i.a.name} (${i.a.country_iso3 ?? '—'}, 导入 import ${i.a.import_id ?? '—'})\t≈\t${i.b.id} ${i.b.name} (${i.b.country_iso3 ?? '—'}, 导入 import ${i.b.import_id ?? '—'})`);
        }
        if (!res.items.length) rt.print('无 / none');
        if (res.next_after !== null) rt.print(`继续 / continue: innolink quality duplicates --after ${res.next_after}`);
      }),
    );
};
