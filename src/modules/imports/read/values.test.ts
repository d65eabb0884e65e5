import { describe, expect, it } from 'vitest';
import {
  excelSerialToIso,
  inferDateOrder,
  isEmptyMarker,
  normaliseName,
  parseDate,
  parseNumber,
  parseYear,
  yearOfLabel,
  type DecimalSeparator,
} from './values.ts';

describe('parseNumber', () => {
  // [text, value, extra expectations]
  const cases: [string, number | null, { unit?: string; approx?: boolean; code?: string; decimal?: DecimalSeparator; multiplier?: number; qualifier?: string }?][] = [
    ['1234', 1234],
    ['  42 ', 42],
    ['1,234', 1234, { code: 'NUMBER_AS_TEXT_NORMALISED' }],
    ['1 234', 1234, { code: 'NUMBER_AS_TEXT_NORMALISED' }],
    ['1\u00a0234\u00a0567', 1234567, { code: 'NUMBER_AS_TEXT_NORMALISED' }],
    ['1,234.5', 1234.5, { code: 'NUMBER_AS_TEXT_NORMALISED' }],
    ['1,234,567.89', 1234567.89],
    ["1'234", 1234],
    ['12,34,567', 1234567],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1.2E+05', 120000],
    ['12,5', 12.5, { decimal: ',' }],
    ['65,2', 65.2, { decimal: ',' }],
    ['11052,79361', 11052.79361, { decimal: ',' }],
    ['1.234,5', 1234.5, { decimal: ',', code: 'NUMBER_AS_TEXT_NORMALISED' }],
    ['1 234,5', 1234.5, { decimal: ',' }],
    ['1,234', 1.234, { decimal: ',', code: 'NUMBER_AMBIGUOUS' }],
    ['1.234,5', 1234.5], // both separators: the last one is the decimal point, whatever the file says
    ['１２３', 123, { code: 'NUMBER_AS_TEXT_NORMALISED' }],
    ['１，２３４．５', 1234.5],
    ['12万元', 120000, { unit: '元', multiplier: 1e4 }],
    ['3.5亿元', 350000000, { unit: '元', multiplier: 1e8 }],
    ['1200元', 1200, { unit: '元' }],
    ['90.9%', 90.9, { unit: '%', code: 'NUMBER_AS_TEXT_NORMALISED' }],
    ['90.9 ％', 90.9, { unit: '%' }],
    ['75000人', 75000, { unit: '人' }],
    ['约7000', 7000, { approx: true, qualifier: '约' }],
    ['近1亿元', 100000000, { approx: true, unit: '元', qualifier: '近' }],
    ['1.2万件', 12000, { unit: '件' }],
    ['0.07万', 700],
    ['20余个', 20, { approx: true, unit: '个', qualifier: '余' }],
    ['3000余万元', 30000000, { approx: true, unit: '元' }],
    ['70个以上', 70, { approx: true, unit: '个', qualifier: '以上' }],
    ['70个(以上)', 70, { approx: true, unit: '个' }],
    ['1万多人', 10000, { approx: true, unit: '人' }],
    ['超过160个', 160, { approx: true }],
    ['about 1,200', 1200, { approx: true }],
    ['1.5 million', 1500000, { multiplier: 1e6 }],
    ['3bn', 3e9],
    ['5kg', 5, { unit: 'kg' }],
    ['12千克', 12, { unit: '千克' }],
    ['500千元', 500000, { unit: '元' }],
    ['¥1,200', 1200, { unit: '¥' }],
    ['￥1200', 1200, { unit: '¥' }],
    ['US$ 3.5', 3.5, { unit: 'US$' }],
    ['(123)', -123, { code: 'NUMBER_NEGATIVE' }],
    ['（1,234）', -1234, { code: 'NUMBER_NEGATIVE' }],
    ['-5', -5, { code: 'NUMBER_NEGATIVE' }],
    ['−5', -5, { code: 'NUMBER_NEGATIVE' }],
    ['–5.5', -5.5, { code: 'NUMBER_NEGATIVE' }],
    ['－12', -12, { code: 'NUMBER_NEGATIVE' }],
    ['+7', 7],
    ['-0', 0],
    ['', null],
    ['-', null],
    ['—', null],
    ['——', null],
    ['/', null],
    ['NA', null],
    ['N/A', null],
    ['n/a', null],
    ['..', null],
    ['无', null],
    ['#DIV/0!', null, { code: 'CELL_ERROR' }],
    ['#N/A', null, { code: 'CELL_ERROR' }],
    ['abc', null, { code: 'NUMBER_INVALID' }],
    ['12,5', null, { code: 'NUMBER_INVALID' }],
    ['1,2345', null, { code: 'NUMBER_INVALID' }],
    ['1-20', null, { code: 'NUMBER_INVALID' }],
    ['2011-2014', null, { code: 'NUMBER_INVALID' }],
    ['2024-03-01', null, { code: 'NUMBER_INVALID' }],
    ['3 to 5', null, { code: 'NUMBER_INVALID' }],
    ['1.2.3,4,5', null, { code: 'NUMBER_INVALID' }],
    ['12 (see note)', null, { code: 'NUMBER_INVALID' }],
    ['((5))', null, { code: 'NUMBER_INVALID' }],
    ['13/033,085', null, { code: 'NUMBER_INVALID' }],
  ];

  it.each(cases)('%j → %j', (text, value, extra = {}) => {
    const r = parseNumber(text, { decimal: extra.decimal });
    expect(r.value).toBe(value);
    if (extra.unit !== undefined) expect(r.unit).toBe(extra.unit);
    if (extra.approx !== undefined) expect(r.approx ?? false).toBe(extra.approx);
    if (extra.qualifier !== undefined) expect(r.qualifier).toBe(extra.qualifier);
    if (extra.multiplier !== undefined) expect(r.multiplier).toBe(extra.multiplier);
    if (extra.code !== undefined) expect(r.issue?.code).toBe(extra.code);
    if (value === null && extra.code === undefined) expect(r.issue).toBeUndefined();
  });

  it('leaves plain numbers without an issue', () => {
    for (const t of ['0', '1234', '3.14', '12,5']) {
      expect(parseNumber(t, { decimal: t.includes(',') ? ',' : '.' }).issue).toBeUndefined();
    }
  });

  it('passes numbers from XLSX cells through', () => {
    expect(parseNumber(13176)).toEqual({ value: 13176 });
    expect(parseNumber(-1).issue?.code).toBe('NUMBER_NEGATIVE');
    expect(parseNumber(Number.NaN).issue?.code).toBe('NUMBER_INVALID');
    expect(parseNumber(null)).toEqual({ value: null });
  });

  it('describes problems in Chinese and English, quoting the text', () => {
    const r = parseNumber('abc');
    expect(r.issue).toMatchObject({ code: 'NUMBER_INVALID', severity: 'error' });
    expect(r.issue!.message).toContain('「abc」');
    expect(r.issue!.message_en).toContain('"abc"');
    const n = parseNumber('1,234');
    expect(n.issue!.severity).toBe('warning');
    expect(n.issue!.message).toContain('1234');
  });

  it('flags normalisation on the result even when a negative sign takes the issue slot', () => {
    const r = parseNumber('(1,234)');
    expect(r).toMatchObject({ value: -1234, negative: true, normalised: true });
  });
});

describe('isEmptyMarker', () => {
  it.each(['', ' ', '-', '—', '/', 'NA', 'N/A', '..', '...', '无', '－'])('%j is empty', (t) => expect(isEmptyMarker(t)).toBe(true));
  it.each(['0', 'x', '合计'])('%j is not', (t) => expect(isEmptyMarker(t)).toBe(false));
});

describe('parseYear', () => {
  it.each([
    ['2011', 2011],
    [2011, 2011],
    ['2011年', 2011],
    ['2011年度', 2011],
    ['FY2011', 2011],
    ['FY 2011', 2011],
    ['2011 [YR2011]', 2011],
    ['YR2011', 2011],
    ['２０１１', 2011],
    ['2011.0', 2011],
  ] as const)('%j → %d', (text, year) => expect(parseYear(text)).toEqual({ value: year }));

  it.each(['2011-2012', 'abc', '11', '1850', '2011.5', 2011.5])('%j is not a year', (text) => {
    const r = parseYear(text);
    expect(r.value).toBeNull();
    expect(r.issue?.code).toBe('YEAR_INVALID');
  });

  it('gives null without an issue for empty cells', () => {
    expect(parseYear('')).toEqual({ value: null });
    expect(parseYear('-')).toEqual({ value: null });
  });

  it('reads year column headers', () => {
    expect(yearOfLabel('2011')).toBe(2011);
    expect(yearOfLabel('2011年（万元）')).toBe(2011);
    expect(yearOfLabel('2011 [YR2011]')).toBe(2011);
    expect(yearOfLabel('2011-2014合计')).toBeUndefined();
    expect(yearOfLabel('Year')).toBeUndefined();
  });
});

describe('parseDate', () => {
  it.each([
    ['2024-03-01', '2024-03-01', 'day'],
    ['2024-3-1', '2024-03-01', 'day'],
    ['2024-03-01T10:20:00Z', '2024-03-01', 'day'],
    ['2024-03-01 10:20', '2024-03-01', 'day'],
    ['2024/3/1', '2024-03-01', 'day'],
    ['2024.3.1', '2024-03-01', 'day'],
    ['20240301', '2024-03-01', 'day'],
    ['2024年3月1日', '2024-03-01', 'day'],
    ['2024 年 3 月 1 日', '2024-03-01', 'day'],
    ['２０２４年３月１日', '2024-03-01', 'day'],
    ['2024年3月', '2024-03', 'month'],
    ['2024.03', '2024-03', 'month'],
    ['2024-03', '2024-03', 'month'],
    ['2024年', '2024', 'year'],
    ['2024', '2024', 'year'],
    ['03/16/2024', '2024-03-16', 'day'],
    ['16/03/2024', '2024-03-16', 'day'],
    ['01.03.2024', '2024-03-01', 'day'],
    ['10 March 2015', '2015-03-10', 'day'],
    ['02 April 2017', '2017-04-02', 'day'],
    ['March 10, 2015', '2015-03-10', 'day'],
    ['10-Mar-15', '2015-03-10', 'day'],
    ['Sept 2020', '2020-09', 'month'],
    ['45352', '2024-03-01', 'day'],
    ['2024-02-29', '2024-02-29', 'day'],
  ] as const)('%j → %s', (text, iso, precision) => {
    const r = parseDate(text);
    expect(r.value).toBe(iso);
    expect(r.precision).toBe(precision);
    expect(r.issue).toBeUndefined();
  });

  it('reads Excel serial numbers and Date objects', () => {
    expect(parseDate(45352)).toMatchObject({ value: '2024-03-01', precision: 'day' });
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(59)).toBe('1900-02-28');
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(excelSerialToIso(45352.75)).toBe('2024-03-01');
    expect(excelSerialToIso(0, true)).toBeNull();
    expect(excelSerialToIso(1, true)).toBe('1904-01-02');
    expect(parseDate(new Date(Date.UTC(2024, 2, 1)))).toMatchObject({ value: '2024-03-01' });
    // Integers that are plausible years are years, not serials.
    expect(parseDate(2024)).toMatchObject({ value: '2024', precision: 'year' });
  });

  it('warns when day and month cannot be told apart, unless an order is given', () => {
    const r = parseDate('03/04/2024');
    expect(r.value).toBe('2024-03-04');
    expect(r.issue?.code).toBe('DATE_AMBIGUOUS');
    expect(r.issue?.message).toContain('2024-03-04');
    expect(parseDate('03/04/2024', { order: 'dmy' })).toEqual({ value: '2024-04-03', precision: 'day' });
    expect(parseDate('03/04/2024', { order: 'mdy' })).toEqual({ value: '2024-03-04', precision: 'day' });
    expect(parseDate('04/04/2024').issue).toBeUndefined();
  });

  it.each(['2024-02-30', '2023-02-29', '13/13/2024', '2024-13', 'abc', '32 March 2015', 'Foo 10, 2015', '1-20'])('%j is not a date', (text) => {
    const r = parseDate(text);
    expect(r.value).toBeNull();
    expect(r.issue?.code).toBe('DATE_INVALID');
  });

  it('warns about years outside the expected range', () => {
    const r = parseDate('05 May 1932', { minYear: 1958 });
    expect(r.value).toBe('1932-05-05');
    expect(r.issue?.code).toBe('DATE_OUT_OF_RANGE');
    expect(parseDate('1850-01-01').issue?.code).toBe('DATE_OUT_OF_RANGE');
  });

  it('gives null without an issue for empty cells', () => {
    expect(parseDate('')).toEqual({ value: null });
    expect(parseDate(null)).toEqual({ value: null });
    expect(parseDate('—')).toEqual({ value: null });
  });

  it('infers the day/month order of a column', () => {
    expect(inferDateOrder(['03/04/2024', '03/16/2024', '12/24/2018'])).toBe('mdy');
    expect(inferDateOrder(['03/04/2024', '16/03/2024'])).toBe('dmy');
    expect(inferDateOrder(['03/04/2024', '16/03/2024', '03/16/2024'])).toBeUndefined();
    expect(inferDateOrder(['2024-03-01', null, 5])).toBeUndefined();
  });
});

describe('normaliseName', () => {
  it.each([
    ['  牛津大学（常州）  ', '牛津大学(常州)'],
    ['合 计', '合计'],
    ['合　计', '合计'],
    ['项目经费\n（万元）', '项目经费(万元)'],
    ['ＡＢＣ　Ｌｔｄ．', 'ABC Ltd.'],
    ['【重点】项目', '[重点]项目'],
    ['〔2024〕1号', '(2024)1号'],
    ['Hong   Kong,\tChina', 'Hong Kong, China'],
    ['\u200bTOP Greenhouse\ufeff', 'TOP Greenhouse'],
    ['EMAG Holding GmbH', 'EMAG Holding GmbH'],
  ])('%j → %j', (input, out) => expect(normaliseName(input)).toBe(out));
});
