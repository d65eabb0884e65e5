/**
 * Cell values to typed field values, as people write them: enum values by their Chinese or
 * English label (国家级, Joint laboratory), booleans as 是/否, dates in the usual Chinese and
 * English forms, numbers with separators and units. Each failure is a coded, bilingual issue.
 */
import type { FieldDef } from '../registry/registry.types.ts';
import { labelKey } from './mapping.ts';
import { parseDate, parseNumber } from './read/values.ts';

export type Cell = string | number | boolean | Date | null | undefined;

export interface FieldIssue {
  code: string;
  message: string;
  message_en: string;
}

/** A converted value, with a warning when it had to be read generously ("1,234万元"). */
export type Converted<T> = { ok: true; value: T; warning?: FieldIssue } | { ok: false; issue: FieldIssue };

const ok = <T>(value: T): Converted<T> => ({ ok: true, value });
const fail = (code: string, message: string, message_en: string): Converted<never> => ({ ok: false, issue: { code, message, message_en } });

const BLANK = /^\s*(|-|—|–|\/|NA|N\/A|n\/a|无)\s*$/;

/**
 * Columns whose cells name countries (a registry's ISO3 fields, the projects' partner-country
 * list, the countries import): there "NA" is Namibia's ISO 3166 code (CORDIS writes it so), not
 * "not available".
 */
export const COUNTRY_COLUMNS: ReadonlySet<string> = new Set(['country_iso3', 'nationality_iso3', 'country', 'partner_countries']);

/** Whether a field (or a mapping target key) holds countries. */
export function isCountryField(field: string | Pick<FieldDef, 'name' | 'type'>): boolean {
  return typeof field === 'string' ? COUNTRY_COLUMNS.has(field) : field.type === 'iso3' || COUNTRY_COLUMNS.has(field.name);
}

/**
 * Empty cells: nothing written. "NA", "N/A", "-", "/", "无" are empty too — except that in a
 * country column (give the field or its key) "NA" is Namibia; "N/A" stays empty everywhere.
 */
export function isBlank(v: Cell, field?: string | Pick<FieldDef, 'name' | 'type'>): boolean {
  if (v == null) return true;
  if (typeof v !== 'string' || !BLANK.test(v)) return false;
  return !(field !== undefined && v.trim() === 'NA' && isCountryField(field));
}

const TRUE = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '境内', '国内', '同意']);
const FALSE = new Set(['否', '无', 'n', 'no', 'false', '0', '×', '✗', '境外', '国外', '不同意']);

// Words that name a programme level inside longer labels (国家国际科技合作项目 → national).
const LEVEL_WORDS: [RegExp, string][] = [
  [/国家|中央|national/i, 'national'],
  [/省|provinc/i, 'provincial'],
  [/市|municipal|city/i, 'municipal'],
  [/区|县|district|county/i, 'district'],
];

/** An enum value as a kind may list it: with other spellings that mean it (a source's own codes). */
type EnumValue = NonNullable<FieldDef['values']>[number] & { aliases?: readonly string[] };

/** An enum value from its code, its Chinese/English label or one of its aliases. */
export function enumValue(f: FieldDef, v: Cell): Converted<string> {
  const text = String(v).trim();
  const key = labelKey(text);
  const values = f.values as readonly EnumValue[];
  const hit = values.find(
    (x) => labelKey(x.value) === key || labelKey(x.zh) === key || labelKey(x.en) === key || (x.aliases ?? []).some((a) => labelKey(a) === key),
  );
  if (hit) return ok(hit.value);
  if (f.values!.some((x) => x.value === 'national')) {
    const lv = LEVEL_WORDS.find(([re]) => re.test(text));
    if (lv) return ok(lv[1]);
  }
  const partial = f.values!.find((x) => x.zh.length >= 2 && (key.includes(labelKey(x.zh)) || labelKey(x.zh).includes(key)) && key.length >= 2);
  if (partial) return ok(partial.value);
  return fail(
    'VALUE_NOT_ALLOWED',
    `“${text}”不是${f.zh}的可选值（可选：${f.values!.map((x) => x.zh).join('、')}）`,
    `"${text}" is not an allowed ${f.en} (allowed: ${f.values!.map((x) => x.en).join(', ')})`,
  );
}

/** Converts a cell for a field of a simple type (not refs or countries, which need look-ups). */
export function convertSimple(f: FieldDef, v: Cell): Converted<unknown> {
  if (isBlank(v)) return ok(null);
  switch (f.type) {
    case 'text':
    case 'longtext': {
      const s = (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)).replace(/\s+/g, ' ').trim();
      const max = f.max ?? (f.type === 'text' ? 500 : 20000);
      if (s.length > max) return fail('TEXT_TOO_LONG', `${f.zh}过长（${s.length} 字，上限 ${max}）`, `${f.en} is too long (${s.length} characters, limit ${max})`);
      return ok(s);
    }
    case 'int':
    case 'number': {
      const n = typeof v === 'number' ? { value: v } : parseNumber(String(v));
      if (n.issue && n.value == null) return fail(n.issue.code, `${f.zh}：${n.issue.message}`, `${f.en}: ${n.issue.message_en}`);
      if (n.value == null || !Number.isFinite(n.value)) return fail('NUMBER_INVALID', `${f.zh}不是数字：“${String(v)}”`, `${f.en} is not a number: "${String(v)}"`);
      if (f.type === 'int' && !Number.isInteger(n.value)) return fail('INTEGER_EXPECTED', `${f.zh}应为整数：“${String(v)}”`, `${f.en} must be a whole number: "${String(v)}"`);
      if (f.min !== undefined && n.value < f.min) {
        return fail(f.min === 0 ? 'NUMBER_NEGATIVE' : 'NUMBER_TOO_SMALL', `${f.zh}不能小于 ${f.min}：${n.value}`, `${f.en} must be at least ${f.min}: ${n.value}`);
      }
      if (f.max !== undefined && n.value > f.max) return fail('NUMBER_TOO_LARGE', `${f.zh}不能大于 ${f.max}：${n.value}`, `${f.en} must be at most ${f.max}: ${n.value}`);
      const p = n as { normalised?: boolean; approx?: boolean; issue?: { code: string; message: string; message_en: string } };
      if (p.normalised && p.issue) {
        return { ok: true, value: n.value, warning: { code: p.issue.code, message: `${f.zh}：${p.issue.message}`, message_en: `${f.en}: ${p.issue.message_en}` } };
      }
      return ok(n.value);
    }
    case 'bool': {
      if (typeof v === 'boolean') return ok(v);
      const k = String(v).trim().toLowerCase();
      if (TRUE.has(k)) return ok(true);
      if (FALSE.has(k)) return ok(false);
      return fail('BOOLEAN_INVALID', `${f.zh}应填“是”或“否”：“${String(v)}”`, `${f.en} must be yes or no: "${String(v)}"`);
    }
    case 'date': {
      if (v instanceof Date) return ok(v.toISOString().slice(0, 10));
      const d = parseDate(String(v));
      if (d.value == null) return fail('DATE_INVALID', `${f.zh}不是有效日期：“${String(v)}”`, `${f.en} is not a valid date: "${String(v)}"`);
      // A month or a year alone stands for its first day.
      return ok(d.value.length === 7 ? `${d.value}-01` : d.value.length === 4 ? `${d.value}-01-01` : d.value);
    }
    case 'enum':
      return enumValue(f, v);
    default:
      return ok(String(v).trim());
  }
}
