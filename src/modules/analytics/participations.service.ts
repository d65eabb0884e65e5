/**
 * Participations broken down (issue 4, "for Chinese participants, the breakdown by year and
 * partner country"): partner rows counted by any one or two of year (the project's start year),
 * country (the participant's), role, region, programme and field, with conditions on the
 * projects. `country=X` keeps the projects that have a participant of X — by country, that
 * lists X's partner countries; `participant` counts only X's own participations.
 *
 *   innolink query participations --by year --participant CN --json
 *   innolink query participations --by country --where country=CN --json
 */
import { AppError, badRequest } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { can, scopeOf } from '../auth/auth.policy.ts';
import { resolveCountries } from '../countries/countries.resolve.ts';
import { LEVELS } from '../registries/enums.ts';
import { regionsNamed } from '../regions/regions.repo.ts';
import { PARTICIPATION_DIMENSIONS, participationRows, type ParticipationDimension, type ParticipationFilter } from './participations.repo.ts';

export { PARTICIPATION_DIMENSIONS, type ParticipationDimension };
export const PARTICIPATION_CONDITIONS = ['year', 'region', 'country', 'level', 'field', 'mode', 'programme', 'project', 'role'] as const;

export interface ParticipationQuery {
  by: ParticipationDimension[];
  where?: Record<string, string>;
  /** Count only this country's participations (name or code). */
  participant?: string;
}

export interface ParticipationResult {
  by: ParticipationDimension[];
  participant: { iso3: string; name_zh: string | null; name_en: string | null } | null;
  totals: { projects: number; participations: number; contribution: number | null };
  /** One row per combination: the dimensions' values (country: ISO3 with country_zh / country_en), then the counts. */
  rows: Record<string, string | number | null>[];
}

async function country(ctx: ServiceContext, value: string) {
  const [c] = await resolveCountries(ctx.db, [value]);
  if (!c?.iso3) throw badRequest('COUNTRY_UNRESOLVED', `无法识别的国家或地区：${value}`, `Unknown country or region: ${value}`);
  return c;
}

/** Parses "year,country" into participation dimensions (one or two, no repeats). */
export function parseParticipationDimensions(spec: string): ParticipationDimension[] {
  const dims = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (!dims.length || dims.length > 2) throw badRequest('QUERY_DIMENSION_INVALID', '请指定一至两个分组维度', 'Give one or two dimensions to group by');
  for (const d of dims) {
    if (!(PARTICIPATION_DIMENSIONS as readonly string[]).includes(d)) {
      throw badRequest('QUERY_DIMENSION_UNKNOWN', `未知的分组维度：${d}（可选：${PARTICIPATION_DIMENSIONS.join('、')}）`, `Unknown dimension: ${d} (one of ${PARTICIPATION_DIMENSIONS.join(', ')})`);
    }
  }
  if (new Set(dims).size !== dims.length) throw badRequest('QUERY_DIMENSION_REPEATED', '分组维度重复', 'A dimension is repeated');
  return dims as ParticipationDimension[];
}

/** The breakdown, within the projects the actor sees. */
export async function queryParticipations(ctx: ServiceContext, q: ParticipationQuery): Promise<ParticipationResult> {
  if (!can(ctx.actor, 'read', { kind: 'analytics', classification: 'internal' })) {
    throw new AppError('FORBIDDEN', 403, '没有权限查询统计分析', 'You are not allowed to query the analyses');
  }
  const by = parseParticipationDimensions(q.by.join(','));
  const f: ParticipationFilter = { scope: scopeOf(ctx.actor) };
  for (const [key, value] of Object.entries(q.where ?? {})) {
    switch (key) {
      case 'year': {
        const y = Number(value);
        if (!Number.isInteger(y)) throw badRequest('QUERY_CONDITION_INVALID', `年份无效：${value}`, `Invalid year: ${value}`);
        f.startYear = y;
        break;
      }
      case 'region': {
        const regions = await regionsNamed(ctx.db, value);
        if (!regions.length) throw badRequest('REGION_UNKNOWN', `未知的地区：${value}`, `Unknown region: ${value}`);
        f.regionPaths = regions.map((r) => r.path);
        break;
      }
      case 'country':
        f.withCountry = (await country(ctx, value)).iso3!;
        break;
      case 'level': {
        const lv = LEVELS.find((l) => l.value === value || l.zh === value || l.en.toLowerCase() === value.toLowerCase());
        if (!lv) throw badRequest('QUERY_CONDITION_INVALID', `未知的层级：${value}`, `Unknown level: ${value}`);
        f.level = lv.value;
        break;
      }
      case 'field':
      case 'mode':
      case 'programme':
      case 'role':
        f[key] = value;
        break;
      case 'project':
        f.projectCode = value;
        break;
      default:
        throw badRequest(
          'QUERY_CONDITION_UNKNOWN',
          `参与情况不支持的条件字段：${key}（可选：${PARTICIPATION_CONDITIONS.join('、')}）`,
          `Unknown condition key for participations: ${key} (one of ${PARTICIPATION_CONDITIONS.join(', ')})`,
        );
    }
  }
  let participant: ParticipationResult['participant'] = null;
  if (q.participant !== undefined) {
    const c = await country(ctx, q.participant);
    f.participant = c.iso3!;
    participant = { iso3: c.iso3!, name_zh: c.name_zh, name_en: c.name_en };
  }
  const rows = await participationRows(ctx.db, by, f);
  // Totals over the selection (a project counts once however many rows it spans).
  const [total] = await participationRows(ctx.db, [], f);
  const out = rows.map((r) => {
    const row: Record<string, string | number | null> = {};
    by.forEach((d, i) => {
      row[d] = r.keys[i];
      if (d === 'country') {
        row.country_zh = r.name_zh;
        row.country_en = r.name_en;
      }
    });
    row.projects = r.projects;
    row.participations = r.participations;
    row.contribution = r.contribution;
    return row;
  });
  return {
    by,
    participant,
    totals: { projects: total?.projects ?? 0, participations: total?.participations ?? 0, contribution: total?.contribution ?? null },
    rows: out,
  };
}
