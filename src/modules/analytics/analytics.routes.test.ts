import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/demo.ts';
import { testApp, testConfig, type TestApp } from '../../../test/app.ts';
import { seedRows } from '../../../test/seed.ts';
import { STORES } from '../../../test/stores.ts';
import { DEFAULT_STRATEGY_RULES } from './analytics.strategy.ts';

const DISTRICT_FILE = 'changzhou_district_funding_2011_2014.csv';

describe.each(STORES)('analytics API on %s', (kind) => {
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
    const body = res.json();
    expect(body.error.code, url).toBe(code);
    expect(body.error.message, url).toBeTruthy();
    expect(body.error.message_en, url).toBeTruthy();
  };

  describe('GET /api/analytics/tiers', () => {
    it('tiers by thresholds in the contract shape', async () => {
      const res = await get('/api/analytics/tiers?by=region&measure=amount&thresholds=2000,1000&districtsOnly=true');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body)).toEqual(['tiers']);
      expect(body.tiers.map((x: { tier: number; min: number | null; max: number | null }) => [x.tier, x.min, x.max])).toEqual([
        [1, 2000, null],
        [2, 1000, 2000],
        [3, null, 1000],
      ]);
      for (const tier of body.tiers) for (const m of tier.members) expect(Object.keys(m)).toEqual(['region', 'amount']);
      const table = seedRows(DISTRICT_FILE);
      const top = table.filter((r) => r['辖区'] !== '合计' && Number(r['合计']) >= 2000).map((r) => r['辖区']);
      expect(body.tiers[0].members.map((m: { region: string }) => m.region).sort()).toEqual(top.sort());
    });

    it('tiers by quantiles, for a period', async () => {
      const res = await get('/api/analytics/tiers?by=region&quantiles=3&from=2011&to=2012');
      expect(res.statusCode).toBe(200);
      expect(res.json().tiers).toHaveLength(3);
    });

    it('refuses bad parameters (400)', async () => {
      await expectRefusal('/api/analytics/tiers?by=galaxy&thresholds=1', 400, 'VALIDATION_FAILED');
      await expectRefusal('/api/analytics/tiers?by=region&measure=weight&thresholds=1', 400, 'VALIDATION_FAILED');
      await expectRefusal('/api/analytics/tiers?by=region&quantiles=1', 400, 'VALIDATION_FAILED');
      await expectRefusal('/api/analytics/tiers?by=region', 400, 'TIERS_SPEC_INVALID');
      await expectRefusal('/api/analytics/tiers?by=region&thresholds=abc', 400, 'TIERS_SPEC_INVALID');
      await expectRefusal('/api/analytics/tiers?by=region&thresholds=1&quantiles=3', 400, 'TIERS_SPEC_INVALID');
      await expectRefusal('/api/analytics/tiers?by=country&thresholds=1&districtsOnly=1', 400, 'ANALYTICS_DISTRICTS_ONLY_NEEDS_REGION');
      await expectRefusal('/api/analytics/tiers?by=region&thresholds=1&where=planet%3Dmars', 400, 'QUERY_CONDITION_UNKNOWN');
      await expectRefusal('/api/analytics/tiers?by=region&thresholds=1&from=2014&to=2011', 400, 'QUERY_PERIOD_INVALID');
    });
  });

  describe('GET /api/analytics/concentration', () => {
    it('answers n, top, topShare, hhi, gini and members', async () => {
      const res = await get('/api/analytics/concentration?by=region&top=3&where=region%3D%E5%B8%B8%E5%B7%9E');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body)).toEqual(expect.arrayContaining(['n', 'top', 'topShare', 'hhi', 'gini', 'members']));
      const table = seedRows(DISTRICT_FILE).filter((r) => r['辖区'] !== '合计');
      expect(body.n).toBe(table.length);
      expect(body.top).toBe(3);
      const amounts = table.map((r) => Number(r['合计'])).sort((a, b) => b - a);
      expect(body.topShare).toBeCloseTo((amounts[0] + amounts[1] + amounts[2]) / amounts.reduce((s, a) => s + a, 0), 6);
      expect(body.members[0]).toEqual({ rank: 1, region: table.find((r) => Number(r['合计']) === amounts[0])!['辖区'], amount: amounts[0], share: expect.any(Number), cumulative: expect.any(Number) });
    });

    it('refuses a bad top (400)', async () => {
      await expectRefusal('/api/analytics/concentration?by=region&top=0', 400, 'VALIDATION_FAILED');
    });

    it('measure=participations by country: the partner countries of the projects file', async () => {
      const rows = seedRows('changzhou_key_country_projects.csv');
      const countryCol = Object.keys(rows[0])[0];
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r[countryCol], (counts.get(r[countryCol]) ?? 0) + 1);
      const res = await get('/api/analytics/concentration?by=country&measure=participations&top=10');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ n: counts.size, measure: 'participations', total: rows.length, unassigned: null });
      expect(body.members.map((m: { country: string; participations: number }) => [m.country, m.participations]).sort()).toEqual([...counts.entries()].sort());
      for (const m of body.members) expect(m.iso3).toMatch(/^[A-Z]{3}$/);
      await expectRefusal('/api/analytics/concentration?by=source&measure=partner_projects', 400, 'ANALYTICS_MEASURE_DIMENSION');
      await expectRefusal('/api/analytics/concentration?by=country&measure=partners', 400, 'VALIDATION_FAILED');
      // Tiers and trends keep the funding measures.
      await expectRefusal('/api/analytics/tiers?by=country&measure=participations&thresholds=1', 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/analytics/trends', () => {
    it('answers the yearly totals and per-unit stability', async () => {
      const res = await get('/api/analytics/trends?by=region&cvThreshold=0.6');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const total = seedRows(DISTRICT_FILE).find((r) => r['辖区'] === '合计')!;
      expect(body.overall.values).toEqual(body.years.map((y: number) => Number(total[String(y)])));
      expect(body.overall.pattern).toMatch(/^[↑↓→]+$/);
      expect(body.cvThreshold).toBe(0.6);
      for (const u of body.units) {
        expect(typeof u.region).toBe('string');
        expect(u.unstable).toBe(u.cv !== null && u.cv >= 0.6);
      }
    });

    it('refuses year as the unit (400)', async () => {
      await expectRefusal('/api/analytics/trends?by=year', 400, 'TRENDS_BY_YEAR');
    });
  });

  describe('GET /api/analytics/network', () => {
    it('answers nodes with centrality and the edge count', async () => {
      const res = await get('/api/analytics/network?level=country&weight=participations');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.edges).toBeGreaterThan(0);
      for (const n of body.nodes) expect(Object.keys(n).sort()).toEqual(['betweenness', 'degree', 'eigenvector', 'id', 'label', 'weighted_degree']);
      expect(body.nodes[0].id).toBe('CHN');
      const noLead = (await get('/api/analytics/network?level=country&lead=false')).json();
      expect(noLead.edges).toBe(0);
    });

    it('links=true adds the links; edges stays the count', async () => {
      const plain = (await get('/api/analytics/network?level=country')).json();
      expect(plain.links).toBeUndefined();
      const res = await get('/api/analytics/network?level=country&links=true');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.edges).toBe(plain.edges);
      expect(body.links).toHaveLength(body.edges);
      expect(body.links_limited_to).toBeNull();
      for (const l of body.links) expect(Object.keys(l)).toEqual(['source', 'target', 'weight']);
      // The projects' partner countries are each linked to China by their project count.
      const rows = seedRows('changzhou_key_country_projects.csv');
      expect(body.links.reduce((s: number, l: { weight: number }) => s + l.weight, 0)).toBe(rows.length);
      const limited = (await get('/api/analytics/network?level=country&links=1&linkNodes=1')).json();
      expect(limited).toMatchObject({ links: [], links_limited_to: 1, edges: plain.edges });
      await expectRefusal('/api/analytics/network?level=country&links=true&linkNodes=0', 400, 'VALIDATION_FAILED');
      await expectRefusal('/api/analytics/network?level=country&links=maybe', 400, 'VALIDATION_FAILED');
    });

    it('refuses a bad level or condition (400)', async () => {
      await expectRefusal('/api/analytics/network?level=planet', 400, 'VALIDATION_FAILED');
      await expectRefusal('/api/analytics/network?level=country&where=source%3Dx', 400, 'QUERY_CONDITION_UNKNOWN');
      await expectRefusal('/api/analytics/network?level=country&where=country%3DAtlantis', 400, 'COUNTRY_UNRESOLVED');
    });
  });

  describe('/api/analytics/strategy', () => {
    it('GET lists a group with bands, directions and reasons', async () => {
      const res = await get('/api/analytics/strategy?group=BRI');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const file = seedRows('belt_and_road_gii2022_rank_bands.csv');
      expect(body.countries.length + body.unresolved.length).toBe(file.length);
      const sgp = body.countries.find((c: { iso3: string }) => c.iso3 === 'SGP');
      expect(sgp).toMatchObject({ direction: 'bring_in', direction_zh: '引进来', innovation: { value: '1-20', ranked: true } });
      expect(sgp.reason_zh).toMatch(/引进来/);
      expect(sgp.reason_en).toMatch(/bring/);
    });

    it('GET /api/analytics/strategy/rules gives the defaults; POST applies other rules', async () => {
      const rules = (await get('/api/analytics/strategy/rules')).json();
      expect(rules).toEqual(DEFAULT_STRATEGY_RULES);
      const everyoneGoesOut = { rules: [{ direction: 'go_out', reason_zh: '全部走出去', reason_en: 'all go out' }] };
      const res = await t.app.inject({ method: 'POST', url: '/api/analytics/strategy', payload: { group: 'BRI', rules: everyoneGoesOut } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.rules.home).toBe('CHN');
      expect(body.directions).toEqual({ bring_in: 0, both: 0, go_out: body.countries.length - 1, none: 0 });
    });

    it('refuses bad rules (400) and an unknown group (404)', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/analytics/strategy', payload: { rules: { rules: [{ direction: 'sideways' }] } } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      await expectRefusal('/api/analytics/strategy?group=NOPE', 404, 'NOT_FOUND');
      await expectRefusal('/api/analytics/strategy?all=maybe', 400, 'VALIDATION_FAILED');
    });
  });

  it('every analytics route is in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json')).json();
    for (const p of ['tiers', 'concentration', 'trends', 'network', 'strategy', 'strategy/rules']) expect(Object.keys(doc.paths)).toContain(`/api/analytics/${p}`);
    expect(doc.paths['/api/analytics/strategy'].post).toBeTruthy();
  });
});
