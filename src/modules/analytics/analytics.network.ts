/**
 * The collaboration network, with no SQL: participations (who took part in which project) →
 * an undirected weighted graph → centrality from graphology-metrics.
 *
 * - Two participants of one project are linked. A project with k participants adds the
 *   k(k−1)/2 pairs; a pair of the same node (two German partners at country level) is not an
 *   edge.
 * - Edge weight, `projects`: the number of projects the two nodes share; `participations`: for
 *   each shared project, (participations of a) × (participations of b) — three German and two
 *   French partners in one project add 6 to DEU–FRA. At organisation level an organisation
 *   takes part once per project, so the two weights agree.
 * - degree: the number of neighbours; weighted_degree: the sum of the weights of the node's
 *   edges.
 * - betweenness: shortest paths counted in hops (edge weights are strengths, not distances, so
 *   they are not used), normalised by graphology as 1/((n−1)(n−2)) over ordered pairs — the same
 *   as networkx's normalised undirected betweenness (a star's centre: 1).
 * - eigenvector: graphology's power iteration on (I + A) with A the weighted adjacency matrix,
 *   scaled to Euclidean norm 1 (networkx's convention); up to 1000 iterations, tolerance 1e-6
 *   per node. A node whose projects had no other participant stays in the list with degree 0
 *   (its eigenvector value tends to 0 beside any linked component; in a graph without edges all
 *   nodes get 1/√n).
 */
import { UndirectedGraph } from 'graphology';
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import eigenvectorModule from 'graphology-metrics/centrality/eigenvector.js';
import { AppError } from '../../errors.ts';
import { round } from './analytics.stats.ts';

// graphology-metrics is CommonJS: under Node's ESM loader the default import is the function
// itself, while TypeScript (NodeNext) types it as the module with a `default` property.
function interop<T>(m: { default: T }): T {
  return ((m as { default?: T }).default ?? m) as T;
}
const betweennessCentrality = interop(betweennessModule);
const eigenvectorCentrality = interop(eigenvectorModule);

export type NetworkWeight = 'projects' | 'participations';

/** One participation: `key` identifies the participant within its project (an organisation is counted once per project). */
export interface Participation {
  project: number;
  key: string;
  /** The node it belongs to (an ISO3 code, an organisation id), null when unknown at this level. */
  node: string | null;
  label?: string | null;
}

export interface NetworkNode {
  id: string;
  label: string | null;
  degree: number;
  weighted_degree: number;
  betweenness: number;
  eigenvector: number;
}

export interface NetworkGraph {
  nodes: NetworkNode[];
  edges: number;
  /** Projects that contributed at least one node. */
  projects: number;
  /** Participations left out because their node is unknown at this level. */
  skipped: number;
}

export interface EdgeList {
  nodes: Map<string, string | null>;
  edges: Map<string, { a: string; b: string; weight: number }>;
  projects: number;
  skipped: number;
}

/** Builds the weighted edge list from participations (see the module comment for the rules). */
export function collaborationEdges(parts: readonly Participation[], weight: NetworkWeight): EdgeList {
  const byProject = new Map<number, Map<string, string>>();
  const nodes = new Map<string, string | null>();
  let skipped = 0;
  for (const p of parts) {
    if (p.node === null) {
      skipped++;
      continue;
    }
    let members = byProject.get(p.project);
    if (!members) byProject.set(p.project, (members = new Map()));
    members.set(p.key, p.node);
    if (!nodes.has(p.node) || (nodes.get(p.node) == null && p.label != null)) nodes.set(p.node, p.label ?? null);
  }
  const edges = new Map<string, { a: string; b: string; weight: number }>();
  for (const members of byProject.values()) {
    const count = new Map<string, number>();
    for (const node of members.values()) count.set(node, (count.get(node) ?? 0) + 1);
    const ids = [...count.keys()].sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const k = `${ids[i]}\u0000${ids[j]}`;
        const w = weight === 'projects' ? 1 : count.get(ids[i])! * count.get(ids[j])!;
        const e = edges.get(k);
        if (e) e.weight += w;
        else edges.set(k, { a: ids[i], b: ids[j], weight: w });
      }
    }
  }
  return { nodes, edges, projects: byProject.size, skipped };
}

/** Degree, weighted degree, betweenness and eigenvector centrality of every node, most central first. */
export function collaborationNetwork(parts: readonly Participation[], weight: NetworkWeight): NetworkGraph {
  return centralityOf(collaborationEdges(parts, weight));
}

/** An edge of the graph as the web view draws it (source < target). */
export interface NetworkLink {
  source: string;
  target: string;
  weight: number;
}

/**
 * The nodes in the order the network page lists and draws them: degree, then weighted degree,
 * ties kept in centrality order (`centralityOf` sorts by eigenvector, weighted degree, id).
 */
export function byDegree(nodes: readonly NetworkNode[]): NetworkNode[] {
  return nodes
    .map((n, i) => ({ n, i }))
    .sort((x, y) => y.n.degree - x.n.degree || y.n.weighted_degree - x.n.weighted_degree || x.i - y.i)
    .map((x) => x.n);
}

/**
 * The edge list for drawing: every edge when the graph has at most `topNodes` nodes, else the
 * edges among the `topNodes` first nodes by degree (`byDegree`) — what the page shows — with
 * `limitedTo` saying so. Heaviest first, then by source and target.
 */
export function networkLinks(list: EdgeList, nodes: readonly NetworkNode[], topNodes: number): { links: NetworkLink[]; limitedTo: number | null } {
  const limited = nodes.length > topNodes;
  const keep = limited ? new Set(byDegree(nodes).slice(0, topNodes).map((n) => n.id)) : null;
  const links: NetworkLink[] = [];
  for (const e of list.edges.values()) {
    if (keep && !(keep.has(e.a) && keep.has(e.b))) continue;
    links.push({ source: e.a, target: e.b, weight: e.weight });
  }
  links.sort((x, y) => y.weight - x.weight || (x.source < y.source ? -1 : x.source > y.source ? 1 : x.target < y.target ? -1 : x.target > y.target ? 1 : 0));
  return { links, limitedTo: limited ? topNodes : null };
}

/** Centrality of a weighted edge list (built from participations, or summed from the aggregates). */
export function centralityOf({ nodes, edges, projects, skipped }: EdgeList): NetworkGraph {
  const graph = new UndirectedGraph<{ label: string | null }, { weight: number }>();
  for (const [id, label] of nodes) graph.addNode(id, { label });
  for (const e of edges.values()) graph.addEdge(e.a, e.b, { weight: e.weight });
  if (graph.order === 0) return { nodes: [], edges: 0, projects, skipped };
  const betweenness = betweennessCentrality(graph, { getEdgeWeight: null, normalized: true });
  let eigenvector: Record<string, number>;
  try {
    eigenvector = eigenvectorCentrality(graph, { getEdgeWeight: 'weight', maxIterations: 1000, tolerance: 1e-6 });
  } catch {
    throw new AppError(
      'NETWORK_NOT_CONVERGED',
      422,
      '特征向量中心性计算未收敛，请缩小范围（条件）后重试',
      'The eigenvector centrality did not converge; narrow the selection (conditions) and try again',
    );
  }
  const out: NetworkNode[] = graph.mapNodes((id, attrs) => ({
    id,
    label: attrs.label,
    degree: graph.degree(id),
    weighted_degree: graph.reduceEdges(id, (s, _e, a) => s + a.weight, 0),
    betweenness: round(betweenness[id] ?? 0),
    eigenvector: round(eigenvector[id] ?? 0),
  }));
  out.sort((x, y) => y.eigenvector - x.eigenvector || y.weighted_degree - x.weighted_degree || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { nodes: out, edges: graph.size, projects, skipped };
}
