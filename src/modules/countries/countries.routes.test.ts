import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES, type TestStore } from '../../../test/stores.ts';

describe.each(STORES)('countries API on %s', (kind) => {
  let t: TestApp;
  let store: TestStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await testApp(kind);
    store = t.store;
    app = t.app;
  });
  afterAll(async () => t?.close());

  const get = (url: string) => app.inject({ method: 'GET', url });

  describe('GET /api/countries', () => {
    it('pages and sorts', async () => {
      const res = await get('/api/countries?page=2&pageSize=10&sort=iso3&order=desc');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ page: 2, pageSize: 10 });
      expect(body.total).toBeGreaterThanOrEqual(249);
      expect(body.items).toHaveLength(10);
      const codes = body.items.map((c: { iso3: string }) => c.iso3);
      expect(codes).toEqual([...codes].sort().reverse());
      const byName = (await get('/api/countries?sort=name_en&pageSize=3')).json();
      expect(byName.items.map((c: { name_en: string }) => c.name_en)).toEqual(['Afghanistan', 'Albania', 'Algeria']);
    });

    it('filters by group and kind', async () => {
      const bri = (await get('/api/countries?group=BRI&pageSize=500')).json();
      expect(bri.total).toBe(65);
      expect(bri.items.every((c: { groups: string[] }) => c.groups.includes('BRI'))).toBe(true);
      expect((await get('/api/countries?group=rcep')).json().total).toBe(15);
      const regions = (await get('/api/countries?kind=region')).json();
      expect(regions.items.map((c: { iso3: string }) => c.iso3)).toEqual(['HKG', 'MAC', 'TWN']);
    });

    it('searches names, aliases and codes', async () => {
      const codes = async (q: string) =>
        (await get(`/api/countries?q=${encodeURIComponent(q)}`)).json().items.map((c: { iso3: string }) => c.iso3);
      expect(await codes('阿联酋')).toEqual(['ARE']);
      expect(await codes('波黑')).toEqual(['BIH']);
      expect(await codes('Korea, Rep.')).toContain('KOR');
      expect(await codes('germany')).toEqual(['DEU']);
      expect(await codes('EL')).toContain('GRC');
      expect(await codes('美')).toContain('USA');
    });

    it('refuses bad parameters (400)', async () => {
      for (const url of ['/api/countries?pageSize=0', '/api/countries?sort=population', '/api/countries?kind=city', '/api/countries?group=NOPE']) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('GET /api/countries/:iso3', () => {
    it('gives aliases, groups and indicators', async () => {
      const res = await get('/api/countries/are');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ iso3: 'ARE', iso2: 'AE', name_zh: '阿联酋', kind: 'country' });
      expect(body.aliases.map((a: { alias: string }) => a.alias)).toContain('阿拉伯联合酋长国');
      expect(body.group_details.map((g: { code: string }) => g.code)).toEqual(['BRI', 'BRICS']);
      expect(body.groups).toEqual(['BRI', 'BRICS']);
      expect(body.indicators).toEqual([]);
    });

    it('answers 404 for an unknown code and 400 for a malformed one', async () => {
      const missing = await get('/api/countries/QQQ');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error).toMatchObject({ code: 'NOT_FOUND' });
      expect(missing.json().error.message).toMatch(/国家或地区/);
      expect((await get('/api/countries/ABCD')).statusCode).toBe(400);
      expect((await get('/api/countries/A1B')).json().error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('PATCH /api/countries/:iso3', () => {
    it('renames and keeps the old name as an alias', async () => {
      const res = await app.inject({ method: 'PATCH', url: '/api/countries/CZE', payload: { name_zh: '捷克共和国', note: '测试' } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ iso3: 'CZE', name_zh: '捷克共和国', note: '测试' });
      const resolved = (await get('/api/countries/resolve?name=捷克')).json();
      expect(resolved.results[0]).toMatchObject({ iso3: 'CZE', match: 'alias' });
    });

    it('refuses a name of another country (409), an empty or unknown body (400), an unknown country (404)', async () => {
      const taken = await app.inject({ method: 'PATCH', url: '/api/countries/CZE', payload: { name_zh: '斯洛伐克' } });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.code).toBe('COUNTRY_NAME_TAKEN');
      expect((await app.inject({ method: 'PATCH', url: '/api/countries/CZE', payload: {} })).statusCode).toBe(400);
      expect((await app.inject({ method: 'PATCH', url: '/api/countries/CZE', payload: { population: 1 } })).statusCode).toBe(400);
      expect((await app.inject({ method: 'PATCH', url: '/api/countries/CZE', payload: { name_en: '' } })).statusCode).toBe(400);
      expect((await app.inject({ method: 'PATCH', url: '/api/countries/QQQ', payload: { note: 'x' } })).statusCode).toBe(404);
    });
  });

  describe('POST /api/countries/:iso3/aliases', () => {
    it('adds an alias (201) that then resolves', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/countries/nzl/aliases', payload: { alias: 'Aotearoa', lang: 'mi' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ alias: 'Aotearoa', alias_key: 'aotearoa', iso3: 'NZL', lang: 'mi', source: 'user' });
      const resolved = (await get('/api/countries/resolve?name=AOTEAROA')).json();
      expect(resolved.results[0]).toMatchObject({ iso3: 'NZL', match: 'alias' });
    });

    it('refuses a duplicate (409), an empty alias (400) and an unknown country (404)', async () => {
      const dup = await app.inject({ method: 'POST', url: '/api/countries/NZL/aliases', payload: { alias: 'aotearoa' } });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.code).toBe('ALIAS_EXISTS');
      const other = await app.inject({ method: 'POST', url: '/api/countries/AUS/aliases', payload: { alias: 'U.K.' } });
      expect(other.statusCode).toBe(409);
      expect(other.json().error.details[0]).toMatchObject({ iso3: 'GBR' });
      const canonical = await app.inject({ method: 'POST', url: '/api/countries/AUS/aliases', payload: { alias: 'Germany' } });
      expect(canonical.statusCode).toBe(409);
      expect((await app.inject({ method: 'POST', url: '/api/countries/NZL/aliases', payload: { alias: '  ' } })).statusCode).toBe(400);
      expect((await app.inject({ method: 'POST', url: '/api/countries/NZL/aliases', payload: { alias: '()' } })).statusCode).toBe(400);
      expect((await app.inject({ method: 'POST', url: '/api/countries/QQQ/aliases', payload: { alias: 'Nowhere' } })).statusCode).toBe(404);
    });
  });

  describe('GET /api/country-groups', () => {
    it('lists the groups with members', async () => {
      const body = (await get('/api/country-groups')).json();
      const sizes = Object.fromEntries(body.items.map((g: { code: string; members: string[] }) => [g.code, g.members.length]));
      expect(sizes).toMatchObject({ BRI: 65, RCEP: 15, EU: 27, OECD: 38, G20: 19, ASEAN: 10, BRICS: 9 });
      const bri = body.items.find((g: { code: string }) => g.code === 'BRI');
      expect(bri.name_zh).toBe('共建“一带一路”国家');
      expect(bri.members).not.toContain('EGY');
    });
  });

  describe('GET /api/countries/resolve', () => {
    it('resolves repeated names in order', async () => {
      const res = await get(`/api/countries/resolve?name=${encodeURIComponent('阿联酋')}&name=${encodeURIComponent('西奈半岛')}&name=UK`);
      expect(res.statusCode).toBe(200);
      const { results } = res.json();
      expect(results.map((r: { input: string; iso3: string | null; match: string }) => [r.input, r.iso3, r.match])).toEqual([
        ['阿联酋', 'ARE', 'exact'],
        ['西奈半岛', null, 'none'],
        ['UK', 'GBR', 'alias'],
      ]);
      expect(results[1].suggestions[0].iso3).toBe('EGY');
    });

    it('needs a name (400)', async () => {
      expect((await get('/api/countries/resolve')).statusCode).toBe(400);
      expect((await get('/api/countries/resolve?name=')).statusCode).toBe(400);
    });
  });

  it('documents every route in /api/openapi.json', async () => {
    const doc = (await get('/api/openapi.json')).json();
    const paths = doc.paths as Record<string, Record<string, { summary?: string }>>;
    for (const [p, method] of [
      ['/api/countries', 'get'],
      ['/api/countries/resolve', 'get'],
      ['/api/countries/{iso3}', 'get'],
      ['/api/countries/{iso3}', 'patch'],
      ['/api/countries/{iso3}/aliases', 'post'],
      ['/api/country-groups', 'get'],
    ]) {
      expect(paths[p]?.[method]?.summary, `${method} ${p}`).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
    }
  });
});
