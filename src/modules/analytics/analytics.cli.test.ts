/**
 * `innolink query tiers | concentration | trends | network | strategy`: the JSON contracts and
 * exit codes (0 ok, 1 refused, 2 bad usage). The CLI opens its own store, so it runs against a
 * server database loaded with the seed tables.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/demo.ts';
import { testConfig } from '../../../test/app.ts';
import { seedRows } from '../../../test/seed.ts';
import { freshStore, type TestStore } from '../../../test/stores.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DISTRICT_FILE = 'changzhou_district_funding_2011_2014.csv';

describe('innolink query analyses (CLI)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore('postgres');
    await loadDemo(store.db, testConfig());
  });
  afterAll(async () => store?.close());

  const cli = (...args: string[]) =>
    // json(): the parsed contract under test, read freely by the assertions.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    new Promise<{ code: number; stdout: string; stderr: string; json: () => any }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/innolink.mjs', 'query', ...args],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' }, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
          resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
        },
      );
    });

  const districts = () =>
    seedRows(DISTRICT_FILE)
      .filter((r) => r['辖区'] !== '合计')
      .map((r) => ({ region: r['辖区'], amount: Number(r['合计']) }))
      .sort((a, b) => b.amount - a.amount);

  it('tiers --json prints exactly {"tiers": [{tier, min, max, members: [{region, amount}]}]}', async () => {
    const r = await cli('tiers', '--by', 'region', '--measure', 'amount', '--thresholds', '2000,1000', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const d = districts();
    expect(r.json()).toEqual({
      tiers: [
        { tier: 1, min: 2000, max: null, members: d.filter((x) => x.amount >= 2000) },
        { tier: 2, min: 1000, max: 2000, members: d.filter((x) => x.amount >= 1000 && x.amount < 2000) },
        { tier: 3, min: null, max: 1000, members: d.filter((x) => x.amount < 1000) },
      ],
    });
  });

  it('tiers --districts-only, --quantiles and the readable table', async () => {
    const only = (await cli('tiers', '--by', 'region', '--thresholds', '2000,1000', '--districts-only', '--json')).json();
    const third = only.tiers[2].members.map((m: { region: string }) => m.region);
    expect(third).not.toContain('市直属');
    expect(third).not.toContain('科教城');
    const q = await cli('tiers', '--by', 'region', '--quantiles', '3', '--json');
    expect(q.json().tiers.map((t: { members: unknown[] }) => t.members.length)).toEqual([3, 3, 3]);
    const text = await cli('tiers', '--by', 'region', '--thresholds', '2000,1000');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('一级方阵 / Tier 1');
    expect(text.stdout).toContain(districts()[0].region);
  });

  it('concentration --json', async () => {
    const r = await cli('concentration', '--by', 'region', '--top', '3', '--from', '2011', '--to', '2014', '--where', 'region=常州', '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    const d = districts();
    const total = d.reduce((s, x) => s + x.amount, 0);
    expect(out).toMatchObject({ n: d.length, top: 3 });
    expect(out.topShare).toBeCloseTo((d[0].amount + d[1].amount + d[2].amount) / total, 6);
    expect(typeof out.hhi).toBe('number');
    expect(typeof out.gini).toBe('number');
    expect(out.members).toHaveLength(d.length);
  });

  it('trends --json', async () => {
    const r = await cli('trends', '--by', 'region', '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    const total = seedRows(DISTRICT_FILE).find((x) => x['辖区'] === '合计')!;
    expect(out.overall.values).toEqual(out.years.map((y: number) => Number(total[String(y)])));
    expect(out.units.length).toBe(districts().length);
  });

  it('network --json prints nodes with centrality and the edge count', async () => {
    const r = await cli('network', '--level', 'country', '--weight', 'projects', '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(Object.keys(out).slice(0, 2)).toEqual(['nodes', 'edges']);
    for (const n of out.nodes) expect(Object.keys(n).sort()).toEqual(['betweenness', 'degree', 'eigenvector', 'id', 'label', 'weighted_degree']);
    expect(out.edges).toBe(out.nodes.length - 1);
    expect(out.links).toBeUndefined();
  });

  it('network --links adds the links after the contract fields; concentration --measure participations', async () => {
    const r = await cli('network', '--level', 'country', '--links', '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(Object.keys(out).slice(0, 2)).toEqual(['nodes', 'edges']);
    expect(out.links).toHaveLength(out.edges);
    expect(out.links_limited_to).toBeNull();
    const limited = (await cli('network', '--level', 'country', '--links', '--link-nodes', '2', '--json')).json();
    expect(limited.links_limited_to).toBe(2);
    expect(limited.links).toHaveLength(1);
    const text = await cli('network', '--level', 'country', '--links');
    expect(text.stdout).toContain('连线 Links');
    expect((await cli('network', '--level', 'country', '--links', '--link-nodes', 'x', '--json')).code).toBe(2);

    const rows = seedRows('changzhou_key_country_projects.csv');
    const c = await cli('concentration', '--by', 'country', '--measure', 'participations', '--top', '3', '--json');
    expect(c.code).toBe(0);
    expect(c.json()).toMatchObject({ measure: 'participations', total: rows.length, topShare: 1 });
    expect((await cli('concentration', '--by', 'country', '--measure', 'partners', '--json')).code).toBe(2);
    expect((await cli('tiers', '--by', 'country', '--measure', 'participations', '--thresholds', '1', '--json')).code).toBe(2);
  });

  it('strategy --json, with a rules file', async () => {
    const r = await cli('strategy', '--group', 'BRI', '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.unresolved.map((u: { name: string }) => u.name)).toEqual(['西奈半岛']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-strategy-'));
    const file = path.join(dir, 'rules.json');
    fs.writeFileSync(file, JSON.stringify({ rules: [{ direction: 'both', reason_zh: '并行', reason_en: 'both' }] }));
    const custom = (await cli('strategy', '--group', 'BRI', '--rules', file, '--json')).json();
    expect(custom.directions.both).toBe(custom.countries.length - 1);
    fs.writeFileSync(file, JSON.stringify({ rules: [{ direction: 'up' }] }));
    const bad = await cli('strategy', '--rules', file, '--json');
    expect(bad.code).toBe(2);
    expect(bad.json().error.details.length).toBeGreaterThan(0);
  });

  it('exits 2 on bad usage and 1 on a refusal', async () => {
    for (const args of [
      ['tiers', '--by', 'region', '--json'],
      ['tiers', '--by', 'region', '--thresholds', 'x', '--json'],
      ['tiers', '--by', 'region,year', '--thresholds', '1', '--json'],
      ['tiers', '--by', 'country', '--thresholds', '1', '--districts-only', '--json'],
      ['concentration', '--by', 'region', '--top', '0', '--json'],
      ['trends', '--by', 'region', '--from', '20', '--json'],
      ['network', '--level', 'planet', '--json'],
      ['network', '--level', 'country', '--where', 'source=x', '--json'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.json().error.code).toBe('BAD_USAGE');
    }
    const refused = await cli('concentration', '--by', 'region', '--where', 'region=火星', '--json');
    expect(refused.code).toBe(1);
    expect(refused.json().error).toMatchObject({ code: 'REGION_UNKNOWN', message: expect.stringContaining('火星'), message_en: expect.stringContaining('火星') });
  });
});
