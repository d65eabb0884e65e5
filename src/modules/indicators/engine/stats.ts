/**
 * Small statistics used by the pipeline. Missing values are null (or NaN inside typed arrays) and
 * are skipped, as R's `na.rm = TRUE` does, so results match COINr.
 */
import type { Cell } from './types.ts';

/** Non-missing values of a column. */
export function present(x: readonly Cell[]): number[] {
  const out: number[] = [];
  for (const v of x) if (v !== null && Number.isFinite(v)) out.push(v);
  return out;
}

export function sum(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s;
}

export function mean(x: readonly number[]): number {
  return x.length === 0 ? NaN : sum(x) / x.length;
}

/** Median as R computes it: the mean of the two middle values for an even count. */
export function median(x: readonly number[]): number {
  if (x.length === 0) return NaN;
  const s = [...x].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Sample variance (denominator n − 1), as R's var(). */
export function variance(x: readonly number[]): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let s = 0;
  for (const v of x) s += (v - m) * (v - m);
  return s / (n - 1);
}

/** Sample standard deviation (n − 1), as R's sd(). */
export function sd(x: readonly number[]): number {
  return Math.sqrt(variance(x));
}

/**
 * Skewness, type 2 of e1071::skewness (= Excel's SKEW), the definition COINr's skew() copies:
 * g1 = √n Σd³ / (Σd²)^{3/2}, G1 = g1 √(n(n−1)) / (n−2). Needs n ≥ 3.
 */
export function skewness(x: readonly number[]): number {
  const n = x.length;
  if (n < 3) return NaN;
  const m = mean(x);
  let s2 = 0;
  let s3 = 0;
  for (const v of x) {
    const d = v - m;
    s2 += d * d;
    s3 += d * d * d;
  }
  const g1 = (Math.sqrt(n) * s3) / Math.pow(s2, 1.5);
  return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
}

/**
 * Excess kurtosis, type 2 of e1071::kurtosis (= Excel's KURT), as COINr's kurt():
 * r = n Σd⁴ / (Σd²)², G2 = ((n+1)(r−3) + 6)(n−1) / ((n−2)(n−3)). Needs n ≥ 4.
 */
export function kurtosis(x: readonly number[]): number {
  const n = x.length;
  if (n < 4) return NaN;
  const m = mean(x);
  let s2 = 0;
  let s4 = 0;
  for (const v of x) {
    const d = v - m;
    const d2 = d * d;
    s2 += d2;
    s4 += d2 * d2;
  }
  const r = (n * s4) / (s2 * s2);
  return (((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3));
}

/** Pearson correlation over the pairs where both values are present; null if undefined. */
export function pearson(x: readonly Cell[], y: readonly Cell[]): number | null {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a === null || b === null) continue;
    n++;
    sx += a;
    sy += b;
  }
  if (n < 3) return null;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a === null || b === null) continue;
    sxy += (a - mx) * (b - my);
    sxx += (a - mx) * (a - mx);
    syy += (b - my) * (b - my);
  }
  if (sxx === 0 || syy === 0) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/**
 * Ranks with ties given the minimum rank ("sport" ranking, R's ties.method = "min"); missing
 * values keep a null rank (na.last = "keep"). `descending` ranks the largest value 1.
 */
export function rankMin(x: readonly Cell[], descending: boolean): (number | null)[] {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== null && Number.isFinite(x[i] as number)) idx.push(i);
  const sign = descending ? -1 : 1;
  idx.sort((a, b) => sign * ((x[a] as number) - (x[b] as number)));
  const out: (number | null)[] = new Array(x.length).fill(null);
  for (let k = 0; k < idx.length; k++) {
    const prev = k > 0 ? idx[k - 1] : -1;
    out[idx[k]] = k > 0 && x[idx[k]] === x[prev] ? (out[prev] as number) : k + 1;
  }
  return out;
}

/** Ranks with ties given their average rank (R's default), ascending. */
export function rankAverage(x: readonly Cell[]): (number | null)[] {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== null) idx.push(i);
  idx.sort((a, b) => (x[a] as number) - (x[b] as number));
  const out: (number | null)[] = new Array(x.length).fill(null);
  let k = 0;
  while (k < idx.length) {
    let e = k;
    while (e + 1 < idx.length && x[idx[e + 1]] === x[idx[k]]) e++;
    const r = (k + 1 + e + 1) / 2;
    for (let t = k; t <= e; t++) out[idx[t]] = r;
    k = e + 1;
  }
  return out;
}
