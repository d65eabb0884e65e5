import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../text/tokenize.ts';
import { FIELD_CODES, fieldOfText } from '../market.fields.ts';
import { classifyText, techArea } from './classify.ts';
import { TECH_AREAS } from './taxonomy.ts';

/** The area codes a text is classified into. */
const areas = (text: string) => [...classifyText(text).keys()].sort();

describe('the technology-area taxonomy (taxonomy.ts)', () => {
  it('hangs every area under a field of the shared taxonomy (market.fields.ts), each code once', () => {
    const codes = TECH_AREAS.map((a) => a.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const a of TECH_AREAS) {
      expect(FIELD_CODES, a.code).toContain(a.field);
      expect(techArea(a.code)).toBe(a);
    }
    // Every field but "other" has its areas.
    for (const f of FIELD_CODES.filter((c) => c !== 'other')) expect(TECH_AREAS.some((a) => a.field === f), f).toBe(true);
  });

  it('has words in both languages for every area, each of them read back into that area', () => {
    for (const a of TECH_AREAS) {
      expect(a.terms.zh.length, a.code).toBeGreaterThan(0);
      expect(a.terms.en.length, a.code).toBeGreaterThan(0);
      for (const t of a.terms.zh) expect(/\p{Script=Han}/u.test(t), `${a.code}: ${t}`).toBe(true);
      for (const t of a.terms.en) {
        expect(tokenize(t.replace(/\*$/, ''), 'query').length, `${a.code}: ${t}`).toBeGreaterThan(0);
        // A term may be taken by a longer term of another area, never lost.
        expect(classifyText(t.replace(/\*$/, '')).size, `${a.code}: ${t}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('classifyText', () => {
  it('reads English by stems and prefixes', () => {
    expect(areas('Tumours of the liver')).toEqual(['chronic_disease', 'oncology']);
    expect(areas('an oncological study')).toEqual(['oncology']);
    expect(areas('Hydrogels as scaffolds for tissue engineering')).toEqual(['regenerative_biomaterials']);
  });

  it('lets the longest term win, in either language', () => {
    // greenhouse gases are climate, not greenhouses; a wind farm is not a farm; 温室气体 is not 温室.
    expect(areas('greenhouse gases')).toEqual(['air_climate']);
    expect(areas('large wind farms')).toEqual(['wind_energy']);
    expect(areas('温室气体')).toEqual(['air_climate']);
    expect(areas('智能温室')).toEqual(['protected_agriculture']);
    // "data mining" is AI, "coal mining" is mining.
    expect(areas('data mining')).toEqual(['artificial_intelligence']);
    expect(areas('coal mining')).toEqual(['mining_resources']);
  });

  it('reads wind energy from its terms, not from the bare word wind or a blade', () => {
    // A wind lidar measures the weather; a turbine blade of a jet engine is not a wind turbine.
    expect(areas('Airborne Doppler Wind Lidar')).not.toContain('wind_energy');
    expect(areas('solar wind spectrometer')).not.toContain('wind_energy');
    expect(areas('blade tip clearance of a jet engine')).not.toContain('wind_energy');
    expect(areas('植物叶片的光合作用')).not.toContain('wind_energy');
    for (const t of ['wind turbine gearbox', 'offshore wind farms', 'wind power forecasting', '风力发电机组', '海上风电', '风电场运维']) expect(areas(t), t).toContain('wind_energy');
  });

  it('reads solar wind, flares and sails as space science, not photovoltaics, and landing gear as aviation', () => {
    expect(areas('Crossed Small Deflection Energy Analyzer for Solar Wind')).toContain('space');
    expect(areas('Crossed Small Deflection Energy Analyzer for Solar Wind')).not.toContain('photovoltaics');
    expect(areas('solar flare detection')).toEqual(['space']);
    expect(areas('Landing Gear Door Liners for Airframe Noise Reduction')).not.toContain('mechanical_power');
    expect(areas('solar array for a spacecraft')).toContain('photovoltaics');
  });

  it('classifies the STI glossary terms through their English translation', () => {
    // 光伏电池 → photovoltaic cell: photovoltaics, not the batteries of 电池.
    expect(areas('光伏电池')).toEqual(['photovoltaics']);
    // 胶原蛋白 → collagen: biomaterials; its 蛋白 (protein) is not read separately.
    expect(areas('胶原蛋白')).toEqual(['regenerative_biomaterials']);
    expect(areas('餐厨垃圾')).toEqual(['waste_recycling']);
  });

  it('tells the words that told each area, and counts them', () => {
    const hits = classifyText('Leukaemia and lymphoma: cancer immunotherapy');
    expect(hits.get('oncology')).toMatchObject({ count: 3, from: 'leukaemia' });
    expect(hits.get('biologics')?.from).toBe('immunotherapy');
  });

  it('puts the seed industries and their titles in the fields the taxonomy gives the industries', () => {
    // The industry column of changzhou_key_country_projects.csv names the field (fieldOfText);
    // the title alone, in Chinese or in English, is classified into an area of that field.
    const cases: [industry: string, title: string][] = [
      ['新医药产业', '抗肿瘤药物的研发'],
      ['太阳能光伏产业', 'photovoltaic module production line'],
      ['轨道交通产业', '高速铁路牵引系统'],
      ['智能数控和机器人产业', '数控机床主轴'],
      ['智能数控和机器人产业', 'industrial robot grippers'],
    ];
    for (const [industry, title] of cases) {
      const field = fieldOfText(industry);
      expect([...classifyText(title).values()].some((h) => h.area.field === field), `${title} in ${field}`).toBe(true);
    }
  });

  it('finds nothing in text of no area, and never throws', () => {
    expect(classifyText('').size).toBe(0);
    expect(classifyText('the and of')).toEqual(new Map());
    expect(classifyText('مرحبا بالعالم 😀').size).toBe(0);
  });
});
