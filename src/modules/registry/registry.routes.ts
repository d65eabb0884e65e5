/**
 * HTTP routes of a registry: list, export, read, create, update, delete. Each route validates,
 * calls the service with the request's actor, and shapes the reply.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx, type ServiceContext } from '../../http/context.ts';
import { CONTENT_TYPES, exportStream, type ExportColumn } from '../exports/export.ts';
import { createSchema, itemSchema, listQuerySchema, updateSchema } from './registry.schema.ts';
import type { RegistryService } from './registry.service.ts';
import type { ListParams, RegistryDef, RelatedRecords } from './registry.types.ts';

/** Turns a flat, validated query string into list parameters. */
export function toListParams(def: RegistryDef, query: Record<string, unknown>): ListParams {
  const filters: ListParams['filters'] = {};
  const ranges: ListParams['ranges'] = {};
  for (const r of def.relationFilters ?? []) {
    const v = query[r.name];
    if (v !== undefined && v !== '') filters[r.name] = v as string;
  }
  for (const f of def.fields.filter((x) => x.filter)) {
    const v = query[f.name];
    if (v !== undefined && v !== '') filters[f.name] = v as string | number | boolean;
    const min = query[`${f.name}_min`];
    const max = query[`${f.name}_max`];
    if (min !== undefined || max !== undefined) ranges[f.name] = { min: min as string | number | undefined, max: max as string | number | undefined };
  }
  return {
    q: query.q as string | undefined,
    page: (query.page as number) ?? 1,
    pageSize: (query.pageSize as number) ?? 20,
    sort: query.sort as string | undefined,
    order: query.order as 'asc' | 'desc' | undefined,
    filters,
    ranges,
  };
}

/** Columns of a registry's export: its fields then the display names, headed 中文 / English. */
export function exportColumns(def: RegistryDef): ExportColumn[] {
  const displayLabels: Record<string, string> = {
    region_name: '地区名称 / Region name',
    country_name_zh: '国别名称 / Country name',
    country_name_en: '国别英文名 / Country (English)',
    lead_org_name: '牵头单位名称 / Lead organisation name',
    partner_countries: '合作国别 / Partner countries',
    funding_wan: '经费（万元） / Funding (10k CNY)',
    project_code: '项目编号 / Project code',
    project_title: '项目名称 / Project title',
    host_org_name: '依托单位名称 / Host organisation name',
    nationality_name_zh: '国籍名称 / Nationality name',
  };
  return [
    { key: 'id', header: 'ID' },
    ...def.fields.map((f) => ({ key: f.name, header: `${f.zh} / ${f.en}` })),
    ...(def.display?.fields ?? []).map((k) => ({ key: k, header: displayLabels[k] ?? k })),
  ];
}

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export interface RegistryRouteOptions {
  /** Related records added to the detail reply (a project's partners, funding, outputs …), read in the record's own query. */
  related?: RelatedRecords;
}

/** A Fastify plugin with the routes of one registry under /<kind>. */
export function registryRoutes(service: RegistryService, opts: RegistryRouteOptions = {}): FastifyPluginAsync {
  const def = service.def;
  const tag = def.kind;
  const item = itemSchema(def);
  const listQuery = listQuerySchema(def);
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      `/${def.kind}`,
      {
        schema: {
          tags: [tag],
          summary: `${def.zh}列表 / List ${def.en.toLowerCase()}`,
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() }) },
        },
      },
      async (req) => service.list(ctx(req), toListParams(def, req.query as Record<string, unknown>)),
    );
    r.get(
      `/${def.kind}/export`,
      {
        schema: {
          tags: [tag],
          summary: `导出${def.zh} / Export ${def.en.toLowerCase()} (CSV, XLSX)`,
          querystring: listQuery.omit({ page: true, pageSize: true }).extend({ format: z.enum(['csv', 'xlsx']).default('xlsx') }),
        },
      },
      async (req, reply) => {
        const q = req.query as Record<string, unknown>;
        const params = toListParams(def, q);
        const format = q.format as 'csv' | 'xlsx';
        const rows = service.iterate(ctx(req), params);
        const file = `${def.kind}-${new Date().toISOString().slice(0, 10)}.${format}`;
        void reply
          .header('content-type', CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`${def.zh}-${file}`)}`);
        return reply.send(exportStream(format, def.zh, exportColumns(def), rows));
      },
    );
    r.get(
      `/${def.kind}/:id`,
      { schema: { tags: [tag], summary: `${def.zh}详情 / Get one`, params: idParams, response: { 200: item.passthrough() } } },
      async (req) => {
        return service.get(ctx(req), req.params.id, opts.related);
      },
    );
    r.post(
      `/${def.kind}`,
      { schema: { tags: [tag], summary: `新增${def.zh.replace(/库$/, '')} / Create`, body: createSchema(def), response: { 201: item } } },
      async (req, reply) => {
        const row = await service.create(ctx(req), req.body);
        return reply.status(201).send(row);
      },
    );
    r.patch(
      `/${def.kind}/:id`,
      { schema: { tags: [tag], summary: `修改${def.zh.replace(/库$/, '')} / Update`, params: idParams, body: updateSchema(def), response: { 200: item } } },
      async (req) => service.update(ctx(req), req.params.id, req.body),
    );
    r.delete(
      `/${def.kind}/:id`,
      { schema: { tags: [tag], summary: `删除${def.zh.replace(/库$/, '')} / Delete`, params: idParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await service.remove(ctx(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
