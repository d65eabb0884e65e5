/**
 * Action-plan API: list and import plans, the plan tree, the status board and supervision list
 * as of a date, reported values, progress reports and their review.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { ctx } from '../../http/context.ts';
import { withUploads } from '../../http/upload.ts';
import { importPlan, type PlanImportFile } from './plans.import.ts';
import { MEASURES } from './plans.measures.ts';
import {
  boardSchema,
  importResultSchema,
  isoDate,
  measureSchema,
  planPatchBody,
  planSummarySchema,
  planTreeSchema,
  reportBody,
  reportSchema,
  reviewBody,
  supervisionSchema,
  targetSchema,
  targetSourceBody,
  taskPatchBody,
  taskSchema,
  valueBody,
  valueSchema,
} from './plans.schema.ts';
import {
  assertCanImportPlan,
  deletePlan,
  listPlanSummaries,
  listReports,
  planBoard,
  planSupervision,
  planTree,
  reviewReport,
  setTargetMeasure,
  submitReport,
  updatePlan,
  updateTask,
  enterValue,
} from './plans.service.ts';

const TAGS = ['plans'];
const MAX_FILES = 10;
const planId = z.object({ id: z.coerce.number().int().positive() });
const taskParams = planId.extend({ n: z.string().trim().min(1).max(50).describe('任务编号 / task number') });
const asOfQuery = z.object({ asOf: isoDate.optional().describe('评估日期（默认今天） / as-of date (default today)') });

export const plansApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/plans',
    {
      schema: {
        tags: TAGS,
        summary: '行动计划列表 / List action plans',
        response: { 200: z.object({ items: z.array(planSummarySchema) }) },
      },
    },
    async (req) => ({ items: await listPlanSummaries(ctx(req)) }),
  );

  r.get(
    '/plans/measures',
    {
      schema: {
        tags: TAGS,
        summary: '可关联的登记库指标 / Registry measures a target can be linked to',
        response: { 200: z.object({ items: z.array(measureSchema) }) },
      },
    },
    async () => ({ items: MEASURES.map(({ count: _count, units, ...m }) => ({ ...m, units: [...units] })) }),
  );

  r.post(
    '/plans/import',
    {
      schema: {
        tags: TAGS,
        summary: '导入行动计划（目标表、任务表、数值表，可多个文件） / Import a plan from its targets, tasks and values tables (multipart, several files)',
        consumes: ['multipart/form-data'],
        querystring: z.object({
          name: z.string().trim().min(1).max(300).optional().describe('计划名称 / plan name'),
          region: z.string().trim().min(1).max(50).optional().describe('计划地区 / plan region'),
          owner: z.string().trim().min(1).max(300).optional().describe('牵头部门 / plan owner'),
          period: z
            .string()
            .regex(/^\d{4}-\d{4}$/)
            .optional()
            .describe('计划期，如 2024-2027 / plan period'),
        }),
        response: { 200: importResultSchema },
      },
    },
    async (req) => {
      // Authorise before reading the upload: importing a plan for this region.
      await assertCanImportPlan(ctx(req), req.query.region);
      const q = req.query;
      const period = q.period ? { from: Number(q.period.slice(0, 4)), to: Number(q.period.slice(5)) } : undefined;
      if (period && period.to < period.from)
        throw new AppError('PLAN_PERIOD_INVALID', 400, `计划期无效：${q.period}`, `Invalid plan period: ${q.period}`, [{ field: 'period' }]);
      return withUploads(
        req,
        (files) => importPlan(ctx(req), files.map((f): PlanImportFile => ({ fileName: f.fileName, path: f.path })), { name: q.name, region: q.region, owner: q.owner, period }),
        { maxFiles: MAX_FILES },
      );
    },
  );

  r.get(
    '/plans/:id',
    {
      schema: {
        tags: TAGS,
        summary: '行动计划结构（行动、目标、任务） / Plan tree: actions, targets and tasks',
        params: planId,
        response: { 200: planTreeSchema },
      },
    },
    async (req) => planTree(ctx(req), req.params.id),
  );

  r.patch(
    '/plans/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改计划名称、牵头部门、计划期或评估方法 / Change a plan’s name, owner, period or method settings',
        params: planId,
        body: planPatchBody,
        response: { 200: planTreeSchema },
      },
    },
    async (req) => updatePlan(ctx(req), req.params.id, req.body),
  );

  r.delete(
    '/plans/:id',
    {
      schema: {
        tags: TAGS,
        summary: '删除行动计划 / Delete an action plan',
        params: planId,
        response: { 200: z.object({ deleted: z.number() }) },
      },
    },
    async (req) => deletePlan(ctx(req), req.params.id),
  );

  r.get(
    '/plans/:id/status',
    {
      schema: {
        tags: TAGS,
        summary: '进展状态看板（目标状态、预测、任务督办） / Status board: target statuses, forecasts, task flags',
        params: planId,
        querystring: asOfQuery,
        response: { 200: boardSchema },
      },
    },
    async (req) => planBoard(ctx(req), req.params.id, req.query.asOf),
  );

  r.get(
    '/plans/:id/supervision',
    {
      schema: {
        tags: TAGS,
        summary: '督办清单（按责任单位） / Supervision list per responsible unit',
        params: planId,
        querystring: asOfQuery,
        response: { 200: supervisionSchema },
      },
    },
    async (req) => planSupervision(ctx(req), req.params.id, req.query.asOf),
  );

  r.post(
    '/plans/:id/values',
    {
      schema: {
        tags: TAGS,
        summary: '填报目标数值 / Enter a reported value of a target',
        params: planId,
        body: valueBody,
        response: { 201: valueSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await enterValue(ctx(req), req.params.id, req.body)),
  );

  r.put(
    '/plans/:id/targets/:tid/source',
    {
      schema: {
        tags: TAGS,
        summary: '设置目标取数方式（登记库计数或填报） / Link a target to a registry measure, or to reported values',
        params: planId.extend({ tid: z.coerce.number().int().positive() }),
        body: targetSourceBody,
        response: { 200: targetSchema },
      },
    },
    async (req) => setTargetMeasure(ctx(req), req.params.id, { target_id: req.params.tid }, req.body.measure_key),
  );

  r.patch(
    '/plans/:id/tasks/:n',
    {
      schema: {
        tags: TAGS,
        summary: '修改任务（责任单位、期限等） / Change a task: responsible units, dates, text',
        params: taskParams,
        body: taskPatchBody,
        response: { 200: taskSchema },
      },
    },
    async (req) => updateTask(ctx(req), req.params.id, req.params.n, req.body),
  );

  r.get(
    '/plans/:id/reports',
    {
      schema: {
        tags: TAGS,
        summary: '进展报告列表（可筛选待审核） / Progress reports, e.g. those awaiting review',
        params: planId,
        querystring: z.object({
          status: z.enum(['submitted', 'accepted', 'returned']).optional(),
          task: z.string().trim().min(1).max(50).optional(),
        }),
        response: { 200: z.object({ items: z.array(reportSchema) }) },
      },
    },
    async (req) => ({ items: await listReports(ctx(req), req.params.id, { review_status: req.query.status, task: req.query.task }) }),
  );

  r.post(
    '/plans/:id/tasks/:n/reports',
    {
      schema: {
        tags: TAGS,
        summary: '责任单位报送任务进展 / A responsible unit reports progress on a task',
        params: taskParams,
        body: reportBody,
        response: { 201: reportSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await submitReport(ctx(req), req.params.id, req.params.n, req.body)),
  );

  r.post(
    '/plans/:id/reports/:rid/review',
    {
      schema: {
        tags: TAGS,
        summary: '审核进展报告（通过或退回） / Review a progress report: accept or return',
        params: planId.extend({ rid: z.coerce.number().int().positive() }),
        body: reviewBody,
        response: { 200: reportSchema },
      },
    },
    async (req) => reviewReport(ctx(req), req.params.id, req.params.rid, req.body),
  );
};
