import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFrameworkFile } from '../../indicators/indicators.files.ts';
import { buildDataTable, runCompositeSync } from '../../indicators/engine/index.ts';
import { codeOf } from './engine.fixture.ts';
import {
  confirmOutcome,
  figureToDate,
  followUpYears,
  outcomeSchedule,
  performanceRow,
  prefillOutcome,
  type OutcomeFacts,
  type OutcomeField,
  type OutcomeReport,
  type PerformanceFacts,
} from './outcomes.ts';
import type { OutputRecord } from './outputs.ts';
import { scheduleStatus } from './schedule.ts';

const FRAMEWORK = path.join(import.meta.dirname, '../../indicators/builtin/project-performance.yaml');

describe('outcome follow-up schedule', () => {
  it('five calendar years after the acceptance year, each due on 31 March with 15 days of grace', () => {
    expect(followUpYears('2026-10-20')).toEqual([2027, 2028, 2029, 2030, 2031]);
    const s = outcomeSchedule('2026-10-20');
    expect(s[0]).toEqual({ kind: 'outcome', period: '2027', period_start: '2027-01-01', period_end: '2027-12-31', due: '2028-03-31', deadline: '2028-04-15' });
    expect(s.at(-1)!.due).toBe('2032-03-31');
    expect(followUpYears('2026-10-20', { years: 2 })).toEqual([2027, 2028]);
    expect(codeOf(() => followUpYears('2026-10-20', { years: 0 }))).toBe('OUTCOME_CONFIG_INVALID');
  });
  it('outcome reports are judged like every scheduled report: the 2027 report is overdue from 2028-04-16', () => {
    const s = outcomeSchedule('2026-10-20');
    expect(scheduleStatus(s, [], '2028-04-15').overdue).toHaveLength(0);
    expect(scheduleStatus(s, [], '2028-04-16').overdue.map((r) => [r.kind, r.period, r.days_overdue])).toEqual([['outcome', '2027', 1]]);
  });
});

// The followed project P: lead organisation 1, foreign partner 10, accepted 2026-10-20.
const facts = (): OutcomeFacts => ({
  project: { code: 'P', lead_org_id: 1, foreign_partner_ids: [10], start_date: '2024-07-01', accepted_on: '2026-10-20' },
  outputs: [
    { kind: 'revenue', title: '2027 年国内销售', year: 2027, value: 120, unit: '万元' },
    { kind: 'revenue', title: '2027 年出口', year: 2027, value: 300_000, unit: '元' },
    { kind: 'product', title: '碳纤维无人机机臂', year: 2027, quantity: 2 },
    { kind: 'talent_trained', title: '工程师培训', year: 2027, quantity: 3 },
    { kind: 'patent', title: '一种热压罐成型方法', year: 2028 },
    { kind: 'paper', title: '未注明年份的论文', year: null },
    { kind: 'revenue', title: '验收当年收入', year: 2026, value: 500, unit: '万元' },
  ],
  projects: [
    { code: 'P', lead_org_id: 1, partner_org_ids: [10], start_date: '2024-07-01', end_date: '2026-06-30' },
    { code: 'Q', lead_org_id: 1, partner_org_ids: [10, 11], start_date: '2027-03-01', end_date: '2029-02-28' }, // same lead, same partner
    { code: 'R', lead_org_id: 2, partner_org_ids: [10], start_date: '2027-01-01', end_date: '2028-12-31' }, // another lead
    { code: 'S', lead_org_id: 1, partner_org_ids: [12], start_date: '2027-01-01', end_date: '2028-12-31' }, // another partner
  ],
});

describe('prefillOutcome — what the registries know, as a pure function of the facts', () => {
  it('2027: revenue 120 + 30 = 150 万元, 2 products, 3 talents; follow-on Q started, cooperation continues through Q', () => {
    const p = prefillOutcome(facts(), 2027);
    expect(p.fields.revenue_wan).toEqual({ value: 150, source: 'registry', evidence: ['2027 年国内销售', '2027 年出口'] });
    expect(p.fields.products.value).toBe(2);
    expect(p.fields.talents_trained.value).toBe(3);
    // nothing in the registry is no figure, not 0
    expect(p.fields.patents).toEqual({ value: null, source: 'none', evidence: [] });
    expect(p.fields.overseas_talents.value).toBeNull();
    expect(p.follow_on_projects).toEqual({ value: ['Q'], source: 'registry', evidence: ['Q'] });
    expect(p.continued_cooperation).toEqual({ value: true, source: 'registry', evidence: ['Q'] });
  });
  it('2028: one patent; no new follow-on; Q still runs', () => {
    const p = prefillOutcome(facts(), 2028);
    expect([p.fields.patents.value, p.fields.revenue_wan.value]).toEqual([1, null]);
    expect(p.follow_on_projects.value).toEqual([]);
    expect(p.continued_cooperation.value).toBe(true);
  });
  it('2030: Q ended in February 2029, so continued cooperation is asked, not denied', () => {
    expect(prefillOutcome(facts(), 2030).continued_cooperation).toEqual({ value: null, source: 'none', evidence: [] });
  });
  it('refuses a year outside the follow-up (the acceptance year itself, or the sixth year)', () => {
    expect(codeOf(() => prefillOutcome(facts(), 2026))).toBe('OUTCOME_YEAR_OUTSIDE_FOLLOW_UP');
    expect(codeOf(() => prefillOutcome(facts(), 2032))).toBe('OUTCOME_YEAR_OUTSIDE_FOLLOW_UP');
  });
});

describe('confirmOutcome — the enterprise confirms or corrects', () => {
  it('keeps where each value came from', () => {
    const r = confirmOutcome(prefillOutcome(facts(), 2027), { values: { products: 3, patents: 0, overseas_talents: 1, revenue_wan: 150 } });
    expect([r.values.revenue_wan, r.provenance.revenue_wan]).toEqual([150, 'confirmed']);
    expect([r.values.products, r.provenance.products]).toEqual([3, 'corrected']);
    expect([r.values.patents, r.provenance.patents]).toEqual([0, 'entered']);
    expect([r.values.talents_trained, r.provenance.talents_trained]).toEqual([3, 'confirmed']);
    expect([r.values.standards, r.provenance.standards]).toEqual([null, 'empty']);
    expect([r.continued_cooperation, r.provenance.continued_cooperation]).toEqual([true, 'confirmed']);
    expect([r.follow_on_projects, r.provenance.follow_on_projects]).toEqual([['Q'], 'confirmed']);
  });
  it('refuses a negative figure, naming the field', () => {
    let field: unknown;
    try {
      confirmOutcome(prefillOutcome(facts(), 2027), { values: { revenue_wan: -5 } });
    } catch (e) {
      field = (e as { code: string; details: Array<{ field: string }> }).details[0].field;
      expect((e as { code: string }).code).toBe('OUTCOME_VALUE_INVALID');
    }
    expect(field).toBe('revenue_wan');
  });
});

/** A confirmed outcome report with only the given figures (the rest unknown). */
function outcome(project: string, year: number, values: Partial<Record<OutcomeField, number>>, continued: boolean | null, followOn: string[] = []): OutcomeReport {
  const all = { revenue_wan: null, products: null, patents: null, pct_patents: null, standards: null, papers: null, technology_transfer_wan: null, talents_trained: null, overseas_talents: null, ...values };
  const provenance = Object.fromEntries([...Object.keys(all), 'continued_cooperation', 'follow_on_projects'].map((k) => [k, 'entered'])) as OutcomeReport['provenance'];
  return { project, year, values: all, continued_cooperation: continued, follow_on_projects: followOn, provenance };
}
const many = (kind: string, years: number[]): OutputRecord[] => years.map((year, i) => ({ kind, title: `${kind} ${i + 1}`, year }));

describe('figureToDate — one figure per year', () => {
  it('an outcome report replaces the registry’s records of its year, other years keep the registry', () => {
    const outputs: OutputRecord[] = [
      { kind: 'revenue', title: 'r2025', year: 2025, value: 200, unit: '万元' },
      { kind: 'revenue', title: 'r2027', year: 2027, value: 80, unit: '万元' },
      { kind: 'revenue', title: 'r?', year: null, value: 5, unit: '万元' },
    ];
    // 200 (2025) + 5 (undated) + 100 (2027 report, replacing the registry's 80)
    expect(figureToDate('revenue_wan', outputs, [outcome('A', 2027, { revenue_wan: 100 }, null)])).toBe(305);
    // a report that leaves revenue empty keeps the registry's 80
    expect(figureToDate('revenue_wan', outputs, [outcome('A', 2027, {}, null)])).toBe(285);
  });
});

// A small portfolio of four accepted projects, every figure written out so the rows can be
// checked by hand. Public money is programme + district match; leverage is the rest ÷ public.
const A: PerformanceFacts = {
  code: 'A',
  name: '项目 A',
  acceptance_mean_rate: 0.9,
  outputs: [
    ...many('patent', [2024, 2025]),
    ...many('pct_patent', [2025]),
    ...many('standard', [2025]),
    { kind: 'product', title: 'p', year: 2025, quantity: 2 },
    { kind: 'technology_transfer', title: 'tt', year: 2025, value: 50, unit: '万元' },
    { kind: 'revenue', title: 'rev', year: 2025, value: 200, unit: '万元' },
    ...many('paper', [2024, 2025, 2025]),
    { kind: 'talent_trained', title: 't', year: 2025, quantity: 3 },
  ],
  outcomes: [outcome('A', 2027, { revenue_wan: 100, overseas_talents: 1 }, false)],
  follow_on_projects: [],
  funding: [
    { source: 'programme', year: 2024, amount_wan: 100 },
    { source: 'self', year: 2024, amount_wan: 150 },
  ],
  partner_standing: 4,
};
const B: PerformanceFacts = {
  code: 'B',
  acceptance_mean_rate: 1,
  outputs: [
    ...many('patent', [2024, 2024, 2025, 2025]),
    ...many('pct_patent', [2025, 2025]),
    ...many('standard', [2025, 2025]),
    { kind: 'product', title: 'p', year: 2025 },
    { kind: 'technology_transfer', title: 'tt', year: 2025, value: 2_000_000, unit: '元' },
    { kind: 'revenue', title: 'rev', year: 2025, value: 600, unit: '万元' },
    ...many('paper', [2025, 2025]),
    { kind: 'talent_trained', title: 't', year: 2025, quantity: 5 },
  ],
  outcomes: [outcome('B', 2027, { revenue_wan: 200, overseas_talents: 2 }, true), outcome('B', 2028, { revenue_wan: 100 }, true)],
  follow_on_projects: ['B2'],
  funding: [
    { source: 'programme', year: 2024, amount_wan: 150 },
    { source: 'district_match', year: 2024, amount_wan: 50 },
    { source: 'self', year: 2024, amount_wan: 100 },
    { source: 'foreign_partner', year: 2024, amount_wan: 100 },
  ],
  partner_standing: 5,
};
const C: PerformanceFacts = {
  code: 'C',
  acceptance_mean_rate: 0.6,
  outputs: [...many('patent', [2025]), { kind: 'product', title: 'p', year: 2025 }, { kind: 'revenue', title: 'rev', year: 2025, value: 50, unit: '万元' }, ...many('paper', [2025]), { kind: 'talent_trained', title: 't', year: 2025 }],
  outcomes: [outcome('C', 2027, { revenue_wan: 0, overseas_talents: 0 }, false)],
  follow_on_projects: [],
  funding: [
    { source: 'programme', year: 2024, amount_wan: 50 },
    { source: 'self', year: 2024, amount_wan: 25 },
  ],
  partner_standing: 2,
};
const D: PerformanceFacts = {
  code: 'D',
  acceptance_mean_rate: 0.95,
  outputs: [
    ...many('patent', [2024, 2025, 2025]),
    ...many('pct_patent', [2025]),
    { kind: 'product', title: 'p', year: 2025, quantity: 3 },
    { kind: 'technology_transfer', title: 'tt', year: 2025, value: 20, unit: '万元' },
    { kind: 'revenue', title: 'rev', year: 2025, value: 800, unit: '万元' },
    { kind: 'talent_trained', title: 't', year: 2025, quantity: 2 },
  ],
  outcomes: [outcome('D', 2027, { revenue_wan: 400, overseas_talents: 0 }, true), outcome('D', 2028, { revenue_wan: 200 }, false)],
  follow_on_projects: ['D2', 'D3'],
  funding: [
    { source: 'programme', year: 2024, amount_wan: 80 },
    { source: 'self', year: 2024, amount_wan: 320 },
  ],
  partner_standing: 3,
};

describe('performanceRow — the project’s real data on the framework’s indicators', () => {
  it('project A by hand', () => {
    expect(performanceRow(A)).toEqual({
      uCode: 'A',
      uName: '项目 A',
      OUT_RATE: 90, // 0.9 × 100
      OUT_PAT: 2,
      OUT_STD: 1,
      OUT_PROD: 2,
      OUT_TT: 50,
      OUT_REV: 300, // 200 (2025, registry) + 100 (2027 outcome report)
      INF_COPUB: 3,
      INF_PCT: 1,
      INF_CONT: 0, // 0 of 1 follow-up year with continued cooperation
      INF_FOLLOW: 0,
      INF_PARTNER: 4,
      TAL_TRAIN: 3,
      TAL_INTRO: 1,
      EFF_REV: 3, // 300 / 100 public
      EFF_OUT: 6, // (2 + 1 + 1 + 2) / (100 / 100)
      EFF_LEV: 1.5, // 150 / 100
    });
  });
  it('project B: district match is public money, the partner’s is not', () => {
    expect(performanceRow(B)).toMatchObject({
      OUT_TT: 200, // 2 000 000 元
      OUT_REV: 900, // 600 + 200 + 100
      INF_CONT: 100,
      INF_FOLLOW: 1,
      TAL_INTRO: 2,
      EFF_REV: 4.5, // 900 / (150 + 50)
      EFF_OUT: 4.5, // (4 + 2 + 2 + 1) / 2
      EFF_LEV: 1, // (100 + 100) / 200
    });
  });
  it('before acceptance and outcome reports the acceptance rate, continued cooperation and recruited talents are missing, not 0', () => {
    expect(performanceRow({ ...A, acceptance_mean_rate: null, outcomes: [] })).toMatchObject({ OUT_RATE: null, INF_CONT: null, TAL_INTRO: null, OUT_REV: 200 });
  });
});

describe('a later outcome report moves the project’s performance score (the real indicators engine)', () => {
  it('A’s 2028 report (revenue 150 万元, cooperation continued) raises A’s score by 107/2970 × 100 and leaves the others unchanged', async () => {
    const { framework } = await parseFrameworkFile({ path: FRAMEWORK });
    expect(framework.indicators).toHaveLength(16);
    const methods = { normalise: { method: 'minmax' as const, range: [0, 100] as [number, number] } };
    const score = (facts: PerformanceFacts[]) => {
      const r = runCompositeSync(framework, buildDataTable(framework, facts.map(performanceRow)), methods);
      return Object.fromEntries(r.units.map((u) => [u.unit, u.score!]));
    };
    const before = score([A, B, C, D]);
    const A2 = { ...A, outcomes: [...A.outcomes, outcome('A', 2028, { revenue_wan: 150 }, true)] };
    const after = score([A2, B, C, D]);
    // What the report changes for A, and the columns' ranges (set by B, C and D, so they stay):
    //   OUT_REV 300 → 450, range 50 (C) … 1400 (D) = 1350; weight 0.35 / 6 (six outcome indicators)
    //   INF_CONT 0 → 50 (1 of 2 years), range 0 (C) … 100 (B) = 100; weight 0.25 / 5
    //   EFF_REV 3 → 4.5, range 1 (C) … 17.5 (D) = 16.5; weight 0.15 / 3
    // Δ = 100 × (0.35/6 × 150/1350 + 0.05 × 50/100 + 0.05 × 1.5/16.5)
    //   = 100 × (7/1080 + 1/40 + 1/220) = 100 × (77 + 297 + 54)/11880 = 100 × 107/2970 ≈ 3.6027
    expect(after.A - before.A).toBeCloseTo((100 * 107) / 2970, 10);
    for (const u of ['B', 'C', 'D']) expect(after[u]).toBeCloseTo(before[u], 12);
  });
});
