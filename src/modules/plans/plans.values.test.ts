import { describe, expect, it } from 'vitest';
import { checkUnit, readReportingDate, splitUnits } from './plans.values.ts';

describe('checkUnit', () => {
  it('takes the same unit, or no unit on either side, as the same', () => {
    expect(checkUnit('件', '件')).toEqual({ kind: 'same', factor: 1 });
    expect(checkUnit(null, '件')).toEqual({ kind: 'same', factor: 1 });
    expect(checkUnit('件', '')).toEqual({ kind: 'same', factor: 1 });
  });
  it('converts another multiple of the same unit', () => {
    expect(checkUnit('万人', '人')).toEqual({ kind: 'converted', factor: 1e4 });
    expect(checkUnit('万元', '亿元')).toEqual({ kind: 'converted', factor: 1e-4 });
  });
  it('takes two counting words as a slip, anything else as a mismatch', () => {
    expect(checkUnit('家', '个')).toEqual({ kind: 'counter', factor: 1 });
    expect(checkUnit('万元', '项')).toEqual({ kind: 'mismatch', factor: null });
    expect(checkUnit('人', '件')).toEqual({ kind: 'mismatch', factor: null });
  });
});

describe('readReportingDate', () => {
  it('puts a year at its end, a month at its last day, and reads the usual date forms', () => {
    expect(readReportingDate('2024')).toEqual({ date: '2024-12-31', precision: 'year' });
    expect(readReportingDate(2024)).toEqual({ date: '2024-12-31', precision: 'year' });
    expect(readReportingDate('2025年6月')).toEqual({ date: '2025-06-30', precision: 'day' });
    expect(readReportingDate('2025/6/30')).toEqual({ date: '2025-06-30', precision: 'day' });
    expect(readReportingDate('2024年2月29日')).toEqual({ date: '2024-02-29', precision: 'day' });
  });
  it('gives null for what is not a date', () => {
    expect(readReportingDate('2025年底')).toBeNull();
    expect(readReportingDate('2025-02-30')).toBeNull();
    expect(readReportingDate('')).toBeNull();
  });
});

describe('splitUnits', () => {
  it('splits on commas, semicolons and line breaks but keeps 、 inside a name', () => {
    expect(splitUnits('市科委、中关村管委会；市外办,市商务局\n市外办')).toEqual(['市科委、中关村管委会', '市外办', '市商务局']);
    expect(splitUnits('')).toEqual([]);
  });
});
