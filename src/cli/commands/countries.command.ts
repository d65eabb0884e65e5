/**
 * `innolink countries resolve NAME… [--json]` and `innolink countries list [--group BRI] [--json]`.
 * With --json, exactly one JSON object goes to stdout (the same shapes as the HTTP API).
 */
import type { CommandModule } from '../cli.ts';
import { action, UsageError } from '../cli.ts';
import { listCountries, resolveCountryNames } from '../../modules/countries/countries.service.ts';

const MATCH_ZH: Record<string, string> = { exact: '精确', alias: '别名', fuzzy: '近似', none: '未识别' };

// East Asian wide characters take two columns in a terminal.
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** A plain-text table with columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i] - width(c))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `innolink countries …`: resolve names, list countries. */
export const countriesCommand: CommandModule = (program, rt) => {
  const countries = program.command('countries').description('国家和地区 / countries and regions');

  countries
    .command('resolve')
    .description('识别国家名称（简称、全称、英文、代码） / resolve country names (short, long, English, codes)')
    .argument('<names...>', '名称 / names')
    .option('--json', '输出一个 JSON 对象 / print one JSON object')
    .action(
      action(rt, async (names: string[], opts: { json?: boolean }) => {
        if (names.length === 0) throw new UsageError('请给出至少一个名称', 'Give at least one name');
        const results = await rt.withStore((ctx) => resolveCountryNames(ctx, names));
        if (opts.json) {
          rt.printJson({ results });
          return;
        }
        rt.print(
          table(
            ['输入 / input', '匹配 / match', 'ISO3', '中文名', 'English', '建议 / suggestions'],
            results.map((r) => [
              r.input,
              `${MATCH_ZH[r.match]} / ${r.match}`,
              r.iso3 ?? '-',
              r.name_zh ?? '-',
              r.name_en ?? '-',
              r.match === 'exact' || r.match === 'alias'
                ? ''
                : r.suggestions.map((s) => `${s.iso3} ${s.name_zh} (${s.score.toFixed(2)})`).join('; '),
            ]),
          ),
        );
      }),
    );

  countries
    .command('list')
    .description('列出国家和地区 / list countries and regions')
    .option('--group <code>', '国家组，如 BRI、RCEP、EU / group code')
    .option('--kind <kind>', 'country 或 region / country or region')
    .option('-q, --query <text>', '按名称、别名或代码搜索 / search')
    .option('--json', '输出一个 JSON 对象 / print one JSON object')
    .action(
      action(rt, async (opts: { group?: string; kind?: string; query?: string; json?: boolean }) => {
        if (opts.kind !== undefined && opts.kind !== 'country' && opts.kind !== 'region') {
          throw new UsageError('--kind 只能是 country 或 region', '--kind must be country or region');
        }
        const list = await rt.withStore((ctx) =>
          listCountries(ctx, { group: opts.group, kind: opts.kind as 'country' | 'region' | undefined, q: opts.query, pageSize: 500 }),
        );
        if (opts.json) {
          rt.printJson({ items: list.items, total: list.total });
          return;
        }
        rt.print(
          table(
            ['ISO3', 'ISO2', '中文名', 'English', '类型 / kind', '国家组 / groups'],
            list.items.map((c) => [c.iso3, c.iso2, c.name_zh, c.name_en, c.kind, c.groups.join(',')]),
          ),
        );
        rt.note(`共 ${list.total} 个 / ${list.total} in total`);
      }),
    );
};
