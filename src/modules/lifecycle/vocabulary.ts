/**
 * The words the project lifecycle shares from the call to the outcome years later: the key
 * indicators an applicant commits to (and the task agreement, the reports, the acceptance and the
 * performance evaluation then track), the budget categories and funding sources of a Chinese
 * S&T programme budget, and the cooperation modes of international projects (DESIGN.md, 001 §3).
 * One list each, with Chinese and English labels, so calls, agreements and reports never drift.
 */
import { OUTPUT_KINDS, type Values } from '../registries/enums.ts';

/** A key indicator (关键绩效指标) a project commits to. */
export interface KeyIndicatorKind {
  value: string;
  zh: string;
  en: string;
  /** The unit the indicator is counted in (Chinese, as in task agreements), and its English. */
  unit: string;
  unit_en: string;
  /**
   * The outputs-registry kind whose records count towards it, so that what a project reports as
   * an output is what its achievement rate is computed from (no second list). Null where the value
   * is reported as a figure rather than as records (revenue to date, foreign experts brought in).
   */
  output_kind: string | null;
  /**
   * How achievement is measured: 'count' — items (records counted, a record's `quantity` when it
   * holds several, as an imported 「新产品 3 项」 row does); 'amount' — a figure summed from the
   * records' `value` (revenue), converted between money units.
   */
  measure: 'count' | 'amount';
  /**
   * Other unit words task agreements use for the same count (专利 is written in 件 or 项). Never a
   * different measure: 人次 (visits) is not 人 (people).
   */
  unit_aliases: readonly string[];
}

export const KEY_INDICATORS: readonly KeyIndicatorKind[] = [
  { value: 'patent', zh: '申请发明专利', en: 'Invention patent applications', unit: '件', unit_en: 'items', output_kind: 'patent', measure: 'count', unit_aliases: ['项'] },
  { value: 'pct_patent', zh: 'PCT 国际专利申请', en: 'PCT patent applications', unit: '件', unit_en: 'items', output_kind: 'pct_patent', measure: 'count', unit_aliases: ['项'] },
  { value: 'paper', zh: '发表论文', en: 'Papers published', unit: '篇', unit_en: 'papers', output_kind: 'paper', measure: 'count', unit_aliases: [] },
  { value: 'standard', zh: '制定标准', en: 'Standards drafted', unit: '项', unit_en: 'standards', output_kind: 'standard', measure: 'count', unit_aliases: ['个'] },
  { value: 'product', zh: '新产品', en: 'New products', unit: '个', unit_en: 'products', output_kind: 'product', measure: 'count', unit_aliases: ['项', '件', '种'] },
  { value: 'technology_transfer', zh: '技术转移转化', en: 'Technologies transferred', unit: '项', unit_en: 'technologies', output_kind: 'technology_transfer', measure: 'count', unit_aliases: ['件'] },
  { value: 'revenue', zh: '新增销售收入', en: 'New sales revenue', unit: '万元', unit_en: '10k CNY', output_kind: 'revenue', measure: 'amount', unit_aliases: [] },
  { value: 'talent_trained', zh: '培养人才', en: 'Talents trained', unit: '人', unit_en: 'people', output_kind: 'talent_trained', measure: 'count', unit_aliases: ['名'] },
  { value: 'foreign_experts', zh: '引进外国专家', en: 'Foreign experts brought in', unit: '人次', unit_en: 'person-visits', output_kind: null, measure: 'count', unit_aliases: [] },
  { value: 'platform', zh: '共建平台', en: 'Platforms built', unit: '个', unit_en: 'platforms', output_kind: null, measure: 'count', unit_aliases: ['家'] },
];

export const KEY_INDICATOR_VALUES = KEY_INDICATORS.map((k) => k.value) as [string, ...string[]];

/** Budget categories of a programme budget (科研项目经费预算科目). */
export const BUDGET_CATEGORIES: Values = [
  { value: 'equipment', zh: '设备费', en: 'Equipment' },
  { value: 'materials', zh: '材料费', en: 'Materials' },
  { value: 'testing', zh: '测试化验加工费', en: 'Testing and processing' },
  { value: 'fuel_power', zh: '燃料动力费', en: 'Fuel and power' },
  { value: 'publication_ip', zh: '出版/文献/信息传播/知识产权事务费', en: 'Publication, literature and IP' },
  { value: 'international', zh: '会议/差旅/国际合作与交流费', en: 'Meetings, travel and international exchange' },
  { value: 'labour', zh: '劳务费', en: 'Labour' },
  { value: 'expert_consulting', zh: '专家咨询费', en: 'Expert consulting' },
  { value: 'indirect', zh: '间接费用', en: 'Indirect costs' },
  { value: 'other', zh: '其他支出', en: 'Other' },
];

/** Where a project's money comes from (经费来源). */
export const FUNDING_SOURCES: Values = [
  { value: 'programme', zh: '本计划资助', en: 'This programme' },
  { value: 'district_match', zh: '区级配套', en: 'District matching funds' },
  { value: 'self', zh: '单位自筹', en: 'Own funds' },
  { value: 'foreign_partner', zh: '外方投入', en: 'Foreign partner' },
  { value: 'bank_loan', zh: '银行贷款', en: 'Bank loans' },
  { value: 'other', zh: '其他来源', en: 'Other sources' },
];

/** Modes of international cooperation (国际科技合作方式; 001 §3, the Changzhou paper). */
export const COOPERATION_MODES: Values = [
  { value: 'tech_import', zh: '技术引进与二次开发', en: 'Technology import and re-development' },
  { value: 'joint_rd', zh: '联合研发', en: 'Joint R&D' },
  { value: 'reverse_outsourcing', zh: '逆向外包', en: 'Reverse outsourcing' },
  { value: 'joint_platform', zh: '共建平台', en: 'Joint platform' },
  { value: 'talent_exchange', zh: '人才交流', en: 'Talent exchange' },
  { value: 'licensing', zh: '技术许可', en: 'Licensing' },
  { value: 'other', zh: '其他', en: 'Other' },
];

/**
 * The funding sources that are public money (财政资金): what a termination or an acceptance with
 * unspent funds recovers, and what "outputs per 万元" and the efficiency indicators divide by.
 * Own funds, the foreign partner's contribution and loans stay with the organisation.
 */
export const PUBLIC_FUNDING_SOURCES: readonly string[] = ['programme', 'district_match'];

/** Money units and their size in 元 (the funding registry's UNITS, plus the forms task agreements use). */
export const MONEY_UNITS: Readonly<Record<string, number>> = Object.freeze({
  元: 1,
  千元: 1e3,
  万元: 1e4,
  百万元: 1e6,
  亿元: 1e8,
  cny: 1,
  '10k cny': 1e4,
  '100m cny': 1e8,
});

/** A unit word as compared: NFKC (full-width → half-width), trimmed, inner spaces collapsed, lower case. */
export const unitKey = (unit: string): string => unit.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Size of a money unit in 元, or null when the word is not a money unit. */
export function moneyFactor(unit: string): number | null {
  return MONEY_UNITS[unitKey(unit)] ?? null;
}

/**
 * A value written in `unit` in the key indicator's own unit (5000000 元 of revenue → 500 万元), or
 * null when the unit measures something else (人 for patents, 人 for 人次). Money converts between
 * money units (multiplied before it is divided, so whole amounts stay exact); a count only to its
 * own word, its English word and its aliases, unchanged.
 */
export function toIndicatorUnit(kind: KeyIndicatorKind, value: number, unit: string): number | null {
  const u = unitKey(unit);
  if (kind.measure === 'amount') {
    const from = moneyFactor(u);
    const to = moneyFactor(kind.unit);
    return from !== null && to !== null ? (value * from) / to : null;
  }
  return [kind.unit, kind.unit_en, ...kind.unit_aliases].some((w) => unitKey(w) === u) ? value : null;
}

/** An amount written in a money unit, in 万元; null when the unit is not a money unit. */
export function toWan(value: number, unit: string): number | null {
  const f = moneyFactor(unit);
  return f === null ? null : (value * f) / 1e4;
}

/** The key indicator of a kind (undefined for an unknown kind). */
export const keyIndicator = (value: string): KeyIndicatorKind | undefined => KEY_INDICATORS.find((k) => k.value === value);

// Every output-backed key indicator must name a kind the outputs registry knows.
for (const k of KEY_INDICATORS) {
  if (k.output_kind && !OUTPUT_KINDS.some((o) => o.value === k.output_kind)) throw new Error(`key indicator ${k.value}: unknown output kind ${k.output_kind}`);
}
