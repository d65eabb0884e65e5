/**
 * The mid-term check (中期检查) as a simple expert score sheet, until part 1's review machinery
 * (reviewer assignment, severity normalisation) is wired to it. The sheet has the shape of part
 * 1's score sheet (key, names, weight, min–max scale) plus bilingual anchors, and each filled
 * sheet is totalled the same way: Σ weight · (score − min)/(max − min) / Σ weight × 100.
 *
 * The project's score is the mean of the experts' totals (0–100). Decision, with configurable
 * thresholds (defaults as offices grade mid-term checks): ≥ 75 continue (继续执行); ≥ 60 adjust
 * (调整后继续 — the adjustments go through change requests); below 60 stop (终止), with the
 * unspent public funds to recover when the funds are given.
 */
import type { Values } from '../../registries/enums.ts';
import { unspentPublicFunds, type FundsPosition, type Recovery } from './changes.ts';
import { issue, refuse, refuseOnErrors, type LifecycleIssue } from './issues.ts';

/** A criterion of the mid-term score sheet. */
export interface MidtermCriterion {
  key: string;
  name: string;
  name_en: string;
  weight: number;
  min: number;
  max: number;
  /** What a score means, for the expert (e.g. 0 严重滞后 … 10 全部完成). */
  anchors: Array<{ score: number; zh: string; en: string }>;
}

/** One expert's filled sheet. */
export interface ExpertScores {
  expert: string;
  scores: Readonly<Record<string, number>>;
  comment?: string | null;
}

export interface MidtermThresholds {
  /** Score at or above which the project continues. */
  continue_min: number;
  /** Score at or above which it continues after adjustment; below, it stops. */
  adjust_min: number;
}

export const DEFAULT_MIDTERM_THRESHOLDS: Readonly<MidtermThresholds> = Object.freeze({ continue_min: 75, adjust_min: 60 });

const scale = (zh0: string, en0: string, zh5: string, en5: string, zh10: string, en10: string) => [
  { score: 0, zh: zh0, en: en0 },
  { score: 5, zh: zh5, en: en5 },
  { score: 10, zh: zh10, en: en10 },
];

/** The default sheet: progress, key indicators to date, use of funds, substance of the cooperation. */
export const DEFAULT_MIDTERM_SHEET: readonly MidtermCriterion[] = Object.freeze([
  { key: 'progress', name: '进度完成情况', name_en: 'Progress against the plan', weight: 30, min: 0, max: 10, anchors: scale('严重滞后', 'far behind', '基本按计划', 'broadly on plan', '按期或提前完成', 'on or ahead of plan') },
  { key: 'indicators', name: '关键指标完成情况', name_en: 'Key indicators to date', weight: 30, min: 0, max: 10, anchors: scale('几无进展', 'next to nothing', '完成约一半', 'about half', '达到阶段目标', 'on target for this stage') },
  { key: 'funds', name: '经费使用规范性与执行率', name_en: 'Use and execution of funds', weight: 20, min: 0, max: 10, anchors: scale('违规或严重滞后', 'irregular or far behind', '基本规范', 'broadly regular', '规范且按预算执行', 'regular and on budget') },
  { key: 'cooperation', name: '国际合作实质性', name_en: 'Substance of the international cooperation', weight: 20, min: 0, max: 10, anchors: scale('无实质合作', 'no real cooperation', '有人员往来', 'exchanges of people', '联合研发产出', 'joint R&D results') },
]);

export type MidtermDecision = 'continue' | 'adjust' | 'stop';

export const MIDTERM_DECISIONS: Values = [
  { value: 'continue', zh: '继续执行', en: 'Continue' },
  { value: 'adjust', zh: '调整后继续', en: 'Continue after adjustment' },
  { value: 'stop', zh: '终止', en: 'Stop' },
];

export interface MidtermResult {
  /** Mean of the experts' totals, 0–100. */
  score: number;
  decision: MidtermDecision;
  decision_zh: string;
  decision_en: string;
  experts: Array<{ expert: string; total: number }>;
  criteria: Array<{ key: string; name: string; name_en: string; weight: number; mean: number; min_score: number; max_score: number }>;
  /** On stop, when the funds were given. */
  recovery: Recovery | null;
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Checks a score sheet: unique keys, positive weights, min < max, anchors on the scale. */
export function checkSheet(sheet: readonly MidtermCriterion[]): LifecycleIssue[] {
  const out: LifecycleIssue[] = [];
  const seen = new Set<string>();
  const bad = (criterion: string, zh: string, en: string) => out.push(issue('MIDTERM_SHEET_INVALID', { criterion, reason: { zh, en } }, { field: criterion }));
  if (!sheet.length) bad('', '评分表为空', 'the sheet is empty');
  for (const c of sheet) {
    if (!c.key?.trim()) bad(String(c.key), '缺少代码', 'it has no key');
    else if (seen.has(c.key)) bad(c.key, '代码重复', 'its key is used twice');
    seen.add(c.key);
    if (!isNumber(c.weight) || c.weight <= 0) bad(c.key, `权重应为正数：${c.weight}`, `the weight must be positive: ${c.weight}`);
    if (!isNumber(c.min) || !isNumber(c.max) || c.min >= c.max) bad(c.key, `分值范围无效：${c.min}–${c.max}`, `the scale is not valid: ${c.min}–${c.max}`);
    else for (const a of c.anchors ?? []) if (a.score < c.min || a.score > c.max) bad(c.key, `锚点 ${a.score} 不在 ${c.min}–${c.max} 内`, `the anchor ${a.score} lies outside ${c.min}–${c.max}`);
  }
  return out;
}

/** Complete, checked thresholds (MIDTERM_CONFIG_INVALID otherwise). */
export function resolveMidtermThresholds(partial: Partial<MidtermThresholds> = {}): MidtermThresholds {
  const t = { ...DEFAULT_MIDTERM_THRESHOLDS, ...partial };
  if (!isNumber(t.adjust_min) || t.adjust_min < 0 || t.adjust_min > 100) refuse('MIDTERM_CONFIG_INVALID', { field: 'adjust_min', value: t.adjust_min }, { field: 'adjust_min' });
  if (!isNumber(t.continue_min) || t.continue_min < t.adjust_min || t.continue_min > 100) refuse('MIDTERM_CONFIG_INVALID', { field: 'continue_min', value: t.continue_min }, { field: 'continue_min' });
  return t;
}

/**
 * Scores a mid-term check; see the module comment. Every problem of the sheets is refused at once:
 * a score outside a criterion's range (MIDTERM_SCORE_OUT_OF_RANGE, naming the expert and the
 * criterion), a missing score, a criterion not on the sheet.
 */
export function scoreMidterm(sheet: readonly MidtermCriterion[], filled: readonly ExpertScores[], opts: { thresholds?: Partial<MidtermThresholds>; funds?: readonly FundsPosition[] } = {}): MidtermResult {
  const t = resolveMidtermThresholds(opts.thresholds);
  const issues = checkSheet(sheet);
  if (!filled.length) issues.push(issue('MIDTERM_NO_SCORES', {}, { field: 'scores' }));
  const keys = new Set(sheet.map((c) => c.key));
  filled.forEach((f, i) => {
    const row = i + 1;
    for (const k of Object.keys(f.scores ?? {})) if (!keys.has(k)) issues.push(issue('MIDTERM_CRITERION_UNKNOWN', { expert: f.expert, criterion: k }, { row, field: k, expert: f.expert }));
    for (const c of sheet) {
      const s = f.scores?.[c.key];
      const criterion = { zh: c.name, en: c.name_en };
      if (s === undefined || s === null) issues.push(issue('MIDTERM_SCORE_MISSING', { expert: f.expert, criterion }, { row, field: c.key, expert: f.expert }));
      else if (!isNumber(s) || s < c.min || s > c.max) issues.push(issue('MIDTERM_SCORE_OUT_OF_RANGE', { expert: f.expert, criterion, score: s, min: c.min, max: c.max }, { row, field: c.key, expert: f.expert, value: s }));
    }
  });
  refuseOnErrors(issues);

  const weights = sheet.reduce((s, c) => s + c.weight, 0);
  const experts = filled.map((f) => ({ expert: f.expert, total: (100 * sheet.reduce((s, c) => s + (c.weight * (f.scores[c.key] - c.min)) / (c.max - c.min), 0)) / weights }));
  const score = experts.reduce((s, e) => s + e.total, 0) / experts.length;
  const eps = 1e-9;
  const decision: MidtermDecision = score >= t.continue_min - eps ? 'continue' : score >= t.adjust_min - eps ? 'adjust' : 'stop';
  const label = MIDTERM_DECISIONS.find((d) => d.value === decision)!;
  const criteria = sheet.map((c) => {
    const s = filled.map((f) => f.scores[c.key]);
    return { key: c.key, name: c.name, name_en: c.name_en, weight: c.weight, mean: s.reduce((a, b) => a + b, 0) / s.length, min_score: Math.min(...s), max_score: Math.max(...s) };
  });
  return { score, decision, decision_zh: label.zh, decision_en: label.en, experts, criteria, recovery: decision === 'stop' && opts.funds ? unspentPublicFunds(opts.funds) : null };
}
