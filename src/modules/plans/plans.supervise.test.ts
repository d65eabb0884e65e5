import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../actor.ts';
import { isAppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testConfig } from '../../../test/app.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { actorForUser } from '../auth/auth.policy.ts';
import { createTestUser } from '../auth/auth.testing.ts';
import { nodemailerSender, type MailMessage, type MailSender } from '../notifications/notifications.mail.ts';
import { deliverPendingEmails, listNotifications, putSettings } from '../notifications/notifications.service.ts';
import { addDays, dayNumber } from './engine/index.ts';
import { SCENARIO, targetsWithBaselines, tasksWithUnits, UNITS } from './plans.fixture.ts';
import { importPlan } from './plans.import.ts';
import { addUnitMember } from './plans.monitoring.service.ts';
import { enterValue, planBoard, reviewReport, submitReport, updatePlan, updateTask } from './plans.service.ts';
import { listCases, runSupervision, supervisePlan } from './plans.supervise.ts';

const TODAY = '2025-07-01';
const buf = (s: string) => Buffer.from(s, 'utf8');

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** A sender that keeps what it is given (the messages are built by the caller, not by a server). */
function collector(fail = false): MailSender & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(m) {
      if (fail) throw new Error('550 mailbox unavailable');
      sent.push(m);
    },
  };
}

describe.each(STORES)('plan supervision (督办) on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  const people: Record<string, Actor> = {};
  const inbox = async (who: string) => (await listNotifications({ ...ctx, actor: people[who] }, { page: 1, pageSize: 100 })).items;

  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    for (const name of ['ip-officer', 'talent-officer', 'owner-officer', 'bystander']) {
      const { user } = await createTestUser(store.db, { role: 'bureau', username: `${name}-${kind}` });
      people[name] = actorForUser({ ...user, region_path: null });
    }
  });
  afterAll(async () => store?.close());

  describe('tasks: flagged when overdue, escalated after the plan’s delay, resolved when done', () => {
    let plan: number;
    beforeAll(async () => {
      // Off-track judgements switched off (margin 100 points): only the deadline of task 14 matters.
      const r = await importPlan(ctx, [{ fileName: 'tasks.csv', buffer: buf(tasksWithUnits()) }], {
        name: `督办测试 ${kind}`,
        region: '北京',
        owner: '市科委、中关村管委会',
        period: { from: 2024, to: 2027 },
        config: { supervision: { off_track_margin: 100 } },
        today: TODAY,
      });
      expect(r.ok).toBe(true);
      plan = r.plan!;
      await addUnitMember(ctx, plan, { unit: '市知识产权局', username: people['ip-officer'].name });
      await addUnitMember(ctx, plan, { unit: '市人才局', username: people['talent-officer'].name });
      await addUnitMember(ctx, plan, { unit: '市科委、中关村管委会', username: people['owner-officer'].name });
    });

    it('flags task 14 ten days after its due date 2025-03-31 and notifies its units’ users', async () => {
      const res = await supervisePlan(ctx, plan, '2025-04-10', { today: TODAY });
      expect(res).toMatchObject({ as_of: '2025-04-10', opened: 1, escalated: 0, resolved: 0, open: 1, emails: null });
      expect(res.cases).toEqual([
        expect.objectContaining({ kind: 'task', ref: '14', level: 1, since: '2025-03-31', flagged_on: '2025-03-31', escalated_on: null, triggers: ['overdue'], units: UNITS['5'], change: 'opened' }),
      ]);
      // Two of the task's three units have a user; the owner hears of a flag only when no unit has one.
      expect(res.notifications).toBe(2);
      const [n] = await inbox('ip-officer');
      expect(n).toMatchObject({ kind: 'supervision.flagged', read: false, email_status: 'none', link: `/plans/${plan}/supervision` });
      expect(n.title).toBe('督办：任务 14“优化提升知识产权环境”');
      expect(n.body).toContain('已超过完成期限 2025-03-31 10 天');
      expect(n.body_en).toContain('10 days past the due date 2025-03-31');
      expect(await inbox('owner-officer')).toEqual([]);
      expect(await inbox('bystander')).toEqual([]);
    });

    it('is idempotent: the same as-of date again opens, escalates and notifies nothing', async () => {
      const again = await supervisePlan(ctx, plan, '2025-04-10', { today: TODAY });
      expect(again).toMatchObject({ opened: 0, escalated: 0, resolved: 0, notifications: 0, open: 1 });
      expect(again.cases.map((c) => c.change)).toEqual(['unchanged']);
      expect(await inbox('ip-officer')).toHaveLength(1);
    });

    it('escalates once the issue is 30 days old (the default delay), to the units and the owner', async () => {
      // 2025-04-29 is 29 days after 2025-03-31: still flagged.
      expect(await supervisePlan(ctx, plan, '2025-04-29', { today: TODAY })).toMatchObject({ escalated: 0, notifications: 0 });
      const res = await supervisePlan(ctx, plan, '2025-04-30', { today: TODAY });
      expect(dayNumber('2025-04-30') - dayNumber('2025-03-31')).toBe(30);
      expect(res).toMatchObject({ opened: 0, escalated: 1, notifications: 3 });
      expect(res.cases[0]).toMatchObject({ ref: '14', level: 2, change: 'escalated', escalated_on: addDays('2025-03-31', 30) });
      const owner = await inbox('owner-officer');
      expect(owner.map((n) => n.kind)).toEqual(['supervision.escalated']);
      expect(owner[0].body).toContain('已持续 30 天');
      expect((await inbox('ip-officer')).map((n) => n.kind)).toEqual(['supervision.escalated', 'supervision.flagged']);
      const cases = await listCases(ctx, plan);
      expect(cases.last_run).toBe('2025-04-30');
      expect(cases.units.map((u) => [u.unit, u.open, u.escalated]).sort()).toEqual(UNITS['5'].map((u) => [u, 1, 1]).sort());
    });

    it('refuses a run as of an earlier date than the last one, and one after today', async () => {
      const stale = await refusal(supervisePlan(ctx, plan, '2025-04-20', { today: TODAY }));
      expect([stale.code, stale.status]).toEqual(['PLAN_SUPERVISION_STALE', 409]);
      expect(stale.messageZh).toContain('2025-04-30');
      const future = await refusal(supervisePlan(ctx, plan, '2025-07-02', { today: TODAY }));
      expect([future.code, future.status]).toEqual(['PLAN_SUPERVISION_AS_OF_FUTURE', 400]);
    });

    it('resolves the case once an accepted report says the task is completed; reports notify owner and unit', async () => {
      const report = await submitReport({ ...ctx, actor: people['ip-officer'] }, plan, '14', { unit: '市知识产权局', status: 'completed', reported_on: '2025-05-10' }, TODAY);
      expect((await inbox('owner-officer'))[0]).toMatchObject({ kind: 'plan.report_submitted', entity: 'plan_report', entity_id: String(report.id) });
      await reviewReport(ctx, plan, report.id, { decision: 'accept', comment: '材料齐全' });
      const ip = await inbox('ip-officer');
      // The reporting unit's user, who is also the submitter, hears of it once.
      expect(ip.filter((n) => n.kind === 'plan.report_reviewed')).toHaveLength(1);
      expect(ip[0].body).toContain('材料齐全');

      const res = await supervisePlan(ctx, plan, '2025-05-15', { today: TODAY });
      expect(res).toMatchObject({ resolved: 1, open: 0 });
      expect(res.cases[0]).toMatchObject({ ref: '14', change: 'resolved', resolved_on: '2025-05-15' });
      expect((await inbox('owner-officer'))[0].kind).toBe('supervision.resolved');
      expect((await listCases(ctx, plan, 'resolved')).items).toHaveLength(1);
      expect((await listCases(ctx, plan)).items).toHaveLength(0);
    });

    it('escalates at once when the plan’s delay is shorter than the issue’s age', async () => {
      await updatePlan(ctx, plan, { config: { supervision: { off_track_margin: 100, escalate_after_days: 5 } } });
      // Task 15 falls due on the plan's end; set it to 2025-05-20: 6 days overdue on 2025-05-26.
      await updateTask(ctx, plan, '15', { due_date: '2025-05-20' });
      const res = await supervisePlan(ctx, plan, '2025-05-26', { today: TODAY });
      expect(res).toMatchObject({ opened: 1, escalated: 1 });
      expect(res.cases[0]).toMatchObject({ ref: '15', level: 2, since: '2025-05-20', escalated_on: '2025-05-25', change: 'opened' });
      // Announced once, as escalated, to the units and the owner.
      expect((await inbox('talent-officer'))[0].kind).toBe('supervision.escalated');
      expect((await inbox('talent-officer')).filter((n) => n.entity_id === String(res.cases[0].id))).toHaveLength(1);
    });

    it('records each run in the audit log', async () => {
      const rows = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'plan.supervise' AND entity_id = $1`, [String(plan)]);
      const runs = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan_supervision_runs WHERE plan_id = $1`, [plan]);
      expect(rows[0].n).toBe(runs[0].n);
      expect(runs[0].n).toBe(6);
    });

    it('refuses actors who may not change the plan', async () => {
      const { user } = await createTestUser(store.db, { role: 'evaluator', username: `eval-${kind}` });
      const e = await refusal(supervisePlan({ ...ctx, actor: actorForUser({ ...user, region_path: null }) }, plan, '2025-06-30', { today: TODAY }));
      expect([e.code, e.status]).toEqual(['FORBIDDEN', 403]);
      const { user: cz } = await createTestUser(store.db, { role: 'bureau', username: `cz-${kind}`, region: '常州' });
      const hidden = await refusal(supervisePlan({ ...ctx, actor: actorForUser({ ...cz, region_path: null }) }, plan, '2025-06-30', { today: TODAY }));
      expect(hidden.status).toBe(404);
    });
  });

  describe('targets: off track since the first observation of the trailing run', () => {
    let plan: number;
    beforeAll(async () => {
      const r = await importPlan(ctx, [{ fileName: 'targets.csv', buffer: buf(targetsWithBaselines()) }], { name: `目标督办 ${kind}`, region: '北京', owner: '市科委、中关村管委会', today: TODAY });
      expect(r.ok).toBe(true);
      plan = r.plan!;
      for (const [indicator, s] of Object.entries(SCENARIO))
        for (const [date, value] of s.values) await enterValue(ctx, plan, { indicator, date, value }, TODAY);
      await addUnitMember(ctx, plan, { unit: '市科委、中关村管委会', username: people['owner-officer'].name });
    });

    it('flags and escalates the targets in deterioration or limited progress, and tells the owner', async () => {
      const board = await planBoard(ctx, plan, '2025-06-30');
      const off = board.targets.filter((t) => t.status === 'deterioration' || t.status === 'limited').map((t) => t.indicator);
      // From the fixture: deterioration and limited at both dates, and limited only at 2025-06-30.
      const both = Object.entries(SCENARIO).filter(([, s]) => ['deterioration', 'limited'].includes(s.q4) && ['deterioration', 'limited'].includes(s.q2)).map(([k]) => k);
      const newly = Object.entries(SCENARIO).filter(([, s]) => !['deterioration', 'limited'].includes(s.q4) && ['deterioration', 'limited'].includes(s.q2)).map(([k]) => k);
      expect(off.sort()).toEqual([...both, ...newly].sort());
      expect(newly).toEqual(['市级“一带一路”联合实验室']);

      const res = await supervisePlan(ctx, plan, '2025-06-30', { today: TODAY });
      expect(res.opened).toBe(off.length);
      for (const c of res.cases) {
        // Off track since 2024-12-31: 181 days, escalated; since 2025-06-30: 0 days, flagged (flag after 0 days).
        const since = both.includes(c.ref) ? '2024-12-31' : '2025-06-30';
        expect(c, c.ref).toMatchObject({ kind: 'target', since, level: both.includes(c.ref) ? 2 : 1, units: [] });
      }
      expect(res.escalated).toBe(both.length);
      const owner = (await inbox('owner-officer')).filter((n) => n.link === `/plans/${plan}/supervision`);
      expect(owner.map((n) => n.kind).sort()).toEqual([...both.map(() => 'supervision.escalated'), 'supervision.flagged'].sort());
      expect(owner.find((n) => n.kind === 'supervision.flagged')!.title).toBe('督办：目标“市级“一带一路”联合实验室”');
    });
  });

  describe('e-mail, only where a mail server is configured', () => {
    let plan: number;
    const smtpCtx = () => ({ ...ctx, config: { ...ctx.config, smtpUrl: 'smtp://mail.invalid:25' } });
    beforeAll(async () => {
      const r = await importPlan(ctx, [{ fileName: 'tasks.csv', buffer: buf(tasksWithUnits()) }], {
        name: `邮件测试 ${kind}`,
        region: '北京',
        period: { from: 2024, to: 2027 },
        config: { supervision: { off_track_margin: 100 } },
        today: TODAY,
      });
      plan = r.plan!;
      await addUnitMember(ctx, plan, { unit: '市知识产权局', username: people['ip-officer'].name });
      await addUnitMember(ctx, plan, { unit: '市人才局', username: people['talent-officer'].name });
      await putSettings({ ...ctx, actor: people['ip-officer'] }, { email: 'IP@example.org' });
    });

    it('queues a message for users with an address and sends it through the configured sender', async () => {
      const mail = collector();
      const res = await supervisePlan(smtpCtx(), plan, '2025-04-10', { today: TODAY, mailer: mail });
      // Two users notified, one of them with an address.
      expect(res).toMatchObject({ notifications: 2, emails: { sent: 1, failed: 0 } });
      expect(mail.sent).toHaveLength(1);
      expect(mail.sent[0].to).toBe('ip@example.org');
      expect(mail.sent[0].subject).toBe('督办：任务 14“优化提升知识产权环境” / Supervision: task 14 "优化提升知识产权环境"');
      expect(mail.sent[0].text.indexOf('已超过完成期限')).toBeLessThan(mail.sent[0].text.indexOf('days past the due date'));
      const sent = (await inbox('ip-officer')).find((n) => n.entity === 'plan_supervision_case' && n.email_status === 'sent');
      expect(sent).toBeDefined();
      expect((await inbox('talent-officer')).every((n) => n.email_status === 'none')).toBe(true);
    });

    it('records a refused message on its notification, which stays in the app', async () => {
      await updateTask(ctx, plan, '16', { due_date: '2025-04-01' });
      const res = await supervisePlan(smtpCtx(), plan, '2025-04-11', { today: TODAY, mailer: collector(true) });
      expect(res.emails).toEqual({ sent: 0, failed: 1 });
      const [row] = await ctx.db.query<{ email_status: string; email_error: string }>(
        `SELECT email_status, email_error FROM notifications WHERE user_id = $1 AND email_status = 'failed'`,
        [people['ip-officer'].userId],
      );
      expect(row).toEqual({ email_status: 'failed', email_error: '550 mailbox unavailable' });
    });

    it('builds a real MIME message through nodemailer (stream transport, no server)', async () => {
      const out: Buffer[] = [];
      const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
      const sender = nodemailerSender(transport, 'innolink <innolink@localhost>');
      const wrapped: MailSender = {
        async send(m) {
          const info = await transport.sendMail({ from: 'innolink <innolink@localhost>', to: m.to, subject: m.subject, text: m.text });
          out.push(info.message as Buffer);
          await sender.send(m);
        },
      };
      await ctx.db.query(`UPDATE notifications SET email_status = 'pending' WHERE user_id = $1 AND email_status = 'failed'`, [people['ip-officer'].userId]);
      const r = await deliverPendingEmails(ctx.db, wrapped);
      expect(r).toMatchObject({ sent: 1, failed: 0 });
      const mime = out[0].toString('utf8');
      expect(mime).toMatch(/^To: ip@example\.org$/m);
      expect(mime).toMatch(/^Subject: =\?UTF-8\?/m);
    });

    it('without a mail server nothing is queued, and nothing is sent even with a sender at hand', async () => {
      await updateTask(ctx, plan, '17', { due_date: '2025-04-02' });
      const mail = collector();
      const res = await supervisePlan(ctx, plan, '2025-04-12', { today: TODAY, mailer: mail });
      expect(res.opened).toBe(1);
      expect(res.emails).toEqual({ sent: 0, failed: 0 });
      expect(mail.sent).toEqual([]);
      const [c] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE entity = 'plan_supervision_case' AND entity_id = $1 AND email_status <> 'none'`, [String(res.cases.find((x) => x.change === 'opened')!.id)]);
      expect(c.n).toBe(0);
    });
  });

  it('runSupervision(db, asOf) runs every plan and skips those already run as of a later date', async () => {
    const run = await runSupervision(store.db, '2025-05-01', { config: ctx.config, today: TODAY });
    const skipped = run.skipped.map((s) => s.code);
    // The task plans above ran as of later dates; the target plan ran as of 2025-06-30.
    expect(skipped.every((c) => c === 'PLAN_SUPERVISION_STALE')).toBe(true);
    expect(run.plans.length + run.skipped.length).toBe((await store.db.query(`SELECT id FROM plans`)).length);
    const again = await runSupervision(store.db, '2025-06-30', { config: ctx.config, today: TODAY });
    expect(again.skipped).toEqual([]);
    const twice = await runSupervision(store.db, '2025-06-30', { config: ctx.config, today: TODAY });
    expect(twice.plans.every((p) => p.opened === 0 && p.escalated === 0 && p.resolved === 0 && p.notifications === 0)).toBe(true);
  });
});
