/**
 * `innolink audit verify [--json]`: recomputes the audit log's hash chain (exit 1 when an entry
 * was edited or deleted); `innolink audit list …`: the newest entries, filtered.
 */
import { listAudit, verifyAudit } from '../../modules/audit/audit.service.ts';
import { action, EXIT_FAILED, UsageError, type CommandModule } from '../cli.ts';

const JSON_OPT = ['--json', '输出一个 JSON 对象 / print one JSON object'] as const;
const DAY_OR_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function dayOrTime(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DAY_OR_TIME.test(value) || Number.isNaN(new Date(value).getTime())) {
    throw new UsageError(`${flag} 应为日期或时间（YYYY-MM-DD 或 ISO 时间）：${value}`, `${flag} must be a date or time (YYYY-MM-DD or ISO): ${value}`);
  }
  return value;
}

export const auditCommand: CommandModule = (program, rt) => {
  const audit = program.command('audit').description('审计日志 / audit log');

  audit
    .command('verify')
    .description('校验审计日志的哈希链，发现被修改或删除的记录 / verify the hash chain: find edited or deleted entries')
    .option(...JSON_OPT)
    .action(
      action(rt, async (opts: { json?: boolean }) => {
        const result = await rt.withStore((ctx) => verifyAudit(ctx));
        if (opts.json) rt.printJson(result);
        else if (result.ok) {
          rt.print(`✔ 审计日志完整：${result.entries} 条记录 / audit log intact: ${result.entries} entries`);
          rt.print(`  最新 / head: #${result.head.seq} ${result.head.hash}`);
        } else {
          rt.print(`✘ 审计日志被篡改 / audit log tampered with (${result.first_bad!.problem})`);
          rt.print(`  ${result.first_bad!.message}`);
          rt.print(`  ${result.first_bad!.message_en}`);
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
