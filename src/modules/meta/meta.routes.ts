/**
 * What the web application needs to draw registry pages: each registry's fields with their
 * labels, types, value lists and rules, taken from the same descriptions the API validates
 * with — so forms and lists cannot drift from the server.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REGISTRIES } from '../registries/defs.ts';
import type { RegistryDef } from '../registry/registry.types.ts';
import { exportColumns } from '../registry/registry.routes.ts';

const label = { zh: z.string(), en: z.string() };
const fieldMeta = z.object({
  name: z.string(),
  ...label,
  type: z.string(),
  values: z.array(z.object({ value: z.string(), ...label })).optional(),
  ref: z.string().optional(),
  required: z.boolean(),
  min: z.number().optional(),
  max: z.number().optional(),
  filter: z.boolean(),
  sort: z.boolean(),
  search: z.boolean(),
  restricted: z.boolean(),
  readOnly: z.boolean(),
});
const registryMeta = z.object({
  kind: z.string(),
  entity: z.string(),
  ...label,
  fields: z.array(fieldMeta),
  display: z.array(z.object({ name: z.string(), ...label })),
  relation_filters: z.array(z.object({ name: z.string(), ...label, type: z.string() })),
  defaultSort: z.string(),
  scoped: z.boolean(),
  searchable: z.boolean(),
});

export function describeRegistry(def: RegistryDef): z.infer<typeof registryMeta> {
  return {
    kind: def.kind,
    entity: def.entity,
    zh: def.zh,
    en: def.en,
    fields: def.fields.map((f) => ({
      name: f.name,
      zh: f.zh,
      en: f.en,
      type: f.type,
      ...(f.values ? { values: f.values.map((v) => ({ ...v })) } : {}),
      ...(f.ref ? { ref: f.ref } : {}),
      required: !!f.required,
      ...(f.min !== undefined ? { min: f.min } : {}),
      ...(f.max !== undefined ? { max: f.max } : {}),
      filter: !!f.filter,
      sort: !!f.sort,
      search: !!f.search,
      restricted: !!f.restricted,
      readOnly: !!f.readOnly,
    })),
    display: (def.display?.fields ?? []).map((name) => {
      const header = exportColumns(def).find((c) => c.key === name)?.header ?? name;
      const [zh, en] = header.split(' / ');
      return { name, zh: zh ?? name, en: en ?? zh ?? name };
    }),
    relation_filters: (def.relationFilters ?? []).map((r) => ({ name: r.name, zh: r.zh, en: r.en, type: r.type })),
    defaultSort: def.defaultSort,
    scoped: def.scoped,
    searchable: def.searchable,
  };
}

export const metaApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/meta/registries',
    {
      schema: {
        tags: ['meta'],
        summary: '各库字段说明（供网页表单与列表使用） / Registry field descriptions for the web application',
        response: { 200: z.object({ registries: z.array(registryMeta) }) },
      },
    },
    async () => ({ registries: Object.values(REGISTRIES).map(describeRegistry) }),
  );
};
