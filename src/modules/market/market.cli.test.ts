import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type TestStore } from '../../../test/stores.ts';
import { EN_DESCRIPTIONS } from './engine/fixtures.ts';
import { marketWorld, seedProjects, type MarketWorld } from './market.fixture.ts';
import { createProfile, reviewProfile, submitProfile } from './market.service.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/innolink.mjs');

// The CLI opens its own store, so it runs against a server database, and its index is built
// from what the services stored here. Each spawn costs seconds: four cover the contract,
// a stored demand, a refusal (exit 1) and bad usage (exit 2).
describe('innolink match (CLI)', () => {
  let store: TestStore;
  let w: MarketWorld;
  const offers: number[] = [];
  let demand: number;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'match', ...args], {
      env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    store = await freshStore('postgres');
    w = await marketWorld(store.db);
    for (const d of EN_DESCRIPTIONS.slice(14, 22)) {
      const p = await createProfile(w.ops, { kind: 'offer', title_en: d, country_iso3: 'GBR', cooperation: ['licence'] });
      await submitProfile(w.ops, p.id);
      offers.push((await reviewProfile(w.ops, p.id, { decision: 'approve' })).id);
    }
    const d = await createProfile(w.as('orgA'), { kind: 'demand', title_zh: seedProjects()[16].title, field: 'biomedicine', cooperation: ['joint_rd'] });
    demand = d.id;
  });
  afterAll(async () => store?.close());

  it('match --text … --kind offers --top N --json prints exactly {"results": [{kind, id, title, score, reasons}]}', () => {
    const r = cli('--text', '难溶性药物超临界流体结晶', '--kind', 'offers', '--top', '3', '--lang', 'en', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['results']);
    expect(out.results).toHaveLength(3);
    for (const x of out.results) {
      expect(Object.keys(x)).toEqual(['kind', 'id', 'title', 'score', 'reasons']);
      expect(x).toMatchObject({ kind: 'offer', id: expect.any(String), title: expect.any(String), score: expect.any(Number) });
      expect(x.reasons.length).toBeGreaterThan(0);
      for (const reason of x.reasons) expect(reason).toMatchObject({ type: expect.any(String), detail_zh: expect.any(String), detail_en: expect.any(String) });
    }
    // Offers 14–21 hold EN_DESCRIPTIONS[17], the poorly-soluble-drug crystallisation project.
    expect(out.results[0]).toMatchObject({ id: String(offers[3]), title: EN_DESCRIPTIONS[17] });
    expect(out.results.map((x: { score: number }) => x.score)).toEqual([...out.results.map((x: { score: number }) => x.score)].sort((a, b) => b - a));
  });

  it('match --demand ID --json ranks offers, partners and talents for a stored (draft) demand', () => {
    const r = cli('--demand', String(demand), '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const kinds = out.results.map((x: { kind: string }) => x.kind);
    expect(kinds).toContain('offer');
    expect(kinds).toContain('partner');
    expect(kinds.every((k: string) => ['offer', 'partner', 'talent'].includes(k))).toBe(true);
    const partner = out.results.find((x: { kind: string; id: string }) => x.kind === 'partner' && x.id === String(w.orgs.fraunhofer));
    expect(partner.reasons.map((x: { type: string }) => x.type)).toEqual(expect.arrayContaining(['term', 'country', 'history', 'record']));
  });

  it('an unknown demand exits 1 with one coded JSON error', () => {
    const r = cli('--demand', '987654', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'MARKET_PROFILE_NOT_FOUND', message: expect.stringContaining('987654'), message_en: expect.any(String) });
  });

  it('bad usage exits 2: an unknown --kind', () => {
    const r = cli('--text', 'laser', '--kind', 'galaxies', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('BAD_USAGE');
  });
});

describe('innolink import FILE --as demands --dry-run --json (CLI)', () => {
  let store: TestStore;
  let dir: string;
  beforeAll(async () => {
    store = await freshStore('postgres');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-market-import-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await store?.close();
  });

  it('reports the rows the import would write, as the foundation importer does, and writes nothing', async () => {
    const until = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    const rows = seedProjects().slice(16, 21).map((p) => [p.title, p.industry, '联合研发', p.country, until].join(','));
    const file = path.join(dir, '技术需求.csv');
    fs.writeFileSync(file, `需求名称,技术领域,合作方式,国别,有效期至\n${rows.join('\n')}\n`);
    const r = spawnSync(process.execPath, [BIN, 'import', file, '--as', 'demands', '--dry-run', '--json'], {
      env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, kind: 'demands', dry_run: true, rows: { read: rows.length, imported: rows.length, rejected: 0 }, issues: [] });
    const [n] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM market_profiles');
    expect(Number(n.n)).toBe(0);
  });
});
