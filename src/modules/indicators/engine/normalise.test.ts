/** Hand-checked cases for every normaliser, x = 2, 4, 6, 10 unless said otherwise. */
import { describe, expect, it } from 'vitest';
import { col, deepFreeze, makeFramework, makeTable } from './engine.factory.ts';
import { EngineError } from './errors.ts';
import { normalise, normaliseColumn } from './normalise.ts';
import type { NormaliseSpec } from './types.ts';

const x = [2, 4, 6, 10];
const n = (spec: NormaliseSpec, dir: 1 | -1 = 1, v: (number | null)[] = x, target: number | null = null) => normaliseColumn(v, dir, spec, 'x', target).y;
const close = (got: (number | null)[], want: number[]) => got.forEach((g, i) => expect(g as number).toBeCloseTo(want[i], 12));
const errCode = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e.code;
    throw e;
  }
  return 'no error';
};

describe('normaliseColumn', () => {
  it('minmax: (x − min)/(max − min), reversed for direction −1, mapped onto [a, b]', () => {
    expect(n({ method: 'minmax' })).toEqual([0, 0.25, 0.5, 1]);
    expect(n({ method: 'minmax' }, -1)).toEqual([1, 0.75, 0.5, 0]);
    expect(n({ method: 'minmax', range: [0, 100] })).toEqual([0, 25, 50, 100]);
    expect(n({ method: 'minmax', range: [1, 100] })).toEqual([1, 25.75, 50.5, 100]);
    expect(n({ method: 'minmax' }, 1, [2, null, 10])).toEqual([0, null, 1]);
  });

  it('zscore: sample sd (n − 1), direction applied, optional target mean and sd', () => {
    const sd = Math.sqrt(35 / 3); // deviations −3.5, −1.5, 0.5, 4.5 from the mean 5.5
    close(n({ method: 'zscore' }), x.map((v) => (v - 5.5) / sd));
    close(n({ method: 'zscore' }, -1), x.map((v) => -(v - 5.5) / sd));
    close(n({ method: 'zscore', mean: 100, sd: 10 }), x.map((v) => ((v - 5.5) / sd) * 10 + 100));
  });

  it('rank (ties share the minimum rank, best = n) and percentile rank (rank − 1)/(n − 1)', () => {
    expect(n({ method: 'rank' })).toEqual([1, 2, 3, 4]);
    expect(n({ method: 'rank' }, -1)).toEqual([4, 3, 2, 1]);
    expect(n({ method: 'rank' }, 1, [5, 5, 7, null])).toEqual([1, 1, 3, null]);
    close(n({ method: 'prank' }), [0, 1 / 3, 2 / 3, 1]);
  });

  it('goalposts: fraction of the way from the lower to the upper goalpost, truncated, scaled', () => {
    const gp: NormaliseSpec = { method: 'goalposts', goalposts: { x: [0, 8] } };
    expect(n(gp)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(n(gp, -1)).toEqual([0.75, 0.5, 0.25, 0]);
    expect(n({ ...gp, truncate: false })).toEqual([0.25, 0.5, 0.75, 1.25]);
    expect(n({ ...gp, scale: 100 })).toEqual([25, 50, 75, 100]);
  });

  it('target: (x − min)/(target − min), or (max − x)/(max − target) for direction −1', () => {
    close(n({ method: 'target' }, 1, x, 8), [0, 1 / 3, 2 / 3, 4 / 3]);
    close(n({ method: 'target', cap: true }, 1, x, 8), [0, 1 / 3, 2 / 3, 1]);
    close(n({ method: 'target' }, -1, x, 3), [8 / 7, 6 / 7, 4 / 7, 0]);
  });

  it('best: x / max, or min / x for direction −1 (distance to the leader)', () => {
    close(n({ method: 'best' }), [0.2, 0.4, 0.6, 1]);
    close(n({ method: 'best' }, -1), [1, 0.5, 1 / 3, 0.2]);
  });

  it('refuses what a method cannot compute, never returning NaN', () => {
    expect(errCode(() => n({ method: 'minmax' }, 1, [3, 3, 3]))).toBe('ZERO_VARIANCE');
    expect(errCode(() => n({ method: 'zscore' }, 1, [3, 3, 3]))).toBe('ZERO_VARIANCE');
    expect(errCode(() => n({ method: 'prank' }, 1, [3, null]))).toBe('ZERO_VARIANCE');
    expect(errCode(() => n({ method: 'goalposts', goalposts: {} }))).toBe('GOALPOSTS_MISSING');
    expect(errCode(() => n({ method: 'goalposts', goalposts: { x: [1, 1] } }))).toBe('GOALPOSTS_INVALID');
    expect(errCode(() => n({ method: 'target' }))).toBe('TARGET_MISSING');
    expect(errCode(() => n({ method: 'target' }, 1, x, 2))).toBe('TARGET_DEGENERATE');
    expect(errCode(() => n({ method: 'best' }, -1, [0, 1, 2]))).toBe('NORMALISE_NON_POSITIVE');
    expect(errCode(() => n({ method: 'best' }, 1, [-1, 1, 2]))).toBe('NORMALISE_NON_POSITIVE');
  });
});

describe('normalise (table)', () => {
  it('uses each indicator’s direction and target from the framework and records its constants', () => {
    const fw = makeFramework({ D: ['a', 'b'] }, { directions: { b: -1 }, targets: { a: 8 } });
    const t = deepFreeze(makeTable(['a', 'b'], x.map((v) => [v, v])));
    const r = normalise(t, fw, { method: 'minmax' });
    expect(col(r.data, 'a')).toEqual([0, 0.25, 0.5, 1]);
    expect(col(r.data, 'b')).toEqual([1, 0.75, 0.5, 0]);
    expect(r.diagnostics.params.b).toEqual({ min: 2, max: 10, lower: 0, upper: 1 });
    const ta = makeTable(['a'], x.map((v) => [v]));
    expect(col(normalise(ta, makeFramework({ D: ['a'] }, { targets: { a: 8 } }), { method: 'target' }).data, 'a')[3]).toBeCloseTo(4 / 3, 12);
  });
});
