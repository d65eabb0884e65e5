/**
 * The arithmetic of the analyses, with no SQL: tiers (方阵) by thresholds or quantiles,
 * concentration (top-N share, HHI, Gini), and trends (year-on-year change, compound growth,
 * coefficient of variation, the shape of a yearly series). Inputs are plain numbers, so the
 * formulas can be checked by hand and by property tests.
 *
 * Formulas (x_i ≥ 0 the totals of n units, S = Σ x_i, s_i = x_i / S):
 * - top-N share     Σ of the N largest s_i (N capped at n)
 * - HHI             Σ s_i², on shares summing to 1: 1/n when all are equal, 1 for one unit
 *                   (multiply by 10 000 for the antitrust scale)
 * - Gini            Σ_i Σ_j |x_i − x_j| / (2 n² μ), μ = S / n (the population Gini of the unit
 *                   totals): 0 when all are equal, (n − 1)/n when one unit holds everything
 * - year-on-year    change_t = v_t − v_{t−1}; rate_t = change_t / v_{t−1} (null when v_{t−1} = 0)
 * - CAGR            (v_last / v_first)^(1 / (year_last − year_first)) − 1 (null when v_first = 0
 *                   or there is one year)
 * - CV              σ / μ with σ the population standard deviation over every year of the range
 *                   (a year without records counts as 0); null when μ = 0
 * When S = 0 (no units, or every unit zero) the shares are undefined: top-N share, HHI and Gini
 * are null.
 */

/** A unit (a district, a country …) and its value on the chosen measure. */
export interface UnitValue {
  unit: string;
  value: number;
}

/** A tier: units with min ≤ value < max (null: unbounded). Tier 1 is the highest. */
export interface Tier {
  tier: number;
  min: number | null;
  max: number | null;
  members: UnitValue[];
}

/** Rounds to `digits` decimals (ratios to 6, amounts to 4), so results print as people expect. */
export function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const byValueDesc = (a: UnitValue, b: UnitValue) => b.value - a.value || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);

/**
 * Tiers by thresholds: [2000, 1000] gives tier 1 (≥ 2000), tier 2 (1000 ≤ v < 2000) and tier 3
 * (< 1000). Thresholds may come in any order; every unit falls in exactly one tier, and tiers
 * without members are kept so the table shows them.
 */
export function tiersByThresholds(units: readonly UnitValue[], thresholds: readonly number[]): Tier[] {
  const cuts = [...thresholds].sort((a, b) => b - a);
  const tiers: Tier[] = [];
  for (let i = 0; i <= cuts.length; i++) {
    tiers.push({ tier: i + 1, min: i < cuts.length ? cuts[i] : null, max: i > 0 ? cuts[i - 1] : null, members: [] });
  }
  for (const u of [...units].sort(byValueDesc)) {
    // The first (highest) tier whose lower bound the value reaches.
    const i = cuts.findIndex((c) => u.value >= c);
    tiers[i === -1 ? cuts.length : i].members.push(u);
  }
  return tiers;
}

/** The p-quantile (0 ≤ p ≤ 1) of ascending values by linear interpolation (Hyndman–Fan type 7, as numpy and Excel PERCENTILE.INC). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Tiers by quantiles: k tiers cut at the quantiles (k−1)/k, …, 1/k of the unit values, so each
 * holds about n/k units; tier 1 is the top. A value equal to a cut point goes to the upper tier,
 * so ties never split. No units: no tiers.
 */
export function tiersByQuantiles(units: readonly UnitValue[], k: number): Tier[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError('k must be an integer ≥ 2');
  if (units.length === 0) return [];
  const sorted = units.map((u) => u.value).sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let i = k - 1; i >= 1; i--) cuts.push(round(quantile(sorted, i / k), 4));
  return tiersByThresholds(units, cuts);
}

/** Σ s_i² on shares summing to 1; null when the total is 0. */
export function hhi(values: readonly number[]): number | null {
  const total = sum(values);
  if (total <= 0) return null;
  return values.reduce((s, v) => s + (v / total) ** 2, 0);
}

/** Population Gini of non-negative values; null when the total is 0. */
export function gini(values: readonly number[]): number | null {
  const n = values.length;
  const total = sum(values);
  if (n === 0 || total <= 0) return null;
  // With x sorted ascending and ranks i = 1..n: G = 2 Σ i·x_(i) / (n S) − (n + 1) / n, which equals
  // the mean-absolute-difference form above.
  const sorted = [...values].sort((a, b) => a - b);
  const weighted = sorted.reduce((s, v, i) => s + (i + 1) * v, 0);
  return Math.max(0, (2 * weighted) / (n * total) - (n + 1) / n);
}

export interface Concentration {
  n: number;
  top: number;
  topShare: number | null;
  hhi: number | null;
  gini: number | null;
  /** Units, largest first, with share and cumulative share (null when the total is 0). */
  members: (UnitValue & { rank: number; share: number | null; cumulative: number | null })[];
}

/** Concentration of the unit values on the top N (see the formulas above). */
export function concentration(units: readonly UnitValue[], top: number): Concentration {
  if (!Number.isInteger(top) || top < 1) throw new RangeError('top must be a positive integer');
  const sorted = [...units].sort(byValueDesc);
  const values = sorted.map((u) => u.value);
  const total = sum(values);
  let cum = 0;
  const members = sorted.map((u, i) => {
    cum += u.value;
    return { ...u, rank: i + 1, share: total > 0 ? round(u.value / total) : null, cumulative: total > 0 ? round(cum / total) : null };
  });
  const topSum = sum(values.slice(0, top));
  const h = hhi(values);
  const g = gini(values);
  return {
    n: units.length,
    top,
    topShare: total > 0 ? round(topSum / total) : null,
    hhi: h === null ? null : round(h),
    gini: g === null ? null : round(g),
    members,
  };
}

export type Move = 'up' | 'down' | 'flat';
export type ShapeKind = 'rising' | 'falling' | 'flat' | 'fluctuating';

export const SHAPE_LABELS: Record<ShapeKind, { zh: string; en: string }> = {
  rising: { zh: '上升', en: 'rising' },
  falling: { zh: '下降', en: 'falling' },
  flat: { zh: '持平', en: 'flat' },
  fluctuating: { zh: '波动', en: 'fluctuating' },
};

export interface YearOnYear {
  year: number;
  change: number;
  /** change / previous value; null when the previous value is 0. */
  rate: number | null;
}

export interface SeriesStats {
  values: number[];
  total: number;
  mean: number;
  yoy: YearOnYear[];
  cagr: number | null;
  cv: number | null;
  /** One move per consecutive pair of years: 5636, 2406, 3946, 1188 → down, up, down. */
  moves: Move[];
  /** The moves as arrows (↓↑↓), the shape an officer reads at a glance. */
  pattern: string;
  /** How often the direction turns (flat moves are skipped): ↓↑↓ has 2. */
  reversals: number;
  shape: ShapeKind;
}

const ARROW: Record<Move, string> = { up: '↑', down: '↓', flat: '→' };

/** Trend and stability of a yearly series; `years` ascending and consecutive, one value each. */
export function seriesStats(years: readonly number[], values: readonly number[]): SeriesStats {
  if (years.length !== values.length) throw new RangeError('one value per year');
  const n = values.length;
  const total = sum(values);
  const mean = n ? total / n : 0;
  const yoy: YearOnYear[] = [];
  const moves: Move[] = [];
  for (let i = 1; i < n; i++) {
    const change = round(values[i] - values[i - 1], 4);
    yoy.push({ year: years[i], change, rate: values[i - 1] === 0 ? null : round(change / values[i - 1]) });
    moves.push(change > 0 ? 'up' : change < 0 ? 'down' : 'flat');
  }
  const span = n > 1 ? years[n - 1] - years[0] : 0;
  const cagr = span > 0 && values[0] > 0 ? round((values[n - 1] / values[0]) ** (1 / span) - 1) : null;
  const variance = n ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / n : 0;
  const cv = mean > 0 ? round(Math.sqrt(variance) / mean) : null;
  const turning = moves.filter((m) => m !== 'flat');
  let reversals = 0;
  for (let i = 1; i < turning.length; i++) if (turning[i] !== turning[i - 1]) reversals++;
  const shape: ShapeKind =
    turning.length === 0 ? 'flat' : reversals > 0 ? 'fluctuating' : turning[0] === 'up' ? 'rising' : 'falling';
  return {
    values: [...values],
    total: round(total, 4),
    mean: round(mean, 4),
    yoy,
    cagr,
    cv,
    moves,
    pattern: moves.map((m) => ARROW[m]).join(''),
    reversals,
    shape,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}
