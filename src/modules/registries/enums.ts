/**
 * Shared value lists with their Chinese and English labels.
 */
/** A value list: each stored value with its Chinese and English label. */
export type Values = readonly { value: string; zh: string; en: string }[];

export const LEVELS: Values = [
  { value: 'national', zh: '国家级', en: 'National' },
  { value: 'provincial', zh: '省级', en: 'Provincial' },
  { value: 'municipal', zh: '市级', en: 'Municipal' },
  { value: 'district', zh: '区级', en: 'District' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const CLASSIFICATIONS: Values = [
  { value: 'public', zh: '公开', en: 'Public' },
  { value: 'internal', zh: '内部', en: 'Internal' },
  { value: 'restricted', zh: '受限', en: 'Restricted' },
];

export const ORG_TYPES: Values = [
  { value: 'enterprise', zh: '企业', en: 'Enterprise' },
  { value: 'university', zh: '高校', en: 'University' },
  { value: 'institute', zh: '科研院所', en: 'Research institute' },
  { value: 'government', zh: '政府机构', en: 'Government body' },
  { value: 'intermediary', zh: '中介服务机构', en: 'Intermediary' },
  { value: 'hospital', zh: '医院', en: 'Hospital' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const OWNERSHIPS: Values = [
  { value: 'state', zh: '国有', en: 'State-owned' },
  { value: 'private', zh: '民营', en: 'Private' },
  { value: 'foreign', zh: '外资', en: 'Foreign-owned' },
  { value: 'joint', zh: '合资', en: 'Joint venture' },
  { value: 'public', zh: '事业单位', en: 'Public institution' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const PROJECT_STATUSES: Values = [
  { value: 'applied', zh: '申报中', en: 'Applied' },
  { value: 'approved', zh: '已立项', en: 'Approved' },
  { value: 'active', zh: '执行中', en: 'Active' },
  { value: 'completed', zh: '已结题', en: 'Completed' },
  { value: 'accepted', zh: '已验收', en: 'Accepted' },
  { value: 'terminated', zh: '已终止', en: 'Terminated' },
  { value: 'unknown', zh: '未知', en: 'Unknown' },
];

export const PARTNER_ROLES: Values = [
  { value: 'lead', zh: '牵头单位', en: 'Lead' },
  { value: 'coordinator', zh: '协调方', en: 'Coordinator' },
  { value: 'partner', zh: '合作单位', en: 'Partner' },
  { value: 'participant', zh: '参与方', en: 'Participant' },
  { value: 'third_party', zh: '第三方', en: 'Third party' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const PLATFORM_KINDS: Values = [
  { value: 'intl_base', zh: '国际科技合作基地', en: 'International S&T cooperation base' },
  { value: 'joint_lab', zh: '联合实验室', en: 'Joint laboratory' },
  { value: 'intl_park', zh: '国际合作园区', en: 'International cooperation park' },
  { value: 'tech_transfer', zh: '技术转移机构', en: 'Technology transfer agency' },
  { value: 'overseas_center', zh: '海外创新中心', en: 'Overseas innovation centre' },
  { value: 'incubator', zh: '孵化器', en: 'Incubator' },
  { value: 'foreign_rd_center', zh: '外资研发中心', en: 'Foreign-invested R&D centre' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const PLATFORM_STATUSES: Values = [
  { value: 'planned', zh: '筹建中', en: 'Planned' },
  { value: 'active', zh: '运行中', en: 'Active' },
  { value: 'suspended', zh: '暂停', en: 'Suspended' },
  { value: 'closed', zh: '已撤销', en: 'Closed' },
];

export const TALENT_CATEGORIES: Values = [
  { value: 'expert', zh: '专家', en: 'Expert' },
  { value: 'high_level', zh: '高层次人才', en: 'High-level talent' },
  { value: 'foreign_expert', zh: '外籍专家', en: 'Foreign expert' },
  { value: 'returnee', zh: '留学归国人员', en: 'Returnee' },
  { value: 'young', zh: '青年人才', en: 'Young talent' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const GENDERS: Values = [
  { value: 'female', zh: '女', en: 'Female' },
  { value: 'male', zh: '男', en: 'Male' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const MECHANISM_KINDS: Values = [
  { value: 'intergovernmental', zh: '政府间合作协议', en: 'Intergovernmental agreement' },
  { value: 'joint_funding', zh: '联合资助机制', en: 'Joint funding mechanism' },
  { value: 'sister_park', zh: '友好园区', en: 'Sister park' },
  { value: 'sister_city', zh: '友好城市', en: 'Sister city' },
  { value: 'mou', zh: '合作备忘录', en: 'Memorandum of understanding' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const MECHANISM_STATUSES: Values = [
  { value: 'negotiating', zh: '商谈中', en: 'Negotiating' },
  { value: 'active', zh: '有效', en: 'Active' },
  { value: 'expired', zh: '已到期', en: 'Expired' },
  { value: 'terminated', zh: '已终止', en: 'Terminated' },
];

export const OUTPUT_KINDS: Values = [
  { value: 'patent', zh: '专利', en: 'Patent' },
  { value: 'pct_patent', zh: 'PCT专利', en: 'PCT patent application' },
  { value: 'paper', zh: '论文', en: 'Paper' },
  { value: 'standard', zh: '标准', en: 'Standard' },
  { value: 'product', zh: '新产品', en: 'Product' },
  { value: 'technology_transfer', zh: '技术转移', en: 'Technology transferred' },
  { value: 'talent_trained', zh: '人才培养', en: 'Talent trained' },
  { value: 'revenue', zh: '销售收入', en: 'Revenue' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const UNITS: Values = [
  { value: '万元', zh: '万元', en: '10k CNY' },
  { value: '元', zh: '元', en: 'CNY' },
  { value: '亿元', zh: '亿元', en: '100M CNY' },
];

/** The Chinese label of a value, or the value itself. */
export function labelOf(values: Values, value: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (value == null) return '';
  return values.find((v) => v.value === value)?.[lang] ?? value;
}
