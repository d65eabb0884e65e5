import { describe, expect, it } from 'vitest';
import { codeOf } from './engine.fixture.ts';
import { DEFAULT_MIDTERM_SHEET, scoreMidterm, type ExpertScores } from './midterm.ts';

// Default sheet: progress 30, indicators 30, funds 20, cooperation 20 (weights sum 100), each 0–10,
// so an expert's total is 3·progress + 3·indicators + 2·funds + 2·cooperation.
const E1: ExpertScores = { expert: '张教授', scores: { progress: 8, indicators: 7, funds: 9, cooperation: 6 } }; // 24 + 21 + 18 + 12 = 75
const E2: ExpertScores = { expert: 'Dr. Weber', scores: { progress: 6, indicators: 6, funds: 8, cooperation: 5 } }; // 18 + 18 + 16 + 10 = 62
const E3: ExpertScores = { expert: '李研究员', scores: { progress: 9, indicators: 8, funds: 9, cooperation: 7 } }; // 27 + 24 + 18 + 14 = 83

describe('scoreMidterm', () => {
  it('three experts: totals 75, 62, 83; score 220 / 3 = 73.33 → adjust', () => {
    const r = scoreMidterm(DEFAULT_MIDTERM_SHEET, [E1, E2, E3]);
    expect(r.experts.map((e) => [e.expert, e.total])).toEqual([
      ['张教授', 75],
      ['Dr. Weber', 62],
      ['李研究员', 83],
    ]);
    expect(r.score).toBeCloseTo(220 / 3, 12);
    expect([r.decision, r.decision_zh]).toEqual(['adjust', '调整后继续']);
    // progress (8 + 6 + 9) / 3, indicators 21 / 3, funds 26 / 3, cooperation 18 / 3
    expect(r.criteria.map((c) => [c.key, c.mean, c.min_score, c.max_score])).toEqual([
      ['progress', 23 / 3, 6, 9],
      ['indicators', 7, 6, 8],
      ['funds', 26 / 3, 8, 9],
      ['cooperation', 6, 5, 7],
    ]);
    expect(r.recovery).toBeNull();
  });
  it('exactly 75 continues; exactly 60 is adjust; just below 60 stops, with the funds to recover', () => {
    expect(scoreMidterm(DEFAULT_MIDTERM_SHEET, [E1]).decision).toBe('continue');
    const sixty: ExpertScores = { expert: 'A', scores: { progress: 6, indicators: 6, funds: 6, cooperation: 6 } }; // 60
    expect(scoreMidterm(DEFAULT_MIDTERM_SHEET, [sixty]).decision).toBe('adjust');
    const low: ExpertScores = { expert: 'B', scores: { progress: 6, indicators: 6, funds: 6, cooperation: 5.5 } }; // 59
    const r = scoreMidterm(DEFAULT_MIDTERM_SHEET, [low], { funds: [{ source: 'programme', received_wan: 60, spent_wan: 41.5 }] });
    expect([r.score, r.decision, r.decision_zh]).toEqual([59, 'stop', '终止']);
    expect(r.recovery?.recover_wan).toBe(18.5);
  });
  it('thresholds are configurable', () => {
    expect(scoreMidterm(DEFAULT_MIDTERM_SHEET, [E2], { thresholds: { continue_min: 60, adjust_min: 40 } }).decision).toBe('continue');
    expect(codeOf(() => scoreMidterm(DEFAULT_MIDTERM_SHEET, [E2], { thresholds: { continue_min: 50, adjust_min: 60 } }))).toBe('MIDTERM_CONFIG_INVALID');
  });
  it('refuses every problem of the sheets at once, naming the expert and the criterion', () => {
    let details: Array<{ code?: string; expert?: unknown; field?: string }> = [];
    let message = '';
    try {
      scoreMidterm(DEFAULT_MIDTERM_SHEET, [
        { expert: '张教授', scores: { progress: 11, indicators: 7, funds: 9, cooperation: 6 } },
        { expert: 'Dr. Weber', scores: { progress: 6, indicators: 6, funds: 8, impact: 5 } },
      ]);
    } catch (e) {
      const err = e as { code: string; messageZh: string; details: typeof details };
      details = err.details;
      message = err.messageZh;
    }
    expect(details.map((d) => [d.code, d.expert, d.field])).toEqual([
      ['MIDTERM_SCORE_OUT_OF_RANGE', '张教授', 'progress'],
      ['MIDTERM_CRITERION_UNKNOWN', 'Dr. Weber', 'impact'],
      ['MIDTERM_SCORE_MISSING', 'Dr. Weber', 'cooperation'],
    ]);
    expect(message).toBe('专家“张教授”对“进度完成情况”的评分“11”超出 0–10 分');
  });
  it('refuses an empty check and a broken sheet', () => {
    expect(codeOf(() => scoreMidterm(DEFAULT_MIDTERM_SHEET, []))).toBe('MIDTERM_NO_SCORES');
    expect(codeOf(() => scoreMidterm([{ ...DEFAULT_MIDTERM_SHEET[0], weight: 0 }], [E1]))).toBe('MIDTERM_SHEET_INVALID');
  });
});
