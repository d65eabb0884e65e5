/**
 * `innolink match` and `innolink market …`: matching from the command line, and the operator's
 * view of demands and offers (list, show, create, submit, review, renew, close, expire) and
 * the follow-up funnel. Same services as the API; the CLI acts as the installation's operator.
 *
 *   innolink match --text "…" [--lang zh|en] [--kind offers|demands|partners|talents] [--top N] --json
 *   innolink match --demand ID [--kind …] [--country DEU,GBR] [--field biomedicine] [--trl-min 4] [--cooperation licence] --json
 *   innolink market list [--kind demand|offer] [--status published] --json
 *   innolink market review ID --decision approve|return|reject [--comment "…"] --json
 *   innolink market funnel [--by field|country|intermediary] --json
 *   innolink market import FILE --as demands|offers [--publish] [--keep-valid] [--dry-run] --json
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { action, EXIT_FAILED, EXIT_OK, UsageError, type CliRuntime, type CommandModule } from '../../cli/cli.ts';
import { IMPORT_KINDS, importProfiles } from './market.import.ts';
import { createFollowup, funnel, moveFollowup } from './market.funnel.ts';
import { matchMarket } from './market.match.ts';
import {
  COOPERATION_TYPES,
  FOLLOWUP_STAGES,
  MATCH_KIND_FLAGS,
  PROFILE_KINDS,
  PROFILE_STATUSES,
  type MatchResponse,
  type ProfileDto,
} from './market.schema.ts';
import {
  closeProfile,
  createProfile,
  expireDueProfiles,
  getProfile,
  listProfiles,
  profileHistory,
  renewProfile,
  reviewProfile,
  submitProfile,
} from './market.service.ts';

type Opts = Record<string, string | boolean | undefined>;
const JSON_OPT = ['--json', '输出 JSON / print JSON'] as const;

function intOpt(v: unknown, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < min || n > max) throw new UsageError(`${flag} 应为 ${min}–${max} 的整数：${s}`, `${flag} must be an integer in ${min}–${max}: ${s}`);
  return n;
}

function oneOf<T extends string>(v: unknown, flag: string, values: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!(values as readonly string[]).includes(s)) throw new UsageError(`${flag} 应为 ${values.join('、')} 之一：${s}`, `${flag} must be one of ${values.join(', ')}: ${s}`);
  return s as T;
}

function listOpt<T extends string>(v: unknown, flag: string, values?: readonly T[]): string[] | undefined {
  if (v === undefined) return undefined;
  const items = String(v)
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} 不能为空`, `${flag} must not be empty`);
  if (values) for (const i of items) oneOf(i, flag, values);
  return items;
}

function printMatches(rt: CliRuntime, out: MatchResponse) {
  if (out.results.length === 0) rt.print('没有匹配结果 / no matches');
  const KIND = { offer: '成果/offer', demand: '需求/demand', partner: '机构/partner', talent: '人才/talent' } as const;
  out.results.forEach((r, i) => {
    rt.print(`${i + 1}. [${KIND[r.kind]} ${r.id}] ${r.title}  (${r.score})`);
    for (const x of r.reasons) rt.print(`     - ${x.detail_zh} / ${x.detail_en}`);
  });
}

function printProfile(rt: CliRuntime, p: ProfileDto) {
  rt.print(`${p.id}\t${p.kind === 'demand' ? '需求/demand' : '成果/offer'}\t${p.status_zh}/${p.status_en}\t${p.title_zh ?? p.title_en}${p.title_zh && p.title_en ? ` / ${p.title_en}` : ''}`);
}

export const marketCommands: CommandModule = (program, rt) => {
  program
    .command('match')
    .description('技术需求、成果、合作机构与人才的中英文匹配 / match demands, offers, partners and talents across Chinese and English')
    .option('--text <text>', '需求或成果的描述（中文或英文） / a description in Chinese or English')
    .option('--demand <id>', '以已存的技术需求匹配 / match from a stored demand')
    .option('--offer <id>', '以已存的技术成果匹配 / match from a stored offer')
    .option('--lang <lang>', '结果标题的语言 zh|en / language of the result titles')
    .option('--kind <kind>', `匹配对象 / what to match: ${MATCH_KIND_FLAGS.join('|')}（可逗号分隔 / comma-separated）`)
    .option('--top <n>', '返回条数（默认 10） / number of results (default 10)')
    .option('--country <iso3>', '国别 ISO3，可逗号分隔 / partner countries')
    .option('--field <code>', '技术领域代码 / technology field codes')
    .option('--trl-min <n>', '最低成熟度 TRL / lowest TRL')
    .option('--trl-max <n>', '最高成熟度 TRL / highest TRL')
    .option('--cooperation <types>', `合作方式 / cooperation: ${COOPERATION_TYPES.join(', ')}`)
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const given = ['text', 'demand', 'offer'].filter((k) => opts[k] !== undefined);
        if (given.length !== 1) throw new UsageError('请给出 --text、--demand 或 --offer 之一', 'Give exactly one of --text, --demand or --offer');
        const input = {
          ...(opts.text !== undefined ? { text: String(opts.text) } : {}),
          ...(opts.demand !== undefined ? { demand: intOpt(opts.demand, '--demand', 1, Number.MAX_SAFE_INTEGER) } : {}),
          ...(opts.offer !== undefined ? { offer: intOpt(opts.offer, '--offer', 1, Number.MAX_SAFE_INTEGER) } : {}),
          lang: oneOf(opts.lang, '--lang', ['zh', 'en'] as const),
          kind: listOpt(opts.kind, '--kind', MATCH_KIND_FLAGS),
          top: intOpt(opts.top, '--top', 1, 100),
          country: listOpt(opts.country, '--country'),
          field: listOpt(opts.field, '--field'),
          trl_min: intOpt(opts.trlMin, '--trl-min', 1, 9),
          trl_max: intOpt(opts.trlMax, '--trl-max', 1, 9),
          cooperation: listOpt(opts.cooperation, '--cooperation', COOPERATION_TYPES),
        };
        const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        const out = await rt.withStore((ctx) => matchMarket(ctx, clean));
        if (opts.json) rt.printJson(out);
        else printMatches(rt, out);
      }),
    );

  const market = program.command('market').description('技术需求与成果、审核与对接跟踪 / demands and offers, review and follow-up');

  market
    .command('list')
    .description('列出技术需求与成果 / list demands and offers')
    .option('--kind <kind>', 'demand | offer')
    .option('--status <status>', PROFILE_STATUSES.join(' | '))
    .option('--page <n>', '页码 / page')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const q = {
          kind: oneOf(opts.kind, '--kind', PROFILE_KINDS),
          status: oneOf(opts.status, '--status', PROFILE_STATUSES),
          page: intOpt(opts.page, '--page', 1, 100000) ?? 1,
          pageSize: 100,
        };
        const out = await rt.withStore((ctx) => listProfiles(ctx, Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined))));
        if (opts.json) return rt.printJson(out);
        for (const p of out.items) printProfile(rt, p);
        rt.print(`共 ${out.total} 条 / ${out.total} in all`);
      }),
    );

  market
    .command('show')
    .description('查看一条需求或成果及其审核记录 / show a profile and its workflow history')
    .argument('<id>', '编号 / id')
    .option(...JSON_OPT)
    .action(
      action(rt, async (id: string, opts: Opts) => {
        const n = intOpt(id, 'id', 1, Number.MAX_SAFE_INTEGER)!;
        const out = await rt.withStore(async (ctx) => ({ ...(await getProfile(ctx, n)), history: await profileHistory(ctx, n) }));
        if (opts.json) return rt.printJson(out);
        printProfile(rt, out);
        for (const h of out.history) rt.print(`  ${h.at} ${h.actor}: ${h.action} ${h.from_status ?? '-'} → ${h.to_status}${h.comment ? `（${h.comment}）` : ''}`);
      }),
    );

  market
    .command('create')
    .description('新建技术需求或成果（草稿） / create a demand or an offer (draft)')
    .requiredOption('--kind <kind>', 'demand | offer')
    .option('--title-zh <text>', '中文标题 / Chinese title')
    .option('--title-en <text>', '英文标题 / English title')
    .option('--summary-zh <text>', '中文简介 / Chinese summary')
    .option('--summary-en <text>', '英文简介 / English summary')
    .option('--field <code>', '技术领域代码 / field code')
    .option('--trl <n>', '成熟度 1–9 / TRL')
    .option('--cooperation <types>', `合作方式 / cooperation: ${COOPERATION_TYPES.join(', ')}`)
    .option('--org <id>', '机构编号 / organisation id')
    .option('--country <iso3>', '国别 ISO3 / country')
    .option('--expires <date>', '有效期至 YYYY-MM-DD / expiry date')
    .option('--submit', '创建后提交审核 / submit for review at once')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const input = {
          kind: oneOf(opts.kind, '--kind', PROFILE_KINDS),
          title_zh: opts.titleZh,
          title_en: opts.titleEn,
          summary_zh: opts.summaryZh,
          summary_en: opts.summaryEn,
          field: opts.field,
          trl: intOpt(opts.trl, '--trl', 1, 9),
          cooperation: listOpt(opts.cooperation, '--cooperation', COOPERATION_TYPES),
          org_id: intOpt(opts.org, '--org', 1, Number.MAX_SAFE_INTEGER),
          country_iso3: opts.country,
          expires_on: opts.expires,
        };
        const out = await rt.withStore(async (ctx) => {
          const p = await createProfile(ctx, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
          return opts.submit ? submitProfile(ctx, p.id) : p;
        });
        if (opts.json) return rt.printJson(out);
        printProfile(rt, out);
      }),
    );

  const workflow = (name: string, zh: string, en: string, setup: (c: Command) => Command, run: (ctx: Parameters<Parameters<CliRuntime['withStore']>[0]>[0], id: number, opts: Opts) => Promise<ProfileDto>) =>
    setup(market.command(name).description(`${zh} / ${en}`).argument('<id>', '编号 / id'))
      .option(...JSON_OPT)
      .action(
        action(rt, async (id: string, opts: Opts) => {
          const n = intOpt(id, 'id', 1, Number.MAX_SAFE_INTEGER)!;
          const out = await rt.withStore((ctx) => run(ctx, n, opts));
          if (opts.json) return rt.printJson(out);
          printProfile(rt, out);
        }),
      );

  workflow('submit', '提交审核', 'submit for review', (c) => c, (ctx, id) => submitProfile(ctx, id));
  workflow(
    'review',
    '审核：通过发布、退回修改或不通过',
    'review: approve, return with comments, or reject',
    (c) => c.requiredOption('--decision <d>', 'approve | return | reject').option('--comment <text>', '审核意见 / comment'),
    (ctx, id, o) => reviewProfile(ctx, id, { decision: oneOf(o.decision, '--decision', ['approve', 'return', 'reject'] as const), ...(o.comment ? { comment: String(o.comment) } : {}) }),
  );
  workflow('renew', '续期', 'renew', (c) => c.requiredOption('--until <date>', 'YYYY-MM-DD'), (ctx, id, o) => renewProfile(ctx, id, { expires_on: String(o.until) }));
  workflow('close', '关闭', 'close', (c) => c.requiredOption('--reason <text>', '原因 / reason'), (ctx, id, o) => closeProfile(ctx, id, { reason: String(o.reason) }));

  market
    .command('import')
    .description('从表格导入技术需求或成果（CSV/XLSX） / import demands or offers from a table')
    .argument('<file>', '文件路径 / file path')
    .requiredOption('--as <kind>', IMPORT_KINDS.join(' | '))
    .option('--publish', '直接发布（管理人员） / publish at once (officers)')
    .option('--keep-valid', '跳过有错误的行，导入其余 / import the valid rows, skip the others')
    .option('--dry-run', '只检查不写入 / check only, write nothing')
    .option(...JSON_OPT)
    .action(
      action(rt, async (file: string, opts: Opts) => {
        const kind = oneOf(opts.as, '--as', IMPORT_KINDS)!;
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`文件不存在：${file}`, `No such file: ${file}`);
        const out = await rt.withStore((ctx) =>
          importProfiles(ctx, { fileName: path.basename(file), path: file }, { kind, publish: Boolean(opts.publish), keepValid: Boolean(opts.keepValid), dryRun: Boolean(opts.dryRun) }),
        );
        if (opts.json) rt.printJson(out);
        else {
          rt.print(`${out.ok ? '✔' : '✘'} 读取 / read ${out.rows.read}  导入 / imported ${out.rows.imported}  拒绝 / rejected ${out.rows.rejected}`);
          for (const i of out.issues) rt.print(`  [${i.severity === 'error' ? '错误' : '警告'} ${i.code}] 第 ${i.row} 行 / row ${i.row} ${i.column}: ${i.message} / ${i.message_en}`);
        }
        rt.setExitCode(out.ok ? EXIT_OK : EXIT_FAILED);
      }),
    );

  market
    .command('expire')
    .description('将过期的已发布需求/成果设为已过期 / expire published profiles past their date')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const expired = await rt.withStore((ctx) => expireDueProfiles(ctx));
        if (opts.json) return rt.printJson({ expired });
        rt.print(`已过期 / expired: ${expired.length}${expired.length ? `（${expired.join(', ')}）` : ''}`);
      }),
    );

  market
    .command('interest')
    .description('表达合作意向（跟踪一个匹配） / follow a match up (expression of interest)')
    .requiredOption('--target <kind:id>', '匹配对象，如 offer:12、partner:5 / the matched record')
    .option('--profile <id>', '匹配来源的需求或成果 / the demand or offer the match came from')
    .option('--org <id>', '表达意向的机构 / the organisation')
    .option('--intermediary <id>', '技术转移服务机构 / the intermediary')
    .option('--note <text>', '说明 / note')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const m = /^(offer|demand|partner|talent):(\d+)$/.exec(String(opts.target));
        if (!m) throw new UsageError(`--target 应为 类型:编号（如 offer:12）：${String(opts.target)}`, `--target must be kind:id (e.g. offer:12): ${String(opts.target)}`);
        const input = {
          target_kind: m[1],
          target_id: Number(m[2]),
          profile_id: intOpt(opts.profile, '--profile', 1, Number.MAX_SAFE_INTEGER),
          org_id: intOpt(opts.org, '--org', 1, Number.MAX_SAFE_INTEGER),
          intermediary_org_id: intOpt(opts.intermediary, '--intermediary', 1, Number.MAX_SAFE_INTEGER),
          note: opts.note,
        };
        const out = await rt.withStore((ctx) => createFollowup(ctx, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))));
        if (opts.json) return rt.printJson(out);
        rt.print(`✔ 对接记录 / follow-up ${out.id}: ${out.target_kind}:${out.target_id} — ${out.stage}`);
      }),
    );

  market
    .command('stage')
    .description('推进对接阶段或终止 / move a follow-up forward, or drop it')
    .argument('<followup>', '对接记录编号 / follow-up id')
    .requiredOption('--to <stage>', [...FOLLOWUP_STAGES, 'dropped'].join(' | '))
    .option('--reason <text>', '终止原因 / why it was dropped')
    .option('--outcome <o>', 'licence | contract | joint_project | investment | acquisition | other')
    .option('--project <id>', '由此产生的项目 / project that came of it')
    .option('--output <id>', '由此产生的成果 / output that came of it')
    .option('--note <text>', '说明 / note')
    .option(...JSON_OPT)
    .action(
      action(rt, async (id: string, opts: Opts) => {
        const input = {
          stage: oneOf(opts.to, '--to', [...FOLLOWUP_STAGES, 'dropped'] as const),
          dropped_reason: opts.reason,
          outcome: opts.outcome,
          project_id: intOpt(opts.project, '--project', 1, Number.MAX_SAFE_INTEGER),
          output_id: intOpt(opts.output, '--output', 1, Number.MAX_SAFE_INTEGER),
          note: opts.note,
        };
        const n = intOpt(id, 'followup', 1, Number.MAX_SAFE_INTEGER)!;
        const out = await rt.withStore((ctx) => moveFollowup(ctx, n, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))));
        if (opts.json) return rt.printJson(out);
        rt.print(`✔ 对接记录 / follow-up ${out.id}: ${out.stage}`);
      }),
    );

  market
    .command('funnel')
    .description('对接漏斗 / the follow-up funnel')
    .option('--by <dim>', 'field | country | intermediary')
    .option('--from <date>', 'YYYY-MM-DD')
    .option('--to <date>', 'YYYY-MM-DD')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Opts) => {
        const q = { by: oneOf(opts.by, '--by', ['field', 'country', 'intermediary'] as const), from: opts.from, to: opts.to };
        const out = await rt.withStore((ctx) => funnel(ctx, Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined))));
        if (opts.json) return rt.printJson(out);
        for (const s of out.stages) rt.print(`${s.label_zh} / ${s.label_en}: ${s.reached}（当前 / now ${s.current}）`);
        for (const g of out.groups)
          rt.print(`  ${g.label_zh}: ${['shown', 'interest', 'contact', 'meeting', 'negotiation', 'agreement', 'dropped'].map((k) => g.counts[k as keyof typeof g.counts]).join(' → ')}`);
        for (const t of out.time_in_stage) if (t.entries) rt.print(`  ${t.stage}: 平均 / mean ${t.mean_days} 天/days, 中位数 / median ${t.median_days}`);
      }),
    );
};
