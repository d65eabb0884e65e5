/**
 * `innolink query dashboard | map | participations`, added to the `query` group:
 *
 *   innolink query dashboard [--region 常州] [--from Y --to Y] [--thresholds 2000,1000 | --quantiles 3] [--top 10] --json
 *   innolink query map [--region R] [--from Y --to Y] --json
 *   innolink query participations --by year|country|role|region|programme|field[,…] [--where k=v]… [--participant CN] --json
 */
import type { Command } from 'commander';
import { UsageError, action, type CliRuntime } from '../../cli/cli.ts';
import { isAppError } from '../../errors.ts';
import { NETWORK_WEIGHTS, parseThresholds } from './analytics.service.ts';
import type { NetworkWeight } from './analytics.network.ts';
import { queryDashboard, queryMap, type DashboardSource } from './dashboard.service.ts';
import { PARTICIPATION_CONDITIONS, parseParticipationDimensions, queryParticipations } from './participations.service.ts';

const repeatable = (v: string, acc: string[]) => [...acc, v];

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isAppError(e) && !(e instanceof UsageError)) throw new UsageError(e.messageZh, e.messageEn);
    throw e;
  }
}

function year(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}$/.test(v)) throw new UsageError(`${flag} 应为四位年份：${v}`, `${flag} must be a four-digit year: ${v}`);
  return Number(v);
}

function int(v: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} 应为${min}至${max}的整数：${v}`, `${flag} must be an integer from ${min} to ${max}: ${v}`);
  return n;
}

function source(v: string | undefined): DashboardSource | undefined {
  if (v === undefined) return undefined;
  if (v !== 'aggregates' && v !== 'tables') throw new UsageError(`--source 应为 aggregates 或 tables：${v}`, `--source must be aggregates or tables: ${v}`);
  return v;
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: 4 }));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** Registers the three commands under `query`. */
export function dashboardCommands(query: Command, rt: CliRuntime): void {
  query
    .command('dashboard')
    .description('地区看板：经费分布、方阵、集中度、地图、合作网络 / region dashboard: funding breakdowns, tiers, concentration, map, network')
    .option('--region <name>', '地区 / region (name, short name or code)')
    .option('--from <year>', '起始年 / from year')
    .option('--to <year>', '截止年 / to year')
    .option('--currency <code>', '币种 / currency', 'CNY')
    .option('--thresholds <list>', '地区分档阈值（万元），如 2000,1000 / tier thresholds')
    .option('--quantiles <k>', '按分位数分为 k 档（默认 3） / k quantile tiers (default 3)')
    .option('--top <n>', '集中度前N位国家 / top N countries', '10')
    .option('--weight <w>', '网络边权 / network edge weight: projects | participations', 'projects')
    .option('--nodes <n>', '列出中心性最高的节点数 / most central nodes listed', '10')
    .option('--source <s>', '数据来源 / read: aggregates (default) | tables')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: Record<string, string | boolean | undefined>) => {
        const str = (k: string) => opts[k] as string | undefined;
        if (str('thresholds') !== undefined && str('quantiles') !== undefined) {
          throw new UsageError('--thresholds 与 --quantiles 只能给出一个', 'Give --thresholds or --quantiles, not both');
        }
        const weight = String(opts.weight);
        if (!(NETWORK_WEIGHTS as readonly string[]).includes(weight)) throw new UsageError(`--weight 应为 ${NETWORK_WEIGHTS.join('、')} 之一：${weight}`, `--weight must be one of ${NETWORK_WEIGHTS.join(', ')}: ${weight}`);
        const q = {
          region: str('region'),
          from: year(str('from'), '--from'),
          to: year(str('to'), '--to'),
          currency: str('currency'),
          thresholds: str('thresholds') === undefined ? undefined : usage(() => parseThresholds(str('thresholds')!)),
          quantiles: int(str('quantiles'), '--quantiles', 2, 20),
          top: int(str('top'), '--top', 1, 1000),
          weight: weight as NetworkWeight,
          nodes: int(str('nodes'), '--nodes', 0, 1000),
          source: source(str('source')),
        };
        const d = await rt.withStore((ctx) => queryDashboard(ctx, q));
        if (opts.json) return rt.printJson(d);
        const where = d.region ? d.region.regions.map((r) => r.name).join('、') : '全部地区 / all regions';
        rt.print(`${where}  ${d.from ?? '…'}–${d.to ?? '…'}  (${d.unit}, ${d.currency}; ${d.source})`);
        rt.print('按年份 / by year:    ' + d.by_year.map((r) => `${r.year ?? '—'} ${fmt(r.amount)}`).join('  '));
        rt.print('按地区 / by region:  ' + d.by_region.map((r) => `${r.region ?? '未归属'} ${fmt(r.amount)}`).join('  '));
        rt.print('按国别 / by country: ' + d.by_country.slice(0, 15).map((r) => `${r.country ?? '未归属'} ${fmt(r.amount)}`).join('  '));
        rt.print('按领域 / by field:   ' + d.by_field.slice(0, 15).map((r) => `${r.field ?? '未归属'} ${fmt(r.amount)}`).join('  '));
        for (const t of d.tiers.tiers) rt.print(`方阵 Tier ${t.tier} [${fmt(t.min)}, ${fmt(t.max)}): ${t.members.map((m) => m.region).join('、') || '—'}`);
        const c = d.concentration;
        rt.print(`集中度 / concentration: 前${c.top}位 top-${c.top} ${pct(c.topShare)}  HHI ${fmt(c.hhi)}  Gini ${fmt(c.gini)}  (${c.n} 国 countries)`);
        rt.print(`合作网络 / network: ${d.network.nodes} 国 nodes, ${d.network.edges} 边 edges, ${d.network.projects} 项目 projects`);
        for (const n of d.network.top) rt.print(`  ${n.id}\t${n.label ?? ''}\t度 degree ${n.degree}\t特征向量 eigenvector ${n.eigenvector}`);
      }),
    );

  query
    .command('map')
    .description('世界地图数据：按国家的项目、参与、经费 / world map: projects, participations and funding by country')
    .option('--region <name>', '地区 / region')
    .option('--from <year>', '起始年 / from year')
    .option('--to <year>', '截止年 / to year')
    .option('--currency <code>', '币种 / currency', 'CNY')
    .option('--source <s>', '数据来源 / read: aggregates (default) | tables')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: Record<string, string | boolean | undefined>) => {
        const str = (k: string) => opts[k] as string | undefined;
        const m = await rt.withStore((ctx) =>
          queryMap(ctx, { region: str('region'), from: year(str('from'), '--from'), to: year(str('to'), '--to'), currency: str('currency'), source: source(str('source')) }),
        );
        if (opts.json) return rt.printJson(m);
        rt.print(['ISO3', '国家 Country', '项目 Projects', '参与 Participations', `经费 Funding (${m.unit})`].join('\t'));
        for (const c of m.countries) rt.print([c.iso3, `${c.name_zh ?? ''} ${c.name_en ?? ''}`.trim(), c.projects, c.participations, fmt(c.funding)].join('\t'));
      }),
    );

  query
    .command('participations')
    .description('参与情况分组统计 / participations by year, country, role, region, programme or field')
    .requiredOption('--by <dims>', '一至两个维度 / one or two of: year, country, role, region, programme, field')
    .option('--where <cond>', `条件 键=值，可重复 / condition key=value, repeatable (${PARTICIPATION_CONDITIONS.join(', ')})`, repeatable, [] as string[])
    .option('--participant <country>', '只计该国的参与 / count only this country’s participations')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { by: string; where: string[]; participant?: string; json?: boolean }) => {
        const by = usage(() => parseParticipationDimensions(opts.by));
        const where: Record<string, string> = {};
        for (const item of opts.where) {
          const i = item.indexOf('=');
          if (i <= 0) throw new UsageError(`条件格式应为 键=值：${item}`, `A condition must be key=value: ${item}`);
          const key = item.slice(0, i).trim();
          if (!(PARTICIPATION_CONDITIONS as readonly string[]).includes(key)) {
            throw new UsageError(`--where 的键应为 ${PARTICIPATION_CONDITIONS.join('、')} 之一：${key}`, `--where keys are ${PARTICIPATION_CONDITIONS.join(', ')}: ${key}`);
          }
          where[key] = item.slice(i + 1).trim();
        }
        const res = await rt.withStore((ctx) => queryParticipations(ctx, { by, where, participant: opts.participant }));
        if (opts.json) return rt.printJson(res);
        rt.print([...by, '项目 Projects', '参与 Participations', '经费贡献 Contribution'].join('\t'));
        for (const r of res.rows) rt.print([...by.map((d) => (d === 'country' ? `${r.country ?? '—'} ${r.country_zh ?? ''}` : String(r[d] ?? '—'))), r.projects, r.participations, fmt(r.contribution as number | null)].join('\t'));
        rt.print(`合计 Total\t${res.totals.projects}\t${res.totals.participations}\t${fmt(res.totals.contribution)}`);
      }),
    );
}
