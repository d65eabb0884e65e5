import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { freshStore, STORES, type TestStore } from '../../../test/stores.ts';
import { testConfig } from '../../../test/app.ts';
import { DEMO_OFFERS_MADE, demoOffersPath, expirationDate, loadDemoMarket, NASA_CENTRES, nasaOffersTable } from './market.demo.ts';
import { matchMarket } from './market.match.ts';
import { listProfiles } from './market.service.ts';

const SOURCE = path.resolve(import.meta.dirname, '../../../../shared/data/tech_transfer/NASA_Patents.csv');
const config = testConfig();
const table = parse(fs.readFileSync(demoOffersPath(config)), { columns: true, bom: true }) as Record<string, string>[];

describe('the demo offers table (demo/market/nasa_patent_offers.csv)', () => {
  it('is what nasaOffersTable makes from the NASA portfolio as of DEMO_OFFERS_MADE (no hand edits)', () => {
    expect(fs.readFileSync(demoOffersPath(config), 'utf8')).toBe(nasaOffersTable(fs.readFileSync(SOURCE, 'utf8'), DEMO_OFFERS_MADE));
  });

  it('holds the applications and the issued patents not yet expired, nothing else', () => {
    const source = parse(fs.readFileSync(SOURCE), { columns: true, bom: true, delimiter: ';' }) as Record<string, string>[];
    const live = source.filter((r) => r.Status === 'Application' || (r.Status === 'Issued' && (expirationDate(r['Patent Expiration Date']) ?? '') > DEMO_OFFERS_MADE));
    const cases = table.flatMap((r) => r['案号 case number'].split('; '));
    expect([...cases].sort()).toEqual(live.map((r) => r['Case Number'].trim()).sort());
    // A family (one centre, one title) is one offer: no two rows alike, and some rows hold several cases.
    const families = new Set(table.map((r) => `${r['机构']}|${r['成果名称'].toLowerCase()}`));
    expect(families.size).toBe(table.length);
    expect(cases.length).toBeGreaterThan(table.length);
    // Its IPR: the issued patent that expires last, else pending.
    const family = table.find((r) => r['案号 case number'] === 'NPO-47300-1; NPO-47300-2');
    expect(family?.['知识产权']).toBe('专利申请中 patent pending');
    for (const r of table.filter((x) => x['案号 case number'].includes('; '))) {
      const members = live.filter((l) => r['案号 case number'].split('; ').includes(l['Case Number'].trim()));
      const issued = members.map((l) => (l.Status === 'Issued' ? expirationDate(l['Patent Expiration Date']) : null)).filter((d): d is string => d !== null).sort();
      expect(r['知识产权'], r['案号 case number']).toBe(issued.length ? `专利 patent (expires ${issued.at(-1)})` : '专利申请中 patent pending');
    }
    expect(expirationDate('06/16/2024')).toBe('2024-06-16');
    expect(expirationDate('10 March 2015')).toBe('2015-03-10');
    expect(expirationDate('')).toBeNull();
  });
});

describe.each(STORES)('the demo marketplace on %s', (kind) => {
  let store: TestStore;
  let ctx: { db: TestStore['db']; config: typeof config; actor: ReturnType<typeof systemActor> };
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config, actor: systemActor('test') };
  });
  afterAll(() => store.close());

  it('publishes every row as an offer of its NASA centre, and a Chinese need finds offers described only in English', async () => {
    const result = await loadDemoMarket(store.db, config);
    expect(result).toMatchObject({ ok: true, rows: { read: table.length, imported: table.length, rejected: 0 } });
    expect(result!.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const [orgs] = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM organizations WHERE country_iso3 = 'USA' AND name_en LIKE 'NASA %'`);
    expect(orgs.n).toBe(Object.keys(NASA_CENTRES).length);
    const listed = await listProfiles(ctx, { kind: 'offer', status: 'published', pageSize: 1 });
    expect(listed.total).toBe(table.length);

    // 无线传感器 (wireless sensor): the offers whose English titles name both words.
    const expected = table.filter((r) => /wireless/i.test(r['成果名称']) && /sensor/i.test(r['成果名称'])).map((r) => r['成果名称']);
    expect(expected.length).toBeGreaterThan(0);
    const out = await matchMarket(ctx, { text: '无线传感器', kind: ['offers'], top: 10 });
    const titles = out.results.map((r) => r.title);
    expect(titles.some((t) => expected.includes(t)), titles.join(' | ')).toBe(true);
    expect(out.results.every((r) => r.kind === 'offer')).toBe(true);
  });

  it('loads again without adding the centres twice', async () => {
    await loadDemoMarket(store.db, config);
    const [orgs] = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM organizations WHERE country_iso3 = 'USA' AND name_en LIKE 'NASA %'`);
    expect(orgs.n).toBe(Object.keys(NASA_CENTRES).length);
  });
});
