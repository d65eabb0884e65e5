/**
 * Names people write for countries and regions (国家和地区), beyond the canonical ones: every
 * Chinese and English name i18n-iso-countries knows, plus a hand list of what the package
 * lacks (Chinese short and long forms, WIPO and World Bank spellings, CORDIS codes). Also the
 * curated names that must NOT resolve (parts of countries, ambiguous names).
 */
import { createRequire } from 'node:module';
import isoCountries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
isoCountries.registerLocale(require('i18n-iso-countries/langs/zh.json'));
isoCountries.registerLocale(require('i18n-iso-countries/langs/en.json'));

const HAN = /\p{Script=Han}/u;

/** Words of a name: NFKC, lower case, diacritics folded, '&' read as 'and', split on the rest. */
function words(s: string): string[] {
  const folded = s
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .replace(/&/g, ' and ');
  return folded
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '' && w !== 'the') // "Netherlands (the)", "Gambia, The": the article never tells countries apart
    .map((w) => (w === 'st' ? 'saint' : w)); // "St. Lucia" (World Bank) = "Saint Lucia" (ISO)
}

/**
 * The lookup key of a name: NFKC, lower case, diacritics folded, spaces, punctuation,
 * parentheses and the English article removed ("Côte d'Ivoire" → "cotedivoire",
 * "中国（香港）" → "中国香港"). Stored in country_aliases.alias_key.
 */
export function countryKey(name: string): string {
  return words(name).join('');
}

/** True when the key contains Chinese characters. */
export function isHanKey(key: string): boolean {
  return HAN.test(key);
}

// Words of official long forms that never distinguish one country from another. "democratic",
// "people's", "united" and "arab" are deliberately absent: they do (Congo, Korea, Emirates).
const FORM_WORDS = new Set([
  'of', 'republic', 'rep', 'kingdom', 'state', 'federal', 'federative', 'islamic', 'plurinational',
  'bolivarian', 'commonwealth', 'principality', 'grand', 'duchy', 'sultanate', 'independent',
  'socialist', 'oriental', 'hashemite', 'cooperative', 'co', 'operative',
]);

/**
 * The key of a Latin-script name without its form words ("Republic of Estonia" → "estonia"),
 * or null when nothing distinctive is left or the name is Chinese.
 */
export function coreKey(name: string): string | null {
  const ws = words(name);
  if (ws.some((w) => HAN.test(w))) return null;
  const core = ws.filter((w) => !FORM_WORDS.has(w)).join('');
  return core.length >= 4 ? core : null;
}

/** Chinese long-form endings, longest first: 孟加拉人民共和国 → 孟加拉, 俄罗斯联邦 → 俄罗斯. */
export const HAN_FORM_SUFFIXES = [
  '联邦民主共和国', '民主社会主义共和国', '社会主义共和国', '伊斯兰共和国', '人民民主共和国', '人民共和国',
  '民主共和国', '联邦共和国', '共和国', '合众国', '苏丹国', '大公国', '酋长国', '王国', '公国', '联邦', '国',
];

type HandList = Record<string, { zh?: string[]; en?: string[]; code?: string[] }>;

/**
 * Names the package lacks, by ISO3. Chinese short and long forms and common variants
 * (including a few traditional-character spellings seen in Hong Kong and Taiwan sources),
 * WIPO / GII and World Bank English names, and codes other systems use (CORDIS: EL, UK).
 */
export const HAND_ALIASES: HandList = {
  ARE: { zh: ['阿拉伯联合酋长国'], en: ['Emirates'] },
  BIH: { zh: ['波斯尼亚和黑塞哥维那', '波斯尼亚与黑塞哥维那', '波斯尼亚-黑塞哥维那', '波斯尼亚'], en: ['Bosnia-Herzegovina', 'Bosnia'] },
  BGD: { zh: ['孟加拉', '孟加拉人民共和国'] },
  MKD: {
    zh: ['马其顿', '北马其顿共和国', '前南斯拉夫马其顿共和国'],
    en: ['Macedonia', 'Republic of North Macedonia', 'Macedonia, FYR', 'The former Yugoslav Republic of Macedonia'],
  },
  GBR: {
    zh: ['大不列颠及北爱尔兰联合王国', '联合王国', '英國'],
    en: ['Britain', 'U.K.', 'United Kingdom of Great Britain and Northern Ireland', 'United Kingdom of Great Britain and Northern Ireland (the)'],
    code: ['UK'],
  },
  USA: { zh: ['美利坚合众国', '美國'], en: ['United States of America (the)', 'America'] },
  RUS: { zh: ['俄罗斯联邦', '俄国', '俄羅斯'], en: ['Russian Federation (the)'] },
  KOR: {
    zh: ['大韩民国', '南韩', '韓國', '南朝鲜'],
    en: ['Korea', 'Korea, Rep.', 'Korea (the Republic of)', 'Korea (Republic of)', 'Korea Republic', 'S. Korea', 'ROK'],
  },
  PRK: {
    zh: ['朝鲜民主主义人民共和国', '北韩', '北朝鲜'],
    en: [
      "Democratic People's Republic of Korea",
      "Korea, Dem. People's Rep.",
      "Korea (the Democratic People's Republic of)",
      "Korea, Democratic People's Republic of",
      'Korea, DPR',
      'Korea DPR',
      'DPR Korea',
      'DPRK',
    ],
  },
  CZE: { zh: ['捷克共和国'] },
  SVK: { zh: ['斯洛伐克共和国'], en: ['Slovak Republic'] },
  LAO: { zh: ['老挝人民民主共和国', '寮国'], en: ['Lao PDR', 'Laos', 'Lao'] },
  VNM: { zh: ['越南社会主义共和国'], en: ['Viet Nam', 'Socialist Republic of Viet Nam'] },
  IRN: { zh: ['伊朗伊斯兰共和国'], en: ['Iran, Islamic Rep.', 'Iran (Islamic Republic of)'] },
  SYR: { zh: ['阿拉伯叙利亚共和国'], en: ['Syria'] },
  MDA: { zh: ['摩尔多瓦共和国', '摩尔达维亚'], en: ['Moldova', 'Republic of Moldova', 'Moldova (the Republic of)'] },
  BRN: { zh: ['文莱达鲁萨兰国', '汶莱'], en: ['Brunei'] },
  HKG: {
    zh: ['中国香港', '香港特别行政区', '中国香港特别行政区', '中华人民共和国香港特别行政区', '香港特区', '中国香港特区'],
    en: ['Hong Kong SAR, China', 'Hong Kong, China', 'Hong Kong SAR', 'China, Hong Kong SAR', 'Hong Kong (China)', 'Hong Kong Special Administrative Region', 'HKSAR'],
  },
  MAC: {
    zh: ['中国澳门', '澳门特别行政区', '中国澳门特别行政区', '中华人民共和国澳门特别行政区', '澳门特区', '中国澳门特区', '澳門'],
    en: ['Macao SAR, China', 'Macao, China', 'Macau', 'Macau SAR', 'Macao SAR', 'Macau, China', 'China, Macao SAR', 'Macao Special Administrative Region'],
  },
  TWN: {
    zh: ['台湾', '中国台湾', '台湾地区', '中国台湾地区', '台湾省', '台灣', '臺灣'],
    en: ['Taiwan, China', 'Taiwan (Province of China)', 'Chinese Taipei', 'Taiwan Province of China'],
  },
  TUR: { zh: ['土耳其共和国'], en: ['Republic of Türkiye', 'Turkey (the)'] },
  CIV: { zh: ['科特迪瓦共和国', '象牙海岸'], en: ["Republic of Côte d'Ivoire"] },
  CHN: { zh: ['中华人民共和国', '中国大陆', '中國'], en: ["China, People's Republic of", "China (People's Republic of)", 'Mainland China', 'China (mainland)', 'PRC'] },
  IDN: { zh: ['印尼', '印度尼西亚共和国'] },
  SAU: { zh: ['沙特', '沙特阿拉伯王国'], en: ['Kingdom of Saudi Arabia', 'KSA'] },
  AUS: { zh: ['澳洲'] },
  NZL: { zh: ['纽西兰', '紐西蘭'] },
  DEU: { zh: ['德意志联邦共和国', '德國'], en: ['Federal Republic of Germany'] },
  FRA: { zh: ['法兰西共和国', '法國'], en: ['French Republic'] },
  ITA: { zh: ['意大利共和国', '义大利', '義大利'] },
  JPN: { zh: ['日本国'] },
  NLD: { zh: ['荷兰王国', '荷蘭'], en: ['Netherlands (the)', 'Kingdom of the Netherlands', 'Holland'] },
  SGP: { zh: ['新加坡共和国'] },
  ISR: { zh: ['以色列国'], en: ['State of Israel'] },
  EGY: { zh: ['阿拉伯埃及共和国'], en: ['Egypt, Arab Rep.', 'Arab Republic of Egypt'] },
  BLR: { zh: ['白俄', '白俄罗斯共和国'] },
  KAZ: { zh: ['哈萨克', '哈萨克斯坦共和国'] },
  UZB: { zh: ['乌兹别克', '乌兹别克斯坦共和国'] },
  TJK: { zh: ['塔吉克', '塔吉克斯坦共和国'] },
  TKM: { zh: ['土库曼'] },
  KGZ: { zh: ['吉尔吉斯', '吉尔吉斯共和国'], en: ['Kyrgyz Republic'] },
  GEO: { zh: ['乔治亚'] },
  MNE: { zh: ['黑山共和国'] },
  MNG: { zh: ['蒙古国'] },
  KHM: { zh: ['柬埔寨王国'] },
  THA: { zh: ['泰王国'] },
  MMR: { zh: ['缅甸联邦共和国'], en: ['Burma'] },
  LKA: { zh: ['斯里兰卡民主社会主义共和国'] },
  NPL: { zh: ['尼泊尔联邦民主共和国'] },
  PSE: { zh: ['巴勒斯坦国'], en: ['West Bank and Gaza', 'Palestinian Territories', 'Occupied Palestinian Territory', 'Palestine, State of'] },
  COD: { zh: ['刚果民主共和国', '刚果金', '民主刚果', '刚果(金)'], en: ['Congo, Dem. Rep.', 'DR Congo', 'DRC', 'Congo-Kinshasa', 'Democratic Republic of Congo', 'Congo (the Democratic Republic of the)'] },
  COG: { zh: ['刚果共和国', '刚果布', '刚果(布)'], en: ['Congo, Rep.', 'Congo-Brazzaville', 'Republic of Congo'] },
  VAT: { zh: ['梵蒂冈城国', '教廷'], en: ['Holy See', 'Vatican', 'Vatican City'] },
  FSM: { zh: ['密克罗尼西亚'], en: ['Micronesia, Fed. Sts.', 'Micronesia (Federated States of)', 'Micronesia'] },
  CPV: { zh: ['佛得角共和国'], en: ['Cabo Verde'] },
  SWZ: { zh: ['埃斯瓦蒂尼'], en: ['Swaziland', 'Kingdom of Eswatini'] },
  TLS: { zh: ['东帝汶民主共和国'], en: ['East Timor'] },
  DOM: { en: ['Dominican Rep.'] },
  ESH: { zh: ['西撒哈拉'] },
  YEM: { zh: ['也门共和国'], en: ['Yemen, Rep.', 'Republic of Yemen'] },
  VEN: { en: ['Venezuela, RB', 'Venezuela (Bolivarian Republic of)', 'Bolivarian Republic of Venezuela'] },
  BOL: { en: ['Bolivia (Plurinational State of)', 'Plurinational State of Bolivia'] },
  TZA: { en: ['Tanzania, United Republic of', 'United Republic of Tanzania (the)'] },
  VIR: { en: ['Virgin Islands (U.S.)', 'US Virgin Islands', 'U.S. Virgin Islands'] },
  VGB: { en: ['British Virgin Islands', 'Virgin Islands (British)'] },
  GRC: { en: ['Hellenic Republic'], code: ['EL'] },
  BHS: { en: ['Bahamas, The'] },
  GMB: { en: ['Gambia, The'] },
  IRL: { en: ['Republic of Ireland'] },
  LBY: { en: ['Libyan Arab Jamahiriya'] },
};

/** A name that must not resolve to a country by itself, and what to suggest instead. */
export interface Unresolvable {
  suggest: string[];
  zh: string;
  en: string;
}

/**
 * Names that look like countries but are not one: parts of a country (西奈半岛 is part of Egypt;
 * the Belt-and-Road table lists it as if it were a country) and names shared by two countries.
 * They resolve to "none", with the listed countries as the first suggestions.
 */
export const UNRESOLVABLE: Record<string, Unresolvable> = (() => {
  const partOf = (names: string[], iso3: string, zh: string, en: string) =>
    Object.fromEntries(names.map((n) => [n, { suggest: [iso3], zh, en }]));
  const ambiguous = (names: string[], iso3s: string[], zh: string, en: string) =>
    Object.fromEntries(names.map((n) => [n, { suggest: iso3s, zh, en }]));
  return {
    ...partOf(['西奈半岛', '西奈', 'Sinai', 'Sinai Peninsula'], 'EGY', '西奈半岛是埃及的一部分，不是国家', 'The Sinai Peninsula is part of Egypt, not a country'),
    ...partOf(['苏格兰', 'Scotland', '英格兰', 'England', '威尔士', 'Wales', '北爱尔兰', 'Northern Ireland'], 'GBR', '是英国的组成部分', 'is a constituent country of the United Kingdom'),
    ...partOf(['加沙', '加沙地带', 'Gaza', 'Gaza Strip', '约旦河西岸', 'West Bank'], 'PSE', '是巴勒斯坦的一部分', 'is part of Palestine'),
    ...partOf(['夏威夷', 'Hawaii', '阿拉斯加', 'Alaska'], 'USA', '是美国的一个州', 'is a state of the United States'),
    ...partOf(['加那利群岛', 'Canary Islands'], 'ESP', '是西班牙的一部分', 'is part of Spain'),
    ...partOf(['巴厘岛', 'Bali', '巴布亚', 'Papua'], 'IDN', '是印度尼西亚的一部分', 'is part of Indonesia'),
    ...partOf(['魁北克', 'Quebec'], 'CAN', '是加拿大的一个省', 'is a province of Canada'),
    ...ambiguous(['刚果', 'Congo', 'Congo (the)'], ['COG', 'COD'], '刚果（布）与刚果（金）同名，请写明', 'Congo is ambiguous: Republic of the Congo or DR Congo'),
    ...ambiguous(['Virgin Islands', '维尔京群岛'], ['VGB', 'VIR'], '英属与美属维尔京群岛同名，请写明', 'British or U.S. Virgin Islands?'),
    ...ambiguous(['Dominican'], ['DOM', 'DMA'], '多米尼加与多米尼克易混淆，请写明', 'Dominican Republic or Dominica?'),
    ...ambiguous(['Republic of China', '中华民国'], ['TWN', 'CHN'], '请写明中国或中国台湾', 'Write China or Taiwan, China'),
    ...ambiguous(['Guiana'], ['GUY', 'GUF'], '圭亚那与法属圭亚那易混淆，请写明', 'Guyana or French Guiana?'),
  };
})();

/** Keys of the unresolvable names. */
export const UNRESOLVABLE_KEYS: ReadonlyMap<string, Unresolvable> = new Map(
  Object.entries(UNRESOLVABLE).map(([name, u]) => [countryKey(name), u]),
);

/** One alias row as seeded. */
export interface AliasSeed {
  alias: string;
  alias_key: string;
  iso3: string;
  lang: 'zh' | 'en' | null;
}

/** The canonical names of a country, as they are (or will be) in the countries table. */
export interface CanonicalNames {
  iso3: string;
  iso2: string;
  name_zh: string;
  name_en: string;
}

/** Every Chinese and English name i18n-iso-countries has for a country (short, official, alias). */
export function packageNames(iso3: string): { zh: string[]; en: string[] } {
  const zh = isoCountries.getName(iso3, 'zh', { select: 'all' }) ?? [];
  const en = isoCountries.getName(iso3, 'en', { select: 'all' }) ?? [];
  return { zh, en };
}

/**
 * The built-in aliases for the given canonical names: the package's names and the hand list.
 * A key is dropped when it is another country's canonical name or code, when two countries
 * claim it (ambiguous: "Congo"), or when it is curated as unresolvable.
 */
export function builtinAliases(canon: CanonicalNames[]): AliasSeed[] {
  const canonicalOwner = new Map<string, string>();
  for (const c of canon) {
    for (const n of [c.name_zh, c.name_en, c.iso2, c.iso3]) canonicalOwner.set(countryKey(n), c.iso3);
  }
  const candidates: AliasSeed[] = [];
  const add = (iso3: string, alias: string, lang: AliasSeed['lang']) => {
    const key = countryKey(alias);
    if (key !== '') candidates.push({ alias, alias_key: key, iso3, lang });
  };
  // Hand-listed spellings first, so that when one key has several spellings the curated one is kept.
  for (const [iso3, h] of Object.entries(HAND_ALIASES)) {
    for (const n of h.zh ?? []) add(iso3, n, 'zh');
    for (const n of h.en ?? []) add(iso3, n, 'en');
    for (const n of h.code ?? []) add(iso3, n, null);
  }
  for (const c of canon) {
    const pkg = packageNames(c.iso3);
    for (const n of pkg.zh) add(c.iso3, n, 'zh');
    for (const n of pkg.en) add(c.iso3, n, 'en');
  }
  const owners = new Map<string, Set<string>>();
  for (const a of candidates) {
    const s = owners.get(a.alias_key) ?? new Set<string>();
    s.add(a.iso3);
    owners.set(a.alias_key, s);
  }
  const out: AliasSeed[] = [];
  const seen = new Set<string>();
  for (const a of candidates) {
    if (seen.has(a.alias_key)) continue;
    // Another country's canonical name or code wins. A country's own canonical names stay as
    // aliases, so that they keep resolving after a rename.
    const canonical = canonicalOwner.get(a.alias_key);
    if (canonical !== undefined && canonical !== a.iso3) continue;
    if (owners.get(a.alias_key)!.size > 1) continue;
    if (UNRESOLVABLE_KEYS.has(a.alias_key)) continue;
    seen.add(a.alias_key);
    out.push(a);
  }
  return out;
}
