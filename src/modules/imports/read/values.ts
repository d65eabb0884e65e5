/**
 * Cell text as people write it in bureau spreadsheets, turned into numbers, years, dates and
 * names: "1,234", "12万元", "近1亿元", "１２３", "(123)", "2024年3月1日", "10 March 2015".
 * Pure functions; each problem comes back as a coded issue without a location (the caller knows
 * the row and column and adds them with `locate`).
 */
import { describeIssue, type BareIssue } from './issues.ts';

export type DecimalSeparator = '.' | ',';

export interface NumberOptions {
  /**
   * The file's decimal separator. ',' for files that write "12,5" (usually with `;` between
   * fields); then "." and spaces are thousands separators.
   */
  decimal?: DecimalSeparator;
}

export interface ParsedNumber {
  /** The number, with 万/亿/million multipliers applied; null for empty cells and failures. */
  value: number | null;
  /** What followed (or preceded) the number once a multiplier was taken off: "元", "%", "件", "¥". */
  unit?: string;
  /** The multiplier already applied to value: 1e4 for "12万元", 1e8 for "3.5亿元". */
  multiplier?: number;
  /** The text said the number is approximate or a bound: 约, 近, 余, 以上, about … */
  approx?: boolean;
  /** The qualifier as written, so a caller can tell 近 (just under) from 以上 (at least). */
  qualifier?: string;
  negative?: boolean;
  /** Separators, units, qualifiers or full-width forms were removed to read the number. */
  normalised?: boolean;
  /** The most important problem (error first, then ambiguity, negative, normalisation). */
  issue?: BareIssue;
}

// Markers people put in a cell to say "no value". Compared after NFKC and lower-casing.
const EMPTY_MARKERS = new Set([
  '', '-', '--', '---', '—', '——', '–', '/', '\\', '..', '...', '…', '……', '·',
  'na', 'n/a', 'n.a.', 'n.a', 'null', 'nan', 'none', 'nil',
  '无', '空', '暂无', '不详', '不适用', '未知',
]);

const EXCEL_ERRORS = new Set(['#DIV/0!', '#N/A', '#NAME?', '#NULL!', '#NUM!', '#REF!', '#VALUE!', '#SPILL!', '#CALC!', '#GETTING_DATA', '#FIELD!', '#BLOCKED!', '#UNKNOWN!']);

/** True for text that means "no value" ("", "-", "—", "/", "NA", "N/A", "..", "无" …). */
export function isEmptyMarker(text: string): boolean {
  return EMPTY_MARKERS.has(prepare(text).toLowerCase());
}

/** True for Excel's error literals (#DIV/0!, #N/A …), which CSV exports carry as text. */
export function isExcelError(text: string): boolean {
  return EXCEL_ERRORS.has(prepare(text).toUpperCase());
}

// NFKC turns full-width digits, signs, brackets and spaces half-width; the other dashes people
// (and Word) use for minus are mapped by hand because NFKC keeps them.
function prepare(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2212\u2012\u2013\u2010\u2011\uFE63]/g, '-')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const LEADING_QUALIFIERS = [
  '约为', '大约', '约', '将近', '接近', '近', '超过', '突破', '逾', '多于', '不足', '不到', '少于', '大于', '小于', '高于', '低于',
  '≈', '~', 'approximately', 'approx.', 'approx', 'about', 'around', 'nearly', 'almost', 'more than', 'over', 'less than',
  'under', 'ca.', 'c.', '>=', '<=', '≥', '≤', '>', '<',
];
const TRAILING_QUALIFIERS = ['以上', '以下', '左右', '上下', '余', '多', '+'];

// Chinese multipliers; bare 千 and 百 are left out because 千克, 千米, 百分点 are units, except
// 千元 which finance tables use.
const CJK_MULTIPLIERS: [string, number][] = [
  ['万亿', 12], ['千亿', 11], ['百亿', 10], ['亿', 8], ['千万', 7], ['百万', 6], ['十万', 5], ['万', 4],
];
const EN_MULTIPLIERS: Record<string, number> = {
  k: 3, thousand: 3, million: 6, mn: 6, mio: 6, billion: 9, bn: 9, trillion: 12,
};

const CURRENCY_PREFIX = /^(US\$|HK\$|RMB|CNY|USD|EUR|HKD|GBP|JPY|[¥$€£])\s*/i;
const UNIT = /^[\p{L}\p{Sc}%‰°](?:[\p{L}\p{Sc}%‰°/·. ]*[\p{L}\p{Sc}%‰°.])?[23²³]?$/u;
const CORE = /^(\d(?:[\d.,' ]*\d)?|\.\d+)((?:[eE][+-]?\d+)?)/;

interface Core {
  /** Plain decimal digits with '.' as the decimal point. */
  digits: string;
  grouped: boolean;
  ambiguous: boolean;
}

interface CoreFailure {
  hint?: { zh: string; en: string };
}

// Thousands grouping: 1–3 leading digits then groups of 3; Indian 2-digit groups are accepted
// before the last group of 3.
function validGrouping(groups: string[]): boolean {
  if (groups.length < 2) return true;
  if (!/^\d{1,3}$/.test(groups[0])) return false;
  const rest = groups.slice(1);
  if (rest.every((g) => /^\d{3}$/.test(g))) return true;
  return /^\d{1,2}$/.test(groups[0]) && rest.slice(0, -1).every((g) => /^\d{2}$/.test(g)) && /^\d{3}$/.test(rest[rest.length - 1]);
}

function interpretCore(core: string, decimal: DecimalSeparator): Core | CoreFailure {
  if (/^\d+$/.test(core)) return { digits: core, grouped: false, ambiguous: false };
  if (/^\.\d+$/.test(core)) return { digits: `0${core}`, grouped: false, ambiguous: false };
  const commas = (core.match(/,/g) ?? []).length;
  const dots = (core.match(/\./g) ?? []).length;
  const hasSpaceGroups = /[' ]/.test(core);

  let decimalSep: '.' | ',' | null = null;
  if (commas && dots) {
    // Both present: whichever comes last is the decimal separator, and it may occur only once.
    const last = core.lastIndexOf(',') > core.lastIndexOf('.') ? ',' : '.';
    if ((last === ',' ? commas : dots) !== 1) return {};
    decimalSep = last;
  } else if (dots === 1 && !commas) {
    decimalSep = decimal === '.' ? '.' : validGrouping(core.split(/[.' ]/)) && /\.\d{3}$/.test(core) ? null : '.';
  } else if (commas === 1 && !dots) {
    if (decimal === ',') decimalSep = ',';
    else if (!validGrouping(core.split(/[,' ]/)))
      return { hint: { zh: '如为小数，请用小数点“.”', en: 'for a decimal, write a point "."' } };
  } else if (commas > 1 && dots === 0) {
    decimalSep = null;
  } else if (dots > 1 && commas === 0) {
    decimalSep = null;
  }

  let intPart = core;
  let frac = '';
  if (decimalSep) {
    const at = core.lastIndexOf(decimalSep);
    intPart = core.slice(0, at);
    frac = core.slice(at + 1);
    if (!/^\d*$/.test(frac) || frac === '') return {};
  }
  const groups = intPart.split(/[.,' ]/);
  if (groups.some((g) => g === '' || !/^\d+$/.test(g))) return {};
  if (groups.length > 1 && !validGrouping(groups)) return {};
  const grouped = groups.length > 1 || hasSpaceGroups;
  const ambiguous = decimalSep === ',' && decimal === ',' && commas === 1 && !dots && /^\d{1,3},\d{3}$/.test(core);
  return { digits: frac ? `${groups.join('')}.${frac}` : groups.join(''), grouped, ambiguous };
}

function stripLeading(s: string, words: string[]): [string, string | undefined] {
  const lower = s.toLowerCase();
  for (const w of words) {
    if (lower.startsWith(w)) return [s.slice(w.length).trim(), w];
  }
  return [s, undefined];
}

function stripTrailing(s: string, words: string[]): [string, string | undefined] {
  const bracketed = s.match(/\((以上|以下|左右|近|约|余|不足|不到|突破|超过)\)$/);
  if (bracketed) return [s.slice(0, -bracketed[0].length).trim(), bracketed[1]];
  for (const w of words) {
    if (s.endsWith(w)) return [s.slice(0, -w.length).trim(), w];
  }
  return [s, undefined];
}

function invalid(text: string, hint?: { zh: string; en: string }): ParsedNumber {
  return { value: null, issue: describeIssue('NUMBER_INVALID', { text, hint }) };
}

/**
 * Read a number as people write it. Empty markers give null without an issue; Excel error
 * literals give CELL_ERROR; text that is not a number gives NUMBER_INVALID. Numbers from XLSX
 * cells pass through.
 */
export function parseNumber(input: unknown, opts: NumberOptions = {}): ParsedNumber {
  const decimal = opts.decimal ?? '.';
  if (input === null || input === undefined) return { value: null };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return invalid(String(input));
    return withSignIssue({ value: input }, String(input));
  }
  if (typeof input !== 'string') return invalid(String(input));
  const text = input;
  let s = prepare(text);
  if (EMPTY_MARKERS.has(s.toLowerCase())) return { value: null };
  if (EXCEL_ERRORS.has(s.toUpperCase())) return { value: null, issue: describeIssue('CELL_ERROR', { error: s.toUpperCase() }) };

  // Everything NFKC or the dash mapping changed (full-width digits, "−") counts as normalising;
  // whitespace at the ends does not.
  let normalised = s !== text.trim().replace(/\s+/g, ' ');
  let negative = false;
  let qualifier: string | undefined;
  let unit: string | undefined;
  let exponent = 0;

  const paren = s.match(/^\((.+)\)$/);
  if (paren) {
    negative = true;
    normalised = true;
    s = paren[1].trim();
  }
  let q: string | undefined;
  [s, q] = stripLeading(s, LEADING_QUALIFIERS);
  qualifier = q;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') {
      if (negative) return invalid(text);
      negative = true;
    }
    s = s.slice(1).trim();
  }
  const currency = s.match(CURRENCY_PREFIX);
  if (currency) {
    unit = currency[1].toUpperCase() === currency[1] ? currency[1] : currency[1].toUpperCase();
    s = s.slice(currency[0].length);
    if (s.startsWith('-') && !negative) {
      negative = true;
      s = s.slice(1);
    }
  }
  const m = s.match(CORE);
  if (!m) return invalid(text);
  const parsed = interpretCore(m[1], decimal);
  if (!('digits' in parsed)) return invalid(text, parsed.hint);
  if (parsed.grouped) normalised = true;
  let rest = s.slice(m[0].length).trim();
  const expPart = m[2];

  // After the number: [余|多] [万|亿…] [余|多] [unit] [以上|左右|余…], in that order.
  let q2: string | undefined;
  [rest, q2] = stripTrailing(rest, TRAILING_QUALIFIERS);
  qualifier ??= q2;
  if (rest.startsWith('余') || rest.startsWith('多')) {
    qualifier ??= rest[0];
    rest = rest.slice(1).trim();
  }
  const cjk = CJK_MULTIPLIERS.find(([w]) => rest.startsWith(w));
  if (cjk) {
    exponent = cjk[1];
    rest = rest.slice(cjk[0].length).trim();
  } else if (rest.startsWith('千元')) {
    exponent = 3;
    rest = rest.slice(1);
  } else {
    const en = rest.match(/^(k|thousand|million|mn|mio|billion|bn|trillion)\b\s*/i);
    if (en) {
      exponent = EN_MULTIPLIERS[en[1].toLowerCase()];
      rest = rest.slice(en[0].length);
    }
  }
  if (rest.startsWith('余') || rest.startsWith('多')) {
    qualifier ??= rest[0];
    rest = rest.slice(1).trim();
  }
  let q3: string | undefined;
  [rest, q3] = stripTrailing(rest, TRAILING_QUALIFIERS);
  qualifier ??= q3;
  if (rest) {
    if (!UNIT.test(rest)) return invalid(text);
    unit = rest;
  }
  if (qualifier || unit || exponent) normalised = true;

  // Multipliers shift the decimal exponent rather than multiply, so 0.07万 is 700, not 700.0000001.
  const e10 = (expPart ? Number(expPart.slice(1)) : 0) + exponent;
  let value = Number(`${parsed.digits}e${e10}`);
  if (!Number.isFinite(value)) return invalid(text);
  if (negative) value = -value;
  if (Object.is(value, -0)) value = 0;

  const result: ParsedNumber = { value };
  if (unit) result.unit = unit;
  if (exponent) result.multiplier = 10 ** exponent;
  if (qualifier) {
    result.approx = true;
    result.qualifier = qualifier;
  }
  if (normalised) result.normalised = true;
  if (parsed.ambiguous) {
    result.issue = describeIssue('NUMBER_AMBIGUOUS', { text, value });
    if (value < 0) result.negative = true;
    return result;
  }
  return withSignIssue(result, text);
}

function withSignIssue(result: ParsedNumber, text: string): ParsedNumber {
  const value = result.value;
  if (value !== null && value < 0) {
    result.negative = true;
    result.issue = describeIssue('NUMBER_NEGATIVE', { text, value });
  } else if (result.normalised && value !== null) {
    result.issue = describeIssue('NUMBER_AS_TEXT_NORMALISED', { text, value });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Years

export interface YearOptions {
  min?: number;
  max?: number;
}

export interface ParsedYear {
  value: number | null;
  issue?: BareIssue;
}

const YEAR_TEXT = /^(?:FY|财年|财政年度)?\s*(\d{4})(?:\.0+)?\s*(?:年度|年)?(?:\s*\[YR\d{4}\])?$/i;
const YEAR_CODE = /^YR(\d{4})$/i;

/**
 * Read a year: 2011, "2011", "2011年", "2011年度", "FY2011", "2011 [YR2011]" (World Bank
 * DataBank), "YR2011". Empty markers give null without an issue.
 */
export function parseYear(input: unknown, opts: YearOptions = {}): ParsedYear {
  const min = opts.min ?? 1900;
  const max = opts.max ?? 2100;
  if (input === null || input === undefined) return { value: null };
  let year: number | undefined;
  let text: string;
  if (typeof input === 'number') {
    text = String(input);
    if (Number.isInteger(input)) year = input;
  } else if (typeof input === 'string') {
    text = input;
    const s = prepare(input);
    if (EMPTY_MARKERS.has(s.toLowerCase())) return { value: null };
    const m = s.match(YEAR_TEXT) ?? s.match(YEAR_CODE);
    if (m) year = Number(m[1]);
  } else {
    text = String(input);
  }
  if (year === undefined || year < min || year > max) {
    return { value: null, issue: describeIssue('YEAR_INVALID', { text, min, max }) };
  }
  return { value: year };
}

/** The year a column header names ("2011", "2011年", "FY2011", "2011 [YR2011]"), if any. */
export function yearOfLabel(label: string): number | undefined {
  const s = prepare(label).replace(/\s*[(（][^)）]*[)）]$/, '');
  const m = s.match(YEAR_TEXT) ?? s.match(YEAR_CODE);
  if (!m) return undefined;
  const y = Number(m[1]);
  return y >= 1900 && y <= 2100 ? y : undefined;
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Order of day and month in dates such as 03/04/2024. */
export type DateOrder = 'dmy' | 'mdy';

export interface DateOptions {
  /** How to read dates whose day and month are both ≤ 12; see `inferDateOrder`. */
  order?: DateOrder;
  /** Workbooks saved with the 1904 date system (old Mac Excel). */
  date1904?: boolean;
  /** Years outside this range give a DATE_OUT_OF_RANGE warning (default 1900–2100). */
  minYear?: number;
  maxYear?: number;
}

export interface ParsedDate {
  /** ISO 8601: "2024-03-01", or "2024-03" / "2024" when the text gives only a month or year. */
  value: string | null;
  precision?: 'day' | 'month' | 'year';
  issue?: BareIssue;
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function twoDigitYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? (n < 50 ? 2000 + n : 1900 + n) : n;
}

/** The ISO date of an Excel serial day number (1900 or 1904 date system). */
export function excelSerialToIso(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return null;
  const day = Math.floor(serial);
  // Excel counts a 29 February 1900 that never was, so serials from 61 on are one day ahead.
  const base = date1904 ? Date.UTC(1904, 0, 1) : day >= 61 ? Date.UTC(1899, 11, 30) : Date.UTC(1899, 11, 31);
  const d = new Date(base + day * 86400000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO text of a JavaScript Date: the date alone when the time is midnight UTC. */
export function isoOfDate(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0) return date;
  return `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * Read a date: 2024-03-01, 2024/3/1, 2024.3.1, 20240301, 2024年3月1日, 2024年3月, 2024.03,
 * 03/16/2024 and 16/03/2024 (day or month first, by the numbers or `opts.order`), 01.03.2024
 * (day first), "10 March 2015", "March 10, 2015", "10-Mar-15", Excel serial numbers and Date
 * objects. Integers 1900–2100 are read as years, not serials.
 */
export function parseDate(input: unknown, opts: DateOptions = {}): ParsedDate {
  if (input === null || input === undefined) return { value: null };
  const text = input instanceof Date ? input.toISOString() : String(input);
  const r = parseDateInner(input, opts);
  if (r === null) return { value: null };
  if (r === undefined || r.value === null) return { value: null, issue: describeIssue('DATE_INVALID', { text }) };
  const minYear = opts.minYear ?? 1900;
  const maxYear = opts.maxYear ?? 2100;
  const year = Number(r.value.slice(0, 4));
  if (!r.issue && (year < minYear || year > maxYear)) {
    r.issue = describeIssue('DATE_OUT_OF_RANGE', { text, value: r.value, min: minYear, max: maxYear });
  }
  return r;
}

// null: empty; undefined: not a date.
function parseDateInner(input: unknown, opts: DateOptions): ParsedDate | null | undefined {
  const day = (y: number, m: number, d: number): ParsedDate | undefined =>
    validDay(y, m, d) ? { value: `${pad(y, 4)}-${pad(m)}-${pad(d)}`, precision: 'day' } : undefined;
  const month = (y: number, m: number): ParsedDate | undefined =>
    m >= 1 && m <= 12 ? { value: `${pad(y, 4)}-${pad(m)}`, precision: 'month' } : undefined;

  if (input instanceof Date) {
    const v = isoOfDate(input);
    return v ? { value: v.slice(0, 10), precision: 'day' } : undefined;
  }
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input >= 1900 && input <= 2100) return { value: pad(input, 4), precision: 'year' };
    const v = excelSerialToIso(input, opts.date1904);
    return v ? { value: v, precision: 'day' } : undefined;
  }
  if (typeof input !== 'string') return undefined;
  const s = prepare(input);
  if (EMPTY_MARKERS.has(s.toLowerCase())) return null;
  let m: RegExpMatchArray | null;

  if ((m = s.match(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i)))
    return day(+m[1], +m[2], +m[3]);
  if ((m = s.match(/^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/))) return day(+m[1], +m[2], +m[3]);
  if ((m = s.match(/^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/))) return day(+m[1], +m[2], +m[3]);
  if ((m = s.match(/^(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?$/))) return month(+m[1], +m[2]);
  if ((m = s.match(/^(\d{4})[-/.](\d{1,2})$/))) return month(+m[1], +m[2]);
  if ((m = s.match(/^(\d{4})\s*年?$/))) return { value: m[1], precision: 'year' };
  if ((m = s.match(/^(\d{4})(\d{2})(\d{2})$/))) return day(+m[1], +m[2], +m[3]);
  if ((m = s.match(/^\d{5}(?:\.\d+)?$/))) {
    // A five-digit number is an Excel serial that lost its date format on export (1927–2173).
    const v = excelSerialToIso(Number(s), opts.date1904);
    return v ? { value: v, precision: 'day' } : undefined;
  }
  if ((m = s.match(/^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$/))) {
    const a = +m[1];
    const b = +m[3];
    const y = twoDigitYear(m[4]);
    if (a > 12 && b > 12) return undefined;
    if (a > 12) return day(y, b, a);
    if (b > 12) return day(y, a, b);
    // Both could be the month. Dotted dates are European (day first); otherwise the caller's
    // order, or month first with a warning when no order was given.
    if (m[2] === '.') return day(y, b, a);
    const order = opts.order;
    const r = order === 'dmy' ? day(y, b, a) : day(y, a, b);
    if (r?.value && !order && a !== b) {
      r.issue = describeIssue('DATE_AMBIGUOUS', {
        text: input,
        value: r.value,
        orderZh: '“月/日/年”',
        orderEn: 'month/day/year',
      });
    }
    return r;
  }
  if ((m = s.match(/^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4}|\d{2})$/))) {
    const mo = MONTHS[m[2].toLowerCase()];
    return mo ? day(twoDigitYear(m[3]), mo, +m[1]) : undefined;
  }
  if ((m = s.match(/^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/))) {
    const mo = MONTHS[m[1].toLowerCase()];
    return mo ? day(+m[3], mo, +m[2]) : undefined;
  }
  if ((m = s.match(/^([A-Za-z]{3,9})\.?[\s-]+(\d{4})$/))) {
    const mo = MONTHS[m[1].toLowerCase()];
    return mo ? month(+m[2], mo) : undefined;
  }
  return undefined;
}

/**
 * The day/month order a column of dates uses, told by the values that can only be read one way
 * (16/03/2024 is day first, 03/16/2024 month first). Undefined when the values do not tell or
 * contradict each other.
 */
export function inferDateOrder(samples: Iterable<unknown>): DateOrder | undefined {
  let dmy = 0;
  let mdy = 0;
  for (const v of samples) {
    if (typeof v !== 'string') continue;
    const m = prepare(v).match(/^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/);
    if (!m) continue;
    if (+m[1] > 12 && +m[2] <= 12) dmy++;
    else if (+m[2] > 12 && +m[1] <= 12) mdy++;
  }
  if (dmy && !mdy) return 'dmy';
  if (mdy && !dmy) return 'mdy';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Names and labels

const CJK = '\\p{Script=Han}\\u3000-\\u303F\\uFF00-\\uFFEF';
// Chinese takes no spaces between characters, nor between a character and a bracket.
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}]) (?=[${CJK}(\\[])|(?<=[${CJK})\\]]) (?=[${CJK}])`, 'gu');

/**
 * A name or header label in one canonical form: NFKC (full-width letters, digits and brackets
 * half-width), 【】〔〕 as brackets, no zero-width characters, whitespace (line breaks too)
 * collapsed to one space, no spaces between Chinese characters ("合 计" → "合计").
 */
export function normaliseName(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[【〖]/g, '[')
    .replace(/[】〗]/g, ']')
    .replace(/〔/g, '(')
    .replace(/〕/g, ')')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(SPACE_BETWEEN_CJK, '');
}

/** normaliseName without any spaces and lower-cased: for comparing words such as 合计 / Total. */
export function compactKey(text: string): string {
  return normaliseName(text).replace(/\s+/g, '').toLowerCase();
}
