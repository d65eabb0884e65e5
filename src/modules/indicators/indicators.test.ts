/**
 * Indicator persistence on both stores: the built-in frameworks and their demo runs (the COINr
 * ASEM build and the GII 2022 grouping of seed paper 003, checked against published figures),
 * data sets that hash as their files, versions, reproduction of stored runs, "why this score"
 * sums, and refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testConfig } from '../../../test/app.ts';
import { freshStore, STORES, type TestStore } from '../../../test/stores.ts';
import { resolveCountries } from '../countries/countries.resolve.ts';
import { ASEM_DIR, readCsv } from './engine/asem.fixture.ts';
import { runEval } from './eval.service.ts';
import { BUILTINS, COINR_ASEM_OPTIONS, loadBuiltinIndicators } from './indicators.demo.ts';
import {
  addFrameworkVersion,
  createDataset,
  createFramework,
  createRun,
  deleteDataset,
  deleteFramework,
  explainRun,
  getDataset,
  getFramework,
  getRun,
  importFramework,
  listFrameworkSummaries,
  listRunSummaries,
  reproduceRun,
  runUncertainty,
} from './indicators.service.ts';

const SHARED = path.resolve(ASEM_DIR, '../..');
const codeOf = (e: unknown) => (e as { code?: string }).code;
async function refusal(p: Promise<unknown>): Promise<{ code: string; status: number; details: Record<string, unknown>[] }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; status: number; details: Record<string, unknown>[] };
  }
  throw new Error('expected a refusal');
}

/** WIPO's published GII 2022 scores (decimal comma, `;`) from the shared panel. */
function publishedGii2022(): Map<string, number> {
  const lines = fs.readFileSync(path.join(SHARED, 'gii/gii_panel_2011_2022.csv'), 'utf8').replace(/^\ufeff/, '').split(/\r?\n/);
  const out = new Map<string, number>();
  for (const l of lines.slice(1)) {
    const c = l.split(';');
    if (c[1] === '2022' && c[10]) out.set(c[0].replace(/\*$/, ''), Number(c[10].replace(',', '.')));
  }
  return out;
}

describe.each(STORES)('indicator frameworks, data sets and runs on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    await loadBuiltinIndicators(store.db, ctx.config);
  });
  afterAll(async () => store?.close());

  describe('built-in frameworks', () => {
    it('loads the five templates with their trees, and only once', async () => {
      const list = await listFrameworkSummaries(ctx);
      expect(list.map((f) => f.key)).toEqual(BUILTINS.map((b) => b.key));
      expect(list.every((f) => f.builtin && f.latest_version === 1)).toBe(true);
      // Indicator counts come from the files: COINr's 49, GII's 7 pillars, 16/15/17 in the templates.
      expect(Object.fromEntries(list.map((f) => [f.key, f.indicators]))).toEqual({
        'coinr-asem': 49,
        'gii-partner-innovation': 7,
        'project-performance': 16,
        'platform-performance': 15,
        'regional-internationalisation': 17,
      });
      const regional = await getFramework(ctx, 'regional-internationalisation');
      expect(regional.tree.children.map((d) => d.name)).toEqual(['创新资源流动国际化', '创新活动组织国际化', '创新制度规则国际化', '创新战略目标国际化']);
      const perf = await getFramework(ctx, 'project-performance');
      expect(perf.tree.children.map((d) => [d.code, d.weight])).toEqual([['OUT', 0.35], ['INF', 0.25], ['TAL', 0.25], ['EFF', 0.15]]);
      expect(await loadBuiltinIndicators(store.db, ctx.config)).toEqual({ frameworks: 0, datasets: 0, runs: 0 });
    });

    it('stores the COINr ASEM build as a run that matches COINr’s published index and ranks', async () => {
      const [run] = (await listRunSummaries(ctx, { framework: 'coinr-asem' })).filter((r) => r.replications === null);
      const r = await getRun(ctx, run.id);
      expect(r.units.slice(0, 3).map((u) => [u.unit, Math.round(u.score! * 100) / 100])).toEqual([
        ['CHE', 68.38],
        ['NLD', 64.82],
        ['DNK', 64.8],
      ]);
      for (const row of readCsv('ASEM_results_full.csv')) {
        const u = r.units.find((x) => x.unit === row.uCode)!;
        expect(u.rank, row.uCode).toBe(Number(row.Rank));
        expect(Math.abs(u.score! - Number(row.Index)), row.uCode).toBeLessThan(1e-8);
      }
      const w = Object.values(r.weights);
      expect(w).toHaveLength(49);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });

    it('recomputes the GII 2022 from its pillars within WIPO’s rounding, and puts every Belt-and-Road country of paper 003 表1 in its band', async () => {
      const [run] = await listRunSummaries(ctx, { framework: 'gii-partner-innovation' });
      const r = await getRun(ctx, run.id);
      expect(r.units).toHaveLength(132);
      const published = publishedGii2022();
      const ds = await getDataset(ctx, run.dataset.id);
      const english = new Map(ds.rows.map((x) => [x.code, x.name!.split(' / ').pop()!]));
      let maxDiff = 0;
      for (const u of r.units) {
        const p = published.get(english.get(u.unit)!);
        expect(p, u.unit).toBeDefined();
        maxDiff = Math.max(maxDiff, Math.abs(u.score! - p!));
      }
      // SOURCES.md: |GII − (mean(pillars 1–5) + mean(pillars 6–7))/2| ≤ 0.08 (rounding of the pillars).
      expect(maxDiff).toBeLessThanOrEqual(0.08 + 1e-9);
      const bands = fs.readFileSync(path.join(ctx.config.seedDir, 'belt_and_road_gii2022_rank_bands.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
      const iso = await resolveCountries(store.db, bands.map((b) => b[0]));
      const counts: Record<string, number> = {};
      bands.forEach(([name, band], i) => {
        const u = r.units.find((x) => x.unit === iso[i].iso3);
        const m = /^(\d+)-(\d+)$/.exec(band);
        if (!m) expect(u, `${name} is unranked in 2022`).toBeUndefined();
        else {
          expect(u, name).toBeDefined();
          expect(u!.rank! >= Number(m[1]) && u!.rank! <= Number(m[2]), `${name}: rank ${u!.rank} in ${band}`).toBe(true);
        }
        counts[band] = (counts[band] ?? 0) + 1;
      });
      // The seed README's counts: 4 / 19 / 28 / 7 ranked, 8 unranked.
      expect(counts).toEqual({ '1-20': 4, '21-50': 19, '51-100': 28, '101-132': 7, 不在排名榜内: 8 });
    });
  });

  describe('reproducibility', () => {
    it('a stored data set hashes exactly as the file `innolink eval run` reads', async () => {
      const [run] = await listRunSummaries(ctx, { framework: 'coinr-asem' });
      const out = await runEval({ framework: path.join(ASEM_DIR, 'ASEM_iMeta.csv'), data: path.join(ASEM_DIR, 'ASEM_iData.csv'), methods: {}, options: {} });
      expect(run.data_hash).toBe(out.diagnostics.provenance.data_hash);
    });

    it('re-running every stored run from what is stored gives the same figures (Monte-Carlo intervals included)', async () => {
      const runs = await listRunSummaries(ctx);
      expect(runs.some((r) => r.replications === 1000)).toBe(true);
      for (const r of runs) {
        const rep = await reproduceRun(ctx, r.id);
        expect(rep, `run ${r.id}`).toMatchObject({ reproduced: true, data_hash_matches: true, max_score_diff: 0, rank_differences: 0, interval_differences: 0 });
      }
      const mc = runs.find((r) => r.replications === 1000)!;
      const u = await runUncertainty(ctx, mc.id);
      const stored = await getRun(ctx, mc.id);
      expect(u.replications).toBe(1000);
      for (const x of u.units) {
        const s = stored.units.find((y) => y.unit === x.unit)!;
        expect(s.rank_interval).toEqual(x.rank_interval);
        expect(x.rank_interval[0]).toBeLessThanOrEqual(x.median_rank);
        expect(x.median_rank).toBeLessThanOrEqual(x.rank_interval[1]);
      }
    });
  });

  describe('versions', () => {
    it('an edited tree is a new version; runs on the old version still reproduce, new runs use the new weights', async () => {
      const f = await createFramework(ctx, {
        key: 'tiny',
        name: '小例子',
        nodes: [
          { code: 'I', type: 'aggregate' },
          { code: 'D1', parent: 'I', type: 'aggregate', weight: 1 },
          { code: 'D2', parent: 'I', type: 'aggregate', weight: 1 },
          { code: 'a', parent: 'D1', type: 'indicator' },
          { code: 'b', parent: 'D1', type: 'indicator', direction: -1 },
          { code: 'c', parent: 'D2', type: 'indicator' },
        ],
      });
      expect(f.version.version).toBe(1);
      const ds = await createDataset(ctx, {
        framework_id: f.id,
        name: 'hand',
        rows: [
          { uCode: 'U1', a: 0, b: 10, c: 4 },
          { uCode: 'U2', a: 10, b: 0, c: 0 },
          { uCode: 'U3', a: 5, b: null, c: 2 },
        ],
      });
      const r1 = await createRun(ctx, { framework_id: f.id, dataset_id: ds.id });
      // min–max [0, 1], b reversed: U1 a 0 b 0 c 1; U2 a 1 b 1 c 0; U3 a .5 (b missing) c .5.
      // D1 = mean of present; I = (D1 + D2)/2 → U1 0.5, U2 0.5, U3 0.5.
      expect(r1.units.map((u) => [u.unit, u.score])).toEqual([
        ['U1', 0.5],
        ['U2', 0.5],
        ['U3', 0.5],
      ]);
      const v2 = await addFrameworkVersion(ctx, f.id, { label: 'D2 ×3', nodes: f.nodes.map((n) => (n.code === 'D2' ? { ...n, weight: 3 } : n)) });
      expect(v2.version.version).toBe(2);
      const r2 = await createRun(ctx, { framework_id: f.id, dataset_id: ds.id });
      // I = 0.25·D1 + 0.75·D2 → U1 0.75, U2 0.25, U3 0.5.
      expect(r2.version).toBe(2);
      expect(Object.fromEntries(r2.units.map((u) => [u.unit, u.score]))).toEqual({ U1: 0.75, U3: 0.5, U2: 0.25 });
      expect((await reproduceRun(ctx, r1.id)).reproduced).toBe(true);
      expect((await getFramework(ctx, f.id, 1)).nodes.find((n) => n.code === 'D2')!.weight).toBe(1);

      // "Why this score" with a missing value: b's share goes to a, contributions add up to the score.
      const e = await explainRun(ctx, r2.id, 'U3');
      expect(e.additive).toBe(true);
      expect(e.reproduced).toBe(true);
      expect(Object.fromEntries(e.indicators.map((i) => [i.code, [i.normalised, i.effective_weight, i.contribution]]))).toEqual({
        a: [0.5, 0.25, 0.125],
        b: [null, null, null],
        c: [0.5, 0.75, 0.375],
      });
      expect(e.contributions_sum).toBeCloseTo(e.score!, 15);

      const del = await refusal(deleteDataset(ctx, ds.id));
      expect([del.status, del.code]).toEqual([409, 'DATASET_IN_USE']);
      const delF = await refusal(deleteFramework(ctx, f.id));
      expect([delF.status, delF.code]).toEqual([409, 'FRAMEWORK_HAS_RUNS']);
    });
  });

  describe('why this score', () => {
    it('contributions add up to every ASEM unit’s index and to each dimension score', async () => {
      const [run] = (await listRunSummaries(ctx, { framework: 'coinr-asem' })).filter((r) => r.replications === null);
      const stored = await getRun(ctx, run.id);
      for (const u of stored.units.filter((_, i) => i % 5 === 0)) {
        const e = await explainRun(ctx, run.id, u.unit);
        expect(e.score).toBe(u.score);
        expect(e.reproduced).toBe(true);
        expect(Math.abs(e.contributions_sum! - u.score!)).toBeLessThan(1e-9);
        for (const d of e.nodes.filter((n) => n.level === 2)) {
          const sum = e.indicators.filter((i) => i.parent === d.code).reduce((s, i) => s + i.contribution!, 0);
          expect(Math.abs(sum - d.contribution!), d.code).toBeLessThan(1e-9);
          expect(d.score).toBe(u.dimensions[d.code].score);
        }
        // Effective weights of a unit without missing data are the run's weights.
        for (const i of e.indicators) expect(i.effective_weight).toBeCloseTo(stored.weights[i.code], 14);
      }
    });

    it('a geometric run is explained per level but not split into contributions', async () => {
      const asem = (await listFrameworkSummaries(ctx)).find((f) => f.key === 'coinr-asem')!;
      const [ds] = (await listRunSummaries(ctx, { framework: 'coinr-asem' })).map((r) => r.dataset);
      const r = await createRun(ctx, { framework_id: asem.id, dataset_id: ds.id, ...COINR_ASEM_OPTIONS, range: [1, 100], aggregate: 'geometric' });
      const e = await explainRun(ctx, r.id, 'CHE');
      expect(e.additive).toBe(false);
      expect(e.contributions_sum).toBeNull();
      expect(e.indicators.every((i) => i.contribution === null)).toBe(true);
      expect(e.notes.map((n) => n.code)).toContain('EXPLAIN_NOT_ADDITIVE');
      expect(e.score).toBe(r.units.find((u) => u.unit === 'CHE')!.score);
    });
  });

  describe('refusals', () => {
    it('refuses a cycle, an existing key, unknown data columns and a data set of another framework', async () => {
      const cycle = await refusal(
        createFramework(ctx, {
          key: 'cyclic',
          name: '循环',
          nodes: [
            { code: 'I', type: 'aggregate' },
            { code: 'A', parent: 'B', type: 'aggregate' },
            { code: 'B', parent: 'A', type: 'aggregate' },
            { code: 'x', parent: 'A', type: 'indicator' },
          ],
        }),
      );
      expect(cycle.status).toBe(422);
      expect(cycle.code).toMatch(/CYCLE|ROOT|PARENT/);
      const dup = await refusal(createFramework(ctx, { key: 'coinr-asem', name: 'again', nodes: [{ code: 'I', type: 'aggregate' }, { code: 'x', parent: 'I', type: 'indicator' }] }));
      expect([dup.status, dup.code]).toEqual([409, 'FRAMEWORK_EXISTS']);
      const gii = (await listFrameworkSummaries(ctx)).find((f) => f.key === 'gii-partner-innovation')!;
      const unknown = await refusal(createDataset(ctx, { framework_id: gii.id, name: 'bad', rows: [{ uCode: 'X', INST: 1, HCR: 1, INFRA: 1, MKT: 1, BUS: 1, KTO: 1, CRE: 1, Bogus: 3 }] }));
      expect([unknown.status, unknown.code]).toEqual([422, 'UNKNOWN_INDICATOR']);
      expect(unknown.details).toEqual([{ column: 'Bogus', code: 'UNKNOWN_INDICATOR' }]);
      const text = await refusal(createDataset(ctx, { framework_id: gii.id, name: 'bad2', rows: [{ uCode: 'X', INST: 'viel', HCR: 1, INFRA: 1, MKT: 1, BUS: 1, KTO: 1, CRE: 1 }] }));
      expect([text.status, text.code]).toEqual([422, 'DATA_NOT_NUMERIC']);
      const asemRun = (await listRunSummaries(ctx, { framework: 'coinr-asem' }))[0];
      const mismatch = await refusal(createRun(ctx, { framework_id: gii.id, dataset_id: asemRun.dataset.id }));
      expect([mismatch.status, mismatch.code]).toEqual([400, 'DATASET_FRAMEWORK_MISMATCH']);
      const missingKey = await refusal(importFramework(ctx, { buffer: Buffer.from('nodes: [ {code: I, type: aggregate}, {code: x, parent: I, type: indicator, colour: red} ]'), fileName: 'bad.yaml' }));
      expect([missingKey.status, missingKey.code]).toEqual([422, 'FRAMEWORK_FILE_INVALID']);
      expect(codeOf(await refusal(getRun(ctx, 999999)))).toBe('RUN_NOT_FOUND');
    });
  });
});
