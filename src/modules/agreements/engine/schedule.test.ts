import { describe, expect, it } from 'vitest';
import { DEFAULT_REPORTING } from './agreement.ts';
import { addMonths, monthsAndDays } from './dates.ts';
import { signedAgreement } from './engine.fixture.ts';
import { expandSchedule, scheduleStatus, type Submission } from './schedule.ts';

const a = signedAgreement(); // 2024-07-01 … 2026-06-30, half-yearly progress, yearly financial, final
const schedule = expandSchedule(a, DEFAULT_REPORTING);
const at = (kind: string, period: string, asOf: string, subs: Submission[] = []) => scheduleStatus(schedule, subs, asOf).reports.find((r) => r.kind === kind && r.period === period)!;

describe('month arithmetic (end-of-month rule)', () => {
  it('moves month ends to month ends and clamps other days', () => {
    expect(addMonths('2026-09-30', 3)).toBe('2026-12-31');
    expect(addMonths('2026-12-31', -3)).toBe('2026-09-30');
    expect(addMonths('2026-06-30', 12)).toBe('2027-06-30');
    expect(addMonths('2026-01-30', 1)).toBe('2026-02-28');
    expect(addMonths('2028-02-29', -12)).toBe('2027-02-28');
    expect(addMonths('2026-02-28', 1)).toBe('2026-03-31'); // 28 Feb 2026 is a month end
  });
  it('counts whole months and the days left', () => {
    expect(monthsAndDays('2026-06-30', '2027-06-30')).toEqual({ months: 12, days: 0 });
    expect(monthsAndDays('2026-06-30', '2027-07-01')).toEqual({ months: 12, days: 1 });
    expect(monthsAndDays('2026-06-30', '2026-12-15')).toEqual({ months: 5, days: 15 }); // 2026-11-30 + 15
  });
});

describe('expandSchedule', () => {
  it('the fixture: three half-yearly progress reports, two yearly financial reports and the final report', () => {
    // Progress 2026H1 and financial 2026 end on the project's last day: the final report covers them.
    expect(schedule.map((r) => [r.kind, r.period, r.period_start, r.period_end, r.due, r.deadline])).toEqual([
      ['progress', '2024H2', '2024-07-01', '2024-12-31', '2025-01-31', '2025-02-15'],
      ['financial', '2024', '2024-07-01', '2024-12-31', '2025-03-31', '2025-04-15'],
      ['progress', '2025H1', '2025-01-01', '2025-06-30', '2025-07-31', '2025-08-15'],
      ['progress', '2025H2', '2025-07-01', '2025-12-31', '2026-01-31', '2026-02-15'],
      ['financial', '2025', '2025-01-01', '2025-12-31', '2026-03-31', '2026-04-15'],
      ['final', 'final', '2024-07-01', '2026-06-30', '2026-09-30', '2026-10-15'],
    ]);
  });
  it('quarterly reports of a project that starts mid-quarter and ends mid-month, without a final report', () => {
    const s = expandSchedule({ start_date: '2025-02-15', end_date: '2025-11-15' }, [{ kind: 'progress', frequency: 'quarterly', due_months_after: 1, grace_days: 0 }]);
    expect(s.map((r) => [r.period, r.period_start, r.period_end, r.due, r.deadline])).toEqual([
      ['2025Q1', '2025-02-15', '2025-03-31', '2025-04-30', '2025-04-30'],
      ['2025Q2', '2025-04-01', '2025-06-30', '2025-07-31', '2025-07-31'],
      ['2025Q3', '2025-07-01', '2025-09-30', '2025-10-31', '2025-10-31'],
      // the last quarter ends with the project on 15 November; due at the end of December
      ['2025Q4', '2025-10-01', '2025-11-15', '2025-12-31', '2025-12-31'],
    ]);
  });
});

describe('scheduleStatus — due, grace, overdue', () => {
  it('a half-year is upcoming through its last day, due until its due date, in grace until its deadline, then overdue', () => {
    expect(at('progress', '2025H1', '2025-06-30').status).toBe('upcoming');
    expect(at('progress', '2025H1', '2025-07-01').status).toBe('due');
    const onDue = at('progress', '2025H1', '2025-07-31');
    expect([onDue.status, onDue.days_to_due]).toEqual(['due', 0]);
    expect(at('progress', '2025H1', '2025-08-01').status).toBe('grace');
    expect(at('progress', '2025H1', '2025-08-15').status).toBe('grace');
    const late = at('progress', '2025H1', '2025-08-16');
    expect([late.status, late.days_overdue]).toEqual(['overdue', 1]);
  });
  it('as of 2025-08-20: two submitted, one overdue by 5 days, three upcoming', () => {
    const subs: Submission[] = [
      { kind: 'progress', period: '2024H2', submitted_on: '2025-01-20', state: 'accepted' },
      { kind: 'financial', period: '2024', submitted_on: '2025-04-10', state: 'submitted' }, // after 31 March, within grace
    ];
    const s = scheduleStatus(schedule, subs, '2025-08-20');
    expect(s.counts).toEqual({ upcoming: 3, due: 0, grace: 0, overdue: 1, submitted: 2, submitted_late: 0 });
    expect(s.overdue.map((r) => [r.kind, r.period, r.days_overdue])).toEqual([['progress', '2025H1', 5]]); // 08-15 → 08-20
    expect(s.issues).toEqual([]);
  });
  it('a submission counts from its date; after the deadline it is submitted late', () => {
    const subs: Submission[] = [{ kind: 'progress', period: '2025H1', submitted_on: '2025-08-20', state: 'submitted' }];
    expect(at('progress', '2025H1', '2025-08-19', subs)).toMatchObject({ status: 'overdue', days_overdue: 4, submitted_on: null });
    expect(at('progress', '2025H1', '2025-09-01', subs)).toMatchObject({ status: 'submitted_late', submitted_on: '2025-08-20' });
  });
  it('a returned report is not submitted; resubmit_by moves the deadline', () => {
    const returned: Submission = { kind: 'financial', period: '2024', submitted_on: '2025-04-10', state: 'returned', resubmit_by: '2025-05-10' };
    expect(at('financial', '2024', '2025-05-01', [returned])).toMatchObject({ status: 'grace', returned: true, effective_deadline: '2025-05-10' });
    expect(at('financial', '2024', '2025-05-11', [returned])).toMatchObject({ status: 'overdue', days_overdue: 1 });
    const again: Submission = { kind: 'financial', period: '2024', submitted_on: '2025-05-08', state: 'submitted' };
    expect(at('financial', '2024', '2025-05-11', [returned, again])).toMatchObject({ status: 'submitted', returned: false, submitted_on: '2025-05-08' });
  });
  it('a returned report without a new date keeps the original deadline', () => {
    const returned: Submission = { kind: 'progress', period: '2024H2', submitted_on: '2025-01-20', state: 'returned' };
    expect(at('progress', '2024H2', '2025-02-16', [returned])).toMatchObject({ status: 'overdue', days_overdue: 1, effective_deadline: '2025-02-15' });
  });
  it('a submission for a period that is not scheduled is a warning and counts for nothing', () => {
    const s = scheduleStatus(schedule, [{ kind: 'progress', period: '2026H1', submitted_on: '2026-07-10', state: 'submitted' }], '2026-07-10');
    expect(s.issues.map((i) => [i.code, i.severity])).toEqual([['SUBMISSION_NOT_SCHEDULED', 'warning']]);
    expect(s.issues[0].message).toBe('报送计划中没有进展报告“2026H1”，该报告未计入');
    expect(s.counts.submitted).toBe(0);
  });
});
