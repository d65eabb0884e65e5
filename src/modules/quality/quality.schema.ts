/**
 * Request and reply schemas of the data-quality API.
 */
import { z } from 'zod';
import { UNRESOLVED_KINDS } from './quality.service.ts';

const rowRef = z.object({ row: z.number().int(), column: z.string(), severity: z.string() });

export const summaryReply = z.object({
  facts: z.number().int(),
  totals: z.number().int(),
  unresolved: z.number().int(),
  duplicates: z.object({ found: z.number().int(), probed: z.number().int(), complete: z.boolean() }),
});

export const factsReply = z.object({
  items: z.array(
    z.object({
      fact_id: z.number().int(),
      subject: z.string(),
      indicator: z.string(),
      year: z.number().int().nullable(),
      period_from: z.number().int().nullable(),
      period_to: z.number().int().nullable(),
      unit: z.string().nullable(),
      code: z.string(),
      stated: z.number().nullable(),
      computed: z.number().nullable(),
      listed: z.number().nullable(),
      message: z.string(),
      message_en: z.string(),
      import_id: z.number().int().nullable(),
      file_name: z.string().nullable(),
      rows: z.array(rowRef),
    }),
  ),
});

export const totalsReply = z.object({
  items: z.array(
    z.object({
      import_id: z.number().int(),
      file_name: z.string(),
      kind: z.string(),
      row: z.number().int(),
      column: z.string(),
      stated: z.number().nullable(),
      computed: z.number().nullable(),
      message: z.string(),
      message_en: z.string(),
    }),
  ),
});

export const unresolvedQuery = z.object({
  kind: z.enum(UNRESOLVED_KINDS).optional().describe('country 国家 | project 项目 | region 地区 | organization 机构'),
});

export const unresolvedReply = z.object({
  items: z.array(
    z.object({
      kind: z.enum(UNRESOLVED_KINDS),
      name: z.string(),
      code: z.string(),
      occurrences: z.number().int(),
      suggestions: z.array(z.unknown()),
      imports: z.array(z.object({ import_id: z.number().int(), file_name: z.string(), rows: z.array(rowRef) })),
    }),
  ),
  truncated: z.array(z.object({ import_id: z.number().int(), file_name: z.string(), issue_count: z.number().int(), kept: z.number().int() })),
});

export const duplicatesQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).describe('从该机构编号之后开始检查 / look from organisations after this id'),
  budget: z.coerce.number().int().min(1).max(100_000).default(5000).describe('本页检查的机构数 / organisations looked from in this page'),
  limit: z.coerce.number().int().min(1).max(5000).default(200).describe('返回的疑似重复对数 / pairs returned'),
});

const side = z.object({
  id: z.number().int(),
  name: z.string(),
  country_iso3: z.string().nullable(),
  import_id: z.number().int().nullable(),
  file_name: z.string().nullable(),
  rows: z.array(rowRef),
});

export const duplicatesReply = z.object({
  items: z.array(z.object({ similarity: z.number(), reason: z.enum(['similar', 'contains']), a: side, b: side })),
  probed: z.number().int(),
  next_after: z.number().int().nullable(),
});
