/**
 * What the auditors hear (in-app, and by e-mail where a mail server is configured): that the
 * audit log failed verification, and that an account's auditor role was given, taken, disabled
 * or its password reset — so that an administrator who makes an auditor of someone (or of
 * themselves) does not go unnoticed by the auditors already there.
 */
import type { Actor } from '../../actor.ts';
import type { Config } from '../../config.ts';
import type { Sql } from '../../store/db.ts';
import { notify } from '../notifications/notifications.service.ts';
import { activeAuditorIds } from './audit.repo.ts';
import type { VerifyResult } from './audit.verify.ts';

/** Tells every enabled auditor that verification failed; at most once a day per problem. Returns how many were told. */
export async function notifyVerifyFailed(db: Sql, config: Pick<Config, 'smtpUrl'>, result: VerifyResult, today = new Date().toISOString().slice(0, 10)): Promise<number> {
  const bad = result.first_bad;
  if (!bad) return 0;
  return notify(
    db,
    await activeAuditorIds(db),
    {
      kind: 'audit.verify_failed',
      title: '审计日志校验未通过',
      title_en: 'The audit log failed verification',
      body: bad.message,
      body_en: bad.message_en,
      link: '/audit',
      entity: 'audit',
      entity_id: bad.seq === null ? null : String(bad.seq),
      dedupe_key: `audit.verify_failed:${bad.problem}:${bad.seq ?? ''}:${today}`,
    },
    { email: config.smtpUrl !== null },
  );
}

export type AuditorChange = 'granted' | 'removed' | 'disabled' | 'enabled' | 'password_reset';

const CHANGE: Record<AuditorChange, [string, string]> = {
  granted: ['被授予审计员角色', 'was given the auditor role'],
  removed: ['的审计员角色被撤销', 'lost the auditor role'],
  disabled: ['（审计员）被停用', '(an auditor) was disabled'],
  enabled: ['（审计员）被重新启用', '(an auditor) was enabled again'],
  password_reset: ['（审计员）的密码被重设', '(an auditor) had the password reset'],
};

/**
 * Tells every enabled auditor (the account concerned included) of a change to an auditor's
 * account, inside the write's transaction. `seq`: the change's audit entry.
 */
export async function notifyAuditorChange(
  tx: Sql,
  config: Pick<Config, 'smtpUrl'>,
  change: { actor: Pick<Actor, 'name'>; user: { id: number; username: string }; what: AuditorChange; seq: number },
): Promise<number> {
  const [zh, en] = CHANGE[change.what];
  return notify(
    tx,
    await activeAuditorIds(tx),
    {
      kind: 'audit.auditor_changed',
      title: `审计员账户变更：${change.user.username}`,
      title_en: `Auditor account changed: ${change.user.username}`,
      body: `用户 ${change.user.username} ${zh}（操作人：${change.actor.name}，审计记录 #${change.seq}）。`,
      body_en: `User ${change.user.username} ${en} (by ${change.actor.name}, audit entry #${change.seq}).`,
      link: '/audit',
      entity: 'user',
      entity_id: String(change.user.id),
      dedupe_key: `audit.auditor_changed:${change.seq}`,
    },
    { email: config.smtpUrl !== null },
  );
}
