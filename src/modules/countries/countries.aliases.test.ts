import { describe, expect, it } from 'vitest';
import { builtinAliases, coreKey, countryKey, UNRESOLVABLE_KEYS } from './countries.aliases.ts';
import { BUILTIN_GROUPS } from './countries.groups.ts';
import { isoCountryNames } from './countries.seed.ts';

describe('countryKey', () => {
  it.each([
    ['Netherlands (the)', 'netherlands'],
    ['Gambia, The', 'gambia'],
    ["Côte d'Ivoire", 'cotedivoire'],
    ['Türkiye', 'turkiye'],
    ['U.S.A.', 'usa'],
    ['St. Lucia', 'saintlucia'],
    ['Bosnia & Herzegovina', 'bosniaandherzegovina'],
    ['中国（香港）', '中国香港'],
    ['  波 黑 ', '波黑'],
    ['ＵＫ', 'uk'],
  ])('%s → %s', (name, key) => {
    expect(countryKey(name)).toBe(key);
  });

  it('keeps nothing of punctuation alone', () => {
    expect(countryKey(' (.,;) ')).toBe('');
  });
});

describe('coreKey', () => {
  it('drops form words but keeps the words that tell countries apart', () => {
    expect(coreKey('Republic of Estonia')).toBe('estonia');
    expect(coreKey('Kingdom of Saudi Arabia')).toBe('saudiarabia');
    expect(coreKey("Democratic People's Republic of Korea")).toBe('democraticpeopleskorea');
    expect(coreKey('Republic of Korea')).toBe('korea');
    expect(coreKey('中华人民共和国')).toBeNull();
  });
});

describe('builtinAliases', () => {
  const canon = isoCountryNames();
  const aliases = builtinAliases(canon);
  const byKey = new Map(aliases.map((a) => [a.alias_key, a.iso3]));

  it('has one owner per key and never takes another country’s canonical name or code', () => {
    expect(new Set(aliases.map((a) => a.alias_key)).size).toBe(aliases.length);
    const owner = new Map<string, string>();
    for (const c of canon) for (const n of [c.name_zh, c.name_en, c.iso2, c.iso3]) owner.set(countryKey(n), c.iso3);
    for (const a of aliases) {
      const o = owner.get(a.alias_key);
      if (o !== undefined) expect(o).toBe(a.iso3);
    }
  });

  it('drops names shared by two countries and the curated unresolvable ones', () => {
    expect(byKey.has('congo')).toBe(false);
    for (const key of UNRESOLVABLE_KEYS.keys()) expect(byKey.has(key)).toBe(false);
  });

  it('includes the CORDIS codes', () => {
    expect(byKey.get('el')).toBe('GRC');
    expect(byKey.get('uk')).toBe('GBR');
  });
});

describe('BUILTIN_GROUPS', () => {
  const size = (code: string) => BUILTIN_GROUPS.find((g) => g.code === code)!.members.length;
  const known = new Set(isoCountryNames().map((c) => c.iso3));

  it('have the sizes of the real groups and only known, distinct codes', () => {
    expect(Object.fromEntries(BUILTIN_GROUPS.map((g) => [g.code, g.members.length]))).toEqual({
      BRI: 65,
      RCEP: 15,
      EU: 27,
      OECD: 38,
      G20: 19,
      ASEAN: 10,
      BRICS: 9,
    });
    for (const g of BUILTIN_GROUPS) {
      expect(new Set(g.members).size).toBe(size(g.code));
      for (const m of g.members) expect(known.has(m), `${g.code}: ${m}`).toBe(true);
    }
  });
});
