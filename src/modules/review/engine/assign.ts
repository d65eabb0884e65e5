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
 *    flow with that organisation split into its foreign and its domestic part is a relaxation;
 *    branch and bound on "this application takes no foreign / no domestic reviewer from this
 *    organisation" closes the gap exactly. A node limit stops it; the answer then says
 *    `optimal: false` and gives the bound.
 */
import { AppError, type ErrorDetail } from '../../../errors.ts';
import { edgeFlow, FlowBuilder, solveFlow, type FlowGraph } from './flow.ts';
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
  /** Branch-and-bound node limit for organisations that mix foreign and domestic reviewers (default 200). */
  maxBranchNodes?: number;
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
  method: 'flow' | 'flow+branch-and-bound';
  /** Column-generation rounds (flow solves), over all branch-and-bound nodes. */
  rounds: number;
  /** Pairs allowed (not in conflict, listed or unlisted-assignable, drawn). */
  allowedPairs: number;
  /** Pairs in the last sparse network. */
  candidatePairs: number;
  /** Shortest-path searches, over all solves. */
  searches: number;
  /** Branch-and-bound nodes solved (1 without branching). */
  branchNodes: number;
  /** With branching stopped early: the best bound on the objective (else equal to the objective). */
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
  nGroups: number;
  /**
   * Reviewers of each group. Group 2o is organisation o; when o is mixed, 2o is its domestic
   * and 2o+1 its foreign part (split for applications with a foreign minimum: see groupOf).
   */
  groupMembers: Csr;
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
  const keep: number[][] = Array.from({ length: nGroups }, () => []);
  for (let j = 0; j < nR; j++) if (org[j] >= 0) keep[2 * org[j] + (mixed[org[j]] ? isForeign[j] : 0)].push(j);
  const gStart = new Int32Array(nGroups + 1);
  for (let g = 0; g < nGroups; g++) gStart[g + 1] = gStart[g] + keep[g].length;
  const groupMembers: Csr = { start: gStart, col: Int32Array.from(keep.flat()) };

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
    groupMembers,
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
 * organisation's foreign or domestic part (the relaxation branch and bound starts from).
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
 * assigned (conflict, unlisted when unlisted pairs are forbidden, not drawn, or a group this
 * branch-and-bound node excludes).
 */
function fillRow(P: Problem, i: number, row: Float64Array, excluded?: readonly number[]): void {
  row.fill(P.unlistedZero ? 0 : NaN);
  const { start, col, val } = P.listed;
  for (let p = start[i]; p < start[i + 1]; p++) row[col[p]] = val![p];
  for (let p = P.conflicts.start[i]; p < P.conflicts.start[i + 1]; p++) row[P.conflicts.col[p]] = NaN;
  if (excluded) for (const g of excluded) for (let p = P.groupMembers.start[g]; p < P.groupMembers.start[g + 1]; p++) row[P.groupMembers.col[p]] = NaN;
  if (P.drawn) {
    const keep = P.scratch;
    keep.fill(NaN);
    for (let p = P.drawn.start[i]; p < P.drawn.start[i + 1]; p++) keep[P.drawn.col[p]] = row[P.drawn.col[p]];
    row.set(keep);
  }
}

/** Reviewers in decreasing affinity (ties by index), among the finite entries of row. */
function ranked(row: Float64Array): Int32Array {
  let n = 0;
  for (let j = 0; j < row.length; j++) if (!Number.isNaN(row[j])) n++;
  const idx = new Int32Array(n);
  n = 0;
  for (let j = 0; j < row.length; j++) if (!Number.isNaN(row[j])) idx[n++] = j;
  idx.sort((a, b) => row[b] - row[a] || a - b);
  return idx;
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
    const pool = Array.from(ranked(row).subarray(0, draw.pool));
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
// One relaxation: the flow on the allowed pairs minus the excluded groups, by column generation

/** A branch-and-bound node: groups each application may not draw from. */
type Exclusions = Map<number, number[]>;

interface Relaxation {
  /** Reviewer per assigned slot. */
  assignments: Assignment[];
  missing: Int32Array;
  objective: number;
  /** objective − M × missing: what branch and bound compares. */
  score: number;
  candidates: number[][];
  rounds: number;
  searches: number;
  candidatePairs: number;
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

function initialCandidates(P: Problem, excl: Exclusions, T: number): number[][] {
  const row = new Float64Array(P.nR);
  const out: number[][] = [];
  for (let i = 0; i < P.nA; i++) {
    fillRow(P, i, row, excl.get(i));
    const order = ranked(row);
    const chosen = Array.from(order.subarray(0, T));
    const foreignWanted = P.Fi[i] > 0 ? Math.max(2 * P.Fi[i] + 2, 6) : 0;
    if (foreignWanted) {
      let got = 0;
      for (const j of chosen) if (P.isForeign[j]) got++;
      for (let t = T; t < order.length && got < foreignWanted; t++) {
        if (P.isForeign[order[t]]) {
          chosen.push(order[t]);
          got++;
        }
      }
    }
    out.push(chosen);
  }
  return out;
}

function solveRelaxation(P: Problem, excl: Exclusions, start: number[][]): Relaxation {
  const candidates = start.map((c) => [...c]);
  const row = new Float64Array(P.nR);
  const inCand = new Int32Array(P.nR).fill(-1);
  const bound = new Float64Array(Math.max(P.nGroups, 1)).fill(NaN);
  const groupSize = new Int32Array(Math.max(P.nGroups, 1));
  const affCache = new Map<number, number>();
  const order: number[] = [];
  let rounds = 0;
  let searches = 0;
  const perRound = Math.max(2 * P.k, 6);
  for (;;) {
    rounds++;
    affCache.clear();
    for (let i = 0; i < P.nA; i++) {
      fillRow(P, i, row, excl.get(i));
      for (const j of candidates[i]) affCache.set(i * P.nR + j, row[j]);
    }
    const net = buildNetwork(P, candidates, (i, j) => affCache.get(i * P.nR + j)!);
    order.length = 0;
    for (let i = 0; i < P.nA; i++) {
      if (net.hubF[i] >= 0) order.push(net.hubF[i]);
      order.push(net.hubX[i]);
    }
    const out = solveFlow(net.graph, undefined, order);
    searches += out.searches;
    if (out.unrouted > 0) throw new Error('assignment flow left supply unrouted despite overflow arcs');
    const pot = out.potentials;
    const g = net.graph;
    const flowOfPair = new Uint8Array(net.pairEdge.length);
    for (let t = 0; t < net.pairEdge.length; t++) flowOfPair[t] = edgeFlow(g, net.pairEdge[t]);
    // Pricing: an allowed pair outside the network with negative reduced cost would improve the
    // flow. Its tail would be its (application, group) node, or the hub when that node is not in
    // the network; a group with one candidate pair has no node, and the bound its potential
    // would have to respect follows from that pair's arc (README.md, "pricing").
    let added = 0;
    let t0 = 0;
    for (let i = 0; i < P.nA; i++) {
      const cand = candidates[i];
      fillRow(P, i, row, excl.get(i));
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
      const viol: { j: number; by: number }[] = [];
      for (let j = 0; j < P.nR; j++) {
        const a = row[j];
        if (Number.isNaN(a) || inCand[j] === i) continue;
        const gr = groupOf(P, i, j);
        const b = gr >= 0 && !Number.isNaN(bound[gr]) ? bound[gr] : usesForeignHub(P, i, j) ? potF : potX;
        const by = a + pot[net.reviewerNode[j]] - b;
        if (by > P.tol) viol.push({ j, by });
      }
      for (const j of cand) {
        const gr = groupOf(P, i, j);
        if (gr >= 0) {
          groupSize[gr] = 0;
          bound[gr] = NaN;
        }
      }
      t0 += cand.length;
      if (viol.length) {
        viol.sort((x, y) => y.by - x.by);
        for (const v of viol.slice(0, perRound)) cand.push(v.j);
        added += Math.min(viol.length, perRound);
      }
    }
    if (added === 0) {
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
      return { assignments, missing, objective, score: objective - P.M * short, candidates, rounds, searches, candidatePairs: net.pairEdge.length };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Branch and bound for organisations mixing foreign and domestic reviewers

/** An application with two reviewers from one (mixed) organisation, if any. */
function orgViolation(P: Problem, r: Relaxation): { app: number; org: number } | null {
  const seen = new Map<number, number>();
  for (const a of r.assignments) {
    const o = P.org[a.reviewer];
    if (o < 0) continue;
    const key = a.application * P.orgNames.length + o;
    if (seen.has(key)) return { app: a.application, org: o };
    seen.set(key, a.reviewer);
  }
  return null;
}

function branchAndBound(P: Problem, root: Relaxation, limit: number): { best: Relaxation | null; nodes: number; bound: number; rounds: number; searches: number } {
  interface Node {
    r: Relaxation;
    excl: Exclusions;
  }
  const open: Node[] = [{ r: root, excl: new Map() }];
  let nodes = 1;
  let rounds = root.rounds;
  let searches = root.searches;
  let best: Relaxation | null = null;
  const child = (parent: Node, app: number, groupOut: number): Node => {
    const excl: Exclusions = new Map(parent.excl);
    excl.set(app, [...(excl.get(app) ?? []), groupOut]);
    const out = new Set(P.groupMembers.col.subarray(P.groupMembers.start[groupOut], P.groupMembers.start[groupOut + 1]));
    const start = parent.r.candidates.map((c, i) => (i === app ? c.filter((j) => !out.has(j)) : c));
    const r = solveRelaxation(P, excl, start);
    nodes++;
    rounds += r.rounds;
    searches += r.searches;
    return { r, excl };
  };
  while (open.length) {
    // Best first: the open node with the highest relaxation score.
    let at = 0;
    for (let t = 1; t < open.length; t++) if (open[t].r.score > open[at].r.score) at = t;
    const node = open[at];
    open.splice(at, 1);
    const v = orgViolation(P, node.r);
    if (!v) {
      // Best first: no open node can beat a feasible node popped first.
      best = node.r;
      break;
    }
    if (nodes >= limit) {
      // Out of nodes: dive from here to some feasible answer, and report the bound.
      open.push(node);
      break;
    }
    for (const cls of [1, 0]) open.push(child(node, v.app, 2 * v.org + cls));
  }
  let bound = best ? best.score : -Infinity;
  for (const n of open) bound = Math.max(bound, n.r.score);
  if (!best) {
    // Dive: from the best open node, always into the better child, until feasible.
    let cur = open.length ? open.reduce((x, y) => (y.r.score > x.r.score ? y : x)) : null;
    while (cur) {
      const v = orgViolation(P, cur.r);
      if (!v) break;
      const a = child(cur, v.app, 2 * v.org + 1);
      const b = child(cur, v.app, 2 * v.org);
      cur = a.r.score >= b.r.score ? a : b;
    }
    if (cur) best = cur.r;
  }
  return { best, nodes, bound, rounds, searches };
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
function loadReasons(P: Problem, r: { missing: Int32Array }): Infeasibility[] {
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
  const feasibleWithout = (change: Partial<AssignmentInput>): boolean => {
    const Q = prepare({ ...P.input, ...change, partial: true, maxBranchNodes: 20 });
    const res = solveProblem(Q);
    return res.missing.every((m) => m === 0);
  };
  const hasOrgRule = P.orgNames.length > 0;
  const hasQuota = P.F > 0;
  const freedByOrg = hasOrgRule && feasibleWithout({ organisation: null });
  const freedByQuota = hasQuota && feasibleWithout({ minForeign: 0 });
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

function solveProblem(P: Problem): AssignmentResult {
  const T = P.input.initialCandidates ?? Math.max(20, 4 * P.k);
  const root = solveRelaxation(P, new Map(), initialCandidates(P, new Map(), T));
  const needBranching = P.F > 0 && P.orgNames.length > 0 && P.mixed.some((m) => m === 1);
  let mixedCount = 0;
  for (const m of P.mixed) mixedCount += m;
  let r = root;
  let optimal = !P.drawn;
  let nodes = 1;
  let bound = root.score;
  let rounds = root.rounds;
  let searches = root.searches;
  if (needBranching) {
    const bb = branchAndBound(P, root, P.input.maxBranchNodes ?? 200);
    nodes = bb.nodes;
    rounds = bb.rounds;
    searches = bb.searches;
    if (!bb.best) throw new Error('branch and bound found no answer');
    r = bb.best;
    bound = bb.bound;
    if (bound > r.score + P.tol) optimal = false;
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
      method: needBranching ? 'flow+branch-and-bound' : 'flow',
      rounds,
      allowedPairs,
      candidatePairs: r.candidatePairs,
      searches,
      branchNodes: nodes,
      bound: bound + P.M * shortfall,
      mixedOrganisations: mixedCount,
    },
  };
}

/**
 * Solves the assignment exactly (see the file comment). Throws ASSIGNMENT_INFEASIBLE (422) with
 * every diagnosed reason in `details` when no complete assignment exists and `partial` is not
 * set; ASSIGNMENT_PARAMETER_INVALID / ASSIGNMENT_INPUT_INVALID / ASSIGNMENT_DUPLICATE_PAIR for
 * bad input.
 */
export function solveAssignment(input: AssignmentInput): AssignmentResult {
  const P = prepare(input);
  if (!P.partial) {
    const reasons = structuralReasons(P);
    if (reasons.length) throw infeasible(reasons);
  }
  const res = solveProblem(P);
  if (!P.partial && res.missing.some((m) => m > 0)) throw infeasible(loadReasons(P, res));
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
