/**
 * The assignment solver: optimal against brute-force enumeration on many small random cases
 * (every constraint combination), every constraint holding on its answers, hand-worked
 * infeasibility diagnoses, the random draw, and the greedy baseline falling short where it must.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../errors.ts';
import { greedyAssignment, solveAssignment, type AssignmentInput } from './assign.ts';
import { bruteForce, violations } from './assign.fixtures.ts';

/** A dense input from a matrix (null = unlisted pair). */
function dense(aff: (number | null)[][], extra: Partial<AssignmentInput> = {}): AssignmentInput {
  const application: number[] = [];
  const reviewer: number[] = [];
  const affinity: number[] = [];
  aff.forEach((row, i) =>
    row.forEach((a, j) => {
      if (a === null) return;
      application.push(i);
      reviewer.push(j);
      affinity.push(a);
    }),
  );
  return {
    applications: aff.map((_, i) => `P${i + 1}`),
    reviewers: (aff[0] ?? []).map((_, j) => `R${j + 1}`),
    affinities: { application, reviewer, affinity },
    ...extra,
  };
}

async function refusal(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** Small random cases; `mixed` forces organisations that mix foreign and domestic reviewers under a quota. */
const smallCases = (mixed = false) => fc
  .record({
    nA: fc.integer({ min: 1, max: 4 }),
    nR: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 1, max: 3 }),
    L: fc.integer({ min: 1, max: 3 }),
    unlisted: fc.constantFrom<'zero' | 'forbidden'>('zero', 'forbidden'),
    partial: fc.boolean(),
    withForeign: mixed ? fc.constant(true) : fc.boolean(),
    withOrgs: mixed ? fc.constant(true) : fc.boolean(),
    nested: mixed ? fc.constant(false) : fc.boolean(),
    perAppQuota: fc.boolean(),
    orgCount: mixed ? fc.constant(2) : fc.constant(3),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .map((p) => {
    // A small deterministic generator from the case's seed, so a shrunk case stays reproducible.
    let s = p.seed;
    const rnd = () => ((s = (Math.imul(s, 48271) + 11) % 2147483647) & 0x7fffffff) / 2147483647;
    const aff: (number | null)[][] = [];
    const conflicts = { application: [] as number[], reviewer: [] as number[] };
    for (let i = 0; i < p.nA; i++) {
      const row: (number | null)[] = [];
      for (let j = 0; j < p.nR; j++) {
        const r = rnd();
        // Some ties (integers), some unlisted, some negative.
        row.push(r < 0.2 ? null : r < 0.35 ? Math.floor(rnd() * 3) : Math.round((rnd() * 2 - 0.3) * 1000) / 1000);
        if (rnd() < 0.12) {
          conflicts.application.push(i);
          conflicts.reviewer.push(j);
        }
      }
      aff.push(row);
    }
    const foreign = Array.from({ length: p.nR }, () => rnd() < 0.45);
    // Nested: an organisation's reviewers share the foreign flag; otherwise organisations mix.
    const organisation = foreign.map((f) => {
      const r = rnd();
      if (r < 0.25) return null;
      const o = Math.floor(rnd() * p.orgCount);
      return p.nested ? `${f ? 'F' : 'D'}${o}` : `O${o}`;
    });
    const quota = () => (mixed ? 1 : 0) + Math.floor(rnd() * (Math.min(p.k, 2) + (mixed ? 0 : 1)));
    const minForeign = p.withForeign ? (p.perAppQuota ? Array.from({ length: p.nA }, quota) : quota()) : 0;
    const input = dense(aff, {
      conflicts,
      perApplication: p.k,
      maxLoad: p.L,
      unlisted: p.unlisted,
      partial: p.partial,
      foreign: p.withForeign ? foreign : null,
      organisation: p.withOrgs ? organisation : null,
      minForeign,
      // Small first networks, so that column generation has pairs to add.
      initialCandidates: 1,
    });
    if (aff[0]) input.reviewers = aff[0].map((_, j) => `R${j + 1}`);
    return input;
  });

/** Solves the case and compares with enumeration; returns what it exercised. */
async function checkAgainstBruteForce(input: AssignmentInput): Promise<'refused' | { complete: boolean; mip: boolean; rounds: number }> {
  const best = bruteForce(input);
  const complete = best !== null && best.count === input.applications.length * (input.perApplication ?? 3);
  if (!input.partial && !complete) {
    const e = await refusal(() => solveAssignment(input));
    expect(e.code).toBe('ASSIGNMENT_INFEASIBLE');
    expect(e.details.length).toBeGreaterThan(0);
    return 'refused';
  }
  const r = await solveAssignment(input);
  expect(violations(input, r.assignments, r.missing)).toEqual([]);
  expect(r.optimal).toBe(true);
  expect(r.assignments.length).toBe(best!.count);
  expect(r.objective).toBeCloseTo(best!.objective, 9);
  return { complete, mip: r.stats.method === 'flow+mip', rounds: r.stats.rounds };
}

describe('solveAssignment: optimal against brute force', () => {
  it('matches enumeration on 800 cases where organisations mix foreign and domestic reviewers under a foreign minimum (flow relaxation, then HiGHS)', async () => {
    let branched = 0;
    let solved = 0;
    await fc.assert(
      fc.asyncProperty(smallCases(true), async (input) => {
        const out = await checkAgainstBruteForce(input);
        if (out !== 'refused') {
          solved++;
          if (out.mip) branched++;
        }
      }),
      { numRuns: 800, seed: 20261123 },
    );
    expect(solved).toBeGreaterThan(300);
    expect(branched).toBeGreaterThan(25);
  });

  it('matches enumeration on 600 random small cases (conflicts, unlisted pairs, foreign minimums, organisations nested or mixed, partial)', async () => {
    // What the cases exercised, so that the property cannot pass on trivial cases only.
    const seen = { refused: 0, complete: 0, partialShort: 0, branched: 0, quota: 0, orgs: 0, addedPairs: 0 };
    await fc.assert(
      fc.asyncProperty(smallCases(), async (input) => {
        const best = bruteForce(input);
        const complete = best !== null && best.count === input.applications.length * (input.perApplication ?? 3);
        if (!input.partial && !complete) {
          const e = await refusal(() => solveAssignment(input));
          expect(e.code).toBe('ASSIGNMENT_INFEASIBLE');
          expect(e.details.length).toBeGreaterThan(0);
          seen.refused++;
          return;
        }
        const r = await solveAssignment(input);
        if (complete) seen.complete++;
        else seen.partialShort++;
        if (r.stats.method === 'flow+mip') seen.branched++;
        if (r.stats.rounds > 1) seen.addedPairs++;
        if (input.minForeign && r.assignments.some((a) => input.foreign?.[a.reviewer])) seen.quota++;
        if (input.organisation) seen.orgs++;
        expect(violations(input, r.assignments, r.missing)).toEqual([]);
        expect(r.optimal).toBe(true);
        const count = r.assignments.length;
        expect(count).toBe(best!.count);
        expect(r.objective).toBeCloseTo(best!.objective, 9);
      }),
      { numRuns: 600, seed: 20261122 },
    );
    expect(seen.refused).toBeGreaterThan(30);
    expect(seen.complete).toBeGreaterThan(100);
    expect(seen.partialShort).toBeGreaterThan(30);
    expect(seen.quota).toBeGreaterThan(30);
    expect(seen.orgs).toBeGreaterThan(100);
    expect(seen.addedPairs).toBeGreaterThan(100);
  });

  it('the integer programme is exact where an organisation mixes foreign and domestic reviewers', async () => {
    // P1 needs one foreign reviewer (F = 1), k = 2, L = 1. Organisation X has foreign F1 and
    // domestic D1, the two best for P1 (10 + 9 = 19), which the rule forbids together. By hand:
    // P1 takes {F1, D2} = 10 + 1 = 11, or {F2, D1} = 2 + 9 = 11, or {F1, F2} = 12 → 12 is best
    // (two foreign from different organisations X and Y).
    const input = dense([[10, 9, 1, 2]], { perApplication: 2, maxLoad: 1, foreign: [true, false, false, true], organisation: ['X', 'X', 'Z', 'Y'], minForeign: 1 });
    const r = await solveAssignment(input);
    expect(r.stats.method).toBe('flow+mip');
    expect(r.stats.mixedOrganisations).toBe(1);
    expect(r.objective).toBe(12);
    expect(r.assignments.map((a) => a.reviewer).sort()).toEqual([0, 3]);
    expect(r.optimal).toBe(true);
  });
});

describe('solveAssignment: hand-worked cases', () => {
  it('takes the global optimum where greedy takes the locally best pair', async () => {
    // Two applications, two reviewers, k = 1, L = 1. Greedy takes P1–R1 (0.9) first, leaving
    // P2–R2 (0.1): 1.0. Exact: P1–R2 (0.8) + P2–R1 (0.85) = 1.65.
    const input = dense([
      [0.9, 0.8],
      [0.85, 0.1],
    ], { perApplication: 1, maxLoad: 1 });
    const g = greedyAssignment(input);
    expect(g.objective).toBeCloseTo(1.0, 12);
    const r = await solveAssignment(input);
    expect(r.objective).toBeCloseTo(1.65, 12);
    expect(r.assignments).toEqual([
      { application: 0, reviewer: 1, affinity: 0.8 },
      { application: 1, reviewer: 0, affinity: 0.85 },
    ]);
  });

  it('refuses total capacity: 2 reviewers × L 2 = 4 < 3 applications × k 2 = 6', async () => {
    const input = dense([
      [1, 1],
      [1, 1],
      [1, 1],
    ], { perApplication: 2, maxLoad: 2 });
    const e = await refusal(() => solveAssignment(input));
    expect(e.code).toBe('ASSIGNMENT_INFEASIBLE');
    expect(e.status).toBe(422);
    expect(e.details[0]).toMatchObject({ code: 'TOTAL_CAPACITY', available: 4, needed: 6 });
    expect(e.messageZh).toContain('专家总容量不足');
    expect(e.messageEn).toContain('Not enough reviewer capacity');
  });

  it('names the application with too few eligible reviewers after conflicts', async () => {
    // P2 conflicts with R1 and R2: only R3 is left, k = 2.
    const input = dense([
      [1, 1, 1],
      [1, 1, 1],
    ], { perApplication: 2, maxLoad: 2, conflicts: { application: [1, 1], reviewer: [0, 1] } });
    const e = await refusal(() => solveAssignment(input));
    expect(e.details).toEqual([expect.objectContaining({ code: 'TOO_FEW_ELIGIBLE', applications: ['P2'], count: 1 })]);
  });

  it('names the foreign minimum: one foreign reviewer in conflict with P1', async () => {
    const input = dense([
      [1, 1, 1],
      [1, 1, 1],
    ], { perApplication: 2, maxLoad: 2, foreign: [true, false, false], minForeign: 1, conflicts: { application: [0], reviewer: [0] } });
    const e = await refusal(() => solveAssignment(input));
    expect(e.details).toEqual([expect.objectContaining({ code: 'TOO_FEW_FOREIGN', applications: ['P1'] })]);
  });

  it('refuses foreign capacity: 1 foreign reviewer × L 1 < 2 applications needing one', async () => {
    const input = dense([
      [1, 1, 1],
      [1, 1, 1],
    ], { perApplication: 1, maxLoad: 1, foreign: [true, false, false], minForeign: 1 });
    const e = await refusal(() => solveAssignment(input));
    expect(e.details[0]).toMatchObject({ code: 'FOREIGN_CAPACITY', available: 1, needed: 2 });
  });

  it('names the organisation rule when reviewers come from too few organisations', async () => {
    // k = 2 and all three reviewers are from 南京大学: at most one per organisation.
    const input = dense([[1, 2, 3]], { perApplication: 2, maxLoad: 1, organisation: ['南京大学', '南京大学', '南京大学'] });
    const e = await refusal(() => solveAssignment(input));
    expect(e.details[0]).toMatchObject({ code: 'TOO_FEW_ORGANISATIONS', applications: ['P1'] });
  });

  it('attributes a shortfall to the organisation rule when only the rule blocks it', async () => {
    // Each application alone has enough organisations (X, Y), but with L = 1: P1 and P2 both
    // need one reviewer of X (R1 or R2) and one of Y (R3). R3 can serve only one. Without the
    // rule P2 could take R1 + R2 (both X): feasible. So the rule is what blocks it.
    const input = dense([
      [1, 1, 1],
      [1, 1, 1],
    ], { perApplication: 2, maxLoad: 1, organisation: ['X', 'X', 'Y'] });
    // Capacity 3 < 4 slots would be TOTAL_CAPACITY; add a fourth reviewer of X.
    const input4 = dense([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ], { perApplication: 2, maxLoad: 1, organisation: ['X', 'X', 'Y', 'X'] });
    expect((await refusal(() => solveAssignment(input))).details[0]).toMatchObject({ code: 'TOTAL_CAPACITY' });
    const e = await refusal(() => solveAssignment(input4));
    expect(e.details[0]).toMatchObject({ code: 'ORGANISATION_RULE', assignable: 3, needed: 4 });
  });

  it('attributes a shortfall to the load limit when neither rule is the cause', async () => {
    // k = 2, L = 1. P1 and P2 conflict with R3–R6, so both need R1 and R2, which can serve one
    // of them; P3 may use anyone. Capacity 6 × 1 = 6 = 3 × 2 and every application has ≥ 2
    // eligible reviewers: only solving shows it. Best: one of P1/P2 gets R1 + R2, P3 two of
    // R3–R6: 4 of 6 slots.
    const ones = [1, 1, 1, 1, 1, 1];
    const input = dense([ones, ones, ones], { perApplication: 2, maxLoad: 1, conflicts: { application: [0, 0, 0, 0, 1, 1, 1, 1], reviewer: [2, 3, 4, 5, 2, 3, 4, 5] } });
    const e = await refusal(() => solveAssignment(input));
    expect(e.details[0]).toMatchObject({ code: 'LOAD_LIMIT', assignable: 4, needed: 6 });
    expect(e.details[0].applications).toHaveLength(1);
    expect(e.messageEn).toContain('at most 4 of the 6');
  });

  it('with partial, assigns as many as possible and reports what is missing', async () => {
    const input = dense([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ], { perApplication: 2, maxLoad: 1, partial: true, conflicts: { application: [0, 0, 1, 1], reviewer: [2, 3, 2, 3] } });
    const r = await solveAssignment(input);
    expect(r.assignments).toHaveLength(2);
    expect(Array.from(r.missing).sort()).toEqual([0, 2]);
  });

  it('forbids unlisted pairs only when asked', async () => {
    // P1 lists R1 only; k = 2. Unlisted = zero: R2 at affinity 0. Forbidden: infeasible.
    const input = dense([[0.5, null]], { perApplication: 2, maxLoad: 1 });
    expect((await solveAssignment(input)).objective).toBe(0.5);
    expect((await refusal(() => solveAssignment({ ...input, unlisted: 'forbidden' }))).details.map((d) => d.code)).toContain('TOO_FEW_ELIGIBLE');
  });

  it('refuses bad parameters and duplicate pairs with codes', async () => {
    const input = dense([[1, 1]], { perApplication: 1 });
    expect((await refusal(() => solveAssignment({ ...input, perApplication: 0 }))).code).toBe('ASSIGNMENT_PARAMETER_INVALID');
    expect((await refusal(() => solveAssignment({ ...input, minForeign: 2, foreign: [true, true] }))).code).toBe('ASSIGNMENT_PARAMETER_INVALID');
    expect((await refusal(() => solveAssignment({ ...input, minForeign: 1 }))).code).toBe('ASSIGNMENT_PARAMETER_INVALID');
    const dup = { ...input, affinities: { application: [0, 0], reviewer: [1, 1], affinity: [1, 2] } };
    expect((await refusal(() => solveAssignment(dup))).code).toBe('ASSIGNMENT_DUPLICATE_PAIR');
  });
});

describe('solveAssignment: random draw (NSFC style)', () => {
  it('draws from each application’s pool, repeatably for a seed, and says the answer is not the global optimum', async () => {
    const aff = Array.from({ length: 6 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 5) % 11) / 10));
    const input = dense(aff, { perApplication: 2, maxLoad: 2, draw: { pool: 6, size: 3, seed: 42 } });
    const a = await solveAssignment(input);
    const b = await solveAssignment(input);
    expect(a.assignments).toEqual(b.assignments);
    expect(a.optimal).toBe(false);
    expect(violations(input, a.assignments, a.missing)).toEqual([]);
    // Every assigned reviewer is within its application's 6 best.
    for (const x of a.assignments) {
      const rank = aff[x.application].filter((v, j) => v > aff[x.application][x.reviewer] || (v === aff[x.application][x.reviewer] && j < x.reviewer)).length;
      expect(rank).toBeLessThan(6);
    }
    const c = await solveAssignment({ ...input, draw: { pool: 6, size: 3, seed: 43 } });
    expect(c.assignments).not.toEqual(a.assignments);
    const exact = await solveAssignment({ ...input, draw: null });
    expect(exact.objective).toBeGreaterThanOrEqual(a.objective);
  });
});
