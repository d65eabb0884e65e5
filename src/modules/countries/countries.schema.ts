/**
 * Zod schemas of the countries API: one schema per payload gives validation, the TypeScript
 * type and the OpenAPI entry.
 */
import { z } from 'zod';

export const iso3Param = z.object({
  iso3: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'ISO3 代码应为3个字母 / an ISO3 code is three letters')
    .transform((v) => v.toUpperCase())
    .describe('ISO 3166-1 alpha-3 代码 / code'),
});

export const countryListQuery = z.object({
  q: z.string().max(200).optional().describe('名称、别名或代码 / name, alias or code'),
  kind: z.enum(['country', 'region']).optional().describe('国家或地区 / country or region'),
  group: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional()
    .describe('国家组代码，如 BRI、RCEP、EU / group code'),
  sort: z.enum(['iso3', 'name_zh', 'name_en']).default('iso3'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type CountryListQuery = z.infer<typeof countryListQuery>;

export const country = z.object({
  iso3: z.string(),
  iso2: z.string(),
  numeric_code: z.string().nullable(),
  name_zh: z.string(),
  name_en: z.string(),
  kind: z.enum(['country', 'region']),
  sovereign_iso3: z.string().nullable().describe('地区所属国 / sovereign country of a region'),
  note: z.string().nullable(),
  groups: z.array(z.string()).describe('所属国家组代码 / codes of the groups it belongs to'),
});

export const countryList = z.object({
  items: z.array(country),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const countryAlias = z.object({
  alias: z.string(),
  lang: z.string().nullable(),
  source: z.string(),
});

export const countryIndicator = z.object({
  indicator: z.string(),
  year: z.number().int(),
  value_num: z.number().nullable(),
  value_text: z.string().nullable(),
  unit: z.string().nullable(),
  source: z.string().nullable(),
});

export const countryDetail = country.extend({
  aliases: z.array(countryAlias),
  group_details: z.array(z.object({ code: z.string(), name_zh: z.string(), name_en: z.string() })),
  indicators: z.array(countryIndicator),
});

export const countryPatch = z
  .object({
    name_zh: z.string().trim().min(1).max(100).optional(),
    name_en: z.string().trim().min(1).max(200).optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict()
  .refine((v) => v.name_zh !== undefined || v.name_en !== undefined || v.note !== undefined, {
    message: '至少修改一个字段 / change at least one field',
  });

export const aliasCreate = z
  .object({
    alias: z.string().trim().min(1).max(200),
    lang: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/)
      .nullable()
      .optional()
      .describe('语言，如 zh、en / language'),
  })
  .strict();

export const aliasCreated = z.object({
  alias: z.string(),
  alias_key: z.string(),
  iso3: z.string(),
  lang: z.string().nullable(),
  source: z.string(),
});

export const countryGroupList = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name_zh: z.string(),
      name_en: z.string(),
      description: z.string().nullable(),
      members: z.array(z.string()).describe('成员国 ISO3 代码 / ISO3 codes of the members'),
    }),
  ),
});

export const resolveQuery = z.object({
  name: z
    .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(500)])
    .describe('要识别的名称，可重复 / names to resolve (repeat the parameter)'),
});

export const suggestion = z.object({
  iso3: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  score: z.number(),
});

/** The resolution contract shared by the API and `innolink countries resolve --json`. */
export const resolveResult = z.object({
  results: z.array(
    z.object({
      input: z.string(),
      iso3: z.string().nullable(),
      name_zh: z.string().nullable(),
      name_en: z.string().nullable(),
      match: z.enum(['exact', 'alias', 'fuzzy', 'none']),
      suggestions: z.array(suggestion),
    }),
  ),
});

export const errorReply = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    message_en: z.string(),
    details: z.array(z.record(z.string(), z.unknown())),
    requestId: z.string().optional(),
  }),
});
