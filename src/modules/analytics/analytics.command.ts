/**
 * `innolink query tiers | concentration | trends | network | strategy`: the analyses, added to
 * the `query` command group (registered after it).
 *
 *   innolink query tiers --by region --measure amount --thresholds 2000,1000 [--districts-only] --json
 *   innolink query tiers --by region --quantiles 3 --json
 *   innolink query concentration --by country --top 10 [--from Y --to Y] [--where k=v]… --json
 *   innolink query trends --by region [--from Y --to Y] [--cv-threshold 0.5] --json
 *   innolink query concentration --by country --measure participations|partner_projects --top 10 --json
 *   innolink query network --level country|organization [--weight projects|participations] [--where k=v]… [--links [--link-nodes 80]] --json
 *   innolink query strategy [--group BRI] [--all] [--rules rules.json] --json
 *   innolink query dashboard | map | participations … (dashboard.command.ts)
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { action, UsageError, type CliRuntime, type CommandModule } from '../../cli/cli.ts';
import { AppError, isAppError } from '../../errors.ts';
import { parseDimensions, parseWhere } from '../query/funding.service.ts';
import {
  CONCENTRATION_MEASURES,
  LINK_NODES_DEFAULT,
  LINK_NODES_MAX,
  MEASURE_LABELS,
  MEASURES,
  NETWORK_CONDITIONS,
  NETWORK_LEVELS,
  NETWORK_WEIGHTS,
  parseThresholds,
  queryConcentration,
  queryNetwork,
  queryStrategy,
  queryTiers,
  queryTrends,
  type Measure,
  type NetworkLevel,
  type UnitQuery,
} from './analytics.service.ts';
import type { NetworkWeight } from './analytics.network.ts';
import { strategyRulesSchema, type StrategyRules } from './analytics.strategy.ts';
import { dashboardCommands } from './dashboard.command.ts';

interface UnitOpts {
  by: string;
  measure: string;
  from?: string;
  to?: string;
  where: string[];
  currency: string;
  districtsOnly?: boolean;
  json?: boolean;
}

const repeatable = (v: string, acc: string[]) => [...acc, v];

/** Runs a parser, turning its refusal into bad usage (exit 2). */
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

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} 应为 ${allowed.join('、')} 之一：${value}`, `${flag} must be one of ${allowed.join(', ')}: ${value}`);
  }
  return value as T;
}

function unitQuery<M extends string>(opts: UnitOpts, measures: readonly M[]): Omit<UnitQuery, 'measure'> & { measure: M } {
  const dims = usage(() => parseDimensions(opts.by));
  if (dims.length !== 1) throw new UsageError('--by 只能指定一个维度', '--by takes exactly one dimension');
  if (opts.districtsOnly && dims[0] !== 'region') throw new UsageError('--districts-only 只适用于 --by region', '--districts-only applies only with --by region');
  return {
    by: dims[0],
    measure: oneOf<M>(opts.measure, measures, '--measure'),
    from: year(opts.from, '--from'),
    to: year(opts.to, '--to'),
    where: usage(() => parseWhere(opts.where)),
    currency: opts.currency,
    districtsOnly: opts.districtsOnly,
  };
}

function unitOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--by <dim>', '分组维度 / dimension: region, country, level, field, mode, project, source, industry, year')
    .option('--measure <m>', '度量 / measure: amount (万元), projects, records', 'amount')
    .option('--from <year>', '起始年 / from year')
    .option('--to <year>', '截止年 / to year')
    .option('--where <cond>', '条件 键=值，可重复 / condition key=value, repeatable', repeatable, [] as string[])
    .option('--currency <code>', '币种 / currency', 'CNY')
    .option('--districts-only', '仅辖市区（按地区时不含市直属、园区） / districts only (by region: no city-direct units or parks)')
    .option('--json', '输出 JSON / print JSON');
}

const TIER_ZH = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : String(x));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function strategyRulesFile(file: string): StrategyRules {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`无法读取规则文件（JSON）：${file}：${(e as Error).message}`, `Cannot read the rules file (JSON): ${file}: ${(e as Error).message}`);
  }
  const parsed = strategyRulesSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      'BAD_USAGE',
      400,
      `规则文件不符合要求：${file}`,
      `The rules file is not valid: ${file}`,
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message, message_en: i.message })),
    );
  }
  return parsed.data;
}

export const analyticsCommands: CommandModule = (program, rt) => {
  const query = program.commands.find((c) => c.name() === 'query');
  if (!query) throw new Error('analytics commands need the query command group: register them after it');
  tiersCommand(query, rt);
  concentrationCommand(query, rt);
  trendsCommand(query, rt);
  networkCommand(query, rt);
  strategyCommand(query, rt);
  dashboardCommands(query, rt);
};

function tiersCommand(query: Command, rt: CliRuntime) {
  unitOptions(query.command('tiers').description('方阵分档 / tiers of units by thresholds or quantiles'))
    .option('--thresholds <list>', '分档阈值，如 2000,1000 / thresholds, e.g. 2000,1000')
    .option('--quantiles <k>', '按分位数分为 k 档 / k quantile tiers')
    .action(
      action(rt, async (opts: UnitOpts & { thresholds?: string; quantiles?: string }) => {
        const q = unitQuery(opts, MEASURES);
        if ((opts.thresholds === undefined) === (opts.quantiles === undefined)) {
          throw new UsageError('请给出 --thresholds 或 --quantiles（二者选一）', 'Give --thresholds or --quantiles (one of the two)');
        }
        const thresholds = opts.thresholds === undefined ? undefined : usage(() => parseThresholds(opts.thresholds!));
        let quantiles: number | undefined;
        if (opts.quantiles !== undefined) {
          quantiles = Number(opts.quantiles);
          if (!Number.isInteger(quantiles) || quantiles < 2 || quantiles > 20) {
            throw new UsageError(`--quantiles 应为2至20的整数：${opts.quantiles}`, `--quantiles must be an integer from 2 to 20: ${opts.quantiles}`);
          }
        }
        const result = await rt.withStore((ctx) => queryTiers(ctx, { ...q, thresholds, quantiles }));
        if (opts.json) return rt.printJson(result);
        const measure = q.measure as Measure;
        for (const t of result.tiers) {
          const range = t.max === null ? `≥ ${fmt(t.min)}` : t.min === null ? `< ${t.max}` : `${t.min} – ${t.max}`;
          rt.print(`${TIER_ZH[t.tier - 1] ?? t.tier}级方阵 / Tier ${t.tier} (${range}, ${MEASURE_LABELS[measure].zh} / ${MEASURE_LABELS[measure].en})`);
          for (const m of t.members) rt.print(`  ${m[q.by]}\t${m[measure]}`);
          if (!t.members.length) rt.print('  （无 / none）');
        }
      }),
    );
}

function concentrationCommand(query: Command, rt: CliRuntime) {
  unitOptions(query.command('concentration').description('集中度：前N位占比、HHI、基尼系数 / concentration: top-N share, HHI, Gini'))
    .addHelpText('after', '\n--measure 另可为 participations（参与次数）、partner_projects（合作项目数）：按项目合作方计，按国别即合作国家\n--measure may also be participations or partner_projects: counted on the project partners (by country: the partner countries)')
    .option('--top <n>', '前N位 / top N', '10')
    .action(
      action(rt, async (opts: UnitOpts & { top: string }) => {
        const q = unitQuery(opts, CONCENTRATION_MEASURES);
        const top = Number(opts.top);
        if (!Number.isInteger(top) || top < 1 || top > 1000) throw new UsageError(`--top 应为1至1000的整数：${opts.top}`, `--top must be an integer from 1 to 1000: ${opts.top}`);
        const result = await rt.withStore((ctx) => queryConcentration(ctx, { ...q, top }));
        if (opts.json) return rt.printJson(result);
        rt.print(`单位数 Units: ${result.n}\t前${result.top}位占比 Top-${result.top} share: ${pct(result.topShare)}\tHHI: ${fmt(result.hhi)}\t基尼系数 Gini: ${fmt(result.gini)}`);
        rt.print(['#', q.by, MEASURE_LABELS[result.measure].zh, '占比 Share', '累计 Cumulative'].join('\t'));
        for (const m of result.members) rt.print([m.rank, m[q.by], m[result.measure], pct(m.share as number | null), pct(m.cumulative as number | null)].join('\t'));
        if (result.unassigned) rt.print(`未归属 / unassigned: ${result.unassigned.value} (${result.unassigned.records} 条记录 records)`);
      }),
    );
}

function trendsCommand(query: Command, rt: CliRuntime) {
  unitOptions(query.command('trends').description('趋势与稳定性 / trends and stability'))
    .option('--cv-threshold <x>', '变异系数达到此值视为不稳定 / CV at which a unit is unstable', '0.5')
    .action(
      action(rt, async (opts: UnitOpts & { cvThreshold: string }) => {
        const q = unitQuery(opts, MEASURES);
        const cvThreshold = Number(opts.cvThreshold);
        if (!Number.isFinite(cvThreshold) || cvThreshold <= 0) throw new UsageError(`--cv-threshold 应为正数：${opts.cvThreshold}`, `--cv-threshold must be a positive number: ${opts.cvThreshold}`);
        const result = await rt.withStore((ctx) => queryTrends(ctx, { ...q, cvThreshold }));
        if (opts.json) return rt.printJson(result);
        const o = result.overall;
        rt.print(`合计 Total ${result.years.join(' / ')}: ${o.values.join(', ')}  ${o.pattern} ${o.shape_zh} / ${o.shape}  CAGR ${pct(o.cagr)}  CV ${fmt(o.cv)}`);
        rt.print([q.by, ...result.years, 'CAGR', 'CV', '走势 Moves', '不稳定 Unstable'].join('\t'));
        for (const u of result.units) rt.print([u[q.by], ...u.values, pct(u.cagr), fmt(u.cv), u.pattern, u.unstable ? '是 yes' : ''].join('\t'));
      }),
    );
}

function networkCommand(query: Command, rt: CliRuntime) {
  query
    .command('network')
    .description('合作网络与中心性 / collaboration network with centrality')
    .requiredOption('--level <level>', '层级 / level: country | organization')
    .option('--weight <w>', '边权 / edge weight: projects | participations', 'projects')
    .option('--where <cond>', '条件 键=值，可重复 / condition key=value, repeatable', repeatable, [] as string[])
    .option('--without-lead', '不计牵头方（含默认计入的中国） / leave out the lead side (and the implicit China)')
    .option('--links', '另给出连线（边表） / also give the links (edge list)')
    .option('--link-nodes <n>', `节点多于此数时只给出度最高的这些节点之间的连线 / when there are more nodes, only the links among this many of highest degree`, String(LINK_NODES_DEFAULT))
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { level: string; weight: string; where: string[]; withoutLead?: boolean; links?: boolean; linkNodes: string; json?: boolean }) => {
        const level = oneOf<NetworkLevel>(opts.level, NETWORK_LEVELS, '--level');
        const weight = oneOf<NetworkWeight>(opts.weight, NETWORK_WEIGHTS, '--weight');
        const where = usage(() => parseWhere(opts.where));
        for (const key of Object.keys(where)) oneOf(key, NETWORK_CONDITIONS, '--where');
        const linkNodes = Number(opts.linkNodes);
        if (!/^\d+$/.test(opts.linkNodes) || linkNodes < 1 || linkNodes > LINK_NODES_MAX) {
          throw new UsageError(`--link-nodes 应为1至${LINK_NODES_MAX}的整数：${opts.linkNodes}`, `--link-nodes must be an integer from 1 to ${LINK_NODES_MAX}: ${opts.linkNodes}`);
        }
        const result = await rt.withStore((ctx) => queryNetwork(ctx, { level, weight, where, lead: !opts.withoutLead, links: !!opts.links, linkNodes }));
        if (opts.json) {
          return rt.printJson({
            nodes: result.nodes,
            edges: result.edges,
            level: result.level,
            weight: result.weight,
            projects: result.projects,
            skipped: result.skipped,
            ...(opts.links ? { links: result.links, links_limited_to: result.links_limited_to } : {}),
          });
        }
        rt.print(`节点 Nodes: ${result.nodes.length}\t边 Edges: ${result.edges}\t项目 Projects: ${result.projects}${result.skipped ? `\t未计入 Skipped: ${result.skipped}` : ''}`);
        rt.print(['id', '名称 Name', '度 Degree', '加权度 Weighted', '介数 Betweenness', '特征向量 Eigenvector'].join('\t'));
        for (const n of result.nodes) rt.print([n.id, n.label ?? '', n.degree, n.weighted_degree, n.betweenness, n.eigenvector].join('\t'));
        if (result.links) {
          rt.print(
            result.links_limited_to === null
              ? `连线 Links: ${result.links.length}`
              : `连线 Links: ${result.links.length}（仅度最高的 ${result.links_limited_to} 个节点之间 / only among the ${result.links_limited_to} nodes of highest degree）`,
          );
          rt.print(['source', 'target', '权重 Weight'].join('\t'));
          for (const l of result.links) rt.print([l.source, l.target, l.weight].join('\t'));
        }
      }),
    );
}

function strategyCommand(query: Command, rt: CliRuntime) {
  query
    .command('strategy')
    .description('国别合作策略：引进来、并行、走出去 / country strategy: bring in, both ways, go out')
    .option('--group <code>', '列出该国家组全部成员，如 BRI / list a group, e.g. BRI')
    .option('--all', '另列出有创新水平数据的全部国家 / also every country with an innovation level')
    .option('--rules <file>', '规则文件（JSON） / rules file (JSON)')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: { group?: string; all?: boolean; rules?: string; json?: boolean }) => {
        const rules = opts.rules === undefined ? undefined : strategyRulesFile(opts.rules);
        const result = await rt.withStore((ctx) => queryStrategy(ctx, { group: opts.group, all: opts.all, rules }));
        if (opts.json) return rt.printJson(result);
        rt.print(['ISO3', '国家 Country', '创新水平 Level', '项目 Projects', '经费 Funding', '方向 Direction', '理由 Reason'].join('\t'));
        for (const c of result.countries) {
          rt.print([c.iso3, `${c.name_zh} ${c.name_en}`, c.innovation?.value ?? '—', c.cooperation.projects, c.cooperation.funding, c.direction_zh ?? '—', c.reason_zh].join('\t'));
        }
        rt.print(`区间 Bands: ${result.bands.map((b) => `${b.band ?? '无数据 no data'} ${b.countries}`).join('；')}`);
        for (const u of result.unresolved) {
          rt.print(`未识别为国家 / not a country: ${u.name}（${u.file_name} 第 ${u.row} 行 row${u.suggestions.length ? `；可能相关 possibly ${u.suggestions.map((s) => s.iso3).join(', ')}` : ''}）`);
        }
      }),
    );
}
