/**
 * Indicator systems and evaluation API (/api/indicators): frameworks (CRUD, versions, file
 * import), data sets, runs (the CLI's options as JSON), a run's results, "why this score",
 * uncertainty and sensitivity, reproduction check and XLSX export, and the AHP calculator the web
 * uses to show the consistency ratio while a matrix is filled in.
 */
import { withUpload } from '../../http/upload.ts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { ctx } from '../../http/context.ts';
import { runWorkbook } from './indicators.export.ts';
import { runSummaryPdf } from './indicators.pdf.ts';
import { datasetFromFacts, factsDatasetBody, factsDatasetSchema } from './indicators.facts.ts';
import type { FileInput } from './indicators.files.ts';
import {
  ahpBody,
  ahpResultSchema,
  ahpTableReplySchema,
  datasetCreateBody,
  datasetDetailSchema,
  datasetImportQuery,
  datasetSummarySchema,
  explainSchema,
  frameworkCreateBody,
  frameworkDetailSchema,
  frameworkPatchBody,
  frameworkSummarySchema,
  importQuery,
  reproduceSchema,
  runCreateBody,
  runDetailSchema,
  runSummarySchema,
  uncertaintySchema,
  versionCreateBody,
  versionSchema,
} from './indicators.schema.ts';
import {
  addFrameworkVersion,
  ahp,
  ahpTable,
  createDataset,
  createFramework,
  createRun,
  deleteDataset,
  deleteFramework,
  deleteRun,
  explainRun,
  getDataset,
  getFramework,
  importDataset,
  importFramework,
  importFrameworkVersion,
  listDatasetSummaries,
  listFrameworkSummaries,
  listFrameworkVersions,
  listRunSummaries,
  reproduceRun,
  runForExport,
  runUncertainty,
  updateFramework,
  getRun,
  assertIndicatorAccess,
} from './indicators.service.ts';

const TAGS = ['indicators'];
const idParams = z.object({ id: z.coerce.number().int().positive() });
const frameworkParams = z.object({ id: z.string().trim().min(1).max(64).describe('框架 id 或代码 / framework id or key') });
const deleted = z.object({ deleted: z.number() });
const sheetOf = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v);

/** Run `use` on the one uploaded file of a multipart request, on disk while it runs. */
function withFile<T>(req: FastifyRequest, use: (file: FileInput) => Promise<T>): Promise<T> {
  return withUpload(req, (f) => {
    if (f.size === 0) throw new AppError('FILE_EMPTY', 400, '上传的文件为空', 'The uploaded file is empty');
    return use({ path: f.path, fileName: f.fileName });
  });
}

export const indicatorsApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // --- frameworks -----------------------------------------------------------------------------

  r.get(
    '/indicators/frameworks',
    { schema: { tags: TAGS, summary: '指标框架列表 / List indicator frameworks', response: { 200: z.object({ items: z.array(frameworkSummarySchema) }) } } },
    async (req) => ({ items: await listFrameworkSummaries(ctx(req)) }),
  );

  r.post(
    '/indicators/frameworks',
    { schema: { tags: TAGS, summary: '新建指标框架（节点 JSON） / Create a framework from nodes', body: frameworkCreateBody, response: { 201: frameworkDetailSchema } } },
    async (req, reply) => reply.status(201).send(await createFramework(ctx(req), req.body)),
  );

  r.post(
    '/indicators/frameworks/import',
    {
      schema: {
        tags: TAGS,
        summary: '导入指标框架文件（COINr iMeta CSV/XLSX、YAML、JSON） / Import a framework file',
        consumes: ['multipart/form-data'],
        querystring: importQuery,
        response: { 201: frameworkDetailSchema },
      },
    },
    async (req, reply) => {
      assertIndicatorAccess(req.actor, 'create', 'indicator_frameworks');
      const { sheet, ...q } = req.query;
      return reply.status(201).send(await withFile(req, (file) => importFramework(ctx(req), file, { ...q, sheet: sheetOf(sheet) })));
    },
  );

  r.get(
    '/indicators/frameworks/:id',
    {
      schema: {
        tags: TAGS,
        summary: '指标框架（树与节点） / A framework: its tree and nodes',
        params: frameworkParams,
        querystring: z.object({ version: z.coerce.number().int().positive().optional() }),
        response: { 200: frameworkDetailSchema },
      },
    },
    async (req) => getFramework(ctx(req), req.params.id, req.query.version),
  );

  r.patch(
    '/indicators/frameworks/:id',
    { schema: { tags: TAGS, summary: '修改框架名称与说明 / Change a framework’s name or description', params: frameworkParams, body: frameworkPatchBody, response: { 200: frameworkDetailSchema } } },
    async (req) => updateFramework(ctx(req), req.params.id, req.body),
  );

  r.delete(
    '/indicators/frameworks/:id',
    { schema: { tags: TAGS, summary: '删除指标框架（无评价运行时） / Delete a framework (when no run rests on it)', params: frameworkParams, response: { 200: z.object({ deleted: z.string() }) } } },
    async (req) => {
      await deleteFramework(ctx(req), req.params.id);
      return { deleted: req.params.id };
    },
  );

  r.get(
    '/indicators/frameworks/:id/versions',
    { schema: { tags: TAGS, summary: '框架的版本 / A framework’s versions', params: frameworkParams, response: { 200: z.object({ items: z.array(versionSchema) }) } } },
    async (req) => ({ items: await listFrameworkVersions(ctx(req), req.params.id) }),
  );

  r.post(
    '/indicators/frameworks/:id/versions',
    { schema: { tags: TAGS, summary: '保存修改后的框架为新版本 / Save an edited tree as a new version', params: frameworkParams, body: versionCreateBody, response: { 201: frameworkDetailSchema } } },
    async (req, reply) => reply.status(201).send(await addFrameworkVersion(ctx(req), req.params.id, req.body)),
  );

  r.post(
    '/indicators/frameworks/:id/versions/import',
    {
      schema: {
        tags: TAGS,
        summary: '从文件导入新版本 / Import a new version from a file',
        consumes: ['multipart/form-data'],
        params: frameworkParams,
        querystring: importQuery.pick({ label: true, sheet: true }),
        response: { 201: frameworkDetailSchema },
      },
    },
    async (req, reply) => {
      assertIndicatorAccess(req.actor, 'update', 'indicator_frameworks');
      return reply.status(201).send(await withFile(req, (file) => importFrameworkVersion(ctx(req), req.params.id, file, { label: req.query.label, sheet: sheetOf(req.query.sheet) })));
    },
  );

  // --- data sets ------------------------------------------------------------------------------

  r.get(
    '/indicators/datasets',
    {
      schema: {
        tags: TAGS,
        summary: '数据集列表 / List data sets',
        querystring: z.object({ framework: z.string().trim().min(1).max(64).optional().describe('框架 id 或代码 / framework id or key') }),
        response: { 200: z.object({ items: z.array(datasetSummarySchema) }) },
      },
    },
    async (req) => ({ items: await listDatasetSummaries(ctx(req), req.query.framework) }),
  );

  r.post(
    '/indicators/datasets',
    { schema: { tags: TAGS, summary: '新建数据集（iData 行 JSON） / Create a data set from iData rows', body: datasetCreateBody, response: { 201: datasetDetailSchema } } },
    async (req, reply) => reply.status(201).send(await createDataset(ctx(req), req.body)),
  );

  r.post(
    '/indicators/datasets/from-facts',
    {
      schema: {
        tags: TAGS,
        summary: '由统计数据登记表生成数据集（默认区域创新国际化指数） / Build a data set from the stated-figures registry',
        body: factsDatasetBody,
        response: { 201: factsDatasetSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await datasetFromFacts(ctx(req), req.body)),
  );

  r.post(
    '/indicators/datasets/import',
    {
      schema: {
        tags: TAGS,
        summary: '导入数据集文件（COINr iData CSV/XLSX） / Import a data set file',
        consumes: ['multipart/form-data'],
        querystring: datasetImportQuery,
        response: { 201: datasetDetailSchema },
      },
    },
    async (req, reply) => {
      assertIndicatorAccess(req.actor, 'create');
      const q = req.query;
      return reply.status(201).send(await withFile(req, (file) => importDataset(ctx(req), q.framework, file, { name: q.name, description: q.description, sheet: sheetOf(q.sheet) })));
    },
  );

  r.get(
    '/indicators/datasets/:id',
    { schema: { tags: TAGS, summary: '数据集（单位 × 指标取值） / A data set: units × indicator values', params: idParams, response: { 200: datasetDetailSchema } } },
    async (req) => getDataset(ctx(req), req.params.id),
  );

  r.delete(
    '/indicators/datasets/:id',
    { schema: { tags: TAGS, summary: '删除数据集（无评价运行时） / Delete a data set (when no run uses it)', params: idParams, response: { 200: deleted } } },
    async (req) => {
      await deleteDataset(ctx(req), req.params.id);
      return { deleted: req.params.id };
    },
  );

  // --- runs -----------------------------------------------------------------------------------

  r.get(
    '/indicators/runs',
    {
      schema: {
        tags: TAGS,
        summary: '评价运行列表 / List evaluation runs',
        querystring: z.object({ framework: z.string().trim().min(1).max(64).optional(), dataset: z.coerce.number().int().positive().optional() }),
        response: { 200: z.object({ items: z.array(runSummarySchema) }) },
      },
    },
    async (req) => ({ items: await listRunSummaries(ctx(req), { framework: req.query.framework, dataset: req.query.dataset }) }),
  );

  r.post(
    '/indicators/runs',
    {
      schema: {
        tags: TAGS,
        summary: '运行评价（与 innolink eval run 相同的选项）并保存 / Run an evaluation (the options of innolink eval run) and store it',
        body: runCreateBody,
        response: { 201: runDetailSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await createRun(ctx(req), req.body)),
  );

  r.get(
    '/indicators/runs/:id',
    {
      schema: {
        tags: TAGS,
        summary: '评价结果：得分、排名、维度得分、排名区间 / Run results: scores, ranks, dimension scores, rank intervals',
        params: idParams,
        querystring: z.object({ diagnostics: z.enum(['0', '1', 'true', 'false']).optional().describe('附带全部诊断信息 / include every diagnostic') }),
        response: { 200: runDetailSchema },
      },
    },
    async (req) => getRun(ctx(req), req.params.id, { diagnostics: req.query.diagnostics === '1' || req.query.diagnostics === 'true' }),
  );

  r.delete(
    '/indicators/runs/:id',
    { schema: { tags: TAGS, summary: '删除评价运行 / Delete a run', params: idParams, response: { 200: deleted } } },
    async (req) => {
      await deleteRun(ctx(req), req.params.id);
      return { deleted: req.params.id };
    },
  );

  r.get(
    '/indicators/runs/:id/explain',
    {
      schema: {
        tags: TAGS,
        summary: '得分解释：原始值、标准化值、权重与贡献 / Why this score: raw and normalised values, weights and contributions',
        params: idParams,
        querystring: z.object({ unit: z.string().trim().min(1).max(200).describe('单位代码 / unit code') }),
        response: { 200: explainSchema },
      },
    },
    async (req) => explainRun(ctx(req), req.params.id, req.query.unit),
  );

  r.get(
    '/indicators/runs/:id/uncertainty',
    { schema: { tags: TAGS, summary: '不确定性与敏感性分析结果 / Uncertainty and sensitivity results', params: idParams, response: { 200: uncertaintySchema } } },
    async (req) => runUncertainty(ctx(req), req.params.id),
  );

  r.get(
    '/indicators/runs/:id/reproduce',
    { schema: { tags: TAGS, summary: '按保存的输入重算并核对 / Recompute from the stored inputs and compare', params: idParams, response: { 200: reproduceSchema } } },
    async (req) => reproduceRun(ctx(req), req.params.id),
  );

  r.get(
    '/indicators/runs/:id/export',
    {
      schema: {
        tags: TAGS,
        summary: '导出评价运行（XLSX 每表一页；format=pdf 为摘要） / Export a run (XLSX, one sheet per table; format=pdf: summary)',
        params: idParams,
        querystring: z.object({ format: z.enum(['xlsx', 'pdf']).default('xlsx') }).strict(),
      },
    },
    async (req, reply) => {
      const { run, result, nodes } = await runForExport(ctx(req), req.params.id);
      if (req.query.format === 'pdf') {
        const { pdf } = await runSummaryPdf(run, result, nodes);
        void reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="run-${run.id}.pdf"`);
        return reply.send(pdf);
      }
      const buf = await runWorkbook(run, result, nodes);
      void reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="run-${run.id}.xlsx"`);
      return reply.send(buf);
    },
  );

  // --- AHP ------------------------------------------------------------------------------------

  r.post(
    '/indicators/ahp',
    {
      schema: {
        tags: TAGS,
        summary: 'AHP 判断矩阵：特征向量权重与一致性比率 CR / AHP: eigenvector weights and consistency ratio',
        body: ahpBody,
        response: { 200: ahpResultSchema },
      },
    },
    async (req) => ahp(ctx(req), req.body),
  );

  r.post(
    '/indicators/ahp/table',
    {
      schema: {
        tags: TAGS,
        summary: '上传判断矩阵表格（CSV/Excel：首行首列为代码，单元格如 3、1/3） / Upload judgement matrices as a CSV or Excel table',
        consumes: ['multipart/form-data'],
        response: { 200: ahpTableReplySchema },
      },
    },
    async (req) => withFile(req, (file) => ahpTable(ctx(req), file)),
  );
};
