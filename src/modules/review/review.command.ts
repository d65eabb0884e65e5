/**
 * `innolink review solve`: the reviewer assignment solver on its own, from files, as OpenReview's
 * matcher takes score files. No store is opened.
 *
 *   innolink review solve --affinity A.csv [--conflicts C.csv] [--per-application K] [--max-load L]
 *                         [--reviewers R.csv [--min-foreign F]] [--partial] [--unlisted zero|forbidden]
 *                         [--draw POOL[:SIZE] [--seed S]] [--json]
 *
 * A: `application,reviewer,affinity`; C: `application,reviewer` pairs never assigned; R:
 * `reviewer,foreign,organisation` (foreign 0 or 1) — with R, at most one reviewer per
 * organisation per application, and --min-foreign F foreign reviewers per application.
 * Output (--json): {"assignments": [{"application", "reviewer", "affinity"}], "objective",
 * "unassigned": [{"application", "missing"}], "optimal"}. Exit 1 with ASSIGNMENT_INFEASIBLE
 * naming the constraint when no complete assignment exists (unless --partial), with
 * REVIEW_INPUT_INVALID for bad files; exit 2 for bad flags.
 */
import fs from 'node:fs';
import { action, UsageError, type CommandModule } from '../../cli/cli.ts';
import { DEFAULT_MAX_LOAD, DEFAULT_PER_APPLICATION, solveAssignment, type AssignmentResult } from './engine/assign.ts';
import { readSolverFiles, solverInput, type SolverFiles } from './review.files.ts';

type Opts = Record<string, string | boolean | undefined>;

function intOpt(v: string | boolean | undefined, flag: string, min: number): number | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  const s = v.trim();
  if (!/^\d+$/.test(s) || Number(s) < min) throw new UsageError(`${flag} 应为不小于 ${min} 的整数：${s}`, `${flag} must be an integer ≥ ${min}: ${s}`);
  return Number(s);
}

function fileOpt(v: string | boolean | undefined, flag: string): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (!fs.existsSync(v) || !fs.statSync(v).isFile()) throw new UsageError(`${flag}：文件不存在：${v}`, `${flag}: no such file: ${v}`);
  return v;
}

/** The contract's JSON: assignments by id, objective, unassigned slots, optimal. */
export function solveOutput(f: Pick<SolverFiles, 'applications' | 'reviewers'>, r: AssignmentResult) {
  return {
    assignments: r.assignments.map((a) => ({ application: f.applications[a.application], reviewer: f.reviewers[a.reviewer], affinity: a.affinity })),
    // Rounded to 15 significant digits: the sum of thousands of decimals carries binary noise.
    objective: Number(r.objective.toPrecision(15)),
    unassigned: Array.from(r.missing)
      .map((missing, i) => ({ application: f.applications[i], missing }))
      .filter((u) => u.missing > 0),
    optimal: r.optimal,
  };
}

/** Registers `innolink review …` (for now `review solve`). */
export const reviewCommands: CommandModule = (program, rt) => {
  const review = program.command('review').description('项目评审 / expert review of applications');
  review
    .command('solve')
    .description('按匹配度求最优专家分配（精确解） / assign reviewers to applications for the best total affinity (exact)')
    .requiredOption('--affinity <file>', '匹配度表 CSV/XLSX：application,reviewer,affinity / affinity table')
    .option('--conflicts <file>', '回避表 CSV/XLSX：application,reviewer（不得分配） / conflicts: pairs never assigned')
    .option('--per-application <k>', `每项申请的专家数（默认 ${DEFAULT_PER_APPLICATION}） / reviewers per application (default ${DEFAULT_PER_APPLICATION})`)
    .option('--max-load <l>', `每位专家至多评审的申请数（默认 ${DEFAULT_MAX_LOAD}） / applications per reviewer at most (default ${DEFAULT_MAX_LOAD})`)
    .option('--reviewers <file>', '专家表 CSV/XLSX：reviewer,foreign,organisation（foreign 为 0 或 1；同一机构每项至多一位） / reviewers: foreign 0|1 and organisation (at most one per organisation per application)')
    .option('--min-foreign <f>', '每项申请至少的外籍专家数（需 --reviewers） / at least this many foreign reviewers per application (needs --reviewers)')
    .option('--partial', '无法配齐时尽量分配并在 unassigned 中列出缺额，而不是报错 / when not every application can get k reviewers, assign as many as possible and list the shortfall in unassigned instead of refusing')
    .option('--unlisted <rule>', '匹配度表中未列出的组合：zero（匹配度 0，可分配，默认）或 forbidden / pairs not in the affinity table: zero (affinity 0, assignable; default) or forbidden')
    .option('--draw <pool[:size]>', '随机抽取：每项申请从匹配度最高的 POOL 位中随机抽 SIZE 位（默认 2k）再求最优 / random draw: SIZE (default 2k) reviewers drawn from each application’s POOL best, then the best assignment among them')
    .option('--seed <s>', '随机抽取的种子（默认 1） / seed of the draw (default 1)')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (opts: Opts) => {
        const affinity = fileOpt(opts.affinity, '--affinity')!;
        const conflicts = fileOpt(opts.conflicts, '--conflicts');
        const reviewers = fileOpt(opts.reviewers, '--reviewers');
        const perApplication = intOpt(opts.perApplication, '--per-application', 1) ?? DEFAULT_PER_APPLICATION;
        const maxLoad = intOpt(opts.maxLoad, '--max-load', 1) ?? DEFAULT_MAX_LOAD;
        const minForeign = intOpt(opts.minForeign, '--min-foreign', 0) ?? 0;
        if (minForeign > 0 && !reviewers) throw new UsageError('--min-foreign 需要 --reviewers 给出每位专家是否外籍', '--min-foreign needs --reviewers to say which reviewers are foreign');
        if (minForeign > perApplication) throw new UsageError(`--min-foreign（${minForeign}）不能超过 --per-application（${perApplication}）`, `--min-foreign (${minForeign}) cannot exceed --per-application (${perApplication})`);
        const unlisted = opts.unlisted === undefined ? 'zero' : String(opts.unlisted);
        if (unlisted !== 'zero' && unlisted !== 'forbidden') throw new UsageError(`--unlisted 应为 zero 或 forbidden：${unlisted}`, `--unlisted must be zero or forbidden: ${unlisted}`);
        let draw: { pool: number; size: number; seed: number } | null = null;
        if (typeof opts.draw === 'string') {
          const m = /^(\d+)(?::(\d+))?$/.exec(opts.draw.trim());
          if (!m || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < 1)) throw new UsageError(`--draw 应为 POOL 或 POOL:SIZE（正整数）：${opts.draw}`, `--draw must be POOL or POOL:SIZE (positive integers): ${opts.draw}`);
          draw = { pool: Number(m[1]), size: m[2] !== undefined ? Number(m[2]) : 2 * perApplication, seed: intOpt(opts.seed, '--seed', 0) ?? 1 };
        } else if (opts.seed !== undefined) throw new UsageError('--seed 需要与 --draw 同用', '--seed needs --draw');

        const files = await readSolverFiles({ affinity, conflicts, reviewers });
        const result = await solveAssignment(solverInput(files, { perApplication, maxLoad, minForeign, partial: Boolean(opts.partial), unlisted, draw }));
        const out = solveOutput(files, result);
        if (opts.json) {
          rt.printJson(out);
          return;
        }
        rt.print(`申请 / application\t专家 / reviewer\t匹配度 / affinity`);
        for (const a of out.assignments) rt.print(`${a.application}\t${a.reviewer}\t${a.affinity}`);
        rt.print(`总匹配度 / objective: ${out.objective}`);
        rt.print(out.optimal ? '已证明最优 / proved optimal' : draw ? '随机抽取后的最优，非全局最优 / best among the drawn reviewers, not the global optimum' : '未证明最优（时间上限） / not proved optimal (time limit)');
        if (out.unassigned.length) {
          rt.print(`未配齐 / short of reviewers (${out.unassigned.length}):`);
          for (const u of out.unassigned) rt.print(`  ${u.application}\t缺 / missing ${u.missing}`);
        }
        rt.note(`${files.applications.length} 项申请 × ${files.reviewers.length} 位专家，k = ${perApplication}，L = ${maxLoad}${minForeign ? `，外籍 ≥ ${minForeign}` : ''}；${result.stats.rounds} 轮，${result.stats.method}`);
      }),
    );
};
