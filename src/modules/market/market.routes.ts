/**
 * Marketplace API (/api/market/…): demands and offers with their review workflow, matching
 * (a text or a stored profile), the follow-up funnel, saved searches and alerts. Each route
 * validates, calls the service (which checks access and audits), and shapes the reply.
 */
import { withUpload } from '../../http/upload.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { CONTENT_TYPES, exportStream } from '../exports/export.ts';
import { createSavedSearch, listAlerts, listSavedSearches, readAlert, refreshRegistries, removeSavedSearch } from './market.alerts.ts';
import { exportProfiles } from './market.export.ts';
import { TECH_FIELDS } from './market.fields.ts';
import { assertMayImport, IMPORT_KINDS, importProfiles } from './market.import.ts';
import { createFollowup, funnel, getFollowup, listFollowups, moveFollowup } from './market.funnel.ts';
import { matchMarket } from './market.match.ts';
import {
  alertSchema,
  closeBody,
  COOPERATION_LABELS,
  COOPERATION_TYPES,
  followupCreateBody,
  followupSchema,
  followupStageBody,
  funnelSchema,
  IPR_STATUSES,
  MATCH_KIND_FLAGS,
  matchResponseSchema,
  MAX_QUERY_CHARS,
  profileCreateBody,
  profileEventSchema,
  profileExportQuery,
  profileListQuery,
  profilePatchBody,
  profileSchema,
  PROFILE_STATUSES,
  renewBody,
  reviewBody,
  savedSearchBody,
  savedSearchSchema,
  STATUS_LABELS,
} from './market.schema.ts';
import {
  closeProfile,
  createProfile,
  deleteProfile,
  expireDueProfiles,
  getProfile,
  listProfiles,
  profileHistory,
  renewProfile,
  reviewProfile,
  submitProfile,
  updateProfile,
} from './market.service.ts';

const TAGS = ['market'];
const idParams = z.object({ id: z.coerce.number().int().positive() });
const opt = (d: string) => z.string().max(MAX_QUERY_CHARS).optional().describe(d);

/** Match options as query-string text; the service parses and checks them (one schema for API and CLI). */
const matchOptions = {
  lang: z.enum(['zh', 'en']).optional().describe('结果标题的语言 / language of the result titles'),
  kind: opt(`${MATCH_KIND_FLAGS.join(' | ')}（可多个，逗号分隔 / comma-separated）`),
  top: opt('返回条数 1–100（默认 10） / number of results (default 10)'),
  country: opt('国别 ISO3 / partner countries (ISO3)'),
  field: opt('技术领域代码 / technology field codes'),
  trl_min: opt('最低成熟度 / lowest TRL'),
  trl_max: opt('最高成熟度 / highest TRL'),
  cooperation: opt(`合作方式 / cooperation: ${COOPERATION_TYPES.join(', ')}`),
};
const matchQuery = z
  .object({
    text: opt('需求或成果的描述（中文或英文） / a description in Chinese or English'),
    demand: opt('需求编号 / a stored demand'),
    offer: opt('成果编号 / a stored offer'),
    ...matchOptions,
  })
  .strict();
const matchBody = z
  .object({
    text: z.string().max(MAX_QUERY_CHARS).optional(),
    demand: z.number().int().positive().optional(),
    offer: z.number().int().positive().optional(),
    lang: z.enum(['zh', 'en']).optional(),
    kind: z.union([z.enum(MATCH_KIND_FLAGS), z.array(z.enum(MATCH_KIND_FLAGS))]).optional(),
    top: z.number().int().min(1).max(100).optional(),
    country: z.union([z.string(), z.array(z.string())]).optional(),
    field: z.union([z.string(), z.array(z.string())]).optional(),
    trl_min: z.number().int().min(1).max(9).optional(),
    trl_max: z.number().int().min(1).max(9).optional(),
    cooperation: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .strict();
const asArray = (v: unknown) => (typeof v === 'string' ? [v] : v);

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional();

const importIssueSchema = z.object({
  row: z.number(),
  column: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  message_en: z.string(),
});

/** The reply of POST /api/imports (the foundation importer's contract), as the marketplace fills it. */
const importResultSchema = z.object({
  ok: z.boolean(),
  kind: z.enum(IMPORT_KINDS),
  rows: z.object({ read: z.number(), imported: z.number(), rejected: z.number() }),
  issues: z.array(importIssueSchema),
  dry_run: z.boolean().optional(),
  issue_count: z.number(),
  changes: z.object({ inserted: z.number(), updated: z.number(), unchanged: z.number() }),
});

export const marketApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/market/fields',
    {
      schema: {
        tags: TAGS,
        summary: '技术领域、合作方式、知识产权与状态的取值 / Technology fields, cooperation types, IPR and status values',
        response: {
          200: z.object({
            fields: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
            cooperation: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
            ipr: z.array(z.string()),
            statuses: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
          }),
        },
      },
    },
    async () => ({
      fields: TECH_FIELDS.map(({ code, zh, en }) => ({ code, zh, en })),
      cooperation: COOPERATION_TYPES.map((c) => ({ code: c, ...COOPERATION_LABELS[c] })),
      ipr: [...IPR_STATUSES],
      statuses: PROFILE_STATUSES.map((s) => ({ code: s, ...STATUS_LABELS[s] })),
    }),
  );

  // ------------------------------------------------------------------------------- profiles

  r.get(
    '/market/profiles',
    {
      schema: {
        tags: TAGS,
        summary: '技术需求与成果列表（已发布的，及本机构或本辖区的） / Demands and offers: published ones, and your organisation’s or region’s',
        querystring: profileListQuery,
        response: { 200: z.object({ items: z.array(profileSchema), total: z.number(), page: z.number(), pageSize: z.number() }) },
      },
    },
    async (req) => listProfiles(ctx(req), req.query),
  );

  r.get(
    '/market/profiles/export',
    {
      schema: {
        tags: TAGS,
        summary: '导出技术需求与成果列表（与列表相同的筛选、检索与排序；CSV、XLSX） / Export the list of demands and offers (its filters, search and order; CSV, XLSX)',
        querystring: profileExportQuery,
      },
    },
    async (req, reply) => {
      const out = await exportProfiles(ctx(req), req.query);
      void reply
        .header('content-type', CONTENT_TYPES[out.format])
        .header('content-disposition', `attachment; filename="${out.fileName}"; filename*=UTF-8''${encodeURIComponent(`${out.sheet}-${out.fileName}`)}`);
      return reply.send(exportStream(out.format, out.sheet, out.columns, out.rows));
    },
  );

  r.post(
    '/market/import',
    {
      schema: {
        tags: TAGS,
        summary: '从表格导入技术需求或成果（multipart 字段 file；CSV、XLSX） / Import demands or offers from a table (multipart field "file"; CSV, XLSX)',
        consumes: ['multipart/form-data'],
        querystring: z
          .object({
            kind: z.enum(IMPORT_KINDS).describe('demands | offers'),
            dryRun: bool.describe('只检查不写入 / check only, write nothing'),
            keepValid: bool.describe('跳过有错误的行，导入其余 / import the valid rows, skip the others'),
            publish: bool.describe('直接发布（管理人员） / publish at once (officers)'),
          })
          .strict(),
        response: { 200: importResultSchema },
      },
    },
    async (req) => {
      const q = req.query;
      // Refused before the upload is read.
      assertMayImport(req.actor, q);
      return withUpload(req, (file) => importProfiles(ctx(req), { fileName: file.fileName, path: file.path }, { kind: q.kind, dryRun: q.dryRun, keepValid: q.keepValid, publish: q.publish }));
    },
  );

  r.post(
    '/market/profiles',
    { schema: { tags: TAGS, summary: '新建技术需求或成果（草稿） / Create a demand or an offer (draft)', body: profileCreateBody, response: { 201: profileSchema } } },
    async (req, reply) => reply.status(201).send(await createProfile(ctx(req), req.body)),
  );

  r.get(
    '/market/profiles/:id',
    { schema: { tags: TAGS, summary: '查看技术需求或成果 / A demand or an offer', params: idParams, response: { 200: profileSchema } } },
    async (req) => getProfile(ctx(req), req.params.id),
  );

  r.patch(
    '/market/profiles/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改（草稿或退回状态；管理人员至关闭前） / Edit (draft or returned; officers until closed)',
        params: idParams,
        body: profilePatchBody,
        response: { 200: profileSchema },
      },
    },
    async (req) => updateProfile(ctx(req), req.params.id, req.body),
  );

  r.delete(
    '/market/profiles/:id',
    { schema: { tags: TAGS, summary: '删除草稿 / Delete a draft', params: idParams, response: { 200: z.object({ deleted: z.number() }) } } },
    async (req) => deleteProfile(ctx(req), req.params.id),
  );

  r.get(
    '/market/profiles/:id/history',
    { schema: { tags: TAGS, summary: '审核流程记录 / Workflow history', params: idParams, response: { 200: z.object({ items: z.array(profileEventSchema) }) } } },
    async (req) => ({ items: await profileHistory(ctx(req), req.params.id) }),
  );

  r.post(
    '/market/profiles/:id/submit',
    { schema: { tags: TAGS, summary: '提交审核 / Submit for review', params: idParams, response: { 200: profileSchema } } },
    async (req) => submitProfile(ctx(req), req.params.id),
  );

  r.post(
    '/market/profiles/:id/review',
    {
      schema: {
        tags: TAGS,
        summary: '审核：通过发布、退回修改或不通过 / Review: approve (publish), return with comments, or reject',
        params: idParams,
        body: reviewBody,
        response: { 200: profileSchema },
      },
    },
    async (req) => reviewProfile(ctx(req), req.params.id, req.body),
  );

  r.post(
    '/market/profiles/:id/renew',
    { schema: { tags: TAGS, summary: '续期 / Renew until a new date', params: idParams, body: renewBody, response: { 200: profileSchema } } },
    async (req) => renewProfile(ctx(req), req.params.id, req.body),
  );

  r.post(
    '/market/profiles/:id/close',
    { schema: { tags: TAGS, summary: '关闭 / Close with a reason', params: idParams, body: closeBody, response: { 200: profileSchema } } },
    async (req) => closeProfile(ctx(req), req.params.id, req.body),
  );

  r.get(
    '/market/profiles/:id/matches',
    {
      schema: {
        tags: TAGS,
        summary: '该需求（或成果）的匹配结果及理由 / Matches of this demand (or offer), with reasons',
        params: idParams,
        querystring: z.object(matchOptions).strict(),
        response: { 200: matchResponseSchema },
      },
    },
    async (req) => {
      const c = ctx(req);
      const p = await getProfile(c, req.params.id);
      return matchMarket(c, { ...req.query, [p.kind]: req.params.id }, { recordShown: true });
    },
  );

  // ------------------------------------------------------------------------------- matching

  r.get(
    '/market/match',
    {
      schema: {
        tags: TAGS,
        summary: '匹配：文本或已存需求/成果 → 成果、需求、合作机构、人才 / Match a text or a stored profile',
        querystring: matchQuery,
        response: { 200: matchResponseSchema },
      },
    },
    async (req) => matchMarket(ctx(req), req.query),
  );

  r.post(
    '/market/match',
    {
      schema: {
        tags: TAGS,
        summary: '匹配（长文本用 POST） / Match (POST for long texts)',
        body: matchBody,
        response: { 200: matchResponseSchema },
      },
    },
    async (req) => {
      const b = req.body;
      return matchMarket(ctx(req), { ...b, kind: asArray(b.kind), country: asArray(b.country), field: asArray(b.field), cooperation: asArray(b.cooperation) });
    },
  );

  // ------------------------------------------------------------------------------- follow-up

  r.post(
    '/market/followups',
    { schema: { tags: TAGS, summary: '表达合作意向（开始跟踪一个匹配） / Express interest: follow a match up', body: followupCreateBody, response: { 201: followupSchema } } },
    async (req, reply) => reply.status(201).send(await createFollowup(ctx(req), req.body)),
  );

  r.get(
    '/market/followups',
    {
      schema: {
        tags: TAGS,
        summary: '对接跟踪列表 / Follow-ups',
        querystring: z.object({ stage: z.enum([...(['interest', 'contact', 'meeting', 'negotiation', 'agreement', 'dropped'] as const)]).optional(), profile_id: z.coerce.number().int().positive().optional() }).strict(),
        response: { 200: z.object({ items: z.array(followupSchema) }) },
      },
    },
    async (req) => ({ items: await listFollowups(ctx(req), req.query) }),
  );

  r.get(
    '/market/followups/:id',
    { schema: { tags: TAGS, summary: '对接记录 / A follow-up', params: idParams, response: { 200: followupSchema } } },
    async (req) => getFollowup(ctx(req), req.params.id),
  );

  r.post(
    '/market/followups/:id/stage',
    {
      schema: {
        tags: TAGS,
        summary: '推进对接阶段、终止或记录协议成果 / Move a follow-up forward, drop it, or record the deal',
        params: idParams,
        body: followupStageBody,
        response: { 200: followupSchema },
      },
    },
    async (req) => moveFollowup(ctx(req), req.params.id, req.body),
  );

  r.get(
    '/market/funnel',
    {
      schema: {
        tags: TAGS,
        summary: '对接漏斗：推荐 → 意向 → 联系 → 会谈 → 谈判 → 协议 / Funnel from matches shown to agreements',
        querystring: z.object({ by: z.enum(['field', 'country', 'intermediary']).optional(), from: z.string().optional(), to: z.string().optional() }).strict(),
        response: { 200: funnelSchema },
      },
    },
    async (req) => funnel(ctx(req), req.query),
  );

  // ------------------------------------------------------------------------------- alerts

  r.get(
    '/market/searches',
    { schema: { tags: TAGS, summary: '保存的检索 / Saved searches', response: { 200: z.object({ items: z.array(savedSearchSchema) }) } } },
    async (req) => ({ items: await listSavedSearches(ctx(req)) }),
  );

  r.post(
    '/market/searches',
    { schema: { tags: TAGS, summary: '保存检索（有新匹配时提醒） / Save a search (alerted on new matches)', body: savedSearchBody, response: { 201: savedSearchSchema } } },
    async (req, reply) => reply.status(201).send(await createSavedSearch(ctx(req), req.body)),
  );

  r.delete(
    '/market/searches/:id',
    { schema: { tags: TAGS, summary: '删除保存的检索 / Delete a saved search', params: idParams, response: { 200: z.object({ deleted: z.number() }) } } },
    async (req) => removeSavedSearch(ctx(req), req.params.id),
  );

  r.get(
    '/market/alerts',
    {
      schema: {
        tags: TAGS,
        summary: '新匹配提醒 / Alerts about new matches',
        querystring: z.object({ unread: z.enum(['true', 'false']).optional() }).strict(),
        response: { 200: z.object({ items: z.array(alertSchema) }) },
      },
    },
    async (req) => ({ items: await listAlerts(ctx(req), { unread: req.query.unread === 'true' }) }),
  );

  r.post(
    '/market/alerts/:id/read',
    { schema: { tags: TAGS, summary: '标记为已读 / Mark as read', params: idParams, response: { 200: alertSchema } } },
    async (req) => readAlert(ctx(req), req.params.id),
  );

  // ------------------------------------------------------------------------------- upkeep

  r.post(
    '/market/expire',
    { schema: { tags: TAGS, summary: '将过期的已发布需求/成果设为已过期 / Expire published profiles past their date', response: { 200: z.object({ expired: z.array(z.number()) }) } } },
    async (req) => ({ expired: await expireDueProfiles(ctx(req)) }),
  );

  r.post(
    '/market/index/refresh',
    { schema: { tags: TAGS, summary: '重新读取合作机构与人才（登记库导入后） / Re-read partners and talents (after registry imports)', response: { 200: z.object({ ok: z.boolean() }) } } },
    async (req) => {
      refreshRegistries(ctx(req));
      return { ok: true };
    },
  );
};
