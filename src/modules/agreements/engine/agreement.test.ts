import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../errors.ts';
import { budgetByCategory, describeDiff, diffAgreements, validateAgreement, type Agreement } from './agreement.ts';
import { FUNDING, signedAgreement } from './engine.fixture.ts';
import { refusal } from './issues.ts';

const codes = (a: Agreement, funding = FUNDING) => validateAgreement(a, funding).issues.map((i) => i.code);

describe('validateAgreement — the fixture', () => {
  it('accepts the signed agreement with no issue', () => {
    const c = validateAgreement(signedAgreement(), FUNDING);
    expect(c.issues).toEqual([]);
    expect(c.ok).toBe(true);
    expect(c.agreement?.indicators).toHaveLength(5);
  });
  it('budget by category is the sums written in the fixture', () => {
    // equipment 30+50; materials 20+15+30+40; international 10+15; labour 10+10+20; testing 20+20; other 10
    expect(Object.fromEntries(budgetByCategory(signedAgreement().budget))).toEqual({ equipment: 80, materials: 105, international: 25, labour: 40, testing: 40, other: 10 });
  });
});

describe('validateAgreement — key indicators', () => {
  it('converts revenue written in 元 into 万元: 5 000 000 元 = 500 万元', () => {
    const a = signedAgreement();
    a.indicators[2] = { kind: 'revenue', target: 5_000_000, unit: '元' };
    const c = validateAgreement(a, FUNDING);
    expect(c.ok).toBe(true);
    expect(c.agreement!.indicators[2]).toEqual({ kind: 'revenue', target: 500, unit: '万元' });
  });
  it('converts 0.05 亿元 into 500 万元', () => {
    const a = signedAgreement();
    a.indicators[2] = { kind: 'revenue', target: 0.05, unit: '亿元' };
    expect(validateAgreement(a, FUNDING).agreement!.indicators[2].target).toBe(500);
  });
  it('accepts patents counted in 项 and stores them in 件', () => {
    const a = signedAgreement();
    a.indicators[0] = { kind: 'patent', target: 3, unit: '项' };
    expect(validateAgreement(a, FUNDING).agreement!.indicators[0]).toEqual({ kind: 'patent', target: 3, unit: '件' });
  });
  it('refuses patents counted in 人 with INDICATOR_UNIT_MISMATCH naming row 1', () => {
    const a = signedAgreement();
    a.indicators[0].unit = '人';
    const c = validateAgreement(a, FUNDING);
    expect(c.ok).toBe(false);
    expect(c.agreement).toBeNull();
    const i = c.issues.find((x) => x.code === 'INDICATOR_UNIT_MISMATCH')!;
    expect(i).toMatchObject({ row: 1, field: 'unit', indicator: 'patent', unit: '人', expected: '件' });
    expect(i.message).toBe('关键指标第 1 行：“申请发明专利”的单位“人”不能换算为“件”、“项”');
    expect(i.message_en).toContain('Row 1 of the key indicators');
    const e = refusal(c.issues);
    expect(isAppError(e) && e.code).toBe('INDICATOR_UNIT_MISMATCH');
    expect(e.status).toBe(400);
  });
  it('people are not person-visits: foreign experts in 人 are refused (row 5)', () => {
    const a = signedAgreement();
    a.indicators[4].unit = '人';
    const i = validateAgreement(a, FUNDING).issues;
    expect(i.map((x) => [x.code, x.row])).toEqual([['INDICATOR_UNIT_MISMATCH', 5]]);
  });
  it('revenue in a count unit is refused', () => {
    const a = signedAgreement();
    a.indicators[2].unit = '件';
    expect(codes(a)).toEqual(['INDICATOR_UNIT_MISMATCH']);
  });
  it('a target of 0, a negative or a missing target is refused', () => {
    for (const target of [0, -1, Number.NaN]) {
      const a = signedAgreement();
      a.indicators[1].target = target;
      expect(validateAgreement(a, FUNDING).issues.map((x) => [x.code, x.row])).toEqual([['INDICATOR_TARGET_INVALID', 2]]);
    }
  });
  it('an unknown kind and a kind committed twice are refused', () => {
    const a = signedAgreement();
    a.indicators.push({ kind: 'citations', target: 10, unit: '次' }, { kind: 'patent', target: 1, unit: '件' });
    const i = validateAgreement(a, FUNDING).issues;
    expect(i.map((x) => [x.code, x.row])).toEqual([
      ['INDICATOR_KIND_UNKNOWN', 6],
      ['INDICATOR_DUPLICATE', 7],
    ]);
    expect(i[1].message).toContain('与第 1 行重复');
  });
  it('an agreement without indicators, objectives or person in charge lists all three', () => {
    const a = signedAgreement();
    a.indicators = [];
    a.objectives = ['  '];
    a.person_in_charge = '';
    expect(codes(a)).toEqual(['AGREEMENT_OBJECTIVE_MISSING', 'AGREEMENT_PERSON_MISSING', 'INDICATOR_NONE']);
  });
});

describe('validateAgreement — budget against the funding lines', () => {
  it('names the source and year whose categories do not add up: programme 2025 is 12 + 15 + 10 = 37, not 40', () => {
    const a = signedAgreement();
    a.budget[3].amount_wan = 12;
    const [i] = validateAgreement(a, FUNDING).issues;
    expect(i).toMatchObject({ code: 'BUDGET_FUNDING_MISMATCH', source: 'programme', year: 2025, stated: 40, computed: 37 });
    expect(i.message).toBe('预算中“本计划资助”2025 年各科目合计 37 万元，与项目经费记录 40 万元不一致（差 -3 万元）');
  });
  it('a funding line without budget cells is a mismatch (district match 2025: 0 budgeted, 10 funded)', () => {
    const [i] = validateAgreement(signedAgreement(), [...FUNDING, { source: 'district_match', year: 2025, amount_wan: 10 }]).issues;
    expect(i).toMatchObject({ code: 'BUDGET_FUNDING_MISMATCH', source: 'district_match', year: 2025, stated: 10, computed: 0 });
  });
  it('several funding records of one source and year are added: 25 + 15 = 40 for programme 2025', () => {
    const funding = FUNDING.filter((f) => !(f.source === 'programme' && f.year === 2025)).concat([
      { source: 'programme', year: 2025, amount_wan: 25 },
      { source: 'programme', year: 2025, amount_wan: 15 },
    ]);
    expect(validateAgreement(signedAgreement(), funding).issues).toEqual([]);
  });
  it('sums are compared to one 元, not to floating-point noise (0.1 + 0.2 = 0.3)', () => {
    const a = signedAgreement();
    a.budget = a.budget.filter((c) => !(c.source === 'programme' && c.year === 2024));
    a.budget.push({ source: 'programme', year: 2024, category: 'equipment', amount_wan: 0.1 }, { source: 'programme', year: 2024, category: 'materials', amount_wan: 0.2 });
    const funding = FUNDING.map((f) => (f.source === 'programme' && f.year === 2024 ? { ...f, amount_wan: 0.3 } : f));
    expect(validateAgreement(a, funding).issues).toEqual([]);
    // One 元 (0.0001 万元) off is a mismatch.
    const off = funding.map((f) => (f.source === 'programme' && f.year === 2024 ? { ...f, amount_wan: 0.3001 } : f));
    expect(codes(a, off)).toEqual(['BUDGET_FUNDING_MISMATCH']);
  });
  it('a cell outside the period, of an unknown source or category, negative, or repeated names its row', () => {
    const a = signedAgreement();
    a.budget.push(
      { source: 'self', year: 2027, category: 'other', amount_wan: 0 }, // row 15: 2027 after 2026
      { source: 'angel', year: 2025, category: 'other', amount_wan: 0 }, // row 16
      { source: 'self', year: 2025, category: 'catering', amount_wan: 0 }, // row 17
      { source: 'self', year: 2026, category: 'other', amount_wan: -1 }, // row 18, and repeats row 14
    );
    const i = validateAgreement(a, FUNDING).issues;
    expect(i.map((x) => [x.code, x.row ?? null])).toEqual([
      ['BUDGET_YEAR_OUTSIDE_PERIOD', 15],
      ['BUDGET_SOURCE_UNKNOWN', 16],
      ['BUDGET_CATEGORY_UNKNOWN', 17],
      ['BUDGET_AMOUNT_INVALID', 18],
      ['BUDGET_CELL_DUPLICATE', 18],
      // self 2026: 20 + 20 + 10 + (−1 counted as written) = 49 against 50
      ['BUDGET_FUNDING_MISMATCH', null],
    ]);
  });
});

describe('validateAgreement — milestones, reporting, partners, period', () => {
  it('a milestone due on the last day of the period is inside it; the day after is not', () => {
    const a = signedAgreement();
    a.milestones[1].due = '2026-06-30';
    expect(codes(a)).toEqual([]);
    a.milestones[1].due = '2026-07-01';
    const [i] = validateAgreement(a, FUNDING).issues;
    expect(i).toMatchObject({ code: 'MILESTONE_OUTSIDE_PERIOD', row: 2 });
    a.milestones[1].due = '2024-06-30';
    expect(codes(a)).toEqual(['MILESTONE_OUTSIDE_PERIOD']);
  });
  it('a milestone needs a title, a real date and a deliverable', () => {
    const a = signedAgreement();
    a.milestones.push({ title: '', due: '2025-02-30', deliverables: [] }, { title: '样机试制', due: '2025-01-31', deliverables: ['x'] });
    expect(validateAgreement(a, FUNDING).issues.map((x) => [x.code, x.row])).toEqual([
      ['MILESTONE_TITLE_MISSING', 3],
      ['AGREEMENT_DATE_INVALID', 3],
      ['MILESTONE_NO_DELIVERABLE', 3],
      ['MILESTONE_DUPLICATE', 4],
    ]);
  });
  it('reporting rules: a known kind and frequency, the final report once, each kind once', () => {
    const a = signedAgreement();
    a.reporting.push({ kind: 'progress', frequency: 'quarterly', due_months_after: 1, grace_days: 0 });
    a.reporting[2] = { kind: 'final', frequency: 'yearly', due_months_after: 3, grace_days: -1 };
    expect(validateAgreement(a, FUNDING).issues.map((x) => [x.code, x.row, x.field])).toEqual([
      ['REPORTING_RULE_INVALID', 3, 'frequency'],
      ['REPORTING_RULE_INVALID', 3, 'grace_days'],
      ['REPORTING_RULE_DUPLICATE', 4, 'kind'],
    ]);
  });
  it('an international project needs a foreign partner, unless the caller says otherwise', () => {
    const a = signedAgreement();
    a.partners = [a.partners[1]];
    expect(codes(a)).toEqual(['AGREEMENT_NO_FOREIGN_PARTNER']);
    expect(validateAgreement(a, FUNDING, { require_foreign_partner: false }).ok).toBe(true);
  });
  it('a partner without obligations is named', () => {
    const a = signedAgreement();
    a.partners[0].obligations = [];
    const [i] = validateAgreement(a, FUNDING).issues;
    expect(i.message).toBe('合作单位第 1 行：未写明“Fraunhofer ICT”承担的任务和义务');
  });
  it('a partner without a name, and a partner listed twice, are named by row', () => {
    const a = signedAgreement();
    a.partners.push({ name: ' ', foreign: false, obligations: ['x'] }, { name: 'Fraunhofer ICT', foreign: true, obligations: ['x'] });
    expect(validateAgreement(a, FUNDING).issues.map((x) => [x.code, x.row])).toEqual([
      ['PARTNER_NAME_MISSING', 3],
      ['PARTNER_DUPLICATE', 4],
    ]);
  });
  it('an end before the start is refused', () => {
    const a = signedAgreement();
    a.end_date = '2024-06-30';
    expect(codes(a)[0]).toBe('PROJECT_PERIOD_INVALID');
  });
});

describe('diffAgreements', () => {
  it('finds nothing between an agreement and its copy', () => {
    expect(diffAgreements(signedAgreement(), signedAgreement())).toEqual([]);
  });
  it('an extension is one change of the end date', () => {
    const b = signedAgreement();
    b.end_date = '2026-12-31';
    const d = diffAgreements(signedAgreement(), b);
    expect(d).toEqual([{ section: 'period', key: 'end_date', change: 'changed', before: '2026-06-30', after: '2026-12-31', label: '执行期 · 结束日期', label_en: 'Period · End date' }]);
    expect(describeDiff(d[0]).zh).toBe('执行期 · 结束日期：2026-06-30 → 2026-12-31');
  });
  it('moving 5 万元 of programme 2025 money from materials to international is two cells, −5 and +5', () => {
    const b = signedAgreement();
    b.budget[3].amount_wan = 10; // materials 15 → 10
    b.budget[4].amount_wan = 20; // international 15 → 20
    const d = diffAgreements(signedAgreement(), b);
    expect(d.map((e) => [e.key, e.change, e.before, e.after, e.delta])).toEqual([
      ['programme|2025|materials', 'changed', 15, 10, -5],
      ['programme|2025|international', 'changed', 15, 20, 5],
    ]);
    expect(d[0].label).toBe('预算 · 本计划资助 · 2025 年 · 材料费');
  });
  it('a new budget cell is added, a cell set to 0 is removed', () => {
    const b = signedAgreement();
    b.budget[5].amount_wan = 0; // programme 2025 labour 10 → 0
    b.budget.push({ source: 'programme', year: 2025, category: 'testing', amount_wan: 10 });
    expect(diffAgreements(signedAgreement(), b).map((e) => [e.key, e.change, e.delta])).toEqual([
      ['programme|2025|labour', 'removed', -10],
      ['programme|2025|testing', 'added', 10],
    ]);
  });
  it('indicator, person and partner changes are keyed by kind, field and name', () => {
    const b = signedAgreement();
    b.indicators[0].target = 2;
    b.person_in_charge = '李娜';
    b.partners[0] = { name: 'TU München', country_iso3: 'DEU', foreign: true, obligations: ['联合设计模具'] };
    expect(diffAgreements(signedAgreement(), b).map((e) => [e.section, e.key, e.change])).toEqual([
      ['person_in_charge', 'person_in_charge', 'changed'],
      ['indicators', 'patent', 'changed'],
      ['partners', 'Fraunhofer ICT', 'removed'],
      ['partners', 'TU München', 'added'],
    ]);
    const ind = diffAgreements(signedAgreement(), b).find((e) => e.section === 'indicators')!;
    expect([ind.before, ind.after]).toEqual([{ target: 3, unit: '件' }, { target: 2, unit: '件' }]);
    expect(ind.label).toBe('关键指标 · 申请发明专利');
  });
});
