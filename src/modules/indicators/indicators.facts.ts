/**
 * A data set built from the stated-figures registry (facts, 统计数据): one unit per subject
 * (江苏, 北京 …), one column per indicator of the framework, each value the stated figure of
 * the latest year (up to `year` when given). Indicators are matched to facts by name — the
 * framework's Chinese or English name with spaces, brackets and quotes ignored — or by an
 * explicit `match` of indicator code → fact indicator names. The default framework is the
 * built-in regional innovation-internationalisation index (issue 5, template 3), which the
 * demo's regional_indicator_facts.csv feeds. The data set is stored like any other (audited).
 */
import { z } from 'zod';
import { AppError, forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { can } from '../auth/auth.policy.ts';
import { regionsNamed } from '../regions/regions.repo.ts';
import { datasetDetailSchema, type NodeDto } from './indicators.schema.ts';
import { assertIndicatorAccess, createDataset, getFramework } from './indicators.service.ts';

export const DEFAULT_FACTS_FRAMEWORK = 'regional-internationalisation';

const names = z.union([z.string().trim().min(1).max(300), z.array(z.string().trim().min(1).max(300)).min(1).max(20)]);

export const factsDatasetBody = z
  .object({
    framework: z.union([z.number().int().positive(), z.string().trim().min(1).max(100)]).default(DEFAULT_FACTS_FRAMEWORK).describe('指标框架 id 或 key / framework id or key'),
    name: z.string().trim().min(1).max(300).optional(),
    description: z.string().trim().max(5000).optional(),
    region: z.string().trim().min(1).max(100).optional().describe('只取该地区（含下级）的数据 / only figures of this region and the regions inside it'),
    subjects: z.array(z.string().trim().min(1).max(200)).min(1).max(1000).optional().describe('单位（facts 的对象） / units (fact subjects)'),
    year: z.number().int().min(1900).max(2200).optional().describe('取不晚于该年份的最新值 / latest figure up to this year'),
    match: z.record(z.string().trim().min(1).max(100), names).optional().describe('指标代码 → facts 指标名称 / indicator code → fact indicator names'),
    min_indicators: z.number().int().min(1).max(1000).default(1).describe('单位至少有几个指标有值 / a unit needs values for at least this many indicators'),
  })
  .strict();
export type FactsDatasetInput = z.input<typeof factsDatasetBody>;

export const factsDatasetSchema = datasetDetailSchema.extend({
  from_facts: z.object({
    framework: z.string(),
    region: z.string().nullable(),
    year: z.number().nullable(),
    units: z.array(z.string()),
    matched: z.record(z.string(), z.object({ facts: z.array(z.string()), units: z.number() })),
    unmatched: z.array(z.string()),
    cells: z.number(),
    sources: z.array(z.object({ unit: z.string(), indicator: z.string(), fact: z.string(), year: z.number().nullable(), value: z.number(), source: z.string().nullable() })),
  }),
});
export type FactsDataset = z.infer<typeof factsDatasetSchema>;

/** An indicator name as compared: no whitespace, bracketed parts, quotes or case. */
export function factKey(s: string): string {
  return s
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s“”"'‘’「」《》]/g, '')
    .toLowerCase();
}

interface FactRow {
  id: unknown;
  subject: string;
  indicator: string;
  year: number | null;
  value: unknown;
  source: string | null;
}

/** Builds and stores a data set of the framework from the stated figures. */
export async function datasetFromFacts(ctx: ServiceContext, raw: FactsDatasetInput): Promise<FactsDataset> {
  const input = factsDatasetBody.parse(raw);
  assertIndicatorAccess(ctx.actor, 'create');
  if (!can(ctx.actor, 'read', { kind: 'facts', classification: 'public' })) throw forbidden();
  const fw = await getFramework(ctx, input.framework);
  const indicators = fw.nodes.filter((n: NodeDto) => n.type === 'indicator');
  const codes = new Set(indicators.map((n) => n.code));
  const unknown = Object.keys(input.match ?? {}).filter((c) => !codes.has(c));
  if (unknown.length) {
    throw new AppError('INDICATOR_UNKNOWN', 400, `框架 ${fw.key} 没有这些指标：${unknown.join('、')}`, `Framework ${fw.key} has no indicators ${unknown.join(', ')}`, unknown.map((c) => ({ field: 'match', value: c })));
  }

  let regionPath: string | null = null;
  if (input.region) {
    const [r] = await regionsNamed(ctx.db, input.region);
    if (!r) throw new AppError('REGION_NOT_FOUND', 404, `未找到地区：${input.region}`, `No region ${input.region}`, [{ field: 'region', value: input.region }]);
    regionPath = r.path;
  }
  const rows = await ctx.db.query<FactRow>(
    `SELECT f.id, f.subject, f.indicator, f.year, f.value, f.source FROM facts f
      WHERE f.value IS NOT NULL
        AND ($1::text IS NULL OR f.region_id IN (SELECT id FROM admin_regions WHERE path LIKE $1 || '%'))
        AND ($2::text[] IS NULL OR f.subject = ANY($2::text[]))
        AND ($3::int IS NULL OR f.year IS NULL OR f.year <= $3)
      ORDER BY f.subject, f.indicator, f.year DESC NULLS LAST, f.id`,
    [regionPath, input.subjects ?? null, input.year ?? null],
  );

  // Indicator code by the keys of the names it answers to.
  const byKey = new Map<string, string>();
  for (const n of indicators) {
    const explicit = input.match?.[n.code];
    const keys = explicit ? (Array.isArray(explicit) ? explicit : [explicit]) : [n.name, n.name_en].filter((x): x is string => Boolean(x));
    for (const k of keys) byKey.set(factKey(k), n.code);
  }

  // The latest figure of each subject × indicator (rows come newest first).
  const cells = new Map<string, Map<string, { value: number; fact: string; year: number | null; source: string | null }>>();
  for (const r of rows) {
    const code = byKey.get(factKey(r.indicator));
    const value = Number(r.value);
    if (!code || !Number.isFinite(value)) continue;
    const unit = cells.get(r.subject) ?? new Map();
    if (!unit.has(code)) unit.set(code, { value, fact: r.indicator, year: r.year === null ? null : Number(r.year), source: r.source });
    cells.set(r.subject, unit);
  }
  const order = input.subjects ?? [...cells.keys()].sort((a, b) => a.localeCompare(b, 'zh'));
  const units = order.filter((s) => (cells.get(s)?.size ?? 0) >= input.min_indicators);
  if (!units.length) {
    throw new AppError(
      'FACTS_NO_MATCH',
      422,
      `统计数据中没有与框架 ${fw.key} 的指标对应的数值（可用 match 指定对应关系）`,
      `No stated figure matches an indicator of framework ${fw.key} (give the correspondence with match)`,
      [{ field: 'framework', value: fw.key }],
    );
  }

  const matched: FactsDataset['from_facts']['matched'] = {};
  const sources: FactsDataset['from_facts']['sources'] = [];
  for (const u of units) {
    for (const [code, c] of cells.get(u)!) {
      const m = (matched[code] ??= { facts: [], units: 0 });
      if (!m.facts.includes(c.fact)) m.facts.push(c.fact);
      m.units++;
      sources.push({ unit: u, indicator: code, fact: c.fact, year: c.year, value: c.value, source: c.source });
    }
  }
  const dataRows = units.map((u) => ({
    uCode: u,
    uName: u,
    ...Object.fromEntries(indicators.map((n) => [n.code, cells.get(u)!.get(n.code)?.value ?? null])),
  }));
  const scope = [input.region, input.year ? `≤${input.year}` : null].filter(Boolean).join(' ');
  const detail = await createDataset(ctx, {
    framework_id: fw.id,
    name: input.name ?? `统计数据 / stated figures${scope ? ` ${scope}` : ''}`,
    description:
      input.description ??
      `由统计数据登记表生成：${units.length} 个单位，${sources.length} 个数值。 / Built from the stated-figures registry: ${units.length} units, ${sources.length} values.`,
    rows: dataRows,
  });
  return {
    ...detail,
    from_facts: {
      framework: fw.key,
      region: input.region ?? null,
      year: input.year ?? null,
      units,
      matched,
      unmatched: indicators.map((n) => n.code).filter((c) => !matched[c]),
      cells: sources.length,
      sources,
    },
  };
}
