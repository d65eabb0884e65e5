/**
 * The task agreement (任务书) of a cooperation project: its model, its validation against the
 * project's funding lines, and the difference between two states of it (the signed baseline and a
 * change request's proposal).
 *
 * Rules checked (every problem is reported at once, each naming its row or cell):
 *   - period: dates are real dates and the end is not before the start;
 *   - at least one objective, a person in charge and one key indicator;
 *   - key indicators: a kind from KEY_INDICATORS, at most once each, a target > 0, and a unit that
 *     is the kind's unit or converts to it (元 → 万元 for revenue; 件 or 项 for patents; never 人
 *     for 人次) — INDICATOR_UNIT_MISMATCH names the row. The valid agreement carries every target
 *     in the kind's own unit;
 *   - budget cells (source × year × category, 万元): known source and category, amount ≥ 0, a year
 *     inside the project period, each cell once; and for every source and year the categories add
 *     up to the project's funding lines of that source and year, to one 元 (BUDGET_FUNDING_MISMATCH
 *     names the source and year, with both sums). A funding line with no budget and a budget with no
 *     funding line are both mismatches;
 *   - milestones: a title, unique, a due date inside the project period, at least one deliverable;
 *   - reporting rules (see schedule.ts): a known kind and frequency, each kind once;
 *   - partners: a name, unique, at least one obligation; and at least one foreign partner unless
 *     the caller says the project need not have one.
 */
import { FUNDING_SOURCES, BUDGET_CATEGORIES, keyIndicator, toIndicatorUnit, type KeyIndicatorKind } from '../../lifecycle/vocabulary.ts';
import { labelOf, type Values } from '../../registries/enums.ts';
import { checkDate, yearOf } from './dates.ts';
import { issue, num, type LifecycleIssue, type Named } from './issues.ts';

/** A funding line of the project (the funding registry, in 万元), by source and year. */
export interface FundingLine {
  source: string;
  year: number;
  amount_wan: number;
}

/** A key indicator the project commits to. */
export interface AgreementIndicator {
  /** A KEY_INDICATORS value. */
  kind: string;
  target: number;
  unit: string;
  note?: string | null;
}

/** One budget cell: a source's money for a category in a year, in 万元. */
export interface BudgetCell {
  source: string;
  year: number;
  category: string;
  amount_wan: number;
}

/** A milestone (节点) with its due date and what it delivers. */
export interface AgreementMilestone {
  title: string;
  due: string;
  deliverables: string[];
}

/** The reports an agreement requires (see schedule.ts). */
export type ReportKind = 'progress' | 'financial' | 'final';
export type ReportFrequency = 'quarterly' | 'half_yearly' | 'yearly' | 'once';

/** A reporting rule: which report, how often, how long after its period, and the grace period. */
export interface ReportingRule {
  kind: ReportKind;
  frequency: ReportFrequency;
  /** Due at the end of the month this many months after the period's last month (0: its own month end). */
  due_months_after: number;
  /** Days after the due date before a missing report is overdue. */
  grace_days: number;
}

/** A partner organisation and what it undertakes (合作单位的任务和义务). */
export interface PartnerObligation {
  name: string;
  /** The organisation registry's id, when resolved. */
  org_id?: number | null;
  country_iso3?: string | null;
  foreign: boolean;
  obligations: string[];
  /** What the partner puts in, in 万元, when stated. */
  contribution_wan?: number | null;
}

/** A task agreement: the signed one is the baseline that change requests are measured against. */
export interface Agreement {
  /** The project's code. */
  project: string;
  start_date: string;
  end_date: string;
  objectives: string[];
  person_in_charge: string;
  indicators: AgreementIndicator[];
  budget: BudgetCell[];
  milestones: AgreementMilestone[];
  reporting: ReportingRule[];
  partners: PartnerObligation[];
}

/** Options of agreement validation. */
export interface AgreementRules {
  /** An international cooperation project needs a foreign partner (default true). */
  require_foreign_partner?: boolean;
}

/** The outcome of validation: every issue, and the agreement in canonical units when valid. */
export interface AgreementCheck {
  ok: boolean;
  issues: LifecycleIssue[];
  /** Targets in each kind's own unit; null when there are errors. */
  agreement: Agreement | null;
}

export const REPORT_KINDS: Values = [
  { value: 'progress', zh: '进展报告', en: 'progress report' },
  { value: 'financial', zh: '财务报告', en: 'financial report' },
  { value: 'final', zh: '总结报告', en: 'final report' },
];

/** Every report a project owes, the yearly outcome reports after acceptance included (outcomes.ts). */
export type ScheduleKind = ReportKind | 'outcome';

export const SCHEDULE_KINDS: Values = [...REPORT_KINDS, { value: 'outcome', zh: '成效报告', en: 'outcome report' }];

export const REPORT_FREQUENCIES: Values = [
  { value: 'quarterly', zh: '每季度', en: 'quarterly' },
  { value: 'half_yearly', zh: '每半年', en: 'half-yearly' },
  { value: 'yearly', zh: '每年', en: 'yearly' },
  { value: 'once', zh: '一次', en: 'once' },
];

/**
 * The reporting schedule an office uses when the agreement states none: half-yearly progress
 * reports due by the end of the following month, yearly financial reports by the end of March,
 * and the final report within three months of the end; 15 days' grace each.
 */
export const DEFAULT_REPORTING: readonly ReportingRule[] = Object.freeze([
  { kind: 'progress', frequency: 'half_yearly', due_months_after: 1, grace_days: 15 },
  { kind: 'financial', frequency: 'yearly', due_months_after: 3, grace_days: 15 },
  { kind: 'final', frequency: 'once', due_months_after: 3, grace_days: 15 },
]);

/** Chinese and English name of a value of a list (the value itself when unknown). */
export const named = (values: Values, value: string): Named => ({ zh: labelOf(values, value, 'zh'), en: labelOf(values, value, 'en') });

/** Chinese and English name of a key indicator kind. */
export function indicatorName(kind: string): Named {
  const k = keyIndicator(kind);
  return k ? { zh: k.zh, en: k.en } : { zh: kind, en: kind };
}

/** The units a kind accepts, for messages: its own first. */
export const acceptedUnits = (k: KeyIndicatorKind): string[] => (k.measure === 'amount' ? [k.unit, '元', '亿元'] : [k.unit, ...k.unit_aliases]);

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';
/** Two amounts in 万元 agree when they differ by less than half a 元. */
export const sameWan = (a: number, b: number): boolean => Math.abs(a - b) < 0.00005;
/** An amount in 万元 rounded to one 元, so sums print as the office writes them. */
export const roundWan = (x: number): number => Math.round(x * 1e4) / 1e4;

/** A key indicator row, checked: the issues, and the target in the kind's unit when valid. */
export function checkIndicator(ind: AgreementIndicator, row: number): { issues: LifecycleIssue[]; canonical: AgreementIndicator | null } {
  const k = keyIndicator(ind.kind);
  if (!k) return { issues: [issue('INDICATOR_KIND_UNKNOWN', { row, kind: String(ind.kind) }, { row, field: 'kind' })], canonical: null };
  const name = { zh: k.zh, en: k.en };
  const issues: LifecycleIssue[] = [];
  if (!isNumber(ind.target) || ind.target <= 0) issues.push(issue('INDICATOR_TARGET_INVALID', { row, indicator: name, target: ind.target }, { row, field: 'target', indicator: k.value }));
  const converted = isNumber(ind.target) ? toIndicatorUnit(k, ind.target, String(ind.unit ?? '')) : null;
  if (isNumber(ind.target) && converted === null)
    issues.push(issue('INDICATOR_UNIT_MISMATCH', { row, indicator: name, unit: String(ind.unit ?? ''), expected: acceptedUnits(k) }, { row, field: 'unit', indicator: k.value, unit: ind.unit, expected: k.unit }));
  if (issues.length || converted === null) return { issues, canonical: null };
  return { issues, canonical: { ...ind, target: converted, unit: k.unit } };
}

/** Validates a task agreement against the project's funding lines; see the module comment. */
export function validateAgreement(a: Agreement, funding: readonly FundingLine[], rules: AgreementRules = {}): AgreementCheck {
  const issues: LifecycleIssue[] = [];
  const push = (i: LifecycleIssue | null) => i && issues.push(i);

  // Period.
  const startBad = checkDate(a.start_date, 'start_date');
  const endBad = checkDate(a.end_date, 'end_date');
  push(startBad);
  push(endBad);
  const periodOk = !startBad && !endBad && a.end_date >= a.start_date;
  if (!startBad && !endBad && !periodOk) push(issue('PROJECT_PERIOD_INVALID', { start: a.start_date, end: a.end_date }, { field: 'end_date' }));

  if (!a.objectives?.some((o) => !blank(o))) push(issue('AGREEMENT_OBJECTIVE_MISSING', {}, { field: 'objectives' }));
  if (blank(a.person_in_charge)) push(issue('AGREEMENT_PERSON_MISSING', {}, { field: 'person_in_charge' }));

  // Key indicators.
  const indicators: AgreementIndicator[] = [];
  if (!a.indicators?.length) push(issue('INDICATOR_NONE', {}, { field: 'indicators' }));
  const firstRow = new Map<string, number>();
  (a.indicators ?? []).forEach((ind, i) => {
    const row = i + 1;
    const c = checkIndicator(ind, row);
    issues.push(...c.issues);
    if (keyIndicator(ind.kind)) {
      const first = firstRow.get(ind.kind);
      if (first !== undefined) push(issue('INDICATOR_DUPLICATE', { row, indicator: indicatorName(ind.kind), first_row: first }, { row, field: 'kind', indicator: ind.kind }));
      else firstRow.set(ind.kind, row);
    }
    if (c.canonical) indicators.push(c.canonical);
  });

  // Budget cells.
  const from = periodOk ? yearOf(a.start_date) : null;
  const to = periodOk ? yearOf(a.end_date) : null;
  const cellRow = new Map<string, number>();
  (a.budget ?? []).forEach((c, i) => {
    const row = i + 1;
    const at = { row, source: c.source, year: c.year, category: c.category };
    if (!FUNDING_SOURCES.some((s) => s.value === c.source)) push(issue('BUDGET_SOURCE_UNKNOWN', { row, source: String(c.source) }, { ...at, field: 'source' }));
    if (!BUDGET_CATEGORIES.some((s) => s.value === c.category)) push(issue('BUDGET_CATEGORY_UNKNOWN', { row, category: String(c.category) }, { ...at, field: 'category' }));
    if (!isNumber(c.amount_wan) || c.amount_wan < 0) push(issue('BUDGET_AMOUNT_INVALID', { row, amount: c.amount_wan }, { ...at, field: 'amount_wan' }));
    if (from !== null && to !== null && (!Number.isInteger(c.year) || c.year < from || c.year > to))
      push(issue('BUDGET_YEAR_OUTSIDE_PERIOD', { row, year: c.year, from, to }, { ...at, field: 'year' }));
    const key = `${c.source}|${c.year}|${c.category}`;
    const first = cellRow.get(key);
    if (first !== undefined)
      push(issue('BUDGET_CELL_DUPLICATE', { row, first_row: first, source: named(FUNDING_SOURCES, c.source), year: c.year, category: named(BUDGET_CATEGORIES, c.category) }, { ...at, field: 'category' }));
    else cellRow.set(key, row);
  });
  for (const m of fundingMismatches(a.budget ?? [], funding)) push(m);

  // Milestones.
  const titleRow = new Map<string, number>();
  (a.milestones ?? []).forEach((m, i) => {
    const row = i + 1;
    const title = String(m.title ?? '').trim();
    if (!title) push(issue('MILESTONE_TITLE_MISSING', { row }, { row, field: 'title' }));
    else if (titleRow.has(title)) push(issue('MILESTONE_DUPLICATE', { row, title, first_row: titleRow.get(title)! }, { row, field: 'title' }));
    else titleRow.set(title, row);
    const bad = checkDate(m.due, 'due', { row });
    push(bad);
    if (!bad && periodOk && (m.due < a.start_date || m.due > a.end_date))
      push(issue('MILESTONE_OUTSIDE_PERIOD', { row, title, due: m.due, start: a.start_date, end: a.end_date }, { row, field: 'due' }));
    if (!m.deliverables?.some((d) => !blank(d))) push(issue('MILESTONE_NO_DELIVERABLE', { row, title }, { row, field: 'deliverables' }));
  });

  // Reporting rules.
  const kindRow = new Map<string, number>();
  (a.reporting ?? []).forEach((r, i) => {
    const row = i + 1;
    issues.push(...checkReportingRule(r, row));
    const first = kindRow.get(r.kind);
    if (first !== undefined) push(issue('REPORTING_RULE_DUPLICATE', { row, kind: named(REPORT_KINDS, r.kind), first_row: first }, { row, field: 'kind' }));
    else kindRow.set(r.kind, row);
  });

  // Partners.
  issues.push(...checkPartners(a.partners ?? [], rules));

  const ok = !issues.some((i) => i.severity === 'error');
  return { ok, issues, agreement: ok ? { ...a, indicators } : null };
}

/** Problems of one reporting rule (kind, frequency, months, grace days). */
export function checkReportingRule(r: ReportingRule, row: number): LifecycleIssue[] {
  const out: LifecycleIssue[] = [];
  const bad = (field: string, value: unknown) => out.push(issue('REPORTING_RULE_INVALID', { row, field, value }, { row, field }));
  if (!REPORT_KINDS.some((k) => k.value === r.kind)) bad('kind', r.kind);
  if (!REPORT_FREQUENCIES.some((k) => k.value === r.frequency)) bad('frequency', r.frequency);
  else if ((r.kind === 'final') !== (r.frequency === 'once')) bad('frequency', r.frequency);
  if (!Number.isInteger(r.due_months_after) || r.due_months_after < 0 || r.due_months_after > 12) bad('due_months_after', r.due_months_after);
  if (!Number.isInteger(r.grace_days) || r.grace_days < 0 || r.grace_days > 366) bad('grace_days', r.grace_days);
  return out;
}

/** Problems of a partner list: names, duplicates, obligations, and a foreign partner when required. */
export function checkPartners(partners: readonly PartnerObligation[], rules: AgreementRules = {}): LifecycleIssue[] {
  const out: LifecycleIssue[] = [];
  const seen = new Map<string, number>();
  partners.forEach((p, i) => {
    const row = i + 1;
    const name = String(p.name ?? '').trim();
    if (!name) {
      out.push(issue('PARTNER_NAME_MISSING', { row }, { row, field: 'name' }));
      return;
    }
    if (seen.has(name)) out.push(issue('PARTNER_DUPLICATE', { row, partner: name, first_row: seen.get(name)! }, { row, field: 'name' }));
    else seen.set(name, row);
    if (!p.obligations?.some((o) => !blank(o))) out.push(issue('PARTNER_OBLIGATION_MISSING', { row, partner: name }, { row, field: 'obligations' }));
  });
  if ((rules.require_foreign_partner ?? true) && !partners.some((p) => p.foreign)) out.push(issue('AGREEMENT_NO_FOREIGN_PARTNER', {}, { field: 'partners' }));
  return out;
}

/** Sums of amounts by a key, in first-seen order. */
function sumBy<T>(items: readonly T[], key: (t: T) => string, amount: (t: T) => number): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) {
    const a = amount(t);
    m.set(key(t), (m.get(key(t)) ?? 0) + (isNumber(a) ? a : 0));
  }
  return m;
}

/**
 * The (source, year) pairs where the budget's categories do not add up to the funding lines:
 * each names the source and year with both sums. Pairs are listed budget first, then funding.
 */
export function fundingMismatches(budget: readonly BudgetCell[], funding: readonly FundingLine[]): LifecycleIssue[] {
  const key = (x: { source: string; year: number }) => `${x.source}|${x.year}`;
  const b = sumBy(budget, key, (c) => c.amount_wan);
  const f = sumBy(funding, key, (l) => l.amount_wan);
  const out: LifecycleIssue[] = [];
  for (const k of new Set([...b.keys(), ...f.keys()])) {
    const bv = roundWan(b.get(k) ?? 0);
    const fv = roundWan(f.get(k) ?? 0);
    if (sameWan(bv, fv)) continue;
    const [source, year] = [k.slice(0, k.lastIndexOf('|')), Number(k.slice(k.lastIndexOf('|') + 1))];
    out.push(issue('BUDGET_FUNDING_MISMATCH', { source: named(FUNDING_SOURCES, source), year, budget: bv, funding: fv }, { field: 'budget', source, year, stated: fv, computed: bv }));
  }
  return out;
}

/** Budget totals by category over every source and year (万元), in the list's order. */
export function budgetByCategory(budget: readonly BudgetCell[]): Map<string, number> {
  const m = sumBy(budget, (c) => c.category, (c) => c.amount_wan);
  for (const [k, v] of m) m.set(k, roundWan(v));
  return m;
}

// ---------------------------------------------------------------------------------------------
// Differences between two states of an agreement

/** The part of an agreement a difference is in. */
export type DiffSection = 'period' | 'objectives' | 'person_in_charge' | 'indicators' | 'budget' | 'milestones' | 'reporting' | 'partners';

/** One difference between the baseline and a proposal, labelled for a person in both languages. */
export interface DiffEntry {
  section: DiffSection;
  /** Stable key within the section (indicator kind; source|year|category; milestone title …). */
  key: string;
  change: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
  /** For a budget cell: after − before, in 万元. */
  delta?: number;
  label: string;
  label_en: string;
}

const SECTION: Record<DiffSection, Named> = {
  period: { zh: '执行期', en: 'Period' },
  objectives: { zh: '项目目标', en: 'Objectives' },
  person_in_charge: { zh: '项目负责人', en: 'Person in charge' },
  indicators: { zh: '关键指标', en: 'Key indicators' },
  budget: { zh: '预算', en: 'Budget' },
  milestones: { zh: '节点', en: 'Milestones' },
  reporting: { zh: '报告要求', en: 'Reporting' },
  partners: { zh: '合作单位', en: 'Partners' },
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Keyed comparison of two lists: added, removed and changed items in baseline order, then the new ones. */
function diffKeyed<T>(section: DiffSection, before: readonly T[], after: readonly T[], key: (t: T) => string, label: (k: string) => Named, view: (t: T) => unknown): DiffEntry[] {
  const a = new Map(before.map((t) => [key(t), t]));
  const b = new Map(after.map((t) => [key(t), t]));
  const out: DiffEntry[] = [];
  const entry = (k: string, change: DiffEntry['change'], x: T | undefined, y: T | undefined): DiffEntry => {
    const l = label(k);
    return { section, key: k, change, before: x === undefined ? null : view(x), after: y === undefined ? null : view(y), label: `${SECTION[section].zh} · ${l.zh}`, label_en: `${SECTION[section].en} · ${l.en}` };
  };
  for (const [k, x] of a) {
    const y = b.get(k);
    if (y === undefined) out.push(entry(k, 'removed', x, undefined));
    else if (!same(view(x), view(y))) out.push(entry(k, 'changed', x, y));
  }
  for (const [k, y] of b) if (!a.has(k)) out.push(entry(k, 'added', undefined, y));
  return out;
}

/**
 * Every difference between a baseline (the signed agreement) and a proposed state: period dates,
 * objectives, person in charge, key indicators by kind, budget cells by source × year × category
 * (a cell of 0 counts as absent; `delta` gives the change in 万元), milestones by title, reporting
 * rules by kind and partners by name. Empty when the two say the same.
 */
export function diffAgreements(base: Agreement, proposed: Agreement): DiffEntry[] {
  const out: DiffEntry[] = [];
  for (const f of ['start_date', 'end_date'] as const) {
    if (base[f] !== proposed[f]) {
      const l = f === 'start_date' ? { zh: '开始日期', en: 'Start date' } : { zh: '结束日期', en: 'End date' };
      out.push({ section: 'period', key: f, change: 'changed', before: base[f], after: proposed[f], label: `${SECTION.period.zh} · ${l.zh}`, label_en: `${SECTION.period.en} · ${l.en}` });
    }
  }
  out.push(
    ...diffKeyed(
      'objectives',
      base.objectives.map((o) => o.trim()),
      proposed.objectives.map((o) => o.trim()),
      (o) => o,
      (o) => ({ zh: o, en: o }),
      (o) => o,
    ),
  );
  if (base.person_in_charge.trim() !== proposed.person_in_charge.trim())
    out.push({ section: 'person_in_charge', key: 'person_in_charge', change: 'changed', before: base.person_in_charge, after: proposed.person_in_charge, label: SECTION.person_in_charge.zh, label_en: SECTION.person_in_charge.en });
  out.push(...diffKeyed('indicators', base.indicators, proposed.indicators, (i) => i.kind, indicatorName, (i) => ({ target: i.target, unit: i.unit })));
  const cells = (b: readonly BudgetCell[]) => b.filter((c) => !sameWan(c.amount_wan, 0));
  const budget = diffKeyed(
    'budget',
    cells(base.budget),
    cells(proposed.budget),
    (c) => `${c.source}|${c.year}|${c.category}`,
    (k) => {
      const [s, y, c] = k.split('|');
      const sn = named(FUNDING_SOURCES, s);
      const cn = named(BUDGET_CATEGORIES, c);
      return { zh: `${sn.zh} · ${y} 年 · ${cn.zh}`, en: `${sn.en} · ${y} · ${cn.en}` };
    },
    (c) => roundWan(c.amount_wan),
  );
  for (const e of budget) e.delta = roundWan(((e.after as number | null) ?? 0) - ((e.before as number | null) ?? 0));
  out.push(...budget);
  out.push(...diffKeyed('milestones', base.milestones, proposed.milestones, (m) => m.title.trim(), (t) => ({ zh: t, en: t }), (m) => ({ due: m.due, deliverables: m.deliverables })));
  out.push(...diffKeyed('reporting', base.reporting, proposed.reporting, (r) => r.kind, (k) => named(REPORT_KINDS, k), (r) => ({ frequency: r.frequency, due_months_after: r.due_months_after, grace_days: r.grace_days })));
  out.push(
    ...diffKeyed(
      'partners',
      base.partners,
      proposed.partners,
      (p) => p.name.trim(),
      (n) => ({ zh: n, en: n }),
      (p) => ({ country_iso3: p.country_iso3 ?? null, foreign: p.foreign, obligations: p.obligations, contribution_wan: p.contribution_wan ?? null }),
    ),
  );
  return out;
}

/** A one-line bilingual summary of a difference, for lists and notifications. */
export function describeDiff(e: DiffEntry): Named {
  const show = (v: unknown) => (typeof v === 'number' ? num(v) : typeof v === 'string' ? v : JSON.stringify(v));
  switch (e.change) {
    case 'added':
      return { zh: `新增 ${e.label}：${show(e.after)}`, en: `Added ${e.label_en}: ${show(e.after)}` };
    case 'removed':
      return { zh: `删除 ${e.label}（原为 ${show(e.before)}）`, en: `Removed ${e.label_en} (was ${show(e.before)})` };
    default:
      return { zh: `${e.label}：${show(e.before)} → ${show(e.after)}`, en: `${e.label_en}: ${show(e.before)} → ${show(e.after)}` };
  }
}
