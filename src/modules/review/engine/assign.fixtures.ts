/**
 * Test helpers for the assignment solver: an independent brute-force optimum for small cases and
 * a checker of every constraint. Neither uses the solver's code.
 */
import type { AssignmentInput } from './assign.ts';

/** Every allowed pair of the input as a dense matrix (NaN = not allowed). */
export function allowedMatrix(input: AssignmentInput): number[][] {
  const nA = input.applications.length;
  const nR = input.reviewers.length;
  const unlisted = (input.unlisted ?? 'zero') === 'zero' ? 0 : NaN;
  const m = Array.from({ length: nA }, () => Array.from({ length: nR }, () => unlisted));
  const { application, reviewer, affinity } = input.affinities;
  for (let e = 0; e < application.length; e++) m[application[e]][reviewer[e]] = affinity[e];
  const c = input.conflicts;
  if (c) for (let e = 0; e < c.application.length; e++) m[c.application[e]][c.reviewer[e]] = NaN;
  return m;
}

const quota = (input: AssignmentInput, i: number) => (typeof input.minForeign === 'number' ? input.minForeign : (input.minForeign?.[i] ?? 0));

/**
 * The best assignment by enumeration: every application takes a subset of its allowed reviewers
 * (exactly k, or — with `partial` — at most k, the foreign minimum reduced by the slots left
 * empty), loads ≤ L, one reviewer per organisation. Maximises (assigned count, total affinity)
 * with `partial`, the total affinity otherwise; null when nothing is feasible.
 */
export function bruteForce(input: AssignmentInput): { count: number; objective: number } | null {
  const nA = input.applications.length;
  const nR = input.reviewers.length;
  const k = input.perApplication ?? 3;
  const L = input.maxLoad ?? 8;
  const m = allowedMatrix(input);
  const orgOf = (j: number) => input.organisation?.[j] ?? null;
  const isForeign = (j: number) => Boolean(input.foreign?.[j]);
  // Subsets per application, with their affinity.
  const options: { members: number[]; value: number }[][] = [];
  for (let i = 0; i < nA; i++) {
    const allowed: number[] = [];
    for (let j = 0; j < nR; j++) if (!Number.isNaN(m[i][j])) allowed.push(j);
    const opts: { members: number[]; value: number }[] = [];
    const rec = (from: number, chosen: number[]) => {
      const size = chosen.length;
      const ok = input.partial ? size <= k : size === k;
      if (ok) {
        const orgs = chosen.map(orgOf).filter((o): o is string => o !== null && o.trim() !== '');
        const foreign = chosen.filter(isForeign).length;
        if (new Set(orgs).size === orgs.length && foreign >= Math.max(0, quota(input, i) - (k - size))) opts.push({ members: [...chosen], value: chosen.reduce((s, j) => s + m[i][j], 0) });
      }
      if (size === k) return;
      for (let t = from; t < allowed.length; t++) {
        chosen.push(allowed[t]);
        rec(t + 1, chosen);
        chosen.pop();
      }
    };
    rec(0, []);
    options.push(opts);
  }
  const load = new Array(nR).fill(0);
  let best: { count: number; objective: number } | null = null;
  const better = (c: number, o: number) => !best || c > best.count || (c === best.count && o > best.objective + 1e-12);
  const go = (i: number, count: number, value: number) => {
    if (i === nA) {
      if (better(count, value)) best = { count, objective: value };
      return;
    }
    for (const opt of options[i]) {
      if (opt.members.some((j) => load[j] >= L)) continue;
      for (const j of opt.members) load[j]++;
      go(i + 1, count + opt.members.length, value + opt.value);
      for (const j of opt.members) load[j]--;
    }
  };
  go(0, 0, 0);
  return best;
}

/** Every constraint the solver promises, checked on its answer; returns the broken ones. */
export function violations(input: AssignmentInput, pairs: { application: number; reviewer: number; affinity: number }[], missing: ArrayLike<number>): string[] {
  const out: string[] = [];
  const k = input.perApplication ?? 3;
  const L = input.maxLoad ?? 8;
  const m = allowedMatrix(input);
  const byApp = new Map<number, number[]>();
  const load = new Map<number, number>();
  const seen = new Set<string>();
  for (const p of pairs) {
    const key = `${p.application}/${p.reviewer}`;
    if (seen.has(key)) out.push(`pair ${key} twice`);
    seen.add(key);
    if (Number.isNaN(m[p.application][p.reviewer])) out.push(`pair ${key} not allowed`);
    else if (Math.abs(m[p.application][p.reviewer] - p.affinity) > 1e-12) out.push(`pair ${key} affinity ${p.affinity} ≠ ${m[p.application][p.reviewer]}`);
    byApp.set(p.application, [...(byApp.get(p.application) ?? []), p.reviewer]);
    load.set(p.reviewer, (load.get(p.reviewer) ?? 0) + 1);
  }
  for (const [j, n] of load) if (n > L) out.push(`reviewer ${j} load ${n} > ${L}`);
  for (let i = 0; i < input.applications.length; i++) {
    const rs = byApp.get(i) ?? [];
    if (rs.length + missing[i] !== k) out.push(`application ${i}: ${rs.length} assigned + ${missing[i]} missing ≠ ${k}`);
    if (!input.partial && missing[i] !== 0) out.push(`application ${i} missing ${missing[i]} without partial`);
    const orgs = rs.map((j) => input.organisation?.[j] ?? null).filter((o): o is string => o !== null && o.trim() !== '');
    if (new Set(orgs).size !== orgs.length) out.push(`application ${i}: two reviewers of one organisation`);
    const f = rs.filter((j) => input.foreign?.[j]).length;
    if (f < Math.max(0, quota(input, i) - missing[i])) out.push(`application ${i}: ${f} foreign < ${quota(input, i)} − ${missing[i]}`);
  }
  return out;
}
