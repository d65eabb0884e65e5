/**
 * How plan values, units and dates are read, shared by the importer and the value entry:
 * units compared (and converted where only a 万/亿 prefix differs), years and partial dates
 * placed on a day, and today's date.
 */
import { parseDate } from '../imports/read/index.ts';
import { daysInMonth, formatIsoDate, parseIsoDate } from './engine/index.ts';

/** Counting words a plan uses for "how many": a value in 个 for a target in 家 is a slip, not another unit. */
const COUNTERS = new Set(['个', '家', '项', '所', '座', '处', '只', '支', '批']);
const PREFIXES: Record<string, number> = { 万: 1e4, 亿: 1e8, 千: 1e3, 百: 1e2 };

const clean = (u: string | null | undefined) => (u ?? '').normalize('NFKC').replace(/\s+/g, '');

function split(u: string): { factor: number; base: string } {
  const p = PREFIXES[u[0]];
  return p && u.length > 1 ? { factor: p, base: u.slice(1) } : { factor: 1, base: u };
}

/** How a value stated in one unit compares with a target's unit. */
export type UnitCheck =
  | { kind: 'same'; factor: 1 }
  /** Same base unit, another multiple (万人 for 人): multiply the value by factor. */
  | { kind: 'converted'; factor: number }
  /** Two counting words (个 for 家): counted as the same unit. */
  | { kind: 'counter'; factor: 1 }
  | { kind: 'mismatch'; factor: null };

/** Compares a value's unit with the target's; an absent unit on either side is taken as the same. */
export function checkUnit(valueUnit: string | null | undefined, targetUnit: string | null | undefined): UnitCheck {
  const v = clean(valueUnit);
  const t = clean(targetUnit);
  if (!v || !t || v === t) return { kind: 'same', factor: 1 };
  const a = split(v);
  const b = split(t);
  if (a.base === b.base) return { kind: 'converted', factor: a.factor / b.factor };
  if (COUNTERS.has(v) && COUNTERS.has(t)) return { kind: 'counter', factor: 1 };
  return { kind: 'mismatch', factor: null };
}

/** Today's civil date where the server runs, 'YYYY-MM-DD'. */
export function todayIso(now: Date = new Date()): string {
  return formatIsoDate({ y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() });
}

/** The last day of a year or month given as 'YYYY' or 'YYYY-MM'; a full date as it is. */
export function endOfPeriod(p: string): string {
  if (/^\d{4}$/.test(p)) return `${p}-12-31`;
  const m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) return formatIsoDate({ y: Number(m[1]), m: Number(m[2]), d: daysInMonth(Number(m[1]), Number(m[2])) });
  return p;
}

/** The first day of a year or month given as 'YYYY' or 'YYYY-MM'; a full date as it is. */
export function startOfPeriod(p: string): string {
  if (/^\d{4}$/.test(p)) return `${p}-01-01`;
  if (/^\d{4}-\d{2}$/.test(p)) return `${p}-01`;
  return p;
}

/**
 * A reporting date as people type it: a year (2024 → 2024-12-31, the year-end figure), a month
 * (2025-06 → 2025-06-30) or a day in any form the shared reader knows (2025/6/30, 2025年6月30日).
 * Null when unreadable.
 */
export function readReportingDate(input: unknown): { date: string; precision: 'day' | 'year' } | null {
  if (typeof input === 'number' && Number.isInteger(input) && input >= 1900 && input <= 2200) return { date: `${input}-12-31`, precision: 'year' };
  const text = typeof input === 'string' ? input.trim() : input;
  if (typeof text === 'string' && /^\d{4}$/.test(text)) return { date: `${text}-12-31`, precision: 'year' };
  const parsed = parseDate(text);
  if (!parsed.value) return null;
  const day = parsed.value.slice(0, 10);
  if (parsed.precision === 'year') return { date: endOfPeriod(day.slice(0, 4)), precision: 'year' };
  if (parsed.precision === 'month') return { date: endOfPeriod(day.slice(0, 7)), precision: 'day' };
  try {
    parseIsoDate(day);
  } catch {
    return null;
  }
  return { date: day, precision: 'day' };
}

/**
 * The units a cell lists, split on ，,;； and line breaks — not on 、, since "市科委、中关村管委会"
 * names one body. Duplicates are dropped.
 */
export function splitUnits(text: string | null | undefined): string[] {
  if (!text) return [];
  const seen = new Set<string>();
  for (const part of String(text).split(/[，,;；\n\r]+/)) {
    const u = part.normalize('NFKC').trim();
    if (u) seen.add(u);
  }
  return [...seen];
}

/** A unit name in the form compared with a task's responsible units. */
export function unitKey(u: string): string {
  return u.normalize('NFKC').replace(/\s+/g, '');
}
