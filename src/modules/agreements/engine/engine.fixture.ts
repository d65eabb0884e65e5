/**
 * Test data of the post-award engine: one task agreement of a Changzhou Sino-German project, built
 * fresh for every test. Its figures are chosen so that every sum the tests rely on can be checked
 * by hand from this file alone (the sums are written beside them).
 */
import { DEFAULT_REPORTING, type Agreement, type FundingLine } from './agreement.ts';

/**
 * The project's funding lines (万元): programme 60 (2024) + 40 (2025) = 100 public money; own
 * funds 80 + 70 + 50 = 200; total 300.
 */
export const FUNDING: readonly FundingLine[] = Object.freeze([
  { source: 'programme', year: 2024, amount_wan: 60 },
  { source: 'programme', year: 2025, amount_wan: 40 },
  { source: 'self', year: 2024, amount_wan: 80 },
  { source: 'self', year: 2025, amount_wan: 70 },
  { source: 'self', year: 2026, amount_wan: 50 },
]);

/**
 * The signed agreement. Period 2024-07-01 … 2026-06-30. Budget by category over all sources and
 * years (万元): equipment 30 + 50 = 80; materials 20 + 15 + 30 + 40 = 105; international 10 + 15 =
 * 25; labour 10 + 10 + 20 = 40; testing 20 + 20 = 40; other 10 — total 300.
 */
export function signedAgreement(): Agreement {
  return {
    project: 'CZ-GJ-2024-07',
    start_date: '2024-07-01',
    end_date: '2026-06-30',
    objectives: ['研制航空级碳纤维复合材料构件并完成中试', 'Develop aerospace-grade carbon-fibre composite parts and pilot their production'],
    person_in_charge: '王磊',
    indicators: [
      { kind: 'patent', target: 3, unit: '件' },
      { kind: 'pct_patent', target: 1, unit: '件' },
      { kind: 'revenue', target: 500, unit: '万元' },
      { kind: 'talent_trained', target: 4, unit: '人' },
      { kind: 'foreign_experts', target: 6, unit: '人次' },
    ],
    budget: [
      { source: 'programme', year: 2024, category: 'equipment', amount_wan: 30 },
      { source: 'programme', year: 2024, category: 'materials', amount_wan: 20 },
      { source: 'programme', year: 2024, category: 'international', amount_wan: 10 },
      { source: 'programme', year: 2025, category: 'materials', amount_wan: 15 },
      { source: 'programme', year: 2025, category: 'international', amount_wan: 15 },
      { source: 'programme', year: 2025, category: 'labour', amount_wan: 10 },
      { source: 'self', year: 2024, category: 'equipment', amount_wan: 50 },
      { source: 'self', year: 2024, category: 'materials', amount_wan: 30 },
      { source: 'self', year: 2025, category: 'materials', amount_wan: 40 },
      { source: 'self', year: 2025, category: 'testing', amount_wan: 20 },
      { source: 'self', year: 2025, category: 'labour', amount_wan: 10 },
      { source: 'self', year: 2026, category: 'testing', amount_wan: 20 },
      { source: 'self', year: 2026, category: 'labour', amount_wan: 20 },
      { source: 'self', year: 2026, category: 'other', amount_wan: 10 },
    ],
    milestones: [
      { title: '样机试制', due: '2025-06-30', deliverables: ['碳纤维复合材料样件'] },
      { title: '中试验证', due: '2026-03-31', deliverables: ['中试报告', '工艺规程'] },
    ],
    reporting: DEFAULT_REPORTING.map((r) => ({ ...r })),
    partners: [
      { name: 'Fraunhofer ICT', country_iso3: 'DEU', foreign: true, obligations: ['提供树脂传递模塑工艺', '接收 2 名访问学者'] },
      { name: '常州大学', country_iso3: 'CHN', foreign: false, obligations: ['材料性能测试'] },
    ],
  };
}

/** The code of the first error thrown by f (or 'NONE'). */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? 'NOT_CODED';
  }
  return 'NONE';
}
