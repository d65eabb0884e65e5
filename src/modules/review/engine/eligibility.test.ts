/**
 * The formal check on a hand-built application: every rule passing, then each failing with its
 * reason (figures worked out in the comments).
 */
import { describe, expect, it } from 'vitest';
import { checkEligibility, type EligibilityApplication, type EligibilityRule, type RegistryFacts } from './eligibility.ts';

const RULES: EligibilityRule[] = [
  { rule: 'region', region: { id: 'cz', zh: '常州市', en: 'Changzhou' } },
  { rule: 'foreign_partner', requireSignedAgreement: true },
  { rule: 'max_running_projects', max: 2 },
  { rule: 'no_overdue' },
  { rule: 'co_funding', minRatio: 1 },
  { rule: 'budget_cap', cap: 100 },
  { rule: 'attachments', required: [{ type: 'agreement', zh: '合作协议', en: 'cooperation agreement' }, { type: 'budget', zh: '预算表', en: 'budget sheet' }] },
  { rule: 'budget_balance' },
  { rule: 'indicator_targets' },
];

// 常州 天合光能 with Fraunhofer ISE (agreement signed); grant 80 + own 100 + bank 20 = 200 (万元).
const APP: EligibilityApplication = {
  applicant: { id: 'trina', name: '天合光能股份有限公司', regionPath: ['cn', 'js', 'cz', 'xinbei'], regionName: '常州市新北区' },
  partners: [
    { id: 'ise', name: 'Fraunhofer ISE', foreign: true, agreementSigned: true },
    { id: 'nju', name: '南京大学', foreign: false },
  ],
  budget: {
    total: 200,
    lines: [
      { source: 'grant', year: 2025, amount: 50 },
      { source: 'grant', year: 2026, amount: 30 },
      { source: 'self', year: 2025, amount: 100 },
      { source: 'bank', year: 2026, amount: 20 },
    ],
  },
  attachments: [
    { type: 'agreement', name: 'agreement.pdf' },
    { type: 'budget', name: '预算表.xlsx' },
  ],
  indicators: [
    { key: 'patents_pct', name: 'PCT 专利申请', name_en: 'PCT patent applications', target: 2 },
    { key: 'revenue', name: '新增销售收入', name_en: 'New revenue', target: 500 },
  ],
};
const FACTS: RegistryFacts = { runningProjects: [{ id: 'p1', title: '光伏组件可靠性' }], overdue: [] };

const byRule = (rs: ReturnType<typeof checkEligibility>) => Object.fromEntries(rs.map((r) => [r.rule, r]));

describe('checkEligibility', () => {
  it('passes every rule of a complete application, each with its reason', () => {
    const r = checkEligibility(RULES, APP, FACTS);
    expect(r.map((x) => [x.rule, x.pass])).toEqual(RULES.map((x) => [x.rule, true]));
    const b = byRule(r);
    // Own and other funds 100 + 20 = 120 ÷ grant 50 + 30 = 80 = 1.50 ≥ 1.
    expect(b.co_funding.reason).toBe('自筹及其他资金 120 ÷ 申请资助 80 = 1.50，不低于要求的 1:1');
    expect(b.co_funding.evidence).toEqual({ grant: 80, own: 120, ratio: 1.5 });
    expect(b.budget_cap.reason_en).toBe('Grant requested 80 10k yuan, within the per-project cap of 100 10k yuan');
    expect(b.budget_balance.reason).toBe('各来源之和等于预算总额：申请财政资助 80 + 单位自筹 100 + 银行贷款 20 = 200');
    expect(b.region.reason).toContain('常州市新北区');
    for (const x of r) {
      expect(x.reason.length).toBeGreaterThan(0);
      expect(x.reason_en.length).toBeGreaterThan(0);
    }
  });

  it('fails each rule with the reason that names what is wrong', () => {
    const bad: EligibilityApplication = {
      applicant: { ...APP.applicant, regionPath: ['cn', 'js', 'wx'], regionName: '无锡市' },
      partners: [{ id: 'ise', name: 'Fraunhofer ISE', foreign: true, agreementSigned: false }],
      // grant 120 > cap 100; own 60 ÷ 120 = 0.50 < 1; sources 180 ≠ total 190.
      budget: { total: 190, lines: [{ source: 'grant', amount: 120 }, { source: 'self', amount: 60 }] },
      attachments: [{ type: 'budget', name: 'b.xlsx' }],
      indicators: [{ key: 'patents_pct', name: 'PCT 专利申请', name_en: 'PCT patent applications', target: null }, { key: 'revenue', name: '新增销售收入', target: 500 }],
    };
    const facts: RegistryFacts = {
      runningProjects: [{ id: 'p1', title: '光伏组件可靠性' }, { id: 'p2', title: '储能系统' }, { id: 'p3', title: '氢能' }],
      overdue: [{ project: 'p2', title: '储能系统', kind: 'acceptance', due: '2024-12-31' }],
    };
    const r = checkEligibility(RULES, bad, facts);
    expect(r.every((x) => !x.pass)).toBe(true);
    const b = byRule(r);
    expect(b.region.reason).toBe('申请单位“天合光能股份有限公司”不在常州市注册（登记地：无锡市）');
    expect(b.foreign_partner.reason_en).toBe('No foreign partner (Fraunhofer ISE) has signed a cooperation agreement');
    expect(b.max_running_projects.reason).toContain('3 项，超过上限 2 项');
    expect(b.no_overdue.reason).toBe('申请单位有逾期事项：“储能系统”验收（应于 2024-12-31）');
    expect(b.co_funding.reason).toBe('自筹及其他资金 60 ÷ 申请资助 120 = 0.50，低于要求的 1:1');
    expect(b.budget_cap.pass).toBe(false);
    expect(b.attachments.reason).toBe('缺少必需附件：合作协议');
    expect(b.attachments.evidence).toEqual({ missing: ['agreement'] });
    expect(b.budget_balance.reason).toBe('各来源之和与预算总额不符：申请财政资助 120 + 单位自筹 60 = 180，总额填写 190');
    expect(b.indicator_targets.reason_en).toBe('These key indicators have no target value: PCT patent applications');
  });

  it('a call without an agreement requirement accepts any foreign partner; no foreign partner fails', () => {
    const rule: EligibilityRule = { rule: 'foreign_partner', requireSignedAgreement: false };
    const unsigned = { ...APP, partners: [{ id: 'ise', name: 'Fraunhofer ISE', foreign: true }] };
    expect(checkEligibility([rule], unsigned, FACTS)[0].pass).toBe(true);
    const domestic = { ...APP, partners: [{ id: 'nju', name: '南京大学', foreign: false }] };
    expect(checkEligibility([rule], domestic, FACTS)[0]).toMatchObject({ pass: false, reason: '没有外方合作单位' });
  });
});
