/**
 * Import API: upload a file (multipart, field "file") with the same options as the CLI, list
 * and read the import log (in the actor's regions, imports.log.ts), undo an import.
 */
import { withUpload } from '../../http/upload.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden } from '../../errors.ts';
import { can } from '../auth/auth.policy.ts';
import { importResource } from '../auth/auth.scope.ts';
import { ctx } from '../../http/context.ts';
import { importEntry, importLog } from './imports.log.ts';
import { knownKinds, runImport } from './imports.service.ts';
import { undoImport } from './imports.undo.ts';

const issueSchema = z.object({
  row: z.number(),
  column: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  message_en: z.string(),
}).passthrough();

const resultSchema = z.object({
  ok: z.boolean(),
  kind: z.string(),
  rows: z.object({ read: z.number(), imported: z.number(), rejected: z.number() }),
  issues: z.array(issueSchema),
  import_id: z.number().optional(),
  dry_run: z.boolean().optional(),
  issue_count: z.number().optional(),
  changes: z.object({ inserted: z.number(), updated: z.number(), unchanged: z.number() }).optional(),
  mapping: z.unknown().optional(),
});

const importRow = z.object({
  id: z.number(),
  kind: z.string(),
  file_name: z.string(),
  file_hash: z.string(),
  file_size: z.number(),
  actor: z.string(),
  region_context: z.string().nullable(),
  status: z.string(),
  rows_read: z.number(),
  rows_imported: z.number(),
  rows_rejected: z.number(),
  issue_count: z.number(),
  started_at: z.union([z.string(), z.date()]),
  finished_at: z.union([z.string(), z.date()]).nullable(),
  undone_at: z.union([z.string(), z.date()]).nullable(),
  undone_by: z.string().nullable(),
});

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional();

export const importsApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        summary: '上传并导入 CSV/XLSX 文件 / Upload and import a CSV or XLSX file (multipart field "file")',
        consumes: ['multipart/form-data'],
        querystring: z.object({
          kind: z.string().refine((k) => knownKinds().includes(k), { message: 'unknown kind' }),
          dryRun: bool,
          keepValid: bool,
          region: z.string().max(50).optional(),
          sheet: z.string().max(100).optional(),
          unit: z.enum(['元', '万元', '亿元']).optional(),
          map: z.string().max(2000).optional().describe('源列=目标字段,… / source=target,…'),
        }),
        response: { 200: resultSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const map = q.map
        ? Object.fromEntries(q.map.split(',').map((p) => p.split('=').map((s) => s.trim()) as [string, string]).filter(([a, b]) => a && b !== undefined))
        : undefined;
      return withUpload(req, (file) =>
        runImport(ctx(req), { fileName: file.fileName, path: file.path }, {
          kind: q.kind,
          dryRun: q.dryRun,
          keepValid: q.keepValid,
          region: q.region,
          sheet: q.sheet === undefined ? undefined : /^\d+$/.test(q.sheet) ? Number(q.sheet) : q.sheet,
          unit: q.unit,
          map,
        }),
      );
    },
  );
  r.get(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        summary: '导入记录 / Import history',
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(20),
          kind: z.string().max(50).optional(),
          status: z.enum(['running', 'done', 'failed', 'undone']).optional(),
        }),
        response: { 200: z.object({ items: z.array(importRow), total: z.number(), page: z.number(), pageSize: z.number() }) },
      },
    },
    async (req) => importLog(ctx(req), req.query),
  );
  r.get(
    '/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: '导入批次详情（含问题清单） / One import with its issues',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: importRow.extend({ issues: z.array(issueSchema), options: z.unknown() }) },
      },
    },
    async (req) => importEntry(ctx(req), req.params.id),
  );
  r.post(
    '/imports/:id/undo',
    {
      schema: {
        tags: ['imports'],
        summary: '撤销导入批次 / Undo an import',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: z.object({ import_id: z.number(), restored: z.number(), deleted: z.record(z.string(), z.number()) }) },
      },
    },
    async (req) => {
      // An import outside the actor's log reads as absent; undoing rewrites the batch's
      // records, so the importer's region must lie in the actor's scope as well.
      const imp = await importEntry(ctx(req), req.params.id);
      if (!can(req.actor, 'import', await importResource(req.server.db, imp))) throw forbidden();
      return undoImport(ctx(req), req.params.id);
    },
  );
};
