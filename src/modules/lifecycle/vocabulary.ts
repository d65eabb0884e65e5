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
}

export const KEY_INDICATORS: readonly KeyIndicatorKind[] = [
  { value: 'patent', zh: '申请发明专利', en: 'Invention patent applications', unit: '件', unit_en: 'items', output_kind: 'patent' },
  { value: 'pct_patent', zh: 'PCT 国际专利申请', en: 'PCT patent applications', unit: '件', unit_en: 'items', output_kind: 'pct_patent' },
  { value: 'paper', zh: '发表论文', en: 'Papers published', unit: '篇', unit_en: 'papers', output_kind: 'paper' },
  { value: 'standard', zh: '制定标准', en: 'Standards drafted', unit: '项', unit_en: 'standards', output_kind: 'standard' },
  { value: 'product', zh: '新产品', en: 'New products', unit: '个', unit_en: 'products', output_kind: 'product' },
  { value: 'technology_transfer', zh: '技术转移转化', en: 'Technologies transferred', unit: '项', unit_en: 'technologies', output_kind: 'technology_transfer' },
  { value: 'revenue', zh: '新增销售收入', en: 'New sales revenue', unit: '万元', unit_en: '10k CNY', output_kind: 'revenue' },
  { value: 'talent_trained', zh: '培养人才', en: 'Talents trained', unit: '人', unit_en: 'people', output_kind: 'talent_trained' },
  { value: 'foreign_experts', zh: '引进外国专家', en: 'Foreign experts brought in', unit: '人次', unit_en: 'person-visits', output_kind: null },
  { value: 'platform', zh: '共建平台', en: 'Platforms built', unit: '个', unit_en: 'platforms', output_kind: null },
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

/** The key indicator of a kind (undefined for an unknown kind). */
export const keyIndicator = (value: string): KeyIndicatorKind | undefined => KEY_INDICATORS.find((k) => k.value === value);

// Every output-backed key indicator must name a kind the outputs registry knows.
for (const k of KEY_INDICATORS) {
  if (k.output_kind && !OUTPUT_KINDS.some((o) => o.value === k.output_kind)) throw new Error(`key indicator ${k.value}: unknown output kind ${k.output_kind}`);
}
