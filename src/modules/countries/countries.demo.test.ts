import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { freshStore, STORES, type TestStore } from '../../../test/stores.ts';
import { testConfig } from '../../../test/app.ts';
import { runImport } from '../imports/imports.service.ts';
import { DEFAULT_STRATEGY_RULES, innovationLevel, suggestDirection } from '../analytics/analytics.strategy.ts';
import { bandOf, DEMO_GII_YEAR, demoGiiPath, giiBandsTable, giiRanks, loadDemoGii } from './countries.demo.ts';

const PANEL = path.resolve(import.meta.dirname, '../../../../shared/data/gii/gii_panel_2011_2022.csv');
const config = testConfig();
const SEED_BANDS = 'belt_and_road_gii2022_rank_bands.csv';

describe('the demo GII bands table (demo/gii/gii_2022_rank_bands.csv)', () => {
  it('is what giiBandsTable makes from the GII panel (no hand edits)', () => {
    expect(fs.readFileSync(demoGiiPath(config), 'utf8')).toBe(giiBandsTable(fs.readFileSync(PANEL, 'utf8'), DEMO_GII_YEAR));
  });

  it('ranks the economies by their GII score, equal scores sharing the better rank, in the bands of 003 表1', () => {
    const ranks = giiRanks(fs.readFileSync(PANEL, 'utf8'), DEMO_GII_YEAR);
    // WIPO's 2022 edition ranks 132 economies (SOURCES.md).
    expect(ranks).toHaveLength(132);
    for (const r of ranks) expect(r.rank).toBe(1 + ranks.filter((o) => o.score > r.score).length);
    expect(ranks.slice(0, 2).map((r) => r.economy)).toEqual(['Switzerland', 'United States of America']);
    const table = parse(fs.readFileSync(demoGiiPath(config)), { columns: true, bom: true }) as Record<string, string>[];
    expect(table.map((r) => r['GII2022排名区间'])).toEqual(ranks.map((r) => bandOf(r.rank)));
    expect([1, 20, 21, 50, 51, 100, 101, 132].map(bandOf)).toEqual(['1-20', '1-20', '21-50', '21-50', '51-100', '51-100', '101-132', '101-132']);
  });
});

describe.each(STORES)('the demo GII bands on %s', (kind) => {
  let store: TestStore;
  const ctx = () => ({ db: store.db, config, actor: systemActor('test') });
  beforeAll(async () => {
    store = await freshStore(kind);
  });
  afterAll(() => store.close());

  it('agree with 003 表1 wherever both name a country, and give the partners outside the Belt and Road a band', async () => {
    const seed = await runImport(ctx(), { fileName: SEED_BANDS, path: path.join(config.seedDir, SEED_BANDS) }, { kind: 'countries' });
    expect(seed.ok).toBe(true);
    const before = await store.db.query<{ iso3: string; value_text: string }>(`SELECT iso3, value_text FROM country_indicators WHERE indicator = 'gii_rank_band' AND year = $1`, [DEMO_GII_YEAR]);
    const result = (await loadDemoGii(store.db, config))!;
    expect(result.ok).toBe(true);
    // Every economy of the panel is a country or region of the registry.
    expect(result.issues.filter((i) => i.code === 'COUNTRY_UNRESOLVED').map((i) => i.value)).toEqual([]);
    expect(result.rows).toMatchObject({ read: 132, imported: 132, rejected: 0 });
    // The paper's bands are not changed: the ranked Belt-and-Road countries get the same band.
    const after = new Map(
      (await store.db.query<{ iso3: string; value_text: string }>(`SELECT iso3, value_text FROM country_indicators WHERE indicator = 'gii_rank_band' AND year = $1`, [DEMO_GII_YEAR])).map((r) => [r.iso3, r.value_text]),
    );
    for (const b of before) expect(after.get(b.iso3), b.iso3).toBe(b.value_text);
    const ranked = before.filter((b) => /^\d/.test(b.value_text)).length;
    expect(result.changes).toMatchObject({ updated: 0, unchanged: ranked, inserted: 132 - ranked });
    // The United States (the NASA offers), Germany, the UK and Israel (the Changzhou projects).
    for (const [iso3, band] of [['USA', '1-20'], ['DEU', '1-20'], ['GBR', '1-20'], ['ISR', '1-20']]) {
      expect(after.get(iso3), iso3).toBe(band);
      const level = innovationLevel(null, { indicator: 'gii_rank_band', year: DEMO_GII_YEAR, value_text: band, value_num: null });
      expect(suggestDirection({ iso3, groups: [], level }, DEFAULT_STRATEGY_RULES).direction).toBe('bring_in');
    }
  });
});
