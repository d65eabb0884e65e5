/**
 * The home page's summary (/api/home) shows each role what its own lists show: registry
 * counts equal the list totals, recent imports come from the role's own import log, and the
 * attention items point at pages the role can open.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, MATRIX_ROLES, multipart, type World } from './access-fixtures.ts';
import { seedPath } from './seed.ts';
import { STORES } from './stores.ts';

const ROLES = MATRIX_ROLES.filter((r) => r !== 'anonymous');

interface Home {
  counts: { kind: string; total: number }[];
  attention: { kind: string; count: number; link: string }[];
  recent_imports: { id: number }[];
}

describe.each(STORES)('home summary on %s', (kind) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(kind);
    // One import in 武进's context: the 新北 officer's home must not show it.
    const res = await w.as('admin', {
      method: 'POST',
      url: '/api/imports?kind=funding&region=常州',
      ...multipart([['district.csv', fs.readFileSync(seedPath('changzhou_district_funding_2011_2014.csv'))]]),
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => w?.close());

  it('answers 401 without a session', async () => {
    expect((await w.as('anonymous', { method: 'GET', url: '/api/home' })).statusCode).toBe(401);
  });

  it.each(ROLES)('%s: counts equal the list totals and imports come from the own import log', async (role) => {
    const res = await w.as(role, { method: 'GET', url: '/api/home' });
    expect(res.statusCode, res.body).toBe(200);
    const home = res.json() as Home;
    for (const c of home.counts) {
      const list = await w.as(role, { method: 'GET', url: `/api/${c.kind}?pageSize=1` });
      expect(list.statusCode).toBe(200);
      expect(c.total, `${role} ${c.kind}`).toBe((list.json() as { total: number }).total);
    }
    const log = await w.as(role, { method: 'GET', url: '/api/imports?pageSize=200' });
    const visible = log.statusCode === 200 ? new Set((log.json() as { items: { id: number }[] }).items.map((i) => i.id)) : new Set<number>();
    for (const i of home.recent_imports) expect(visible.has(i.id), `${role} sees import ${i.id}`).toBe(true);
  });

  it('the city import shows for the administrator and the bureau, not for the 新北 officer', async () => {
    const recent = async (role: 'admin' | 'bureau' | 'district') => ((await w.as(role, { method: 'GET', url: '/api/home' })).json() as Home).recent_imports.length;
    expect(await recent('admin')).toBeGreaterThan(0);
    expect(await recent('bureau')).toBeGreaterThan(0);
    expect(await recent('district')).toBe(0);
  });
});
