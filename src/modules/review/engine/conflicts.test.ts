/**
 * Conflicts of interest on a hand-built registry: each kind of flag with its evidence, the
 * look-back window, and what must not be flagged.
 */
import { describe, expect, it } from 'vitest';
import { detectConflicts, type ConflictFacts } from './conflicts.ts';

const FACTS: ConflictFacts = {
  year: 2025,
  organisations: [
    { id: 'CAS', name: '中国科学院', name_en: 'Chinese Academy of Sciences' },
    { id: 'SIOM', name: '中国科学院上海光学精密机械研究所', name_en: 'Shanghai Institute of Optics and Fine Mechanics', parent: 'CAS' },
    { id: 'DICP', name: '中国科学院大连化学物理研究所', name_en: 'Dalian Institute of Chemical Physics', parent: 'CAS' },
    { id: 'NJU', name: '南京大学', name_en: 'Nanjing University' },
    { id: 'TRINA', name: '天合光能股份有限公司', name_en: 'Trina Solar' },
    { id: 'FHG', name: '弗劳恩霍夫协会', name_en: 'Fraunhofer-Gesellschaft' },
    { id: 'ISE', name: '弗劳恩霍夫太阳能系统研究所', name_en: 'Fraunhofer ISE', parent: 'FHG' },
    // A cycle in the tree (bad data) must not hang detection.
    { id: 'X', name: '甲', parent: 'Y' },
    { id: 'Y', name: '乙', parent: 'X' },
  ],
  projects: [
    { id: 'PRJ-2023', title: '高效光伏电池联合研发', title_en: 'High-efficiency PV cells' },
    { id: 'PRJ-2019', title: '激光材料合作', title_en: 'Laser materials' },
    { id: 'PRJ-2024', title: '钙钛矿叠层电池', title_en: 'Perovskite tandem cells' },
  ],
  participations: [
    { project: 'PRJ-2023', year: 2023, organisation: 'TRINA' },
    { project: 'PRJ-2023', year: 2022, organisation: 'NJU' },
    { project: 'PRJ-2023', year: 2023, organisation: 'NJU' },
    { project: 'PRJ-2019', year: 2019, organisation: 'SIOM' },
    { project: 'PRJ-2019', year: 2019, organisation: 'NJU' },
    { project: 'PRJ-2024', year: 2024, organisation: 'TRINA' },
    { project: 'PRJ-2024', year: 2024, reviewer: 'R8' },
  ],
  applications: [
    { id: 'P1', applicant: 'TRINA', partners: ['ISE'], exclusions: [{ reviewer: 'R5', reason: '技术竞争关系 / competitor' }] },
    { id: 'P2', applicant: 'SIOM' },
    { id: 'P3', applicant: 'X' },
  ],
  reviewers: [
    { id: 'R1', affiliations: ['TRINA'] },
    { id: 'R2', affiliations: ['FHG'] },
    { id: 'R3', affiliations: ['DICP'] },
    { id: 'R4', affiliations: ['NJU'] },
    { id: 'R5', affiliations: [] },
    { id: 'R6', affiliations: ['NJU'], declarations: [{ application: 'P2', reason: '曾为申请负责人的博士生导师' }] },
    { id: 'R7', affiliations: ['NJU'] },
    { id: 'R8', affiliations: [] },
    { id: 'R9', affiliations: ['Y'] },
  ],
};

describe('detectConflicts', () => {
  const pairs = detectConflicts(FACTS);
  const at = (a: string, r: string) => pairs.find((p) => p.application === a && p.reviewer === r);

  it('lists exactly the conflicting pairs', () => {
    // P1 (天合 + Fraunhofer ISE): R1 same organisation; R2 same parent (FHG is ISE's parent);
    // R4, R6, R7 at 南京大学, which took part with 天合 in PRJ-2023 (2022–2023, in 2022–2025);
    // R5 excluded by the applicant; R8 in person in PRJ-2024 with 天合.
    // P2 (上海光机所): R3 same parent 中国科学院; R6 declared. 南京大学 shared PRJ-2019 with it
    // in 2019, before 2025 − 3 = 2022: not a conflict.
    // P3 (甲, in a cycle with 乙): R9 at 乙 — 甲's chain reaches 乙: same parent.
    expect(pairs.map((p) => `${p.application}-${p.reviewer}`)).toEqual(['P1-R1', 'P1-R2', 'P1-R4', 'P1-R5', 'P1-R6', 'P1-R7', 'P1-R8', 'P2-R3', 'P2-R6', 'P3-R9']);
  });

  it('names the evidence of each flag', () => {
    expect(at('P1', 'R1')!.flags).toEqual([expect.objectContaining({ code: 'SAME_ORGANISATION', role: 'applicant', organisation: 'TRINA' })]);
    expect(at('P1', 'R1')!.flags[0].message).toBe('专家任职于申请单位“天合光能股份有限公司”');
    expect(at('P1', 'R2')!.flags).toEqual([expect.objectContaining({ code: 'SAME_PARENT', role: 'partner', organisation: 'ISE', reviewerOrganisation: 'FHG', parent: 'FHG' })]);
    expect(at('P1', 'R2')!.flags[0].message_en).toBe('The reviewer’s organisation “Fraunhofer-Gesellschaft” and the partner “Fraunhofer ISE” both belong to “Fraunhofer-Gesellschaft”');
    // Latest years in the window: 天合 2023, 南京大学 2023 → 2023.
    expect(at('P1', 'R4')!.flags).toEqual([expect.objectContaining({ code: 'CO_PARTICIPATION', role: 'applicant', organisation: 'TRINA', reviewerOrganisation: 'NJU', project: 'PRJ-2023', year: 2023 })]);
    expect(at('P1', 'R4')!.flags[0].message).toContain('高效光伏电池联合研发');
    expect(at('P1', 'R5')!.flags).toEqual([expect.objectContaining({ code: 'EXCLUDED_BY_APPLICANT', reason: '技术竞争关系 / competitor' })]);
    expect(at('P1', 'R8')!.flags).toEqual([expect.objectContaining({ code: 'CO_PARTICIPATION', project: 'PRJ-2024', year: 2024 })]);
    expect(at('P1', 'R8')!.flags[0].reviewerOrganisation).toBeUndefined();
    expect(at('P2', 'R3')!.flags).toEqual([expect.objectContaining({ code: 'SAME_PARENT', organisation: 'SIOM', reviewerOrganisation: 'DICP', parent: 'CAS' })]);
    expect(at('P2', 'R3')!.flags[0].message).toContain('中国科学院');
    expect(at('P2', 'R6')!.flags).toEqual([expect.objectContaining({ code: 'DECLARED', reason: '曾为申请负责人的博士生导师' })]);
  });

  it('looks back N years: with N = 6 the 2019 project counts for P2', () => {
    const wide = detectConflicts({ ...FACTS, windowYears: 6 });
    const p2 = wide.filter((p) => p.application === 'P2').map((p) => p.reviewer);
    expect(p2).toEqual(['R3', 'R4', 'R6', 'R7']);
    expect(wide.find((p) => p.application === 'P2' && p.reviewer === 'R4')!.flags[0]).toMatchObject({ code: 'CO_PARTICIPATION', project: 'PRJ-2019', year: 2019 });
    // A 2026 call with N = 3 looks at 2023–2026: 南京大学's 2022 year drops, 2023 still counts.
    const later = detectConflicts({ ...FACTS, year: 2026 });
    expect(later.find((p) => p.application === 'P1' && p.reviewer === 'R4')!.flags[0]).toMatchObject({ project: 'PRJ-2023', year: 2023 });
    // With N = 2 it looks at 2024–2026: PRJ-2023 no longer counts.
    expect(detectConflicts({ ...FACTS, year: 2026, windowYears: 2 }).some((p) => p.application === 'P1' && p.reviewer === 'R4')).toBe(false);
  });

  it('excludes every reviewer of an organisation the applicant names, and a declaration about an organisation', () => {
    const facts: ConflictFacts = {
      ...FACTS,
      applications: [{ id: 'P9', applicant: 'DICP', exclusions: [{ organisation: 'NJU', reason: '存在竞争 / competing group' }] }],
      reviewers: [...FACTS.reviewers, { id: 'R10', affiliations: ['FHG'], declarations: [{ organisation: 'DICP', reason: '兼职 / part-time post' }] }],
    };
    const p = detectConflicts(facts);
    // 南京大学: R4, R6, R7 excluded; 大连化物所's parent 中科院 has 上海光机所 — no reviewer
    // there in this list; R3 is at 大连化物所 itself; R10 declared.
    expect(p.map((x) => `${x.reviewer}:${x.flags.map((f) => f.code).join('+')}`)).toEqual(['R3:SAME_ORGANISATION', 'R4:EXCLUDED_BY_APPLICANT', 'R6:EXCLUDED_BY_APPLICANT', 'R7:EXCLUDED_BY_APPLICANT', 'R10:DECLARED']);
  });
});
