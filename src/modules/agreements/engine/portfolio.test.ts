import { describe, expect, it } from 'vitest';
import { codeOf } from './engine.fixture.ts';
import { committedVsAchieved, outputCount, outputsPerWan, type PortfolioDimension, type PortfolioProject } from './portfolio.ts';

const P: PortfolioProject[] = [
  { code: 'P1', programme: '市国际合作', district: '武进区', field: '新材料', mode: 'joint_rd', countries: ['DEU'], outputs: 6, public_funding_wan: 100, indicators: [{ kind: 'patent', target: 3, achieved: 3 }, { kind: 'revenue', target: 500, achieved: 550 }] },
  { code: 'P2', programme: '市国际合作', district: '新北区', field: '智能制造', mode: 'tech_import', countries: ['DEU', 'FRA'], outputs: 2, public_funding_wan: 50, indicators: [{ kind: 'patent', target: 2, achieved: 1 }, { kind: 'revenue', target: 200, achieved: 100 }] },
  { code: 'P3', programme: '省国际合作', district: '武进区', field: '新材料', mode: 'joint_rd', countries: ['ISR'], outputs: 10, public_funding_wan: 200, indicators: [{ kind: 'patent', target: 4, achieved: 4 }] },
  { code: 'P4', programme: '市国际合作', district: null, field: '生物医药', mode: 'talent_exchange', countries: ['FRA'], outputs: 0, public_funding_wan: 20, indicators: [{ kind: 'talent_trained', target: 5, achieved: 5 }] },
  { code: 'P5', programme: null, district: '新北区', field: null, mode: null, countries: [], outputs: 1, public_funding_wan: 0, indicators: [{ kind: 'patent', target: 1, achieved: 0 }] },
];
const ind = (g: { indicators: Array<{ kind: string; committed: number; achieved: number; rate: number | null; met: number }> }) => g.indicators.map((i) => [i.kind, i.committed, i.achieved, i.rate, i.met]);

describe('committedVsAchieved', () => {
  it('by partner country: a project with two countries counts in both', () => {
    const g = committedVsAchieved(P, 'country');
    expect(g.map((x) => [x.group, x.projects])).toEqual([
      ['DEU', 2],
      ['FRA', 2],
      ['ISR', 1],
      [null, 1],
    ]);
    // DEU: patents 3 + 2 = 5 committed, 3 + 1 = 4 achieved; revenue 500 + 200 = 700, 550 + 100 = 650
    expect(ind(g[0])).toEqual([
      ['patent', 5, 4, 0.8, 1],
      ['revenue', 700, 650, 650 / 700, 1],
    ]);
    // FRA: P2 and P4
    expect(ind(g[1])).toEqual([
      ['patent', 2, 1, 0.5, 0],
      ['revenue', 200, 100, 0.5, 0],
      ['talent_trained', 5, 5, 1, 1],
    ]);
    expect([g[3].label, g[3].label_en]).toEqual(['未填写', 'Not given']);
    expect(g[0].indicators[0]).toMatchObject({ indicator: '申请发明专利', unit: '件' });
  });
  it('by district and by programme', () => {
    expect(committedVsAchieved(P, 'district').map((x) => [x.group, x.projects, ind(x)[0]])).toEqual([
      ['武进区', 2, ['patent', 7, 7, 1, 2]],
      ['新北区', 2, ['patent', 3, 1, 1 / 3, 0]],
      [null, 1, ['talent_trained', 5, 5, 1, 1]],
    ]);
    expect(committedVsAchieved(P, 'programme').map((x) => [x.group, x.projects])).toEqual([
      ['市国际合作', 3],
      ['省国际合作', 1],
      [null, 1],
    ]);
  });
  it('refuses an unknown dimension', () => {
    expect(codeOf(() => committedVsAchieved(P, 'colour' as PortfolioDimension))).toBe('PORTFOLIO_DIMENSION_UNKNOWN');
  });
});

describe('outputsPerWan', () => {
  it('by cooperation mode: joint R&D 16 / 300, technology import 2 / 50, talent exchange 0 / 20, no mode without public money', () => {
    expect(outputsPerWan(P, 'mode').map((g) => [g.group, g.label, g.outputs, g.public_funding_wan, g.per_wan])).toEqual([
      ['joint_rd', '联合研发', 16, 300, 16 / 300],
      ['tech_import', '技术引进与二次开发', 2, 50, 0.04],
      ['talent_exchange', '人才交流', 0, 20, 0],
      [null, '未填写', 1, 0, null],
    ]);
  });
  it('outputs are items of the counting kinds; people trained and revenue are not outputs', () => {
    expect(
      outputCount([
        { kind: 'patent', title: 'a', year: 2025 },
        { kind: 'product', title: 'b', year: 2025, quantity: 3 },
        { kind: 'talent_trained', title: 'c', year: 2025, quantity: 4 },
        { kind: 'revenue', title: 'd', year: 2025, value: 100, unit: '万元' },
        { kind: 'other', title: 'e', year: 2025 },
      ]),
    ).toBe(4);
  });
});
