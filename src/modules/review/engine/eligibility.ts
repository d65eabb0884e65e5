/**
 * The formal check (形式审查) of an application against its call's eligibility rules, pure: the
 * caller gathers the application and the facts from the registries (the applicant's region,
 * running projects, overdue reports and acceptances). Every rule gives pass or fail with its
 * reason in Chinese and English, naming what it looked at; the officer confirms or overrides.
 */

/** Where funding comes from, with its labels (never a raw code on screen). */
export const BUDGET_SOURCES = {
  grant: { zh: '申请财政资助', en: 'grant requested' },
  self: { zh: '单位自筹', en: 'own funds' },
  bank: { zh: '银行贷款', en: 'bank loan' },
  other: { zh: '其他来源', en: 'other sources' },
} as const;

/** A funding source key. */
export type BudgetSource = keyof typeof BUDGET_SOURCES;

/** A label in both languages. */
export interface Label {
  zh: string;
  en: string;
}

/** One rule of a call. */
export type EligibilityRule =
  | { rule: 'region'; region: { id: string } & Label }
  | { rule: 'foreign_partner'; requireSignedAgreement: boolean }
  | { rule: 'max_running_projects'; max: number }
  | { rule: 'no_overdue' }
  | { rule: 'co_funding'; minRatio: number }
  | { rule: 'budget_cap'; cap: number; unit?: Label }
  | { rule: 'attachments'; required: readonly ({ type: string } & Label)[] }
  | { rule: 'budget_balance'; tolerance?: number }
  | { rule: 'indicator_targets' };

/** The application as the check reads it. */
export interface EligibilityApplication {
  applicant: { id: string; name: string; regionPath: readonly string[]; regionName?: string };
  partners: readonly { id: string; name: string; foreign: boolean; agreementSigned?: boolean }[];
  budget: { total: number; lines: readonly { source: BudgetSource; year?: number; amount: number }[] };
  attachments: readonly { type: string; name: string }[];
  indicators: readonly { key: string; name: string; name_en?: string; target: number | null }[];
}

/** Facts from the registries (and, once they exist, the project-management records). */
export interface RegistryFacts {
  runningProjects: readonly { id: string; title: string }[];
  overdue: readonly { project: string; title: string; kind: 'report' | 'acceptance'; due: string }[];
}

/** One rule's outcome. */
export interface EligibilityResult {
  rule: EligibilityRule['rule'];
  pass: boolean;
  reason: string;
  reason_en: string;
  /** What the rule looked at. */
  evidence?: Record<string, unknown>;
}

const money = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function one(rule: EligibilityRule, app: EligibilityApplication, facts: RegistryFacts): EligibilityResult {
  switch (rule.rule) {
    case 'region': {
      const inside = app.applicant.regionPath.includes(rule.region.id);
      const where = app.applicant.regionName ?? '未登记地区';
      const whereEn = app.applicant.regionName ?? 'no registered region';
      return inside
        ? { rule: rule.rule, pass: true, reason: `申请单位“${app.applicant.name}”注册于${rule.region.zh}（${where}）`, reason_en: `The applicant “${app.applicant.name}” is registered in ${rule.region.en} (${whereEn})` }
        : { rule: rule.rule, pass: false, reason: `申请单位“${app.applicant.name}”不在${rule.region.zh}注册（登记地：${where}）`, reason_en: `The applicant “${app.applicant.name}” is not registered in ${rule.region.en} (registered: ${whereEn})`, evidence: { regionPath: app.applicant.regionPath } };
    }
    case 'foreign_partner': {
      const foreign = app.partners.filter((p) => p.foreign);
      if (!foreign.length) return { rule: rule.rule, pass: false, reason: '没有外方合作单位', reason_en: 'There is no foreign partner' };
      if (!rule.requireSignedAgreement) return { rule: rule.rule, pass: true, reason: `外方合作单位：${foreign.map((p) => p.name).join('、')}`, reason_en: `Foreign partner(s): ${foreign.map((p) => p.name).join(', ')}` };
      const signed = foreign.filter((p) => p.agreementSigned);
      return signed.length
        ? { rule: rule.rule, pass: true, reason: `已与外方合作单位“${signed[0].name}”签署合作协议`, reason_en: `A cooperation agreement is signed with the foreign partner “${signed[0].name}”`, evidence: { partners: signed.map((p) => p.id) } }
        : { rule: rule.rule, pass: false, reason: `外方合作单位（${foreign.map((p) => p.name).join('、')}）均未签署合作协议`, reason_en: `No foreign partner (${foreign.map((p) => p.name).join(', ')}) has signed a cooperation agreement`, evidence: { partners: foreign.map((p) => p.id) } };
    }
    case 'max_running_projects': {
      const n = facts.runningProjects.length;
      const list = facts.runningProjects.map((p) => p.title);
      return n <= rule.max
        ? { rule: rule.rule, pass: true, reason: `申请单位在研项目 ${n} 项，不超过 ${rule.max} 项`, reason_en: `The applicant has ${n} running project(s), at most ${rule.max} allowed`, evidence: { running: list } }
        : { rule: rule.rule, pass: false, reason: `申请单位在研项目 ${n} 项，超过上限 ${rule.max} 项：${list.join('、')}`, reason_en: `The applicant has ${n} running projects, more than the ${rule.max} allowed: ${list.join(', ')}`, evidence: { running: list } };
    }
    case 'no_overdue': {
      if (!facts.overdue.length) return { rule: rule.rule, pass: true, reason: '没有逾期未交的报告或未验收的项目', reason_en: 'No overdue report or acceptance' };
      const zh = facts.overdue.map((o) => `“${o.title}”${o.kind === 'report' ? '进展报告' : '验收'}（应于 ${o.due}）`).join('、');
      const en = facts.overdue.map((o) => `“${o.title}” ${o.kind === 'report' ? 'progress report' : 'acceptance'} (due ${o.due})`).join(', ');
      return { rule: rule.rule, pass: false, reason: `申请单位有逾期事项：${zh}`, reason_en: `The applicant has overdue obligations: ${en}`, evidence: { overdue: facts.overdue.map((o) => ({ project: o.project, kind: o.kind, due: o.due })) } };
    }
    case 'co_funding': {
      const grant = sum(app.budget.lines.filter((l) => l.source === 'grant').map((l) => l.amount));
      const own = sum(app.budget.lines.filter((l) => l.source !== 'grant').map((l) => l.amount));
      if (grant <= 0) return { rule: rule.rule, pass: true, reason: '未申请财政资助，不适用配套比例', reason_en: 'No grant is requested: the co-funding ratio does not apply', evidence: { grant, own } };
      const ratio = own / grant;
      const ok = ratio + 1e-9 >= rule.minRatio;
      return {
        rule: rule.rule,
        pass: ok,
        reason: `自筹及其他资金 ${money(own)} ÷ 申请资助 ${money(grant)} = ${ratio.toFixed(2)}，${ok ? '不低于' : '低于'}要求的 ${rule.minRatio}:1`,
        reason_en: `Own and other funds ${money(own)} ÷ grant requested ${money(grant)} = ${ratio.toFixed(2)}, ${ok ? 'at least' : 'below'} the required ${rule.minRatio}:1`,
        evidence: { grant, own, ratio },
      };
    }
    case 'budget_cap': {
      const grant = sum(app.budget.lines.filter((l) => l.source === 'grant').map((l) => l.amount));
      const unit = rule.unit ?? { zh: '万元', en: '10k yuan' };
      const ok = grant <= rule.cap + 1e-9;
      return {
        rule: rule.rule,
        pass: ok,
        reason: `申请资助 ${money(grant)} ${unit.zh}，${ok ? '未超过' : '超过'}单项上限 ${money(rule.cap)} ${unit.zh}`,
        reason_en: `Grant requested ${money(grant)} ${unit.en}, ${ok ? 'within' : 'above'} the per-project cap of ${money(rule.cap)} ${unit.en}`,
        evidence: { grant, cap: rule.cap },
      };
    }
    case 'attachments': {
      const have = new Set(app.attachments.map((a) => a.type));
      const missing = rule.required.filter((r) => !have.has(r.type));
      return missing.length
        ? { rule: rule.rule, pass: false, reason: `缺少必需附件：${missing.map((m) => m.zh).join('、')}`, reason_en: `Mandatory attachment(s) missing: ${missing.map((m) => m.en).join(', ')}`, evidence: { missing: missing.map((m) => m.type) } }
        : { rule: rule.rule, pass: true, reason: `必需附件齐全：${rule.required.map((m) => m.zh).join('、')}`, reason_en: `All mandatory attachments present: ${rule.required.map((m) => m.en).join(', ')}` };
    }
    case 'budget_balance': {
      const total = sum(app.budget.lines.map((l) => l.amount));
      const tol = rule.tolerance ?? 0.005;
      const ok = Math.abs(total - app.budget.total) <= tol;
      const parts = (Object.keys(BUDGET_SOURCES) as BudgetSource[])
        .map((s) => ({ s, amount: sum(app.budget.lines.filter((l) => l.source === s).map((l) => l.amount)) }))
        .filter((x) => x.amount !== 0);
      const zh = parts.map((x) => `${BUDGET_SOURCES[x.s].zh} ${money(x.amount)}`).join(' + ');
      const en = parts.map((x) => `${BUDGET_SOURCES[x.s].en} ${money(x.amount)}`).join(' + ');
      return {
        rule: rule.rule,
        pass: ok,
        reason: ok ? `各来源之和等于预算总额：${zh || '0'} = ${money(app.budget.total)}` : `各来源之和与预算总额不符：${zh || '0'} = ${money(total)}，总额填写 ${money(app.budget.total)}`,
        reason_en: ok ? `The sources add up to the total: ${en || '0'} = ${money(app.budget.total)}` : `The sources do not add up to the total: ${en || '0'} = ${money(total)}, total given ${money(app.budget.total)}`,
        evidence: { sum: total, total: app.budget.total },
      };
    }
    case 'indicator_targets': {
      const bad = app.indicators.filter((i) => i.target === null || !Number.isFinite(i.target) || i.target < 0);
      if (!app.indicators.length) return { rule: rule.rule, pass: false, reason: '未填写任何考核指标', reason_en: 'No key indicator is given' };
      return bad.length
        ? { rule: rule.rule, pass: false, reason: `以下考核指标缺少目标值：${bad.map((i) => i.name).join('、')}`, reason_en: `These key indicators have no target value: ${bad.map((i) => i.name_en ?? i.name).join(', ')}`, evidence: { indicators: bad.map((i) => i.key) } }
        : { rule: rule.rule, pass: true, reason: `${app.indicators.length} 项考核指标均有目标值`, reason_en: `All ${app.indicators.length} key indicators have target values` };
    }
  }
}

/** Evaluates every rule of the call on the application, in the call's order. */
export function checkEligibility(rules: readonly EligibilityRule[], app: EligibilityApplication, facts: RegistryFacts): EligibilityResult[] {
  return rules.map((r) => one(r, app, facts));
}
