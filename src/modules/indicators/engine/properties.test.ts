/**
 * Property tests (fast-check): weights sum to one, ranks are a permutation, min–max lands in its
 * range, and ranks are invariant to a positive rescaling of one indicator for the methods that
 * promise it.
 *
 * Which methods promise scale invariance (x → c·x, c > 0)? min–max, z-score, rank, percentile
 * rank and distance-to-best are ratio-free after normalisation, and TOPSIS's vector normalisation
 * x / √Σx² cancels c; entropy, CRITIC and PCA weights are computed from min–max or correlations,
 * so they are invariant too. Goalposts and distance-to-target use fixed reference values and do
 * not promise it. The invariance is exact in real arithmetic; in floating point it is exact when
 * c is a power of two (every step then scales exactly), which is what we test — with any other c,
 * a rounding difference of 1 ulp could split two units whose scores tie exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ahpAnalyse } from './ahp.ts';
import { flatFramework, makeFramework, makeTable } from './engine.factory.ts';
import { normaliseColumn } from './normalise.ts';
import { runCompositeSync } from './run.ts';
import { rankMin } from './stats.ts';
import type { DataTable, Framework, Methods, NormaliseSpec, WeightSpec } from './types.ts';
import { computeWeights, entropyWeights } from './weights.ts';

const RUNS = { numRuns: 60 };

/** Matrices of n units × m indicators with varied columns (no column constant). */
const matrixArb = (minUnits = 4, maxUnits = 12, m = 4) =>
  fc
    .array(fc.array(fc.double({ min: 0.5, max: 1000, noNaN: true, noDefaultInfinity: true }), { minLength: m, maxLength: m }), { minLength: minUnits, maxLength: maxUnits })
    .filter((rows) => Array.from({ length: m }, (_, j) => new Set(rows.map((r) => r[j])).size > 1).every(Boolean));

const fw4: Framework = makeFramework({ D1: ['a', 'b'], D2: ['c', 'd'] }, { directions: { b: -1 } });
const table = (rows: number[][]): DataTable => makeTable(fw4.indicators, rows);

describe('properties', () => {
  it('weights sum to one, per parent and overall, for every weighting method', () => {
    const specs: WeightSpec[] = [
      { method: 'meta' },
      { method: 'equal' },
      { method: 'entropy' },
      { method: 'entropy', normalisation: 'sum' },
      { method: 'critic' },
      { method: 'pca' },
      { method: 'combine', alpha: 0.4, subjective: { method: 'equal' }, objective: { method: 'entropy' } },
    ];
    fc.assert(
      fc.property(matrixArb(), fc.constantFrom(...specs), (rows, spec) => {
        let w;
        try {
          w = computeWeights(fw4, spec, table(rows));
        } catch {
          // Degenerate draws (e.g. perfectly correlated columns for CRITIC) are refused with a code.
          return true;
        }
        expect(Object.values(w.effective).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
        for (const kids of Object.values(fw4.children)) expect(kids.reduce((s, k) => s + w.node[k], 0)).toBeCloseTo(1, 12);
        expect(Object.values(w.effective).every((x) => x >= 0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('entropy weights are non-negative and at most one', () => {
    fc.assert(
      fc.property(matrixArb(3, 15), (rows) => {
        const w = entropyWeights(fw4, table(rows)).weights;
        expect(Object.values(w).every((x) => x >= 0 && x <= 1)).toBe(true);
      }),
      RUNS,
    );
  });

  it('AHP weights of any positive reciprocal matrix are positive and sum to one, with CR ≥ 0', () => {
    const saaty = fc.constantFrom(1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9, 2, 1 / 2);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }).chain((n) => fc.tuple(fc.constant(n), fc.array(saaty, { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }))), ([n, upper]) => {
        const a = Array.from({ length: n }, () => new Array<number>(n).fill(1));
        let k = 0;
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) (a[i][j] = upper[k++]), (a[j][i] = 1 / a[i][j]);
        const r = ahpAnalyse({ parent: 'p', codes: Array.from({ length: n }, (_, i) => `c${i}`), matrix: a });
        expect(r.weights.every((w) => w > 0)).toBe(true);
        expect(r.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
        expect(r.lambdaMax).toBeGreaterThanOrEqual(n - 1e-9);
        expect(r.cr).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('ranks are a permutation of 1…n when scores differ, and sport ranks otherwise', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }), (xs) => {
        const r = rankMin(xs, true) as number[];
        // Sport ranking: 1 + the number of strictly better scores.
        xs.forEach((x, i) => expect(r[i]).toBe(1 + xs.filter((y) => y > x).length));
        if (new Set(xs).size === xs.length) expect([...r].sort((p, q) => p - q)).toEqual(xs.map((_, i) => i + 1));
      }),
      RUNS,
    );
  });

  it('index ranks of a full run are a permutation when the index scores differ', () => {
    fc.assert(
      fc.property(matrixArb(3, 10), (rows) => {
        const r = runCompositeSync(fw4, table(rows));
        const ranks = r.units.map((u) => u.rank as number);
        const scores = r.units.map((u) => u.score as number);
        if (new Set(scores).size === scores.length) expect([...ranks].sort((p, q) => p - q)).toEqual(ranks.map((_, i) => i + 1));
        expect(ranks.every((k) => k >= 1 && k <= rows.length)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('min–max output lies in [0, 1] (and in [a, b] when asked), whatever the direction', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { nil: null }), { minLength: 2, maxLength: 30 }).filter((x) => new Set(x.filter((v) => v !== null)).size > 1),
        fc.constantFrom<1 | -1>(1, -1),
        fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.001, max: 100, noNaN: true })),
        (x, dir, [a, width]) => {
          const y = normaliseColumn(x, dir, { method: 'minmax' }, 'x').y;
          y.forEach((v, i) => {
            expect(v === null).toBe(x[i] === null);
            if (v !== null) expect(v >= 0 && v <= 1).toBe(true);
          });
          expect(Math.min(...(y.filter((v) => v !== null) as number[]))).toBe(0);
          expect(Math.max(...(y.filter((v) => v !== null) as number[]))).toBe(1);
          const b = a + width;
          normaliseColumn(x, dir, { method: 'minmax', range: [a, b] }, 'x').y.forEach((v) => {
            if (v !== null) expect(v >= a - 1e-9 * Math.abs(a) - 1e-12 && v <= b + 1e-9 * Math.abs(b) + 1e-12).toBe(true);
          });
        },
      ),
      RUNS,
    );
  });

  it('ranks are invariant to a positive rescaling of one indicator where the method promises it', () => {
    const invariant: { normalise: NormaliseSpec; aggregate?: Methods['aggregate']; weights?: WeightSpec }[] = [
      { normalise: { method: 'minmax' } },
      { normalise: { method: 'zscore' } },
      { normalise: { method: 'rank' } },
      { normalise: { method: 'prank' } },
      { normalise: { method: 'best' } },
      { normalise: { method: 'minmax', range: [1, 100] }, aggregate: { method: 'geometric' } },
      { normalise: { method: 'minmax' }, aggregate: { method: 'topsis' } },
      { normalise: { method: 'minmax' }, weights: { method: 'entropy' } },
      { normalise: { method: 'minmax' }, weights: { method: 'critic' } },
      { normalise: { method: 'minmax' }, weights: { method: 'pca' } },
    ];
    const flat = flatFramework(['a', 'b', 'c'], { b: -1 });
    fc.assert(
      fc.property(matrixArb(3, 10, 3), fc.integer({ min: 0, max: 2 }), fc.integer({ min: -20, max: 20 }), fc.constantFrom(...invariant), (rows, j, k, m) => {
        const c = Math.pow(2, k);
        const t = makeTable(flat.indicators, rows);
        const scaled = makeTable(flat.indicators, rows.map((r) => r.map((v, i) => (i === j ? v * c : v))));
        let base;
        try {
          base = runCompositeSync(flat, t, m);
        } catch {
          return true; // a refused degenerate draw (e.g. CRITIC with perfectly correlated columns)
        }
        const after = runCompositeSync(flat, scaled, m);
        const rank = (r: typeof base) => Object.fromEntries(r.units.map((u) => [u.unit, u.rank]));
        expect(rank(after)).toEqual(rank(base));
      }),
      { numRuns: 80 },
    );
  });

  it('goalposts do not promise scale invariance (a counter-example exists)', () => {
    const flat = flatFramework(['a', 'b']);
    const gp: Methods = { normalise: { method: 'goalposts', goalposts: { a: [0, 10], b: [0, 10] } } };
    const t = makeTable(['a', 'b'], [[2, 8], [6, 3]]);
    // a × 2: U1 0.5 → 0.6, but U2 0.45 → 0.65 because the goalposts stay where they were.
    const scaled = makeTable(['a', 'b'], [[4, 8], [12, 3]]);
    const r1 = runCompositeSync(flat, t, gp).units.map((u) => u.unit);
    const r2 = runCompositeSync(flat, scaled, gp).units.map((u) => u.unit);
    expect(r1).toEqual(['U1', 'U2']);
    expect(r2).toEqual(['U2', 'U1']);
  });
});
