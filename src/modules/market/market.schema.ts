/**
 * Payloads of the marketplace: one zod schema per request and reply gives validation, the
 * TypeScript type and the OpenAPI entry. `matchResponseSchema` is the contract of
 * `innolink match --json` and of the match API: {"results": [{kind, id, title, score, reasons}]}.
 */
import { z } from 'zod';
import { FIELD_CODES } from './market.fields.ts';

export const PROFILE_KINDS = ['demand', 'offer'] as const;
export type ProfileKindDb = (typeof PROFILE_KINDS)[number];

export const PROFILE_STATUSES = ['draft', 'submitted', 'returned', 'rejected', 'published', 'expired', 'closed'] as const;
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];

type Labels<T extends string> = Record<T, { zh: string; en: string }>;

export const STATUS_LABELS: Labels<ProfileStatus> = {
  draft: { zh: '草稿', en: 'draft' },
  submitted: { zh: '待审核', en: 'submitted for review' },
  returned: { zh: '退回修改', en: 'returned for changes' },
  rejected: { zh: '未通过', en: 'rejected' },
  published: { zh: '已发布', en: 'published' },
  expired: { zh: '已过期', en: 'expired' },
  closed: { zh: '已关闭', en: 'closed' },
};

export const COOPERATION_TYPES = ['licence', 'joint_rd', 'technical_service', 'investment', 'acquisition', 'talent'] as const;
export type CooperationType = (typeof COOPERATION_TYPES)[number];
export const COOPERATION_LABELS: Labels<CooperationType> = {
  licence: { zh: '技术许可', en: 'licence' },
  joint_rd: { zh: '联合研发', en: 'joint R&D' },
  technical_service: { zh: '技术服务', en: 'technical service' },
  investment: { zh: '投资合作', en: 'investment' },
  acquisition: { zh: '技术转让/并购', en: 'acquisition' },
  talent: { zh: '人才引进', en: 'talent' },
};

export const IPR_STATUSES = ['none', 'patent_pending', 'patented', 'software_copyright', 'know_how', 'other'] as const;

/** The kinds a match can return (CLI --kind takes the plural). */
export const MATCH_KINDS = ['offer', 'demand', 'partner', 'talent'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];
export const MATCH_KIND_FLAGS = ['offers', 'demands', 'partners', 'talents'] as const;
export type MatchKindFlag = (typeof MATCH_KIND_FLAGS)[number];
export const KIND_OF_FLAG: Record<MatchKindFlag, MatchKind> = { offers: 'offer', demands: 'demand', partners: 'partner', talents: 'talent' };

export const FOLLOWUP_STAGES = ['interest', 'contact', 'meeting', 'negotiation', 'agreement'] as const;
export type FollowupStage = (typeof FOLLOWUP_STAGES)[number] | 'dropped';
export const STAGE_LABELS: Labels<FollowupStage | 'shown'> = {
  shown: { zh: '已推荐', en: 'shown' },
  interest: { zh: '表达意向', en: 'expression of interest' },
  contact: { zh: '已联系', en: 'contact' },
  meeting: { zh: '已会谈', en: 'meeting' },
  negotiation: { zh: '谈判中', en: 'negotiation' },
  agreement: { zh: '达成协议', en: 'agreement' },
  dropped: { zh: '已终止', en: 'dropped' },
};
export const OUTCOMES = ['licence', 'contract', 'joint_project', 'investment', 'acquisition', 'other'] as const;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const isoDate = z
  .string()
  .regex(DATE_RE, 'YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'invalid date');

const id = z.number().int().positive();
const iso3 = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'ISO 3166-1 alpha-3')
  .transform((s) => s.toUpperCase());
const title = z.string().trim().min(1).max(300);
const longText = z.string().trim().min(1).max(5000);

// ---------------------------------------------------------------------------------------------
// Profiles

const profileFields = {
  title_zh: title.nullish(),
  title_en: title.nullish(),
  summary_zh: longText.nullish(),
  summary_en: longText.nullish(),
  problem: longText.nullish(),
  advantages: longText.nullish(),
  field: z.enum(FIELD_CODES).nullish(),
  keywords: z.array(z.string().trim().min(1).max(60)).max(20).optional(),
  trl: z.number().int().min(1).max(9).nullish(),
  ipr: z.enum(IPR_STATUSES).nullish(),
  cooperation: z.array(z.enum(COOPERATION_TYPES)).max(COOPERATION_TYPES.length).optional(),
  org_id: id.nullish(),
  country_iso3: iso3.nullish(),
  region_id: id.nullish(),
  expires_on: isoDate.nullish(),
};

export const profileCreateBody = z
  .object({ kind: z.enum(PROFILE_KINDS), ...profileFields })
  .strict()
  .refine((p) => Boolean(p.title_zh || p.title_en), { message: 'title_zh or title_en is required / 中文或英文标题至少填写一个', path: ['title_zh'] });
export type ProfileCreate = z.output<typeof profileCreateBody>;

export const profilePatchBody = z.object(profileFields).strict();
export type ProfilePatch = z.output<typeof profilePatchBody>;

export const reviewBody = z
  .object({
    decision: z.enum(['approve', 'return', 'reject']).describe('approve → 发布 / published; return → 退回修改 / returned; reject → 未通过 / rejected'),
    comment: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
export type ReviewInput = z.output<typeof reviewBody>;

export const renewBody = z.object({ expires_on: isoDate }).strict();
export const closeBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();

export const profileSchema = z.object({
  id: z.number(),
  kind: z.enum(PROFILE_KINDS),
  status: z.enum(PROFILE_STATUSES),
  status_zh: z.string(),
  status_en: z.string(),
  title_zh: z.string().nullable(),
  title_en: z.string().nullable(),
  summary_zh: z.string().nullable(),
  summary_en: z.string().nullable(),
  problem: z.string().nullable(),
  advantages: z.string().nullable(),
  field: z.string().nullable(),
  keywords: z.array(z.string()),
  trl: z.number().nullable(),
  ipr: z.string().nullable(),
  cooperation: z.array(z.string()),
  org: z.object({ id: z.number(), name: z.string() }).nullable(),
  country_iso3: z.string().nullable(),
  region_id: z.number().nullable(),
  expires_on: z.string().nullable(),
  review_comment: z.string().nullable(),
  reviewed_by: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  submitted_at: z.string().nullable(),
  published_at: z.string().nullable(),
  closed_reason: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ProfileDto = z.infer<typeof profileSchema>;

export const profileEventSchema = z.object({
  action: z.string(),
  from_status: z.string().nullable(),
  to_status: z.string(),
  comment: z.string().nullable(),
  actor: z.string(),
  at: z.string(),
});
export type ProfileEventDto = z.infer<typeof profileEventSchema>;

/**
 * Orders of the profile list: dates, the title (Chinese, else English), the workflow order of
 * the statuses, the taxonomy order of the fields, TRL, the organisation's name, the country.
 */
export const PROFILE_SORTS = ['created_at', 'updated_at', 'published_at', 'title', 'kind', 'status', 'field', 'trl', 'org', 'country_iso3', 'expires_on'] as const;
export type ProfileSort = (typeof PROFILE_SORTS)[number];
/** Longest list search text (characters). */
export const MAX_LIST_QUERY_CHARS = 200;

const profileFilterShape = {
  q: z.string().trim().max(MAX_LIST_QUERY_CHARS).optional().describe('检索标题、简介、问题、优势与关键词（中文或英文） / search titles, summaries, problem, advantages and keywords (Chinese or English)'),
  kind: z.enum(PROFILE_KINDS).optional(),
  status: z.enum(PROFILE_STATUSES).optional(),
  org_id: z.coerce.number().int().positive().optional(),
  field: z.enum(FIELD_CODES).optional(),
  sort: z.enum(PROFILE_SORTS).optional().describe(`排序 / order by: ${PROFILE_SORTS.join(', ')}（默认 updated_at 降序 / default: updated_at, newest first）`),
  order: z.enum(['asc', 'desc']).optional().describe('asc | desc（指定 sort 时默认 asc / asc when a sort is given）'),
};

export const profileListQuery = z
  .object({
    ...profileFilterShape,
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();
export type ProfileListQuery = z.output<typeof profileListQuery>;

/** The list's filters, search and order, and the file format: exactly the list, every page. */
export const profileExportQuery = z.object({ ...profileFilterShape, format: z.enum(['csv', 'xlsx']).default('xlsx') }).strict();
export type ProfileExportQuery = z.output<typeof profileExportQuery>;

// ---------------------------------------------------------------------------------------------
// Matching

/** Longest query text accepted (characters); longer texts are refused, not cut silently. */
export const MAX_QUERY_CHARS = 20_000;

const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(/[,，]/).map((s) => s.trim()).filter(Boolean) : v), z.array(item).min(1).max(50));

export const matchFiltersSchema = z
  .object({
    country: csvList(iso3).optional().describe('国别 ISO3，可多个 / partner countries (ISO3, comma-separated)'),
    field: csvList(z.enum(FIELD_CODES)).optional().describe('技术领域 / technology fields'),
    trl_min: z.coerce.number().int().min(1).max(9).optional(),
    trl_max: z.coerce.number().int().min(1).max(9).optional(),
    cooperation: csvList(z.enum(COOPERATION_TYPES)).optional().describe('合作方式 / cooperation types'),
  })
  .strict();
export type MatchFilterInput = z.output<typeof matchFiltersSchema>;

export const matchQuerySchema = z
  .object({
    text: z.string().max(MAX_QUERY_CHARS).optional().describe('需求或成果的描述（中文或英文） / a description in Chinese or English'),
    demand: z.coerce.number().int().positive().optional().describe('以已存需求匹配 / match from a stored demand'),
    offer: z.coerce.number().int().positive().optional().describe('以已存成果匹配 / match from a stored offer'),
    lang: z.enum(['zh', 'en']).optional().describe('结果标题的语言 / language of the result titles'),
    kind: csvList(z.enum(MATCH_KIND_FLAGS)).optional().describe('offers | demands | partners | talents'),
    top: z.coerce.number().int().min(1).max(100).default(10),
    ...matchFiltersSchema.shape,
  })
  .strict();
export type MatchQueryInput = z.input<typeof matchQuerySchema>;
export type MatchQueryParsed = z.output<typeof matchQuerySchema>;

export const REASON_TYPES = ['term', 'field', 'stage', 'cooperation', 'country', 'history', 'record'] as const;
export const reasonSchema = z.object({
  type: z.enum(REASON_TYPES),
  term: z.string().optional(),
  via: z.enum(['same-language', 'glossary', 'translation']).optional(),
  detail_zh: z.string(),
  detail_en: z.string(),
});
export type MarketReason = z.infer<typeof reasonSchema>;

export const matchResultSchema = z.object({
  kind: z.enum(MATCH_KINDS),
  id: z.string(),
  title: z.string(),
  score: z.number(),
  reasons: z.array(reasonSchema),
});
export type MatchResultDto = z.infer<typeof matchResultSchema>;

export const matchResponseSchema = z.object({ results: z.array(matchResultSchema) });
export type MatchResponse = z.infer<typeof matchResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Follow-up funnel

export const followupCreateBody = z
  .object({
    profile_id: id.optional().describe('匹配来源的需求或成果 / the demand or offer the match came from'),
    target_kind: z.enum(MATCH_KINDS),
    target_id: id,
    org_id: id.optional().describe('表达意向的机构 / the organisation taking the match up'),
    intermediary_org_id: id.optional().describe('技术转移服务机构 / the intermediary'),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
export type FollowupCreate = z.output<typeof followupCreateBody>;

export const followupStageBody = z
  .object({
    stage: z.enum([...FOLLOWUP_STAGES, 'dropped']),
    note: z.string().trim().min(1).max(2000).optional(),
    dropped_reason: z.string().trim().min(1).max(1000).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    project_id: id.optional(),
    output_id: id.optional(),
  })
  .strict();
export type FollowupStageInput = z.output<typeof followupStageBody>;

export const followupSchema = z.object({
  id: z.number(),
  profile_id: z.number().nullable(),
  org_id: z.number().nullable(),
  target_kind: z.enum(MATCH_KINDS),
  target_id: z.number(),
  intermediary_org_id: z.number().nullable(),
  field: z.string().nullable(),
  country_iso3: z.string().nullable(),
  stage: z.enum([...FOLLOWUP_STAGES, 'dropped']),
  reached: z.enum(FOLLOWUP_STAGES),
  stage_since: z.string(),
  outcome: z.string().nullable(),
  dropped_reason: z.string().nullable(),
  project_id: z.number().nullable(),
  output_id: z.number().nullable(),
  score: z.number().nullable(),
  reasons: z.array(reasonSchema),
  note: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type FollowupDto = z.infer<typeof followupSchema>;

export const funnelQuery = z
  .object({
    by: z.enum(['field', 'country', 'intermediary']).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();
export type FunnelQuery = z.output<typeof funnelQuery>;

const stageCounts = z.object({
  shown: z.number(),
  interest: z.number(),
  contact: z.number(),
  meeting: z.number(),
  negotiation: z.number(),
  agreement: z.number(),
  dropped: z.number(),
});

export const funnelSchema = z.object({
  /** Matches that reached each stage (a match at "meeting" counts for interest, contact, meeting). */
  stages: z.array(z.object({ stage: z.string(), label_zh: z.string(), label_en: z.string(), reached: z.number(), current: z.number() })),
  groups: z.array(z.object({ by: z.string(), key: z.string().nullable(), label_zh: z.string(), label_en: z.string(), counts: stageCounts })),
  time_in_stage: z.array(z.object({ stage: z.string(), entries: z.number(), mean_days: z.number().nullable(), median_days: z.number().nullable() })),
  dropped_reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
  deals: z.array(
    z.object({
      followup_id: z.number(),
      outcome: z.string().nullable(),
      project: z.object({ id: z.number(), title: z.string() }).nullable(),
      output: z.object({ id: z.number(), title: z.string() }).nullable(),
    }),
  ),
});
export type FunnelDto = z.infer<typeof funnelSchema>;

// ---------------------------------------------------------------------------------------------
// Saved searches and alerts

export const savedSearchBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(MAX_QUERY_CHARS),
    kind: z.enum(PROFILE_KINDS).default('offer'),
    filters: matchFiltersSchema.default({}),
    org_id: id.optional(),
  })
  .strict();
export type SavedSearchInput = z.output<typeof savedSearchBody>;

export const savedSearchSchema = z.object({
  id: z.number(),
  org_id: z.number().nullable(),
  user_id: z.number().nullable(),
  name: z.string(),
  text: z.string(),
  kind: z.enum(PROFILE_KINDS),
  filters: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});
export type SavedSearchDto = z.infer<typeof savedSearchSchema>;

export const alertSchema = z.object({
  id: z.number(),
  org_id: z.number().nullable(),
  for_profile_id: z.number().nullable(),
  search_id: z.number().nullable(),
  profile: z.object({ id: z.number(), kind: z.enum(PROFILE_KINDS), title: z.string() }),
  rank: z.number(),
  score: z.number(),
  reasons: z.array(reasonSchema),
  message: z.string(),
  message_en: z.string(),
  created_at: z.string(),
  read_at: z.string().nullable(),
});
export type AlertDto = z.infer<typeof alertSchema>;
