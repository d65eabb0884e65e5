/**
 * The technology-field taxonomy (技术领域) shared by marketplace profiles and, through its
 * aliases, by the free-text `field` and `industry` of projects, talents' fields and the
 * industries of the seed tables (changzhou_key_country_projects.csv: 新医药产业, 智能数控和
 * 机器人产业 …). Codes follow China's strategic emerging industries (战略性新兴产业分类 2018)
 * and the Changzhou industries of paper 002; a profile stores the code.
 */
export interface TechField {
  code: string;
  zh: string;
  en: string;
  /** Words a free-text field or industry may contain (matched after lower-casing). */
  aliases: readonly string[];
}

export const TECH_FIELDS: readonly TechField[] = [
  { code: 'biomedicine', zh: '生物医药', en: 'Biomedicine and pharmaceuticals', aliases: ['新医药', '生物医药', '医药', '药物', '生物制药', 'pharma', 'biomedic', 'drug', 'medicine'] },
  { code: 'medical_devices', zh: '医疗器械', en: 'Medical devices', aliases: ['医疗器械', '医疗设备', '医用', 'medical device', 'medtech'] },
  { code: 'biotechnology', zh: '生物技术', en: 'Biotechnology', aliases: ['生物技术', '生物工程', '基因', '细胞', 'biotech', 'genom', 'cell therap'] },
  { code: 'intelligent_manufacturing', zh: '智能制造与数控装备', en: 'Intelligent manufacturing and CNC equipment', aliases: ['智能数控', '数控', '智能制造', '高端装备', '装备制造', '机床', '精密', 'cnc', 'manufactur', 'machine tool'] },
  { code: 'robotics', zh: '机器人', en: 'Robotics', aliases: ['机器人', 'robot'] },
  { code: 'photovoltaics', zh: '太阳能光伏', en: 'Solar photovoltaics', aliases: ['光伏', '太阳能', 'photovolta', 'solar'] },
  { code: 'new_energy', zh: '新能源', en: 'New energy (wind, hydrogen, storage)', aliases: ['新能源', '风电', '风能', '风力', '氢能', '储能', '核能', 'wind', 'hydrogen', 'energy storage', 'renewable'] },
  { code: 'new_energy_vehicles', zh: '新能源汽车与汽车零部件', en: 'New-energy vehicles and automotive parts', aliases: ['新能源汽车', '汽车', '零部件', '动力电池', '锂电', 'automotive', 'vehicle', 'battery'] },
  { code: 'rail_transit', zh: '轨道交通', en: 'Rail transit', aliases: ['轨道交通', '轨道', '高铁', 'rail', 'railway'] },
  { code: 'agricultural_machinery', zh: '农机和工程机械', en: 'Agricultural and construction machinery', aliases: ['农机', '工程机械', '起重机', 'agricultural machinery', 'construction machinery', 'crane'] },
  { code: 'new_materials', zh: '新材料', en: 'Advanced materials', aliases: ['新材料', '材料', '石墨烯', '碳纤维', '纳米', 'material', 'graphene', 'nano'] },
  { code: 'ict', zh: '新一代信息技术', en: 'Information and communication technology', aliases: ['新一代信息技术', '信息技术', '电子信息', '软件', '物联网', '通信', '云计算', '大数据', 'ict', 'software', 'internet of things', 'telecom', 'cloud', 'big data'] },
  { code: 'integrated_circuits', zh: '集成电路与半导体', en: 'Integrated circuits and semiconductors', aliases: ['集成电路', '半导体', '芯片', '晶圆', 'semiconductor', 'integrated circuit', 'chip', 'wafer'] },
  { code: 'artificial_intelligence', zh: '人工智能', en: 'Artificial intelligence', aliases: ['人工智能', '机器学习', '智能算法', 'artificial intelligence', 'machine learning', ' ai '] },
  { code: 'environment', zh: '节能环保', en: 'Energy saving and environmental protection', aliases: ['节能环保', '环保', '节能', '污水', '垃圾', '固废', '大气治理', 'environment', 'waste', 'pollution', 'recycl'] },
  { code: 'modern_agriculture', zh: '现代农业', en: 'Modern agriculture', aliases: ['现代农业', '农业', '温室', '种业', 'agricultur', 'greenhouse', 'crop'] },
  { code: 'marine', zh: '海洋工程', en: 'Marine engineering', aliases: ['海洋', '船舶', 'marine', 'ocean', 'ship'] },
  { code: 'aerospace', zh: '航空航天', en: 'Aerospace', aliases: ['航空', '航天', '卫星', 'aerospace', 'aviation', 'satellite', 'space'] },
  { code: 'other', zh: '其他', en: 'Other', aliases: [] },
];

export const FIELD_CODES = TECH_FIELDS.map((f) => f.code) as [string, ...string[]];
const BY_CODE = new Map(TECH_FIELDS.map((f) => [f.code, f]));

/** The field of a code, or undefined. */
export function techField(code: string | null | undefined): TechField | undefined {
  return code ? BY_CODE.get(code) : undefined;
}

/**
 * The field a free text (a project's field or industry, a talent's fields, a code or a label)
 * belongs to: an exact code or label first, then the longest alias it contains; null if none.
 */
export function fieldOfText(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = ` ${text.normalize('NFKC').toLowerCase().trim()} `;
  const trimmed = t.trim();
  for (const f of TECH_FIELDS) if (trimmed === f.code || trimmed === f.zh.toLowerCase() || trimmed === f.en.toLowerCase()) return f.code;
  let best: { code: string; len: number } | null = null;
  for (const f of TECH_FIELDS) {
    for (const a of f.aliases) {
      if (t.includes(a) && (!best || a.length > best.len)) best = { code: f.code, len: a.length };
    }
  }
  return best?.code ?? null;
}
