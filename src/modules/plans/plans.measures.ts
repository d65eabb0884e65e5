/**
 * Registry measures: plan targets whose value is counted live from the registries instead of
 * being reported. Each measure is one SQL count with two parameters:
 *   $1  the as-of date (a record counts once it exists by then, as far as the registry can tell)
 *   $2  the plan region's path ('/1/2/'), or null for a plan without region: only records whose
 *       region lies in that subtree count.
 * Nothing is cached: a target's status is recomputed on every read, so adding a platform moves
 * the targets that count it.
 *
 * "Exists by then" uses what each registry records: platforms their established_year,
 * projects their start_date, mechanisms their signed_date. A record without that date counts
 * at any as-of date. Only records in an active state count (a platform that closed, a project
 * that ended, a mechanism that expired no longer do), since the registries keep no history of
 * state changes.
 */
import { AppError } from '../../errors.ts';
import type { Sql } from '../../store/db.ts';

export interface Measure {
  key: string;
  zh: string;
  en: string;
  /** Units a target counted by this measure is expected to be stated in (counters). */
  units: readonly string[];
  /** How the count is made, for the target card and the API. */
  rule_zh: string;
  rule_en: string;
  sql: string;
}

/** Records whose region lies in the subtree of the plan region ($2); every record when $2 is null. */
const inScope = (alias: string) =>
  `($2::text IS NULL OR ${alias}.region_id IN (SELECT d.id FROM admin_regions d WHERE d.path LIKE $2::text || '%'))`;

const platformsWhere = (alias = 'p') =>
  `${alias}.status = 'active' AND (${alias}.established_year IS NULL OR ${alias}.established_year <= extract(year FROM $1::date)) AND ${inScope(alias)}`;

const COUNTERS = ['个', '家', '项', '所', '座', '处'] as const;

/** The measure map. Keys are stable: targets store them. */
export const MEASURES: readonly Measure[] = Object.freeze([
  {
    key: 'platforms.intl_base',
    zh: '国际科技合作基地数量',
    en: 'International S&T cooperation bases',
    units: COUNTERS,
    rule_zh: '平台库中类型为“国际科技合作基地”、状态为运行中、所在地区属于计划地区的平台数',
    rule_en: "Active platforms of kind 'intl_base' in the plan's region",
    sql: `SELECT count(*)::int AS n FROM platforms p WHERE p.kind = 'intl_base' AND ${platformsWhere()}`,
  },
  {
    key: 'platforms.joint_lab.municipal',
    zh: '市级联合实验室数量',
    en: 'Municipal joint laboratories',
    units: COUNTERS,
    rule_zh: '平台库中类型为“联合实验室”、级别为市级、状态为运行中、属于计划地区的平台数（如市级“一带一路”联合实验室）',
    rule_en: "Active municipal-level platforms of kind 'joint_lab' in the plan's region (e.g. Belt-and-Road joint labs)",
    sql: `SELECT count(*)::int AS n FROM platforms p WHERE p.kind = 'joint_lab' AND p.level = 'municipal' AND ${platformsWhere()}`,
  },
  {
    key: 'platforms.tech_transfer',
    zh: '技术转移机构数量',
    en: 'Technology-transfer agencies',
    units: COUNTERS,
    rule_zh: '平台库中类型为“技术转移机构”、状态为运行中、属于计划地区的平台数（如跨境技术转移机构）',
    rule_en: "Active platforms of kind 'tech_transfer' in the plan's region (e.g. cross-border agencies)",
    sql: `SELECT count(*)::int AS n FROM platforms p WHERE p.kind = 'tech_transfer' AND ${platformsWhere()}`,
  },
  {
    key: 'platforms.foreign_rd_center',
    zh: '外资研发中心数量',
    en: 'Foreign-invested R&D centres',
    units: COUNTERS,
    rule_zh: '平台库中类型为“外资研发中心”、状态为运行中、属于计划地区的平台数',
    rule_en: "Active platforms of kind 'foreign_rd_center' in the plan's region",
    sql: `SELECT count(*)::int AS n FROM platforms p WHERE p.kind = 'foreign_rd_center' AND ${platformsWhere()}`,
  },
  {
    key: 'platforms.overseas_center',
    zh: '海外创新中心数量',
    en: 'Overseas innovation centres',
    units: COUNTERS,
    rule_zh: '平台库中类型为“海外创新中心”、状态为运行中、由计划地区设立的平台数（按平台所属地区统计）',
    rule_en: "Active platforms of kind 'overseas_center' belonging to the plan's region",
    sql: `SELECT count(*)::int AS n FROM platforms p WHERE p.kind = 'overseas_center' AND ${platformsWhere()}`,
  },
  {
    key: 'projects.intl_joint_rd',
    zh: '在研国际联合研发项目数',
    en: 'Active international joint R&D projects',
    units: COUNTERS,
    rule_zh: '项目库中状态为“执行中”、至少有一个境外合作方（合作方国别非中国）、已开始且属于计划地区的项目数',
    rule_en: "Projects with status 'active', at least one partner from outside China (country not CHN), started, in the plan's region",
    sql: `SELECT count(*)::int AS n FROM projects pr
           WHERE pr.status = 'active'
             AND (pr.start_date IS NULL OR pr.start_date <= $1::date)
             AND ${inScope('pr')}
             AND EXISTS (SELECT 1 FROM project_partners pp LEFT JOIN organizations o ON o.id = pp.org_id
                          WHERE pp.project_id = pr.id AND coalesce(pp.country_iso3, o.country_iso3) <> 'CHN')`,
  },
  {
    key: 'mechanisms.intergov_park',
    zh: '政府间、园区间国际科技合作机制数',
    en: 'Intergovernmental and inter-park cooperation mechanisms',
    units: COUNTERS,
    rule_zh: '合作机制库中类型为政府间或友好园区、状态为有效、已签署且属于计划地区的机制数',
    rule_en: "Active mechanisms of kind 'intergovernmental' or 'sister_park', signed by the as-of date, in the plan's region",
    sql: `SELECT count(*)::int AS n FROM mechanisms m
           WHERE m.kind IN ('intergovernmental', 'sister_park') AND m.status = 'active'
             AND (m.signed_date IS NULL OR m.signed_date <= $1::date) AND ${inScope('m')}`,
  },
]);

const BY_KEY = new Map(MEASURES.map((m) => [m.key, m]));

/** The measure of a key, or undefined. */
export function measureOf(key: string): Measure | undefined {
  return BY_KEY.get(key);
}

/** A measure named by its key or by its Chinese or English name (as an import column may hold it). */
export function findMeasure(text: string): Measure | undefined {
  const t = text.trim();
  return BY_KEY.get(t) ?? MEASURES.find((m) => m.zh === t || m.en.toLowerCase() === t.toLowerCase());
}

/** The PLAN_MEASURE_UNKNOWN refusal (400), naming the keys there are. */
export function unknownMeasure(key: string): AppError {
  return new AppError(
    'PLAN_MEASURE_UNKNOWN',
    400,
    `未知的登记库指标：${key}（可选：${MEASURES.map((m) => m.key).join('、')}）`,
    `Unknown registry measure: ${key} (one of ${MEASURES.map((m) => m.key).join(', ')})`,
    [{ field: 'measure', value: key }],
  );
}

/** The value of a measure as of a date, counted in a region's subtree (null path: everywhere). */
export async function countMeasure(db: Sql, key: string, asOf: string, regionPath: string | null): Promise<number> {
  const m = measureOf(key);
  if (!m) throw unknownMeasure(key);
  const [row] = await db.query<{ n: number }>(m.sql, [asOf, regionPath]);
  return Number(row?.n ?? 0);
}
