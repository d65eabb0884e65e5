import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastAt, forecastTarget, targetSeries } from './forecast.ts';
import { computeTargetStatus, type Observation, type TargetSpec } from './status.ts';

const spec: TargetSpec = {
  direction: 'increase',
  baseline: { at: 2023, value: 40 },
  target: { at: 2027, value: 100 },
};

describe('forecastAt — CAGR extrapolation', () => {
  it('40 (2023) → 55 (2025), extrapolated to 2027: 55 × 1.375 = 75.625', () => {
    // g = (55/40)^(1/2) − 1 = 17.26 %/yr; two more years: 55 × (1 + g)² = 55 × 55/40 = 75.625
    const f = forecastAt(
      [
        { at: 2023, value: 40 },
        { at: 2025, value: 55 },
      ],
      2027,
    );
    expect(f.method).toBe('cagr');
    expect(f.value).toBeCloseTo(75.625, 10);
    expect(f.rate).toBeCloseTo(0.172604, 6);
    expect(f.basis).toEqual([
      { at: 2023, value: 40 },
      { at: 2025, value: 55 },
    ]);
    expect(f.reason).toBeNull();
    expect(f.explanation_zh).toContain('55 × (1 + 17.26%)^2 = 75.625');
  });
  it('uses only the first and the latest point, whatever lies between', () => {
    const f = forecastAt(
      [
        { at: 2025, value: 55 },
        { at: 2023, value: 40 },
        { at: 2024, value: 70 },
      ],
      2027,
    );
    expect(f.basis.map((o) => o.at)).toEqual([2023, 2025]);
    expect(f.value).toBeCloseTo(75.625, 10);
  });
  it('decline: 100 → 81 over two years (−10 %/yr) gives 72.9 one year on', () => {
    const f = forecastAt(
      [
        { at: 2023, value: 100 },
        { at: 2025, value: 81 },
      ],
      2026,
    );
    expect(f.value).toBeCloseTo(72.9, 10);
  });
  it('refuses through zero or below (CAGR undefined)', () => {
    for (const pts of [
      [
        { at: 2023, value: 0 },
        { at: 2025, value: 6 },
      ],
      [
        { at: 2023, value: 5 },
        { at: 2025, value: 0 },
      ],
      [
        { at: 2023, value: -5 },
        { at: 2025, value: 6 },
      ],
    ]) {
      const f = forecastAt(pts, 2027);
      expect(f.value).toBeNull();
      expect(f.reason).toBe('CAGR_UNDEFINED');
      expect(f.explanation_en).toContain('undefined');
    }
  });
  it('refuses with fewer than two points, or no time span', () => {
    expect(forecastAt([], 2027).reason).toBe('TOO_FEW_POINTS');
    expect(forecastAt([{ at: 2025, value: 5 }], 2027).reason).toBe('TOO_FEW_POINTS');
    const same = forecastAt(
      [
        { at: 2025, value: 5 },
        { at: '2025-12-31', value: 6 },
      ],
      2027,
    );
    expect(same.reason).toBe('NO_TIME_SPAN');
    expect(same.value).toBeNull();
  });
  it('ignores points after as_of', () => {
    const f = forecastAt(
      [
        { at: 2023, value: 40 },
        { at: 2025, value: 55 },
        { at: 2026, value: 90 },
      ],
      2027,
      { as_of: '2025-12-31' },
    );
    expect(f.value).toBeCloseTo(75.625, 10);
  });
});

describe('forecastAt — linear least squares', () => {
  it('(2023, 40), (2024, 50), (2025, 55) → slope 7.5/yr, 70.8333 in 2027', () => {
    // t̄ = 2024, ȳ = 145/3 = 48.3333; Sxy = (−1)(−8.3333) + 0 + (1)(6.6667) = 15; Sxx = 2 → b = 7.5
    // F(2027) = 48.3333 + 7.5 × 3 = 70.8333
    const f = forecastAt(
      [
        { at: 2023, value: 40 },
        { at: 2024, value: 50 },
        { at: 2025, value: 55 },
      ],
      2027,
      { method: 'linear' },
    );
    expect(f.method).toBe('linear');
    expect(f.rate).toBeCloseTo(7.5, 12);
    expect(f.value).toBeCloseTo(70.833333, 6);
    expect(f.basis).toHaveLength(3);
  });
  it('works through zero and negative values', () => {
    const f = forecastAt(
      [
        { at: 2023, value: 0 },
        { at: 2025, value: 6 },
      ],
      2027,
      { method: 'linear' },
    );
    expect(f.value).toBeCloseTo(12, 12);
  });
  it('refuses with one point or one time', () => {
    expect(forecastAt([{ at: 2025, value: 1 }], 2027, { method: 'linear' }).reason).toBe('TOO_FEW_POINTS');
    expect(
      forecastAt(
        [
          { at: '2025-06-30', value: 1 },
          { at: '2025-06-30', value: 3 },
        ],
        2027,
        { method: 'linear' },
      ).reason,
    ).toBe('NO_TIME_SPAN');
  });
});

describe('forecastTarget', () => {
  it('forecasts from the baseline to the target year and compares with the target', () => {
    const f = forecastTarget(spec, [{ at: 2025, value: 55 }]);
    expect(f?.value).toBeCloseTo(75.625, 10);
    expect(f?.meets_target).toBe(false);
    expect(f?.explanation_zh).toContain('未达到目标值 100');
  });
  it('ignores values at or before the baseline, as the status does', () => {
    expect(targetSeries(spec, [{ at: 2022, value: 1 }, { at: 2025, value: 55 }])).toEqual([
      { at: 2023, value: 40 },
      { at: 2025, value: 55 },
    ]);
  });
  it('is null without a quantitative target, and refuses with only the baseline', () => {
    expect(forecastTarget({ ...spec, target: null }, [{ at: 2025, value: 55 }])).toBeNull();
    const f = forecastTarget(spec, []);
    expect(f?.value).toBeNull();
    expect(f?.meets_target).toBeNull();
  });
  it('decrease desired: meets when the forecast is at or below the target', () => {
    // 160 → 40 in two years is −50 %/yr; two more years: 40 × 0.25 = 10 ≤ 10
    const f = forecastTarget(
      { direction: 'decrease', baseline: { at: 2023, value: 160 }, target: { at: 2027, value: 10 } },
      [{ at: 2025, value: 40 }],
    );
    expect(f?.value).toBeCloseTo(10, 10);
    expect(f?.meets_target).toBe(true);
  });
});

describe('forecast — properties', () => {
  const positive = fc.double({ min: 0.01, max: 1e6, noNaN: true });
  const series = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 40 }), positive), { minLength: 2, maxLength: 8 })
    .map((xs) => xs.map(([q, value]): Observation => ({ at: 2020 + q / 4, value })))
    .filter((xs) => new Set(xs.map((o) => o.at)).size >= 2);
  const lastOf = (xs: Observation[]) =>
    xs.reduce((best, o) => ((o.at as number) >= (best.at as number) ? o : best), xs[0]);

  it('the CAGR forecast passes through the last observation', () => {
    fc.assert(
      fc.property(series, (xs) => {
        const last = lastOf(xs);
        const f = forecastAt(xs, last.at);
        return f.value !== null && Math.abs(f.value - last.value) <= 1e-9 * Math.max(1, last.value);
      }),
    );
  });

  it('the linear forecast reproduces points that lie on a line', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 0, max: 60 }),
        (a, b, qs, qAt) => {
          const pts = qs.map((q) => ({ at: 2020 + q / 4, value: a + b * (q / 4) }));
          const f = forecastAt(pts, 2020 + qAt / 4, { method: 'linear' });
          const expected = a + b * (qAt / 4);
          return f.value !== null && Math.abs(f.value - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
        },
      ),
    );
  });

  it('for an increasing target the CAGR forecast meets the target exactly when R ≥ 1', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: 1.01, max: 20, noNaN: true }),
        fc.integer({ min: 1, max: 15 }),
        fc.double({ min: 0.1, max: 30, noNaN: true }),
        (b, k, q, m) => {
          const s: TargetSpec = { direction: 'increase', baseline: { at: 2023, value: b }, target: { at: 2027, value: b * k } };
          const obs = [{ at: 2023 + q / 4, value: b * m }];
          const st = computeTargetStatus(s, obs);
          const f = forecastTarget(s, obs);
          if (st.status === 'achieved' || st.ratio === null || f?.value == null) return true;
          if (Math.abs(st.ratio - 1) < 1e-6) return true; // too close to call in floating point
          return (st.ratio >= 1) === (f.value >= b * k);
        },
      ),
    );
  });
});
