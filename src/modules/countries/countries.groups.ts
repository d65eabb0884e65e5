/**
 * Built-in country groups and their members (ISO3 codes; names come from the countries table).
 */

/** A country group as seeded. */
export interface CountryGroupSeed {
  code: string;
  name_zh: string;
  name_en: string;
  description: string;
  members: readonly string[];
}

const ASEAN = ['BRN', 'KHM', 'IDN', 'LAO', 'MYS', 'MMR', 'PHL', 'SGP', 'THA', 'VNM'];

/** The built-in groups. Membership as of the dates in each description. */
export const BUILTIN_GROUPS: readonly CountryGroupSeed[] = [
  {
    code: 'BRI',
    name_zh: '共建“一带一路”国家',
    name_en: 'Belt and Road countries',
    description:
      '经典“一带一路”沿线国家名单（含中国，共65个），即研究论文表1（demo/seed-tables/belt_and_road_gii2022_rank_bands.csv）所列国家；表中“西奈半岛”是埃及的一部分，未计入。 / ' +
      'The classic list of 65 Belt-and-Road countries including China, as in table 1 of the Belt-and-Road paper; its "Sinai Peninsula" entry (part of Egypt) is not counted.',
    members: [
      'SGP', 'CHN', 'ISR', 'EST', 'CYP', 'CZE', 'ARE', 'SVN', 'HUN', 'BGR', 'MYS', 'TUR', 'POL', 'LTU', 'IND', 'LVA', 'HRV',
      'THA', 'GRC', 'SVK', 'RUS', 'VNM', 'ROU', 'SAU', 'QAT', 'IRN', 'SRB', 'MDA', 'UKR', 'PHL', 'MNE', 'KWT', 'MKD', 'BIH',
      'MNG', 'BHR', 'GEO', 'IDN', 'BLR', 'JOR', 'OMN', 'ARM', 'UZB', 'KAZ', 'ALB', 'LKA', 'PAK', 'BRN', 'AZE', 'KGZ', 'KHM',
      'BGD', 'TJK', 'NPL', 'LAO', 'MMR', 'YEM', 'IRQ', 'LBN', 'AFG', 'MDV', 'BTN', 'TKM', 'SYR', 'PSE',
    ],
  },
  {
    code: 'RCEP',
    name_zh: '区域全面经济伙伴关系协定（RCEP）',
    name_en: 'Regional Comprehensive Economic Partnership (RCEP)',
    description: '东盟10国与中国、日本、韩国、澳大利亚、新西兰（2022年生效） / ASEAN plus China, Japan, Korea, Australia and New Zealand (in force 2022)',
    members: [...ASEAN, 'CHN', 'JPN', 'KOR', 'AUS', 'NZL'],
  },
  {
    code: 'EU',
    name_zh: '欧洲联盟（欧盟）',
    name_en: 'European Union',
    description: '27个成员国（2020年英国脱欧后） / 27 member states (after the UK left in 2020)',
    members: [
      'AUT', 'BEL', 'BGR', 'HRV', 'CYP', 'CZE', 'DNK', 'EST', 'FIN', 'FRA', 'DEU', 'GRC', 'HUN', 'IRL', 'ITA', 'LVA', 'LTU',
      'LUX', 'MLT', 'NLD', 'POL', 'PRT', 'ROU', 'SVK', 'SVN', 'ESP', 'SWE',
    ],
  },
  {
    code: 'OECD',
    name_zh: '经济合作与发展组织（经合组织）',
    name_en: 'Organisation for Economic Co-operation and Development (OECD)',
    description: '38个成员国（2021年哥斯达黎加加入后） / 38 member countries (since Costa Rica joined in 2021)',
    members: [
      'AUS', 'AUT', 'BEL', 'CAN', 'CHL', 'COL', 'CRI', 'CZE', 'DNK', 'EST', 'FIN', 'FRA', 'DEU', 'GRC', 'HUN', 'ISL', 'IRL',
      'ISR', 'ITA', 'JPN', 'KOR', 'LVA', 'LTU', 'LUX', 'MEX', 'NLD', 'NZL', 'NOR', 'POL', 'PRT', 'SVK', 'SVN', 'ESP', 'SWE',
      'CHE', 'TUR', 'GBR', 'USA',
    ],
  },
  {
    code: 'G20',
    name_zh: '二十国集团（G20）',
    name_en: 'Group of Twenty (G20)',
    description: '19个成员国；欧盟与非洲联盟也是成员，但不是国家，未列入 / the 19 member countries; the EU and the African Union are members too but not countries',
    members: ['ARG', 'AUS', 'BRA', 'CAN', 'CHN', 'FRA', 'DEU', 'IND', 'IDN', 'ITA', 'JPN', 'KOR', 'MEX', 'RUS', 'SAU', 'ZAF', 'TUR', 'GBR', 'USA'],
  },
  {
    code: 'ASEAN',
    name_zh: '东南亚国家联盟（东盟）',
    name_en: 'Association of Southeast Asian Nations (ASEAN)',
    description: '10个成员国（东帝汶为观察员） / 10 member states (Timor-Leste is an observer)',
    members: ASEAN,
  },
  {
    code: 'BRICS',
    name_zh: '金砖国家',
    name_en: 'BRICS',
    description:
      '2024年成员：巴西、俄罗斯、印度、中国、南非及2024年1月加入的埃及、埃塞俄比亚、伊朗、阿联酋（沙特阿拉伯受邀但未正式确认；印度尼西亚2025年加入） / ' +
      '2024 members: Brazil, Russia, India, China, South Africa, and Egypt, Ethiopia, Iran and the UAE (joined January 2024); Saudi Arabia was invited but has not confirmed, Indonesia joined in 2025',
    members: ['BRA', 'RUS', 'IND', 'CHN', 'ZAF', 'EGY', 'ETH', 'IRN', 'ARE'],
  },
];
