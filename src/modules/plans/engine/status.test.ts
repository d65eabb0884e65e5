import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../errors.ts';
import {
  STATUS_RANK,
  classify,
  computeTargetStatus,
  resolveProgressConfig,
  type Observation,
  type ProgressConfig,
  type TargetSpec,
} from './status.ts';

/** Target rising from `b` in 2023 to `T` in 2027 (year labels = year-ends, 4 years apart). */
const up = (b: number, T: number | null): TargetSpec => ({
  direction: 'increase',
  baseline: { at: 2023, value: b },
  target: T === null ? null : { at: 2027, value: T },
});
const down = (b: number, T: number | null): TargetSpec => ({ ...up(b, T), direction: 'decrease' });
const at2025 = (value: number): Observation[] => [{ at: 2025, value }];
const status = (spec: TargetSpec, obs: Observation[], config?: Partial<ProgressConfig>, as_of?: string) =>
  computeTargetStatus(spec, obs, { config, as_of });

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isAppError(e) ? e.code : 'NOT_APP_ERROR';
  }
  return undefined;
};

describe('computeTargetStatus — the worked example of the brief', () => {
  it('baseline 40 (2023), latest 55 (2025), target 100 (2027) → acceleration_needed', () => {
    // observed CAGR = (55/40)^(1/2) − 1 = 1.375^0.5 − 1 = 0.172604
    // required CAGR = (100/40)^(1/4) − 1 = 2.5^0.25 − 1 = 0.257433
    // R = 0.172604 / 0.257433 = 0.670480 → 60 % ≤ R < 95 %
    const r = status(up(40, 100), at2025(55));
    expect(r.status).toBe('acceleration_needed');
    expect(r.observed_rate).toBeCloseTo(0.172604, 6);
    expect(r.required_rate).toBeCloseTo(0.257433, 6);
    expect(r.ratio).toBeCloseTo(0.67048, 5);
    expect(r.method).toBe('cagr_ratio');
    expect(r.years_observed).toBe(2);
    expect(r.years_to_target).toBe(4);
    // The explanation carries the figures an evaluator needs to redo it.
    for (const s of ['(55/40)^(1/2) − 1 = 17.26%', '(100/40)^(1/4) − 1 = 25.74%', '67.05%', '取得进展但需加快'])
      expect(r.explanation_zh).toContain(s);
    for (const s of ['17.26%/yr', '25.74%/yr', 'R = d × observed ÷ |required| = +1 × 17.26% ÷ 25.74% = 67.05%', 'acceleration needed'])
      expect(r.explanation_en).toContain(s);
  });
});

describe('computeTargetStatus — status boundaries, increase (正向)', () => {
  // Baseline 10 in 2023, target 160 in 2027: required CAGR = (160/10)^(1/4) − 1 = 2 − 1 = 100 %/yr,
  // so R equals the observed CAGR over 2023→2025, (v/10)^(1/2) − 1.
  const spec = up(10, 160);

  it('R exactly 95 % is on_track', () => {
    // v = 10 × 1.95² = 38.025 → (3.8025)^(1/2) − 1 = 0.95 → R = 0.95 / 1 = 0.95
    const r = status(spec, at2025(38.025));
    expect(r.ratio).toBeCloseTo(0.95, 12);
    expect(r.status).toBe('on_track');
    expect(r.explanation_en).toContain('= 95%, at least 95%');
  });
  it('R just below 95 % needs acceleration', () => {
    // v = 38 → 3.8^(1/2) − 1 = 0.949359 → R = 0.949359
    const r = status(spec, at2025(38));
    expect(r.ratio).toBeCloseTo(0.949359, 6);
    expect(r.status).toBe('acceleration_needed');
  });
  it('R exactly 60 % needs acceleration', () => {
    // v = 10 × 1.6² = 25.6 → 2.56^(1/2) − 1 = 0.6
    const r = status(spec, at2025(25.6));
    expect(r.ratio).toBeCloseTo(0.6, 12);
    expect(r.status).toBe('acceleration_needed');
  });
  it('R just below 60 % is limited', () => {
    // v = 25.5 → 2.55^(1/2) − 1 = 0.596872
    const r = status(spec, at2025(25.5));
    expect(r.ratio).toBeCloseTo(0.596872, 6);
    expect(r.status).toBe('limited');
  });
  it('R exactly 0 (no change) is limited', () => {
    // v = 10 → 1^(1/2) − 1 = 0
    const r = status(spec, at2025(10));
    expect(r.ratio).toBe(0);
    expect(r.status).toBe('limited');
  });
  it('R below 0 is deterioration', () => {
    // v = 9 → 0.9^(1/2) − 1 = −0.051317
    const r = status(spec, at2025(9));
    expect(r.ratio).toBeCloseTo(-0.051317, 6);
    expect(r.status).toBe('deterioration');
  });
  it('latest at or above the target is achieved, whatever the rate', () => {
    for (const v of [160, 200]) {
      const r = status(spec, at2025(v));
      expect(r.status).toBe('achieved');
      expect(r.ratio).toBeNull();
      expect(r.explanation_zh).toContain('目标已实现');
    }
  });
  it('no value after the baseline is no_data', () => {
    const r = status(spec, []);
    expect(r.status).toBe('no_data');
    expect(r.reason).toBe('NO_VALUE_AFTER_BASELINE');
    expect(r.ratio).toBeNull();
  });
  it('no baseline is no_data', () => {
    const r = status({ ...spec, baseline: null }, at2025(38));
    expect(r.status).toBe('no_data');
    expect(r.reason).toBe('NO_BASELINE');
    expect(r.latest).toEqual({ at: 2025, value: 38 });
  });
});

describe('computeTargetStatus — status boundaries, decrease (负向)', () => {
  // Baseline 160 in 2023, target 10 in 2027: required CAGR = (10/160)^(1/4) − 1 = 0.5 − 1 = −50 %/yr;
  // d = −1, so R = −(observed CAGR) / 0.5 with observed = (v/160)^(1/2) − 1.
  const spec = down(160, 10);

  it('R exactly 95 % is on_track', () => {
    // v = 160 × 0.525² = 44.1 → observed = 0.525 − 1 = −0.475 → R = 0.475 / 0.5 = 0.95
    const r = status(spec, at2025(44.1));
    expect(r.required_rate).toBeCloseTo(-0.5, 12);
    expect(r.ratio).toBeCloseTo(0.95, 12);
    expect(r.status).toBe('on_track');
    expect(r.explanation_zh).toContain('负向指标');
    expect(r.explanation_zh).toContain('-1 × -47.5% ÷ 50% = 95%');
  });
  it('R just below 95 % needs acceleration', () => {
    // v = 44.2 → (0.27625)^(1/2) − 1 = −0.474405 → R = 0.948810
    const r = status(spec, at2025(44.2));
    expect(r.ratio).toBeCloseTo(0.94881, 5);
    expect(r.status).toBe('acceleration_needed');
  });
  it('R exactly 60 % needs acceleration', () => {
    // v = 160 × 0.7² = 78.4 → observed −0.3 → R = 0.3 / 0.5 = 0.6
    const r = status(spec, at2025(78.4));
    expect(r.ratio).toBeCloseTo(0.6, 12);
    expect(r.status).toBe('acceleration_needed');
  });
  it('R just below 60 % is limited', () => {
    // v = 78.5 → (0.490625)^(1/2) − 1 = −0.299554 → R = 0.599107
    const r = status(spec, at2025(78.5));
    expect(r.ratio).toBeCloseTo(0.599107, 5);
    expect(r.status).toBe('limited');
  });
  it('R exactly 0 is limited', () => {
    const r = status(spec, at2025(160));
    expect(r.ratio).toBeCloseTo(0, 12);
    expect(r.status).toBe('limited');
  });
  it('a rise is deterioration', () => {
    // v = 170 → (1.0625)^(1/2) − 1 = 0.030776 → R = −0.030776 / 0.5 = −0.061553
    const r = status(spec, at2025(170));
    expect(r.ratio).toBeCloseTo(-0.061553, 5);
    expect(r.status).toBe('deterioration');
  });
  it('latest at or below the target is achieved', () => {
    expect(status(spec, at2025(10)).status).toBe('achieved');
    expect(status(spec, at2025(8)).status).toBe('achieved');
    expect(status(spec, at2025(10)).explanation_zh).toContain('≤ 目标值 10');
  });
  it('no data', () => {
    expect(status(spec, []).status).toBe('no_data');
  });
});

describe('computeTargetStatus — linear_ratio method', () => {
  // Baseline 40 (2023), target 100 (2027): required change (100 − 40)/4 = 15 units/yr.
  const spec = up(40, 100);
  const cfg = { method: 'linear_ratio' as const };
  it('R = 95 % exactly: (68.5 − 40)/2 = 14.25/yr, 14.25/15 = 0.95', () => {
    const r = status(spec, at2025(68.5), cfg);
    expect(r.method).toBe('linear_ratio');
    expect(r.rate_unit).toBe('units_per_year');
    expect(r.observed_rate).toBe(14.25);
    expect(r.required_rate).toBe(15);
    expect(r.ratio).toBeCloseTo(0.95, 12);
    expect(r.status).toBe('on_track');
  });
  it('the worked example under linear rates: (55 − 40)/2 = 7.5/yr, 7.5/15 = 50 % → limited', () => {
    const r = status(spec, at2025(55), cfg);
    expect(r.ratio).toBe(0.5);
    expect(r.status).toBe('limited');
  });
  it('decrease: baseline 100, target 60; (90 − 100)/2 = −5/yr vs (60 − 100)/4 = −10/yr → R = 0.5', () => {
    const r = status(down(100, 60), at2025(90), cfg);
    expect(r.ratio).toBe(0.5);
    expect(r.status).toBe('limited');
  });
});

describe('computeTargetStatus — without a quantitative target (growth thresholds 1.5 % / 0.5 % / 0)', () => {
  // Baseline 100 at 2023, latest at 2024: growth = v/100 − 1 over exactly one year.
  const one = (value: number): Observation[] => [{ at: 2024, value }];
  const cases: Array<[number, string]> = [
    [101.5, 'on_track'], // g = 1.5 % exactly → on_track (g ≥ 1.5 %)
    [101.4, 'acceleration_needed'], // 1.4 %
    [100.5, 'acceleration_needed'], // 0.5 % exactly → 0.5 % ≤ g < 1.5 %
    [100.4, 'limited'], // 0.4 %
    [100, 'limited'], // 0 exactly → 0 ≤ g < 0.5 %
    [99.9, 'deterioration'], // −0.1 %
  ];
  it.each(cases)('increase: latest %d → %s', (value, expected) => {
    const r = status(up(100, null), one(value));
    expect(r.status).toBe(expected);
    expect(r.measure).toBe('growth_without_target');
    expect(r.ratio).toBeNull();
    expect(r.required_rate).toBeNull();
    expect(r.assessed_value).toBeCloseTo(value / 100 - 1, 12);
  });
  // Decrease desired: g = −(v/100 − 1).
  const dec: Array<[number, string]> = [
    [98.5, 'on_track'],
    [98.6, 'acceleration_needed'],
    [99.5, 'acceleration_needed'],
    [99.6, 'limited'],
    [100, 'limited'],
    [100.1, 'deterioration'],
  ];
  it.each(dec)('decrease: latest %d → %s', (value, expected) => {
    const r = status(down(100, null), one(value));
    expect(r.status).toBe(expected);
    expect(r.assessed_value).toBeCloseTo(1 - value / 100, 12);
  });
  it('is never achieved and explains the band', () => {
    const r = status(up(100, null), [{ at: 2025, value: 102 }]);
    // (102/100)^(1/2) − 1 = 0.995 % → acceleration_needed
    expect(r.status).toBe('acceleration_needed');
    expect(r.explanation_zh).toContain('无量化目标');
    expect(r.explanation_en).toContain('in [0.5%, 1.5%)');
  });
  it('a zero baseline gives no growth rate: no_data GROWTH_UNDEFINED', () => {
    const r = status(up(0, null), at2025(5));
    expect(r.status).toBe('no_data');
    expect(r.reason).toBe('GROWTH_UNDEFINED');
  });
  it('a negative baseline falls back to linear growth relative to |baseline|', () => {
    // (−9 − (−10)) / (10 × 2) = 5 %/yr ≥ 1.5 %
    const r = status(up(-10, null), at2025(-9));
    expect(r.method).toBe('linear_ratio');
    expect(r.notes).toContain('CAGR_UNDEFINED_LINEAR_USED');
    expect(r.observed_rate).toBeCloseTo(0.05, 12);
    expect(r.status).toBe('on_track');
  });
});

describe('computeTargetStatus — edge cases', () => {
  it('baseline 0: CAGR undefined, linear rates used and said so', () => {
    // (6 − 0)/1.5 = 4/yr observed; (20 − 0)/4 = 5/yr required; R = 0.8
    const r = status(up(0, 20), [{ at: '2025-06-30', value: 6 }]);
    expect(r.requested_method).toBe('cagr_ratio');
    expect(r.method).toBe('linear_ratio');
    expect(r.notes).toEqual(['CAGR_UNDEFINED_LINEAR_USED']);
    expect(r.years_observed).toBe(1.5);
    expect(r.ratio).toBeCloseTo(0.8, 12);
    expect(r.status).toBe('acceleration_needed');
    expect(r.explanation_zh).toContain('基线值为 0，复合增长率无定义，改用线性年均变化');
    expect(r.explanation_en).toContain('The baseline is 0, so the compound rate is undefined');
  });
  it('negative baseline: linear rates', () => {
    // (−2 − (−10))/2 = 4/yr; (10 − (−10))/4 = 5/yr; R = 0.8
    const r = status(up(-10, 10), at2025(-2));
    expect(r.method).toBe('linear_ratio');
    expect(r.ratio).toBeCloseTo(0.8, 12);
  });
  it('target 0 with decrease desired: linear rates, (10 − 20)/2 = −5/yr vs (0 − 20)/4 = −5/yr → R = 1', () => {
    const r = status(down(20, 0), at2025(10));
    expect(r.method).toBe('linear_ratio');
    expect(r.ratio).toBeCloseTo(1, 12);
    expect(r.status).toBe('on_track');
  });
  it('latest value 0 keeps CAGR (−100 %/yr) and reads as deterioration', () => {
    const r = status(up(10, 20), at2025(0));
    expect(r.method).toBe('cagr_ratio');
    expect(r.observed_rate).toBe(-1);
    expect(r.status).toBe('deterioration');
  });
  it('latest year == baseline year: no value after the baseline', () => {
    const r = status(up(40, 100), [{ at: 2023, value: 45 }, { at: '2023-06-30', value: 42 }]);
    expect(r.status).toBe('no_data');
    expect(r.reason).toBe('NO_VALUE_AFTER_BASELINE');
  });
  it('a baseline that already meets the target still needs a later value', () => {
    const r = status(up(120, 100), []);
    expect(r.status).toBe('no_data');
    expect(r.notes).toContain('BASELINE_MEETS_TARGET');
  });
  it('baseline already past the target, then slipping below it: deterioration (signed R, not Open SDG’s ratio)', () => {
    // observed = (90/120)^(1/2) − 1 = −0.133975; required = (100/120)^(1/4) − 1 = −0.044557
    // R = +1 × −0.133975 / 0.044557 = −3.0068 → deterioration. (cagr_o / cagr_r would be +3.0068, "on track".)
    const r = status(up(120, 100), at2025(90));
    expect(r.ratio).toBeCloseTo(-3.0068, 4);
    expect(r.status).toBe('deterioration');
  });
  it('target equal to baseline: R undefined; missing it is deterioration, meeting it is achieved', () => {
    const miss = status(up(50, 50), at2025(45));
    expect(miss.status).toBe('deterioration');
    expect(miss.ratio).toBeNull();
    expect(miss.required_rate).toBe(0);
    expect(miss.notes).toContain('TARGET_EQUALS_BASELINE');
    expect(miss.explanation_zh).toContain('比值 R 无定义');
    expect(status(up(50, 50), at2025(50)).status).toBe('achieved');
    expect(status(down(50, 50), at2025(55)).status).toBe('deterioration');
  });
  it('target year already past, latest at the deadline: on_track by R is demoted', () => {
    // latest 99 in 2027: observed = (99/40)^(1/4) − 1 = 0.254281, required 0.257433, R = 0.987743 ≥ 95 %,
    // but the deadline has come without the target: acceleration_needed.
    const r = status(up(40, 100), [{ at: 2027, value: 99 }]);
    expect(r.ratio).toBeCloseTo(0.987743, 5);
    expect(r.deadline_passed).toBe(true);
    expect(r.notes).toContain('DEADLINE_PASSED');
    expect(r.status).toBe('acceleration_needed');
    expect(r.explanation_zh).toContain('目标时点（2027年）已过而目标未实现');
  });
  it('target year already past by the as-of date: demoted as well', () => {
    // latest 95 in 2026: observed = (95/40)^(1/3) − 1 = 0.334200, R = 1.298203; as of 2028-03-31 the deadline has passed
    const r = status(up(40, 100), [{ at: 2026, value: 95 }], {}, '2028-03-31');
    expect(r.ratio).toBeCloseTo(1.298203, 5);
    expect(r.status).toBe('acceleration_needed');
    const before = status(up(40, 100), [{ at: 2026, value: 95 }], {}, '2027-06-30');
    expect(before.deadline_passed).toBe(false);
    expect(before.status).toBe('on_track');
  });
  it('deadline passed does not soften a bad status', () => {
    const r = status(up(40, 100), [{ at: 2028, value: 39 }]);
    expect(r.deadline_passed).toBe(true);
    expect(r.status).toBe('deterioration');
  });
  it('values already past the target: achieved, even past the deadline', () => {
    expect(status(up(40, 100), [{ at: 2028, value: 130 }]).status).toBe('achieved');
  });
  it('a target that was met and then slipped back is judged on the latest value', () => {
    const r = status(up(40, 100), [
      { at: 2024, value: 101 },
      { at: 2025, value: 55 },
    ]);
    expect(r.status).toBe('acceleration_needed');
  });
  it('target time not after the baseline: no_data TARGET_NOT_AFTER_BASELINE', () => {
    const r = status({ direction: 'increase', baseline: { at: 2023, value: 40 }, target: { at: 2023, value: 100 } }, at2025(55));
    expect(r.status).toBe('no_data');
    expect(r.reason).toBe('TARGET_NOT_AFTER_BASELINE');
  });
  it('no baseline but a value meeting the target: achieved', () => {
    const r = status({ ...up(40, 100), baseline: null }, at2025(100));
    expect(r.status).toBe('achieved');
  });
  it('as_of ignores later values and a later baseline', () => {
    const obs = [
      { at: '2024-12-31', value: 50 },
      { at: '2025-06-30', value: 55 },
    ];
    // As of 2024-12-31 only 50 counts: observed (50/40)^1 − 1 = 25 %, R = 0.25/0.257433 = 0.971125 → on_track
    const early = status(up(40, 100), obs, {}, '2024-12-31');
    expect(early.latest).toEqual(obs[0]);
    expect(early.ratio).toBeCloseTo(0.971125, 5);
    expect(early.status).toBe('on_track');
    expect(status(up(40, 100), obs, {}, '2023-06-30').reason).toBe('BASELINE_AFTER_AS_OF');
  });
  it('quarter-end dates are exact fractions of years', () => {
    // 2023 → 2025-06-30 is 1.5 years; (55/40)^(1/1.5) − 1 = 0.236522
    const r = status(up(40, 100), [{ at: '2025-06-30', value: 55 }]);
    expect(r.years_observed).toBe(1.5);
    expect(r.observed_rate).toBeCloseTo(0.236522, 6);
  });
  it('two values at the same time: the later one in input order wins', () => {
    const r = status(up(40, 100), [
      { at: 2025, value: 55 },
      { at: '2025-12-31', value: 60 },
    ]);
    expect(r.latest?.value).toBe(60);
  });
  it('min_years_observed refuses short spans (Open SDG asks for one year)', () => {
    const r = status(up(40, 100), [{ at: '2024-06-30', value: 45 }], { min_years_observed: 1 });
    expect(r.status).toBe('no_data');
    expect(r.reason).toBe('TOO_SHORT');
    expect(status(up(40, 100), [{ at: '2024-06-30', value: 100 }], { min_years_observed: 1 }).status).toBe('achieved');
  });
  it('custom thresholds per plan', () => {
    // R = 0.67048 (worked example) is on track when the plan sets on_track at 65 %
    const r = status(up(40, 100), at2025(55), { ratio_thresholds: { on_track: 0.65, acceleration_needed: 0.4, limited: 0 } });
    expect(r.status).toBe('on_track');
    expect(r.thresholds).toEqual({ on_track: 0.65, acceleration_needed: 0.4, limited: 0 });
  });
  it('the indicator and unit are named in the explanation', () => {
    const r = status({ ...up(40, 100), indicator: '国际联合研发项目', unit: '项' }, at2025(55));
    expect(r.explanation_zh.startsWith('国际联合研发项目：基线 40项（2023年）')).toBe(true);
  });
});

describe('computeTargetStatus — refusals', () => {
  it('rejects non-finite values and malformed dates with coded errors', () => {
    expect(codeOf(() => status(up(40, 100), at2025(Number.NaN)))).toBe('PLAN_VALUE_INVALID');
    expect(codeOf(() => status(up(40, 100), [{ at: '2025-02-30', value: 1 }]))).toBe('PLAN_TIME_INVALID');
    expect(codeOf(() => status(up(40, 100), [{ at: '2025/06/30', value: 1 }]))).toBe('PLAN_TIME_INVALID');
    expect(codeOf(() => status({ ...up(40, 100), direction: 'up' as never }, at2025(55)))).toBe('PLAN_DIRECTION_INVALID');
  });
  it('rejects unordered thresholds and unknown methods', () => {
    expect(codeOf(() => resolveProgressConfig({ ratio_thresholds: { on_track: 0.5, acceleration_needed: 0.6, limited: 0 } }))).toBe(
      'PLAN_PROGRESS_CONFIG_INVALID',
    );
    expect(codeOf(() => resolveProgressConfig({ method: 'median' as never }))).toBe('PLAN_PROGRESS_CONFIG_INVALID');
    expect(codeOf(() => resolveProgressConfig({ min_years_observed: -1 }))).toBe('PLAN_PROGRESS_CONFIG_INVALID');
  });
  it('classify uses inclusive lower bounds', () => {
    const t = { on_track: 0.95, acceleration_needed: 0.6, limited: 0 };
    expect(classify(0.95, t)).toBe('on_track');
    expect(classify(0.9499999999999999, t)).toBe('on_track');
    expect(classify(0.9499, t)).toBe('acceleration_needed');
    expect(classify(0, t)).toBe('limited');
    expect(classify(-1e-6, t)).toBe('deterioration');
  });
});

describe('computeTargetStatus — properties', () => {
  const rank = (spec: TargetSpec, at: number, value: number, method: 'cagr_ratio' | 'linear_ratio') =>
    STATUS_RANK[status(spec, [{ at, value }], { method }).status];
  // Latest time: 1 to 20 quarters after the 2023 baseline (so past the 2027 deadline too).
  const quarterAfter = fc.integer({ min: 1, max: 20 }).map((q) => 2023 + q / 4);
  const value = fc.double({ min: 0.01, max: 10_000, noNaN: true });
  const method = fc.constantFrom('cagr_ratio' as const, 'linear_ratio' as const);

  it('status is monotone in the latest value for an increasing target', () => {
    fc.assert(
      fc.property(value, fc.double({ min: 1.001, max: 50, noNaN: true }), quarterAfter, value, value, method, (b, k, at, v1, v2, m) => {
        const spec = up(b, b * k);
        const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
        return rank(spec, at, lo, m) <= rank(spec, at, hi, m);
      }),
    );
  });

  it('status is antitone in the latest value for a decreasing target', () => {
    fc.assert(
      fc.property(value, fc.double({ min: 0.02, max: 0.999, noNaN: true }), quarterAfter, value, value, method, (b, k, at, v1, v2, m) => {
        const spec = down(b, b * k);
        const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
        return rank(spec, at, lo, m) >= rank(spec, at, hi, m);
      }),
    );
  });

  it('R is negative exactly when the latest value moved against the desired direction', () => {
    fc.assert(
      fc.property(value, fc.double({ min: 1.001, max: 50, noNaN: true }), quarterAfter, value, (b, k, at, v) => {
        const r = status(up(b, b * k), [{ at, value: v }]);
        if (r.status === 'achieved') return v >= b * k;
        if (Math.abs(v / b - 1) < 1e-9) return true; // a change too small for the rate's floating point
        return r.ratio !== null && r.ratio < 0 === v < b;
      }),
    );
  });
});
