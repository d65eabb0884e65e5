/**
 * What the outputs registry says a project achieved on a key indicator. The outputs a project
 * reports are written to the outputs registry (not to a second list), and every later step —
 * report checks, acceptance, outcome follow-up, performance — counts them here, one way:
 *
 *   - only records of the indicator's output kind (KEY_INDICATORS[].output_kind) count, within
 *     the years asked for (a record without a year counts: it is the project's, undated);
 *   - a 'count' indicator (patents, papers, standards, products, technologies, talents) adds each
 *     record's `quantity`, 1 when empty — one record per patent or paper as the registry keeps
 *     them, or one row 「新产品 3 项」 as bureaus' sheets have them;
 *   - an 'amount' indicator (revenue) adds each record's `value` converted from its `unit` to the
 *     indicator's unit (元 → 万元); a record without a value, or in a unit that is not money, is
 *     left out with a warning; a record without a unit is read in the indicator's unit, with a
 *     warning.
 */
import { toIndicatorUnit, type KeyIndicatorKind } from '../../lifecycle/vocabulary.ts';
import { roundWan } from './agreement.ts';
import { issue, type LifecycleIssue } from './issues.ts';

/** A record of the outputs registry (the fields the engine reads). */
export interface OutputRecord {
  kind: string;
  title: string;
  year: number | null;
  quantity?: number | null;
  value?: number | null;
  unit?: string | null;
}

/** An indicator's achievement from the registry: the sum, how many records made it, and warnings. */
export interface OutputCount {
  value: number;
  records: number;
  issues: LifecycleIssue[];
}

/** Records of a kind within [from, to] years (either end open when omitted). */
export function outputsOf(outputs: readonly OutputRecord[], kind: string, years: { from?: number; to?: number } = {}): OutputRecord[] {
  return outputs.filter((o) => o.kind === kind && (o.year === null || ((years.from === undefined || o.year >= years.from) && (years.to === undefined || o.year <= years.to))));
}

/** The registry's achievement on an output-backed key indicator; see the module comment. */
export function countOutputs(k: KeyIndicatorKind, outputs: readonly OutputRecord[], years: { from?: number; to?: number } = {}): OutputCount {
  if (!k.output_kind) return { value: 0, records: 0, issues: [] };
  const issues: LifecycleIssue[] = [];
  const name = { zh: k.zh, en: k.en };
  let value = 0;
  let records = 0;
  for (const o of outputsOf(outputs, k.output_kind, years)) {
    if (k.measure === 'count') {
      value += typeof o.quantity === 'number' && Number.isFinite(o.quantity) && o.quantity >= 0 ? o.quantity : 1;
      records++;
      continue;
    }
    if (typeof o.value !== 'number' || !Number.isFinite(o.value)) {
      issues.push(issue('OUTPUT_VALUE_MISSING', { title: o.title, indicator: name }, { field: 'value', title: o.title }));
      continue;
    }
    const unit = o.unit?.trim() ? o.unit : k.unit;
    if (!o.unit?.trim()) issues.push(issue('OUTPUT_UNIT_ASSUMED', { title: o.title, unit: k.unit }, { field: 'unit', title: o.title }));
    const v = toIndicatorUnit(k, o.value, unit);
    if (v === null) {
      issues.push(issue('OUTPUT_UNIT_UNKNOWN', { title: o.title, unit, indicator: name }, { field: 'unit', title: o.title, unit }));
      continue;
    }
    value += v;
    records++;
  }
  return { value: k.measure === 'amount' ? roundWan(value) : value, records, issues };
}
