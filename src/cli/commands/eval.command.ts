/**
 * `innolink eval run --framework FILE --data FILE [method flags] [--uncertainty N] [--seed S] [--json]`:
 * a composite-indicator run (issue 5) from files, no store needed.
 *
 * Method flags (each overrides the same field of --method):
 *   --method JSON|FILE.json            full engine Methods object (see engine/types.ts)
 *   --normalise minmax|zscore|rank|prank|goalposts|target   [--range LO,HI for minmax]
 *   --weights meta|equal|entropy|critic|pca|ahp:FILE (JSON, or the matrices as CSV/Excel tables)
 *   --aggregate arithmetic|geometric|harmonic|topsis
 *   --impute none|mean|median|groupMean:GROUP|groupMedian:GROUP|panelCarry|panelLinear
 *   --screen THRESHOLD                 drop units below this data availability (0–1)
 *   --treat none|winsorise[:WINMAX]
 *   --no-denominate                    ignore the iMeta Denominator column
 *   --zero-variance error|drop
 *   --uncertainty N [--perturb P]      Monte-Carlo replications; weights × U(1−P, 1+P), P default 0.25
 *   --save [--key K] [--label L]       also store framework, data set and run (indicators.save.ts)
 *
 * The framework file may also be YAML. Commands on stored frameworks and runs (frameworks, show,
 * explain, reproduce, export …) are in src/modules/indicators/indicators.command.ts.
 */
import fs from 'node:fs';
import type { AggregateMethod, AhpMatrix, ImputeMethod, Methods, NormaliseSpec, RunOptions, WeightSpec } from '../../modules/indicators/engine/index.ts';
import { runEval, type EvalOutput } from '../../modules/indicators/eval.service.ts';
import { registerEvalStoreCommands } from '../../modules/indicators/indicators.command.ts';
import { runEvalYaml, saveEvalRun } from '../../modules/indicators/indicators.save.ts';
import { action, EXIT_OK, UsageError, type CommandModule } from '../cli.ts';
import { isAhpTable, parseAhpFile } from '../../modules/indicators/indicators.ahp-file.ts';

const NORMALISE = ['minmax', 'zscore', 'rank', 'prank', 'goalposts', 'target'] as const;
const WEIGHTS = ['meta', 'equal', 'entropy', 'critic', 'pca'] as const;
const AGGREGATE: AggregateMethod[] = ['arithmetic', 'geometric', 'harmonic', 'topsis'];
const IMPUTE: ImputeMethod[] = ['none', 'mean', 'median', 'groupMean', 'groupMedian', 'panelCarry', 'panelLinear'];

type Opts = Record<string, string | boolean | undefined>;

function usage(zh: string, en: string): never {
  throw new UsageError(zh, en);
}

function readJsonArg(flag: string, spec: string): unknown {
  const text = spec.trim().startsWith('{') || spec.trim().startsWith('[') ? spec : fs.existsSync(spec) ? fs.readFileSync(spec, 'utf8') : usage(`${flag}：文件不存在：${spec}`, `${flag}: no such file: ${spec}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    return usage(`${flag} 不是有效的 JSON：${(e as Error).message}`, `${flag} is not valid JSON: ${(e as Error).message}`);
  }
}

function num(flag: string, v: string, check: (n: number) => boolean): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !check(n)) usage(`${flag} 的取值无效：${v}`, `Invalid value for ${flag}: ${v}`);
  return n;
}

function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) usage(`${flag} 的取值无效：${v}（可选：${allowed.join('、')}）`, `Invalid ${flag}: ${v} (one of ${allowed.join(', ')})`);
  return v as T;
}

/**
 * `--weights ahp:FILE` where FILE is a CSV or Excel table of judgements (codes on the first row
 * and column, cells such as 3 and 1/3): read into matrices here, with the table's own coded
 * problems, so the rest reads them as it reads JSON.
 */
export async function withAhpTables(opts: Opts): Promise<Opts> {
  const w = opts.weights;
  if (typeof w !== 'string' || !w.startsWith('ahp:') || !isAhpTable(w.slice(4))) return opts;
  const file = w.slice(4);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) usage(`--weights ahp：文件不存在：${file}`, `--weights ahp: no such file: ${file}`);
  return { ...opts, weights: `ahp:${JSON.stringify(await parseAhpFile({ path: file }))}` };
}

/** Builds the engine's Methods from --method and the single-choice flags. */
export function methodsFromOptions(opts: Opts): { methods: Methods; options: RunOptions } {
  let methods: Methods = {};
  if (typeof opts.method === 'string') {
    const m = readJsonArg('--method', opts.method);
    if (!m || typeof m !== 'object' || Array.isArray(m)) usage('--method 应为 JSON 对象', '--method must be a JSON object');
    methods = { ...(m as Methods) };
  }
  if (opts.denominate === false) methods.denominate = false;
  if (typeof opts.impute === 'string') {
    const [m, group] = opts.impute.split(':');
    const method = oneOf('--impute', m, IMPUTE);
    if ((method === 'groupMean' || method === 'groupMedian') && !group) usage(`--impute ${method} 需要分组列：${method}:GROUP`, `--impute ${method} needs a group column: ${method}:GROUP`);
    methods.impute = { method, ...(group ? { group } : {}) };
  }
  if (typeof opts.screen === 'string') methods.screen = { threshold: num('--screen', opts.screen, (n) => n >= 0 && n <= 1), by: 'NA' };
  if (typeof opts.treat === 'string') {
    const [m, w] = opts.treat.split(':');
    const method = oneOf('--treat', m, ['none', 'winsorise'] as const);
    methods.treat = method === 'none' ? { method } : { method, ...(w ? { winmax: num('--treat', w, (n) => Number.isInteger(n) && n >= 0) } : {}) };
  }
  if (typeof opts.normalise === 'string') {
    const method = oneOf('--normalise', opts.normalise, NORMALISE);
    let spec: NormaliseSpec;
    if (method === 'goalposts') {
      const prev = methods.normalise;
      if (!prev || prev.method !== 'goalposts') usage('--normalise goalposts 需要在 --method 中给出 normalise.goalposts', '--normalise goalposts needs normalise.goalposts in --method');
      spec = prev;
    } else spec = { method } as NormaliseSpec;
    methods.normalise = spec;
  }
  if (typeof opts.range === 'string') {
    const parts = opts.range.split(',');
    if (parts.length !== 2) usage('--range 应为 LO,HI', '--range must be LO,HI');
    const [lo, hi] = parts.map((p) => num('--range', p, () => true));
    if (!(hi > lo)) usage('--range 的上限必须大于下限', '--range: HI must exceed LO');
    const n = methods.normalise ?? { method: 'minmax' as const };
    if (n.method !== 'minmax') usage('--range 只适用于 --normalise minmax', '--range applies to --normalise minmax only');
    methods.normalise = { method: 'minmax', range: [lo, hi] };
  }
  if (typeof opts.weights === 'string') {
    const w = opts.weights;
    let spec: WeightSpec;
    if (w.startsWith('ahp:')) {
      const j = readJsonArg('--weights ahp', w.slice(4)) as { matrices?: AhpMatrix[] } | AhpMatrix[];
      const matrices = Array.isArray(j) ? j : j?.matrices;
      if (!Array.isArray(matrices)) usage('--weights ahp:FILE 应为判断矩阵数组或 {matrices: […]}', '--weights ahp:FILE must hold an array of matrices or {matrices: […]}');
      spec = { method: 'ahp', matrices };
    } else spec = { method: oneOf('--weights', w, WEIGHTS) } as WeightSpec;
    methods.weights = spec;
  }
  if (typeof opts.aggregate === 'string') methods.aggregate = { method: oneOf('--aggregate', opts.aggregate, AGGREGATE) };
  if (typeof opts.zeroVariance === 'string') methods.zeroVariance = oneOf('--zero-variance', opts.zeroVariance, ['error', 'drop'] as const);
  if (typeof opts.uncertainty === 'string') {
    const replications = num('--uncertainty', opts.uncertainty, (n) => Number.isInteger(n) && n > 0);
    const weightPerturbation = typeof opts.perturb === 'string' ? num('--perturb', opts.perturb, (n) => n >= 0 && n < 1) : 0.25;
    methods.uncertainty = { ...(methods.uncertainty ?? {}), replications, weightPerturbation };
  } else if (typeof opts.perturb === 'string') usage('--perturb 需要与 --uncertainty 同用', '--perturb needs --uncertainty');
  const options: RunOptions = {};
  if (typeof opts.seed === 'string') options.seed = num('--seed', opts.seed, (n) => Number.isInteger(n) && n >= 0);
  return { methods, options };
}

const sheetOf = (v: string | boolean | undefined) => (typeof v !== 'string' ? undefined : /^\d+$/.test(v) ? Number(v) : v);

function printHuman(print: (s: string) => void, out: EvalOutput) {
  print('排名 / rank  单位 / unit  得分 / score  排名区间 / rank interval');
  for (const u of out.units) {
    print(`${String(u.rank ?? '—').padStart(4)}  ${u.unit.padEnd(10)}  ${u.score === null ? '—' : u.score.toFixed(2).padStart(8)}  ${u.rank_interval ? `[${u.rank_interval[0]}, ${u.rank_interval[1]}]` : ''}`);
  }
  const w = out.diagnostics.warnings;
  if (w.length) {
    print(`警告 / warnings (${w.length}):`);
    for (const x of w.slice(0, 20)) print(`  [${x.code}] ${x.message} / ${x.message_en}`);
  }
}

export const evalCommand: CommandModule = (program, rt) => {
  const ev = program.command('eval').description('综合指标评价 / composite-indicator evaluation');
  ev.command('run')
    .description('按指标框架计算综合指数 / compute a composite index from a framework and a data table')
    .requiredOption('--framework <file>', '指标框架（COINr iMeta：CSV/XLSX，或 JSON） / framework (COINr iMeta CSV/XLSX, or JSON)')
    .requiredOption('--data <file>', '数据表（COINr iData：CSV/XLSX） / data table (COINr iData CSV/XLSX)')
    .option('--sheet <sheet>', '框架工作表 / framework sheet (XLSX)')
    .option('--data-sheet <sheet>', '数据工作表 / data sheet (XLSX)')
    .option('--method <json>', '方法设置（JSON 或 .json 文件） / engine methods (JSON or a .json file)')
    .option('--normalise <method>', `标准化 / normalisation: ${NORMALISE.join('|')}`)
    .option('--range <lo,hi>', 'minmax 的区间（默认 0,1） / minmax range (default 0,1)')
    .option('--weights <method>', `权重 / weights: ${WEIGHTS.join('|')}|ahp:FILE（JSON 或 CSV/Excel 判断矩阵表 / JSON or CSV/Excel judgement tables）`)
    .option('--aggregate <method>', `汇总 / aggregation: ${AGGREGATE.join('|')}`)
    .option('--impute <method>', `缺失值插补 / imputation: ${IMPUTE.join('|')} (group methods as groupMean:GROUP)`)
    .option('--screen <threshold>', '数据可得率门槛（0–1） / minimum data availability per unit (0–1)')
    .option('--treat <method>', '异常值处理 / outlier treatment: none|winsorise[:WINMAX]')
    .option('--no-denominate', '不按 Denominator 列折算 / do not divide by the iMeta Denominator')
    .option('--zero-variance <mode>', '零方差指标 / zero-variance indicators: error|drop')
    .option('--uncertainty <n>', '蒙特卡洛次数 / Monte-Carlo replications')
    .option('--perturb <p>', '权重扰动幅度（默认 0.25） / weight perturbation (default 0.25)')
    .option('--seed <s>', '随机种子 / random seed')
    .option('--save', '保存框架、数据集与本次运行到数据库 / store the framework, data set and run')
    .option('--key <key>', '与 --save 同用：框架代码 / with --save: framework key')
    .option('--label <label>', '与 --save 同用：运行标签 / with --save: run label')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: Opts) => {
        for (const f of [opts.framework, opts.data] as string[]) {
          if (!fs.existsSync(f) || !fs.statSync(f).isFile()) usage(`文件不存在：${f}`, `No such file: ${f}`);
        }
        const { methods, options } = methodsFromOptions(await withAhpTables(opts));
        if (!opts.save && (opts.key !== undefined || opts.label !== undefined)) usage('--key 与 --label 需要与 --save 同用', '--key and --label need --save');
        const req = { framework: String(opts.framework), data: String(opts.data), sheet: sheetOf(opts.sheet), dataSheet: sheetOf(opts.dataSheet), methods, options };
        const file = { ...req, seed: options.seed, key: opts.key as string | undefined, label: opts.label as string | undefined };
        const out = opts.save
          ? await rt.withStore((ctx) => saveEvalRun(ctx, file))
          : /\.ya?ml$/i.test(req.framework)
            ? await runEvalYaml(file)
            : await runEval(req);
        if (opts.json) rt.printJson(out);
        else printHuman(rt.print, out);
        rt.setExitCode(EXIT_OK);
      }),
    );
  registerEvalStoreCommands(ev, rt);
};
