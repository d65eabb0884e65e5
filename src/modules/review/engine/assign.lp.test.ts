/**
 * The solver against the published paper–reviewer assignment formulation (Taylor 2008, "On the
 * optimal assignment of conference papers to reviewers"; the Toronto Paper Matching System's
 * matching LP): maximise Σ a_ij x_ij subject to Σ_j x_ij = k for every paper, Σ_i x_ij ≤ L for
 * every reviewer, 0 ≤ x_ij ≤ 1, x_ij = 0 on conflicts — solved as a linear programme by HiGHS
 * (WebAssembly build of the Edinburgh solver). The constraint matrix is the incidence matrix of a
 * bipartite graph, totally unimodular, so the LP optimum is integral and equals the best
 * assignment: the objectives must agree. The same holds with the foreign minimum and the
 * one-per-organisation rows when organisations nest within the foreign/domestic split (two
 * laminar families of rows); where they do not, the integer programme is solved as a MIP.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { solveAssignment, type AssignmentInput } from './assign.ts';
import { violations } from './assign.fixtures.ts';
import { loadHighs, type HighsSolver } from './mip.ts';
import { mulberry32 } from './prng.ts';

let highs: HighsSolver;
beforeAll(async () => {
  highs = await loadHighs();
});

/** A medium instance with topic-shaped affinities (papers and reviewers on 12 topics). */
function instance(nA: number, nR: number, seed: number, extra: { foreignShare?: number; orgs?: number; nested?: boolean } = {}) {
  const rand = mulberry32(seed);
  const topics = 12;
  const vec = () => {
    const v = Array.from({ length: topics }, () => (rand() < 0.25 ? rand() : 0));
    const n = Math.hypot(...v) || 1;
    return v.map((x) => x / n);
  };
  const P = Array.from({ length: nA }, vec);
  const R = Array.from({ length: nR }, vec);
  const application: number[] = [];
  const reviewer: number[] = [];
  const affinity: number[] = [];
  const conflicts = { application: [] as number[], reviewer: [] as number[] };
  for (let i = 0; i < nA; i++)
    for (let j = 0; j < nR; j++) {
      if (rand() < 0.03) {
        conflicts.application.push(i);
        conflicts.reviewer.push(j);
      }
      application.push(i);
      reviewer.push(j);
      affinity.push(Math.round(P[i].reduce((s, x, t) => s + x * R[j][t], 0) * 1e4) / 1e4);
    }
  const foreign = Array.from({ length: nR }, () => rand() < (extra.foreignShare ?? 0));
  const organisation = extra.orgs ? foreign.map((f) => (extra.nested ? `${f ? 'F' : 'D'}${Math.floor(rand() * extra.orgs!)}` : `O${Math.floor(rand() * extra.orgs!)}`)) : null;
  const input: AssignmentInput = {
    applications: P.map((_, i) => `P${i}`),
    reviewers: R.map((_, j) => `R${j}`),
    affinities: { application, reviewer, affinity },
    conflicts,
  };
  return { input, foreign, organisation };
}

/** The formulation in CPLEX LP format; `integer` makes it a MIP. */
function lpText(input: AssignmentInput, k: number, L: number, opts: { foreign?: boolean[]; minForeign?: number[]; organisation?: (string | null)[] | null; integer?: boolean } = {}): string {
  const nA = input.applications.length;
  const nR = input.reviewers.length;
  const banned = new Set<string>();
  const c = input.conflicts!;
  for (let e = 0; e < c.application.length; e++) banned.add(`${c.application[e]}_${c.reviewer[e]}`);
  const a = new Map<string, number>();
  const { application, reviewer, affinity } = input.affinities;
  for (let e = 0; e < application.length; e++) a.set(`${application[e]}_${reviewer[e]}`, affinity[e]);
  const vars: string[] = [];
  const lines: string[] = ['Maximize', ' obj:'];
  const wrap = (terms: string[]) => {
    for (let t = 0; t < terms.length; t += 8) lines.push(`  ${terms.slice(t, t + 8).join(' ')}`);
  };
  const obj: string[] = [];
  for (let i = 0; i < nA; i++)
    for (let j = 0; j < nR; j++) {
      const key = `${i}_${j}`;
      if (banned.has(key)) continue;
      vars.push(`x_${key}`);
      obj.push(`+ ${a.get(key)!.toFixed(6)} x_${key}`);
    }
  wrap(obj);
  lines.push('Subject To');
  const allowed = new Set(vars);
  const row = (name: string, terms: string[], sense: string) => {
    if (!terms.length) terms = ['0 x_0_0'];
    lines.push(` ${name}:`);
    wrap(terms);
    lines.push(`  ${sense}`);
  };
  for (let i = 0; i < nA; i++) {
    const t: string[] = [];
    for (let j = 0; j < nR; j++) if (allowed.has(`x_${i}_${j}`)) t.push(`+ x_${i}_${j}`);
    row(`paper_${i}`, t, `= ${k}`);
    if (opts.minForeign && opts.minForeign[i] > 0) {
      const f: string[] = [];
      for (let j = 0; j < nR; j++) if (opts.foreign![j] && allowed.has(`x_${i}_${j}`)) f.push(`+ x_${i}_${j}`);
      row(`foreign_${i}`, f, `>= ${opts.minForeign[i]}`);
    }
    if (opts.organisation) {
      const byOrg = new Map<string, string[]>();
      for (let j = 0; j < nR; j++) {
        const o = opts.organisation[j];
        if (o && allowed.has(`x_${i}_${j}`)) byOrg.set(o, [...(byOrg.get(o) ?? []), `+ x_${i}_${j}`]);
      }
      for (const [o, t2] of byOrg) if (t2.length > 1) row(`org_${i}_${o}`, t2, '<= 1');
    }
  }
  for (let j = 0; j < nR; j++) {
    const t: string[] = [];
    for (let i = 0; i < nA; i++) if (allowed.has(`x_${i}_${j}`)) t.push(`+ x_${i}_${j}`);
    row(`reviewer_${j}`, t, `<= ${L}`);
  }
  lines.push('Bounds');
  for (const v of vars) lines.push(` 0 <= ${v} <= 1`);
  if (opts.integer) {
    lines.push('General');
    for (let t = 0; t < vars.length; t += 8) lines.push(`  ${vars.slice(t, t + 8).join(' ')}`);
  }
  lines.push('End');
  return lines.join('\n');
}

function solveLp(text: string): { objective: number; fractional: number } {
  const r = highs.solve(text, {});
  expect(r.Status).toBe('Optimal');
  let fractional = 0;
  for (const col of Object.values(r.Columns)) {
    const x = (col as { Primal: number }).Primal;
    if (Math.abs(x - Math.round(x)) > 1e-6) fractional++;
  }
  return { objective: r.ObjectiveValue, fractional };
}

describe('solveAssignment against the TPMS / Taylor (2008) LP solved by HiGHS', () => {
  it('200 papers × 100 reviewers, k = 3, L = 8, 3 % conflicts: same objective; the LP optimum is integral', async () => {
    const { input } = instance(200, 100, 2008);
    const r = await solveAssignment({ ...input, perApplication: 3, maxLoad: 8 });
    expect(violations({ ...input, perApplication: 3, maxLoad: 8 }, r.assignments, r.missing)).toEqual([]);
    const lp = solveLp(lpText(input, 3, 8));
    expect(lp.fractional).toBe(0);
    expect(r.optimal).toBe(true);
    // The LP file carries affinities to 6 decimals, as the instance does (4): no rounding gap.
    expect(Math.abs(r.objective - lp.objective)).toBeLessThan(1e-6);
    expect(r.stats.rounds).toBeGreaterThanOrEqual(1);
  });

  it('with a tight load (L = 6, 600 slots for 600 needed) the objectives still agree', async () => {
    const { input } = instance(200, 100, 77);
    const r = await solveAssignment({ ...input, perApplication: 3, maxLoad: 6 });
    const lp = solveLp(lpText(input, 3, 6));
    expect(Math.abs(r.objective - lp.objective)).toBeLessThan(1e-6);
  });

  it('120 × 60 with a foreign minimum on every second paper and one reviewer per organisation (nested): same objective', async () => {
    const { input, foreign, organisation } = instance(120, 60, 4242, { foreignShare: 0.3, orgs: 12, nested: true });
    const minForeign = input.applications.map((_, i) => (i % 2 === 0 ? 1 : 0));
    const full = { ...input, perApplication: 3, maxLoad: 7, foreign, organisation, minForeign };
    const r = await solveAssignment(full);
    expect(r.stats.method).toBe('flow');
    expect(violations(full, r.assignments, r.missing)).toEqual([]);
    const lp = solveLp(lpText(input, 3, 7, { foreign, minForeign, organisation }));
    expect(lp.fractional).toBe(0);
    expect(Math.abs(r.objective - lp.objective)).toBeLessThan(1e-6);
  });

  it('40 × 25 with organisations mixing foreign and domestic reviewers: the flow relaxation plus HiGHS on the unfixed pairs equals HiGHS on every pair', async () => {
    const { input, foreign, organisation } = instance(40, 25, 9001, { foreignShare: 0.4, orgs: 6, nested: false });
    const minForeign = input.applications.map(() => 1);
    const full = { ...input, perApplication: 3, maxLoad: 6, foreign, organisation, minForeign, mipTimeLimitSeconds: 120 };
    const r = await solveAssignment(full);
    expect(r.stats.mixedOrganisations).toBeGreaterThan(0);
    expect(r.stats.method).toBe('flow+mip');
    expect(violations(full, r.assignments, r.missing)).toEqual([]);
    const mip = solveLp(lpText(input, 3, 6, { foreign, minForeign, organisation, integer: true }));
    expect(r.optimal).toBe(true);
    expect(Math.abs(r.objective - mip.objective)).toBeLessThan(1e-6);
  });
});
