/**
 * `innolink import-cordis FILE [--programme-parts FILE] [--keep-valid] [--json]`: the RCN-keyed
 * H2020 participation file loaded whole (presets.cordis.ts): its projects, its organisations,
 * then its participations — three imports, each undoable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, action, EXIT_FAILED, EXIT_OK, type CommandModule } from '../../cli/cli.ts';
import type { ImportResult } from './imports.types.ts';
import { loadCordisParticipations } from './presets.cordis.ts';

function file(p: string): { fileName: string; path: string } {
  if (!fs.existsSync(p) || !fs.statSync(p).isFile()) throw new UsageError(`文件不存在：${p}`, `No such file: ${p}`);
  return { fileName: path.basename(p), path: p };
}

const line = (step: string, r: ImportResult | null) =>
  r
    ? `${r.ok ? '✔' : '✘'} ${step}: 读取 read ${r.rows.read}，导入 imported ${r.rows.imported}，拒绝 rejected ${r.rows.rejected}${r.import_id ? `，导入批次 import id ${r.import_id}` : ''}${r.issue_count ? `，问题 issues ${r.issue_count}` : ''}`
    : `— ${step}: 未进行 / not run`;

export const cordisCommand: CommandModule = (program, rt) => {
  program
    .command('import-cordis')
    .description('导入按 RCN 编排的 H2020 参与明细（项目、机构、参与三步） / load the RCN-keyed H2020 participation file (projects, organisations, participations)')
    .argument('<file>', 'h2020_participations.csv')
    .option('--programme-parts <file>', 'h2020_programme_parts.csv（项目的技术领域 / the projects’ field）')
    .option('--keep-valid', '只导入有效行 / import only the valid rows')
    .option('--json', '输出 JSON / print JSON')
    .action(
      action(rt, async (f: string, opts: { programmeParts?: string; keepValid?: boolean; json?: boolean }) => {
        const input = file(f);
        const parts = opts.programmeParts === undefined ? undefined : file(opts.programmeParts);
        const res = await rt.withStore((ctx) =>
          loadCordisParticipations(ctx, input, { programmeParts: parts, keepValid: opts.keepValid, onStep: (step, n) => rt.note(`${step}: ${n} 行 rows …`) }),
        );
        if (opts.json) rt.printJson(res);
        else {
          rt.print(line('项目 projects', res.projects));
          rt.print(line('机构 organisations', res.organizations));
          rt.print(line('参与 participations', res.partners));
          for (const r of [res.projects, res.organizations, res.partners]) {
            for (const i of r?.issues.slice(0, 10) ?? []) rt.print(`  [${i.code}] 第 ${i.row} 行 row：${i.message} / ${i.message_en}`);
          }
        }
        rt.setExitCode(res.ok ? EXIT_OK : EXIT_FAILED);
      }),
    );
};
