/**
 * Score sheets and severity normalisation on hand-worked cases (every expected figure is worked
 * out in the comments, not taken from the code).
 */
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../errors.ts';
import { competitionRanks, disagreements, kendallTau, normaliseScores, weightedTotal, type Criterion } from './scores.ts';

const SHEET: Criterion[] = [
  { key: 'innovation', name: '创新性', name_en: 'Innovation', weight: 0.4, min: 0, max: 10 },
  { key: 'feasibility', name: '可行性', name_en: 'Feasibility', weight: 0.3, min: 0, max: 10 },
  { key: 'cooperation', name: '国际合作基础', name_en: 'Cooperation', weight: 0.3, min: 0, max: 5 },
];

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
const codeOf = (fn: () => unknown) => errorOf(fn).code;

describe('weightedTotal', () => {
  it('weights each criterion on its own scale, total on 0–100', () => {
    // 100 × (0.4 × 8/10 + 0.3 × 6/10 + 0.3 × 4/5) / (0.4 + 0.3 + 0.3) = 100 × (0.32 + 0.18 + 0.24) = 74
    expect(weightedTotal(SHEET, { innovation: 8, feasibility: 6, cooperation: 4 })).toBeCloseTo(74, 12);
    // Weights need not sum to 1: doubling them all changes nothing.
    expect(weightedTotal(SHEET.map((c) => ({ ...c, weight: 2 * c.weight })), { innovation: 8, feasibility: 6, cooperation: 4 })).toBeCloseTo(74, 12);
    // Anchors not starting at 0: a 1–5 scale scored 4 is 3/4 of the way.
    expect(weightedTotal([{ key: 'q', name: '质量', name_en: 'Quality', weight: 1, min: 1, max: 5 }], { q: 4 })).toBeCloseTo(75, 12);
  });

  it('refuses a score outside the anchors, a missing or unknown criterion, and a bad sheet, with codes', () => {
    expect(codeOf(() => weightedTotal(SHEET, { innovation: 11, feasibility: 6, cooperation: 4 }))).toBe('SCORE_OUT_OF_RANGE');
    const e = errorOf(() => weightedTotal(SHEET, { innovation: 8, feasibility: 6, cooperation: 6 }));
    expect(e.details[0]).toMatchObject({ field: 'cooperation', value: 6, min: 0, max: 5 });
    expect(e.messageZh).toContain('国际合作基础');
    expect(e.messageEn).toContain('Cooperation');
    expect(codeOf(() => weightedTotal(SHEET, { innovation: 8, feasibility: 6 }))).toBe('SCORE_CRITERION_MISSING');
    expect(codeOf(() => weightedTotal(SHEET, { innovation: 8, feasibility: 6, cooperation: 4, budget: 3 }))).toBe('SCORE_CRITERION_UNKNOWN');
    expect(codeOf(() => weightedTotal(SHEET, { innovation: Number.NaN, feasibility: 6, cooperation: 4 }))).toBe('SCORE_NOT_NUMBER');
    expect(codeOf(() => weightedTotal([{ ...SHEET[0], weight: 0 }], { innovation: 1 }))).toBe('SCORE_SHEET_INVALID');
    expect(codeOf(() => weightedTotal([{ ...SHEET[0], min: 5, max: 5 }], { innovation: 5 }))).toBe('SCORE_SHEET_INVALID');
  });
});

describe('normaliseScores', () => {
  it('undoes a lenient and a harsh reviewer (exact additive data): rankings reverse', () => {
    // True qualities A1 80, A2 75, A3 70; R1 lenient (+10), R2 harsh (−10). R2 reviews A1, A2;
    // R1 reviews A2, A3. Scores: A1–R2 70, A2–R2 65, A2–R1 85, A3–R1 80.
    // Raw means: A1 70, A2 75, A3 80 → ranks 3, 2, 1.
    // Model: q1 + b2 = 70, q2 + b2 = 65, q2 + b1 = 85, q3 + b1 = 80, b1 + b2 = 0 ⇒ b1 − b2 = 20,
    //   b1 = 10, b2 = −10, q = (80, 75, 70) → ranks 1, 2, 3, residual 0.
    // z-scores (population sd): R1 85, 80 → mean 82.5, sd 2.5 → A2 +1, A3 −1; R2 70, 65 → A1 +1,
    //   A2 −1. Means: A1 +1, A2 0, A3 −1 → ranks 1, 2, 3.
    // Kendall: raw (70, 75, 80) against (1, 0, −1): all 3 pairs discordant → −1.
    const r = normaliseScores([
      { application: 'A1', reviewer: 'R2', score: 70 },
      { application: 'A2', reviewer: 'R2', score: 65 },
      { application: 'A2', reviewer: 'R1', score: 85 },
      { application: 'A3', reviewer: 'R1', score: 80 },
    ]);
    const byApp = Object.fromEntries(r.applications.map((a) => [a.application, a]));
    expect(byApp.A1.mean).toBe(70);
    expect(byApp.A2.mean).toBe(75);
    expect(byApp.A3.mean).toBe(80);
    expect(byApp.A1.quality).toBeCloseTo(80, 9);
    expect(byApp.A2.quality).toBeCloseTo(75, 9);
    expect(byApp.A3.quality).toBeCloseTo(70, 9);
    expect(byApp.A1.zscore).toBeCloseTo(1, 12);
    expect(byApp.A2.zscore).toBeCloseTo(0, 12);
    expect(byApp.A3.zscore).toBeCloseTo(-1, 12);
    expect([byApp.A1.rank, byApp.A2.rank, byApp.A3.rank]).toEqual([
      { none: 3, zscore: 1, bias: 1 },
      { none: 2, zscore: 2, bias: 2 },
      { none: 1, zscore: 3, bias: 3 },
    ]);
    expect(byApp.A1.moves).toEqual({ zscore: 2, bias: 2 });
    expect(byApp.A3.moves).toEqual({ zscore: -2, bias: -2 });
    const byRev = Object.fromEntries(r.reviewers.map((x) => [x.reviewer, x]));
    expect(byRev.R1.bias).toBeCloseTo(10, 9);
    expect(byRev.R2.bias).toBeCloseTo(-10, 9);
    expect(byRev.R1.sd).toBe(2.5);
    expect(r.model.rss).toBeLessThan(1e-12);
    expect(r.kendall.none_zscore).toBe(-1);
    expect(r.kendall.none_bias).toBe(-1);
    expect(r.kendall.zscore_bias).toBe(1);
    expect(r.components).toBe(1);
    expect(r.warnings).toEqual([]);
  });

  it('fits the least-squares model with residuals (complete 2 × 2 design)', () => {
    // A1: R1 8, R2 6; A2: R1 7, R2 1. Complete design: bias_j = column mean − grand mean:
    // columns 7.5 and 3.5, grand 5.5 ⇒ b1 = +2, b2 = −2; quality = row mean: 7 and 4.
    // Residuals: 8−7−2 = −1, 6−7+2 = 1, 7−4−2 = 1, 1−4+2 = −1 ⇒ RSS 4.
    const r = normaliseScores([
      { application: 'A1', reviewer: 'R1', score: 8 },
      { application: 'A1', reviewer: 'R2', score: 6 },
      { application: 'A2', reviewer: 'R1', score: 7 },
      { application: 'A2', reviewer: 'R2', score: 1 },
    ]);
    expect(r.applications.map((a) => a.quality)).toEqual([expect.closeTo(7, 9), expect.closeTo(4, 9)]);
    expect(r.reviewers.map((x) => x.bias)).toEqual([expect.closeTo(2, 9), expect.closeTo(-2, 9)]);
    expect(r.model.rss).toBeCloseTo(4, 9);
  });

  it('handles a disconnected review graph per component and says so', () => {
    // Component 1 is the 2 × 2 design above (q 7, 4; b ±2). Component 2: A3 reviewed once by R3
    // with 5: Σ bias = 0 within it ⇒ b3 = 0, q3 = 5. R3 scored once: z undefined, counted 0.
    const r = normaliseScores([
      { application: 'A1', reviewer: 'R1', score: 8 },
      { application: 'A1', reviewer: 'R2', score: 6 },
      { application: 'A2', reviewer: 'R1', score: 7 },
      { application: 'A2', reviewer: 'R2', score: 1 },
      { application: 'A3', reviewer: 'R3', score: 5 },
    ]);
    expect(r.components).toBe(2);
    const a3 = r.applications.find((a) => a.application === 'A3')!;
    expect(a3.quality).toBeCloseTo(5, 9);
    expect(a3.zscore).toBe(0);
    expect(a3.component).not.toBe(r.applications[0].component);
    expect(r.reviewers.map((x) => x.bias)).toEqual([expect.closeTo(2, 9), expect.closeTo(-2, 9), expect.closeTo(0, 9)]);
    expect(r.reviewers[2].zUndefined).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['REVIEW_GRAPH_DISCONNECTED', 'ZSCORE_UNDEFINED']);
    expect(r.warnings[0].message).toContain('2 个互不相连');
  });

  it('refuses no reviews, a non-numeric score and a review given twice', () => {
    expect(codeOf(() => normaliseScores([]))).toBe('REVIEWS_EMPTY');
    expect(codeOf(() => normaliseScores([{ application: 'A', reviewer: 'R', score: Number.NaN }]))).toBe('SCORE_NOT_NUMBER');
    expect(
      codeOf(() =>
        normaliseScores([
          { application: 'A', reviewer: 'R', score: 1 },
          { application: 'A', reviewer: 'R', score: 2 },
        ]),
      ),
    ).toBe('REVIEW_DUPLICATE');
  });
});

describe('rank helpers', () => {
  it('competition ranks share the better rank on ties', () => {
    // 9, 9 → 1, 1; 5 → 3; 1 → 4.
    expect(competitionRanks([5, 9, 9, 1])).toEqual([3, 1, 1, 4]);
  });

  it('Kendall τ-b, with and without ties', () => {
    // (1,2,3,4) vs (1,3,2,4): 6 pairs, one discordant (2nd/3rd): (5 − 1)/6.
    expect(kendallTau([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(4 / 6, 12);
    // (1,1,2) vs (1,2,3): pair 1–2 tied in x; 1–3 and 2–3 concordant: 2/√((2+1)(2+0)) = 2/√6.
    expect(kendallTau([1, 1, 2], [1, 2, 3])).toBeCloseTo(2 / Math.sqrt(6), 12);
  });
});

describe('disagreements', () => {
  it('flags an application whose reviews span more than 30 % of the scale', () => {
    // A1: 90, 40, 85 → range 50 > 0.3 × 100; mean 71.67, sd √(1516.67/3) = 22.48 > 15.
    // A2: 70, 75, 72 → range 5, sd 2.05: not flagged.
    const reviews = [90, 40, 85].map((score, t) => ({ application: 'A1', reviewer: `R${t}`, score })).concat([70, 75, 72].map((score, t) => ({ application: 'A2', reviewer: `R${t}`, score })));
    const d = disagreements(reviews, { min: 0, max: 100 });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ application: 'A1', min: 40, max: 90, range: 50 });
    expect(d[0].sd).toBeCloseTo(Math.sqrt(1516.6666666666667 / 3), 9);
    expect(d[0].message).toContain('分歧');
    // A stricter threshold flags A2 as well (range 5 > 0.04 × 100).
    expect(disagreements(reviews, { min: 0, max: 100 }, { rangeShare: 0.04 }).map((x) => x.application)).toEqual(['A1', 'A2']);
  });
});
