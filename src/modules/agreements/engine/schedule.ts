/**
 * The reporting schedule of a task agreement expanded into concrete reports with due dates, and
 * what is due or overdue as of a date.
 *
 * Expansion:
 *   - Periods are calendar periods (quarters; half-years 1 Jan–30 Jun and 1 Jul–31 Dec; years)
 *     clipped to the project period, labelled '2025Q3', '2025H1', '2025'; the final report's
 *     period is the whole project, labelled 'final'. Reports follow the calendar because bureaus
 *     collect them in rounds (every report of a half-year at once), not per project anniversary.
 *   - A report is due at the end of the month `due_months_after` months after its period's last
 *     month (half-yearly progress with 1: 31 July and 31 January; yearly financial with 3: 31
 *     March); the deadline is the due date plus `grace_days`.
 *   - When the agreement requires a final report, a progress or financial period that ends on the
 *     project's last day is not scheduled: the final report covers it (nobody writes a half-yearly
 *     report and a final report on the same half-year).
 *
 * Status as of a date (one report = one kind and period):
 *   - upcoming: the period has not ended (as-of ≤ its last day);
 *   - due: the period has ended and the due date has not passed (as-of ≤ due);
 *   - grace: past the due date, within the grace period (as-of ≤ deadline), not submitted;
 *   - overdue: past the deadline and not submitted; days_overdue = as-of − deadline;
 *   - submitted / submitted_late: submitted on or before / after the deadline.
 *   A submission counts from its date on (a later one is ignored as of an earlier date). A report
 *   returned for correction counts as not submitted; when the officer set `resubmit_by`, the
 *   deadline becomes that date if it is later (and stays so for the corrected report).
 */
import { SCHEDULE_KINDS, named, type ReportingRule, type ScheduleKind } from './agreement.ts';
import { addDays, addMonths, dayNumber, monthEnd, yearOf } from './dates.ts';
import { issue, type LifecycleIssue } from './issues.ts';

/** One report the agreement requires. */
export interface ScheduledReport {
  kind: ScheduleKind;
  /** '2025H1', '2025Q3', '2025' or 'final'. */
  period: string;
  period_start: string;
  period_end: string;
  due: string;
  /** due + grace days: overdue after this day. */
  deadline: string;
}

/** A report the lead organisation sent. */
export interface Submission {
  kind: ScheduleKind;
  period: string;
  submitted_on: string;
  /** returned: sent back for correction (counts as not submitted). */
  state: 'submitted' | 'accepted' | 'returned';
  /** For a returned report: the date the officer set for the corrected one. */
  resubmit_by?: string | null;
}

export type ReportStatus = 'upcoming' | 'due' | 'grace' | 'overdue' | 'submitted' | 'submitted_late';

/** A scheduled report judged as of a date. */
export interface ReportState extends ScheduledReport {
  status: ReportStatus;
  /** The deadline in force (moved by a returned report's resubmit_by). */
  effective_deadline: string;
  submitted_on: string | null;
  /** The latest submission as of the date was returned for correction. */
  returned: boolean;
  /** Days past the deadline (overdue), else 0. */
  days_overdue: number;
  /** Days until the due date (negative once past it). */
  days_to_due: number;
}

/** What is due and overdue for one project as of a date. */
export interface ScheduleStatus {
  as_of: string;
  reports: ReportState[];
  /** In their submission window or grace period: status due or grace. */
  due: ReportState[];
  overdue: ReportState[];
  counts: Record<ReportStatus, number>;
  /** Submissions that match no scheduled report (warnings). */
  issues: LifecycleIssue[];
}

const STEP: Record<Exclude<ReportingRule['frequency'], 'once'>, number> = { quarterly: 3, half_yearly: 6, yearly: 12 };

function periodLabel(frequency: ReportingRule['frequency'], start: string): string {
  const y = yearOf(start);
  const m = Number(start.slice(5, 7));
  if (frequency === 'quarterly') return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
  if (frequency === 'half_yearly') return `${y}H${m <= 6 ? 1 : 2}`;
  return String(y);
}

/** The first day of the calendar period (of `months` months) that holds a date. */
function calendarStart(date: string, months: number): string {
  const y = yearOf(date);
  const m = Number(date.slice(5, 7));
  const first = Math.floor((m - 1) / months) * months + 1;
  return `${y}-${String(first).padStart(2, '0')}-01`;
}

const dueOf = (periodEnd: string, rule: ReportingRule) => monthEnd(addMonths(monthEnd(periodEnd), rule.due_months_after));

/**
 * Every report the rules require over the project period, ordered by due date (then kind as the
 * rules list them); see the module comment. The rules are assumed valid (validateAgreement).
 */
export function expandSchedule(period: { start_date: string; end_date: string }, rules: readonly ReportingRule[]): ScheduledReport[] {
  const { start_date: start, end_date: end } = period;
  const hasFinal = rules.some((r) => r.kind === 'final');
  const out: Array<ScheduledReport & { order: number }> = [];
  rules.forEach((rule, order) => {
    const push = (label: string, ps: string, pe: string) => {
      const due = dueOf(pe, rule);
      out.push({ kind: rule.kind, period: label, period_start: ps, period_end: pe, due, deadline: addDays(due, rule.grace_days), order });
    };
    if (rule.frequency === 'once') {
      push('final', start, end);
      return;
    }
    const months = STEP[rule.frequency];
    for (let ps = calendarStart(start, months); ps <= end; ps = addMonths(ps, months)) {
      const pe = addDays(addMonths(ps, months), -1);
      const clippedEnd = pe < end ? pe : end;
      if (hasFinal && clippedEnd === end) continue;
      push(periodLabel(rule.frequency, ps), ps < start ? start : ps, clippedEnd);
    }
  });
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.order - b.order)).map(({ order: _order, ...r }) => r);
}

/** Judges every scheduled report as of a date against the submissions; see the module comment. */
export function scheduleStatus(schedule: readonly ScheduledReport[], submissions: readonly Submission[], asOf: string): ScheduleStatus {
  const key = (k: string, p: string) => `${k}|${p}`;
  const known = new Set(schedule.map((r) => key(r.kind, r.period)));
  const issues: LifecycleIssue[] = [];
  const byReport = new Map<string, Submission[]>();
  for (const s of submissions) {
    const k = key(s.kind, s.period);
    if (!known.has(k)) {
      issues.push(issue('SUBMISSION_NOT_SCHEDULED', { kind: named(SCHEDULE_KINDS, s.kind), period: s.period }, { field: 'period', kind: s.kind, period: s.period }));
      continue;
    }
    byReport.set(k, [...(byReport.get(k) ?? []), s]);
  }
  const today = dayNumber(asOf);
  const reports = schedule.map((r): ReportState => {
    // The latest submission made by the as-of date decides (a resubmission after a return, say).
    const subs = (byReport.get(key(r.kind, r.period)) ?? []).filter((s) => s.submitted_on <= asOf).sort((a, b) => (a.submitted_on < b.submitted_on ? -1 : 1));
    const last = subs.at(-1) ?? null;
    const returned = last?.state === 'returned';
    // Every return with a new date moves the deadline, also for the resubmission that follows it.
    const deadline = subs.reduce((d, s) => (s.state === 'returned' && s.resubmit_by && s.resubmit_by > d ? s.resubmit_by : d), r.deadline);
    const sent = last && !returned ? last : null;
    let status: ReportStatus;
    if (sent) status = sent.submitted_on <= deadline ? 'submitted' : 'submitted_late';
    else if (asOf <= r.period_end) status = 'upcoming';
    else if (asOf <= r.due) status = 'due';
    else if (asOf <= deadline) status = 'grace';
    else status = 'overdue';
    return {
      ...r,
      status,
      effective_deadline: deadline,
      submitted_on: sent?.submitted_on ?? null,
      returned,
      days_overdue: status === 'overdue' ? today - dayNumber(deadline) : 0,
      days_to_due: dayNumber(r.due) - today,
    };
  });
  const counts: Record<ReportStatus, number> = { upcoming: 0, due: 0, grace: 0, overdue: 0, submitted: 0, submitted_late: 0 };
  for (const r of reports) counts[r.status]++;
  return {
    as_of: asOf,
    reports,
    due: reports.filter((r) => r.status === 'due' || r.status === 'grace'),
    overdue: reports.filter((r) => r.status === 'overdue'),
    counts,
    issues,
  };
}
