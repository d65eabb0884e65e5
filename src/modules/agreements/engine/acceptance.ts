/**
 * Acceptance (验收 / 结题): per key indicator committed vs achieved and the achievement rate, the
 * budget approved vs spent vs unspent, the reports still overdue, and a suggested verdict — and
 * the exact object of the CLI contract `innolink projects acceptance PROJECT --json`.
 *
 * Definitions:
 *   - target: the indicator's target in the agreement in force (its own unit).
 *   - achieved, for an indicator with an output kind (patents, PCT, papers, standards, products,
 *     technologies transferred, revenue, talents trained): what the outputs registry holds for the
 *     project up to the acceptance year (outputs.ts: records or their quantity; revenue summed in
 *     万元). What reports claimed is not used: the registry is the evidence.
 *   - achieved, for an indicator without one (foreign experts brought in, platforms built): the
 *     value to date of the latest accepted report (reports are cumulative); 0 with a warning when
 *     no report gives one.
 *   - rate = achieved / target, as a ratio (1 = 100 %), rounded to 4 decimals in the contract.
 *   - budget (万元): approved = the total of the agreement in force over every source, year and
 *     category; spent = cumulative spending of the final financial report; unspent = approved −
 *     spent, never below 0 (overspending is shown apart). The public money to recover is given
 *     separately when the funds received are known (changes.ts unspentPublicFunds).
 *   - overdue_reports: scheduled reports not submitted by their deadline as of the acceptance date
 *     (schedule.ts), the final report included.
 *
 * Suggested verdict (the three conclusions of Chinese programme acceptance, as MOST's 综合绩效评价
 * uses them), from configurable thresholds — defaults:
 *   - 通过 (pass): every indicator at ≥ 100 % of its target and no overdue report;
 *   - 结题 (closed with conditions): otherwise, when the mean rate — each rate capped at 100 %, so
 *     that 300 % of papers cannot make up for no patent — is at least 80 %, or when a single
 *     indicator missed its target and reached at least 50 % of it;
 *   - 不通过 (fail): everything else.
 *   Overdue reports alone make a project 结题, not 不通过: supervision chases them.
 *
 * Acceptance before the project's end date is refused (ACCEPTANCE_BEFORE_END, 409); on the end
 * date itself it is allowed.
 */
import { keyIndicator } from '../../lifecycle/vocabulary.ts';
import { roundWan, type Agreement } from './agreement.ts';
import { unspentPublicFunds, type FundsPosition, type Recovery } from './changes.ts';
import { yearOf } from './dates.ts';
import { issue, num, refuse, type LifecycleIssue, type Named } from './issues.ts';
import { countOutputs, type OutputRecord } from './outputs.ts';
import { expandSchedule, scheduleStatus, type ReportState, type Submission } from './schedule.ts';

/** Thresholds of the suggested verdict (see the module comment). */
export interface AcceptanceThresholds {
  /** Every indicator at least this rate for 通过. */
  pass_rate: number;
  /** At most this many overdue reports for 通过. */
  pass_max_overdue: number;
  /** Mean of the capped rates at least this for 结题. */
  conditional_mean_rate: number;
  /** A single missed indicator at least at this rate still gives 结题; null: no such exception. */
  single_miss_floor: number | null;
}

export const DEFAULT_ACCEPTANCE_THRESHOLDS: Readonly<AcceptanceThresholds> = Object.freeze({
  pass_rate: 1,
  pass_max_overdue: 0,
  conditional_mean_rate: 0.8,
  single_miss_floor: 0.5,
});

export type Verdict = 'pass' | 'conditional' | 'fail';

/** The verdicts as the contract and the certificate write them. */
export const VERDICT_LABELS: Readonly<Record<Verdict, Named>> = Object.freeze({
  pass: { zh: '通过', en: 'Passed' },
  conditional: { zh: '结题', en: 'Closed with conditions' },
  fail: { zh: '不通过', en: 'Not passed' },
});

/** What acceptance is computed from. */
export interface AcceptanceInput {
  /** The project's code, as the contract names it. */
  project: string;
  /** The agreement in force (its end date is the project's). */
  agreement: Agreement;
  /** The acceptance date. */
  as_of: string;
  /** The project's records in the outputs registry. */
  outputs: readonly OutputRecord[];
  /** Latest accepted values to date in each indicator's unit, for indicators without an output kind. */
  reported?: Readonly<Record<string, number>>;
  /** Cumulative spending of the final financial report (万元, all sources). */
  spent_wan: number;
  /** The reports submitted, for the overdue count. */
  submissions: readonly Submission[];
  /** Public money received and spent per source, when known: gives the funds to recover. */
  funds?: readonly FundsPosition[];
  thresholds?: Partial<AcceptanceThresholds>;
}

/** One key indicator at acceptance. */
export interface AcceptedIndicator {
  kind: string;
  indicator: string;
  indicator_en: string;
  unit: string;
  target: number;
  achieved: number;
  rate: number;
  /** Where `achieved` comes from. */
  source: 'registry' | 'report';
  /** Registry records counted (null for reported indicators). */
  records: number | null;
}

/** Acceptance computed, with everything the certificate and the officer's page show. */
export interface AcceptanceAssessment {
  project: string;
  as_of: string;
  indicators: AcceptedIndicator[];
  budget: { approved: number; spent: number; unspent: number; overspent: number; unit: '万元' };
  recovery: Recovery | null;
  overdue_reports: number;
  overdue: ReportState[];
  /** Mean of the rates, each capped at 100 %. */
  mean_rate: number;
  verdict: Verdict;
  suggested_verdict: string;
  reasons: Named[];
  issues: LifecycleIssue[];
}

/** The object `innolink projects acceptance PROJECT --json` prints, exactly. */
export interface AcceptanceJson {
  project: string;
  indicators: Array<{ indicator: string; unit: string; target: number; achieved: number; rate: number }>;
  budget: { approved: number; spent: number; unspent: number; unit: '万元' };
  overdue_reports: number;
  suggested_verdict: string;
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const pct = (r: number) => `${num(r * 100)}%`;

/** Complete, checked thresholds from partial settings (ACCEPTANCE_CONFIG_INVALID otherwise). */
export function resolveAcceptanceThresholds(partial: Partial<AcceptanceThresholds> = {}): AcceptanceThresholds {
  const t = { ...DEFAULT_ACCEPTANCE_THRESHOLDS, ...partial };
  const bad = (field: string, value: unknown) => refuse('ACCEPTANCE_CONFIG_INVALID', { field, value }, { field });
  if (!isNumber(t.pass_rate) || t.pass_rate <= 0) bad('pass_rate', t.pass_rate);
  if (!Number.isInteger(t.pass_max_overdue) || t.pass_max_overdue < 0) bad('pass_max_overdue', t.pass_max_overdue);
  if (!isNumber(t.conditional_mean_rate) || t.conditional_mean_rate < 0 || t.conditional_mean_rate > 1) bad('conditional_mean_rate', t.conditional_mean_rate);
  if (t.single_miss_floor !== null && (!isNumber(t.single_miss_floor) || t.single_miss_floor < 0)) bad('single_miss_floor', t.single_miss_floor);
  return t;
}

/** The suggested verdict from the rates and the overdue count, with its reasons; see the module comment. */
export function suggestVerdict(indicators: readonly Pick<AcceptedIndicator, 'indicator' | 'indicator_en' | 'rate'>[], overdue: number, thresholds: AcceptanceThresholds): { verdict: Verdict; mean_rate: number; reasons: Named[] } {
  const eps = 1e-9;
  const mean = indicators.length ? indicators.reduce((s, i) => s + Math.min(i.rate, 1), 0) / indicators.length : 0;
  const missed = indicators.filter((i) => i.rate < thresholds.pass_rate - eps);
  const reasons: Named[] = [];
  if (!missed.length) reasons.push({ zh: `全部 ${indicators.length} 项关键指标达到目标`, en: `All ${indicators.length} key indicators reached their targets` });
  for (const m of missed) reasons.push({ zh: `“${m.indicator}”完成 ${pct(m.rate)}，未达到 ${pct(thresholds.pass_rate)}`, en: `"${m.indicator_en}" reached ${pct(m.rate)}, below ${pct(thresholds.pass_rate)}` });
  reasons.push(overdue ? { zh: `逾期未交报告 ${overdue} 份`, en: `${overdue} report(s) overdue` } : { zh: '无逾期报告', en: 'No report overdue' });
  if (!missed.length && overdue <= thresholds.pass_max_overdue) return { verdict: 'pass', mean_rate: mean, reasons };
  const meanOk = mean >= thresholds.conditional_mean_rate - eps;
  const singleOk = missed.length === 1 && thresholds.single_miss_floor !== null && missed[0].rate >= thresholds.single_miss_floor - eps;
  reasons.push({
    zh: `关键指标平均完成率（单项以 100% 为上限）${pct(mean)}，${meanOk ? '不低于' : '低于'} ${pct(thresholds.conditional_mean_rate)}`,
    en: `Mean achievement rate (each capped at 100 %) ${pct(mean)}, ${meanOk ? 'at least' : 'below'} ${pct(thresholds.conditional_mean_rate)}`,
  });
  if (!meanOk && singleOk)
    reasons.push({ zh: `仅一项指标未达标且完成率不低于 ${pct(thresholds.single_miss_floor!)}`, en: `Only one indicator missed its target, and it reached at least ${pct(thresholds.single_miss_floor!)}` });
  return { verdict: meanOk || singleOk ? 'conditional' : 'fail', mean_rate: mean, reasons };
}

/** Computes acceptance; see the module comment. Refuses acceptance before the end (ACCEPTANCE_BEFORE_END). */
export function assessAcceptance(input: AcceptanceInput): AcceptanceAssessment {
  const t = resolveAcceptanceThresholds(input.thresholds);
  const a = input.agreement;
  if (input.as_of < a.end_date) refuse('ACCEPTANCE_BEFORE_END', { project: input.project, date: input.as_of, end: a.end_date }, { field: 'as_of', end_date: a.end_date });
  const issues: LifecycleIssue[] = [];
  const year = yearOf(input.as_of);

  const indicators = a.indicators.map((ind): AcceptedIndicator => {
    const k = keyIndicator(ind.kind)!;
    const base = { kind: ind.kind, indicator: k.zh, indicator_en: k.en, unit: k.unit, target: ind.target };
    if (k.output_kind) {
      const c = countOutputs(k, input.outputs, { to: year });
      issues.push(...c.issues);
      return { ...base, achieved: c.value, rate: c.value / ind.target, source: 'registry', records: c.records };
    }
    const v = input.reported?.[ind.kind];
    if (!isNumber(v)) issues.push(issue('INDICATOR_NOT_REPORTED', { indicator: { zh: k.zh, en: k.en } }, { field: 'indicators', indicator: k.value }));
    const achieved = isNumber(v) ? v : 0;
    return { ...base, achieved, rate: achieved / ind.target, source: 'report', records: null };
  });

  const approved = roundWan(a.budget.reduce((s, c) => s + c.amount_wan, 0));
  const spent = roundWan(input.spent_wan);
  const status = scheduleStatus(expandSchedule(a, a.reporting), input.submissions, input.as_of);
  issues.push(...status.issues);
  const v = suggestVerdict(indicators, status.overdue.length, t);
  return {
    project: input.project,
    as_of: input.as_of,
    indicators,
    budget: { approved, spent, unspent: roundWan(Math.max(0, approved - spent)), overspent: roundWan(Math.max(0, spent - approved)), unit: '万元' },
    recovery: input.funds ? unspentPublicFunds(input.funds) : null,
    overdue_reports: status.overdue.length,
    overdue: status.overdue,
    mean_rate: v.mean_rate,
    verdict: v.verdict,
    suggested_verdict: VERDICT_LABELS[v.verdict].zh,
    reasons: v.reasons,
    issues,
  };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The contract object of `innolink projects acceptance PROJECT --json`, with exactly its keys. */
export function acceptanceJson(a: AcceptanceAssessment): AcceptanceJson {
  return {
    project: a.project,
    indicators: a.indicators.map((i) => ({ indicator: i.indicator, unit: i.unit, target: i.target, achieved: r4(i.achieved), rate: r4(i.rate) })),
    budget: { approved: a.budget.approved, spent: a.budget.spent, unspent: a.budget.unspent, unit: '万元' },
    overdue_reports: a.overdue_reports,
    suggested_verdict: a.suggested_verdict,
  };
}
