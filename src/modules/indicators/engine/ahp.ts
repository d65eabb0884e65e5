/**
 * Analytic Hierarchy Process weights (Saaty 1977, 1980).
 *
 * Weights are the principal (Perron) eigenvector of the positive reciprocal judgement matrix A,
 * normalised to sum 1. Consistency: CI = (λmax − n)/(n − 1), CR = CI / RI(n), with Saaty's random
 * indices; judgements with CR ≥ 0.1 are refused unless the caller explicitly accepts them.
 * Pure and dependency-free, so the web UI can show CR live while a matrix is being filled in.
 */
import { EngineError } from './errors.ts';
import { perronEigen } from './linalg.ts';
import type { AhpMatrix } from './types.ts';

/**
 * Saaty's random consistency index RI(n), indexed by n (Saaty, The Analytic Hierarchy Process,
 * McGraw-Hill 1980, Table 1.3: n = 1…10; the n = 11…15 values are Saaty's extension of the same
 * simulation, as tabulated in Saaty, Fundamentals of Decision Making, RWS 1994).
 */
export const SAATY_RI: readonly number[] = [0, 0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];

export interface AhpResult {
  codes: string[];
  weights: number[];
  lambdaMax: number;
  ci: number;
  ri: number;
  /** CI / RI; 0 for n ≤ 2 (a 2×2 reciprocal matrix is always consistent). */
  cr: number;
  consistent: boolean;
}

/** Relative tolerance for a_ij·a_ji = 1: judgements typed as 0.333 for 1/3 or 0.143 for 1/7 pass. */
const RECIPROCAL_TOL = 0.01;

function refuse(code: string, zh: string, en: string, details: Record<string, unknown>): never {
  throw new EngineError(code, zh, en, [{ code, ...details }]);
}

/** Turns the matrix or the list of pairwise comparisons into a full n×n matrix, validated. */
export function ahpMatrix(input: AhpMatrix): number[][] {
  const n = input.codes.length;
  const where = { parent: input.parent };
  if (n === 0) refuse('AHP_NOT_SQUARE', `判断矩阵（${input.parent}）为空`, `The judgement matrix (${input.parent}) is empty`, where);
  if (new Set(input.codes).size !== n) refuse('AHP_DUPLICATE_CODE', `判断矩阵（${input.parent}）中的代码重复`, `Duplicate codes in the judgement matrix (${input.parent})`, where);
  let a: (number | null)[][];
  if (input.matrix) {
    if (input.matrix.length !== n || input.matrix.some((r) => !Array.isArray(r) || r.length !== n)) {
      refuse('AHP_NOT_SQUARE', `判断矩阵（${input.parent}）必须是 ${n}×${n} 方阵`, `The judgement matrix (${input.parent}) must be ${n}×${n}`, where);
    }
    a = input.matrix.map((r) => r.map((v) => (v === null || v === undefined ? null : Number(v))));
  } else {
    a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : null)));
    for (const c of input.comparisons ?? []) {
      const i = input.codes.indexOf(c.a);
      const j = input.codes.indexOf(c.b);
      if (i < 0 || j < 0) {
        refuse('UNKNOWN_INDICATOR', `判断矩阵（${input.parent}）比较了不在列表中的代码：${i < 0 ? c.a : c.b}`, `The judgement matrix (${input.parent}) compares a code not in its list: ${i < 0 ? c.a : c.b}`, { ...where, value: i < 0 ? c.a : c.b });
      }
      if (!(c.value > 0) || !Number.isFinite(c.value)) {
        refuse(c.value === 0 ? 'AHP_SINGULAR' : 'AHP_INVALID_ENTRY', `判断值必须是正数：${c.a} 对 ${c.b} = ${c.value}`, `Judgements must be positive: ${c.a} vs ${c.b} = ${c.value}`, { ...where, a: c.a, b: c.b, value: c.value });
      }
      for (const [p, q, v] of [
        [i, j, c.value],
        [j, i, 1 / c.value],
      ] as const) {
        const old = a[p][q];
        if (old !== null && Math.abs(old * (1 / v) - 1) > RECIPROCAL_TOL) {
          refuse('AHP_NOT_RECIPROCAL', `判断 ${c.a} 对 ${c.b} 被给出了互相矛盾的值`, `Conflicting judgements for ${c.a} vs ${c.b}`, { ...where, a: c.a, b: c.b });
        }
        a[p][q] = v;
      }
    }
  }
  const missing: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = a[i][j];
      if (v === null || v === 0) missing.push([input.codes[i], input.codes[j]]);
      else if (!Number.isFinite(v) || v < 0) {
        refuse('AHP_INVALID_ENTRY', `判断矩阵（${input.parent}）含负数或无效值：${input.codes[i]} 对 ${input.codes[j]}`, `The judgement matrix (${input.parent}) has a negative or invalid entry: ${input.codes[i]} vs ${input.codes[j]}`, { ...where, a: input.codes[i], b: input.codes[j], value: v });
      }
    }
  }
  if (missing.length) {
    // A zero or absent judgement leaves A non-positive (possibly singular): no Perron vector to use.
    throw new EngineError(
      'AHP_SINGULAR',
      `判断矩阵（${input.parent}）不完整或含零值（奇异），缺少 ${missing.length} 个判断`,
      `The judgement matrix (${input.parent}) is incomplete or has zeros (singular); ${missing.length} judgements missing`,
      missing.map(([x, y]) => ({ code: 'AHP_SINGULAR', parent: input.parent, a: x, b: y })),
    );
  }
  const full = a as number[][];
  for (let i = 0; i < n; i++) {
    if (Math.abs(full[i][i] - 1) > RECIPROCAL_TOL) refuse('AHP_NOT_RECIPROCAL', `判断矩阵（${input.parent}）的对角线必须为 1`, `The diagonal of the judgement matrix (${input.parent}) must be 1`, { ...where, a: input.codes[i] });
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(full[i][j] * full[j][i] - 1) > RECIPROCAL_TOL) {
        refuse('AHP_NOT_RECIPROCAL', `判断矩阵（${input.parent}）不互反：a(${input.codes[i]},${input.codes[j]})·a(${input.codes[j]},${input.codes[i]}) ≠ 1`, `The judgement matrix (${input.parent}) is not reciprocal: a(${input.codes[i]},${input.codes[j]})·a(${input.codes[j]},${input.codes[i]}) ≠ 1`, {
          ...where,
          a: input.codes[i],
          b: input.codes[j],
        });
      }
    }
  }
  return full;
}

/**
 * Eigenvector weights and consistency ratio of one judgement matrix. Does not refuse on CR; use
 * `ahpWeights` for that. Throws on non-square, singular, negative or non-reciprocal matrices.
 */
export function ahpAnalyse(input: AhpMatrix): AhpResult {
  const a = ahpMatrix(input);
  const n = a.length;
  if (n > SAATY_RI.length - 1) {
    refuse('AHP_TOO_LARGE', `判断矩阵（${input.parent}）超过 ${SAATY_RI.length - 1} 阶，没有 Saaty 随机一致性指标`, `The judgement matrix (${input.parent}) exceeds order ${SAATY_RI.length - 1}; Saaty's random index is not tabulated`, { parent: input.parent, n });
  }
  const { value, vector } = perronEigen(a);
  const ri = SAATY_RI[n];
  // λmax ≥ n for a positive reciprocal matrix; tiny negatives are rounding.
  const ci = n > 1 ? Math.max(0, (value - n) / (n - 1)) : 0;
  const cr = n > 2 ? ci / ri : 0;
  return { codes: [...input.codes], weights: vector, lambdaMax: value, ci, ri, cr, consistent: cr < 0.1 };
}

/**
 * AHP weights with Saaty's refusal: CR ≥ `crThreshold` (default 0.1) throws AHP_INCONSISTENT unless
 * `allowInconsistent` is set (the caller then records a warning).
 */
export function ahpWeights(input: AhpMatrix, opts: { crThreshold?: number; allowInconsistent?: boolean } = {}): AhpResult {
  const r = ahpAnalyse(input);
  const threshold = opts.crThreshold ?? 0.1;
  r.consistent = r.cr < threshold;
  if (!r.consistent && !opts.allowInconsistent) {
    throw new EngineError(
      'AHP_INCONSISTENT',
      `判断矩阵（${input.parent}）一致性比率 CR = ${r.cr.toFixed(3)} ≥ ${threshold}，判断不一致，请修改判断或明确允许不一致`,
      `The judgement matrix (${input.parent}) has consistency ratio CR = ${r.cr.toFixed(3)} ≥ ${threshold}; revise the judgements or explicitly allow inconsistency`,
      [{ code: 'AHP_INCONSISTENT', parent: input.parent, cr: r.cr, ci: r.ci, lambda_max: r.lambdaMax, threshold }],
    );
  }
  return r;
}
