/**
 * Seeded pseudo-random numbers, so every Monte-Carlo run reproduces exactly.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4), 2021), 128-bit state, period 2^128 − 1, passes BigCrush. Its state is filled by
 * splitmix32 (a 32-bit variant of Steele, Lea & Flood's SplitMix, the seeding the xoshiro authors
 * recommend). Each Monte-Carlo row gets its own stream seeded from (seed, row), so results do not
 * depend on how rows are split across worker threads.
 */

/** splitmix32: a fast 32-bit mixer used to expand a seed into generator state. */
export function splitmix32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t = t ^ (t >>> 15);
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** A uniform generator on [0, 1) with 32-bit resolution. */
export interface Rng {
  /** Next uniform number in [0, 1). */
  next(): number;
  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number;
}

/** xoshiro128** seeded through splitmix32. Any 32-bit integer seed (others are truncated). */
export function xoshiro128ss(seed: number): Rng {
  const sm = splitmix32(seed);
  return xoshiro128ssFromState([sm(), sm(), sm(), sm()]);
}

/** xoshiro128** from an explicit 128-bit state (four 32-bit words), as in the reference C code. */
export function xoshiro128ssFromState(state: readonly [number, number, number, number]): Rng {
  let [s0, s1, s2, s3] = state.map((x) => x | 0);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is the one fixed point
  const nextUint32 = (): number => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return r;
  };
  return { nextUint32, next: () => nextUint32() / 4294967296 };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seed of the stream for Monte-Carlo row `row` under run seed `seed` (a hash of both). */
export function rowSeed(seed: number, row: number): number {
  const sm = splitmix32((seed ^ Math.imul(row + 1, 0x9e3779b1)) | 0);
  sm();
  return sm() ^ Math.imul(row, 0x85ebca6b);
}

/** Normalises a user seed (any finite number) to a 32-bit integer; absent → a fixed default. */
export function normaliseSeed(seed: number | undefined): number {
  if (seed === undefined) return 20240501;
  if (!Number.isFinite(seed)) return 0;
  return Math.trunc(seed) | 0;
}
