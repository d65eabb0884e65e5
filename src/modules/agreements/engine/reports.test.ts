import { describe, expect, it } from 'vitest';
import { evaluateChange } from './changes.ts';
import { signedAgreement } from './engine.fixture.ts';
import type { OutputRecord } from './outputs.ts';
import { checkReport, type ReportInput } from './reports.ts';

const outputs: OutputRecord[] = [
  { kind: 'patent', title: '一种碳纤维预浸料的制备方法', year: 2024 },
  { kind: 'pct_patent', title: 'PCT/CN2025/012345', year: 2025 },
  { kind: 'revenue', title: '2025 年上半年新增销售收入', year: 2025, value: 120, unit: '万元' },
  { kind: 'talent_trained', title: '联合培养博士研究生', year: 2025, quantity: 2 },
];
const previous = { indicators: { patent: 1, revenue: 50, talent_trained: 0, foreign_experts: 2 } };

/** The 2025H1 progress report (as of 2025-06-30). */
const report = (): ReportInput => ({
  as_of: '2025-06-30',
  indicators: [
    { kind: 'patent', value: 1, unit: '件' },
    { kind: 'pct_patent', value: 1, unit: '项' },
    { kind: 'revenue', value: 1_200_000, unit: '元' },
    { kind: 'talent_trained', value: 2, unit: '人' },
    { kind: 'foreign_experts', value: 3, unit: '人次' },
  ],
  spending: [
    { category: 'equipment', source: 'programme', amount_wan: 30 },
    { category: 'equipment', source: 'self', amount_wan: 40 },
    { category: 'materials', amount_wan: 60 },
    { category: 'international', amount_wan: 12 },
  ],
  milestones: [{ title: '样机试制', done_on: '2025-06-20' }],
});

describe('checkReport — indicator values to date', () => {
  it('converts units, derives the period increment and the rate, and shows the registry beside the report', () => {
    const c = checkReport(report(), { agreement: signedAgreement(), previous, outputs });
    expect(c.issues).toEqual([]);
    // revenue 1 200 000 元 = 120 万元, 120 − 50 = 70, 120 / 500 = 0.24; patents 1 / 3; talents 2 / 4; experts 3 / 6
    expect(c.indicators.map((i) => [i.kind, i.value_to_date, i.previous, i.increment, i.rate, i.registry])).toEqual([
      ['patent', 1, 1, 0, 1 / 3, 1],
      ['pct_patent', 1, null, 1, 1, 1],
      ['revenue', 120, 50, 70, 0.24, 120],
      ['talent_trained', 2, 0, 2, 0.5, 2],
      ['foreign_experts', 3, 2, 1, 0.5, null],
    ]);
  });
  it('a value in a unit that does not convert is refused, naming the row', () => {
    const r = report();
    r.indicators[2].unit = '人';
    const c = checkReport(r, { agreement: signedAgreement(), previous, outputs });
    expect(c.ok).toBe(false);
    expect(c.issues.map((i) => [i.code, i.row])).toEqual([['INDICATOR_UNIT_MISMATCH', 3]]);
    expect(c.issues[0].message).toBe('报告指标第 3 行：“新增销售收入”的单位“人”不能换算为“万元”、“元”、“亿元”');
    expect(c.indicators[2].value_to_date).toBeNull();
  });
  it('warns when a value goes down, and when the report claims more than the registry holds', () => {
    const r = report();
    r.indicators[0].value = 0; // previous 1
    r.indicators[3].value = 3; // registry holds 2
    const c = checkReport(r, { agreement: signedAgreement(), previous, outputs });
    expect(c.ok).toBe(true);
    expect(c.issues.map((i) => [i.code, i.severity, i.row])).toEqual([
      ['REPORT_VALUE_DECREASED', 'warning', 1],
      ['REPORT_OUTPUTS_MISSING', 'warning', 4],
    ]);
    expect(c.issues[1].message).toContain('“培养人才”填报 3，成果库中只有 2');
  });
  it('refuses an indicator the agreement does not hold, and a negative value', () => {
    const r = report();
    r.indicators.push({ kind: 'paper', value: 2, unit: '篇' }, { kind: 'patent', value: -1, unit: '件' });
    expect(checkReport(r, { agreement: signedAgreement(), previous, outputs }).issues.map((i) => [i.code, i.row])).toEqual([
      ['REPORT_INDICATOR_UNKNOWN', 6],
      ['REPORT_VALUE_INVALID', 7],
    ]);
  });
  it('refuses an as-of date outside the project period', () => {
    const r = report();
    r.as_of = '2026-07-31';
    expect(checkReport(r, { agreement: signedAgreement() }).issues.map((i) => i.code)).toEqual(['REPORT_PERIOD_INVALID']);
  });
});

describe('checkReport — spending against the budget', () => {
  it('adds sources per category and compares with the category budget', () => {
    const c = checkReport(report(), { agreement: signedAgreement() });
    // equipment 30 + 40 = 70 of 80; materials 60 of 105; international 12 of 25; total 142 of 300
    expect(c.spending.map((s) => [s.category, s.budget_wan, s.spent_wan, s.remaining_wan])).toEqual([
      ['equipment', 80, 70, 10],
      ['materials', 105, 60, 45],
      ['testing', 40, 0, 40],
      ['international', 25, 12, 13],
      ['labour', 40, 0, 40],
      ['other', 10, 0, 10],
    ]);
    expect([c.spent_total_wan, c.budget_total_wan]).toEqual([142, 300]);
  });
  it('spending exactly the budget is fine; one 元 more without an approved change is BUDGET_CATEGORY_EXCEEDED', () => {
    const r = report();
    r.spending[3].amount_wan = 25;
    expect(checkReport(r, { agreement: signedAgreement() }).ok).toBe(true);
    r.spending[3].amount_wan = 26;
    const c = checkReport(r, { agreement: signedAgreement() });
    expect(c.issues.map((i) => [i.code, i.category, i.budget, i.spent])).toEqual([['BUDGET_CATEGORY_EXCEEDED', 'international', 25, 26]]);
    expect(c.issues[0].message).toBe('会议/差旅/国际合作与交流费累计支出 26 万元，超过该科目预算 25 万元（超出 1 万元），且没有经批准的预算调剂');
  });
  it('after an approved reallocation of 5 万元 into international (25 → 30), 26 is within the budget', () => {
    const change = evaluateChange(
      { kind: 'budget_reallocation', requested_on: '2025-05-01', moves: [{ source: 'programme', year: 2025, from: 'materials', to: 'international', amount_wan: 5 }] },
      { signed: signedAgreement(), current: signedAgreement() },
    );
    expect(change.needs_approval).toBe(false); // 5/105 = 4.8 % and 5/25 = 20 % exactly: recorded
    const r = report();
    r.spending[3].amount_wan = 26;
    const c = checkReport(r, { agreement: change.proposed });
    expect(c.ok).toBe(true);
    expect(c.spending.find((s) => s.category === 'international')).toMatchObject({ budget_wan: 30, spent_wan: 26, remaining_wan: 4 });
  });
  it('refuses an unknown category and a negative amount, naming the row', () => {
    const r = report();
    r.spending.push({ category: 'banquets', amount_wan: 1 }, { category: 'labour', amount_wan: -2 });
    expect(checkReport(r, { agreement: signedAgreement() }).issues.map((i) => [i.code, i.row, i.message])).toEqual([
      ['BUDGET_CATEGORY_UNKNOWN', 5, '支出第 5 行：未知的预算科目“banquets”'],
      ['BUDGET_AMOUNT_INVALID', 6, '支出第 6 行：金额应为不小于 0 的数（万元），实为“-2”'],
    ]);
  });
});

describe('checkReport — milestones', () => {
  it('done on time, open', () => {
    expect(checkReport(report(), { agreement: signedAgreement() }).milestones.map((m) => [m.title, m.status, m.done_on])).toEqual([
      ['样机试制', 'done', '2025-06-20'],
      ['中试验证', 'open', null],
    ]);
  });
  it('not done 184 days after its due date (2025-06-30 → 2025-12-31) is overdue; done after the due date is late', () => {
    const r = { ...report(), as_of: '2025-12-31', milestones: [] };
    expect(checkReport(r, { agreement: signedAgreement() }).milestones[0]).toMatchObject({ status: 'overdue', days_overdue: 184 });
    r.milestones = [{ title: '样机试制', done_on: '2025-07-15' }] as never;
    expect(checkReport(r, { agreement: signedAgreement() }).milestones[0]).toMatchObject({ status: 'done_late', days_overdue: 0 });
  });
  it('a milestone done in an earlier report stays done', () => {
    const r = { ...report(), as_of: '2025-12-31', milestones: [] };
    expect(checkReport(r, { agreement: signedAgreement(), previous: { milestones_done: { 样机试制: '2025-06-20' } } }).milestones[0].status).toBe('done');
  });
  it('refuses an unknown milestone and a completion after the report’s date', () => {
    const r = report();
    r.milestones.push({ title: '量产', done_on: '2025-06-01' }, { title: '中试验证', done_on: '2025-07-01' });
    expect(checkReport(r, { agreement: signedAgreement() }).issues.map((i) => [i.code, i.row])).toEqual([
      ['REPORT_MILESTONE_UNKNOWN', 2],
      ['REPORT_MILESTONE_DATE_INVALID', 3],
    ]);
  });
});
