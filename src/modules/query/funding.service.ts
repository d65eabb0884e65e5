/**
 * "How much did we fund with Germany in 2011–2014, by district?" — funding summed by any
 * dimensions, filtered by period and by key=value conditions, within the actor's regions.
 * Amounts are summed in 万元 of one currency (CNY unless asked), whatever unit each record used.
 */
import { AppError, badRequest } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { resolveCountries } from '../countries/countries.resolve.ts';
import { LEVELS } from '../registries/enums.ts';
import { REGISTRIES } from '../registries/defs.ts';
import { can, scopeOf } from '../auth/auth.policy.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import { regionsNamed } from '../regions/regions.repo.ts';

export const FUNDING_DIMENSIONS = ['year', 'region', 'country', 'level', 'field', 'mode', 'project', 'source', 'industry'] as const;
export type FundingDimension = (typeof FUNDING_DIMENSIONS)[number];

export interface FundingQuery {
  by: FundingDimension[];
  from?: number;
  to?: number;
  where?: Record<string, string>;
  currency?: string;
}

export interface FundingQueryResult {
  unit: string;
  currency: string;
  total: number;
  records: number;
  rows: Record<string, string | number | null>[];
}

// Each dimension: the value it reports and the expression it orders by.
const DIM_SQL: Record<FundingDimension, { select: string; order: string }> = {
  year: { select: 'f.year', order: 'f.year' },
  region: { select: 'r.short_name', order: 'min(r.code), min(r.id)' },
  country: { select: 'c.name_zh', order: 'sum(f.amount_wan) DESC' },
  level: { select: 'coalesce(f.level, p.level)', order: `min(CASE coalesce(f.level, p.level) WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 WHEN 'municipal' THEN 3 WHEN 'district' THEN 4 ELSE 5 END)` },
  field: { select: 'p.field', order: 'sum(f.amount_wan) DESC' },
  mode: { select: 'p.mode', order: 'sum(f.amount_wan) DESC' },
  project: { select: 'p.code', order: 'p.code' },
  source: { select: 'f.source', order: 'sum(f.amount_wan) DESC' },
  industry: { select: 'p.industry', order: 'sum(f.amount_wan) DESC' },
};
// Dimensions ordered by their own value need it in GROUP BY only; the others aggregate.
const GROUP_KEY: Record<FundingDimension, string> = {
  year: 'f.year',
  region: 'r.short_name',
  country: 'c.name_zh',
  level: 'coalesce(f.level, p.level)',
  field: 'p.field',
  mode: 'p.mode',
  project: 'p.code',
  source: 'f.source',
  industry: 'p.industry',
};

/** Parses "region,year" into known dimensions, refusing unknown ones. */
export function parseDimensions(spec: string): FundingDimension[] {
  const dims = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (dims.length === 0) throw badRequest('QUERY_DIMENSION_MISSING', '请指定至少一个汇总维度', 'Give at least one dimension to group by');
  for (const d of dims) {
    if (!(FUNDING_DIMENSIONS as readonly string[]).includes(d)) {
      throw badRequest('QUERY_DIMENSION_UNKNOWN', `未知的汇总维度：${d}（可选：${FUNDING_DIMENSIONS.join('、')}）`, `Unknown dimension: ${d} (one of ${FUNDING_DIMENSIONS.join(', ')})`);
    }
  }
  if (new Set(dims).size !== dims.length) throw badRequest('QUERY_DIMENSION_REPEATED', '汇总维度重复', 'A dimension is repeated');
  return dims as FundingDimension[];
}

/** Parses key=value conditions. */
export function parseWhere(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0) throw badRequest('QUERY_CONDITION_INVALID', `条件格式应为 键=值：${item}`, `A condition must be key=value: ${item}`);
    const key = item.slice(0, i).trim();
    if (!(FUNDING_DIMENSIONS as readonly string[]).includes(key)) {
      throw badRequest('QUERY_CONDITION_UNKNOWN', `未知的条件字段：${key}（可选：${FUNDING_DIMENSIONS.join('、')}）`, `Unknown condition key: ${key} (one of ${FUNDING_DIMENSIONS.join(', ')})`);
    }
    out[key] = item.slice(i + 1).trim();
  }
  return out;
}

/**
 * Funding summed by `q.by`. The sums cover exactly the funding lines the actor's funding list
 * shows (`scopeSql` of the funding registry): whoever may list the funding registry may query
 * it, and a role cleared for published lines only gets the sums of published lines.
 */
export async function queryFunding(ctx: ServiceContext, q: FundingQuery): Promise<FundingQueryResult> {
  if (!can(ctx.actor, 'read', { kind: REGISTRIES.funding.kind, classification: 'public' })) {
    throw new AppError('FORBIDDEN', 403, '没有权限查询经费', 'You are not allowed to query funding');
  }
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const currency = (q.currency ?? 'CNY').toUpperCase();
  const clauses = [`f.currency = ${p(currency)}`];
  if (q.from !== undefined) clauses.push(`f.year >= ${p(q.from)}`);
  if (q.to !== undefined) clauses.push(`f.year <= ${p(q.to)}`);
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
    throw badRequest('QUERY_PERIOD_INVALID', `起始年份 ${q.from} 晚于截止年份 ${q.to}`, `The start year ${q.from} is after the end year ${q.to}`);
  }
  // The same data scope as the funding registry: the actor's regions and the levels it may see
  // (restricted funding lines are not summed for roles without clearance).
  const scope = scopeSql(REGISTRIES.funding, scopeOf(ctx.actor), p, 'f');
  if (scope) clauses.push(scope);
  for (const [key, value] of Object.entries(q.where ?? {})) {
    switch (key as FundingDimension) {
      case 'year': {
        const y = Number(value);
        if (!Number.isInteger(y)) throw badRequest('QUERY_CONDITION_INVALID', `年份无效：${value}`, `Invalid year: ${value}`);
        clauses.push(`f.year = ${p(y)}`);
        break;
      }
      case 'region': {
        const regions = await regionsNamed(ctx.db, value);
        if (!regions.length) throw badRequest('REGION_UNKNOWN', `未知的地区：${value}`, `Unknown region: ${value}`);
        clauses.push(`r.path LIKE ANY(${p(regions.map((r) => `${r.path}%`))}::text[])`);
        break;
      }
      case 'country': {
        const [c] = await resolveCountries(ctx.db, [value]);
        if (!c?.iso3) throw badRequest('COUNTRY_UNRESOLVED', `无法识别的国家或地区：${value}`, `Unknown country or region: ${value}`);
        clauses.push(`f.country_iso3 = ${p(c.iso3)}`);
        break;
      }
      case 'level': {
        const lv = LEVELS.find((l) => l.value === value || l.zh === value || l.en.toLowerCase() === value.toLowerCase());
        if (!lv) throw badRequest('QUERY_CONDITION_INVALID', `未知的层级：${value}`, `Unknown level: ${value}`);
        clauses.push(`coalesce(f.level, p.level) = ${p(lv.value)}`);
        break;
      }
      default:
        clauses.push(`${GROUP_KEY[key as FundingDimension]} = ${p(value)}`);
    }
  }
  // A line's project shows (code, field, mode, level …) only when the actor sees the project.
  const projectScope = scopeSql(REGISTRIES.projects, scopeOf(ctx.actor), p, 'p');
  const select = q.by.map((d) => `${DIM_SQL[d].select} AS ${d}`).join(', ');
  const group = q.by.map((d) => GROUP_KEY[d]).join(', ');
  const order = q.by.map((d) => DIM_SQL[d].order).join(', ');
  const rows = await ctx.db.query<Record<string, string | number | null> & { amount: number; records: number }>(
    `SELECT ${select}, sum(f.amount_wan)::float8 AS amount, count(*)::int AS records
       FROM funding f
       LEFT JOIN admin_regions r ON r.id = f.region_id
       LEFT JOIN countries c ON c.iso3 = f.country_iso3
       LEFT JOIN projects p ON p.id = f.project_id${projectScope ? ` AND ${projectScope}` : ''}
      WHERE ${clauses.join(' AND ')}
      GROUP BY ${group}
      ORDER BY ${order}`,
    params,
  );
  const levelLabel = (v: unknown) => (v == null ? null : (LEVELS.find((l) => l.value === v)?.zh ?? String(v)));
  const out = rows.map((r) => {
    const row: Record<string, string | number | null> = {};
    for (const d of q.by) row[d] = d === 'level' ? levelLabel(r[d]) : d === 'year' ? (r[d] == null ? null : Number(r[d])) : (r[d] ?? null);
    row.amount = roundAmount(Number(r.amount));
    row.records = Number(r.records);
    return row;
  });
  return {
    unit: '万元',
    currency,
    total: roundAmount(out.reduce((s, r) => s + Number(r.amount), 0)),
    records: out.reduce((s, r) => s + Number(r.records), 0),
    rows: out,
  };
}

/** Amounts to 4 decimals (万元 to the yuan), so sums of decimals print as people expect. */
function roundAmount(x: number): number {
  return Math.round(x * 10000) / 10000;
}
