import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { loadConfig } from '../../config.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { freshStore, STORES, type TestStore } from '../../../test/stores.ts';
import { BUILTIN_GROUPS } from './countries.groups.ts';
import { resolveCountries } from './countries.resolve.ts';
import { seedCountries } from './countries.seed.ts';
import {
  addCountryAlias,
  getCountry,
  getCountryIndicators,
  getGroupMembers,
  getIndicatorValues,
  listCountries,
  setCountryIndicator,
  updateCountry,
} from './countries.service.ts';

const BRI_FILE = path.resolve(import.meta.dirname, '../../../demo/seed-tables/belt_and_road_gii2022_rank_bands.csv');
const BRI_ROWS = parse(fs.readFileSync(BRI_FILE, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const NAME_COL = Object.keys(BRI_ROWS[0])[0];
const BAND_COL = Object.keys(BRI_ROWS[0])[1];
/** The one row of the table that is not a country (part of Egypt). */
const NOT_A_COUNTRY = '西奈半岛';

/** Names from the task brief and the papers, with the country they must resolve to. */
const ALIASES: [string, string][] = [
  ['阿联酋', 'ARE'], ['阿拉伯联合酋长国', 'ARE'],
  ['波黑', 'BIH'], ['波斯尼亚和黑塞哥维那', 'BIH'],
  ['孟加拉', 'BGD'], ['孟加拉国', 'BGD'],
  ['北马其顿', 'MKD'], ['马其顿', 'MKD'],
  ['英国', 'GBR'], ['United Kingdom', 'GBR'], ['UK', 'GBR'], ['Britain', 'GBR'], ['Great Britain', 'GBR'],
  ['美国', 'USA'], ['USA', 'USA'], ['US', 'USA'], ['United States', 'USA'],
  ['俄罗斯', 'RUS'], ['俄罗斯联邦', 'RUS'], ['Russia', 'RUS'],
  ['韩国', 'KOR'], ['南韩', 'KOR'], ['Korea', 'KOR'], ['South Korea', 'KOR'], ['Republic of Korea', 'KOR'],
  ['朝鲜', 'PRK'],
  ['捷克', 'CZE'], ['捷克共和国', 'CZE'], ['Czechia', 'CZE'],
  ['老挝', 'LAO'], ['越南', 'VNM'], ['Viet Nam', 'VNM'], ['伊朗', 'IRN'], ['叙利亚', 'SYR'], ['摩尔多瓦', 'MDA'], ['文莱', 'BRN'],
  ['香港', 'HKG'], ['中国香港', 'HKG'], ['Hong Kong', 'HKG'],
  ['澳门', 'MAC'], ['中国澳门', 'MAC'],
  ['台湾', 'TWN'], ['中国台湾', 'TWN'],
  ['土耳其', 'TUR'], ['Türkiye', 'TUR'], ['Turkey', 'TUR'],
  ['科特迪瓦', 'CIV'], ["Côte d'Ivoire", 'CIV'], ["Cote d'Ivoire", 'CIV'],
  ['中国', 'CHN'], ['China', 'CHN'], ['印度尼西亚', 'IDN'], ['印尼', 'IDN'],
];

/** WIPO / GII and World Bank spellings. */
const INTERNATIONAL: [string, string][] = [
  ['Netherlands (the)', 'NLD'], ['Netherlands (Kingdom of the)', 'NLD'],
  ['Korea, Rep.', 'KOR'], ["Korea, Dem. People's Rep.", 'PRK'],
  ['Iran, Islamic Rep.', 'IRN'], ['Iran (Islamic Republic of)', 'IRN'],
  ['Egypt, Arab Rep.', 'EGY'],
  ['Hong Kong SAR, China', 'HKG'], ['Hong Kong, China', 'HKG'], ['Macao SAR, China', 'MAC'],
  ['Czech Republic', 'CZE'], ['Slovak Republic', 'SVK'], ['Russian Federation', 'RUS'],
  ['Viet Nam', 'VNM'], ['Türkiye', 'TUR'], ['Turkiye', 'TUR'],
  ['Lao PDR', 'LAO'], ["Lao People's Democratic Republic", 'LAO'], ['Kyrgyz Republic', 'KGZ'],
  ['Republic of Moldova', 'MDA'], ['Moldova, Republic of', 'MDA'], ['United Republic of Tanzania', 'TZA'],
  ['Bolivia (Plurinational State of)', 'BOL'], ['Venezuela, RB', 'VEN'], ['Venezuela (Bolivarian Republic of)', 'VEN'],
  ['Congo, Dem. Rep.', 'COD'], ['Congo, Rep.', 'COG'], ['Yemen, Rep.', 'YEM'], ['Gambia, The', 'GMB'], ['Bahamas, The', 'BHS'],
  ['Micronesia, Fed. Sts.', 'FSM'], ['St. Lucia', 'LCA'], ['St. Kitts and Nevis', 'KNA'], ['Virgin Islands (U.S.)', 'VIR'],
  ['Syrian Arab Republic', 'SYR'], ['Brunei Darussalam', 'BRN'], ['West Bank and Gaza', 'PSE'], ['Cabo Verde', 'CPV'],
  ['Curacao', 'CUW'], ['Eswatini', 'SWZ'], ['United States of America', 'USA'], ['North Macedonia', 'MKD'],
];

const CODES: [string, string][] = [
  ['DE', 'DEU'], ['deu', 'DEU'], ['CN', 'CHN'], ['gb', 'GBR'], ['EL', 'GRC'], ['UK', 'GBR'], ['GR', 'GRC'], ['HKG', 'HKG'],
];

function counting(db: Sql): { sql: Sql; count: () => number } {
  let n = 0;
  return {
    sql: {
      query: <T,>(text: string, params?: unknown[]) => {
        n++;
        return db.query<T>(text, params);
      },
      execute: <T,>(text: string, params?: unknown[]) => {
        n++;
        return db.execute<T>(text, params);
      },
      exec: (text: string) => db.exec(text),
    },
    count: () => n,
  };
}

describe.each(STORES)('countries registry on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, actor: systemActor('test'), config: loadConfig({ ...process.env, INNOLINK_DEMO: '0' }) };
  });
  afterAll(async () => store?.close());

  describe('seed', () => {
    it('loads the built-in groups with their members', async () => {
      for (const g of BUILTIN_GROUPS) {
        expect((await getGroupMembers(store.db, g.code)).sort()).toEqual([...g.members].sort());
      }
    });

    it('is idempotent', async () => {
      const counts = async () =>
        (
          await store.db.query<{ c: number; a: number; m: number; g: number }>(
            `SELECT (SELECT count(*)::int FROM countries) AS c, (SELECT count(*)::int FROM country_aliases) AS a,
                    (SELECT count(*)::int FROM country_group_members) AS m, (SELECT count(*)::int FROM country_groups) AS g`,
          )
        )[0];
      const before = await counts();
      expect(await seedCountries(store.db)).toBe(0);
      expect(await counts()).toEqual(before);
    });

    it('writes the search vectors again on start when a tokenizer change cleared them (migration 013)', async () => {
      await store.db.query('UPDATE countries SET search = NULL');
      expect(await seedCountries(store.db)).toBe(0);
      const [left] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM countries WHERE search IS NULL');
      expect(left.n).toBe(0);
      const found = await listCountries(ctx, { q: 'United Kingdom' });
      expect(found.items.map((c) => c.iso3)).toContain('GBR');
    });

    it('gives the regions of China their Chinese names and sovereign', async () => {
      const regions = await listCountries(ctx, { kind: 'region' });
      expect(regions.items.map((r) => [r.iso3, r.name_zh, r.sovereign_iso3])).toEqual([
        ['HKG', '中国香港', 'CHN'],
        ['MAC', '中国澳门', 'CHN'],
        ['TWN', '中国台湾', 'CHN'],
      ]);
    });
  });

  describe('resolveCountries', () => {
    it('resolves every country of the Belt-and-Road table, and they are the BRI group', async () => {
      const names = BRI_ROWS.map((r) => r[NAME_COL]);
      const results = await resolveCountries(store.db, names);
      const countries = results.filter((r) => r.input !== NOT_A_COUNTRY);
      for (const r of countries) expect(r.iso3, r.input).not.toBeNull();
      for (const r of countries) expect(['exact', 'alias'], r.input).toContain(r.match);
      const iso3s = countries.map((r) => r.iso3!);
      expect(new Set(iso3s).size).toBe(names.length - 1);
      expect(iso3s.sort()).toEqual((await getGroupMembers(store.db, 'BRI')).sort());
    });

    it('does not take 西奈半岛 for a country, and suggests Egypt', async () => {
      const [r] = await resolveCountries(store.db, [NOT_A_COUNTRY]);
      expect(r).toMatchObject({ input: NOT_A_COUNTRY, iso3: null, name_zh: null, name_en: null, match: 'none' });
      expect(r.suggestions[0]).toMatchObject({ iso3: 'EGY', name_zh: '埃及', name_en: 'Egypt' });
      expect(r.suggestions.length).toBeLessThanOrEqual(5);
    });

    it.each([
      ['Chinese and English short and long forms', ALIASES],
      ['WIPO and World Bank names', INTERNATIONAL],
      ['ISO and CORDIS codes', CODES],
    ])('resolves %s', async (_what, table) => {
      const results = await resolveCountries(store.db, table.map(([name]) => name));
      expect(results.map((r) => [r.input, r.iso3])).toEqual(table);
      for (const r of results) expect(r.match, r.input).not.toBe('none');
    });

    it('says which kind of match it made', async () => {
      const results = await resolveCountries(store.db, ['德国', 'Germany', 'DEU', '阿拉伯联合酋长国', 'UK', 'Phillipines', '孟加拉人民共和国']);
      expect(results.map((r) => r.match)).toEqual(['exact', 'exact', 'exact', 'alias', 'alias', 'fuzzy', 'alias']);
      expect(results[5].iso3).toBe('PHL');
      expect(results[5].suggestions[0].iso3).toBe('PHL');
    });

    it('takes a fuzzy match only when one country is clearly ahead', async () => {
      const results = await resolveCountries(store.db, [
        'Kazakstan', // typo: one country close
        '哈萨克斯担', // typo in Chinese
        'Republic of Estonia', // long form of a known name
        '老挝人民民主共和国',
        'Slovania', // Slovenia or Slovakia?
        'Irak', // Iraq or Iran?
        'Nigera', // Niger or Nigeria?
        '尼日', // 尼日尔 or 尼日利亚?
        'Congo', // two countries
        '刚果',
        'Papua', // a province of Indonesia, not Papua New Guinea
        'Northern Ireland', // part of the UK, not Ireland
        'Guiana', // Guyana or French Guiana
        'Atlantis',
        '',
      ]);
      expect(results.map((r) => [r.input, r.match, r.iso3])).toEqual([
        ['Kazakstan', 'fuzzy', 'KAZ'],
        ['哈萨克斯担', 'fuzzy', 'KAZ'],
        ['Republic of Estonia', 'fuzzy', 'EST'],
        ['老挝人民民主共和国', 'alias', 'LAO'],
        ['Slovania', 'none', null],
        ['Irak', 'none', null],
        ['Nigera', 'none', null],
        ['尼日', 'none', null],
        ['Congo', 'none', null],
        ['刚果', 'none', null],
        ['Papua', 'none', null],
        ['Northern Ireland', 'none', null],
        ['Guiana', 'none', null],
        ['Atlantis', 'none', null],
        ['', 'none', null],
      ]);
      const suggested = (i: number) => results[i].suggestions.map((s) => s.iso3);
      expect(suggested(4).slice(0, 2).sort()).toEqual(['SVK', 'SVN']);
      expect(suggested(5).slice(0, 2).sort()).toEqual(['IRN', 'IRQ']);
      expect(suggested(8).slice(0, 2).sort()).toEqual(['COD', 'COG']);
      expect(suggested(11)[0]).toBe('GBR');
      for (const r of results) {
        expect(r.suggestions.length).toBeLessThanOrEqual(5);
        for (const s of r.suggestions) expect(s.score).toBeGreaterThan(0);
      }
    });

    it('resolves thousands of names with two queries', async () => {
      const base = [...BRI_ROWS.map((r) => r[NAME_COL]), ...INTERNATIONAL.map(([n]) => n), 'Kazakstan', 'Atlantis'];
      const names = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? `${base[i % base.length]} ` : base[i % base.length]));
      const c = counting(store.db);
      const started = Date.now();
      const results = await resolveCountries(c.sql, names);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(c.count()).toBe(2);
      expect(results).toHaveLength(5000);
      expect(results[0].input).toBe(names[0]);
    });
  });

  describe('indicators', () => {
    it('stores the GII 2022 rank band of the Belt-and-Road table and replaces on re-set', async () => {
      await store.db.transaction(async (tx) => {
        const resolved = await resolveCountries(tx, BRI_ROWS.map((r) => r[NAME_COL]));
        for (const [i, r] of resolved.entries()) {
          if (!r.iso3) continue;
          const { before } = await setCountryIndicator(tx, {
            iso3: r.iso3,
            indicator: 'gii_rank_band',
            year: 2022,
            value_text: BRI_ROWS[i][BAND_COL],
            source: 'belt_and_road_gii2022_rank_bands.csv',
          });
          expect(before).toBeNull();
        }
      });
      const bands = await getIndicatorValues(store.db, 'gii_rank_band', 2022);
      expect(bands).toHaveLength(BRI_ROWS.length - 1);
      const count = (band: string) => bands.filter((b) => b.value_text === band).length;
      // The paper: 4 / 19 / 28 / 7 countries in the bands 1–20 / 21–50 / 51–100 / 101–132, and
      // 8 unranked rows of which one is the Sinai, not a country.
      expect([count('1-20'), count('21-50'), count('51-100'), count('101-132'), count('不在排名榜内')]).toEqual([4, 19, 28, 7, 7]);

      const again = await setCountryIndicator(store.db, { iso3: 'sgp', indicator: 'gii_rank_band', year: 2022, value_text: '1-20', unit: null });
      expect(again.before).toMatchObject({ iso3: 'SGP', value_text: '1-20', source: 'belt_and_road_gii2022_rank_bands.csv' });
      const sgp = await getCountryIndicators(store.db, 'SGP', 'gii_rank_band');
      expect(sgp).toHaveLength(1);
      expect(sgp[0]).toMatchObject({ year: 2022, value_text: '1-20', source: null });
      await setCountryIndicator(store.db, { iso3: 'SGP', indicator: 'gii_rank', year: 2023, value_num: 5 });
      expect((await getCountry(ctx, 'SGP')).indicators.map((i) => [i.indicator, i.year, i.value_num ?? i.value_text])).toEqual([
        ['gii_rank', 2023, 5],
        ['gii_rank_band', 2022, '1-20'],
      ]);
    });

    it('refuses an unknown country (404) and invalid values (400)', async () => {
      await expect(setCountryIndicator(store.db, { iso3: 'QQQ', indicator: 'x', year: 2022, value_num: 1 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        status: 404,
      });
      await expect(setCountryIndicator(store.db, { iso3: 'SGP', indicator: 'Bad Code', year: 1800 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        status: 400,
      });
      await expect(setCountryIndicator(store.db, { iso3: 'SG', indicator: 'x', year: 2022, value_num: 1 })).rejects.toMatchObject({
        status: 400,
      });
    });
  });

  describe('editing', () => {
    it('keeps an old name resolvable after a rename', async () => {
      const d = await updateCountry(ctx, 'MKD', { name_zh: '北马其顿共和国', note: '2019年更名' });
      expect(d).toMatchObject({ name_zh: '北马其顿共和国', note: '2019年更名' });
      const results = await resolveCountries(store.db, ['北马其顿共和国', '北马其顿', '马其顿']);
      expect(results.map((r) => [r.match, r.iso3])).toEqual([
        ['exact', 'MKD'],
        ['alias', 'MKD'],
        ['alias', 'MKD'],
      ]);
    });

    it('adds an alias that then resolves and is found by search', async () => {
      await addCountryAlias(ctx, 'DEU', { alias: '德意志', lang: 'zh' });
      const [r] = await resolveCountries(store.db, ['德意志']);
      expect(r).toMatchObject({ match: 'alias', iso3: 'DEU' });
      expect((await listCountries(ctx, { q: '德意志' })).items.map((c) => c.iso3)).toEqual(['DEU']);
    });

    it('refuses edits by roles that only read', async () => {
      const reader = { ...ctx, actor: { name: 'r', role: 'reviewer' as const, regionScope: null } };
      await expect(addCountryAlias(reader, 'DEU', { alias: 'Deutschland' })).rejects.toMatchObject({ status: 403 });
    });
  });
});
