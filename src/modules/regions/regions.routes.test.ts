import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { sessionCookie } from '../auth/auth.testing.ts';

interface Region {
  id: number;
  short_name: string;
  level: string;
  path: string;
}

describe.each(STORES)('GET /api/regions?scope=mine on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(async () => t?.close());

  const mine = async (cookie?: string) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/regions?scope=mine&pageSize=200', ...(cookie ? { headers: { cookie } } : {}) });
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: Region[] }).items;
  };

  it("offers a city officer the city and its districts first, a district officer its own district, and others the home city", async () => {
    const { cookie: cz } = await sessionCookie(t.store.db, { role: 'bureau', username: 'cz', region: '常州' });
    const { cookie: xb } = await sessionCookie(t.store.db, { role: 'district', username: 'xb', region: '新北' });
    const city = await mine(cz);
    expect(city[0]).toMatchObject({ short_name: '常州', level: 'city' });
    // China's division list: 常州 has six districts and the county-level city 溧阳.
    expect(city.map((r) => r.short_name)).toEqual(expect.arrayContaining(['新北', '武进', '天宁', '钟楼', '金坛', '溧阳']));
    expect(city.every((r) => r.path.startsWith(city[0].path))).toBe(true);
    expect(city.some((r) => r.short_name === '东城')).toBe(false);

    const district = await mine(xb);
    expect(district.map((r) => r.short_name)).toEqual(['新北']);

    // The administrator has no region of its own: the installation's home city (INNOLINK_HOME_REGION, 常州 by default).
    expect((await mine())[0]).toMatchObject({ short_name: '常州', level: 'city' });
  });

  it('refuses an unknown scope (400)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/regions?scope=everything' });
    expect(res.statusCode).toBe(400);
  });
});
