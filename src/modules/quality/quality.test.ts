/**
 * The data-quality view on both stores, service and API: on the seed tables (the paper's
 * stated figures that the registries do not reach), and on small files made to carry each
 * kind of problem — a wrong total row, an unknown country, an unknown project, a region name
 * the city does not have, organisation names close to registered ones.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../actor.ts';
import { loadDemo } from '../../demo/demo.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testApp, testConfig, type TestApp } from '../../../test/app.ts';
import { seedRows } from '../../../test/seed.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { runImport } from '../imports/imports.service.ts';
import { registryService } from '../registry/registry.service.ts';
import { REGISTRIES } from '../registries/defs.ts';
import { qualityDuplicates, qualityFacts, qualitySummary, qualityTotals, qualityUnresolved } from './quality.service.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const csv = (text: string) => Buffer.from(text, 'utf8');

describe.each(STORES)('data-quality view on %s', (kind) => {
  let t: TestApp;
  let ctx: ServiceContext;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await testApp(kind);
    ctx = { db: t.store.db, config: testConfig(), actor: systemActor('test') };
    await loadDemo(t.store.db, ctx.config);
    // A funding table whose total column and total row disagree with its cells (武进: 5 + 5 ≠ 11).
    const totals = await runImport(ctx, { fileName: 'totals.csv', buffer: csv('辖区,2015,2016,合计\n新北,10,20,30\n武进,5,5,11\n合计,15,25,41\n') }, { kind: 'funding', region: '常州' });
    expect(totals.ok).toBe(true);
    ids.totals = totals.import_id!;
    // Projects naming a country nobody knows and an organisation close to another one.
    const projects = await runImport(
      ctx,
      { fileName: 'projects.csv', buffer: csv('项目编号,项目名称,合作国别,牵头单位\nQ-1,石墨烯导热膜联合研发,德国、火星国,常州天合光能有限公司\n') },
      { kind: 'projects', region: '常州' },
    );
    expect(projects.ok).toBe(true);
    ids.projects = projects.import_id!;
    const later = await runImport(
      ctx,
      { fileName: 'projects-2.csv', buffer: csv('项目编号,项目名称,合作国别,牵头单位\nQ-2,光伏电池国际合作,英国,常州天合光能股份有限公司\n') },
      { kind: 'projects', region: '常州' },
    );
    expect(later.ok).toBe(true);
    ids.later = later.import_id!;
    // Participations of a project that does not exist (kept: the valid rows).
    const partners = await runImport(ctx, { fileName: 'partners.csv', buffer: csv('项目编号,合作单位,国别\nQ-1,Fraunhofer ISE,德国\nQ-404,Oxford University,英国\n') }, { kind: 'partners', keepValid: true });
    expect(partners.ok).toBe(true);
    ids.partners = partners.import_id!;
    // Two organisations with different PICs are different organisations, however close their names.
    const orgs = registryService(REGISTRIES.organizations);
    await orgs.create(ctx, { name_en: 'Nordic Photonics Research Oy', domestic: false, country_iso3: 'FIN', pic: '900000001' });
    await orgs.create(ctx, { name_en: 'Nordic Photonics Research Oy.', domestic: false, country_iso3: 'SWE' });
    await orgs.create(ctx, { name_en: 'Nordic Photonics Research Ltd', domestic: false, country_iso3: 'FIN', pic: '900000002' });
  }, 240_000);
  afterAll(async () => t?.close());

  it('facts: the paper’s stated figures the registries do not reach, with import and row', async () => {
    const { items } = await qualityFacts(ctx);
    const summary = seedRows('changzhou_partner_country_concentration.csv');
    const stated = Number(summary.find((r) => r['指标'] === '项目总经费')!['数值']);
    const total = items.find((i) => i.subject === '常州' && i.indicator === '项目总经费')!;
    const [{ sum }] = await t.store.db.query<{ sum: number }>(
      `SELECT sum(f.amount_wan)::float8 AS sum FROM funding f JOIN admin_regions r ON r.id = f.region_id
        WHERE f.currency = 'CNY' AND f.year BETWEEN 2011 AND 2014 AND r.path LIKE (SELECT path FROM admin_regions WHERE short_name = '常州' AND level = 'city') || '%'`,
    );
    expect(total).toMatchObject({ code: 'TOTAL_MISMATCH', stated, computed: sum, file_name: 'changzhou_partner_country_concentration.csv' });
    const row = summary.findIndex((r) => r['指标'] === '项目总经费') + 2; // header is row 1
    expect(total.rows.map((r) => r.row)).toEqual([row]);
    expect(items.some((i) => i.code === 'LIST_INCOMPLETE' && i.rows.length === 1)).toBe(true);
  });

  it('facts are checked again now: a figure the data later reaches leaves the list', async () => {
    const fact = await runImport(ctx, { fileName: 'fact.csv', buffer: csv('对象,指标,数值,说明\n新北,项目总经费,100,2015-2016年\n') }, { kind: 'facts', region: '常州' });
    expect(fact.ok).toBe(true);
    const before = (await qualityFacts(ctx)).items.find((i) => i.subject === '新北' && i.import_id === fact.import_id);
    expect(before).toMatchObject({ code: 'TOTAL_MISMATCH', stated: 100, computed: 30, rows: [{ row: 2 }] });
    const more = await runImport(ctx, { fileName: 'more.csv', buffer: csv('辖区,年份,金额,资金来源\n新北,2016,70,补充\n') }, { kind: 'funding', region: '常州' });
    expect(more.ok).toBe(true);
    expect((await qualityFacts(ctx)).items.find((i) => i.subject === '新北' && i.import_id === fact.import_id)).toBeUndefined();
  });

  it('totals: a file’s total row and column that its cells do not add up to', async () => {
    const { items } = await qualityTotals(ctx);
    const mine = items.filter((i) => i.import_id === ids.totals);
    expect(mine.find((i) => i.row === 3)).toMatchObject({ file_name: 'totals.csv', stated: 11, computed: 10 });
    expect(mine.every((i) => i.message && i.message_en)).toBe(true);
  });

  it('unresolved: countries, projects, regions and close organisations, by name with imports and rows', async () => {
    const { items } = await qualityUnresolved(ctx);
    expect(items.find((i) => i.kind === 'country' && i.name === '火星国')).toMatchObject({ imports: [{ import_id: ids.projects, file_name: 'projects.csv', rows: [{ row: 2 }] }] });
    expect(items.find((i) => i.kind === 'project' && i.name === 'Q-404')).toMatchObject({ imports: [{ import_id: ids.partners, rows: [{ row: 3, severity: 'error' }] }] });
    expect(items.find((i) => i.kind === 'region' && i.name === '市直属')).toBeDefined();
    expect(items.find((i) => i.kind === 'organization' && i.name === '常州天合光能股份有限公司')).toMatchObject({ imports: [{ import_id: ids.later, rows: [{ row: 2 }] }] });
    expect((await qualityUnresolved(ctx, { kind: 'project' })).items.every((i) => i.kind === 'project')).toBe(true);
  });

  it('duplicates: close names in one country, not when identifiers or countries differ', async () => {
    const res = await qualityDuplicates(ctx);
    const names = res.items.map((i) => [i.a.name, i.b.name].sort().join(' ≈ '));
    expect(names).toContain('常州天合光能有限公司 ≈ 常州天合光能股份有限公司');
    const pair = res.items.find((i) => i.a.name.startsWith('常州天合'))!;
    expect(pair.reason).toBe('similar');
    expect([pair.a.import_id, pair.b.import_id]).toEqual([ids.projects, ids.later]);
    // The later import reported its organisation as close to the registered one, on its row.
    expect(pair.a.rows).toEqual([]);
    expect(pair.b.rows.map((r) => r.row)).toEqual([2]);
    expect(names.some((n) => n.includes('Nordic Photonics'))).toBe(false);
    expect(res.next_after).toBeNull();
    const paged = await qualityDuplicates(ctx, { budget: 1 });
    expect(paged.probed).toBe(1);
    expect(paged.next_after).not.toBeNull();
  });

  it('the summary counts each part', async () => {
    const s = await qualitySummary(ctx);
    expect(s).toEqual({
      facts: (await qualityFacts(ctx)).items.length,
      totals: (await qualityTotals(ctx)).items.length,
      unresolved: (await qualityUnresolved(ctx)).items.length,
      duplicates: { found: (await qualityDuplicates(ctx, { limit: 5000 })).items.length, probed: expect.any(Number), complete: true },
    });
  });

  it('is for roles that may import; a district officer sees the imports of its district only', async () => {
    const evaluator: Actor = { name: 'e', role: 'evaluator', regionScope: null };
    await expect(qualityFacts({ ...ctx, actor: evaluator })).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const [{ id }] = await t.store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '新北' ORDER BY id LIMIT 1`);
    const officer: Actor = { name: 'xinbei', role: 'district', regionScope: [id] };
    // These imports were made by the system, which belongs to no district.
    expect((await qualityUnresolved({ ...ctx, actor: officer })).items).toEqual([]);
  });

  describe('API', () => {
    const get = (url: string) => t.app.inject({ method: 'GET', url });
    it('GET /api/quality and its parts answer as the services do', async () => {
      const s = await get('/api/quality');
      expect(s.statusCode).toBe(200);
      expect(Object.keys(s.json())).toEqual(['facts', 'totals', 'unresolved', 'duplicates']);
      for (const part of ['facts', 'totals', 'unresolved', 'duplicates']) {
        const r = await get(`/api/quality/${part}`);
        expect(r.statusCode, part).toBe(200);
        expect(Array.isArray(r.json().items), part).toBe(true);
      }
      const c = await get('/api/quality/unresolved?kind=country');
      expect(c.json().items.every((i: { kind: string }) => i.kind === 'country')).toBe(true);
    });
    it('refuses bad parameters (400) and requests without a session (401)', async () => {
      const bad = await get('/api/quality/unresolved?kind=galaxy');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
      expect((await get('/api/quality/duplicates?budget=0')).statusCode).toBe(400);
      expect((await t.anon({ method: 'GET', url: '/api/quality' })).statusCode).toBe(401);
    });
  });
});

describe('innolink quality (CLI)', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  beforeAll(async () => {
    store = await freshStore('postgres');
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    await loadDemo(store.db, ctx.config);
  }, 120_000);
  afterAll(async () => store?.close());

  const cli = (...args: string[]) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    new Promise<{ code: number; stdout: string; json: () => any }>((resolve) => {
      execFile(process.execPath, ['bin/innolink.mjs', 'quality', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' }, timeout: 60_000 }, (err, stdout) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, json: () => JSON.parse(stdout) });
      });
    });

  it('prints the summary and each part as the services answer, and exits 2 on bad usage', async () => {
    const s = await cli('--json');
    expect(s.code).toBe(0);
    expect(s.json()).toEqual(await qualitySummary(ctx));
    const f = await cli('facts', '--json');
    expect(f.json()).toEqual(await qualityFacts(ctx));
    const u = await cli('unresolved', '--kind', 'region', '--json');
    expect(u.json()).toEqual(await qualityUnresolved(ctx, { kind: 'region' }));
    expect((await cli('unresolved', '--kind', 'galaxy', '--json')).code).toBe(2);
  }, 120_000);
});
