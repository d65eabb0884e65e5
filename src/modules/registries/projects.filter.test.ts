/**
 * Projects filtered by partner country (a filter on related records): the counts equal the seed
 * table's rows per country, and the filter combines with search and the data scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/demo.ts';
import { testApp, testConfig, type TestApp } from '../../../test/app.ts';
import { seedRows } from '../../../test/seed.ts';
import { STORES } from '../../../test/stores.ts';

describe.each(STORES)('projects by partner country on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
    await loadDemo(t.store.db, testConfig());
  });
  afterAll(async () => t?.close());

  const total = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { total: number }).total;
  };

  it('counts each country as the seed table lists it', async () => {
    const rows = seedRows('changzhou_key_country_projects.csv');
    const byCountry = new Map<string, number>();
    for (const r of rows) byCountry.set(r['国别'], (byCountry.get(r['国别']) ?? 0) + 1);
    const resolve = await t.app.inject({ method: 'GET', url: `/api/countries/resolve?${[...byCountry.keys()].map((n) => `name=${encodeURIComponent(n)}`).join('&')}` });
    const resolved = (resolve.json() as { results: { input: string; iso3: string | null }[] }).results;
    expect(resolved.length).toBe(byCountry.size);
    for (const r of resolved) {
      expect(r.iso3, r.input).toBeTruthy();
      expect(await total(`/api/projects?partner_country=${r.iso3}`), r.input).toBe(byCountry.get(r.input));
    }
  });

  it('combines with text search, accepts lower case, and refuses what is not a country code', async () => {
    const isr = await total('/api/projects?partner_country=isr');
    expect(isr).toBeGreaterThan(0);
    expect(await total(`/api/projects?partner_country=ISR&q=${encodeURIComponent('肿瘤')}`)).toBeLessThanOrEqual(isr);
    const bad = await t.app.inject({ method: 'GET', url: '/api/projects?partner_country=Israel' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('is described in the registry metadata for the web filters', async () => {
    const meta = (await t.app.inject({ method: 'GET', url: '/api/meta/registries' })).json() as { registries: { kind: string; relation_filters: { name: string }[] }[] };
    expect(meta.registries.find((r) => r.kind === 'projects')!.relation_filters.map((r) => r.name)).toEqual(['partner_country']);
  });
});
