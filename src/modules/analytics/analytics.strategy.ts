/**
 * The country-strategy rules of the Belt-and-Road paper (003 §4.1), with no SQL: 与沿线发达国家
 * 以“引进来”为主；与传统科技实力较强或在某些领域有特色的国家“走出去”与“引进来”并行；与科技水平
 * 较低的广大发展中国家以“走出去”为主. The paper sorts countries by their Global Innovation Index
 * rank (表1), so the default rules read the GII rank (or rank band): 1–20 bring in, 21–50 both
 * ways, 51 and below or unranked go out. A country with no innovation-level value gets no
 * suggestion unless a rule says otherwise (e.g. by group membership). Rules are a JSON object
 * (`StrategyRules`), checked by `strategyRulesSchema`; the first rule that matches decides.
 */
import { z } from 'zod';

export const DIRECTIONS = ['bring_in', 'both', 'go_out'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const DIRECTION_LABELS: Record<Direction, { zh: string; en: string }> = {
  bring_in: { zh: '引进来', en: 'bring in' },
  both: { zh: '“走出去”与“引进来”并行', en: 'both ways (go out and bring in)' },
  go_out: { zh: '走出去', en: 'go out' },
};

const ruleSchema = z
  .object({
    direction: z.enum(DIRECTIONS),
    /** The country's rank — or its whole rank band — lies within [min, max]. */
    rank: z
      .object({ min: z.number().int().min(1).optional(), max: z.number().int().min(1).optional() })
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: 'rank.min > rank.max' })
      .optional(),
    /** The indicator says the country is not ranked (e.g. 不在排名榜内). */
    unranked: z.boolean().optional(),
    /** The country has no value of the indicator at all. */
    noData: z.boolean().optional(),
    /** The country belongs to at least one of these groups (BRI, OECD …). */
    groups: z.array(z.string().min(1).max(40)).min(1).optional(),
    reason_zh: z.string().min(1).max(500),
    reason_en: z.string().min(1).max(500),
  })
  .strict()
  .refine((r) => [r.rank !== undefined, r.unranked === true, r.noData === true].filter(Boolean).length <= 1, {
    message: 'a rule uses at most one of rank, unranked, noData',
  });

export const strategyRulesSchema = z
  .object({
    /** Indicator codes in the country registry: a numeric rank and a rank band ("1-20"). */
    indicator: z
      .object({
        rank: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).default('gii_rank'),
        band: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).default('gii_rank_band'),
        /** The year to read; null: each country's latest. */
        year: z.number().int().min(1900).max(2200).nullable().default(null),
      })
      .strict()
      .default({ rank: 'gii_rank', band: 'gii_rank_band', year: null }),
    /** The home country: listed, never given a direction. */
    home: z.string().regex(/^[A-Za-z]{3}$/).transform((s) => s.toUpperCase()).default('CHN'),
    rules: z.array(ruleSchema).min(1).max(50),
  })
  .strict();

export type StrategyRules = z.output<typeof strategyRulesSchema>;
export type StrategyRule = StrategyRules['rules'][number];

/** The paper's rules (003 §4.1) on the GII rank. */
export const DEFAULT_STRATEGY_RULES: StrategyRules = {
  indicator: { rank: 'gii_rank', band: 'gii_rank_band', year: null },
  home: 'CHN',
  rules: [
    {
      direction: 'bring_in',
      rank: { max: 20 },
      reason_zh: '发达经济体，在高科技领域开展以“引进来”为主的合作，引进先进科技',
      reason_en: 'advanced economy; cooperate in high technology, mainly bringing in advanced technology',
    },
    {
      direction: 'both',
      rank: { min: 21, max: 50 },
      reason_zh: '传统科技实力较强或在某些科技领域有特色，“走出去”与“引进来”并行，实现创新优势互补和创新资源共享',
      reason_en: 'traditionally strong in S&T or strong in some fields; go out and bring in together, for complementary strengths and shared resources',
    },
    {
      direction: 'go_out',
      rank: { min: 51 },
      reason_zh: '科技水平较低的发展中国家，以先进适用技术为主、高科技为辅，开展以“走出去”为主的合作，实现优势产业技术输出及在当地产业化应用',
      reason_en: 'developing country with a lower S&T level; mainly go out, with advanced appropriate technology first and high technology second, exporting our industries\' technology and applying it locally',
    },
    {
      direction: 'go_out',
      unranked: true,
      reason_zh: '科技水平较低或无科技特色的发展中国家，以先进适用技术为主开展以“走出去”为主的合作',
      reason_en: 'developing country with a low S&T level or no S&T speciality; mainly go out, with advanced appropriate technology first',
    },
  ],
};

/** A country's innovation level as read from the registry. */
export type InnovationLevel =
  | { status: 'ranked'; indicator: string; year: number; value: string; min: number; max: number }
  | { status: 'unranked'; indicator: string; year: number; value: string }
  | { status: 'none' };

const RANGE = /^\s*(\d+)\s*(?:[-–—~～至到]|to)\s*(\d+)\s*$/i;

/**
 * Reads a rank or a rank band: 12 → 12–12, "21-50" → 21–50; any other text ("不在排名榜内",
 * "not ranked") means the source lists the country as unranked.
 */
export function innovationLevel(
  rank: { indicator: string; year: number; value_num: number | null } | null,
  band: { indicator: string; year: number; value_text: string | null; value_num: number | null } | null,
): InnovationLevel {
  if (rank && rank.value_num !== null) {
    const r = Number(rank.value_num);
    return { status: 'ranked', indicator: rank.indicator, year: rank.year, value: String(r), min: r, max: r };
  }
  if (band) {
    if (band.value_num !== null) {
      const r = Number(band.value_num);
      return { status: 'ranked', indicator: band.indicator, year: band.year, value: String(r), min: r, max: r };
    }
    const text = band.value_text ?? '';
    const m = RANGE.exec(text);
    if (m) {
      const [a, b] = [Number(m[1]), Number(m[2])].sort((x, y) => x - y);
      return { status: 'ranked', indicator: band.indicator, year: band.year, value: text.trim(), min: a, max: b };
    }
    return { status: 'unranked', indicator: band.indicator, year: band.year, value: text.trim() };
  }
  return { status: 'none' };
}

export interface StrategyVerdict {
  direction: Direction | null;
  reason_zh: string;
  reason_en: string;
  /** Index of the rule that decided, null when none did. */
  rule: number | null;
}

/** The first rule that matches the country decides its direction; the reason says why. */
export function suggestDirection(
  country: { iso3: string; groups: readonly string[]; level: InnovationLevel },
  rules: StrategyRules,
): StrategyVerdict {
  if (country.iso3 === rules.home) {
    return { direction: null, reason_zh: '本国，不作为合作对象国', reason_en: 'The home country, not a partner', rule: null };
  }
  const basis = basisOf(country.level);
  for (const [i, r] of rules.rules.entries()) {
    if (!matches(r, country)) continue;
    return { direction: r.direction, reason_zh: `${basis.zh}：${r.reason_zh}`, reason_en: `${basis.en}: ${r.reason_en}`, rule: i };
  }
  return {
    direction: null,
    reason_zh: `${basis.zh}：没有适用的规则，暂不建议合作方向`,
    reason_en: `${basis.en}: no rule applies, so no direction is suggested`,
    rule: null,
  };
}

function matches(r: StrategyRule, c: { groups: readonly string[]; level: InnovationLevel }): boolean {
  if (r.groups && !r.groups.some((g) => c.groups.includes(g.toUpperCase()))) return false;
  if (r.rank) {
    if (c.level.status !== 'ranked') return false;
    return (r.rank.min === undefined || c.level.min >= r.rank.min) && (r.rank.max === undefined || c.level.max <= r.rank.max);
  }
  if (r.unranked) return c.level.status === 'unranked';
  if (r.noData) return c.level.status === 'none';
  return true;
}

function basisOf(level: InnovationLevel): { zh: string; en: string } {
  const name = (indicator: string) => (/^gii_/.test(indicator) ? { zh: '全球创新指数', en: 'GII' } : { zh: indicator, en: indicator });
  switch (level.status) {
    case 'ranked': {
      const n = name(level.indicator);
      return { zh: `${n.zh} ${level.year} 排名 ${level.value}`, en: `${n.en} ${level.year} rank ${level.value}` };
    }
    case 'unranked': {
      const n = name(level.indicator);
      return { zh: `${n.zh} ${level.year} ${level.value}`, en: `${n.en} ${level.year} not ranked (“${level.value}”)` };
    }
    default:
      return { zh: '无创新水平数据', en: 'No innovation-level data' };
  }
}
