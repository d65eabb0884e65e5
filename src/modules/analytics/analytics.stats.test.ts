import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concentration, gini, hhi, quantile, seriesStats, tiersByQuantiles, tiersByThresholds, type UnitValue } from './analytics.stats.ts';

const units = (values: Record<string, number>): UnitValue[] => Object.entries(values).map(([unit, value]) => ({ unit, value }));
const names = (t: { members: UnitValue[] }) => t.members.map((m) => m.unit);

describe('tiersByThresholds', () => {
  it('puts each unit in the highest tier whose lower bound it reaches (bounds: min inclusive, max exclusive)', () => {
    const tiers = tiersByThresholds(units({ a: 2500, b: 2000, c: 1999.5, d: 1000, e: 0 }), [1000, 2000]);
    expect(tiers.map(({ tier, min, max }) => ({ tier, min, max }))).toEqual([
      { tier: 1, min: 2000, max: null },
      { tier: 2, min: 1000, max: 2000 },
      { tier: 3, min: null, max: 1000 },
    ]);
    expect(tiers.map(names)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('keeps empty tiers and orders members by value, then name', () => {
    const tiers = tiersByThresholds(units({ y: 5, x: 5, z: 7 }), [100]);
    expect(tiers.map(names)).toEqual([[], ['z', 'x', 'y']]);
    expect(tiersByThresholds([], [10, 20]).map(names)).toEqual([[], [], []]);
  });
});

describe('quantile and tiersByQuantiles', () => {
  it('interpolates linearly (type 7)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([10], 0.3)).toBe(10);
    expect(quantile([1, 2, 3], 1)).toBe(3);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });

  it('cuts 1…9 into three tiers of three at the 2/3 and 1/3 quantiles', () => {
    const tiers = tiersByQuantiles(units(Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => [`u${v}`, v]))), 3);
    expect(tiers.map((t) => [t.min, t.max])).toEqual([
      [6.3333, null],
      [3.6667, 6.3333],
      [null, 3.6667],
    ]);
    expect(tiers.map(names)).toEqual([['u9', 'u8', 'u7'], ['u6', 'u5', 'u4'], ['u3', 'u2', 'u1']]);
  });

  it('never splits ties: a value on a cut point goes up', () => {
    const tiers = tiersByQuantiles(units({ a: 5, b: 5, c: 5, d: 5 }), 2);
    expect(tiers.map(names)).toEqual([['a', 'b', 'c', 'd'], []]);
  });

  it('gives no tiers for no units and refuses k < 2', () => {
    expect(tiersByQuantiles([], 3)).toEqual([]);
    expect(() => tiersByQuantiles(units({ a: 1 }), 1)).toThrow(RangeError);
  });
});

describe('concentration', () => {
  it('hand-checked: 1, 2, 3, 4', () => {
    // shares .1 .2 .3 .4; HHI .01+.04+.09+.16 = .3; Σ|xi−xj| over ordered pairs = 20, 2n²μ = 80.
    const c = concentration(units({ a: 1, b: 2, c: 3, d: 4 }), 2);
    expect(c).toMatchObject({ n: 4, top: 2, topShare: 0.7, hhi: 0.3, gini: 0.25 });
    expect(c.members.map((m) => [m.unit, m.rank, m.share, m.cumulative])).toEqual([
      ['d', 1, 0.4, 0.4],
      ['c', 2, 0.3, 0.7],
      ['b', 3, 0.2, 0.9],
      ['a', 4, 0.1, 1],
    ]);
  });

  it('one unit: everything in it', () => {
    expect(concentration(units({ a: 7 }), 10)).toMatchObject({ n: 1, top: 10, topShare: 1, hhi: 1, gini: 0 });
  });

  it('all equal: top-N share N/n, HHI 1/n, Gini 0', () => {
    expect(concentration(units({ a: 3, b: 3, c: 3, d: 3 }), 2)).toMatchObject({ n: 4, topShare: 0.5, hhi: 0.25, gini: 0 });
  });

  it('zeros count as units: one of four holding all gives HHI 1 and Gini (n−1)/n', () => {
    expect(concentration(units({ a: 10, b: 0, c: 0, d: 0 }), 1)).toMatchObject({ n: 4, topShare: 1, hhi: 1, gini: 0.75 });
  });

  it('all zero or no units: shares undefined (null)', () => {
    const z = concentration(units({ a: 0, b: 0 }), 1);
    expect(z).toMatchObject({ n: 2, topShare: null, hhi: null, gini: null });
    expect(z.members.every((m) => m.share === null && m.cumulative === null)).toBe(true);
    expect(concentration([], 3)).toEqual({ n: 0, top: 3, topShare: null, hhi: null, gini: null, members: [] });
    expect(hhi([])).toBeNull();
    expect(gini([])).toBeNull();
  });

  it('refuses a top N that is not a positive integer', () => {
    expect(() => concentration(units({ a: 1 }), 0)).toThrow(RangeError);
  });

  const amounts = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 });

  it('property: 1/n ≤ HHI ≤ 1 and 0 ≤ Gini ≤ (n−1)/n when the total is positive', () => {
    fc.assert(
      fc.property(amounts, (xs) => {
        fc.pre(xs.some((x) => x > 0));
        const n = xs.length;
        const h = hhi(xs)!;
        const g = gini(xs)!;
        expect(h).toBeGreaterThanOrEqual(1 / n - 1e-12);
        expect(h).toBeLessThanOrEqual(1 + 1e-12);
        expect(g).toBeGreaterThanOrEqual(0);
        expect(g).toBeLessThanOrEqual((n - 1) / n + 1e-12);
      }),
    );
  });

  it('property: the Gini equals the mean-absolute-difference definition', () => {
    fc.assert(
      fc.property(amounts, (xs) => {
        fc.pre(xs.some((x) => x > 0));
        const n = xs.length;
        const mu = xs.reduce((s, x) => s + x, 0) / n;
        let d = 0;
        for (const a of xs) for (const b of xs) d += Math.abs(a - b);
        expect(gini(xs)!).toBeCloseTo(d / (2 * n * n * mu), 9);
      }),
    );
  });

  it('property: top-N share grows with N, reaches 1 at N = n, and ignores the order of units', () => {
    fc.assert(
      fc.property(amounts, (xs) => {
        fc.pre(xs.some((x) => x > 0));
        const us = xs.map((value, i) => ({ unit: `u${i}`, value }));
        let last = 0;
        for (let top = 1; top <= xs.length; top++) {
          const share = concentration(us, top).topShare!;
          expect(share).toBeGreaterThanOrEqual(last);
          last = share;
        }
        expect(last).toBe(1);
        const reversed = concentration([...us].reverse(), 3);
        expect(reversed).toEqual(concentration(us, 3));
      }),
    );
  });
});

describe('tiers property', () => {
  it('every unit lands in exactly one tier and within its bounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 30 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 2, max: 6 }),
        (xs, thresholds, k) => {
          const us = xs.map((value, i) => ({ unit: `u${i}`, value }));
          for (const tiers of [tiersByThresholds(us, thresholds), tiersByQuantiles(us, k)]) {
            const placed = tiers.flatMap((t) => t.members.map((m) => m.unit)).sort();
            expect(placed).toEqual(us.map((u) => u.unit).sort());
            for (const t of tiers) {
              for (const m of t.members) {
                if (t.min !== null) expect(m.value).toBeGreaterThanOrEqual(t.min);
                if (t.max !== null) expect(m.value).toBeLessThan(t.max);
              }
            }
          }
        },
      ),
    );
  });
});

describe('seriesStats', () => {
  it("the paper's yearly totals 5636, 2406, 3946, 1188: down, up, down", () => {
    const s = seriesStats([2011, 2012, 2013, 2014], [5636, 2406, 3946, 1188]);
    expect(s.moves).toEqual(['down', 'up', 'down']);
    expect(s.pattern).toBe('↓↑↓');
    expect(s).toMatchObject({ reversals: 2, shape: 'fluctuating', total: 13176, mean: 3294 });
    expect(s.yoy).toEqual([
      { year: 2012, change: -3230, rate: -0.573101 },
      { year: 2013, change: 1540, rate: 0.640067 },
      { year: 2014, change: -2758, rate: -0.698936 },
    ]);
    // (1188 / 5636)^(1/3) − 1; σ = √(Σ(v − 3294)² / 4) = √2783462 ≈ 1668.37, / 3294.
    expect(s.cagr).toBeCloseTo(-0.404865, 6);
    expect(s.cv).toBeCloseTo(0.506488, 6);
  });

  it('rising, falling and flat; flat steps do not reverse a direction', () => {
    expect(seriesStats([1, 2, 3, 4], [1, 2, 2, 3])).toMatchObject({ moves: ['up', 'flat', 'up'], reversals: 0, shape: 'rising', pattern: '↑→↑' });
    expect(seriesStats([1, 2, 3], [9, 4, 1])).toMatchObject({ shape: 'falling', reversals: 0 });
    expect(seriesStats([1, 2], [3, 3])).toMatchObject({ moves: ['flat'], shape: 'flat', cagr: 0, cv: 0 });
  });

  it('edge cases: one year, a zero start, a zero end, all zero, no years', () => {
    expect(seriesStats([2020], [5])).toMatchObject({ moves: [], yoy: [], cagr: null, cv: 0, shape: 'flat' });
    const fromZero = seriesStats([2011, 2012, 2013], [0, 10, 20]);
    expect(fromZero.cagr).toBeNull();
    expect(fromZero.yoy[0]).toEqual({ year: 2012, change: 10, rate: null });
    expect(seriesStats([2011, 2013], [100, 0]).cagr).toBe(-1);
    expect(seriesStats([2011, 2012], [0, 0])).toMatchObject({ cv: null, cagr: null, shape: 'flat' });
    expect(seriesStats([], [])).toMatchObject({ values: [], total: 0, mean: 0, cv: null, cagr: null, moves: [] });
  });

  it('CAGR spans the years between first and last: 100 → 121 over two years is 10 %', () => {
    expect(seriesStats([2020, 2021, 2022], [100, 50, 121]).cagr).toBeCloseTo(0.1, 9);
  });
});
