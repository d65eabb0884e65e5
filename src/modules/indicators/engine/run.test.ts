/** runComposite: result shape, refusals and warnings on bad input, purity and provenance. */
import { describe, expect, it } from 'vitest';
import { deepFreeze, flatFramework, makeFramework, makeTable } from './engine.factory.ts';
import { EngineError } from './errors.ts';
import { buildDataTable } from './data.ts';
import { runComposite, runCompositeSync } from './run.ts';
import type { CompositeResult, DataTable, Methods } from './types.ts';

const fw = makeFramework({ Outcomes: ['patents', 'standards', 'revenue'], Talent: ['trained', 'introduced'] }, { weights: { Outcomes: 2, Talent: 1 } });
const data: DataTable = makeTable(
  fw.indicators,
  [
    [12, 1, 300, 20, 2],
    [3, 0, 120, 35, 1],
    [25, 4, 800, 10, 0],
    [7, 2, 50, 60, 5],
    [0, 0, 10, 5, 0],
  ],
  { units: ['P1', 'P2', 'P3', 'P4', 'P5'], unitNames: ['项目一', '项目二', '项目三', '项目四', '项目五'] },
);

const errOf = async (p: Promise<unknown> | (() => unknown)): Promise<EngineError> => {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
};

/** Every number reachable in the published part of a result is finite. */
function allFinite(r: CompositeResult): boolean {
  let ok = true;
  const walk = (v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) ok = false;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(r.units);
  walk(r.weights);
  walk(r.node_weights);
  return ok;
}

describe('runComposite', () => {
  it('returns ranked units with dimension scores, weights and every intermediate table', async () => {
    const r = await runComposite(fw, data, {}, { seed: 9 });
    expect(r.units.map((u) => u.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(r.units[0]).toMatchObject({ unit: 'P3', name: '项目三', rank_interval: null });
    expect(Object.keys(r.units[0].dimensions)).toEqual(['Outcomes', 'Talent']);
    // Default method: min–max to [0, 1], meta weights (Outcomes 2 : Talent 1), arithmetic.
    const p5 = r.units.find((u) => u.unit === 'P5')!;
    expect(p5.score).toBe(0);
    expect(Object.values(r.weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
    expect(r.weights.patents).toBeCloseTo(2 / 9, 14);
    expect(Object.keys(r.intermediate)).toEqual(['raw', 'denominated', 'imputed', 'screened', 'treated', 'normalised', 'aggregated']);
    expect(r.diagnostics.provenance).toMatchObject({ seed: 9, framework_version: 'test', units_in: 5, units_out: 5 });
    expect(r.diagnostics.provenance.methods).toMatchObject({ normalise: { method: 'minmax' }, weights: { method: 'meta' }, aggregate: { method: 'arithmetic' }, impute: { method: 'none' } });
    expect(r.diagnostics.analysis.cronbach.Outcomes).not.toBeNull();
    expect(allFinite(r)).toBe(true);
    // JSON round trip: the result is plain data.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('is pure: frozen inputs are not modified and two runs with one seed are identical', async () => {
    const f = deepFreeze(structuredClone(fw));
    const d = deepFreeze(structuredClone(data));
    const m: Methods = deepFreeze({ normalise: { method: 'minmax', range: [1, 100] }, uncertainty: { replications: 40, weightPerturbation: 0.2 } });
    const a = await runComposite(f, d, m, { seed: 4 });
    const b = await runComposite(f, d, m, { seed: 4 });
    expect(b).toEqual(a);
    expect(a.diagnostics.provenance.data_hash).toBe(b.diagnostics.provenance.data_hash);
    const changed = { ...data, values: data.values.map((r, i) => (i === 0 ? [13, ...r.slice(1)] : r)) };
    expect((await runComposite(fw, changed)).diagnostics.provenance.data_hash).not.toBe(a.diagnostics.provenance.data_hash);
  });

  it('supports TOPSIS, geometric and per-level aggregation end to end', async () => {
    const t = await runComposite(fw, data, { aggregate: { method: 'topsis', levels: { 3: { method: 'arithmetic' } } } });
    expect(t.units[0].unit).toBe('P3');
    expect(t.units.every((u) => u.score! >= 0 && u.score! <= 1)).toBe(true);
    const g = await runComposite(fw, data, { normalise: { method: 'minmax', range: [1, 100] }, aggregate: { method: 'geometric' } });
    expect(g.units.at(-1)!.unit).toBe('P5');
    expect(g.units.at(-1)!.score).toBeCloseTo(1, 12);
  });

  it('runs a panel at the requested year after panel imputation', async () => {
    const f = flatFramework(['x', 'y']);
    const panel = buildDataTable(f, [
      { uCode: 'A', Time: 2020, x: 1, y: 5 },
      { uCode: 'A', Time: 2021, x: null, y: 6 },
      { uCode: 'B', Time: 2020, x: 3, y: 1 },
      { uCode: 'B', Time: 2021, x: 4, y: 2 },
    ]);
    const r = await runComposite(f, panel, { impute: { method: 'panelCarry' }, time: 2021 });
    expect(r.intermediate.screened.values).toEqual([
      [1, 6],
      [4, 2],
    ]);
    expect((await errOf(runComposite(f, panel))).code).toBe('TIME_REQUIRED');
    expect((await errOf(runComposite(f, panel, { time: 1999 }))).code).toBe('TIME_NOT_IN_DATA');
  });
});

describe('runComposite on bad input: coded errors or explicit warnings, never NaN', () => {
  it('zero-variance indicator: refused, or dropped with a warning when allowed', async () => {
    const d = { ...data, values: data.values.map((r) => [r[0], 2, ...r.slice(2)]) };
    const e = await errOf(runComposite(fw, d));
    expect(e.code).toBe('ZERO_VARIANCE');
    expect(e.details).toEqual([{ column: 'standards', code: 'ZERO_VARIANCE' }]);
    const r = await runComposite(fw, d, { zeroVariance: 'drop' });
    expect(r.diagnostics.dropped_indicators).toEqual(['standards']);
    expect(r.weights).not.toHaveProperty('standards');
    expect(r.diagnostics.warnings.map((w) => w.code)).toContain('INDICATORS_DROPPED');
    // Rank normalisation copes with a constant: a warning, not a refusal.
    const k = await runComposite(fw, d, { normalise: { method: 'rank' } });
    expect(k.diagnostics.warnings.map((w) => w.code)).toContain('ZERO_VARIANCE');
    expect(allFinite(k)).toBe(true);
  });

  it('all-missing indicator and all-missing unit', async () => {
    const noCol = { ...data, values: data.values.map((r) => [r[0], null, ...r.slice(2)]) };
    expect((await errOf(runComposite(fw, noCol))).code).toBe('INDICATOR_ALL_MISSING');
    const noUnit = { ...data, values: data.values.map((r, i) => (i === 1 ? r.map(() => null) : r)) };
    const r = await runComposite(fw, noUnit);
    const p2 = r.units.find((u) => u.unit === 'P2')!;
    expect(p2).toMatchObject({ score: null, rank: null });
    expect(r.units.at(-1)!.unit).toBe('P2');
    expect(r.diagnostics.warnings.map((w) => w.code)).toContain('UNIT_ALL_MISSING');
    expect(r.units.filter((u) => u.rank !== null).map((u) => u.rank).sort()).toEqual([1, 2, 3, 4]);
    expect(allFinite(r)).toBe(true);
  });

  it('singular or inconsistent AHP matrices are refused; inconsistency can be accepted explicitly', async () => {
    const ahp = (matrix: number[][], allowInconsistent = false): Methods => ({
      weights: { method: 'ahp', allowInconsistent, matrices: [{ parent: 'Outcomes', codes: ['patents', 'standards', 'revenue'], matrix }] },
    });
    const circular = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]];
    expect((await errOf(runComposite(fw, data, ahp(circular)))).code).toBe('AHP_INCONSISTENT');
    expect((await errOf(runComposite(fw, data, ahp([[1, 0, 1], [0, 1, 1], [1, 1, 1]])))).code).toBe('AHP_SINGULAR');
    const ok = await runComposite(fw, data, ahp(circular, true));
    expect(ok.diagnostics.warnings.map((w) => w.code)).toContain('AHP_INCONSISTENT');
    expect(ok.diagnostics.weights.ahp!.Outcomes.cr).toBeGreaterThan(0.1);
  });

  it('negative or zero values under a geometric mean are refused, with the fix in the message', async () => {
    const e = await errOf(runComposite(fw, data, { aggregate: { method: 'geometric' } }));
    expect(e.code).toBe('NON_POSITIVE_FOR_MEAN');
    expect(e.message_en).toMatch(/\[1, 100\]/);
  });

  it('unknown indicator codes in method settings are refused; extra data columns are reported', async () => {
    expect((await errOf(runComposite(fw, data, { normalise: { method: 'goalposts', goalposts: { nope: [0, 1] } } }))).code).toBe('UNKNOWN_INDICATOR');
    expect((await errOf(runComposite(fw, data, { weights: { method: 'expert', weights: { nope: 1 } } }))).code).toBe('UNKNOWN_INDICATOR');
    expect((await errOf(runComposite(fw, data, { treat: { method: 'winsorise', indicators: { nope: 'none' } } }))).code).toBe('UNKNOWN_INDICATOR');
    const extra = { ...data, codes: [...data.codes, 'meetings'], values: data.values.map((r) => [...r, 99]) };
    const r = await runComposite(fw, extra);
    expect(r.diagnostics.warnings.map((w) => w.code)).toContain('EXTRA_COLUMNS');
    expect((await errOf(runComposite(fw, { ...data, codes: ['patents'], values: data.values.map((r) => [r[0]]) }))).code).toBe('INDICATOR_NOT_IN_DATA');
  });

  it('units with too little data for the minimum data share get no score, with a warning', () => {
    const sparse = { ...data, values: data.values.map((r, i) => (i === 0 ? [r[0], null, null, null, null] : r)) };
    const r = runCompositeSync(fw, sparse, { aggregate: { method: 'arithmetic', minDataShare: 0.5 } });
    expect(r.units.find((u) => u.unit === 'P1')!.score).toBeNull();
    expect(r.diagnostics.warnings.map((w) => w.code)).toContain('UNIT_NO_SCORE');
    expect(allFinite(r)).toBe(true);
  });
});
