/** Hand-checked small cases for the data steps: denominate, impute, screen, treat. */
import { describe, expect, it } from 'vitest';
import { denominate } from './denominate.ts';
import { col, deepFreeze, makeFramework, makeTable } from './engine.factory.ts';
import { EngineError } from './errors.ts';
import { impute } from './impute.ts';
import { screenUnits } from './screen.ts';
import { kurtosis, median, rankAverage, rankMin, skewness, variance } from './stats.ts';
import { checkSkewKurt, logCT, treatOutliers, winsorise } from './treat.ts';

function errCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('stats', () => {
  it('skewness and kurtosis are e1071 type 2 (Excel SKEW / KURT)', () => {
    // x = 1, 2, 3, 10: mean 4, d = −3, −2, −1, 6; Σd² = 50, Σd³ = 180, Σd⁴ = 1394.
    // g1 = 2·180/50^1.5, G1 = g1·√12/2; r = 4·1394/50², G2 = (5(r − 3) + 6)·3/2.
    expect(skewness([1, 2, 3, 10])).toBeCloseTo(((2 * 180) / Math.pow(50, 1.5)) * Math.sqrt(12) / 2, 12);
    expect(skewness([1, 2, 3, 10])).toBeCloseTo(1.7636326, 6);
    expect(kurtosis([1, 2, 3, 10])).toBeCloseTo(3.228, 12);
    expect(Number.isNaN(kurtosis([1, 2, 3]))).toBe(true);
  });

  it('median, variance and ranks follow R', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(variance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 15);
    expect(rankMin([10, 30, 30, null, 5], true)).toEqual([3, 1, 1, null, 4]);
    expect(rankMin([10, 30, 30, 5], false)).toEqual([2, 3, 3, 1]);
    expect(rankAverage([10, 30, 30, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
});

describe('denominate', () => {
  const fw = makeFramework({ D: ['a', 'b'] }, { denominators: { a: 'pop' } });
  it('divides by the denominator and reports zero or missing denominators instead of Infinity', () => {
    const t = deepFreeze(makeTable(['a', 'b'], [[10, 1], [6, 2], [5, 3]], { denominators: { pop: [2, 0, null] } }));
    const r = denominate(t, fw);
    expect(col(r.data, 'a')).toEqual([5, null, null]);
    expect(col(r.data, 'b')).toEqual([1, 2, 3]);
    expect(r.diagnostics.lost.map((l) => l.reason)).toEqual(['denominator_zero', 'denominator_missing']);
    expect(r.warnings[0].code).toBe('DENOMINATOR_MISSING');
  });
  it('refuses a missing denominator column', () => {
    expect(errCode(() => denominate(makeTable(['a', 'b'], [[1, 1]]), fw))).toBe('DENOMINATOR_NOT_IN_DATA');
  });
});

describe('impute', () => {
  it('mean and median per indicator', () => {
    const t = deepFreeze(makeTable(['a', 'b'], [[1, 1], [null, 2], [3, null], [10, 10]]));
    expect(col(impute(t, { method: 'mean' }).data, 'a')).toEqual([1, 14 / 3, 3, 10]);
    expect(col(impute(t, { method: 'median' }).data, 'b')).toEqual([1, 2, 2, 10]);
    const d = impute(t, { method: 'median' }).diagnostics;
    expect(d.missingBefore).toEqual({ a: 1, b: 1 });
    expect(d.missingAfter).toEqual({ a: 0, b: 0 });
    expect(d.imputed).toEqual([
      { unit: 'U2', time: null, indicator: 'a', value: 3 },
      { unit: 'U3', time: null, indicator: 'b', value: 2 },
    ]);
  });

  it('group mean / median (COINr i_mean_grp): units without a group and empty groups stay missing, with warnings', () => {
    const t = makeTable(['a'], [[1], [3], [null], [5], [null], [null], [null]], { groups: { g: ['x', 'x', 'x', 'y', 'y', null, 'z'] } });
    const r = impute(t, { method: 'groupMean', group: 'g' });
    expect(col(r.data, 'a')).toEqual([1, 3, 2, 5, 5, null, null]);
    expect(r.warnings.map((w) => w.code).sort()).toEqual(['GROUP_MISSING', 'IMPUTE_NO_DATA']);
    expect(col(impute(t, { method: 'groupMedian', group: 'g' }).data, 'a')).toEqual([1, 3, 2, 5, 5, null, null]);
    expect(errCode(() => impute(t, { method: 'groupMean', group: 'nope' }))).toBe('GROUP_NOT_IN_DATA');
  });

  it('panel: carry forward and linear interpolation in time, per unit', () => {
    const t = makeTable(
      ['a'],
      [[1], [null], [null], [4], [null], [2], [null]],
      { units: ['X', 'X', 'X', 'X', 'Y', 'Y', 'Y'], times: [2018, 2019, 2020, 2021, 2018, 2019, 2020] },
    );
    expect(col(impute(t, { method: 'panelCarry' }).data, 'a')).toEqual([1, 1, 1, 4, null, 2, 2]);
    expect(col(impute(t, { method: 'panelLinear' }).data, 'a')).toEqual([1, 2, 3, 4, 2, 2, 2]);
    // With a maximum gap of one year, the two-year hole of X is not bridged by the linear method.
    expect(col(impute(t, { method: 'panelLinear', maxGap: 1 }).data, 'a')).toEqual([1, null, null, 4, 2, 2, 2]);
    expect(errCode(() => impute(makeTable(['a'], [[1]]), { method: 'panelCarry' }))).toBe('PANEL_REQUIRED');
  });
});

describe('screenUnits (COINr Screen, byNA)', () => {
  const t = makeTable(['a', 'b', 'c', 'd'], [[1, 2, 3, 4], [1, null, 3, 4], [null, null, 3, 4], [0, 0, 0, 1]]);
  it('keeps units with availability ≥ threshold (availability < threshold fails)', () => {
    const r = screenUnits(t, { threshold: 0.75 });
    expect(r.data.units).toEqual(['U1', 'U2', 'U4']);
    expect(r.diagnostics.removed).toEqual(['U3']);
    expect(r.diagnostics.availability.map((a) => a.available)).toEqual([1, 0.75, 0.5, 1]);
    expect(r.diagnostics.indicatorAvailability).toEqual({ a: 0.75, b: 0.5, c: 1, d: 1 });
  });
  it('screens by zeros and honours forced inclusion and exclusion', () => {
    expect(screenUnits(t, { threshold: 0, by: 'zeros', nonZeroThreshold: 0.5 }).data.units).toEqual(['U1', 'U2', 'U3']);
    expect(screenUnits(t, { threshold: 0.75, forceInclude: ['U3'], forceExclude: ['U1'] }).data.units).toEqual(['U2', 'U3', 'U4']);
    expect(errCode(() => screenUnits(t, { threshold: 1.01 }))).toBe('INVALID_THRESHOLD');
    expect(errCode(() => screenUnits(t, { threshold: 1, forceExclude: ['U1', 'U4'] }))).toBe('NO_UNITS_LEFT');
    expect(errCode(() => screenUnits(t, { threshold: 0.5, forceInclude: ['ZZ'] }))).toBe('UNKNOWN_UNIT');
  });
});

describe('treatOutliers (COINr Treat defaults)', () => {
  // COINr's own example vector: 1…10 plus two outliers.
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100];

  it('flags an indicator only when |skew| ≥ 2 and kurtosis ≥ 3.5', () => {
    const c = checkSkewKurt(x);
    expect(c.skew!).toBeGreaterThan(2);
    expect(c.kurtosis!).toBeGreaterThan(3.5);
    expect(c.pass).toBe(false);
    expect(checkSkewKurt([1, 2, 3, 10]).pass).toBe(true);
  });

  it('winsorises one point at a time from the skewed side, counting distinct points', () => {
    const p = { winmax: 5, skewThreshold: 2, kurtosisThreshold: 3.5, fallback: 'logCT' as const };
    const y = [...Array.from({ length: 30 }, (_, i) => i + 1), 100, 100, 300];
    const w = winsorise(y, p);
    // Step 1: 300 → 100 (now three 100s); still failing. Step 2: all three 100s → 30. Passes.
    expect(w.x.slice(-4)).toEqual([30, 30, 30, 30]);
    expect(w.nwin).toBe(3);
    expect([...w.changed.entries()]).toEqual([
      [32, 'winhi'],
      [30, 'winhi'],
      [31, 'winhi'],
    ]);
    expect(checkSkewKurt(w.x).pass).toBe(true);
    // COINr's example vector needs one step: 100 → 30.
    expect(winsorise(x, p).x).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 30]);
    // Negative skew winsorises the low side.
    expect([...winsorise(x.map((v) => -v), p).changed.values()]).toEqual(['winlo']);
  });

  it('falls back to log_CT on the original values when winsorising up to winmax does not pass', () => {
    const y = [...Array.from({ length: 40 }, (_, i) => i + 1), 200, 300, 400, 500, 600, 700];
    const t = makeTable(['a'], y.map((v) => [v]));
    const r = treatOutliers(t, { method: 'winsorise', winmax: 2 });
    const d = r.diagnostics.details[0];
    expect(d.nwin).toBe(2);
    expect(d.check1!.pass).toBe(false);
    expect(d.transform).toBe('logCT');
    // log(x − min + 0.01·(max − min)) with min 1, max 700, applied to the untreated values.
    expect(col(r.data, 'a')).toEqual(y.map((v) => Math.log(v - 1 + 0.01 * 699)));
    expect(d.check2!.pass).toBe(true);
    expect(logCT([1, 101])).toEqual([Math.log(1), Math.log(101)]);
  });

  it('treats nothing with method none or a per-indicator exemption, and warns on too few values', () => {
    const t = makeTable(['a', 'b', 'c'], x.map((v, i) => [v, v, i < 3 ? v : null]));
    const r = treatOutliers(t, { method: 'winsorise', indicators: { b: 'none' } });
    expect(col(r.data, 'b')).toEqual(x);
    expect(col(r.data, 'a')).not.toEqual(x);
    expect(r.warnings.map((w) => w.code)).toEqual(['TREAT_TOO_FEW_VALUES']);
    expect(treatOutliers(t, { method: 'none' }).data.values).toEqual(t.values);
  });
});
