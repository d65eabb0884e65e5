/**
 * POST /api/indicators/datasets/from-facts on both stores: the demo's stated figures
 * (regional_indicator_facts.csv, imported through the ordinary importer) become a data set of the
 * regional innovation-internationalisation index — values as the CSV states them, the latest year,
 * units limited to a region, explicit matches — which then runs; and the refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { systemActor } from '../../actor.ts';
import { sessionCookie } from '../auth/auth.testing.ts';
import { runImport } from '../imports/imports.service.ts';
import { BUILTIN_DIR } from './indicators.demo.ts';
import { factKey } from './indicators.facts.ts';

const FACTS_CSV = path.resolve(import.meta.dirname, '../../../demo/seed-tables/regional_indicator_facts.csv');

/** The CSV's figures as [subject, indicator, year, value] (no quoted commas in this file). */
const CSV = fs
  .readFileSync(FACTS_CSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map(([s, i, y, v]) => ({ subject: s, indicator: i, year: Number(y), value: Number(v) }));

/** The latest figure the CSV states for a subject and an indicator name (compared as the service does). */
function stated(subject: string, name: string): number | null {
  const rows = CSV.filter((r) => r.subject === subject && factKey(r.indicator) === factKey(name)).sort((a, b) => b.year - a.year);
  return rows[0]?.value ?? null;
}

describe.each(STORES)('data sets from stated figures on %s', (kind) => {
  let t: TestApp;
  const cookie: Record<string, string> = {};
  let nodes: { code: string; name: string; type: string }[] = [];
  const post = (role: string, payload: object) => t.app.inject({ method: 'POST', url: '/api/indicators/datasets/from-facts', payload, headers: { cookie: cookie[role] } });

  beforeAll(async () => {
    t = await testApp(kind);
    for (const role of ['evaluator', 'bureau'] as const) {
      cookie[role] = (await sessionCookie(t.store.db, { role, username: `evfacts-${role}`, ...(role === 'bureau' ? { region: '常州' } : {}) })).cookie;
    }
    const imp = await runImport({ db: t.store.db, config: testConfig(), actor: systemActor('test') }, { fileName: 'regional_indicator_facts.csv', path: FACTS_CSV }, { kind: 'facts', region: '江苏' });
    expect(imp.ok).toBe(true);
    const yaml = fs.readFileSync(path.join(BUILTIN_DIR, 'regional-internationalisation.yaml'));
    const boundary = '----innolinkfacts';
    const f = await t.app.inject({
      method: 'POST',
      url: '/api/indicators/frameworks/import?key=regional-internationalisation',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: cookie.evaluator },
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="regional-internationalisation.yaml"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        yaml,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(f.statusCode, f.body).toBe(201);
    nodes = f.json().nodes;
  }, 120_000);
  afterAll(async () => t?.close());

  it('builds unit × indicator values as the figures state them, for the default regional framework', async () => {
    const res = await post('evaluator', {});
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.from_facts.framework).toBe('regional-internationalisation');
    // Every subject with a figure whose name is an indicator's name, and only those.
    const indicators = nodes.filter((n) => n.type === 'indicator');
    const subjects = [...new Set(CSV.map((r) => r.subject))].filter((s) => indicators.some((n) => stated(s, n.name) !== null));
    expect([...d.from_facts.units].sort()).toEqual([...subjects].sort());
    expect(subjects).toEqual(expect.arrayContaining(['江苏', '北京', '广东', '中国']));
    let cells = 0;
    for (const s of subjects) {
      const row = d.rows.find((r: { code: string }) => r.code === s);
      for (const n of indicators) {
        const v = stated(s, n.name);
        if (v !== null) cells++;
        expect(row.values[n.code] ?? null, `${s} ${n.code}`).toBe(v);
      }
    }
    expect(d.from_facts.cells).toBe(cells);
    // PCT filings: China's latest stated figure is 2019 (58 990); Jiangsu's 2020 (9 606).
    expect(d.rows.find((r: { code: string }) => r.code === '中国').values.FLOW_PCT).toBe(58990);
    expect(d.rows.find((r: { code: string }) => r.code === '江苏').values.FLOW_PCT).toBe(9606);
    expect(d.from_facts.unmatched).toContain('FLOW_PERMITS');
    expect(d.from_facts.sources.find((s: { unit: string; indicator: string }) => s.unit === '北京' && s.indicator === 'RULE_PCT_AGENCIES')).toMatchObject({ value: 734, year: 2020 });
  });

  it('limits units to a region and takes explicit matches; the data set runs', async () => {
    const res = await post('evaluator', { region: '江苏', name: '江苏统计数据', match: { ORG_OVERSEAS: '海外协同创新中心', ORG_BRI_PROJ: ['“一带一路”重大创新合作项目'] } });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.name).toBe('江苏统计数据');
    expect(d.from_facts.units.sort()).toEqual(['南京', '江苏'].sort());
    expect(d.rows.find((r: { code: string }) => r.code === '南京').values.ORG_OVERSEAS).toBe(stated('南京', '海外协同创新中心'));
    expect(d.rows.find((r: { code: string }) => r.code === '江苏').values.ORG_BRI_PROJ).toBe(stated('江苏', '“一带一路”重大创新合作项目'));
    expect(d.from_facts.matched.ORG_OVERSEAS).toEqual({ facts: ['海外协同创新中心'], units: 1 });

    const all = (await post('evaluator', { subjects: ['江苏', '北京', '广东'], name: '三省市' })).json();
    const run = await t.app.inject({ method: 'POST', url: '/api/indicators/runs', headers: { cookie: cookie.evaluator }, payload: { framework_id: all.framework_id, dataset_id: all.id, impute: 'mean' } });
    // Only the PCT agencies are stated for all three: the engine refuses the empty and constant columns …
    expect([run.statusCode, run.json().error.code]).toEqual([422, 'INDICATOR_ALL_MISSING']);
    // … and with zero_variance: 'drop' ranks the three on that one indicator, as the figures order them.
    const dropped = await t.app.inject({ method: 'POST', url: '/api/indicators/runs', headers: { cookie: cookie.evaluator }, payload: { framework_id: all.framework_id, dataset_id: all.id, impute: 'mean', zero_variance: 'drop' } });
    expect(dropped.statusCode, dropped.body).toBe(201);
    const units = dropped.json().units as { unit: string; score: number | null; rank: number | null }[];
    const byAgencies = ['江苏', '北京', '广东'].sort((a, b) => stated(b, '具有国际PCT专利代理资格的机构')! - stated(a, '具有国际PCT专利代理资格的机构')!);
    expect(units.filter((u) => u.rank !== null).sort((a, b) => a.rank! - b.rank!).map((u) => u.unit)).toEqual(byAgencies);
  });

  it('refuses unknown indicators, unknown regions, no match, and readers who may not create', async () => {
    const unknown = await post('evaluator', { match: { NOPE: 'x' } });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'INDICATOR_UNKNOWN']);
    const region = await post('evaluator', { region: '火星' });
    expect([region.statusCode, region.json().error.code]).toEqual([404, 'REGION_NOT_FOUND']);
    const none = await post('evaluator', { subjects: ['常州'] });
    expect([none.statusCode, none.json().error.code]).toEqual([422, 'FACTS_NO_MATCH']);
    const bad = await post('evaluator', { year: 'latest' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const reader = await post('bureau', {});
    expect([reader.statusCode, reader.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });
});
