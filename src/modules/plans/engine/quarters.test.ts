import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPercent } from './format.ts';
import {
  addDays,
  daysBetween,
  latestQuarterEnd,
  parseIsoDate,
  quarterEnd,
  quarterLabel,
  quarterOf,
  reportingAsOfDates,
  yearFraction,
  yearsBetween,
} from './quarters.ts';

describe('quarters', () => {
  it('quarter of a date, its start and end', () => {
    expect(quarterOf('2025-01-01')).toEqual({ year: 2025, quarter: 1 });
    expect(quarterOf('2025-06-30')).toEqual({ year: 2025, quarter: 2 });
    expect(quarterOf('2025-07-01')).toEqual({ year: 2025, quarter: 3 });
    expect(quarterOf('2025-12-31')).toEqual({ year: 2025, quarter: 4 });
    expect(quarterEnd({ year: 2024, quarter: 1 })).toBe('2024-03-31');
    expect(quarterEnd({ year: 2025, quarter: 3 })).toBe('2025-09-30');
    expect(quarterLabel({ year: 2025, quarter: 2 })).toBe('2025Q2');
    expect(quarterLabel({ year: 2025, quarter: 2 }, 'zh')).toBe('2025年第2季度');
  });
  it('as-of dates of reporting quarters', () => {
    expect(reportingAsOfDates('2024-01-01', '2025-06-30')).toEqual([
      '2024-03-31',
      '2024-06-30',
      '2024-09-30',
      '2024-12-31',
      '2025-03-31',
      '2025-06-30',
    ]);
    expect(reportingAsOfDates('2024-04-01', '2024-06-29')).toEqual([]);
    expect(latestQuarterEnd('2025-05-10')).toBe('2025-03-31');
    expect(latestQuarterEnd('2025-06-30')).toBe('2025-06-30');
    expect(latestQuarterEnd('2025-01-15')).toBe('2024-12-31');
  });
  it('day arithmetic crosses leap days without time-zone drift', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(daysBetween('2024-01-01', '2027-12-31')).toBe(1460);
  });
  it('refuses impossible dates', () => {
    expect(() => parseIsoDate('2025-02-29')).toThrow();
    expect(() => parseIsoDate('2025-13-01')).toThrow();
    expect(() => yearFraction('next year')).toThrow();
  });
});

describe('fractional years', () => {
  it('reporting_months: year labels are year-ends, quarter ends fall on quarter years', () => {
    expect(yearFraction(2023)).toBe(2023);
    expect(yearFraction('2023')).toBe(2023);
    expect(yearFraction('2023-12-31')).toBe(2023);
    expect(yearFraction('2025-03-31')).toBe(2024.25);
    expect(yearFraction('2025-06-30')).toBe(2024.5);
    expect(yearFraction('2025-09-30')).toBe(2024.75);
    expect(yearsBetween(2023, '2025-06-30')).toBe(1.5);
    expect(yearsBetween(2023, 2027)).toBe(4);
    // mid-month: 2025-01-15 is 15/31 of January past 2024's year-end
    expect(yearsBetween(2024, '2025-01-15')).toBeCloseTo(15 / 31 / 12, 12);
  });
  it('actual_365_25: actual days over 365.25', () => {
    expect(yearsBetween(2023, 2027, 'actual_365_25')).toBeCloseTo(1461 / 365.25, 12);
    expect(yearsBetween('2024-01-01', '2025-01-01', 'actual_365_25')).toBeCloseTo(366 / 365.25, 12);
  });
  it('is increasing in the date under both conventions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 1, max: 400 }), (n, k) => {
        const a = addDays('2000-01-01', n);
        const b = addDays(a, k);
        return yearFraction(a) < yearFraction(b) && yearFraction(a, 'actual_365_25') < yearFraction(b, 'actual_365_25');
      }),
    );
  });
});

describe('formatPercent', () => {
  it('shows two decimals unless that would contradict a threshold', () => {
    expect(formatPercent(0.172604)).toBe('17.26%');
    expect(formatPercent(0.95, [0.95])).toBe('95%');
    expect(formatPercent(0.949996, [0.95])).toBe('94.9996%');
  });
});
