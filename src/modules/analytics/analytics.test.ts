/**
 * The analyses on both stores: the papers' results reproduced from the imported seed tables
 * (expectations computed from the CSV files), and a small hand-built data set whose network,
 * measures and cooperation figures are checked by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../actor.ts';
import { loadDemo } from '../../demo/demo.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testConfig } from '../../../test/app.ts';
import { seedRows } from '../../../test/seed.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { resolveCountries } from '../countries/countries.resolve.ts';
import { DISTRICT_KINDS } from './analytics.repo.ts';
import { queryConcentration, queryNetwork, queryStrategy, queryTiers, queryTrends } from './analytics.service.ts';
import { DEFAULT_STRATEGY_RULES, strategyRulesSchema } from './analytics.strategy.ts';

const DISTRICT_FILE = 'changzhou_district_funding_2011_2014.csv';
const BANDS_FILE = 'belt_and_road_gii2022_rank_bands.csv';
const PROJECTS_FILE = 'changzhou_key_country_projects.csv';

/** 002 表2 as the CSV holds it: units (rows but the total), the year columns, the total row. */
function districtTable() {
  const rows = seedRows(DISTRICT_FILE);
  // Year headers are integer-like keys, which JavaScript enumerates first: the unit column is the other one.
  const unitCol = Object.keys(rows[0]).find((k) => !/^\d+$/.test(k) && k !== '合计')!;
  const years = Object.keys(rows[0]).filter((k) => /^\d{4}$/.test(k));
  const totalRow = rows.find((r) => r[unitCol] === '合计')!;
  const units = rows
    .filter((r) => r !== totalRow)
    .map((r) => ({ name: r[unitCol], values: years.map((y) => Number(r[y])), amount: years.reduce((s, y) => s + Number(r[y]), 0) }));
  return { years: years.map(Number), units, totals: years.map((y) => Number(totalRow[y])) };
}

const desc = <T extends { amount: number; name: string }>(xs: T[]) => [...xs].sort((a, b) => b.amount - a.amount || (a.name < b.name ? -1 : 1));

function popCv(values: number[]): number | null {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  if (mean === 0) return null;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) / mean;
}

describe.each(STORES)('analytics on the seed tables (%s)', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  let demo: Awaited<ReturnType<typeof loadDemo>>;
  const table = districtTable();
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    demo = await loadDemo(store.db, ctx.config);
  });
  afterAll(async () => store?.close());

  const as = (actor: Actor): ServiceContext => ({ ...ctx, actor });

  describe('tiers (002 §2.2)', () => {
    const expectTiers = (units: { name: string; amount: number }[]) => [
      desc(units.filter((u) => u.amount >= 2000)).map((u) => ({ region: u.name, amount: u.amount })),
      desc(units.filter((u) => u.amount >= 1000 && u.amount < 2000)).map((u) => ({ region: u.name, amount: u.amount })),
      desc(units.filter((u) => u.amount < 1000)).map((u) => ({ region: u.name, amount: u.amount })),
    ];

    it('by thresholds 2000, 1000: every unit of the table, in the contract shape', async () => {
      const res = await queryTiers(ctx, { by: 'region', measure: 'amount', thresholds: [2000, 1000] });
      expect(Object.keys(res)).toEqual(['tiers']);
      expect(res.tiers.map(({ tier, min, max }) => ({ tier, min, max }))).toEqual([
        { tier: 1, min: 2000, max: null },
        { tier: 2, min: 1000, max: 2000 },
        { tier: 3, min: null, max: 1000 },
      ]);
      expect(res.tiers.map((t) => t.members)).toEqual(expectTiers(table.units));
    });

    it('districts only: the units that are not districts (市直属, parks) leave the third tier', async () => {
      const kinds = await store.db.query<{ short_name: string; kind: string }>(
        'SELECT short_name, kind FROM admin_regions WHERE id IN (SELECT region_id FROM funding)',
      );
      const isDistrict = (name: string) => kinds.some((k) => k.short_name === name && (DISTRICT_KINDS as readonly string[]).includes(k.kind));
      const districts = table.units.filter((u) => isDistrict(u.name));
      expect(table.units.length - districts.length).toBe(kinds.filter((k) => ['city_direct', 'park'].includes(k.kind)).length);
      const res = await queryTiers(ctx, { by: 'region', thresholds: [1000, 2000], districtsOnly: true });
      expect(res.tiers.map((t) => t.members)).toEqual(expectTiers(districts));
    });

    it('by quantiles: three tiers of three for nine units with distinct totals', async () => {
      const res = await queryTiers(ctx, { by: 'region', quantiles: 3 });
      const sorted = desc(table.units);
      expect(res.tiers.map((t) => t.members.map((m) => m.region))).toEqual([0, 1, 2].map((i) => sorted.slice(i * 3, i * 3 + 3).map((u) => u.name)));
      expect(res.tiers[0].min).toBeLessThanOrEqual(sorted[2].amount);
      expect(res.tiers[0].min).toBeGreaterThan(sorted[3].amount);
    });

    it('within a period and on the records measure', async () => {
      const y = table.years[2];
      const res = await queryTiers(ctx, { by: 'region', thresholds: [1000], from: y, to: y });
      const expected = table.units.map((u) => ({ name: u.name, amount: u.values[2] }));
      const [records] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM funding WHERE year = $1', [y]);
      // A zero cell may or may not be kept as a record; units without a record that year are absent.
      const members = res.tiers.flatMap((t) => t.members);
      for (const m of members) expect(m.amount).toBe(expected.find((e) => e.name === m.region)!.amount);
      expect(res.tiers[0].members.map((m) => m.region)).toEqual(desc(expected.filter((e) => e.amount >= 1000)).map((e) => e.name));
      const byRecords = await queryTiers(ctx, { by: 'region', measure: 'records', thresholds: [1], from: y, to: y });
      expect(byRecords.tiers.flatMap((t) => t.members).reduce((s, m) => s + Number(m.records), 0)).toBe(records.n);
    });

    it('refuses a missing or double specification, bad thresholds and districts-only off region', async () => {
      await expect(queryTiers(ctx, { by: 'region' })).rejects.toMatchObject({ code: 'TIERS_SPEC_INVALID', status: 400 });
      await expect(queryTiers(ctx, { by: 'region', thresholds: [1], quantiles: 3 })).rejects.toMatchObject({ code: 'TIERS_SPEC_INVALID' });
      await expect(queryTiers(ctx, { by: 'region', thresholds: [5, 5] })).rejects.toMatchObject({ code: 'TIERS_SPEC_INVALID' });
      await expect(queryTiers(ctx, { by: 'region', quantiles: 1 })).rejects.toMatchObject({ code: 'TIERS_SPEC_INVALID' });
      await expect(queryTiers(ctx, { by: 'country', thresholds: [1], districtsOnly: true })).rejects.toMatchObject({ code: 'ANALYTICS_DISTRICTS_ONLY_NEEDS_REGION' });
      await expect(queryTiers(ctx, { by: 'region', thresholds: [1], where: { region: '火星' } })).rejects.toMatchObject({ code: 'REGION_UNKNOWN' });
    });
  });

  describe('concentration', () => {
    it('top-3 share, HHI and Gini of the district totals', async () => {
      const res = await queryConcentration(ctx, { by: 'region', top: 3 });
      const amounts = desc(table.units).map((u) => u.amount);
      const total = amounts.reduce((s, a) => s + a, 0);
      const n = amounts.length;
      let diff = 0;
      for (const a of amounts) for (const b of amounts) diff += Math.abs(a - b);
      expect(res).toMatchObject({ n, top: 3, measure: 'amount', total, unassigned: null });
      expect(res.topShare).toBeCloseTo((amounts[0] + amounts[1] + amounts[2]) / total, 6);
      expect(res.hhi).toBeCloseTo(amounts.reduce((s, a) => s + (a / total) ** 2, 0), 6);
      expect(res.gini).toBeCloseTo(diff / (2 * n * n * (total / n)), 6);
      expect(res.members.map((m) => [m.rank, m.region, m.amount])).toEqual(desc(table.units).map((u, i) => [i + 1, u.name, u.amount]));
      expect(res.members.at(-1)!.cumulative).toBe(1);
    });

    it('by country: every district line has no country, so there is no unit and the total is unassigned', async () => {
      const res = await queryConcentration(ctx, { by: 'country', top: 10 });
      expect(res).toMatchObject({ n: 0, topShare: null, hhi: null, gini: null, members: [] });
      expect(res.unassigned?.value).toBe(table.totals.reduce((s, v) => s + v, 0));
    });

    it('refuses a bad top N', async () => {
      await expect(queryConcentration(ctx, { by: 'region', top: 0 })).rejects.toMatchObject({ code: 'CONCENTRATION_TOP_INVALID', status: 400 });
    });

    it('by partner country on the project partners: participations and partner projects per country of the projects file', async () => {
      const rows = seedRows(PROJECTS_FILE);
      const countryCol = Object.keys(rows[0])[0];
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r[countryCol], (counts.get(r[countryCol]) ?? 0) + 1);
      const iso = await resolveCountries(store.db, [...counts.keys()]);
      // Each row of the file is one project with one partner country: both measures count the rows.
      const units = iso.map((c, i) => ({ name: c.name_zh!, iso3: c.iso3!, n: [...counts.values()][i] }));
      units.sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1));
      const total = rows.length;
      for (const measure of ['participations', 'partner_projects'] as const) {
        const res = await queryConcentration(ctx, { by: 'country', measure, top: 2 });
        expect(res).toMatchObject({ n: counts.size, top: 2, measure, total, unassigned: null });
        expect(res.members.map((m) => [m.rank, m.country, m.iso3, m[measure]])).toEqual(units.map((u, i) => [i + 1, u.name, u.iso3, u.n]));
        expect(res.topShare).toBeCloseTo((units[0].n + units[1].n) / total, 6);
        expect(res.hhi).toBeCloseTo(units.reduce((s, u) => s + (u.n / total) ** 2, 0), 6);
      }
      // The funding measures still see no country on the funding lines.
      expect((await queryConcentration(ctx, { by: 'country', measure: 'projects', top: 2 })).n).toBe(0);
    });

    it('partner measures by region and for a period of start years; funding sources are no partner dimension', async () => {
      const rows = seedRows(PROJECTS_FILE);
      const [p] = await store.db.query<{ region: string; dated: number }>(
        'SELECT min(r.short_name) AS region, count(p.start_date)::int AS dated FROM projects p JOIN admin_regions r ON r.id = p.region_id',
      );
      const byRegion = await queryConcentration(ctx, { by: 'region', measure: 'participations', top: 1 });
      expect(byRegion.members).toEqual([{ rank: 1, region: p.region, participations: rows.length, share: 1, cumulative: 1 }]);
      const israel = await queryConcentration(ctx, { by: 'country', measure: 'partner_projects', top: 1, where: { country: '以色列' } });
      expect(israel.members.map((m) => m.partner_projects)).toEqual([rows.filter((r) => r[Object.keys(r)[0]] === '以色列').length]);
      // The file gives no dates: a period leaves every project out.
      expect(p.dated).toBe(0);
      expect((await queryConcentration(ctx, { by: 'country', measure: 'participations', top: 1, from: 2011, to: 2014 })).n).toBe(0);
      await expect(queryConcentration(ctx, { by: 'source', measure: 'participations', top: 1 })).rejects.toMatchObject({ code: 'ANALYTICS_MEASURE_DIMENSION', status: 400 });
      await expect(queryConcentration(ctx, { by: 'country', measure: 'participations', top: 1, where: { source: '省拨' } })).rejects.toMatchObject({ code: 'QUERY_CONDITION_UNKNOWN' });
      await expect(queryConcentration(ctx, { by: 'country', measure: 'participations', top: 1, from: 2014, to: 2011 })).rejects.toMatchObject({ code: 'QUERY_PERIOD_INVALID' });
    });
  });

  describe('trends and stability', () => {
    it('yearly totals of the table and their shape (the paper: 5636, 2406, 3946, 1188)', async () => {
      const res = await queryTrends(ctx, { by: 'region' });
      expect(res.years).toEqual(table.years);
      expect(res.overall.values).toEqual(table.totals);
      const moves = table.totals.slice(1).map((v, i) => (v > table.totals[i] ? 'up' : v < table.totals[i] ? 'down' : 'flat'));
      expect(res.overall.moves).toEqual(moves);
      expect(res.overall.shape).toBe(new Set(moves).size > 1 ? 'fluctuating' : moves[0] === 'up' ? 'rising' : 'falling');
    });

    it('per unit: the row of the table, its CV, and the unstable ones first', async () => {
      const res = await queryTrends(ctx, { by: 'region', cvThreshold: 0.5 });
      expect(res.units).toHaveLength(table.units.length);
      for (const u of table.units) {
        const got = res.units.find((x) => x.region === u.name)!;
        expect(got.values).toEqual(u.values);
        const cv = popCv(u.values);
        expect(got.cv).toBeCloseTo(cv!, 6);
        expect(got.unstable).toBe(cv! >= 0.5);
        const first = u.values[0];
        const last = u.values.at(-1)!;
        if (first > 0) expect(got.cagr).toBeCloseTo((last / first) ** (1 / (table.years.length - 1)) - 1, 6);
        else expect(got.cagr).toBeNull();
      }
      const cvs = res.units.map((u) => u.cv ?? -1);
      expect(cvs).toEqual([...cvs].sort((a, b) => b - a));
    });

    it('within a period, districts only', async () => {
      const [a, b] = [table.years[1], table.years[2]];
      const res = await queryTrends(ctx, { by: 'region', from: a, to: b, districtsOnly: true });
      expect(res.years).toEqual([a, b]);
      expect(res.overall.values).toEqual([table.totals[1], table.totals[2]]);
      expect(res.units.map((u) => u.region)).not.toContain('市直属');
      expect(res.units.map((u) => u.region)).not.toContain('科教城');
    });

    it('refuses year as the unit and a bad CV threshold', async () => {
      await expect(queryTrends(ctx, { by: 'year' })).rejects.toMatchObject({ code: 'TRENDS_BY_YEAR', status: 400 });
      await expect(queryTrends(ctx, { by: 'region', cvThreshold: 0 })).rejects.toMatchObject({ code: 'TRENDS_CV_THRESHOLD_INVALID' });
    });
  });

  describe('collaboration network of the key-country projects (002 表1)', () => {
    it('country level: China (the projects are Changzhou’s) linked to each partner country by its project count', async () => {
      const rows = seedRows(PROJECTS_FILE);
      const countryCol = Object.keys(rows[0])[0];
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r[countryCol], (counts.get(r[countryCol]) ?? 0) + 1);
      const iso = await resolveCountries(store.db, [...counts.keys()]);
      const w = new Map(iso.map((c, i) => [c.iso3!, [...counts.values()][i]]));
      const res = await queryNetwork(ctx, { level: 'country' });
      expect(res).toMatchObject({ level: 'country', weight: 'projects', edges: counts.size, projects: rows.length, skipped: 0 });
      const chn = res.nodes.find((n) => n.id === 'CHN')!;
      expect(chn).toMatchObject({ degree: counts.size, weighted_degree: rows.length, betweenness: 1 });
      expect(chn.eigenvector).toBeCloseTo(Math.SQRT1_2, 4);
      const norm = Math.sqrt([...w.values()].reduce((s, x) => s + x * x, 0));
      for (const [iso3, k] of w) {
        const n = res.nodes.find((x) => x.id === iso3)!;
        expect(n).toMatchObject({ degree: 1, weighted_degree: k, betweenness: 0 });
        expect(n.eigenvector).toBeCloseTo(k / (Math.SQRT2 * norm), 4);
      }
    });

    it('without the lead side the partner countries stand alone; at organisation level there is nobody named', async () => {
      const res = await queryNetwork(ctx, { level: 'country', lead: false });
      expect(res.edges).toBe(0);
      expect(res.nodes.every((n) => n.degree === 0)).toBe(true);
      const orgs = await queryNetwork(ctx, { level: 'organization' });
      expect(orgs).toMatchObject({ nodes: [], edges: 0 });
      expect(orgs.skipped).toBe(seedRows(PROJECTS_FILE).length);
    });

    it('filters by a project condition and refuses funding-only ones', async () => {
      const rows = seedRows(PROJECTS_FILE);
      const [israel] = await resolveCountries(store.db, ['以色列']);
      const res = await queryNetwork(ctx, { level: 'country', where: { country: '以色列' } });
      expect(res.nodes.map((n) => n.id).sort()).toEqual(['CHN', israel.iso3].sort());
      expect(res.projects).toBe(rows.filter((r) => r[Object.keys(r)[0]] === '以色列').length);
      await expect(queryNetwork(ctx, { level: 'country', where: { source: '省拨' } })).rejects.toMatchObject({ code: 'QUERY_CONDITION_UNKNOWN', status: 400 });
      await expect(queryNetwork(ctx, { level: 'country', where: { country: '亚特兰蒂斯' } })).rejects.toMatchObject({ code: 'COUNTRY_UNRESOLVED' });
    });
  });

  describe('country strategy (003 表1, §4.1)', () => {
    it('the Belt-and-Road band counts 4 / 19 / 28 / 7 / 8 from the imported band file; 西奈半岛 is the eighth unranked name', async () => {
      const file = seedRows(BANDS_FILE);
      const [nameCol, bandCol] = Object.keys(file[0]);
      const fileCounts = new Map<string, number>();
      for (const r of file) fileCounts.set(r[bandCol], (fileCounts.get(r[bandCol]) ?? 0) + 1);
      const res = await queryStrategy(ctx, { group: 'BRI' });
      expect(res.countries).toHaveLength(file.length - res.unresolved.length);
      for (const [band, n] of fileCounts) {
        const b = res.bands.find((x) => x.band === band)!;
        if (b.ranked) expect(b.countries, band).toBe(n);
        // Unranked: the countries the registry holds plus the names that are not countries.
        else expect(b.countries + res.unresolved.length, band).toBe(n);
      }
      expect(res.bands.filter((b) => b.ranked).map((b) => b.band)).toEqual([...fileCounts.keys()].filter((k) => /\d/.test(k)));
      // The names of the file that are not countries, and what the import reported about them.
      const resolved = await resolveCountries(store.db, file.map((r) => r[nameCol]));
      const notCountries = file.filter((_, i) => !resolved[i].iso3).map((r) => r[nameCol]);
      expect(notCountries).toEqual(['西奈半岛']);
      expect(res.unresolved.map((u) => u.name)).toEqual(notCountries);
      const issue = demo.find((d) => d.file === BANDS_FILE)!.result.issues.find((i) => i.code === 'COUNTRY_UNRESOLVED')!;
      expect(res.unresolved[0]).toMatchObject({ name: issue.value, file_name: BANDS_FILE, row: issue.row });
      // Part of Egypt, which is not a Belt-and-Road country of the table.
      expect(res.unresolved[0].suggestions[0].iso3).toBe('EGY');
      expect(res.countries.map((c) => c.iso3)).not.toContain('EGY');
    });

    it('directions follow the bands; the home country gets none', async () => {
      const file = seedRows(BANDS_FILE);
      const bandCol = Object.keys(file[0])[1];
      const count = (f: (band: string) => boolean) => file.filter((r) => f(r[bandCol])).length;
      const res = await queryStrategy(ctx, { group: 'BRI' });
      const chn = res.countries.find((c) => c.iso3 === 'CHN')!;
      expect(chn).toMatchObject({ home: true, direction: null });
      expect(res.directions).toEqual({
        bring_in: count((b) => b === '1-20') - 1,
        both: count((b) => b === '21-50'),
        go_out: count((b) => b === '51-100' || b === '101-132') + count((b) => !/\d/.test(b)) - res.unresolved.length,
        none: 0,
      });
      for (const c of res.countries.filter((x) => !x.home)) {
        expect(c.reason_zh).toContain(c.innovation!.value);
        expect(c.reason_en.length).toBeGreaterThan(10);
        expect(c.direction_zh).toBeTruthy();
      }
    });

    it('by default lists the partner countries with our projects with each', async () => {
      const rows = seedRows(PROJECTS_FILE);
      const countryCol = Object.keys(rows[0])[0];
      const names = [...new Set(rows.map((r) => r[countryCol]))];
      const iso = await resolveCountries(store.db, names);
      const res = await queryStrategy(ctx);
      expect(res.countries.map((c) => c.iso3).sort()).toEqual(iso.map((c) => c.iso3).sort());
      for (const [i, name] of names.entries()) {
        const c = res.countries.find((x) => x.iso3 === iso[i].iso3)!;
        expect(c.cooperation.projects).toBe(rows.filter((r) => r[countryCol] === name).length);
        const inBand = c.innovation !== null;
        expect(c.direction === null).toBe(!inBand);
      }
      expect(res.rules).toEqual(DEFAULT_STRATEGY_RULES);
    });

    it('takes configured rules: OECD members without a GII value bring in', async () => {
      const rules = strategyRulesSchema.parse({
        rules: [...DEFAULT_STRATEGY_RULES.rules, { direction: 'bring_in', noData: true, groups: ['OECD'], reason_zh: '经合组织成员', reason_en: 'OECD member' }],
      });
      const res = await queryStrategy(ctx, { rules });
      const oecd = res.countries.filter((c) => c.groups.includes('OECD'));
      expect(oecd.length).toBeGreaterThan(0);
      for (const c of oecd) expect(c.direction).toBe('bring_in');
      expect(res.directions.none).toBe(res.countries.filter((c) => !c.groups.includes('OECD') && c.innovation === null).length);
    });

    it('lists every country with a value with `all`, and refuses an unknown group', async () => {
      const all = await queryStrategy(ctx, { all: true });
      const bri = await queryStrategy(ctx, { group: 'bri' });
      expect(all.countries.length).toBeGreaterThanOrEqual(bri.countries.length);
      await expect(queryStrategy(ctx, { group: 'NOPE' })).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    });
  });

  describe('access', () => {
    it('honours the region scope: a district officer sees only the district', async () => {
      const [xinbei] = await store.db.query<{ id: number }>("SELECT id::int AS id FROM admin_regions WHERE short_name = '新北'");
      const scoped = as({ name: 'test', role: 'district', regionScope: [Number(xinbei.id)] });
      const tiers = await queryTiers(scoped, { by: 'region', thresholds: [2000, 1000] });
      expect(tiers.tiers.flatMap((t) => t.members)).toEqual([{ region: '新北', amount: table.units.find((u) => u.name === '新北')!.amount }]);
      const trends = await queryTrends(scoped, { by: 'region' });
      expect(trends.overall.values).toEqual(table.units.find((u) => u.name === '新北')!.values);
      const conc = await queryConcentration(scoped, { by: 'region', top: 3 });
      expect(conc).toMatchObject({ n: 1, topShare: 1, hhi: 1, gini: 0 });
      // The key-country projects are booked to the city, outside the district.
      expect((await queryNetwork(scoped, { level: 'country' })).nodes).toEqual([]);
      expect((await queryStrategy(scoped)).countries).toEqual([]);
    });

    it('refuses the public', async () => {
      const pub = as({ name: 'anon', role: 'public', regionScope: null });
      for (const call of [
        () => queryTiers(pub, { by: 'region', thresholds: [1] }),
        () => queryConcentration(pub, { by: 'region', top: 3 }),
        () => queryTrends(pub, { by: 'region' }),
        () => queryNetwork(pub, { level: 'country' }),
        () => queryStrategy(pub),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
      }
    });
  });
});

describe.each(STORES)('analytics on hand-built records (%s)', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    const db = store.db;
    const region = async (name: string) => Number((await db.query<{ id: number }>('SELECT id FROM admin_regions WHERE short_name = $1 ORDER BY id LIMIT 1', [name]))[0].id);
    const [changzhou, xinbei, wujin] = [await region('常州'), await region('新北'), await region('武进')];
    const org = async (name: string, domestic: boolean, country: string | null) =>
      Number(
        (await db.query<{ id: number }>('INSERT INTO organizations (name_zh, name_key, domestic, country_iso3) VALUES ($1, $1, $2, $3) RETURNING id', [name, domestic, country]))[0].id,
      );
    const A = await org('甲公司', true, null);
    const B = await org('乙大学', false, 'DEU');
    const C = await org('丙研究所', false, 'DEU');
    const D = await org('丁公司', false, 'FRA');
    const project = async (code: string, lead: number | null, regionId: number | null) =>
      Number(
        (
          await db.query<{ id: number }>(
            `INSERT INTO projects (code, title_zh, lead_org_id, region_id, industry, start_date) VALUES ($1, $1, $2, $3, '网络测试', '2020-03-01') RETURNING id`,
            [code, lead, regionId],
          )
        )[0].id,
      );
    // P1: lead A (China) with B and C (Germany); P2: lead A with D (France);
    // P3: a Changzhou project naming no lead, with B (Germany) and D (France).
    const P1 = await project('P1', A, null);
    const P2 = await project('P2', A, null);
    const P3 = await project('P3', null, changzhou);
    for (const [p, o] of [[P1, B], [P1, C], [P2, D], [P3, B], [P3, D]]) {
      await db.query('INSERT INTO project_partners (project_id, org_id) VALUES ($1, $2)', [p, o]);
    }
    // Funding: P1 in 新北 2020 and 2021, P2 in 新北 2020 (booked to France), P3 and a line without project in 武进 2021.
    for (const [p, r, y, amount, country] of [
      [P1, xinbei, 2020, 100, null],
      [P1, xinbei, 2021, 50, null],
      [P2, xinbei, 2020, 30, 'FRA'],
      [P3, wujin, 2021, 20, null],
      [null, wujin, 2021, 5, null],
    ] as const) {
      await db.query('INSERT INTO funding (project_id, region_id, year, amount, country_iso3) VALUES ($1, $2, $3, $4, $5)', [p, r, y, amount, country]);
    }
    await db.query("INSERT INTO platforms (name_zh, name_key, kind, country_iso3, region_id) VALUES ('中德创新中心', '中德创新中心', 'intl_park', 'DEU', $1)", [wujin]);
    await db.query("INSERT INTO mechanisms (name_zh, name_key, kind, country_iso3, region_id) VALUES ('中法合作备忘录', '中法合作备忘录', 'mou', 'FRA', $1)", [changzhou]);
  });
  afterAll(async () => store?.close());

  it('organisation level: the five links and their centrality by hand', async () => {
    const res = await queryNetwork(ctx, { level: 'organization' });
    expect(res).toMatchObject({ edges: 5, projects: 3, skipped: 0 });
    const n = Object.fromEntries(res.nodes.map((x) => [x.label, x]));
    expect(Object.keys(n).sort()).toEqual(['丁公司', '丙研究所', '乙大学', '甲公司'].sort());
    expect([n['甲公司'].degree, n['乙大学'].degree, n['丙研究所'].degree, n['丁公司'].degree]).toEqual([3, 3, 2, 2]);
    // 丙–丁 is the only pair not linked; its two shortest paths run through 甲 and 乙, half each,
    // over (n−1)(n−2)/2 = 3 pairs.
    expect(n['甲公司'].betweenness).toBeCloseTo(0.5 / 3, 6);
    expect(n['乙大学'].betweenness).toBeCloseTo(0.5 / 3, 6);
    expect(n['丙研究所'].betweenness).toBe(0);
    // Symmetry: x(甲) = x(乙) = a, x(丙) = x(丁) = c; λa = a + 2c, λc = 2a → λ² − λ − 4 = 0.
    const lambda = (1 + Math.sqrt(17)) / 2;
    const a = 1 / Math.sqrt(2 + 2 * (2 / lambda) ** 2);
    expect(n['甲公司'].eigenvector).toBeCloseTo(a, 4);
    expect(n['丁公司'].eigenvector).toBeCloseTo((2 * a) / lambda, 4);
    expect(res.nodes[0].id).toMatch(/^\d+$/);
  });

  it('country level: a domestic lead is China, and a Changzhou project without a lead adds China', async () => {
    const w = async (weight: 'projects' | 'participations') =>
      Object.fromEntries((await queryNetwork(ctx, { level: 'country', weight })).nodes.map((x) => [x.id, x.weighted_degree]));
    // projects: CHN–DEU 2 (P1, P3), CHN–FRA 2 (P2, P3), DEU–FRA 1 (P3).
    expect(await w('projects')).toEqual({ CHN: 4, DEU: 3, FRA: 3 });
    // participations: CHN–DEU 1×2 (P1) + 1 (P3) = 3, CHN–FRA 2, DEU–FRA 1.
    expect(await w('participations')).toEqual({ CHN: 5, DEU: 4, FRA: 3 });
    const noLead = await queryNetwork(ctx, { level: 'country', lead: false });
    expect(noLead.edges).toBe(1);
    expect(noLead.nodes.map((x) => x.id).sort()).toEqual(['DEU', 'FRA']);
    const france = await queryNetwork(ctx, { level: 'country', where: { country: '法国' } });
    expect(france.projects).toBe(2);
    // P2 and P3 only: CHN–FRA 2, CHN–DEU 1, DEU–FRA 1.
    expect(Object.fromEntries(france.nodes.map((x) => [x.id, x.weighted_degree]))).toEqual({ CHN: 3, FRA: 3, DEU: 2 });
    expect((await queryNetwork(ctx, { level: 'country', where: { year: '2019' } })).nodes).toEqual([]);
  });

  it('links: the edges with their weights, or only those among the nodes of highest degree', async () => {
    const all = await queryNetwork(ctx, { level: 'country', links: true });
    expect(all.links).toEqual([
      { source: 'CHN', target: 'DEU', weight: 2 },
      { source: 'CHN', target: 'FRA', weight: 2 },
      { source: 'DEU', target: 'FRA', weight: 1 },
    ]);
    expect(all).toMatchObject({ edges: 3, links_limited_to: null });
    // Organisations: 甲 and 乙 have degree 3; the one link among them is P1's.
    const orgs = await queryNetwork(ctx, { level: 'organization', links: true, linkNodes: 2 });
    expect(orgs).toMatchObject({ edges: 5, links_limited_to: 2 });
    const label = new Map(orgs.nodes.map((n) => [n.id, n.label]));
    expect(orgs.links!.map((l) => [label.get(l.source), label.get(l.target)].sort())).toEqual([['乙大学', '甲公司'].sort()]);
    // Without `links` the reply is as before.
    expect(Object.keys(await queryNetwork(ctx, { level: 'country' }))).toEqual(['level', 'weight', 'nodes', 'edges', 'projects', 'skipped']);
    await expect(queryNetwork(ctx, { level: 'country', links: true, linkNodes: 0 })).rejects.toMatchObject({ code: 'NETWORK_LINK_NODES_INVALID', status: 400 });
  });

  it('partner measures: partner rows per participant country and per project region (the lead side is no partner row)', async () => {
    // Partner rows: P1 乙 (DEU), 丙 (DEU); P2 丁 (FRA); P3 乙 (DEU), 丁 (FRA).
    const parts = await queryConcentration(ctx, { by: 'country', measure: 'participations', top: 1 });
    expect(parts.members.map((m) => [m.iso3, m.participations])).toEqual([['DEU', 3], ['FRA', 2]]);
    expect(parts).toMatchObject({ n: 2, total: 5, topShare: 0.6, unassigned: null });
    const projects = await queryConcentration(ctx, { by: 'country', measure: 'partner_projects', top: 1 });
    expect(projects.members.map((m) => [m.iso3, m.partner_projects])).toEqual([['DEU', 2], ['FRA', 2]]);
    // P1 and P2 have no region: their three partner rows are unassigned.
    const byRegion = await queryConcentration(ctx, { by: 'region', measure: 'participations', top: 1 });
    expect(byRegion.members.map((m) => [m.region, m.participations])).toEqual([['常州', 2]]);
    expect(byRegion.unassigned).toEqual({ value: 3, records: 3 });
    const byYear = await queryConcentration(ctx, { by: 'year', measure: 'partner_projects', top: 1, from: 2020, to: 2020 });
    expect(byYear.members.map((m) => [m.year, m.partner_projects])).toEqual([[2020, 3]]);
  });

  it('measures: amount, records and distinct projects per region', async () => {
    const members = async (measure: 'amount' | 'records' | 'projects') =>
      (await queryTiers(ctx, { by: 'region', measure, thresholds: [1000] })).tiers.flatMap((t) => t.members);
    expect(await members('amount')).toEqual([{ region: '新北', amount: 180 }, { region: '武进', amount: 25 }]);
    expect(await members('records')).toEqual([{ region: '新北', records: 3 }, { region: '武进', records: 2 }]);
    expect(await members('projects')).toEqual([{ region: '新北', projects: 2 }, { region: '武进', projects: 1 }]);
    const trends = await queryTrends(ctx, { by: 'region', measure: 'projects' });
    expect(trends.years).toEqual([2020, 2021]);
    expect(Object.fromEntries(trends.units.map((u) => [u.region, u.values]))).toEqual({ 新北: [2, 1], 武进: [0, 1] });
    expect(trends.overall.values).toEqual([2, 2]);
    const byProject = await queryConcentration(ctx, { by: 'project', measure: 'projects', top: 1 });
    expect(byProject).toMatchObject({ n: 3, topShare: 0.333333, hhi: 0.333333, gini: 0, unassigned: { value: 0, records: 1 } });
  });

  it('strategy: cooperation per partner country (projects, funding, platforms, mechanisms), no GII data, no direction', async () => {
    const res = await queryStrategy(ctx);
    const c = Object.fromEntries(res.countries.map((x) => [x.iso3, x.cooperation]));
    expect(Object.keys(c).sort()).toEqual(['DEU', 'FRA']);
    expect(c.DEU).toEqual({ projects: 2, funding: 0, funding_records: 0, platforms: 1, mechanisms: 0 });
    expect(c.FRA).toEqual({ projects: 2, funding: 30, funding_records: 1, platforms: 0, mechanisms: 1 });
    expect(res.countries.every((x) => x.direction === null && x.innovation === null)).toBe(true);
    expect(res.bands).toEqual([{ band: null, ranked: false, min: null, countries: 2 }]);
    expect(res.directions).toEqual({ bring_in: 0, both: 0, go_out: 0, none: 2 });
    expect(res.unresolved).toEqual([]);
  });
});
