/** Aggregators: hand-checked means, per-level choice, refusals, and published TOPSIS examples. */
import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.ts';
import { col, flatFramework, makeFramework, makeTable } from './engine.factory.ts';
import { EngineError } from './errors.ts';
import { buildFrameworkFromNodes } from './framework.ts';
import type { AggregateSpec, DataTable, Framework } from './types.ts';
import { computeWeights } from './weights.ts';

const errOf = (fn: () => unknown): EngineError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
};

/** Index scores of a flat framework under the given aggregation, raw = normalised = `t`. */
function index(fw: Framework, t: DataTable, spec: AggregateSpec) {
  const w = computeWeights(fw, { method: 'meta' }, t);
  const r = aggregate(fw, t, w.node, spec, t);
  return { scores: col(r.data, fw.root), r };
}

describe('arithmetic, geometric and harmonic means', () => {
  const fw = flatFramework(['a', 'b'], {}, { a: 1, b: 3 });
  const t = makeTable(['a', 'b'], [[0.2, 0.6], [null, 0.6], [0.5, 0.5]]);

  it('arithmetic: Σ w x / Σ w over the children present', () => {
    const { scores } = index(fw, t, { method: 'arithmetic' });
    expect(scores[0]).toBeCloseTo((0.2 + 3 * 0.6) / 4, 15);
    expect(scores[1]).toBeCloseTo(0.6, 15);
    expect(scores[2]).toBeCloseTo(0.5, 15);
  });

  it('minimum data share: a parent is missing when too few children are present', () => {
    const { scores, r } = index(fw, t, { method: 'arithmetic', minDataShare: 0.75 });
    expect(scores[1]).toBeNull();
    expect(r.diagnostics.missing.Index).toBe(1);
  });

  it('geometric: Π x^{w/Σw}; harmonic: Σw / Σ(w/x)', () => {
    expect(index(fw, t, { method: 'geometric' }).scores[0]).toBeCloseTo(Math.pow(0.2, 0.25) * Math.pow(0.6, 0.75), 15);
    expect(index(fw, t, { method: 'harmonic' }).scores[0]).toBeCloseTo(4 / (1 / 0.2 + 3 / 0.6), 15);
    // Means of equal values are that value; AM ≥ GM ≥ HM.
    const am = index(fw, t, { method: 'arithmetic' }).scores[0] as number;
    const gm = index(fw, t, { method: 'geometric' }).scores[0] as number;
    const hm = index(fw, t, { method: 'harmonic' }).scores[0] as number;
    expect(am).toBeGreaterThan(gm);
    expect(gm).toBeGreaterThan(hm);
    expect(index(fw, t, { method: 'geometric' }).scores[2]).toBeCloseTo(0.5, 15);
  });

  it('refuses non-positive values under geometric and harmonic means, or lets zeros through with a warning', () => {
    const z = makeTable(['a', 'b'], [[0, 0.6], [0.5, 0.5]]);
    expect(errOf(() => index(fw, z, { method: 'geometric' })).code).toBe('NON_POSITIVE_FOR_MEAN');
    expect(errOf(() => index(fw, z, { method: 'harmonic' })).code).toBe('NON_POSITIVE_FOR_MEAN');
    const warned = index(fw, z, { method: 'geometric', nonPositive: 'warn' });
    expect(warned.scores[0]).toBe(0);
    expect(warned.r.warnings.map((w) => w.code)).toEqual(['ZERO_IN_MEAN']);
    expect(errOf(() => index(fw, makeTable(['a', 'b'], [[-1, 1]]), { method: 'geometric', nonPositive: 'warn' })).code).toBe('NON_POSITIVE_FOR_MEAN');
  });

  it('chooses the method per level', () => {
    const fw2 = makeFramework({ D1: ['a', 'b'], D2: ['c'] });
    const t2 = makeTable(['a', 'b', 'c'], [[0.2, 0.8, 0.9]]);
    const w = computeWeights(fw2, { method: 'meta' }, t2);
    const r = aggregate(fw2, t2, w.node, { method: 'arithmetic', levels: { 3: { method: 'geometric' } } }, t2);
    expect(col(r.data, 'D1')[0]).toBeCloseTo(0.5, 15);
    expect(col(r.data, 'Index')[0]).toBeCloseTo(Math.sqrt(0.5 * 0.9), 15);
    expect(r.diagnostics.methods).toEqual({ D1: 'arithmetic', D2: 'arithmetic', Index: 'geometric' });
  });
});

describe('TOPSIS (Hwang & Yoon)', () => {
  it('reproduces the fighter-aircraft example of Hwang & Yoon (1981), pp. 133–134', () => {
    // Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and
    // Applications. Springer. Four aircraft; maximum speed (Mach), ferry range (NM), maximum
    // payload (lb), acquisition cost ($M, a cost criterion), reliability and manoeuvrability
    // (qualitative, scored 3/5/7/9); weights 0.2, 0.1, 0.1, 0.1, 0.2, 0.3. Published closeness
    // 0.643, 0.268, 0.613, 0.312 (A1 ≻ A3 ≻ A4 ≻ A2). The book rounds intermediate values to four
    // decimals, hence the 1e-3 tolerance (A3 computes to 0.61346 exactly).
    const codes = ['speed', 'range', 'payload', 'cost', 'reliability', 'manoeuvrability'];
    const fw = flatFramework(codes, { cost: -1 }, { speed: 0.2, range: 0.1, payload: 0.1, cost: 0.1, reliability: 0.2, manoeuvrability: 0.3 });
    const t = makeTable(codes, [
      [2.0, 1500, 20000, 5.5, 5, 9],
      [2.5, 2700, 18000, 6.5, 3, 5],
      [1.8, 2000, 21000, 4.5, 7, 7],
      [2.2, 1800, 20000, 5.0, 5, 5],
    ]);
    const { scores } = index(fw, t, { method: 'topsis' });
    const published = [0.643, 0.268, 0.613, 0.312];
    scores.forEach((s, i) => expect(Math.abs((s as number) - published[i])).toBeLessThan(1e-3));
  });

  it('reproduces the example of Tzeng & Huang (2011)', () => {
    // Tzeng, G.-H. & Huang, J.-J. (2011). Multiple Attribute Decision Making: Methods and
    // Applications. CRC Press. Benefit criteria, weights 0.3, 0.4, 0.3; closeness 0.5037,
    // 0.6581, 0.7482, 0.3340 (as used in scikit-criteria's TOPSIS test).
    const fw = flatFramework(['c1', 'c2', 'c3'], {}, { c1: 0.3, c2: 0.4, c3: 0.3 });
    const t = makeTable(['c1', 'c2', 'c3'], [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]);
    const { scores } = index(fw, t, { method: 'topsis' });
    [0.5037, 0.6581, 0.7482, 0.334].forEach((p, i) => expect(scores[i] as number).toBeCloseTo(p, 4));
  });

  it('hand-checked 2×2 case: the ideal unit scores 1, the anti-ideal 0, others in between', () => {
    const fw = flatFramework(['a', 'b'], { b: -1 });
    const t = makeTable(['a', 'b'], [[3, 1], [1, 3], [2, 2]]);
    const { scores } = index(fw, t, { method: 'topsis' });
    expect(scores[0]).toBeCloseTo(1, 15);
    expect(scores[1]).toBeCloseTo(0, 15);
    expect(scores[2]).toBeCloseTo(0.5, 15);
  });

  it('uses the raw (treated) values at indicator level and child scores above', () => {
    const fw = makeFramework({ D1: ['a', 'b'], D2: ['c'] });
    const raw = makeTable(['a', 'b', 'c'], [[3, 1, 1], [1, 3, 2], [2, 2, 3]]);
    const normalised = makeTable(['a', 'b', 'c'], [[9, 9, 9], [9, 9, 9], [9, 9, 9]]);
    const w = computeWeights(fw, { method: 'meta' }, raw);
    const r = aggregate(fw, normalised, w.node, { method: 'topsis', levels: { 3: { method: 'arithmetic' } } }, raw);
    // D2 has one child: the unit with the largest c is ideal (1), the smallest anti-ideal (0).
    expect(col(r.data, 'D2')).toEqual([0, 0.5, 1]);
    expect(col(r.data, 'D1')[2]).toBeCloseTo(0.5, 12);
  });

  it('refuses missing data and reports a degenerate (all-equal) group instead of NaN', () => {
    const fw = flatFramework(['a', 'b']);
    expect(errOf(() => index(fw, makeTable(['a', 'b'], [[1, null], [2, 3]]), { method: 'topsis' })).code).toBe('TOPSIS_MISSING_DATA');
    const d = index(fw, makeTable(['a', 'b'], [[1, 1], [1, 1]]), { method: 'topsis' });
    expect(d.scores).toEqual([null, null]);
    expect(d.r.warnings.map((w) => w.code)).toEqual(['TOPSIS_DEGENERATE']);
  });
});

describe('aggregate output', () => {
  it('returns indicators then aggregates, like COINr’s Aggregated data set', () => {
    const fw = buildFrameworkFromNodes([
      { code: 'I', type: 'aggregate' },
      { code: 'P', parent: 'I', type: 'aggregate' },
      { code: 'x', parent: 'P', type: 'indicator' },
      { code: 'y', parent: 'I', type: 'indicator' },
    ]);
    const t = makeTable(['x', 'y'], [[0.2, 0.4]]);
    const r = aggregate(fw, t, computeWeights(fw, { method: 'meta' }, t).node, { method: 'arithmetic' }, t);
    expect(r.data.codes).toEqual(['x', 'y', 'P', 'I']);
    expect(r.data.values[0][3]).toBeCloseTo(0.3, 15);
  });
});
