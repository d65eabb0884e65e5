/**
 * Reference test: the JRC COINr ASEM example build (COINr 1.1.14, build_example_coin()), every
 * intermediate data set. Pipeline parameters from ../shared/data/SOURCES.md:
 * Denominate by iMeta Denominator → Impute i_mean_grp by EurAsia_group → Screen dat_thresh 0.9
 * byNA → Treat winmax 5 → Normalise min–max [0, 100] → Aggregate arithmetic mean, iMeta weights.
 *
 * COINr is deterministic here, so tables are compared within 1e-6 absolute (in practice the
 * differences are floating-point rounding, ~1e-13, and the CSVs carry 15 significant digits).
 */
import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.ts';
import { asemData, asemFramework, compareTable, readCsv, referenceTable } from './asem.fixture.ts';
import { denominate } from './denominate.ts';
import { impute } from './impute.ts';
import { normalise } from './normalise.ts';
import { runComposite } from './run.ts';
import { screenUnits } from './screen.ts';
import { treatOutliers } from './treat.ts';
import type { DataTable, Methods } from './types.ts';
import { computeWeights } from './weights.ts';

const fw = asemFramework();
const data = asemData(fw);
const TOL = 1e-6;

function expectMatches(got: DataTable, file: string, columns?: string[]) {
  const c = compareTable(got, referenceTable(file), columns);
  expect(c.units).toEqual({ extra: [], missing: [] });
  expect(c.missingMismatch).toEqual([]);
  expect(c.maxAbs, c.where).toBeLessThanOrEqual(TOL);
  // Relative agreement too, since some indicators are of order 1e-4 after denomination.
  expect(c.maxRel, c.where).toBeLessThan(1e-9);
  return c;
}

export const ASEM_METHODS: Methods = {
  denominate: true,
  impute: { method: 'groupMean', group: 'EurAsia_group' },
  screen: { threshold: 0.9, by: 'NA' },
  treat: { method: 'winsorise', winmax: 5 },
  normalise: { method: 'minmax', range: [0, 100] },
  weights: { method: 'meta' },
  aggregate: { method: 'arithmetic' },
};

describe('COINr ASEM reference build, step by step', () => {
  const raw = { ...data, codes: fw.indicators };
  const den = denominate(raw, fw);
  const imp = impute(den.data, { method: 'groupMean', group: 'EurAsia_group' });
  const scr = screenUnits(imp.data, { threshold: 0.9, by: 'NA' });
  const tr = treatOutliers(scr.data, { method: 'winsorise', winmax: 5 });
  const nor = normalise(tr.data, fw, { method: 'minmax', range: [0, 100] });
  const w = computeWeights(fw, { method: 'meta' }, tr.data);
  const agg = aggregate(fw, nor.data, w.node, { method: 'arithmetic' }, tr.data);

  it('reads the framework: 49 indicators → 8 pillars → 2 sub-indices → Index', () => {
    expect(fw.indicators).toHaveLength(49);
    expect(fw.aggregates.filter((a) => fw.node[a].level === 2)).toHaveLength(8);
    expect(fw.aggregates.filter((a) => fw.node[a].level === 3)).toEqual(['Conn', 'Sust']);
    expect(fw.root).toBe('Index');
    expect(fw.groups).toContain('EurAsia_group');
    expect(fw.denominators).toEqual(['Area', 'Energy', 'GDP', 'Population']);
  });

  it('Raw equals ASEM_Raw.csv', () => expectMatches(raw, 'ASEM_Raw.csv'));
  it('Denominated equals ASEM_Denominated.csv', () => {
    expectMatches(den.data, 'ASEM_Denominated.csv');
    // LAO has no energy figure, so its Elec and Gas become missing: reported, not silently Inf.
    expect(den.diagnostics.lost).toEqual([
      { unit: 'LAO', indicator: 'Elec', reason: 'denominator_missing' },
      { unit: 'LAO', indicator: 'Gas', reason: 'denominator_missing' },
    ]);
    expect(den.warnings.map((x) => x.code)).toContain('DENOMINATOR_MISSING');
  });
  it('Imputed equals ASEM_Imputed.csv (group means by EurAsia_group)', () => {
    expectMatches(imp.data, 'ASEM_Imputed.csv');
    expect(Object.values(imp.diagnostics.missingAfter).every((v) => v === 0)).toBe(true);
  });
  it('Screened equals ASEM_Screened.csv (no unit below 90 % availability)', () => {
    expectMatches(scr.data, 'ASEM_Screened.csv');
    expect(scr.diagnostics.removed).toEqual([]);
  });
  it('Treated equals ASEM_Treated.csv', () => expectMatches(tr.data, 'ASEM_Treated.csv'));

  it('treats exactly the indicators of ASEM_treatment_details.csv, with the same point counts and statistics', () => {
    const ref = readCsv('ASEM_treatment_details.csv');
    expect(tr.diagnostics.details.map((d) => d.indicator)).toEqual(ref.map((r) => r.iCode));
    for (const r of ref) {
      const d = tr.diagnostics.details.find((x) => x.indicator === r.iCode)!;
      expect(d.check0.pass, r.iCode).toBe(r['check_SkewKurt0.Pass'] === 'TRUE');
      expect(d.check0.skew!).toBeCloseTo(Number(r['check_SkewKurt0.Skew']), 10);
      expect(d.check0.kurtosis!).toBeCloseTo(Number(r['check_SkewKurt0.Kurt']), 10);
      if (r['winsorise.nwin'] === '') {
        expect(d.nwin, r.iCode).toBeNull();
        continue;
      }
      expect(d.nwin, r.iCode).toBe(Number(r['winsorise.nwin']));
      expect(d.check1!.pass, r.iCode).toBe(r['check_SkewKurt1.Pass'] === 'TRUE');
      expect(d.check1!.skew!).toBeCloseTo(Number(r['check_SkewKurt1.Skew']), 10);
      expect(d.check1!.kurtosis!).toBeCloseTo(Number(r['check_SkewKurt1.Kurt']), 10);
      expect(d.transform).toBeNull();
    }
    expect(tr.diagnostics.treated).toHaveLength(ref.filter((r) => r['check_SkewKurt0.Pass'] === 'FALSE').length);
  });

  it('Normalised equals ASEM_Normalised.csv', () => expectMatches(nor.data, 'ASEM_Normalised.csv'));
  it('Aggregated equals ASEM_Aggregated.csv (indicators, 8 pillars, 2 sub-indices, Index)', () => {
    const c = expectMatches(agg.data, 'ASEM_Aggregated.csv');
    expect(agg.data.codes).toHaveLength(60);
    expect(c.maxAbs).toBeLessThan(1e-9);
  });
});

describe('COINr ASEM reference build, end to end through runComposite', () => {
  it('reproduces the final index within 0.01, with identical ranks, and the published vignette figures', async () => {
    const r = await runComposite(fw, data, ASEM_METHODS, { seed: 1 });
    const ref = readCsv('ASEM_results_full.csv');
    expect(r.units).toHaveLength(ref.length);
    for (const row of ref) {
      const u = r.units.find((x) => x.unit === row.uCode)!;
      expect(Math.abs(u.score! - Number(row.Index)), row.uCode).toBeLessThan(0.01);
      expect(Math.abs(u.score! - Number(row.Index)), row.uCode).toBeLessThan(1e-8);
      expect(u.rank, row.uCode).toBe(Number(row.Rank));
      for (const dim of ['Conn', 'Sust', 'Physical', 'ConEcFin', 'Political', 'Instit', 'P2P', 'Environ', 'Social', 'SusEcFin']) {
        expect(Math.abs(u.dimensions[dim].score! - Number(row[dim])), `${row.uCode}.${dim}`).toBeLessThan(1e-8);
      }
    }
    // COINr's own vignette (docs/articles/results.html) prints the top six to 2 d.p.
    const top = r.units.slice(0, 6).map((u) => [u.unit, Math.round(u.score! * 100) / 100]);
    expect(top).toEqual([
      ['CHE', 68.38],
      ['NLD', 64.82],
      ['DNK', 64.8],
      ['NOR', 64.47],
      ['BEL', 63.54],
      ['SWE', 63.0],
    ]);
    expect(r.units.find((u) => u.unit === 'CHN')).toMatchObject({ rank: 49 });
    expect(r.units.find((u) => u.unit === 'CHN')!.score!).toBeCloseTo(37.77, 2);
    // Every intermediate table of the run equals the reference too.
    expectMatches(r.intermediate.aggregated, 'ASEM_Aggregated.csv');
    expect(r.diagnostics.provenance.framework_version).toBe('COINr-ASEM-1.1.14');
    expect(r.diagnostics.provenance.data_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('agrees with the legacy COINr 0.x coin shipped with the package (2 d.p. scores, same index ranks)', async () => {
    const r = await runComposite(fw, data, ASEM_METHODS);
    const scores = readCsv('legacy_ASEM_COIN_results_scores.csv');
    const ranks = readCsv('legacy_ASEM_COIN_results_ranks.csv');
    for (const row of scores) {
      const u = r.units.find((x) => x.unit === row.UnitCode)!;
      expect(Math.abs(u.score! - Number(row.Index)), row.UnitCode).toBeLessThan(0.01);
    }
    for (const row of ranks) expect(r.units.find((x) => x.unit === row.UnitCode)!.rank, row.UnitCode).toBe(Number(row.Index));
  });
});
