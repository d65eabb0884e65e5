/**
 * `innolink audit verify [--incremental] [--json]`: verifies the audit log — its keyed chain and
 * the checkpoints outside the store (exit 1 when an entry was edited, deleted or the log
 * rewritten); `innolink audit checkpoint [--full] [--json]`: verifies, then writes a checkpoint
 * of the head (exit 1, and nothing written, when verification fails); `innolink audit list …`:
 * the newest entries, filtered.
 */
import { checkpointAudit, listAudit, verifyAudit, type VerifyResult } from '../../modules/audit/audit.service.ts';
import { action, EXIT_FAILED, UsageError, type CliRuntime, type CommandModule } from '../cli.ts';

const JSON_OPT = ['--json', '输出一个 JSON 对象 / print one JSON object'] as const;
const DAY_OR_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function dayOrTime(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DAY_OR_TIME.test(value) || Number.isNaN(new Date(value).getTime())) {
    throw new UsageError(`${flag} 应为日期或时间（YYYY-MM-DD 或 ISO 时间）：${value}`, `${flag} must be a date or time (YYYY-MM-DD or ISO): ${value}`);
  }
  return value;
}

function printVerification(rt: CliRuntime, result: VerifyResult): void {
  if (result.ok) {
    rt.print(`✔ 审计日志完整：${result.entries} 条记录 / audit log intact: ${result.entries} entries (${result.mode === 'full' ? '完整校验 / full' : '自最近检查点起 / from the latest checkpoint'}, ${result.checked} checked)`);
  } else {
    rt.print(`✘ 审计日志被篡改 / audit log tampered with (${result.first_bad!.problem})`);
    rt.print(`  ${result.first_bad!.message}`);
    rt.print(`  ${result.first_bad!.message_en}`);
  }
  rt.print(`  最新 / head: #${result.head.seq} ${result.head.hash}`);
  const { key } = result;
  rt.print(
    key.epoch_seq === null
      ? `  密钥 / key: ${key.id}（日志中无密钥纪元 / no key epoch in the log）`
      : `  密钥 / key: ${key.id}，自 #${key.epoch_seq} 起 / keyed from #${key.epoch_seq}${key.legacy_entries ? `；此前 ${key.legacy_entries} 条按旧规则（无密钥）校验 / ${key.legacy_entries} earlier entries checked by the unkeyed rule` : ''}`,
  );
  const cp = result.checkpoints.latest;
  rt.print(
    cp
      ? `  检查点 / checkpoints: ${result.checkpoints.valid}，最近 / latest #${cp.seq}（${cp.entries} 条 / entries）${cp.at}${result.checkpoints.invalid ? `；无效行 / invalid lines: ${result.checkpoints.invalid}` : ''}`
      : '  检查点 / checkpoints: 无 / none',
  );
}

export const auditCommand: CommandModule = (program, rt) => {
  const audit = program.command('audit').description('审计日志 / audit log');

  audit
    .command('verify')
    .description('校验审计日志：密钥链与库外检查点，发现被修改、删除或重写的记录 / verify the keyed chain and the checkpoints: find edited, deleted or rewritten entries')
    .option('--incremental', '从最近的检查点起校验（定时任务的方式） / start from the latest checkpoint (as the schedule does)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: { json?: boolean; incremental?: boolean }) => {
        const result = await rt.withStore((ctx) => verifyAudit(ctx, { incremental: opts.incremental }));
        if (opts.json) rt.printJson(result);
        else printVerification(rt, result);
        if (!result.ok) rt.setExitCode(EXIT_FAILED);
      }),
    );

  audit
    .command('checkpoint')
    .description('校验后把日志头写入库外的检查点文件 / verify, then append a checkpoint of the head to the checkpoint file outside the store')
    .option('--full', '写入前完整校验（默认自最近检查点起） / verify every entry first (default: from the latest checkpoint)')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: { json?: boolean; full?: boolean }) => {
        const result = await rt.withStore((ctx) => checkpointAudit(ctx, { full: opts.full }));
        if (opts.json) rt.printJson(result);
        else {
          printVerification(rt, result);
          rt.print(result.written ? `✔ 已写入检查点 / checkpoint written: #${result.written.seq} ${result.written.at}` : '✘ 校验未通过，未写入检查点 / verification failed: no checkpoint written');
        }
        if (!result.ok) rt.setExitCode(EXIT_FAILED);
      }),
    );

  audit
    .command('list')
    .description('查看审计记录（最新在前） / show entries, newest first')
    .option('--actor <name>', '操作人 / actor')
    .option('--action <action>', '操作 / action (create, update, delete, import, undo, auth.login …)')
    .option('--entity <entity>', '对象类型 / entity (project, user …)')
    .option('--entity-id <id>', '对象编号 / entity id')
    .option('--from <date>', '起始日期或时间 / from (date or time)')
    .option('--to <date>', '截止日期或时间（含） / to (date or time, inclusive)')
    .option('--limit <n>', '条数 / entries', '50')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: Record<string, string | boolean | undefined>) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit 应为 1–500 的整数', '--limit must be an integer from 1 to 500');
        const page = await rt.withStore((ctx) =>
          listAudit(ctx, {
            actor: opts.actor as string | undefined,
            action: opts.action as string | undefined,
            entity: opts.entity as string | undefined,
            entity_id: opts.entityId as string | undefined,
            from: dayOrTime(opts.from as string | undefined, '--from'),
            to: dayOrTime(opts.to as string | undefined, '--to'),
            page: 1,
            pageSize: limit,
          }),
        );
        if (opts.json) {
          rt.printJson({ items: page.items, total: page.total });
          return;
        }
        for (const e of page.items) {
          rt.print(`#${e.seq}  ${e.at}  ${e.actor}  ${e.action}  ${e.entity}${e.entity_id ? ` ${e.entity_id}` : ''}${e.request_id ? `  (${e.request_id})` : ''}`);
        }
        rt.print(`共 ${page.total} 条 / ${page.total} entries`);
      }),
    );
};
