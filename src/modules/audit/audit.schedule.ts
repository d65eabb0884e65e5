/**
 * The server's audit job: once the server listens, a full verification of the audit log and a
 * checkpoint; then every `auditVerifyIntervalMinutes` an incremental one (from the latest
 * checkpoint: cheap on a large log). A failure is logged and the auditors are told (in-app,
 * and by e-mail where a mail server is configured); no checkpoint is written over a failure.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../store/db.ts';
import { mailSenderFor, type MailSender } from '../notifications/notifications.mail.ts';
import { deliverPendingEmails } from '../notifications/notifications.service.ts';
import { notifyVerifyFailed } from './audit.notify.ts';
import { takeCheckpoint, type CheckpointResult } from './audit.verify.ts';

export interface AuditCheckRun extends CheckpointResult {
  /** Auditors told of a failure. */
  notified: number;
}

/** One run of the job: verify (full or incremental), checkpoint when intact, tell the auditors when not. */
export async function runAuditCheck(db: Db, config: Pick<Config, 'smtpUrl' | 'mailFrom'>, opts: { full: boolean; mailer?: MailSender | null }): Promise<AuditCheckRun> {
  const result = await takeCheckpoint(db, { full: opts.full });
  if (result.ok) return { ...result, notified: 0 };
  const notified = await notifyVerifyFailed(db, config, result);
  const mailer = opts.mailer === undefined ? mailSenderFor(config) : opts.mailer;
  if (notified && mailer) await deliverPendingEmails(db, mailer).catch(() => undefined); // a refused mail is kept on its notification
  return { ...result, notified };
}

/** First run this long after the server starts listening. */
const FIRST_RUN_MS = 1000;

/** Registers the job on the server (nothing when the interval is 0). Runs never overlap. */
export function registerAuditTimer(app: FastifyInstance): void {
  const minutes = app.config.auditVerifyIntervalMinutes;
  if (!minutes) return;
  const timers: NodeJS.Timeout[] = [];
  let running = false;
  let full = true;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const run = await runAuditCheck(app.db, app.config, { full });
      full = false;
      if (run.ok) {
        app.log.info(
          { mode: run.mode, entries: run.entries, checked: run.checked, head: run.head.seq, checkpoint_at: run.written?.at },
          '审计日志校验通过，已写检查点 / audit log verified, checkpoint written',
        );
      } else {
        app.log.error(
          { mode: run.mode, problem: run.first_bad?.problem, seq: run.first_bad?.seq, detail: run.first_bad?.message_en, auditors_notified: run.notified },
          '审计日志校验未通过 / audit log failed verification',
        );
      }
    } catch (e) {
      app.log.error(e, '审计日志校验出错 / audit verification run failed');
    } finally {
      running = false;
    }
  };
  app.addHook('onListen', async () => {
    timers.push(setTimeout(() => void tick(), FIRST_RUN_MS).unref(), setInterval(() => void tick(), minutes * 60_000).unref());
  });
  app.addHook('onClose', async () => {
    for (const t of timers) clearTimeout(t);
    while (running) await new Promise((res) => setTimeout(res, 50));
  });
}
