/** Monte-Carlo uncertainty and sensitivity: reproducibility, mergeability, workers, estimators. */
import { describe, expect, it } from 'vitest';
import { flatFramework, makeFramework, makeTable } from './engine.factory.ts';
import { EngineError } from './errors.ts';
import { rowSeed, splitmix32, xoshiro128ss, xoshiro128ssFromState } from './prng.ts';
import { prepareComposite, runComposite, runCompositeSync } from './run.ts';
import type { Methods } from './types.ts';
import { runMonteCarlo } from './uncertainty.runner.ts';
import { BLOCK_ROWS, emptyAccumulator, leaveOneOut, mergeAccumulators, runMonteCarloInProcess, runReplications, summarise } from './uncertainty.ts';

describe('PRNG', () => {
  it('xoshiro128** matches the reference algorithm (Blackman & Vigna) from state {1, 2, 3, 4}', () => {
    // By hand from the reference C code: out = rotl(s1·5, 7)·9.
    // 1st: s1 = 2 → rotl(10, 7)·9 = 1280·9 = 11520; state → {7, 0, 1026, 12288}.
    // 2nd: s1 = 0 → 0; state → {12295, 1029, 1029, 25165824}.
    // 3rd: s1 = 1029 → rotl(5145, 7)·9 = 658560·9 = 5927040.
    const g = xoshiro128ssFromState([1, 2, 3, 4]);
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([11520, 0, 5927040]);
  });

  it('is reproducible from a seed, differs across seeds and rows, and stays in [0, 1)', () => {
    const a = xoshiro128ss(42);
    const b = xoshiro128ss(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xoshiro128ss(43).next()).not.toBe(xs[0]);
    expect(rowSeed(1, 0)).not.toBe(rowSeed(1, 1));
    expect(rowSeed(1, 5)).toBe(rowSeed(1, 5));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    expect(splitmix32(0)()).toBe(splitmix32(0)());
  });
});

const fw = makeFramework({ D1: ['a', 'b', 'c'], D2: ['d', 'e'] }, { directions: { c: -1 } });
const rows = [
  [1, 9, 3, 4, 5],
  [2, 8, 2, 5, 4],
  [3, 7, 5, 1, 9],
  [4, 1, 1, 8, 2],
  [5, 5, 4, 3, 3],
  [6, 2, 6, 2, 8],
  [7, 3, 2, 9, 1],
  [8, 6, 7, 6, 6],
];
const data = makeTable(fw.indicators, rows);
const mcMethods = (extra: Partial<NonNullable<Methods['uncertainty']>> = {}): Methods => ({
  normalise: { method: 'minmax', range: [1, 100] },
  uncertainty: {
    replications: 300,
    weightPerturbation: 0.3,
    normalisations: [{ method: 'minmax', range: [1, 100] }, { method: 'rank' }],
    aggregations: [{ method: 'arithmetic' }, { method: 'geometric' }],
    ...extra,
  },
});

describe('runReplications and accumulators', () => {
  const model = prepareComposite(fw, data, mcMethods(), { seed: 7 }).mc!.model;

  it('accumulators merge by addition: one range equals the sum of its pieces', () => {
    const whole = runReplications(model, 7, 0, 40);
    const parts = mergeAccumulators(runReplications(model, 7, 0, 13), runReplications(model, 7, 13, 40));
    expect(Array.from(parts.hist)).toEqual(Array.from(whole.hist));
    expect(Array.from(parts.rankSum)).toEqual(Array.from(whole.rankSum));
    expect(parts.rows).toBe(40);
    Array.from(parts.first).forEach((v, i) => expect(v).toBeCloseTo(whole.first[i], 9));
    Array.from(parts.unitTotal).forEach((v, i) => expect(v).toBeCloseTo(whole.unitTotal[i], 9));
  });

  it('keeps memory flat in N: accumulator sizes depend on units and factors only', () => {
    const small = runReplications(model, 7, 0, 2);
    const large = runReplications(model, 7, 0, 200);
    for (const k of ['hist', 'rankSum', 'y', 'first', 'total', 'unit', 'unitFirst', 'unitTotal'] as const) expect(large[k].length).toBe(small[k].length);
    expect(large.hist.length).toBe(model.n * model.n);
    expect(large.samples).toBe(400);
  });

  it('reproduces exactly with the same seed and changes with another', () => {
    const a = summarise(model, runMonteCarloInProcess(model, 7, 150), 7);
    const b = summarise(model, runMonteCarloInProcess(model, 7, 150), 7);
    expect(b).toEqual(a);
    const c = summarise(model, runMonteCarloInProcess(model, 8, 150), 8);
    expect(c.units).not.toEqual(a.units);
  });

  it('gives the same result on worker threads as in process (small N, two workers)', async () => {
    const N = 3 * BLOCK_ROWS + 5;
    const inProcess = runMonteCarloInProcess(model, 11, N);
    const progress: number[] = [];
    const threaded = await runMonteCarlo(model, 11, N, { workers: 2, onProgress: (d) => progress.push(d) });
    expect(summarise(model, threaded, 11)).toEqual(summarise(model, inProcess, 11));
    expect(Array.from(threaded.hist)).toEqual(Array.from(inProcess.hist));
    expect(progress.at(-1)).toBe(N);
  }, 30_000);

  it('runComposite with workers equals runCompositeSync', async () => {
    const m = mcMethods({ replications: 2 * BLOCK_ROWS + 1, workers: 2 });
    const a = await runComposite(fw, data, m, { seed: 3 });
    const b = runCompositeSync(fw, data, m, { seed: 3 });
    expect(a).toEqual(b);
    expect(a.units.every((u) => u.rank_interval !== null && u.rank_interval[0] <= u.median_rank! && u.median_rank! <= u.rank_interval[1])).toBe(true);
  }, 30_000);
});

describe('sensitivity indices (Saltelli 2010 first order, Jansen total)', () => {
  it('a factor without effect gets exactly 0; a lone effective factor gets about 1', () => {
    // No missing values: mean and median imputation give identical data, so f(A_B) = f(A) for
    // that factor and both sums vanish exactly. Weights are then the only source of variance.
    const r = runCompositeSync(
      fw,
      data,
      {
        uncertainty: { replications: 1500, weightPerturbation: 0.5, imputations: [{ method: 'mean' }, { method: 'median' }], leaveOneOut: false },
      },
      { seed: 5 },
    );
    const s = r.diagnostics.uncertainty!.sensitivity!;
    const imp = s.find((x) => x.factor === 'imputation')!;
    const w = s.find((x) => x.factor === 'weights')!;
    expect(imp.first).toBe(0);
    expect(imp.total).toBe(0);
    expect(w.first!).toBeGreaterThan(0.85);
    expect(w.first!).toBeLessThan(1.15);
    expect(w.total!).toBeGreaterThan(0.85);
    expect(w.total!).toBeLessThan(1.15);
  });

  it('a unit that is best on every indicator keeps rank 1 in every replication', () => {
    const dom = makeTable(fw.indicators, [...rows, [9, 10, 0, 10, 10]], { units: [...rows.map((_, i) => `U${i + 1}`), 'TOP'] });
    const r = runCompositeSync(fw, dom, mcMethods({ replications: 200 }), { seed: 1 });
    const top = r.units.find((u) => u.unit === 'TOP')!;
    expect(top.rank).toBe(1);
    expect(top.rank_interval).toEqual([1, 1]);
    expect(top.median_rank).toBe(1);
    const us = r.diagnostics.uncertainty!.unit_sensitivity!.TOP;
    expect(us.every((x) => x.first === null && x.total === null)).toBe(true);
  });
});

describe('leave-one-indicator-out', () => {
  it('re-aggregates without each indicator and reports rank shifts (hand-checked)', () => {
    // Flat arithmetic mean of a and b; b alone reverses the order of U1 and U2.
    const f = flatFramework(['a', 'b', 'c']);
    const t = makeTable(['a', 'b', 'c'], [[10, 0, 5], [0, 6, 5], [5, 5, 0]]);
    const p = prepareComposite(f, t, { uncertainty: { replications: 1, weightPerturbation: 0.1 } });
    const loo = leaveOneOut(p.mc!.nominal);
    // Nominal (min–max): U1 = (1 + 0 + 1)/3, U2 = (0 + 1 + 1)/3, U3 = (0.5 + 5/6 + 0)/3 → U1 = U2 = 1, U3 = 3.
    expect(p.result.units.map((u) => [u.unit, u.rank])).toEqual([['U1', 1], ['U2', 1], ['U3', 3]]);
    const withoutB = loo.find((l) => l.indicator === 'b')!;
    // Without b: U1 = 1, U2 = 0.5, U3 = 0.25 → ranks 1, 2, 3: U2 loses one place.
    expect(withoutB.shifts).toEqual({ U1: 0, U2: 1, U3: 0 });
    expect(withoutB.max_abs_shift).toBe(1);
    expect(withoutB.mean_abs_shift).toBeCloseTo(1 / 3, 15);
  });
});

describe('refusals', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof EngineError) return e.code;
      throw e;
    }
    return 'no error';
  };
  it('refuses an analysis where nothing varies, and choices that cannot be computed together', () => {
    expect(code(() => prepareComposite(fw, data, { uncertainty: { replications: 10 } }))).toBe('MC_NOTHING_VARIES');
    // min–max onto [0, 1] produces zeros, which a geometric mean refuses.
    expect(code(() => prepareComposite(fw, data, { uncertainty: { replications: 10, aggregations: [{ method: 'arithmetic' }, { method: 'geometric' }] } }))).toBe('MC_INCOMPATIBLE_CHOICE');
    expect(code(() => prepareComposite(fw, data, { uncertainty: { replications: 0, weightPerturbation: 0.1 } }))).toBe('INVALID_REPLICATIONS');
    expect(code(() => prepareComposite(fw, data, { uncertainty: { replications: 5, weightPerturbation: 1.5 } }))).toBe('INVALID_PERTURBATION');
  });

  it('an empty accumulator has the shape of the model', () => {
    const acc = emptyAccumulator(3, 2);
    expect(acc.hist.length).toBe(9);
    expect(acc.first.length).toBe(2);
  });
});
