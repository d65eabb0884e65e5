/**
 * Civil dates ('YYYY-MM-DD', no time zone) for the post-award engine: checking a date with this
 * module's own code, and month arithmetic (extensions in months, half-yearly reporting, "the last
 * three months"). Day arithmetic is the plan engine's (UTC day numbers, so the machine's time zone
 * never shifts a day).
 *
 * Month arithmetic follows the end-of-month rule people use for project periods: a date on the
 * last day of its month moves to the last day of the target month (2026-09-30 + 3 months =
 * 2026-12-31; 2026-12-31 − 3 months = 2026-09-30); any other day keeps its number, clamped to the
 * target month's length (2026-01-30 + 1 month = 2026-02-28).
 */
import { addDays, dayNumber, daysBetween, daysInMonth, formatIsoDate } from '../../plans/engine/quarters.ts';
import { issue, type LifecycleIssue } from './issues.ts';

export { addDays, dayNumber, daysBetween };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD' (2025-02-30 is not). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** The AGREEMENT_DATE_INVALID issue for a field, or null when the value is a date. */
export function checkDate(value: unknown, field: string, at: Record<string, unknown> = {}): LifecycleIssue | null {
  return isIsoDate(value) ? null : issue('AGREEMENT_DATE_INVALID', { field, value: String(value) }, { field, ...at });
}

/** The year of a valid date. */
export const yearOf = (date: string): number => Number(date.slice(0, 4));

/** True when the date is the last day of its month. */
export function isMonthEnd(date: string): boolean {
  const y = yearOf(date);
  const m = Number(date.slice(5, 7));
  return Number(date.slice(8, 10)) === daysInMonth(y, m);
}

/** The date n months after (n < 0: before) a date, by the end-of-month rule (module comment). */
export function addMonths(date: string, n: number): string {
  const y = yearOf(date);
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  const last = daysInMonth(ty, tm);
  return formatIsoDate({ y: ty, m: tm, d: isMonthEnd(date) ? last : Math.min(d, last) });
}

/** The last day of the month a date is in. */
export function monthEnd(date: string): string {
  const y = yearOf(date);
  const m = Number(date.slice(5, 7));
  return formatIsoDate({ y, m, d: daysInMonth(y, m) });
}

/**
 * From a to b (b ≥ a) in whole months and the days left over: the largest n with
 * addMonths(a, n) ≤ b, then the days from there to b. 2026-12-31 → 2027-12-31 is 12 months 0 days.
 */
export function monthsAndDays(a: string, b: string): { months: number; days: number } {
  let n = (yearOf(b) - yearOf(a)) * 12 + (Number(b.slice(5, 7)) - Number(a.slice(5, 7)));
  while (n > 0 && addMonths(a, n) > b) n--;
  while (addMonths(a, n + 1) <= b) n++;
  return { months: n, days: daysBetween(addMonths(a, n), b) };
}

/** The years a period touches, first to last. */
export function yearsOf(start: string, end: string): number[] {
  const out: number[] = [];
  for (let y = yearOf(start); y <= yearOf(end); y++) out.push(y);
  return out;
}
