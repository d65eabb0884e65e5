/**
 * GET /api/analytics/dashboard, /map and /participations on the seed tables: the Changzhou
 * figures of the paper come out of the dashboard (yearly totals and tiers, computed from the
 * imported table), in the reply shapes, with the refusals.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/demo.ts';
import { testApp, testConfig, type TestApp } from '../../../test/app.ts';
import { seedRows } from '../../../test/seed.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DISTRICT_FILE = 'changzhou_district_funding_2011_2014.csv';

/** 002 表2: the units, their totals and the table's yearly total row. */
function districtTable() {
  const rows = seedRows(DISTRICT_FILE);
  const unit = Object.keys(rows[0]).find((k) => !/^\d+$/.test(k) && k !== '合计')!;
  const years = Object.keys(rows[0]).filter((k) => /^\d{4}$/.test(k));
  const total = rows.find((r) => r[unit] === '合计')!;
  const units = rows.filter((r) => r !== total).map((r) => ({ region: r[unit], amount: years.reduce((s, y) => s + Number(r[y]), 0) }));
  return { years: years.map(Number), yearly: years.map((y) => Number(total[y])), units };
}

describe.each(STORES)('dashboard API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
    await loadDemo(t.store.db, testConfig());
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const expectRefusal = async (url: string, status: number, code: string) => {
    const res = await get(url);
    expect(res.statusCode, url).toBe(status);
    expect(res.json().error.code, url).toBe(code);
    expect(res.json().error.message, url).toBeTruthy();
    expect(res.json().error.message_en, url).toBeTruthy();
  };

  describe('GET /api/analytics/dashboard', () => {
    it('gives the paper’s yearly totals and tiers for Changzhou 2011–2014', async () => {
      const table = districtTable();
      const res = await get(`/api/analytics/dashboard?region=${encodeURIComponent('常州')}&from=2011&to=2014&thresholds=2000,1000`);
      expect(res.statusCode).toBe(200);
      const d = res.json();
      expect(d.source).toBe('aggregates');
      expect(d.by_year.map((r: { year: number }) => r.year)).toEqual(table.years);
      expect(d.by_year.map((r: { amount: number }) => r.amount)).toEqual(table.yearly);
      const byRegion = Object.fromEntries(d.by_region.map((r: { region: string; amount: number }) => [r.region, r.amount]));
      for (const u of table.units) expect(byRegion[u.region], u.region).toBe(u.amount);
      const tier = (min: number, max: number) => table.units.filter((u) => u.amount >= min && u.amount < max).map((u) => u.region).sort();
      const members = (i: number) => d.tiers.tiers[i].members.map((m: { region: string }) => m.region).sort();
      expect(members(0)).toEqual(tier(2000, Infinity));
      expect(members(1)).toEqual(tier(1000, 2000));
      expect(members(2)).toEqual(tier(-Infinity, 1000));
      expect(Object.keys(d)).toEqual(['region', 'from', 'to', 'unit', 'currency', 'source', 'by_year', 'by_region', 'by_country', 'by_field', 'tiers', 'concentration', 'map', 'network']);
    });

    it('answers the same from the records (source=tables)', async () => {
      const a = (await get('/api/analytics/dashboard?region=%E5%B8%B8%E5%B7%9E')).json();
      const b = (await get('/api/analytics/dashboard?region=%E5%B8%B8%E5%B7%9E&source=tables')).json();
      expect({ ...a, source: null }).toEqual({ ...b, source: null });
    });

    it('refuses bad parameters (400) and requests without a session (401)', async () => {
      await expectRefusal('/api/analytics/dashboard?from=2014&to=2011', 400, 'QUERY_PERIOD_INVALID');
      await expectRefusal('/api/analytics/dashboard?from=14', 400, 'VALIDATION_FAILED');
      await expectRefusal('/api/analytics/dashboard?region=%E7%81%AB%E6%98%9F', 400, 'REGION_UNKNOWN');
      await expectRefusal('/api/analytics/dashboard?thresholds=abc', 400, 'TIERS_SPEC_INVALID');
      await expectRefusal('/api/analytics/dashboard?source=cache', 400, 'VALIDATION_FAILED');
      const anon = await t.anon({ method: 'GET', url: '/api/analytics/dashboard' });
      expect(anon.statusCode).toBe(401);
    });
  });

  describe('GET /api/analytics/map', () => {
    it('lists countries with projects, participations and funding', async () => {
      const res = await get('/api/analytics/map');
      expect(res.statusCode).toBe(200);
      const m = res.json();
      expect(m.countries.length).toBeGreaterThan(0);
      for (const c of m.countries) expect(Object.keys(c)).toEqual(['iso3', 'name_zh', 'name_en', 'projects', 'participations', 'funding']);
      const [{ n }] = await t.store.db.query<{ n: number }>(
        `SELECT count(DISTINCT pp.project_id)::int AS n FROM project_partners pp LEFT JOIN organizations o ON o.id = pp.org_id
          WHERE coalesce(pp.country_iso3, o.country_iso3) = 'DEU'`,
      );
      expect(m.countries.find((c: { iso3: string }) => c.iso3 === 'DEU')?.projects ?? 0).toBe(n);
    });
  });

  describe('GET /api/analytics/participations', () => {
    it('breaks participations down by country', async () => {
      const res = await get('/api/analytics/participations?by=country');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const [{ n }] = await t.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM project_partners');
      expect(body.totals.participations).toBe(n);
      expect(body.rows.reduce((s: number, r: { participations: number }) => s + r.participations, 0)).toBe(n);
    });

    it('refuses unknown dimensions and conditions (400)', async () => {
      await expectRefusal('/api/analytics/participations?by=galaxy', 400, 'QUERY_DIMENSION_UNKNOWN');
      await expectRefusal('/api/analytics/participations?by=year&where=planet%3Dmars', 400, 'QUERY_CONDITION_UNKNOWN');
      await expectRefusal('/api/analytics/participations?by=year&participant=Atlantis', 400, 'COUNTRY_UNRESOLVED');
    });
  });
});

describe('innolink query dashboard | map (CLI)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore('postgres');
    await loadDemo(store.db, testConfig());
  }, 120_000);
  afterAll(async () => store?.close());

  const cli = (...args: string[]) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    new Promise<{ code: number; stdout: string; json: () => any }>((resolve) => {
      execFile(process.execPath, ['bin/innolink.mjs', 'query', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' }, timeout: 60_000 }, (err, stdout) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, json: () => JSON.parse(stdout) });
      });
    });

  it('prints the dashboard and the map as one JSON object each, and exits 2 on bad usage', async () => {
    const table = districtTable();
    const d = await cli('dashboard', '--region', '常州', '--from', '2011', '--to', '2014', '--thresholds', '2000,1000', '--json');
    expect(d.code).toBe(0);
    expect(d.stdout.trim().split('\n')).toHaveLength(1);
    expect(d.json().by_year.map((r: { amount: number }) => r.amount)).toEqual(table.yearly);
    const m = await cli('map', '--json');
    expect(m.code).toBe(0);
    expect(Array.isArray(m.json().countries)).toBe(true);
    expect((await cli('dashboard', '--from', '20', '--json')).code).toBe(2);
    expect((await cli('dashboard', '--thresholds', '1', '--quantiles', '3')).code).toBe(2);
  }, 120_000);
});
