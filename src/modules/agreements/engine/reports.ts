/**
 * Progress and financial reports checked against the task agreement in force.
 *
 * Indicator values are CUMULATIVE TO DATE (累计完成值): each report states what the project has
 * achieved since its start up to the report's as-of date (the end of its period), in any unit that
 * converts to the indicator's. Why cumulative: task agreements, acceptance and the achievement
 * rate all compare a total with the target; a report that is missed or late loses nothing, and a
 * correction in a later report replaces the earlier figure instead of being added to it. The
 * period's increment is derived (value − the previous accepted report's value); a value below the
 * previous one is accepted with a warning (REPORT_VALUE_DECREASED: a correction, or a typo).
 *
 * For output-backed indicators the registry's count as of the report's year is shown beside the
 * reported figure; a reported figure above it warns (REPORT_OUTPUTS_MISSING): outputs must be
 * registered, since acceptance counts the registry, not the report.
 *
 * Spending is also cumulative to date, by category (rows of one category with different sources
 * are added). A category whose spending exceeds its budget in the agreement in force — which
 * already holds every approved or recorded reallocation — is refused (BUDGET_CATEGORY_EXCEEDED):
 * overspending needs an approved change first.
 *
 * Milestones: done on time (done_on ≤ due), done late, overdue (not done and the as-of date is
 * past its due date), or open. A milestone reported done in an earlier report stays done.
 */
import { BUDGET_CATEGORIES, keyIndicator, toIndicatorUnit } from '../../lifecycle/vocabulary.ts';
import { acceptedUnits, budgetByCategory, named, roundWan, sameWan, type Agreement } from './agreement.ts';
import { checkDate, dayNumber, yearOf } from './dates.ts';
import { issue, type LifecycleIssue } from './issues.ts';
import { countOutputs, type OutputRecord } from './outputs.ts';

/** A report as the lead organisation fills it. */
export interface ReportInput {
  /** The last day the report covers (its period's end; the project's end for the final report). */
  as_of: string;
  indicators: Array<{ kind: string; value: number; unit: string; evidence?: string[] }>;
  /** Cumulative spending to date (万元). */
  spending: Array<{ category: string; source?: string | null; amount_wan: number }>;
  milestones: Array<{ title: string; done_on?: string | null; note?: string | null }>;
}

/** What a report is checked against. */
export interface ReportContext {
  /** The agreement in force. */
  agreement: Agreement;
  /** The previous accepted report: values to date in each indicator's unit, milestones done. */
  previous?: { indicators?: Readonly<Record<string, number>>; milestones_done?: Readonly<Record<string, string>> } | null;
  /** The project's records in the outputs registry. */
  outputs?: readonly OutputRecord[];
}

/** One key indicator as the report states it. */
export interface ReportedIndicator {
  kind: string;
  indicator: string;
  indicator_en: string;
  unit: string;
  target: number;
  /** Reported value to date in the indicator's unit; null when the report does not state it. */
  value_to_date: number | null;
  previous: number | null;
  /** value_to_date − previous (the period's progress). */
  increment: number | null;
  /** value_to_date / target. */
  rate: number | null;
  /** The outputs registry's count as of the report's year (output-backed indicators only). */
  registry: number | null;
}

export interface SpendingLine {
  category: string;
  budget_wan: number;
  spent_wan: number;
  remaining_wan: number;
  /** spent / budget; null when the category has no budget. */
  share: number | null;
}

export type MilestoneStatus = 'done' | 'done_late' | 'overdue' | 'open';

export interface MilestoneLine {
  title: string;
  due: string;
  status: MilestoneStatus;
  done_on: string | null;
  days_overdue: number;
}

/** A report checked. */
export interface ReportCheck {
  ok: boolean;
  issues: LifecycleIssue[];
  indicators: ReportedIndicator[];
  spending: SpendingLine[];
  spent_total_wan: number;
  budget_total_wan: number;
  milestones: MilestoneLine[];
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const SPENDING = { zh: '支出', en: 'spending' };

/** Checks a progress or financial report against the agreement in force; see the module comment. */
export function checkReport(report: ReportInput, ctx: ReportContext): ReportCheck {
  const a = ctx.agreement;
  const issues: LifecycleIssue[] = [];
  const bad = checkDate(report.as_of, 'as_of');
  if (bad) issues.push(bad);
  else if (report.as_of < a.start_date || report.as_of > a.end_date) issues.push(issue('REPORT_PERIOD_INVALID', { date: report.as_of, start: a.start_date, end: a.end_date }, { field: 'as_of' }));
  const asOfOk = !bad;

  // Indicators: values to date, converted to each indicator's unit.
  const reported = new Map<string, number>();
  (report.indicators ?? []).forEach((r, i) => {
    const row = i + 1;
    const k = keyIndicator(r.kind);
    if (!k || !a.indicators.some((x) => x.kind === r.kind)) {
      issues.push(issue('REPORT_INDICATOR_UNKNOWN', { row, kind: String(r.kind) }, { row, field: 'kind' }));
      return;
    }
    const name = { zh: k.zh, en: k.en };
    if (!isNumber(r.value) || r.value < 0) {
      issues.push(issue('REPORT_VALUE_INVALID', { row, indicator: name, value: r.value }, { row, field: 'value', indicator: k.value }));
      return;
    }
    const v = toIndicatorUnit(k, r.value, String(r.unit ?? ''));
    if (v === null) {
      issues.push(
        issue('INDICATOR_UNIT_MISMATCH', { row, where: { zh: '报告指标', en: "report's indicators" }, indicator: name, unit: String(r.unit ?? ''), expected: acceptedUnits(k) }, { row, field: 'unit', indicator: k.value, unit: r.unit, expected: k.unit }),
      );
      return;
    }
    reported.set(r.kind, k.measure === 'amount' ? roundWan(v) : v);
    const prev = ctx.previous?.indicators?.[r.kind];
    if (isNumber(prev) && v < prev - 1e-9) issues.push(issue('REPORT_VALUE_DECREASED', { row, indicator: name, previous: prev, value: v, unit: k.unit }, { row, field: 'value', indicator: k.value }));
    if (k.output_kind && ctx.outputs && asOfOk) {
      const registry = countOutputs(k, ctx.outputs, { to: yearOf(report.as_of) }).value;
      if (v > registry + 1e-9) issues.push(issue('REPORT_OUTPUTS_MISSING', { row, indicator: name, reported: v, registry }, { row, field: 'value', indicator: k.value }));
    }
  });
  const indicators = a.indicators.map((ind): ReportedIndicator => {
    const k = keyIndicator(ind.kind)!;
    const value = reported.get(ind.kind) ?? null;
    const prev = ctx.previous?.indicators?.[ind.kind];
    const previous = isNumber(prev) ? prev : null;
    return {
      kind: ind.kind,
      indicator: k.zh,
      indicator_en: k.en,
      unit: k.unit,
      target: ind.target,
      value_to_date: value,
      previous,
      increment: value === null ? null : roundWan(value - (previous ?? 0)),
      rate: value === null ? null : value / ind.target,
      registry: k.output_kind && ctx.outputs && asOfOk ? countOutputs(k, ctx.outputs, { to: yearOf(report.as_of) }).value : null,
    };
  });

  // Spending by category against the budget in force.
  const budget = budgetByCategory(a.budget);
  const spent = new Map<string, number>();
  (report.spending ?? []).forEach((s, i) => {
    const row = i + 1;
    if (!BUDGET_CATEGORIES.some((c) => c.value === s.category)) {
      issues.push(issue('BUDGET_CATEGORY_UNKNOWN', { row, category: String(s.category), where: SPENDING }, { row, field: 'category' }));
      return;
    }
    if (!isNumber(s.amount_wan) || s.amount_wan < 0) {
      issues.push(issue('BUDGET_AMOUNT_INVALID', { row, amount: s.amount_wan, where: SPENDING }, { row, field: 'amount_wan', category: s.category }));
      return;
    }
    spent.set(s.category, (spent.get(s.category) ?? 0) + s.amount_wan);
  });
  const categories = BUDGET_CATEGORIES.map((c) => c.value).filter((c) => budget.has(c) || spent.has(c));
  const spending = categories.map((category): SpendingLine => {
    const b = budget.get(category) ?? 0;
    const s = roundWan(spent.get(category) ?? 0);
    if (s > b && !sameWan(s, b)) issues.push(issue('BUDGET_CATEGORY_EXCEEDED', { category: named(BUDGET_CATEGORIES, category), budget: b, spent: s }, { field: 'spending', category, budget: b, spent: s }));
    return { category, budget_wan: b, spent_wan: s, remaining_wan: roundWan(b - s), share: sameWan(b, 0) ? null : s / b };
  });

  // Milestones.
  const done = new Map<string, string>(Object.entries(ctx.previous?.milestones_done ?? {}));
  (report.milestones ?? []).forEach((m, i) => {
    const row = i + 1;
    const title = String(m.title ?? '').trim();
    if (!a.milestones.some((x) => x.title.trim() === title)) {
      issues.push(issue('REPORT_MILESTONE_UNKNOWN', { row, title }, { row, field: 'title' }));
      return;
    }
    if (!m.done_on) return;
    const bad = checkDate(m.done_on, 'done_on', { row });
    if (bad) return void issues.push(bad);
    if (asOfOk && m.done_on > report.as_of) return void issues.push(issue('REPORT_MILESTONE_DATE_INVALID', { row, title, done_on: m.done_on, as_of: report.as_of }, { row, field: 'done_on' }));
    if (!done.has(title)) done.set(title, m.done_on);
  });
  const milestones = a.milestones.map((m): MilestoneLine => {
    const d = done.get(m.title.trim()) ?? null;
    const late = asOfOk ? dayNumber(report.as_of) - dayNumber(m.due) : 0;
    const status: MilestoneStatus = d ? (d <= m.due ? 'done' : 'done_late') : late > 0 ? 'overdue' : 'open';
    return { title: m.title, due: m.due, status, done_on: d, days_overdue: status === 'overdue' ? late : 0 };
  });

  return {
    ok: !issues.some((i) => i.severity === 'error'),
    issues,
    indicators,
    spending,
    spent_total_wan: roundWan(spending.reduce((s, x) => s + x.spent_wan, 0)),
    budget_total_wan: roundWan(spending.reduce((s, x) => s + x.budget_wan, 0)),
    milestones,
  };
}

