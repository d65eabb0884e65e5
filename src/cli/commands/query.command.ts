/**
 * `innolink query funding --by DIM[,DIM] [--from Y] [--to Y] [--where k=v]… [--json] [--export FILE]`.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { exportStream } from '../../modules/exports/export.ts';
import { parseDimensions, parseWhere, queryFunding } from '../../modules/query/funding.service.ts';
import { action, UsageError, type CommandModule } from '../cli.ts';

const DIM_LABEL: Record<string, string> = {
  year: '年份 / Year',
  region: '地区 / Region',
  country: '国别 / Country',
  level: '层级 / Level',
  field: '技术领域 / Field',
  mode: '合作方式 / Mode',
  project: '项目 / Project',
  source: '来源 / Source',
  industry: '产业 / Industry',
};

function year(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}$/.test(v)) throw new UsageError(`${flag} 应为四位年份：${v}`, `${flag} must be a four-digit year: ${v}`);
  return Number(v);
}

export const queryCommand: CommandModule = (program, rt) => {
  const query = program.command('query').description('查询与汇总 / queries');
  query
    .command('funding')
    .description('经费汇总 / funding by dimensions')
    .requiredOption('--by <dims>', '汇总维度 / dimensions: year,region,country,level,field,mode,project')
    .option('--from <year>', '起始年 / from year')
    .option('--to <year>', '截止年 / to year')
    .option('--where <cond>', '条件 键=值，可重复 / condition key=value, repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--currency <code>', '币种 / currency', 'CNY')
    .option('--export <file>', '导出为 CSV 或 XLSX 文件 / export to a .csv or .xlsx file')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { by: string; from?: string; to?: string; where: string[]; currency: string; export?: string; json?: boolean }) => {
        let by;
        let where;
        try {
          by = parseDimensions(opts.by);
          where = parseWhere(opts.where);
        } catch (e) {
          const err = e as { messageZh: string; messageEn: string };
          throw new UsageError(err.messageZh, err.messageEn);
        }
        const from = year(opts.from, '--from');
        const to = year(opts.to, '--to');
        const result = await rt.withStore((ctx) => queryFunding(ctx, { by, from, to, where, currency: opts.currency }));
        if (opts.export) {
          const format = opts.export.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx';
          const columns = [
            ...by.map((d) => ({ key: d, header: DIM_LABEL[d] })),
            { key: 'amount', header: `金额（${result.unit}） / Amount (${result.currency} 10k)` },
            { key: 'records', header: '记录数 / Records' },
          ];
          await pipeline(exportStream(format, '经费汇总', columns, result.rows), fs.createWriteStream(opts.export));
          rt.note(`已导出 / exported: ${opts.export}`);
        }
        if (opts.json) {
          rt.printJson(result);
          return;
        }
        const header = [...by.map((d) => DIM_LABEL[d]), `金额 Amount (${result.unit})`, '记录 Records'];
        rt.print(header.join('\t'));
        for (const r of result.rows) rt.print([...by.map((d) => r[d] ?? '（空）'), r.amount, r.records].join('\t'));
        rt.print(`合计 / Total\t${'\t'.repeat(by.length - 1)}${result.total}\t${result.records}`);
      }),
    );
};
