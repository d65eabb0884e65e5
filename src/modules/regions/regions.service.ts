/**
 * Administrative regions as people write them in tables. A city's tables list districts
 * (新北, 武进), but also units that are not districts: 市直属 (city-level bodies), parks
 * (科教城, 经开区) and districts since merged (戚墅堰, into 武进 in 2015). In a city's context
 * these resolve to existing entries, or are added under that city with a warning — never
 * silently.
 */
import type { Actor } from '../../actor.ts';
import type { Config } from '../../config.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Sql } from '../../store/db.ts';
import { childrenOf, insertRegion, regionById, regionsNamed, type RegionRow } from './regions.repo.ts';
import { shortRegionName } from './regions.names.ts';

export type { RegionRow } from './regions.repo.ts';

/** City-level bodies listed where districts stand. */
const CITY_DIRECT = /^(市直属|市直|市属|市本级|市级|直属单位|市直单位)$/;
/** Parks, zones and campuses listed where districts stand. */
const PARK = /(科教城|园区|开发区|经开区|高新区|新区|园|保税区|试验区|示范区|城)$/;
/**
 * Districts that existed in the period of historical tables but have since been merged:
 * GB/T 2260 changes, keyed by the city code.
 */
const FORMER_DISTRICTS: Record<string, { name: string; mergedInto: string; year: number }[]> = {
  '3204': [{ name: '戚墅堰区', mergedInto: '武进区', year: 2015 }],
};

export interface RegionResolution {
  input: string;
  region: RegionRow | null;
  /** 'exact': an existing entry; 'added': a new unit under the context city; 'none': not found. */
  match: 'exact' | 'added' | 'none';
  /** A warning for the import report when the match was not plain. */
  warning?: { code: string; message: string; message_en: string };
}

/** Finds the city (or province) an import works in, by name or code. */
export async function contextRegion(db: Sql, nameOrCode: string): Promise<RegionRow> {
  const name = nameOrCode.trim();
  const found = await regionsNamed(db, name);
  const pick = found.find((r) => r.level === 'city') ?? found[0];
  if (!pick) {
    throw new AppError('REGION_UNKNOWN', 400, `未知的地区：${name}`, `Unknown region: ${name}`, [{ field: 'region', value: name }]);
  }
  return pick;
}

function classify(name: string, cityCode: string | null): { kind: string; note: string; noteEn: string } {
  if (CITY_DIRECT.test(name)) return { kind: 'city_direct', note: '市级单位（非辖区）', noteEn: 'city-level bodies (not a district)' };
  const full = name.endsWith('区') ? name : `${name}区`;
  const former = cityCode ? FORMER_DISTRICTS[cityCode]?.find((f) => f.name === full || shortRegionName(f.name) === name) : undefined;
  if (former) {
    return {
      kind: 'former_district',
      note: `原辖区，${former.year} 年并入${former.mergedInto}`,
      noteEn: `former district, merged into ${former.mergedInto} in ${former.year}`,
    };
  }
  if (PARK.test(name)) return { kind: 'park', note: '园区或功能区（非行政区）', noteEn: 'park or zone (not an administrative district)' };
  return { kind: 'other', note: '未列入行政区划代码的单位', noteEn: 'unit not in the administrative division codes' };
}

/**
 * Resolves region names in the context of a city. Names found nowhere under the city are
 * added under it (unless `dryRun`), each with a warning that says what was assumed.
 * Results are cached per call, so a table's thousand rows cost one look-up per distinct name.
 */
export function regionResolver(db: Sql, context: RegionRow, opts: { dryRun?: boolean; importId?: number | null } = {}) {
  const cache = new Map<string, Promise<RegionResolution>>();
  async function resolve(input: string): Promise<RegionResolution> {
    const name = input.normalize('NFKC').replace(/\s+/g, '');
    if (!name) return { input, region: null, match: 'none' };
    const inside = await regionsNamed(db, name, context.path);
    if (inside.length) return { input, region: inside[0], match: 'exact' };
    const short = shortRegionName(name);
    if (short !== name) {
      const byShort = await regionsNamed(db, short, context.path);
      if (byShort.length) return { input, region: byShort[0], match: 'exact' };
    }
    const anywhere = await regionsNamed(db, name);
    const higher = anywhere.filter((r) => r.level === 'province' || r.level === 'city');
    if (higher.length === 1) return { input, region: higher[0], match: 'exact' };
    const c = classify(name, context.code);
    const message = `“${name}”不是${context.short_name}的行政区，已作为${context.short_name}下属单位${opts.dryRun ? '（试导入时将新增）' : '新增'}：${c.note}`;
    const message_en = `"${name}" is not a district of ${context.short_name}; ${opts.dryRun ? 'it would be added' : 'added'} under ${context.short_name} as a ${c.noteEn}`;
    const warning = { code: 'REGION_ADDED', message, message_en };
    if (opts.dryRun) return { input, region: null, match: 'added', warning };
    const region = await insertRegion(
      db,
      { name, short_name: name, level: 'unit', kind: c.kind, parent_id: context.id, note: c.note },
      opts.importId,
    );
    return { input, region, match: 'added', warning };
  }
  return (input: string) => {
    const key = input.trim();
    let p = cache.get(key);
    if (!p) {
      p = resolve(key);
      cache.set(key, p);
    }
    return p;
  };
}

/** A region with its parent chain and children, for the detail page. */
export async function regionDetail(db: Sql, id: number) {
  const region = await regionById(db, id);
  if (!region) throw notFound('region', id);
  const ancestorIds = region.path.split('/').filter(Boolean).map(Number).filter((x) => x !== id);
  const ancestors = [];
  for (const a of ancestorIds) ancestors.push(await regionById(db, a));
  return { ...region, ancestors, children: await childrenOf(db, id) };
}

/**
 * The path of the region a person works in: their own scope's first region, or the
 * installation's home city for those without one (administrators, evaluators). Region pickers
 * offer what lies below it first, so a 常州 officer does not scroll past 东城.
 */
export async function ownRegionPath(c: { db: Sql; actor: Actor; config: Config }): Promise<string> {
  const own = c.actor.regionScope?.[0];
  const region = own ? await regionById(c.db, own) : null;
  return (region ?? (await contextRegion(c.db, c.config.homeRegion))).path;
}
