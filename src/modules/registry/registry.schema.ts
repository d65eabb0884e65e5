/**
 * Zod schemas derived from a registry's fields: one description gives validation, TypeScript
 * types and the OpenAPI document.
 */
import { z } from 'zod';
import type { FieldDef, RegistryDef } from './registry.types.ts';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function base(f: FieldDef): z.ZodType {
  const describe = `${f.zh} / ${f.en}`;
  switch (f.type) {
    case 'text':
      return z.string().trim().min(1).max(f.max ?? 500).describe(describe);
    case 'longtext':
      return z.string().max(f.max ?? 20000).describe(describe);
    case 'int': {
      let s = z.number().int();
      if (f.min !== undefined) s = s.min(f.min);
      if (f.max !== undefined) s = s.max(f.max);
      return s.describe(describe);
    }
    case 'number': {
      let s = z.number().finite();
      if (f.min !== undefined) s = s.min(f.min);
      if (f.max !== undefined) s = s.max(f.max);
      return s.describe(describe);
    }
    case 'bool':
      return z.boolean().describe(describe);
    case 'date':
      return z
        .string()
        .regex(DATE_RE)
        .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'invalid date' })
        .describe(describe);
    case 'enum':
      return z.enum(f.values!.map((v) => v.value) as [string, ...string[]]).describe(describe);
    case 'iso3':
      return z.string().regex(/^[A-Za-z]{3}$/).transform((v) => v.toUpperCase()).describe(describe);
    case 'ref':
      return z.number().int().positive().describe(describe);
  }
}

// Schemas are built once per registry: building (and compiling) one per record is costly.
function cached<T>(cache: WeakMap<RegistryDef, T>, def: RegistryDef, build: (d: RegistryDef) => T): T {
  let s = cache.get(def);
  if (!s) {
    s = build(def);
    cache.set(def, s);
  }
  return s;
}
const createCache = new WeakMap<RegistryDef, ReturnType<typeof buildCreate>>();
const updateCache = new WeakMap<RegistryDef, ReturnType<typeof buildUpdate>>();

/** Schema of a create body: required fields required, the rest optional or null. */
export function createSchema(def: RegistryDef) {
  return cached(createCache, def, buildCreate);
}

/** Schema of an update body: every field optional. */
export function updateSchema(def: RegistryDef) {
  return cached(updateCache, def, buildUpdate);
}

function buildCreate(def: RegistryDef) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of def.fields) {
    if (f.readOnly) continue;
    shape[f.name] = f.required ? base(f) : base(f).nullable().optional();
  }
  return z.object(shape).strict();
}

function buildUpdate(def: RegistryDef) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of def.fields) {
    if (f.readOnly) continue;
    shape[f.name] = (f.required ? base(f) : base(f).nullable()).optional();
  }
  return z.object(shape).strict();
}

/** Schema of one record as the API returns it. */
export function itemSchema(def: RegistryDef) {
  const shape: Record<string, z.ZodType> = { id: z.number() };
  for (const f of def.fields) {
    const t =
      f.type === 'int' || f.type === 'number' || f.type === 'ref'
        ? z.number()
        : f.type === 'bool'
          ? z.boolean()
          : z.string();
    shape[f.name] = t.nullable().optional();
  }
  for (const d of def.display?.fields ?? []) shape[d] = z.union([z.string(), z.number()]).nullable().optional();
  shape.created_at = z.union([z.string(), z.date()]).optional();
  shape.updated_at = z.union([z.string(), z.date()]).optional();
  return z.object(shape);
}

/** Query string of a list: paging, sorting, search, and one filter per filterable field. */
export function listQuerySchema(def: RegistryDef) {
  const shape: Record<string, z.ZodType> = {
    q: z.string().max(200).optional().describe('全文检索 / text search (中文或英文)'),
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(20),
    sort: z.enum(['id', ...def.fields.filter((f) => f.sort).map((f) => f.name)] as [string, ...string[]]).optional(),
    order: z.enum(['asc', 'desc']).default('asc'),
  };
  for (const r of def.relationFilters ?? []) {
    shape[r.name] = z.string().regex(/^[A-Za-z]{3}$/).transform((v) => v.toUpperCase()).optional().describe(`${r.zh} / ${r.en}`);
  }
  for (const f of def.fields.filter((x) => x.filter)) {
    if (f.type === 'int' || f.type === 'ref') shape[f.name] = z.coerce.number().int().optional();
    else if (f.type === 'number') shape[f.name] = z.coerce.number().optional();
    else if (f.type === 'bool') shape[f.name] = z.enum(['true', 'false']).transform((v) => v === 'true').optional();
    else if (f.type === 'enum') shape[f.name] = z.enum(f.values!.map((v) => v.value) as [string, ...string[]]).optional();
    else if (f.type === 'iso3') shape[f.name] = z.string().regex(/^[A-Za-z]{3}$/).transform((v) => v.toUpperCase()).optional();
    else shape[f.name] = z.string().max(200).optional();
    if (f.type === 'int' || f.type === 'number' || f.type === 'date') {
      const v = f.type === 'date' ? z.string().regex(DATE_RE) : z.coerce.number();
      shape[`${f.name}_min`] = v.optional();
      shape[`${f.name}_max`] = v.optional();
    }
  }
  return z.object(shape);
}
