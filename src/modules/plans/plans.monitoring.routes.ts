/**
 * Plan monitoring API beyond the status board: the roll-up tree, the method settings in
 * effect, task milestones and districts, the users acting for the plan's units, supervision
 * runs and cases. Also starts the server's supervision timer (INNOLINK_SUPERVISION_INTERVAL_MINUTES)
 * once the server listens — never under app.inject(), so tests and the CLI run no timer.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { mailSenderFor } from '../notifications/notifications.mail.ts';
import {
  casesSchema,
  districtBody,
  memberBody,
  methodSchema,
  milestoneBody,
  milestonePatchBody,
  milestoneReplySchema,
  milestoneSchema,
  rollupSchema,
  superviseResultSchema,
  taskDistrictSchema,
  unitsSchema,
} from './plans.monitoring.schema.ts';
import {
  addMilestone,
  addUnitMember,
  deleteMilestone,
  listMilestones,
  listUnits,
  planMethod,
  removeUnitMember,
  setDistrict,
  updateMilestone,
} from './plans.monitoring.service.ts';
import { planRollup } from './plans.rollup.ts';
import { isoDate } from './plans.schema.ts';
import { listCases, runSupervision, supervisePlan } from './plans.supervise.ts';
import { todayIso } from './plans.values.ts';

const TAGS = ['plans'];
const planId = z.object({ id: z.coerce.number().int().positive() });
const taskParams = planId.extend({ n: z.string().trim().min(1).max(50).describe('任务编号 / task number') });
const milestoneParams = planId.extend({ mid: z.coerce.number().int().positive() });
const asOf = isoDate.optional().describe('评估日期（默认今天） / as-of date (default today)');

export const plansMonitoringApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/plans/:id/rollup',
    {
      schema: {
        tags: TAGS,
        summary: '汇总树（计划→行动→任务，地区→区）及汇总状态 / Roll-up: plan → action → task and region → district, with aggregated statuses',
        params: planId,
        querystring: z.object({ asOf }),
        response: { 200: rollupSchema },
      },
    },
    async (req) => planRollup(ctx(req), req.params.id, req.query.asOf),
  );

  r.get(
    '/plans/:id/method',
    {
      schema: {
        tags: TAGS,
        summary: '计划所用的进度、预测与督办方法及阈值 / Progress, forecast and supervision methods and thresholds in effect',
        params: planId,
        response: { 200: methodSchema },
      },
    },
    async (req) => planMethod(ctx(req), req.params.id),
  );

  r.get(
    '/plans/:id/milestones',
    {
      schema: {
        tags: TAGS,
        summary: '任务节点与期限（可只列逾期） / Task milestones and deadlines, optionally only the overdue ones',
        params: planId,
        querystring: z.object({
          task: z.string().trim().min(1).max(50).optional(),
          overdue: z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1'),
          asOf,
        }),
        response: { 200: z.object({ as_of: z.string(), items: z.array(milestoneSchema) }) },
      },
    },
    async (req) => listMilestones(ctx(req), req.params.id, { task: req.query.task, overdue: req.query.overdue, asOf: req.query.asOf }),
  );

  r.post(
    '/plans/:id/tasks/:n/milestones',
    {
      schema: {
        tags: TAGS,
        summary: '为任务添加节点及期限 / Add a milestone with its deadline to a task',
        params: taskParams,
        body: milestoneBody,
        response: { 201: milestoneReplySchema },
      },
    },
    async (req, reply) => reply.status(201).send(await addMilestone(ctx(req), req.params.id, req.params.n, req.body)),
  );

  r.patch(
    '/plans/:id/milestones/:mid',
    {
      schema: {
        tags: TAGS,
        summary: '修改节点（名称、期限、完成日期） / Change a milestone: title, deadline, done date',
        params: milestoneParams,
        body: milestonePatchBody,
        response: { 200: milestoneReplySchema },
      },
    },
    async (req) => updateMilestone(ctx(req), req.params.id, req.params.mid, req.body),
  );

  r.delete(
    '/plans/:id/milestones/:mid',
    {
      schema: {
        tags: TAGS,
        summary: '删除节点 / Delete a milestone',
        params: milestoneParams,
        response: { 200: z.object({ deleted: z.number() }) },
      },
    },
    async (req) => deleteMilestone(ctx(req), req.params.id, req.params.mid),
  );

  r.put(
    '/plans/:id/tasks/:n/district',
    {
      schema: {
        tags: TAGS,
        summary: '设置任务所在区 / Set the district a task is carried out in',
        params: taskParams,
        body: districtBody,
        response: { 200: taskDistrictSchema },
      },
    },
    async (req) => setDistrict(ctx(req), req.params.id, req.params.n, req.body.region),
  );

  r.get(
    '/plans/:id/units',
    {
      schema: {
        tags: TAGS,
        summary: '计划的单位及其用户（接收通知） / The plan’s units and the users acting for them (who are notified)',
        params: planId,
        response: { 200: unitsSchema },
      },
    },
    async (req) => listUnits(ctx(req), req.params.id),
  );

  r.post(
    '/plans/:id/units/members',
    {
      schema: {
        tags: TAGS,
        summary: '指定用户代表计划中的单位 / Let a user act for a unit of the plan',
        params: planId,
        body: memberBody,
        response: { 200: unitsSchema },
      },
    },
    async (req) => addUnitMember(ctx(req), req.params.id, req.body),
  );

  r.delete(
    '/plans/:id/units/members',
    {
      schema: {
        tags: TAGS,
        summary: '取消用户代表单位 / Stop a user acting for a unit of the plan',
        params: planId,
        querystring: memberBody,
        response: { 200: unitsSchema },
      },
    },
    async (req) => removeUnitMember(ctx(req), req.params.id, req.query),
  );

  r.post(
    '/plans/:id/supervise',
    {
      schema: {
        tags: TAGS,
        summary: '执行督办（标记、升级、解除并通知） / Run supervision: flag, escalate, resolve and notify',
        params: planId,
        querystring: z.object({ asOf }),
        response: { 200: superviseResultSchema },
      },
    },
    async (req) => supervisePlan(ctx(req), req.params.id, req.query.asOf ?? todayIso()),
  );

  r.get(
    '/plans/:id/supervision/cases',
    {
      schema: {
        tags: TAGS,
        summary: '督办事项记录（按责任单位计数） / Supervision cases, counted per responsible unit',
        params: planId,
        querystring: z.object({ state: z.enum(['open', 'resolved', 'all']).default('open') }),
        response: { 200: casesSchema },
      },
    },
    async (req) => listCases(ctx(req), req.params.id, req.query.state),
  );

  registerSupervisionTimer(app);
};

/** First run this long after the server starts listening, then every configured interval. */
const FIRST_RUN_MS = 1000;

/**
 * The server's supervision job: once the server listens, runs supervision of every plan as of
 * today, then every `supervisionIntervalMinutes` (0: never). Runs never overlap; a failure is
 * logged and the next tick tries again.
 */
export function registerSupervisionTimer(app: FastifyInstance): void {
  const minutes = app.config.supervisionIntervalMinutes;
  if (!minutes) return;
  const timers: NodeJS.Timeout[] = [];
  let running = false;
  const mailer = mailSenderFor(app.config);
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const run = await runSupervision(app.db, todayIso(), { config: app.config, mailer });
      app.log.info(
        { as_of: run.as_of, plans: run.plans.length, opened: run.plans.reduce((s, p) => s + p.opened, 0), escalated: run.plans.reduce((s, p) => s + p.escalated, 0), skipped: run.skipped.length },
        '督办已执行 / supervision run',
      );
    } catch (e) {
      app.log.error(e, '督办执行失败 / supervision run failed');
    } finally {
      running = false;
    }
  };
  app.addHook('onListen', async () => {
    timers.push(setTimeout(() => void tick(), FIRST_RUN_MS).unref(), setInterval(() => void tick(), minutes * 60_000).unref());
  });
  app.addHook('onClose', async () => {
    for (const t of timers) clearTimeout(t);
    // Let a run in progress finish before the store closes under it.
    while (running) await new Promise((res) => setTimeout(res, 50));
  });
}
