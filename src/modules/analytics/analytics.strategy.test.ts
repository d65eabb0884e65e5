import { describe, expect, it } from 'vitest';
import { DEFAULT_STRATEGY_RULES, innovationLevel, strategyRulesSchema, suggestDirection, type StrategyRules } from './analytics.strategy.ts';

const band = (value_text: string) => ({ indicator: 'gii_rank_band', year: 2022, value_text, value_num: null });
const rank = (value_num: number) => ({ indicator: 'gii_rank', year: 2023, value_num });
const suggest = (iso3: string, level: ReturnType<typeof innovationLevel>, groups: string[] = [], rules: StrategyRules = DEFAULT_STRATEGY_RULES) =>
  suggestDirection({ iso3, groups, level }, rules);

describe('innovationLevel', () => {
  it('reads rank bands, single ranks and "not ranked" texts', () => {
    expect(innovationLevel(null, band('21-50'))).toMatchObject({ status: 'ranked', min: 21, max: 50, value: '21-50' });
    expect(innovationLevel(null, band('101～132'))).toMatchObject({ status: 'ranked', min: 101, max: 132 });
    expect(innovationLevel(null, band('不在排名榜内'))).toMatchObject({ status: 'unranked', value: '不在排名榜内' });
    expect(innovationLevel(rank(12), band('1-20'))).toMatchObject({ status: 'ranked', indicator: 'gii_rank', min: 12, max: 12, year: 2023 });
    expect(innovationLevel(null, null)).toEqual({ status: 'none' });
  });
});

describe('suggestDirection with the default rules (003 §4.1)', () => {
  it('1–20 bring in, 21–50 both ways, 51+ and unranked go out, with the reason in Chinese and English', () => {
    const sg = suggest('SGP', innovationLevel(null, band('1-20')));
    expect(sg).toMatchObject({ direction: 'bring_in', rule: 0 });
    expect(sg.reason_zh).toMatch(/^全球创新指数 2022 排名 1-20：.*引进来/);
    expect(sg.reason_en).toMatch(/^GII 2022 rank 1-20: .*bringing in/);
    expect(suggest('CZE', innovationLevel(null, band('21-50'))).direction).toBe('both');
    expect(suggest('SAU', innovationLevel(null, band('51-100'))).direction).toBe('go_out');
    expect(suggest('BGD', innovationLevel(null, band('101-132'))).direction).toBe('go_out');
    const afg = suggest('AFG', innovationLevel(null, band('不在排名榜内')));
    expect(afg).toMatchObject({ direction: 'go_out', rule: 3 });
    expect(afg.reason_zh).toContain('不在排名榜内');
    expect(suggest('ESP', innovationLevel(rank(29), null)).direction).toBe('both');
  });

  it('no data: no suggestion, and the reason says so', () => {
    const v = suggest('DEU', innovationLevel(null, null), ['EU', 'OECD']);
    expect(v).toMatchObject({ direction: null, rule: null });
    expect(v.reason_zh).toContain('无创新水平数据');
    expect(v.reason_en).toContain('No innovation-level data');
  });

  it('the home country gets no direction', () => {
    expect(suggest('CHN', innovationLevel(null, band('1-20')))).toMatchObject({ direction: null, reason_en: 'The home country, not a partner' });
  });

  it('a band that straddles a rule boundary does not match it', () => {
    const rules = strategyRulesSchema.parse({
      rules: [
        { direction: 'bring_in', rank: { max: 30 }, reason_zh: '前30', reason_en: 'top 30' },
        { direction: 'both', rank: { min: 1 }, reason_zh: '其余', reason_en: 'others' },
      ],
    });
    expect(suggest('CZE', innovationLevel(null, band('21-50')), [], rules).direction).toBe('both');
    expect(suggest('SGP', innovationLevel(null, band('1-20')), [], rules).direction).toBe('bring_in');
  });
});

describe('configurable rules', () => {
  it('group rules: OECD members without data bring in; first match wins', () => {
    const rules = strategyRulesSchema.parse({
      ...DEFAULT_STRATEGY_RULES,
      rules: [
        ...DEFAULT_STRATEGY_RULES.rules,
        { direction: 'bring_in', noData: true, groups: ['oecd'], reason_zh: '经合组织成员', reason_en: 'OECD member' },
      ],
    });
    expect(suggest('DEU', innovationLevel(null, null), ['EU', 'OECD'], rules)).toMatchObject({ direction: 'bring_in', rule: 4, reason_en: 'No innovation-level data: OECD member' });
    expect(suggest('BRA', innovationLevel(null, null), ['BRICS'], rules).direction).toBeNull();
    // Turkey is in the OECD but ranked 21–50: the band rule comes first.
    expect(suggest('TUR', innovationLevel(null, band('21-50')), ['OECD'], rules).direction).toBe('both');
  });

  it('fills defaults and refuses bad rules', () => {
    const r = strategyRulesSchema.parse({ rules: [{ direction: 'go_out', reason_zh: '全部', reason_en: 'all' }] });
    expect(r.indicator).toEqual({ rank: 'gii_rank', band: 'gii_rank_band', year: null });
    expect(r.home).toBe('CHN');
    expect(strategyRulesSchema.parse({ home: 'usa', rules: r.rules }).home).toBe('USA');
    const bad = [
      {},
      { rules: [] },
      { rules: [{ direction: 'sideways', reason_zh: 'x', reason_en: 'x' }] },
      { rules: [{ direction: 'go_out', reason_zh: 'x' }] },
      { rules: [{ direction: 'go_out', rank: { min: 50, max: 10 }, reason_zh: 'x', reason_en: 'x' }] },
      { rules: [{ direction: 'go_out', rank: { min: 1 }, unranked: true, reason_zh: 'x', reason_en: 'x' }] },
      { rules: [{ direction: 'go_out', colour: 'red', reason_zh: 'x', reason_en: 'x' }] },
    ];
    for (const b of bad) expect(strategyRulesSchema.safeParse(b).success, JSON.stringify(b)).toBe(false);
    expect(strategyRulesSchema.safeParse(DEFAULT_STRATEGY_RULES).success).toBe(true);
  });
});
