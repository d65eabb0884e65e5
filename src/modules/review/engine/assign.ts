/**
 * The reviewer assignment solver: applications × reviewers with affinities, conflicts, k
 * reviewers per application, a load limit per reviewer, optionally at least F foreign reviewers
 * per application and at most one reviewer per organisation per application. It maximises the
 * total affinity exactly (not greedily) — or, with `partial`, first the number of assigned
 * reviewers and then the total affinity.
 *
 * Method (see README.md beside this file for the argument):
 *  - The problem is a minimum-cost flow: application supply → foreign / flexible hubs → one node
 *    per (application, organisation) with capacity 1 → reviewer → sink, reviewer arcs with
 *    capacity L. The foreign quota is the hub split (F units must leave through the foreign
 *    hub); the organisation rule is the capacity-1 node. Both fit one network when every
 *    organisation's reviewers are all foreign or all domestic ("nested" families); its
 *    constraint matrix is then a network matrix, so the flow optimum is the integer optimum.
 *  - The flow is solved on a sparse candidate set (each application's best reviewers) by
 *    successive shortest paths (`flow.ts`), and proved optimal on the full set by column
 *    generation: every excluded pair's reduced cost is checked against the node potentials;
 *    pairs that would improve the flow are added and the flow re-solved, until none remains.
 *    Then the potentials certify optimality for every pair, listed or not.
 *  - Overflow arcs with a large cost M from every application to the sink keep each sparse
 *    network feasible. With M above any affinity difference a unit can make, the optimum of
 *    the full network uses an overflow arc only when no assignment gives that application all
 *    its reviewers: infeasibility (or, with `partial`, the shortfall) is read off the optimum.
 *  - When some organisation mixes foreign and domestic reviewers (families not nested), the
 *    flow with that organisation split into its foreign and its domestic part is a relaxation.
 *    When its optimum breaks the organisation rule, the integer programme is solved by HiGHS on
 *    the candidate pairs, then once more with every pair that reduced-cost fixing against the
 *    relaxation cannot rule out: exact. A time limit stops HiGHS; the answer then says
 *    `optimal: false` and gives the relaxation's bound.
 */
import { AppError, type ErrorDetail } from '../../../errors.ts';
import { edgeFlow, FlowBuilder, solveFlow, type FlowGraph } from './flow.ts';
import { solveMip, type MipColumn, type MipModel, type MipRow } from './mip.ts';
import { mulberry32 } from './prng.ts';

/** Reviewers per application when the call does not say (the and NSFC's usual 3). */
export const DEFAULT_PER_APPLICATION = 3;
/** Applications per reviewer when the call does not say. */
export const DEFAULT_MAX_LOAD = 8;

/** Pairs as parallel index arrays (application index, reviewer index). */
export interface IndexPairs {
  application: ArrayLike<number>;
  reviewer: ArrayLike<number>;
}

/** What the solver is asked. Applications and reviewers are named by index into their lists. */
export interface AssignmentInput {
  /** Application ids (for messages and results). */
  applications: readonly string[];
  /** Reviewer ids. */
  reviewers: readonly string[];
  /** Listed affinities. A pair may be listed once. */
  affinities: IndexPairs & { affinity: ArrayLike<number> };
  /**
   * Pairs not listed: 'zero' (default) = affinity 0 and assignable, as OpenReview's matcher scores
   * a pair without a score; 'forbidden' = only listed pairs may be assigned.
   */
  unlisted?: 'zero' | 'forbidden';
  /** Pairs never assigned (conflicts of interest). */
  conflicts?: IndexPairs;
  /** k, reviewers per application (default 3). */
  perApplication?: number;
  /** L, applications per reviewer (default 8). */
  maxLoad?: number;
  /** Per reviewer: foreign (true) or domestic. Needed for minForeign > 0. */
  foreign?: ArrayLike<boolean> | null;
  /** Per reviewer: organisation id, or null for none. Given = at most one reviewer per organisation per application. */
  organisation?: readonly (string | null)[] | null;
  /**
   * F, at least this many foreign reviewers per application (default 0); one number for every
   * application, or one per application (international projects 1, others 0).
   */
  minForeign?: number | ArrayLike<number>;
  /** Assign as much as possible and report shortfalls instead of refusing (default false). */
  partial?: boolean;
  /**
   * NSFC-style random draw: for each application, `size` reviewers are drawn (seeded, uniformly)
   * from its `pool` best eligible reviewers, and the solver then chooses among the drawn only.
   */
  draw?: { pool: number; size: number; seed: number } | null;
  /** Time limit of the integer programme for organisations that mix foreign and domestic reviewers (default 300 s). */
  mipTimeLimitSeconds?: number;
  /** Reviewers per application in the first sparse network (default max(20, 4k)). */
  initialCandidates?: number;
}

/** One assigned pair. */
export interface Assignment {
  application: number;
  reviewer: number;
  affinity: number;
}

/** The solver's answer. */
export interface AssignmentResult {
  assignments: Assignment[];
  /** Total affinity of the assignments. */
  objective: number;
  /** Per application: reviewers short of k (all 0 unless `partial`). */
  missing: Int32Array;
  /**
   * True when the assignment is proved to maximise the total affinity over every allowed pair
   * (lexicographically after the number assigned, with `partial`). False with a random draw (the
   * optimum is then only over the drawn reviewers) or when branch and bound hit its node limit.
   */
  optimal: boolean;
  stats: AssignmentStats;
}

/** How the answer was found. */
export interface AssignmentStats {
  method: 'flow' | 'flow+mip';
  /** Column-generation rounds (flow solves), over all branch-and-bound nodes. */
  rounds: number;
  /** Pairs allowed (not in conflict, listed or unlisted-assignable, drawn). */
  allowedPairs: number;
  /** Pairs in the last sparse network. */
  candidatePairs: number;
  /** Shortest-path searches, over all solves. */
  searches: number;
  /** Integer programmes solved (0 when the flow alone is exact). */
  mipSolves: number;
  /** An upper bound on the objective (equal to it when optimal). */
  bound: number;
  /** Organisations whose reviewers are partly foreign, partly domestic. */
  mixedOrganisations: number;
}

/** A reason the constraints admit no complete assignment. */
export type InfeasibilityCode =
  | 'TOTAL_CAPACITY'
  | 'FOREIGN_CAPACITY'
  | 'TOO_FEW_ELIGIBLE'
  | 'TOO_FEW_FOREIGN'
  | 'TOO_FEW_ORGANISATIONS'
  | 'TOO_FEW_FOREIGN_ORGANISATIONS'
  | 'ORGANISATION_RULE'
  | 'FOREIGN_QUOTA'
  | 'LOAD_LIMIT';

/** One diagnosed reason, with the applications it concerns. */
export interface Infeasibility {
  code: InfeasibilityCode;
  message: string;
  message_en: string;
  applications?: string[];
  [key: string]: unknown;
}

const MAX_LISTED_APPS = 50;

// ---------------------------------------------------------------------------------------------
// Input checks and the per-application view of the pairs

function refuse(code: string, zh: string, en: string, details: ErrorDetail[] = []): AppError {
  return new AppError(code, 422, zh, en, details);
}

function positiveInt(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw refuse('ASSIGNMENT_PARAMETER_INVALID', `参数 ${name} 应为不小于 ${min} 的整数：${v}`, `${name} must be an integer ≥ ${min}: ${v}`, [{ field: name, value: v }]);
  return v;
}

/** Compressed rows: for application i, entries start[i] .. start[i+1]. */
interface Csr {
  start: Int32Array;
  col: Int32Array;
  val?: Float64Array;
}

function csrByApplication(nA: number, nR: number, pairs: IndexPairs, values: ArrayLike<number> | null, what: string): Csr {
  const m = pairs.application.length;
  if (pairs.reviewer.length !== m || (values && values.length !== m)) throw refuse('ASSIGNMENT_INPUT_INVALID', `${what}的各列长度不一致`, `The ${what} columns differ in length`);
  const start = new Int32Array(nA + 1);
  for (let e = 0; e < m; e++) {
    const i = pairs.application[e];
    const j = pairs.reviewer[e];
    if (!Number.isInteger(i) || i < 0 || i >= nA || !Number.isInteger(j) || j < 0 || j >= nR)
      throw refuse('ASSIGNMENT_INPUT_INVALID', `${what}第 ${e + 1} 项的申请或专家编号超出范围`, `Entry ${e + 1} of the ${what} names an application or reviewer out of range`);
    if (values && !Number.isFinite(values[e])) throw refuse('ASSIGNMENT_INPUT_INVALID', `${what}第 ${e + 1} 项的匹配度不是有限数值`, `Entry ${e + 1} of the ${what} has a non-finite affinity`);
    start[i + 1]++;
  }
  for (let i = 0; i < nA; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nA);
  const col = new Int32Array(m);
  const val = values ? new Float64Array(m) : undefined;
  for (let e = 0; e < m; e++) {
    const p = fill[pairs.application[e]]++;
    col[p] = pairs.reviewer[e];
    if (val && values) val[p] = values[e];
  }
  return { start, col, val };
}

/** Everything the solves share, derived once from the input. */
interface Problem {
  input: AssignmentInput;
  nA: number;
  nR: number;
  k: number;
  L: number;
  /** Foreign minimum per application, and its largest value. */
  Fi: Int32Array;
  F: number;
  partial: boolean;
  listed: Csr;
  conflicts: Csr;
  unlistedZero: boolean;
  /** Drawn reviewers per application (null = no draw). */
  drawn: Csr | null;
  isForeign: Uint8Array;
  /** Organisation index per reviewer (−1: none or the rule is off). */
  org: Int32Array;
  orgNames: string[];
  /** Organisation has foreign and domestic reviewers. */
  mixed: Uint8Array;
  /** Flow groups: 2 per organisation (see groupOf). */
  nGroups: number;
  /** Big cost of an unassigned unit. */
  M: number;
  tol: number;
  maxAbs: number;
  /** A reviewer-length scratch row. */
  scratch: Float64Array;
}

function prepare(input: AssignmentInput): Problem {
  const nA = input.applications.length;
  const nR = input.reviewers.length;
  const k = positiveInt('perApplication', input.perApplication ?? DEFAULT_PER_APPLICATION, 1);
  const L = positiveInt('maxLoad', input.maxLoad ?? DEFAULT_MAX_LOAD, 1);
  const mf = input.minForeign ?? 0;
  if (typeof mf !== 'number' && mf.length !== nA) throw refuse('ASSIGNMENT_INPUT_INVALID', '外籍专家下限的数量与申请数不一致', 'The foreign minimums do not match the applications');
  const Fi = new Int32Array(nA);
  for (let i = 0; i < nA; i++) Fi[i] = positiveInt('minForeign', typeof mf === 'number' ? mf : mf[i], 0);
  let F = 0;
  for (let i = 0; i < nA; i++) F = Math.max(F, Fi[i]);
  if (F > k) throw refuse('ASSIGNMENT_PARAMETER_INVALID', `外籍专家下限（${F}）不能超过每项申请的专家数（${k}）`, `The foreign minimum (${F}) cannot exceed the reviewers per application (${k})`, [{ field: 'minForeign', value: F }]);
  if (F > 0 && !input.foreign) throw refuse('ASSIGNMENT_PARAMETER_INVALID', '要求外籍专家下限时须给出每位专家是否外籍', 'A foreign minimum needs each reviewer’s foreign flag', [{ field: 'foreign' }]);
  if (input.foreign && input.foreign.length !== nR) throw refuse('ASSIGNMENT_INPUT_INVALID', '外籍标记的数量与专家数不一致', 'The foreign flags do not match the reviewers');
  if (input.organisation && input.organisation.length !== nR) throw refuse('ASSIGNMENT_INPUT_INVALID', '所属机构的数量与专家数不一致', 'The organisations do not match the reviewers');

  const listed = csrByApplication(nA, nR, input.affinities, input.affinities.affinity, '匹配度表 / affinity list');
  const conflicts = csrByApplication(nA, nR, input.conflicts ?? { application: [], reviewer: [] }, null, '回避表 / conflict list');
  // A pair listed twice is ambiguous: refuse it (the CLI reports the rows first).
  const seen = new Int32Array(nR).fill(-1);
  for (let i = 0; i < nA; i++) {
    for (let p = listed.start[i]; p < listed.start[i + 1]; p++) {
      const j = listed.col[p];
      if (seen[j] === i)
        throw refuse('ASSIGNMENT_DUPLICATE_PAIR', `申请 ${input.applications[i]} 与专家 ${input.reviewers[j]} 的匹配度重复`, `The affinity of application ${input.applications[i]} and reviewer ${input.reviewers[j]} is given twice`, [{ application: input.applications[i], reviewer: input.reviewers[j] }]);
      seen[j] = i;
    }
  }
  let maxAbs = 0;
  const aff = listed.val!;
  for (let p = 0; p < aff.length; p++) maxAbs = Math.max(maxAbs, Math.abs(aff[p]));

  const isForeign = new Uint8Array(nR);
  if (input.foreign) for (let j = 0; j < nR; j++) isForeign[j] = input.foreign[j] ? 1 : 0;
  const org = new Int32Array(nR).fill(-1);
  const orgNames: string[] = [];
  if (input.organisation) {
    const index = new Map<string, number>();
    for (let j = 0; j < nR; j++) {
      const o = input.organisation[j];
      if (o === null || o === undefined || o.trim() === '') continue;
      let id = index.get(o);
      if (id === undefined) {
        id = orgNames.length;
        index.set(o, id);
        orgNames.push(o);
      }
      org[j] = id;
    }
  }
  const hasF = new Uint8Array(orgNames.length);
  const hasD = new Uint8Array(orgNames.length);
  for (let j = 0; j < nR; j++) if (org[j] >= 0) (isForeign[j] ? hasF : hasD)[org[j]] = 1;
  const mixed = new Uint8Array(orgNames.length);
  for (let o = 0; o < orgNames.length; o++) mixed[o] = hasF[o] && hasD[o] ? 1 : 0;
  const nGroups = 2 * orgNames.length;

  const unlistedZero = (input.unlisted ?? 'zero') === 'zero';
  // Above any change of total affinity one more assigned reviewer can cost (see the file comment).
  const M = (2 * nA * k + 1) * Math.max(maxAbs, 1) + 1;
  const problem: Problem = {
    input,
    nA,
    nR,
    k,
    L,
    Fi,
    F,
    partial: input.partial ?? false,
    listed,
    conflicts,
    unlistedZero,
    drawn: null,
    isForeign,
    org,
    orgNames,
    mixed,
    nGroups,
    M,
    tol: 1e-9 * (1 + maxAbs),
    maxAbs,
    scratch: new Float64Array(nR),
  };
  if (input.draw) problem.drawn = drawPools(problem, input.draw);
  return problem;
}

/**
 * The flow group of reviewer j on application i (−1: no organisation rule for j): its
 * organisation, or — for an application with a foreign minimum and a mixed organisation — the
 * organisation's foreign or domestic part (a relaxation: see solveByMip).
 */
function groupOf(P: Problem, i: number, j: number): number {
  const o = P.org[j];
  if (o < 0) return -1;
  return 2 * o + (P.Fi[i] > 0 && P.mixed[o] ? P.isForeign[j] : 0);
}

/** The hub reviewer j hangs from on application i: the foreign hub when i has a foreign minimum. */
const usesForeignHub = (P: Problem, i: number, j: number): boolean => P.Fi[i] > 0 && P.isForeign[j] === 1;

/**
 * Fills `row` with application i's affinity to every reviewer, NaN where the pair may not be
 * assigned (conflict, unlisted when unlisted pairs are forbidden, or not drawn).
 */
function fillRow(P: Problem, i: number, row: Float64Array): void {
  row.fill(P.unlistedZero ? 0 : NaN);
  const { start, col, val } = P.listed;
  for (let p = start[i]; p < start[i + 1]; p++) row[col[p]] = val![p];
  for (let p = P.conflicts.start[i]; p < P.conflicts.start[i + 1]; p++) row[P.conflicts.col[p]] = NaN;
  if (P.drawn) {
    const keep = P.scratch;
    keep.fill(NaN);
    for (let p = P.drawn.start[i]; p < P.drawn.start[i + 1]; p++) keep[P.drawn.col[p]] = row[P.drawn.col[p]];
    row.set(keep);
  }
}

/**
 * The `count` best reviewers of a row (finite entries only, `keep` filters), in decreasing
 * affinity, ties by index. Finds the cut-off with a native sort of the values, then sorts only
 * the few above it.
 */
function best(row: Float64Array, count: number, keep?: (j: number) => boolean): number[] {
  const values: number[] = [];
  for (let j = 0; j < row.length; j++) if (!Number.isNaN(row[j]) && (!keep || keep(j))) values.push(row[j]);
  if (!values.length || count <= 0) return [];
  const sorted = Float64Array.from(values).sort();
  const cut = sorted[Math.max(0, sorted.length - count)];
  const out: number[] = [];
  for (let j = 0; j < row.length; j++) if (!Number.isNaN(row[j]) && row[j] >= cut && (!keep || keep(j))) out.push(j);
  out.sort((a, b) => row[b] - row[a] || a - b);
  return out.slice(0, count);
}

function drawPools(P: Problem, draw: { pool: number; size: number; seed: number }): Csr {
  positiveInt('draw.pool', draw.pool, 1);
  positiveInt('draw.size', draw.size, 1);
  const rand = mulberry32(draw.seed);
  const row = new Float64Array(P.nR);
  const start = new Int32Array(P.nA + 1);
  const cols: number[] = [];
  const saved = P.drawn;
  P.drawn = null;
  for (let i = 0; i < P.nA; i++) {
    fillRow(P, i, row);
    const pool = best(row, draw.pool);
    // Partial Fisher–Yates: the first `size` of a uniform shuffle.
    const take = Math.min(draw.size, pool.length);
    for (let t = 0; t < take; t++) {
      const r = t + Math.floor(rand() * (pool.length - t));
      [pool[t], pool[r]] = [pool[r], pool[t]];
    }
    const chosen = pool.slice(0, take).sort((a, b) => a - b);
    cols.push(...chosen);
    start[i + 1] = cols.length;
  }
  P.drawn = saved;
  return { start, col: Int32Array.from(cols) };
}

// ---------------------------------------------------------------------------------------------
// The flow on the allowed pairs, by column generation

interface Relaxation {
  /** Reviewer per assigned slot. */
  assignments: Assignment[];
  missing: Int32Array;
  objective: number;
  /** objective − M × missing: what the solves compare. */
  score: number;
  candidates: number[][];
  rounds: number;
  searches: number;
  candidatePairs: number;
  /** The last round's network and potentials (for pricing). */
  solved: Solved;
}

interface BuiltNetwork {
  graph: FlowGraph;
  hubX: Int32Array;
  hubF: Int32Array;
  sink: number;
  reviewerNode: Int32Array;
  /** Per candidate pair (flattened in candidate order): its edge and the node it leaves from. */
  pairEdge: Int32Array;
  pairApp: Int32Array;
  pairRev: Int32Array;
  pairAff: Float64Array;
  slackX: Int32Array;
  slackF: Int32Array;
  /** (application, group) nodes: key app * nGroups + group → node. */
  groupNode: Map<number, number>;
}

function buildNetwork(P: Problem, candidates: number[][], affOf: (i: number, j: number) => number): BuiltNetwork {
  const { nA, nR, k, L, M, Fi } = P;
  const b = new FlowBuilder();
  const hubX = new Int32Array(nA);
  const hubF = new Int32Array(nA).fill(-1);
  const slackX = new Int32Array(nA).fill(-1);
  const slackF = new Int32Array(nA).fill(-1);
  for (let i = 0; i < nA; i++) {
    hubX[i] = b.node(k - Fi[i]);
    if (Fi[i] > 0) hubF[i] = b.node(Fi[i]);
  }
  const reviewerNode = new Int32Array(nR);
  for (let j = 0; j < nR; j++) reviewerNode[j] = b.node(0);
  const sink = b.node(-nA * k);
  for (let i = 0; i < nA; i++) {
    const flex = k - Fi[i];
    if (Fi[i] > 0 && flex > 0) b.arc(hubX[i], hubF[i], flex, 0);
    if (flex > 0) slackX[i] = b.arc(hubX[i], sink, flex, M);
    if (Fi[i] > 0) slackF[i] = b.arc(hubF[i], sink, Fi[i], M);
  }
  const pairEdge: number[] = [];
  const pairApp: number[] = [];
  const pairRev: number[] = [];
  const pairAff: number[] = [];
  const groupNode = new Map<number, number>();
  const count = new Int32Array(Math.max(P.nGroups, 1));
  for (let i = 0; i < nA; i++) {
    const cand = candidates[i];
    for (const j of cand) {
      const g = groupOf(P, i, j);
      if (g >= 0) count[g]++;
    }
    for (const j of cand) {
      const hub = usesForeignHub(P, i, j) ? hubF[i] : hubX[i];
      const g = groupOf(P, i, j);
      let from = hub;
      if (g >= 0 && count[g] >= 2) {
        const key = i * P.nGroups + g;
        let node = groupNode.get(key);
        if (node === undefined) {
          node = b.node(0);
          groupNode.set(key, node);
          b.arc(hub, node, 1, 0);
        }
        from = node;
      }
      const a = affOf(i, j);
      pairEdge.push(b.arc(from, reviewerNode[j], 1, -a));
      pairApp.push(i);
      pairRev.push(j);
      pairAff.push(a);
    }
    for (const j of cand) {
      const g = groupOf(P, i, j);
      if (g >= 0) count[g] = 0;
    }
  }
  for (let j = 0; j < nR; j++) b.arc(reviewerNode[j], sink, L, 0);
  return {
    graph: b.build(),
    hubX,
    hubF,
    sink,
    reviewerNode,
    pairEdge: Int32Array.from(pairEdge),
    pairApp: Int32Array.from(pairApp),
    pairRev: Int32Array.from(pairRev),
    pairAff: Float64Array.from(pairAff),
    slackX,
    slackF,
    groupNode,
  };
}

function initialCandidates(P: Problem, T: number): number[][] {
  const row = new Float64Array(P.nR);
  const out: number[][] = [];
  for (let i = 0; i < P.nA; i++) {
    fillRow(P, i, row);
    const chosen = best(row, T);
    const foreignWanted = P.Fi[i] > 0 ? Math.max(2 * P.Fi[i] + 2, 6) : 0;
    if (foreignWanted) {
      const have = new Set(chosen);
      let got = chosen.filter((j) => P.isForeign[j]).length;
      for (const j of best(row, foreignWanted + T, (x) => P.isForeign[x] === 1)) {
        if (got >= foreignWanted) break;
        if (have.has(j)) continue;
        chosen.push(j);
        got++;
      }
    }
    out.push(chosen);
  }
  return out;
}

/** The network of a solved round, what pricing needs. */
interface Solved {
  net: BuiltNetwork;
  pot: Float64Array;
  flowOfPair: Uint8Array;
}

/**
 * Pricing: calls `visit(i, j, by)` for every allowed pair outside the network whose reduced
 * cost is negative by `by` > −slack (by > 0: adding the pair would improve the flow; −by is the
 * least loss of objective any solution using the pair has against the relaxation's optimum).
 * The pair's tail would be its (application, group) node, or the hub when that node is not in
 * the network; a group with one candidate pair has no node, and the bound its potential would
 * have to respect follows from that pair's arc (README.md, "Pricing").
 */
function pricePairs(P: Problem, candidates: number[][], s: Solved, slack: number, visit: (i: number, j: number, by: number) => void): void {
  const { net, pot, flowOfPair } = s;
  const row = new Float64Array(P.nR);
  const inCand = new Int32Array(P.nR).fill(-1);
  const bound = new Float64Array(Math.max(P.nGroups, 1)).fill(NaN);
  const groupSize = new Int32Array(Math.max(P.nGroups, 1));
  let t0 = 0;
  for (let i = 0; i < P.nA; i++) {
    const cand = candidates[i];
    fillRow(P, i, row);
    const potX = pot[net.hubX[i]];
    const potF = net.hubF[i] >= 0 ? pot[net.hubF[i]] : potX;
    for (const j of cand) {
      inCand[j] = i;
      const gr = groupOf(P, i, j);
      if (gr >= 0) groupSize[gr]++;
    }
    for (let c = 0; c < cand.length; c++) {
      const j = cand[c];
      const gr = groupOf(P, i, j);
      if (gr < 0) continue;
      if (groupSize[gr] >= 2) bound[gr] = pot[net.groupNode.get(i * P.nGroups + gr)!];
      else bound[gr] = flowOfPair[t0 + c] ? pot[net.reviewerNode[j]] + row[j] : usesForeignHub(P, i, j) ? potF : potX;
    }
    for (let j = 0; j < P.nR; j++) {
      const a = row[j];
      if (Number.isNaN(a) || inCand[j] === i) continue;
      const gr = groupOf(P, i, j);
      const b = gr >= 0 && !Number.isNaN(bound[gr]) ? bound[gr] : usesForeignHub(P, i, j) ? potF : potX;
      const by = a + pot[net.reviewerNode[j]] - b;
      if (by > -slack) visit(i, j, by);
    }
    for (const j of cand) {
      const gr = groupOf(P, i, j);
      if (gr >= 0) {
        groupSize[gr] = 0;
        bound[gr] = NaN;
      }
    }
    t0 += cand.length;
  }
}

function solveRelaxation(P: Problem, start: number[][]): Relaxation {
  const candidates = start.map((c) => [...c]);
  const row = new Float64Array(P.nR);
  const affCache = new Map<number, number>();
  const order: number[] = [];
  let rounds = 0;
  let searches = 0;
  // Pairs added per application and round: more means fewer rounds and a larger network.
  const perRound = Math.max(2 * P.k, 20);
  for (;;) {
    rounds++;
    affCache.clear();
    for (let i = 0; i < P.nA; i++) {
      fillRow(P, i, row);
      for (const j of candidates[i]) affCache.set(i * P.nR + j, row[j]);
    }
    const net = buildNetwork(P, candidates, (i, j) => affCache.get(i * P.nR + j)!);
    // Each round is solved afresh: carrying the last flow over and repairing it from the added
    // arcs was tried (exact, but its repair searches start at reviewers and cost more than a
    // fresh solve on the bench call).
    order.length = 0;
    for (let i = 0; i < P.nA; i++) {
      if (net.hubF[i] >= 0) order.push(net.hubF[i]);
      order.push(net.hubX[i]);
    }
    const out = solveFlow(net.graph, undefined, order);
    searches += out.searches;
    if (out.unrouted > 0) throw new Error('assignment flow left supply unrouted despite overflow arcs');
    const g = net.graph;
    const flowOfPair = new Uint8Array(net.pairEdge.length);
    for (let t = 0; t < net.pairEdge.length; t++) flowOfPair[t] = edgeFlow(g, net.pairEdge[t]);
    const solved: Solved = { net, pot: out.potentials, flowOfPair };
    // Column generation: add each application's most violated pairs, re-solve, until none.
    const viol = new Map<number, { j: number; by: number }[]>();
    pricePairs(P, candidates, solved, -P.tol, (i, j, by) => {
      let list = viol.get(i);
      if (!list) viol.set(i, (list = []));
      list.push({ j, by });
    });
    for (const [i, list] of viol) {
      list.sort((x, y) => y.by - x.by);
      for (const v of list.slice(0, perRound)) candidates[i].push(v.j);
    }
    if (viol.size === 0) {
      const missing = new Int32Array(P.nA);
      for (let i = 0; i < P.nA; i++) {
        if (net.slackX[i] >= 0) missing[i] += edgeFlow(g, net.slackX[i]);
        if (net.slackF[i] >= 0) missing[i] += edgeFlow(g, net.slackF[i]);
      }
      const assignments: Assignment[] = [];
      let objective = 0;
      for (let t = 0; t < net.pairEdge.length; t++) {
        if (flowOfPair[t]) {
          assignments.push({ application: net.pairApp[t], reviewer: net.pairRev[t], affinity: net.pairAff[t] });
          objective += net.pairAff[t];
        }
      }
      let short = 0;
      for (let i = 0; i < P.nA; i++) short += missing[i];
      return { assignments, missing, objective, score: objective - P.M * short, candidates, rounds, searches, candidatePairs: net.pairEdge.length, solved };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Organisations mixing foreign and domestic reviewers: an integer programme on the pairs that
// reduced-cost fixing cannot rule out

/** An application with two reviewers from one (mixed) organisation, if any. */
function orgViolation(P: Problem, r: Relaxation): { app: number; org: number } | null {
  const seen = new Set<number>();
  for (const a of r.assignments) {
    const o = P.org[a.reviewer];
    if (o < 0) continue;
    const key = a.application * P.orgNames.length + o;
    if (seen.has(key)) return { app: a.application, org: o };
    seen.add(key);
  }
  return null;
}

/** The assignment problem on the given pairs as an integer programme (slack s_i with cost M). */
function mipModel(P: Problem, pairs: number[][]): MipModel {
  const row = new Float64Array(P.nR);
  const columns: MipColumn[] = [];
  const rows: MipRow[] = [];
  const revRows: number[][] = Array.from({ length: P.nR }, () => []);
  for (let i = 0; i < P.nA; i++) {
    fillRow(P, i, row);
    const appRow: number[] = [];
    const foreignRow: number[] = [];
    const byOrg = new Map<number, number[]>();
    for (const j of pairs[i]) {
      const c = columns.length;
      columns.push({ name: `x${c}`, objective: row[j], upper: 1, application: i, reviewer: j });
      appRow.push(c);
      revRows[j].push(c);
      if (P.isForeign[j]) foreignRow.push(c);
      const o = P.org[j];
      if (o >= 0) byOrg.set(o, [...(byOrg.get(o) ?? []), c]);
    }
    const sc = columns.length;
    columns.push({ name: `s${i}`, objective: -P.M, upper: P.k, application: i, reviewer: -1 });
    rows.push({ columns: [...appRow, sc], sense: '=', rhs: P.k });
    if (P.Fi[i] > 0) rows.push({ columns: [...foreignRow, sc], sense: '>=', rhs: P.Fi[i] });
    for (const cols of byOrg.values()) if (cols.length > 1) rows.push({ columns: cols, sense: '<=', rhs: 1 });
  }
  for (const cols of revRows) if (cols.length > P.L) rows.push({ columns: cols, sense: '<=', rhs: P.L });
  return { columns, rows };
}

async function solveByMip(P: Problem, root: Relaxation): Promise<{ r: Relaxation; optimal: boolean; bound: number; mipSolves: number; mipPairs: number }> {
  const timeLimit = P.input.mipTimeLimitSeconds ?? 300;
  const run = async (pairs: number[][]) => {
    const model = mipModel(P, pairs);
    const out = await solveMip(model, timeLimit);
    const assignments: Assignment[] = [];
    const missing = new Int32Array(P.nA);
    let objective = 0;
    model.columns.forEach((c, t) => {
      const v = Math.round(out.values[t]);
      if (c.reviewer < 0) missing[c.application] += v;
      else if (v === 1) {
        assignments.push({ application: c.application, reviewer: c.reviewer, affinity: c.objective });
        objective += c.objective;
      }
    });
    const short = missing.reduce((x, y) => x + y, 0);
    const r: Relaxation = { ...root, assignments, missing, objective, score: objective - P.M * short, candidatePairs: model.columns.length - P.nA };
    return { r, proved: out.optimal, pairs: model.columns.length - P.nA };
  };
  const first = await run(root.candidates);
  // Reduced-cost fixing: a pair outside the candidates costs at least −by against the
  // relaxation's optimum, so it can appear in a better answer only if −by < root − first.
  const gap = root.score - first.r.score;
  const extra = root.candidates.map((c) => [...c]);
  let added = 0;
  pricePairs(P, root.candidates, root.solved, gap + P.tol, (i, j) => {
    extra[i].push(j);
    added++;
  });
  // Without a proof the flow relaxation's optimum is the bound.
  if (added === 0) return { r: first.r, optimal: first.proved, bound: first.proved ? first.r.score : root.score, mipSolves: 1, mipPairs: first.pairs };
  const second = await run(extra);
  const best = second.r.score >= first.r.score ? second : first;
  return { r: best.r, optimal: second.proved, bound: second.proved ? best.r.score : root.score, mipSolves: 2, mipPairs: second.pairs };
}

// ---------------------------------------------------------------------------------------------
// Diagnosis

const listApps = (P: Problem, apps: number[]) => apps.slice(0, MAX_LISTED_APPS).map((i) => P.input.applications[i]);
const more = (n: number) => (n > MAX_LISTED_APPS ? ` 等 ${n} 项` : '');
const moreEn = (n: number) => (n > MAX_LISTED_APPS ? ` and others (${n} in all)` : '');

/**
 * Reasons visible without solving: total capacity, and applications with too few eligible
 * reviewers, foreign reviewers or organisations. Empty when none applies (the problem may still
 * be infeasible through the load limit: the solver finds that).
 */
function structuralReasons(P: Problem): Infeasibility[] {
  const { nA, nR, k, L, Fi } = P;
  const out: Infeasibility[] = [];
  const row = new Float64Array(nR);
  const usable = new Uint8Array(nR);
  const tooFew: number[] = [];
  const tooFewForeign: number[] = [];
  const tooFewOrgs: number[] = [];
  const tooFewForeignOrgs: number[] = [];
  const orgSeen = new Int32Array(P.orgNames.length).fill(-1);
  const foreignOrgSeen = new Int32Array(P.orgNames.length).fill(-1);
  let quotaSum = 0;
  for (let i = 0; i < nA; i++) {
    fillRow(P, i, row);
    quotaSum += Fi[i];
    let eligible = 0;
    let foreign = 0;
    let distinct = 0;
    let distinctForeign = 0;
    for (let j = 0; j < nR; j++) {
      if (Number.isNaN(row[j])) continue;
      usable[j] = 1;
      eligible++;
      const o = P.org[j];
      if (P.isForeign[j]) {
        foreign++;
        if (o < 0) distinctForeign++;
        else if (foreignOrgSeen[o] !== i) {
          foreignOrgSeen[o] = i;
          distinctForeign++;
        }
      }
      if (o < 0) distinct++;
      else if (orgSeen[o] !== i) {
        orgSeen[o] = i;
        distinct++;
      }
    }
    if (eligible < k) tooFew.push(i);
    else if (foreign < Fi[i]) tooFewForeign.push(i);
    else if (P.orgNames.length && distinct < k) tooFewOrgs.push(i);
    else if (P.orgNames.length && distinctForeign < Fi[i]) tooFewForeignOrgs.push(i);
  }
  let reviewers = 0;
  let foreignReviewers = 0;
  for (let j = 0; j < nR; j++)
    if (usable[j]) {
      reviewers++;
      if (P.isForeign[j]) foreignReviewers++;
    }
  if (reviewers * L < nA * k)
    out.push({
      code: 'TOTAL_CAPACITY',
      message: `专家总容量不足：${reviewers} 位可用专家 × 每人上限 ${L} = ${reviewers * L}，少于 ${nA} 项申请 × 每项 ${k} 位 = ${nA * k}（每人上限至少应为 ${Math.ceil((nA * k) / Math.max(reviewers, 1))}）`,
      message_en: `Not enough reviewer capacity: ${reviewers} usable reviewers × load limit ${L} = ${reviewers * L}, fewer than ${nA} applications × ${k} reviewers = ${nA * k} (the load limit would have to be at least ${Math.ceil((nA * k) / Math.max(reviewers, 1))})`,
      available: reviewers * L,
      needed: nA * k,
    });
  if (quotaSum > 0 && foreignReviewers * L < quotaSum)
    out.push({
      code: 'FOREIGN_CAPACITY',
      message: `外籍专家容量不足：${foreignReviewers} 位外籍专家 × 每人上限 ${L} = ${foreignReviewers * L}，少于各申请外籍专家下限之和 ${quotaSum}`,
      message_en: `Not enough foreign reviewer capacity: ${foreignReviewers} foreign reviewers × load limit ${L} = ${foreignReviewers * L}, fewer than the applications’ foreign minimums in all, ${quotaSum}`,
      available: foreignReviewers * L,
      needed: quotaSum,
    });
  const perApp = (code: InfeasibilityCode, apps: number[], zh: string, en: string) => {
    if (!apps.length) return;
    const names = listApps(P, apps);
    out.push({ code, message: `${zh}：${names.join('、')}${more(apps.length)}`, message_en: `${en}: ${names.join(', ')}${moreEn(apps.length)}`, applications: names, count: apps.length });
  };
  perApp('TOO_FEW_ELIGIBLE', tooFew, `以下申请可选的无回避专家少于 ${k} 位`, `These applications have fewer than ${k} eligible reviewers without a conflict`);
  perApp('TOO_FEW_FOREIGN', tooFewForeign, '以下申请可选的外籍专家少于其外籍专家下限', 'These applications have fewer eligible foreign reviewers than their foreign minimum');
  perApp('TOO_FEW_ORGANISATIONS', tooFewOrgs, `以下申请的可选专家来自不足 ${k} 个机构（同一机构至多一位）`, `The eligible reviewers of these applications come from fewer than ${k} organisations (at most one per organisation)`);
  perApp('TOO_FEW_FOREIGN_ORGANISATIONS', tooFewForeignOrgs, '以下申请的外籍专家所在机构少于其外籍专家下限（同一机构至多一位）', 'The foreign reviewers of these applications come from fewer organisations than their foreign minimum (at most one per organisation)');
  return out;
}

/** The solved shortfall, attributed by re-solving without the organisation rule / the quota. */
async function loadReasons(P: Problem, r: { missing: Int32Array }): Promise<Infeasibility[]> {
  const short: number[] = [];
  let total = 0;
  for (let i = 0; i < P.nA; i++)
    if (r.missing[i] > 0) {
      short.push(i);
      total += r.missing[i];
    }
  const names = listApps(P, short);
  const assigned = P.nA * P.k - total;
  const base = { applications: names, count: short.length, assignable: assigned, needed: P.nA * P.k };
  const feasibleWithout = async (change: Partial<AssignmentInput>): Promise<boolean> => {
    const res = await solveProblem(prepare({ ...P.input, ...change, partial: true }));
    return res.missing.every((m) => m === 0);
  };
  const freedByOrg = P.orgNames.length > 0 && (await feasibleWithout({ organisation: null }));
  const freedByQuota = P.F > 0 && (await feasibleWithout({ minForeign: 0 }));
  const list = `${names.join('、')}${more(short.length)}`;
  const listEn = `${names.join(', ')}${moreEn(short.length)}`;
  const out: Infeasibility[] = [];
  if (freedByOrg)
    out.push({ code: 'ORGANISATION_RULE', message: `“同一机构至多一位专家”的规定使以下申请无法配齐 ${P.k} 位专家（取消该规定即可行）：${list}`, message_en: `The rule of at most one reviewer per organisation leaves these applications short of ${P.k} reviewers (feasible without it): ${listEn}`, ...base });
  if (freedByQuota)
    out.push({ code: 'FOREIGN_QUOTA', message: `外籍专家下限使以下申请无法配齐 ${P.k} 位专家（取消下限即可行）：${list}`, message_en: `The foreign minimum leaves these applications short of ${P.k} reviewers (feasible without it): ${listEn}`, ...base });
  if (!freedByOrg && !freedByQuota)
    out.push({
      code: 'LOAD_LIMIT',
      message: `在每位专家至多 ${P.L} 项的上限下，至多能分配 ${assigned} 人次，少于所需的 ${P.nA * P.k} 人次；以下申请的可选专家已被其他申请占满：${list}`,
      message_en: `With at most ${P.L} applications per reviewer, at most ${assigned} of the ${P.nA * P.k} review slots can be filled; the eligible reviewers of these applications are taken by others: ${listEn}`,
      ...base,
    });
  return out;
}

function infeasible(reasons: Infeasibility[]): AppError {
  const first = reasons[0];
  return new AppError('ASSIGNMENT_INFEASIBLE', 422, `无可行的专家分配：${first.message}`, `No feasible reviewer assignment: ${first.message_en}`, reasons as ErrorDetail[]);
}

// ---------------------------------------------------------------------------------------------
// Entry points

async function solveProblem(P: Problem): Promise<AssignmentResult> {
  const T = P.input.initialCandidates ?? Math.max(20, 4 * P.k);
  const root = solveRelaxation(P, initialCandidates(P, T));
  let mixedCount = 0;
  for (const m of P.mixed) mixedCount += m;
  let r = root;
  let optimal = !P.drawn;
  let bound = root.score;
  let mipSolves = 0;
  let candidatePairs = root.candidatePairs;
  // The flow is exact unless a mixed organisation was split and its optimum uses both parts.
  if (P.F > 0 && mixedCount > 0 && orgViolation(P, root)) {
    const m = await solveByMip(P, root);
    r = m.r;
    bound = m.bound;
    mipSolves = m.mipSolves;
    candidatePairs = m.mipPairs;
    if (!m.optimal) optimal = false;
  }
  const shortfall = r.missing.reduce((s, m) => s + m, 0);
  let allowedPairs = 0;
  const row = new Float64Array(P.nR);
  for (let i = 0; i < P.nA; i++) {
    fillRow(P, i, row);
    for (let j = 0; j < P.nR; j++) if (!Number.isNaN(row[j])) allowedPairs++;
  }
  const assignments = [...r.assignments].sort((a, b) => a.application - b.application || b.affinity - a.affinity || a.reviewer - b.reviewer);
  return {
    assignments,
    objective: r.objective,
    missing: r.missing,
    optimal,
    stats: {
      method: mipSolves ? 'flow+mip' : 'flow',
      rounds: root.rounds,
      allowedPairs,
      candidatePairs,
      searches: root.searches,
      mipSolves,
      bound: bound + P.M * shortfall,
      mixedOrganisations: mixedCount,
    },
  };
}

/**
 * Solves the assignment exactly (see the file comment). Refuses with ASSIGNMENT_INFEASIBLE (422)
 * and every diagnosed reason in `details` when no complete assignment exists and `partial` is
 * not set; ASSIGNMENT_PARAMETER_INVALID / ASSIGNMENT_INPUT_INVALID / ASSIGNMENT_DUPLICATE_PAIR
 * for bad input. Asynchronous only because the integer programme (mixed organisations) loads
 * HiGHS's WebAssembly module on first use.
 */
export async function solveAssignment(input: AssignmentInput): Promise<AssignmentResult> {
  const P = prepare(input);
  if (!P.partial) {
    const reasons = structuralReasons(P);
    if (reasons.length) throw infeasible(reasons);
  }
  const res = await solveProblem(P);
  if (!P.partial && res.missing.some((m) => m > 0)) throw infeasible(await loadReasons(P, res));
  return res;
}

/**
 * The greedy baseline: pairs in decreasing affinity, each taken when its application still needs
 * a reviewer, the reviewer is under the load limit, the organisation is not yet on the
 * application, and the foreign quota can still be met (once the open slots equal the foreign
 * reviewers still needed, only foreign reviewers are taken). Fast, not optimal; slots it cannot
 * fill stay empty (`missing`).
 */
export function greedyAssignment(input: AssignmentInput): { assignments: Assignment[]; objective: number; missing: Int32Array } {
  const P = prepare({ ...input, draw: null });
  const { nA, nR, k, L, F } = P;
  const row = new Float64Array(nR);
  let n = 0;
  for (let i = 0; i < nA; i++) {
    fillRow(P, i, row);
    for (let j = 0; j < nR; j++) if (!Number.isNaN(row[j])) n++;
  }
  const keyAff = new Float64Array(n);
  const keyPair = new Int32Array(n);
  const pairApp = new Int32Array(n);
  const pairRev = new Int32Array(n);
  n = 0;
  for (let i = 0; i < nA; i++) {
    fillRow(P, i, row);
    for (let j = 0; j < nR; j++)
      if (!Number.isNaN(row[j])) {
        keyAff[n] = row[j];
        pairApp[n] = i;
        pairRev[n] = j;
        keyPair[n] = n;
        n++;
      }
  }
  keyPair.sort((a, b) => keyAff[b] - keyAff[a] || a - b);
  const load = new Int32Array(nR);
  const got = new Int32Array(nA);
  const gotForeign = new Int32Array(nA);
  const orgsOf: Set<number>[] = Array.from({ length: nA }, () => new Set());
  const assignments: Assignment[] = [];
  let objective = 0;
  for (let t = 0; t < n; t++) {
    const p = keyPair[t];
    const i = pairApp[p];
    const j = pairRev[p];
    if (got[i] >= k || load[j] >= L) continue;
    const o = P.org[j];
    if (o >= 0 && orgsOf[i].has(o)) continue;
    const needForeign = Math.max(0, F - gotForeign[i]);
    if (!P.isForeign[j] && k - got[i] <= needForeign) continue;
    got[i]++;
    load[j]++;
    if (P.isForeign[j]) gotForeign[i]++;
    if (o >= 0) orgsOf[i].add(o);
    assignments.push({ application: i, reviewer: j, affinity: keyAff[p] });
    objective += keyAff[p];
  }
  const missing = new Int32Array(nA);
  for (let i = 0; i < nA; i++) missing[i] = k - got[i];
  return { assignments, objective, missing };
}
