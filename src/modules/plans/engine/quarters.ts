/**
 * Calendar helpers for plan monitoring: reporting quarters, their as-of dates, and the time
 * axis on which growth rates are computed.
 *
 * Time points. A plan states years (基线年份 2023, 目标年份 2027) while progress reports and
 * registry counts carry dates. Both map onto one axis, measured in years:
 *   - a year label Y (the integer 2023 or the string '2023') is the state at the END of that
 *     year, i.e. the same instant as 'Y-12-31' — a baseline "in 2023" is the 2023 year-end
 *     figure and a target "in 2027" must be met by 2027-12-31;
 *   - a date 'YYYY-MM-DD' is placed by the chosen convention (below);
 *   - a non-integer number is taken as an axis coordinate as is (used by tests and callers
 *     that already hold fractional years).
 *
 * Conventions for fractional years:
 *   - 'reporting_months' (default): whole months plus the elapsed share of the current month,
 *     tau = (Y − 1) + (M − 1)/12 + D/(12·daysInMonth). Quarter ends fall exactly on quarter
 *     years (2025-03-31 → 2024.25, 2025-06-30 → 2024.5, 2025-12-31 → 2025), and two year
 *     labels are exactly their year difference apart, so hand-computed CAGRs over whole years
 *     and quarters come out exact. Why: reporting happens at quarter ends; a convention that
 *     puts 2025-06-30 at 1.4962 years after 2023-12-31 would make every status explanation
 *     carry an unexplainable decimal.
 *   - 'actual_365_25': actual days / 365.25, with year labels read as 31 December. Offered for
 *     evaluators who want day-exact spans; note two year-ends are then 2.0014 (not 2) years
 *     apart when a leap day lies between them.
 *
 * All dates are civil dates without time zone; arithmetic is done on UTC day numbers so the
 * machine's time zone never shifts a day.
 */
import { badRequest } from '../../../errors.ts';

/** A year label (number or 'YYYY'), an ISO date 'YYYY-MM-DD', or a fractional-year coordinate. */
export type TimePoint = number | string;

/** How dates are turned into fractional years (see the module comment). */
export type YearConvention = 'reporting_months' | 'actual_365_25';

export const DEFAULT_CONVENTION: YearConvention = 'reporting_months';

/** A civil date. */
export interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** A reporting quarter. */
export interface Quarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

const MS_PER_DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_RE = /^\d{4}$/;

const invalidTime = (value: unknown) =>
  badRequest(
    'PLAN_TIME_INVALID',
    `无法识别的日期或年份：${String(value)}（应为 YYYY 或 YYYY-MM-DD）`,
    `Not a year or date: ${String(value)} (expected YYYY or YYYY-MM-DD)`,
    [{ field: 'date', value: String(value) }],
  );

/** Days in a month of a year (Gregorian). */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Parses a strict ISO date 'YYYY-MM-DD'; throws PLAN_TIME_INVALID on anything else (e.g. 2025-02-30). */
export function parseIsoDate(s: string): Ymd {
  const m = DATE_RE.exec(s);
  if (!m) throw invalidTime(s);
  const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (ymd.m < 1 || ymd.m > 12 || ymd.d < 1 || ymd.d > daysInMonth(ymd.y, ymd.m)) throw invalidTime(s);
  return ymd;
}

/** Formats a civil date as 'YYYY-MM-DD'. */
export function formatIsoDate({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** UTC day number (days since 1970-01-01) of an ISO date. */
export function dayNumber(date: string): number {
  const { y, m, d } = parseIsoDate(date);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

/** The ISO date of a UTC day number. */
export function fromDayNumber(n: number): string {
  const dt = new Date(n * MS_PER_DAY);
  return formatIsoDate({ y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() });
}

/** The date n days after (or before, n < 0) a date. */
export function addDays(date: string, n: number): string {
  return fromDayNumber(dayNumber(date) + n);
}

/** Whole days from a to b (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** True when the point is a year label rather than a date. */
export function isYearLabel(p: TimePoint): boolean {
  return typeof p === 'number' ? Number.isInteger(p) : YEAR_RE.test(p);
}

/**
 * The calendar date a time point stands for: a year label is its 31 December. Fractional
 * coordinates have no single civil date and are refused.
 */
export function toIsoDate(p: TimePoint): string {
  if (typeof p === 'number') {
    if (!Number.isInteger(p)) throw invalidTime(p);
    return `${p}-12-31`;
  }
  if (YEAR_RE.test(p)) return `${p}-12-31`;
  parseIsoDate(p);
  return p;
}

/** The position of a time point on the year axis under a convention (see module comment). */
export function yearFraction(p: TimePoint, convention: YearConvention = DEFAULT_CONVENTION): number {
  if (typeof p === 'number') {
    if (!Number.isFinite(p)) throw invalidTime(p);
    if (!Number.isInteger(p) || convention === 'reporting_months') return p;
    return yearFraction(`${p}-12-31`, convention);
  }
  if (YEAR_RE.test(p)) return yearFraction(Number(p), convention);
  const { y, m, d } = parseIsoDate(p);
  if (convention === 'reporting_months') return y - 1 + (m - 1) / 12 + d / (12 * daysInMonth(y, m));
  // Anchored so that 1969-12-31 is 1969.0; only differences matter.
  return 1969 + (dayNumber(p) - dayNumber('1969-12-31')) / 365.25;
}

/** Fractional years from a to b (positive when b is later). */
export function yearsBetween(a: TimePoint, b: TimePoint, convention: YearConvention = DEFAULT_CONVENTION): number {
  return yearFraction(b, convention) - yearFraction(a, convention);
}

/** The reporting quarter a date falls in. */
export function quarterOf(date: string): Quarter {
  const { y, m } = parseIsoDate(date);
  return { year: y, quarter: (Math.floor((m - 1) / 3) + 1) as Quarter['quarter'] };
}

/** First day of a quarter. */
export function quarterStart({ year, quarter }: Quarter): string {
  return formatIsoDate({ y: year, m: (quarter - 1) * 3 + 1, d: 1 });
}

/** Last day of a quarter: the as-of date of that quarter's report. */
export function quarterEnd({ year, quarter }: Quarter): string {
  const m = quarter * 3;
  return formatIsoDate({ y: year, m, d: daysInMonth(year, m) });
}

/** '2025Q2' (en) or '2025年第2季度' (zh). */
export function quarterLabel(q: Quarter, lang: 'zh' | 'en' = 'en'): string {
  return lang === 'zh' ? `${q.year}年第${q.quarter}季度` : `${q.year}Q${q.quarter}`;
}

/** The quarter after q. */
export function nextQuarter(q: Quarter): Quarter {
  return q.quarter === 4 ? { year: q.year + 1, quarter: 1 } : { year: q.year, quarter: (q.quarter + 1) as Quarter['quarter'] };
}

/**
 * The as-of date of the latest reporting quarter complete on a date: the date itself when it is
 * a quarter end, else the end of the previous quarter (2025-05-10 → 2025-03-31).
 */
export function latestQuarterEnd(date: string): string {
  const q = quarterOf(date);
  const end = quarterEnd(q);
  if (end === date) return end;
  return addDays(quarterStart(q), -1);
}

/** The as-of dates (quarter ends) of all reporting quarters ending within [from, to], oldest first. */
export function reportingAsOfDates(from: string, to: string): string[] {
  const last = dayNumber(to);
  const out: string[] = [];
  for (let q = quarterOf(from); ; q = nextQuarter(q)) {
    const end = quarterEnd(q);
    const n = dayNumber(end);
    if (n > last) break;
    if (n >= dayNumber(from)) out.push(end);
  }
  return out;
}
