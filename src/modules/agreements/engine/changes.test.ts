import { describe, expect, it } from 'vitest';
import { validateAgreement } from './agreement.ts';
import { evaluateChange, resolveChangeRules, unspentPublicFunds, type ChangeContext, type ChangeEvaluation, type ChangeRequest } from './changes.ts';
import { codeOf, FUNDING, signedAgreement } from './engine.fixture.ts';
import { refusal } from './issues.ts';

// The fixture's project ends 2026-06-30. Its budget by category (engine.fixture.ts): equipment 80,
// materials 105, international 25, labour 40, testing 40, other 10 (万元).
const ctx = (over: Partial<ChangeContext> = {}): ChangeContext => ({ signed: signedAgreement(), current: signedAgreement(), history: [], ...over });
const rule = (e: ChangeEvaluation, name: string) => e.rules.filter((r) => r.rule === name).map((r) => [r.code, r.pass, r.needs_approval]);
const ext = (requested_on: string, new_end_date: string): ChangeRequest => ({ kind: 'extension', requested_on, new_end_date });

describe('rule: no change in the last three months (except termination)', () => {
  // end 2026-06-30 − 3 months = 2026-03-31 by the end-of-month rule
  it('exactly three months before the end is still allowed', () => {
    const e = evaluateChange(ext('2026-03-31', '2026-12-31'), ctx());
    expect(rule(e, 'window')).toEqual([['CHANGE_WINDOW_OK', true, false]]);
    expect(e.allowed).toBe(true);
  });
  it('one day later is refused, with the last day named', () => {
    const e = evaluateChange(ext('2026-04-01', '2026-12-31'), ctx());
    const [w] = e.rules;
    expect([w.code, w.pass, w.details.last]).toEqual(['CHANGE_AFTER_DEADLINE', false, '2026-03-31']);
    expect(w.message).toBe('申请日期 2026-04-01 已在项目结束（2026-06-30）前最后 3 个月内，最晚应于 2026-03-31 提出变更（终止除外）');
    expect(e.allowed).toBe(false);
  });
  it('a termination may be requested in the last months', () => {
    const e = evaluateChange({ kind: 'termination', requested_on: '2026-05-10', termination_date: '2026-05-31', funds: [] }, ctx());
    expect(rule(e, 'window')).toEqual([['CHANGE_WINDOW_EXEMPT', true, false]]);
    expect(e.allowed).toBe(true);
  });
  it('the window follows the agreement in force: after an extension to 2026-12-31 the last day is 2026-09-30', () => {
    const current = signedAgreement();
    current.end_date = '2026-12-31';
    const c = ctx({ current, history: [{ kind: 'extension', state: 'approved' }] });
    const req: ChangeRequest = { kind: 'person_in_charge', requested_on: '2026-09-30', person: '李娜' };
    expect(rule(evaluateChange(req, c), 'window')).toEqual([['CHANGE_WINDOW_OK', true, false]]);
    expect(rule(evaluateChange({ ...req, requested_on: '2026-10-01' }, c), 'window')).toEqual([['CHANGE_AFTER_DEADLINE', false, false]]);
  });
  it('the number of months is the programme’s: with 6, the last day is 2025-12-31', () => {
    expect(rule(evaluateChange(ext('2025-12-31', '2026-12-31'), ctx(), { freeze_months: 6 }), 'window')[0][0]).toBe('CHANGE_WINDOW_OK');
    expect(rule(evaluateChange(ext('2026-01-01', '2026-12-31'), ctx(), { freeze_months: 6 }), 'window')[0][0]).toBe('CHANGE_AFTER_DEADLINE');
  });
});

describe('rule: at most one extension of at most 12 months', () => {
  it('exactly 12 months (2026-06-30 → 2027-06-30) passes, needs approval, and shows as the end date', () => {
    const e = evaluateChange(ext('2025-10-01', '2027-06-30'), ctx());
    expect(rule(e, 'extension_length')).toEqual([['EXTENSION_LENGTH_OK', true, false]]);
    expect(e.rules.find((r) => r.rule === 'extension_length')!.details).toMatchObject({ months: 12, days: 0, latest: '2027-06-30' });
    expect(rule(e, 'extension_count')).toEqual([['EXTENSION_COUNT_OK', true, false]]);
    expect(e).toMatchObject({ allowed: true, needs_approval: true });
    expect(e.diff.map((d) => [d.key, d.before, d.after])).toEqual([['end_date', '2026-06-30', '2027-06-30']]);
    expect(e.proposed.end_date).toBe('2027-06-30');
  });
  it('one day more than 12 months fails', () => {
    const e = evaluateChange(ext('2025-10-01', '2027-07-01'), ctx());
    const r = e.rules.find((x) => x.rule === 'extension_length')!;
    expect([r.code, r.pass, r.details.months, r.details.days]).toEqual(['EXTENSION_TOO_LONG', false, 12, 1]);
    expect(e.allowed).toBe(false);
  });
  it('a second extension fails; a returned one did not count', () => {
    expect(rule(evaluateChange(ext('2025-10-01', '2026-12-31'), ctx({ history: [{ kind: 'extension', state: 'approved' }] })), 'extension_count')).toEqual([['EXTENSION_COUNT_EXCEEDED', false, false]]);
    expect(rule(evaluateChange(ext('2025-10-01', '2026-12-31'), ctx({ history: [{ kind: 'extension', state: 'returned' }] })), 'extension_count')).toEqual([['EXTENSION_COUNT_OK', true, false]]);
  });
  it('where two extensions are allowed they share the 12 months counted from the signed end', () => {
    const current = signedAgreement();
    current.end_date = '2026-12-31'; // first extension, 6 months
    const c = ctx({ current, history: [{ kind: 'extension', state: 'approved' }] });
    const rules = { max_extensions: 2 };
    expect(evaluateChange(ext('2026-08-01', '2027-06-30'), c, rules).allowed).toBe(true);
    // 2027-07-31 is 7 months after the current end but 13 months after the signed one
    expect(rule(evaluateChange(ext('2026-08-01', '2027-07-31'), c, rules), 'extension_length')).toEqual([['EXTENSION_TOO_LONG', false, false]]);
  });
  it('the limit in months is the programme’s', () => {
    expect(evaluateChange(ext('2025-10-01', '2026-12-31'), ctx(), { max_extension_months: 6 }).allowed).toBe(true);
    expect(evaluateChange(ext('2025-10-01', '2027-01-01'), ctx(), { max_extension_months: 6 }).allowed).toBe(false);
  });
  it('an "extension" to the same or an earlier date is refused', () => {
    const e = evaluateChange(ext('2025-10-01', '2026-06-30'), ctx());
    expect(rule(e, 'extension_later')).toEqual([['EXTENSION_NOT_LATER', false, false]]);
    expect(e.issues.map((i) => i.code)).toEqual(['CHANGE_NO_DIFFERENCE']);
  });
});

describe('rule: a reallocation above 20 % of a category needs approval', () => {
  const move = (amount_wan: number): ChangeRequest => ({ kind: 'budget_reallocation', requested_on: '2025-09-01', moves: [{ source: 'self', year: 2024, from: 'equipment', to: 'materials', amount_wan }] });
  it('exactly 20 %: 16 of equipment’s 80 (materials gains 16 of 105 = 15.24 %) is recorded without approval', () => {
    const e = evaluateChange(move(16), ctx());
    expect(e.rules.filter((r) => r.rule === 'reallocation_share').map((r) => [r.details.category, r.code, r.needs_approval, r.details.share])).toEqual([
      ['equipment', 'REALLOCATION_RECORDED', false, 0.2],
      ['materials', 'REALLOCATION_RECORDED', false, 16 / 105],
    ]);
    expect(e).toMatchObject({ allowed: true, needs_approval: false });
    expect(e.rules[1].message).toBe('设备费由签订时的 80 万元调至 64 万元，累计调整 20%，不超过 20%，备案即可，无需审批');
  });
  it('one 元 more (16.0001 万元) is above 20 % and needs approval', () => {
    const e = evaluateChange(move(16.0001), ctx());
    expect(e.rules.find((r) => r.details.category === 'equipment')!.code).toBe('REALLOCATION_NEEDS_APPROVAL');
    expect(e).toMatchObject({ allowed: true, needs_approval: true });
  });
  it('the budget stays consistent with the funding lines and the difference shows the two cells', () => {
    const e = evaluateChange(move(16), ctx());
    expect(validateAgreement(e.proposed, FUNDING).ok).toBe(true);
    expect(e.diff.map((d) => [d.key, d.before, d.after, d.delta])).toEqual([
      ['self|2024|equipment', 50, 34, -16],
      ['self|2024|materials', 30, 46, 16],
    ]);
  });
  it('changes add up from the signing: 10 recorded, then 8 more is 18 of 80 = 22.5 % and needs approval', () => {
    const first = evaluateChange(move(10), ctx());
    expect(first.needs_approval).toBe(false); // 10 / 80 = 12.5 %
    const second = evaluateChange(move(8), ctx({ current: first.proposed, history: [{ kind: 'budget_reallocation', state: 'recorded' }] }));
    const eq = second.rules.find((r) => r.details.category === 'equipment')!;
    expect([eq.code, eq.details.signed, eq.details.proposed, eq.details.share]).toEqual(['REALLOCATION_NEEDS_APPROVAL', 80, 62, 0.225]);
  });
  it('a category that had no budget needs approval', () => {
    const e = evaluateChange({ kind: 'budget_reallocation', requested_on: '2025-09-01', moves: [{ source: 'programme', year: 2025, from: 'materials', to: 'publication_ip', amount_wan: 1 }] }, ctx());
    expect(e.rules.filter((r) => r.rule === 'reallocation_share').map((r) => [r.details.category, r.code, r.details.share])).toEqual([
      ['materials', 'REALLOCATION_RECORDED', 1 / 105],
      ['publication_ip', 'REALLOCATION_NEEDS_APPROVAL', null],
    ]);
  });
  it('moving more than a cell holds is refused, naming the cell', () => {
    const e = evaluateChange({ kind: 'budget_reallocation', requested_on: '2025-09-01', moves: [{ source: 'programme', year: 2024, from: 'equipment', to: 'labour', amount_wan: 31 }] }, ctx());
    expect(e.issues.map((i) => [i.code, i.row, i.source, i.year, i.category])).toEqual([['REALLOCATION_EXCEEDS_CELL', 1, 'programme', 2024, 'equipment']]);
    expect(e.issues[0].message).toBe('第 1 项调剂：从本计划资助·2024 年·设备费调出 31 万元，超过该科目预算 30 万元');
    expect(e.allowed).toBe(false);
  });
  it('a move to the same category, of nothing, or of an unknown category is refused', () => {
    const e = evaluateChange(
      {
        kind: 'budget_reallocation',
        requested_on: '2025-09-01',
        moves: [
          { source: 'self', year: 2024, from: 'equipment', to: 'equipment', amount_wan: 1 },
          { source: 'self', year: 2024, from: 'equipment', to: 'materials', amount_wan: 0 },
          { source: 'self', year: 2024, from: 'equipment', to: 'banquets', amount_wan: 1 },
        ],
      },
      ctx(),
    );
    expect(e.issues.map((i) => [i.code, i.row, i.field])).toEqual([
      ['REALLOCATION_INVALID', 1, 'to'],
      ['REALLOCATION_INVALID', 2, 'amount_wan'],
      ['REALLOCATION_INVALID', 3, 'to'],
    ]);
  });
});

describe('partner, indicator and person changes', () => {
  it('a foreign partner must remain', () => {
    const e = evaluateChange({ kind: 'partner_change', requested_on: '2025-09-01', partners: [signedAgreement().partners[1]] }, ctx());
    expect(rule(e, 'foreign_partner')).toEqual([['PARTNER_CHANGE_NO_FOREIGN', false, false]]);
    expect(e.diff.map((d) => [d.key, d.change])).toEqual([['Fraunhofer ICT', 'removed']]);
  });
  it('replacing the foreign partner passes and needs approval', () => {
    const partners = signedAgreement().partners;
    partners[0] = { name: 'TU München', country_iso3: 'DEU', foreign: true, obligations: ['联合设计模具'] };
    const e = evaluateChange({ kind: 'partner_change', requested_on: '2025-09-01', partners }, ctx());
    expect(e).toMatchObject({ allowed: true, needs_approval: true });
    expect(e.diff.map((d) => [d.key, d.change])).toEqual([
      ['Fraunhofer ICT', 'removed'],
      ['TU München', 'added'],
    ]);
  });
  it('an indicator change is validated as in the agreement and needs approval', () => {
    const indicators = signedAgreement().indicators;
    indicators[0].target = 2;
    const e = evaluateChange({ kind: 'indicator_change', requested_on: '2025-09-01', indicators }, ctx());
    expect(e).toMatchObject({ allowed: true, needs_approval: true });
    expect(e.diff.map((d) => [d.key, d.before, d.after])).toEqual([['patent', { target: 3, unit: '件' }, { target: 2, unit: '件' }]]);
    indicators[2].unit = '人';
    const bad = evaluateChange({ kind: 'indicator_change', requested_on: '2025-09-01', indicators }, ctx());
    expect(bad.issues.map((i) => [i.code, i.row])).toEqual([['INDICATOR_UNIT_MISMATCH', 3]]);
    expect(bad.allowed).toBe(false);
  });
  it('the same revenue target written in 元 is no change at all', () => {
    const indicators = signedAgreement().indicators;
    indicators[2] = { kind: 'revenue', target: 5_000_000, unit: '元' };
    expect(evaluateChange({ kind: 'indicator_change', requested_on: '2025-09-01', indicators }, ctx()).issues.map((i) => i.code)).toEqual(['CHANGE_NO_DIFFERENCE']);
  });
  it('the new person in charge must differ', () => {
    expect(rule(evaluateChange({ kind: 'person_in_charge', requested_on: '2025-09-01', person: '王磊' }, ctx()), 'person_differs')).toEqual([['PERSON_UNCHANGED', false, false]]);
    expect(evaluateChange({ kind: 'person_in_charge', requested_on: '2025-09-01', person: '李娜' }, ctx())).toMatchObject({ allowed: true, needs_approval: true });
  });
});

describe('termination and the funds to recover', () => {
  it('recovers the unspent public money: programme 100 received − 62.5 spent = 37.5; own funds are not recovered', () => {
    const e = evaluateChange(
      {
        kind: 'termination',
        requested_on: '2025-12-15',
        termination_date: '2025-12-31',
        funds: [
          { source: 'programme', received_wan: 100, spent_wan: 62.5 },
          { source: 'self', received_wan: 150, spent_wan: 120 },
        ],
      },
      ctx(),
    );
    expect(e.recovery).toEqual({ by_source: [{ source: 'programme', received_wan: 100, spent_wan: 62.5, unspent_wan: 37.5 }], received_wan: 100, spent_wan: 62.5, recover_wan: 37.5 });
    expect(e.rules.find((r) => r.rule === 'termination_recovery')!.message).toBe('终止时应收回财政资金结余 37.5 万元（已拨付 100 万元，已支出 62.5 万元）');
    expect(e).toMatchObject({ allowed: true, needs_approval: true });
    expect(e.proposed.end_date).toBe('2025-12-31');
  });
  it('an overspent source is not offset against another: 0 + (10 − 4) = 6', () => {
    const r = unspentPublicFunds([
      { source: 'programme', received_wan: 60, spent_wan: 70 },
      { source: 'district_match', received_wan: 10, spent_wan: 4 },
    ]);
    expect(r.recover_wan).toBe(6);
    expect(r.by_source.map((s) => s.unspent_wan)).toEqual([0, 6]);
  });
  it('a negative amount is refused; a date outside the period fails its rule', () => {
    expect(codeOf(() => unspentPublicFunds([{ source: 'programme', received_wan: -1, spent_wan: 0 }]))).toBe('FUNDS_INVALID');
    const e = evaluateChange({ kind: 'termination', requested_on: '2025-12-15', termination_date: '2026-07-01', funds: [] }, ctx());
    expect(rule(e, 'termination_date')).toEqual([['TERMINATION_DATE_INVALID', false, false]]);
  });
});

describe('programme rules and bad requests', () => {
  it('defaults are one extension, 12 months, 20 %, three months, a foreign partner', () => {
    expect(resolveChangeRules()).toEqual({ max_extensions: 1, max_extension_months: 12, reallocation_approval_share: 0.2, freeze_months: 3, require_foreign_partner: true });
  });
  it('refuses rules that make no sense and requests of unknown kind or with bad dates', () => {
    expect(codeOf(() => resolveChangeRules({ reallocation_approval_share: 1.5 }))).toBe('CHANGE_RULES_INVALID');
    expect(codeOf(() => resolveChangeRules({ max_extensions: -1 }))).toBe('CHANGE_RULES_INVALID');
    expect(codeOf(() => evaluateChange({ kind: 'merger', requested_on: '2025-01-01' } as unknown as ChangeRequest, ctx()))).toBe('CHANGE_KIND_UNKNOWN');
    expect(codeOf(() => evaluateChange(ext('2025-13-01', '2026-12-31'), ctx()))).toBe('AGREEMENT_DATE_INVALID');
  });
  it('a refused change answers 409 when the deadline passed', () => {
    const e = evaluateChange(ext('2026-04-01', '2026-12-31'), ctx());
    const failed = e.rules.filter((r) => !r.pass).map((r) => ({ ...r.details, code: r.code, severity: 'error' as const, message: r.message, message_en: r.message_en }));
    expect(refusal(failed).status).toBe(409);
  });
});
