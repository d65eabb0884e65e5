/**
 * `innolink backup --out FILE [--json]`: a consistent snapshot of the whole store, while the
 * server goes on (on a PostgreSQL server; the embedded store is held by its running server, so
 * download the backup from it then: GET /api/backup as an administrator).
 * `innolink restore FILE [--force] [--check] [--json]`: restores a backup into an empty store
 * (`--force` replaces a store that holds data; `--check` only reads the file's header).
 * Format and rules: src/modules/backup/backup.ts.
 */
import path from 'node:path';
import { backupToFile, readBackupHeader, restoreFromFile } from '../../modules/backup/backup.ts';
import { action, type CommandModule } from '../cli.ts';

const JSON_OPT = ['--json', '输出一个 JSON 对象 / print one JSON object'] as const;

function progress(rt: { note(t: string): void }, json: boolean | undefined) {
  let last = '';
  return (table: string, done: number, total: number) => {
    if (json) return;
    const line = `  ${table}: ${done}/${total}`;
    if (line !== last && (done === total || done % 20000 === 0)) rt.note(line);
    last = line;
  };
}

export const backupCommand: CommandModule = (program, rt) => {
  program
    .command('backup')
    .description('备份整个库到一个文件（运行中亦可：一致快照） / back up the whole store into one file (a consistent snapshot, also while the server runs)')
    .requiredOption('--out <file>', '备份文件（.innolink.gz） / the backup file to write')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: { out: string; json?: boolean }) => {
        const file = path.resolve(opts.out);
        const summary = await rt.withStore(({ db }) => backupToFile(db, file, progress(rt, opts.json)));
        if (opts.json) rt.printJson(summary);
        else {
          rt.print(`✔ 已备份 / backed up: ${summary.file}`);
          rt.print(`  ${summary.tables} 张表 / tables, ${summary.rows} 行 / rows, 审计日志 / audit log ${summary.audit_entries} 条 / entries, ${(summary.bytes / 1024 / 1024).toFixed(1)} MiB`);
          rt.print('  审计密钥不在备份中：请另行保管 / the audit key is not in the backup: keep it separately');
        }
      }),
    );

  program
    .command('restore')
    .description('从备份文件恢复到空库（--force 替换已有数据） / restore a backup into an empty store (--force replaces the data it holds)')
    .argument('<file>', '备份文件 / the backup file')
    .option('--force', '目标库已有数据时仍以备份替换全部数据 / replace everything in a store that holds data')
    .option('--check', '只读取并显示备份文件的概要，不写入 / only read and show what the file holds; write nothing')
    .option(...JSON_OPT)
    .action(
      action(rt, async (file: string, opts: { force?: boolean; check?: boolean; json?: boolean }) => {
        const abs = path.resolve(file);
        if (opts.check) {
          const h = await readBackupHeader(abs);
          const summary = { file: abs, created_at: h.created_at, engine: h.engine, schema: h.schema.length, tables: h.tables.length, rows: h.tables.reduce((n, t) => n + t.rows, 0), audit: { key_id: h.audit.key_id, entries: h.audit.entries, checkpoints: h.audit.checkpoints.length } };
          if (opts.json) rt.printJson(summary);
          else rt.print(`备份 / backup of ${h.created_at} (${h.engine}): ${summary.tables} 张表 / tables, ${summary.rows} 行 / rows, 审计日志 / audit log ${h.audit.entries} 条 / entries, 密钥 / key ${h.audit.key_id ?? '—'}`);
          return;
        }
        const summary = await rt.withStore(({ db, actor }) => restoreFromFile(db, abs, actor, { force: opts.force, onProgress: progress(rt, opts.json) }));
        if (opts.json) rt.printJson(summary);
        else {
          rt.print(`✔ 已恢复 / restored: ${summary.file} (${summary.created_at}, ${summary.engine})`);
          rt.print(`  ${summary.tables} 张表 / tables, ${summary.rows} 行 / rows`);
          rt.print(`  审计日志 / audit log: ${summary.audit.ok ? '完整 / intact' : '校验未通过 / verification failed'}, ${summary.audit.entries} 条 / entries (恢复记录 / restore entry #${summary.audit.restore_entry})`);
          if (summary.checkpoints_moved_to) rt.print(`  原检查点文件已移至 / the store's former checkpoint file was moved to ${summary.checkpoints_moved_to}`);
        }
        if (!summary.audit.ok) rt.setExitCode(1);
      }),
    );
};
