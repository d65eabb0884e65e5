/** Weighting: published AHP and entropy examples, and hand-checked cases for every method. */
import { describe, expect, it } from 'vitest';
import { ahpAnalyse, ahpWeights, SAATY_RI } from './ahp.ts';
import { flatFramework, makeFramework, makeTable } from './engine.factory.ts';
import { EngineError } from './errors.ts';
import { computeWeights, criticWeights, entropyWeights, pcaWeights } from './weights.ts';

const errOf = (fn: () => unknown): EngineError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
};

describe('AHP', () => {
  it("reproduces Saaty's drink-consumption example: published weights and CR = 0.022", () => {
    // Saaty, T. L. (2008). Decision making with the analytic hierarchy process. International
    // Journal of Services Sciences 1(1), 83–98: "Which drink is consumed more in the U.S.?",
    // judgement matrix and derived priorities coffee .177, wine .019, tea .042, beer .116,
    // sodas .190, milk .129, water .327, consistency ratio 0.022.
    const codes = ['coffee', 'wine', 'tea', 'beer', 'sodas', 'milk', 'water'];
    const matrix = [
      [1, 9, 5, 2, 1, 1, 1 / 2],
      [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
      [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
      [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
      [1, 9, 4, 2, 1, 2, 1 / 2],
      [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
      [2, 9, 9, 3, 2, 3, 1],
    ];
    const r = ahpWeights({ parent: 'drinks', codes, matrix });
    expect(r.weights.map((w) => Math.round(w * 1000) / 1000)).toEqual([0.177, 0.019, 0.042, 0.116, 0.19, 0.129, 0.327]);
    expect(Math.round(r.cr * 1000) / 1000).toBe(0.022);
    expect(r.ri).toBe(1.32);
    expect(r.consistent).toBe(true);
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it('returns the generating weights and CR = 0 for a perfectly consistent matrix', () => {
    const w = [0.5, 0.3, 0.2];
    const r = ahpAnalyse({ parent: 'p', codes: ['a', 'b', 'c'], matrix: w.map((wi) => w.map((wj) => wi / wj)) });
    r.weights.forEach((x, i) => expect(x).toBeCloseTo(w[i], 12));
    expect(r.lambdaMax).toBeCloseTo(3, 12);
    expect(r.cr).toBeCloseTo(0, 12);
  });

  it('accepts pairwise comparisons instead of a matrix, and judgements typed as decimals', () => {
    const m = ahpAnalyse({ parent: 'p', codes: ['a', 'b', 'c'], matrix: [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]] });
    const c = ahpAnalyse({ parent: 'p', codes: ['a', 'b', 'c'], comparisons: [{ a: 'a', b: 'b', value: 3 }, { a: 'c', b: 'a', value: 1 / 5 }, { a: 'b', b: 'c', value: 2 }] });
    c.weights.forEach((x, i) => expect(x).toBeCloseTo(m.weights[i], 12));
    expect(() => ahpAnalyse({ parent: 'p', codes: ['a', 'b'], matrix: [[1, 3], [0.333, 1]] })).not.toThrow();
    // A 2×2 reciprocal matrix is always consistent; RI(1) = RI(2) = 0.
    expect(ahpAnalyse({ parent: 'p', codes: ['a', 'b'], matrix: [[1, 4], [1 / 4, 1]] }).cr).toBe(0);
    expect(SAATY_RI.slice(3, 11)).toEqual([0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]);
  });

  it('refuses CR ≥ 0.1 unless explicitly allowed', () => {
    // Circular judgements a ≻ b ≻ c ≻ a: as inconsistent as a 3×3 matrix gets.
    const bad = { parent: 'p', codes: ['a', 'b', 'c'], matrix: [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]] };
    const e = errOf(() => ahpWeights(bad));
    expect(e.code).toBe('AHP_INCONSISTENT');
    expect(e.details[0].cr as number).toBeGreaterThan(0.1);
    const ok = ahpWeights(bad, { allowInconsistent: true });
    expect(ok.consistent).toBe(false);
    ok.weights.forEach((w) => expect(w).toBeCloseTo(1 / 3, 10));
  });

  it('refuses singular, incomplete, negative, non-reciprocal and non-square matrices', () => {
    expect(errOf(() => ahpAnalyse({ parent: 'p', codes: ['a', 'b'], matrix: [[1, 0], [0, 1]] })).code).toBe('AHP_SINGULAR');
    expect(errOf(() => ahpAnalyse({ parent: 'p', codes: ['a', 'b', 'c'], comparisons: [{ a: 'a', b: 'b', value: 2 }] })).code).toBe('AHP_SINGULAR');
    expect(errOf(() => ahpAnalyse({ parent: 'p', codes: ['a', 'b'], matrix: [[1, -2], [-0.5, 1]] })).code).toBe('AHP_INVALID_ENTRY');
    expect(errOf(() => ahpAnalyse({ parent: 'p', codes: ['a', 'b'], matrix: [[1, 2], [2, 1]] })).code).toBe('AHP_NOT_RECIPROCAL');
    expect(errOf(() => ahpAnalyse({ parent: 'p', codes: ['a', 'b'], matrix: [[1, 2]] })).code).toBe('AHP_NOT_SQUARE');
    expect(errOf(() => ahpAnalyse({ parent: 'p', codes: ['a', 'b'], comparisons: [{ a: 'a', b: 'z', value: 2 }] })).code).toBe('UNKNOWN_INDICATOR');
  });

  it('plugs into the framework per parent, checking the codes against its children', () => {
    const fw = makeFramework({ D1: ['a', 'b'], D2: ['c'] });
    const t = makeTable(['a', 'b', 'c'], [[1, 2, 3], [2, 1, 3], [3, 3, 1]]);
    const w = computeWeights(fw, { method: 'ahp', matrices: [{ parent: 'D1', codes: ['a', 'b'], matrix: [[1, 3], [1 / 3, 1]] }, { parent: 'Index', codes: ['D1', 'D2'], matrix: [[1, 1], [1, 1]] }] }, t);
    expect(w.node.a).toBeCloseTo(0.75, 12);
    expect(w.effective.a).toBeCloseTo(0.375, 12);
    expect(w.effective.c).toBeCloseTo(0.5, 12);
    expect(errOf(() => computeWeights(fw, { method: 'ahp', matrices: [{ parent: 'D1', codes: ['a', 'c'], matrix: [[1, 3], [1 / 3, 1]] }] }, t)).code).toBe('AHP_CODES_MISMATCH');
    expect(errOf(() => computeWeights(fw, { method: 'ahp', matrices: [{ parent: 'Nope', codes: ['a', 'b'], matrix: [[1, 3], [1 / 3, 1]] }] }, t)).code).toBe('UNKNOWN_INDICATOR');
  });
});

describe('entropy weights (熵权法)', () => {
  it('reproduces Xu (2004) on proportions of the raw values', () => {
    // Xu, X. (2004). A note on the subjective and objective integrated approach to determine
    // attribute weights. European Journal of Operational Research 156(2), 530–532; weights
    // 0.4630, 0.3992, 0.1378, 0.0000 (as reproduced in pyrepo-mcda's test suite,
    // energyinpython/pyrepo-mcda tests/test_weights.py). Xu's variant uses p_ij = x_ij / Σ_i x_ij.
    const fw = flatFramework(['c1', 'c2', 'c3', 'c4']);
    const t = makeTable(fw.indicators, [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]);
    const w = entropyWeights(fw, t, 'sum').weights;
    expect(fw.indicators.map((c) => Math.round(w[c] * 1e4) / 1e4)).toEqual([0.463, 0.3992, 0.1378, 0]);
  });

  it('reproduces Zavadskas & Podvezko (2016) on proportions of the raw values', () => {
    // Zavadskas, E. K. & Podvezko, V. (2016). Integrated determination of objective criteria
    // weights in MCDM. Int. J. of Information Technology & Decision Making 15(2), 267–283;
    // entropy weights 0.1146, 0.1981, 0.4185, 0.2689 (same source of reproduction as above).
    const fw = flatFramework(['c1', 'c2', 'c3', 'c4']);
    const t = makeTable(fw.indicators, [[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]]);
    const w = entropyWeights(fw, t, 'sum').weights;
    expect(fw.indicators.map((c) => Math.round(w[c] * 1e4) / 1e4)).toEqual([0.1146, 0.1981, 0.4185, 0.2689]);
  });

  it('default (textbook) variant works on the min–max matrix with 0·ln 0 = 0', () => {
    // a = 0, 5, 10 → x' = 0, ½, 1 → p = 0, ⅓, ⅔; b = 1, 2, 1 → x' = 0, 1, 0 → p = 0, 1, 0 → e = 0.
    const fw = flatFramework(['a', 'b'], { b: 1 });
    const t = makeTable(['a', 'b'], [[0, 1], [5, 2], [10, 1]]);
    const ea = -((1 / 3) * Math.log(1 / 3) + (2 / 3) * Math.log(2 / 3)) / Math.log(3);
    const r = entropyWeights(fw, t);
    expect(r.entropy.a).toBeCloseTo(ea, 14);
    expect(r.entropy.b).toBe(0);
    expect(r.weights.a).toBeCloseTo((1 - ea) / (1 - ea + 1), 14);
    // Reversing a direction changes x' but not the entropy of this symmetric column.
    expect(entropyWeights(flatFramework(['a', 'b'], { a: -1 }), t).weights.a).toBeCloseTo(r.weights.a, 14);
  });

  it('gives a zero-variance indicator weight 0 with a warning, and refuses when nothing varies', () => {
    const fw = flatFramework(['a', 'b']);
    const r = entropyWeights(fw, makeTable(['a', 'b'], [[1, 3], [2, 3], [4, 3]]));
    expect(r.weights).toEqual({ a: 1, b: 0 });
    expect(r.warnings.map((w) => w.code)).toEqual(['ZERO_VARIANCE_WEIGHT']);
    expect(errOf(() => entropyWeights(fw, makeTable(['a', 'b'], [[1, 3], [1, 3]]))).code).toBe('ENTROPY_DEGENERATE');
    expect(errOf(() => entropyWeights(fw, makeTable(['a', 'b'], [[-1, 3], [1, 2]]), 'sum')).code).toBe('ENTROPY_NEGATIVE_VALUES');
  });
});

describe('CRITIC and PCA weights', () => {
  it('CRITIC: C_j = σ_j Σ_k (1 − r_jk) on the min–max matrix (hand-checked)', () => {
    // a = 0, 1, 2 and c = a are perfectly correlated, b = reversed a: all σ = ½ on [0, 1].
    // C_a = ½(0 + 2 + 0) = 1, C_b = ½(2 + 0 + 2) = 2, C_c = 1 → w = ¼, ½, ¼.
    const fw = flatFramework(['a', 'b', 'c']);
    const r = criticWeights(fw, makeTable(['a', 'b', 'c'], [[0, 2, 0], [1, 1, 1], [2, 0, 2]]));
    expect(r.weights.a).toBeCloseTo(0.25, 14);
    expect(r.weights.b).toBeCloseTo(0.5, 14);
    expect(r.weights.c).toBeCloseTo(0.25, 14);
    // With b's direction reversed all three agree perfectly: no conflict, so no information.
    expect(errOf(() => criticWeights(flatFramework(['a', 'b', 'c'], { b: -1 }), makeTable(['a', 'b', 'c'], [[0, 2, 0], [1, 1, 1], [2, 0, 2]]))).code).toBe('CRITIC_DEGENERATE');
  });

  it('PCA: squared loadings of the first component (hand-checked)', () => {
    // a and b = 2a are perfectly correlated; c is uncorrelated with both (orthogonal after
    // centring). R has eigenvalues 2, 1, 0 and first eigenvector (1, 1, 0)/√2 → w = ½, ½, 0.
    const fw = flatFramework(['a', 'b', 'c']);
    const r = pcaWeights(fw, makeTable(['a', 'b', 'c'], [[1, 2, 1], [2, 4, -1], [3, 6, -1], [4, 8, 1]]));
    expect(r.weights.a).toBeCloseTo(0.5, 12);
    expect(r.weights.b).toBeCloseTo(0.5, 12);
    expect(r.weights.c).toBeCloseTo(0, 12);
    expect(r.explainedVariance).toBeCloseTo(2 / 3, 12);
  });
});

describe('computeWeights', () => {
  const fw = makeFramework({ D1: ['a', 'b'], D2: ['c'] }, { weights: { a: 3, b: 1, D1: 1, D2: 3 } });
  const t = makeTable(['a', 'b', 'c'], [[0, 1, 5], [5, 2, 6], [10, 1, 9]]);

  it('meta, equal and expert weights renormalise per parent and multiply along the lineage', () => {
    const meta = computeWeights(fw, { method: 'meta' }, t);
    expect(meta.node).toEqual({ Index: 1, D1: 0.25, D2: 0.75, a: 0.75, b: 0.25, c: 1 });
    expect(meta.effective).toEqual({ a: 0.1875, b: 0.0625, c: 0.75 });
    expect(computeWeights(fw, { method: 'equal' }, t).effective).toEqual({ a: 0.25, b: 0.25, c: 0.5 });
    expect(computeWeights(fw, { method: 'expert', weights: { D2: 1 } }, t).effective).toEqual({ a: 0.375, b: 0.125, c: 0.5 });
    expect(errOf(() => computeWeights(fw, { method: 'expert', weights: { zz: 1 } }, t)).code).toBe('UNKNOWN_INDICATOR');
  });

  it('objective weights become the effective indicator weights (aggregates get their sums)', () => {
    const e = computeWeights(fw, { method: 'entropy' }, t);
    const raw = entropyWeights(fw, t).weights;
    for (const c of fw.indicators) expect(e.effective[c]).toBeCloseTo(raw[c], 14);
    expect(e.node.D1).toBeCloseTo(raw.a + raw.b, 14);
  });

  it('combination α·subjective + (1 − α)·objective', () => {
    const s = computeWeights(fw, { method: 'meta' }, t).effective;
    const o = computeWeights(fw, { method: 'entropy' }, t).effective;
    const c = computeWeights(fw, { method: 'combine', alpha: 0.3, subjective: { method: 'meta' }, objective: { method: 'entropy' } }, t);
    for (const k of fw.indicators) expect(c.effective[k]).toBeCloseTo(0.3 * s[k] + 0.7 * o[k], 14);
    expect(errOf(() => computeWeights(fw, { method: 'combine', alpha: 2, subjective: { method: 'meta' }, objective: { method: 'entropy' } }, t)).code).toBe('INVALID_ALPHA');
  });
});
