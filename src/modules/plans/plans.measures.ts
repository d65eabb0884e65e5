/**
 * Registry measures: plan targets whose value is counted live from the registries instead of
 * being reported. Each measure counts with a query of plans.measures.repo.ts, given
 *   asOf        the as-of date (a record counts once it exists by then, as far as the registry can tell)
 *   regionPath  the plan region's path ('/1/2/'), or null for a plan without region: only records
 *               whose region lies in that subtree count.
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
import { countIntlProjects, countMechanisms, countPlatforms } from './plans.measures.repo.ts';

export interface Measure {
  key: string;
  zh: string;
  en: string;
  /** Units a target counted by this measure is expected to be stated in (counters). */
  units: readonly string[];
  /** How the count is made, for the target card and the API. */
  rule_zh: string;
  rule_en: string;
  /** The value as of a date in a region's subtree (null: everywhere). */
  count: (db: Sql, asOf: string, regionPath: string | null) => Promise<number>;
}

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
    count: (db, asOf, path) => countPlatforms(db, { kind: 'intl_base' }, asOf, path),
  },
  {
    key: 'platforms.joint_lab.municipal',
    zh: '市级联合实验室数量',
    en: 'Municipal joint laboratories',
    units: COUNTERS,
    rule_zh: '平台库中类型为“联合实验室”、级别为市级、状态为运行中、属于计划地区的平台数（如市级“一带一路”联合实验室）',
    rule_en: "Active municipal-level platforms of kind 'joint_lab' in the plan's region (e.g. Belt-and-Road joint labs)",
    count: (db, asOf, path) => countPlatforms(db, { kind: 'joint_lab', level: 'municipal' }, asOf, path),
  },
  {
    key: 'platforms.tech_transfer',
    zh: '技术转移机构数量',
    en: 'Technology-transfer agencies',
    units: COUNTERS,
    rule_zh: '平台库中类型为“技术转移机构”、状态为运行中、属于计划地区的平台数（如跨境技术转移机构）',
    rule_en: "Active platforms of kind 'tech_transfer' in the plan's region (e.g. cross-border agencies)",
    count: (db, asOf, path) => countPlatforms(db, { kind: 'tech_transfer' }, asOf, path),
  },
  {
    key: 'platforms.foreign_rd_center',
    zh: '外资研发中心数量',
    en: 'Foreign-invested R&D centres',
    units: COUNTERS,
    rule_zh: '平台库中类型为“外资研发中心”、状态为运行中、属于计划地区的平台数',
    rule_en: "Active platforms of kind 'foreign_rd_center' in the plan's region",
    count: (db, asOf, path) => countPlatforms(db, { kind: 'foreign_rd_center' }, asOf, path),
  },
  {
    key: 'platforms.overseas_center',
    zh: '海外创新中心数量',
    en: 'Overseas innovation centres',
    units: COUNTERS,
    rule_zh: '平台库中类型为“海外创新中心”、状态为运行中、由计划地区设立的平台数（按平台所属地区统计）',
    rule_en: "Active platforms of kind 'overseas_center' belonging to the plan's region",
    count: (db, asOf, path) => countPlatforms(db, { kind: 'overseas_center' }, asOf, path),
  },
  {
    key: 'projects.intl_joint_rd',
    zh: '在研国际联合研发项目数',
    en: 'Active international joint R&D projects',
    units: COUNTERS,
    rule_zh: '项目库中状态为“执行中”、至少有一个境外合作方（合作方国别非中国）、已开始且属于计划地区的项目数',
    rule_en: "Projects with status 'active', at least one partner from outside China (country not CHN), started, in the plan's region",
    count: countIntlProjects,
  },
  {
    key: 'mechanisms.intergov_park',
    zh: '政府间、园区间国际科技合作机制数',
    en: 'Intergovernmental and inter-park cooperation mechanisms',
    units: COUNTERS,
    rule_zh: '合作机制库中类型为政府间或友好园区、状态为有效、已签署且属于计划地区的机制数',
    rule_en: "Active mechanisms of kind 'intergovernmental' or 'sister_park', signed by the as-of date, in the plan's region",
    count: (db, asOf, path) => countMechanisms(db, ['intergovernmental', 'sister_park'], asOf, path),
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
  return m.count(db, asOf, regionPath);
}
