/**
 * Minimum-cost flow by successive shortest paths with node potentials (Edmonds–Karp / Tomizawa):
 * each augmentation is a Dijkstra search on reduced costs from one node with excess to the
 * nearest node with deficit, stopped as soon as that deficit node is settled, followed by the
 * usual potential update (only settled nodes move). Costs are floating point; the invariant
 * "every residual arc has reduced cost ≥ 0" is kept up to rounding (tiny negative reduced costs
 * from cancellation are treated as 0).
 *
 * Pure and allocation-light: arcs live in typed arrays, arc 2e is the forward arc of edge e and
 * 2e+1 its reverse, adjacency is a CSR index built once. The caller supplies initial potentials
 * that make every arc with capacity reduced-cost feasible (`dagPotentials` does that for the
 * layered networks of the assignment solver) or lets `solve` compute them.
 */

/** A network under construction; `build()` freezes it into a `FlowGraph`. */
export class FlowBuilder {
  private from: number[] = [];
  private to: number[] = [];
  private cap: number[] = [];
  private cost: number[] = [];
  /** Supply (> 0) or demand (< 0) of each node. */
  readonly supply: number[] = [];

  /** Adds a node with the given supply (negative: demand); returns its index. */
  node(supply = 0): number {
    this.supply.push(supply);
    return this.supply.length - 1;
  }

  /** Adds an arc u → v; returns the edge index e (forward arc 2e in the built graph). */
  arc(u: number, v: number, capacity: number, cost: number): number {
    this.from.push(u);
    this.to.push(v);
    this.cap.push(capacity);
    this.cost.push(cost);
    return this.from.length - 1;
  }

  get nodes(): number {
    return this.supply.length;
  }

  get edges(): number {
    return this.from.length;
  }

  /** Freezes the network into typed arrays with a CSR adjacency over residual arcs. */
  build(): FlowGraph {
    const n = this.supply.length;
    const m = this.from.length;
    const head = new Int32Array(2 * m);
    const tail = new Int32Array(2 * m);
    const cap = new Int32Array(2 * m);
    const cost = new Float64Array(2 * m);
    for (let e = 0; e < m; e++) {
      tail[2 * e] = this.from[e];
      head[2 * e] = this.to[e];
      cap[2 * e] = this.cap[e];
      cost[2 * e] = this.cost[e];
      tail[2 * e + 1] = this.to[e];
      head[2 * e + 1] = this.from[e];
      cap[2 * e + 1] = 0;
      cost[2 * e + 1] = -this.cost[e];
    }
    const start = new Int32Array(n + 1);
    for (let a = 0; a < 2 * m; a++) start[tail[a] + 1]++;
    for (let v = 0; v < n; v++) start[v + 1] += start[v];
    const fill = start.slice(0, n);
    const adj = new Int32Array(2 * m);
    for (let a = 0; a < 2 * m; a++) adj[fill[tail[a]]++] = a;
    return { n, head, tail, cap, originalCap: cap.slice(), cost, start, adj, excess: Int32Array.from(this.supply) };
  }
}

/** A frozen network: residual capacities change as flow is pushed. */
export interface FlowGraph {
  n: number;
  head: Int32Array;
  tail: Int32Array;
  /** Residual capacity of each arc. */
  cap: Int32Array;
  originalCap: Int32Array;
  cost: Float64Array;
  /** Arcs leaving node v: adj[start[v] .. start[v+1]). */
  start: Int32Array;
  adj: Int32Array;
  /** Remaining supply (> 0) or demand (< 0) of each node. */
  excess: Int32Array;
}

/** Flow on edge e (its forward arc). */
export const edgeFlow = (g: FlowGraph, e: number): number => g.originalCap[2 * e] - g.cap[2 * e];

/**
 * Potentials for a network whose arcs with capacity form a DAG: shortest distances from the
 * sources in topological order (nodes no arc reaches get 0). Every arc with capacity then has
 * reduced cost ≥ 0, which is what the first Dijkstra search needs. Throws on a cycle.
 */
export function dagPotentials(g: FlowGraph): Float64Array {
  const indeg = new Int32Array(g.n);
  for (let a = 0; a < g.head.length; a += 2) if (g.cap[a] > 0) indeg[g.head[a]]++;
  const pot = new Float64Array(g.n).fill(Infinity);
  const queue = new Int32Array(g.n);
  let qh = 0;
  let qt = 0;
  for (let v = 0; v < g.n; v++) if (indeg[v] === 0) queue[qt++] = v;
  while (qh < qt) {
    const u = queue[qh++];
    if (pot[u] === Infinity) pot[u] = 0;
    for (let i = g.start[u]; i < g.start[u + 1]; i++) {
      const a = g.adj[i];
      if ((a & 1) === 1 || g.cap[a] <= 0) continue;
      const v = g.head[a];
      const d = pot[u] + g.cost[a];
      if (d < pot[v]) pot[v] = d;
      if (--indeg[v] === 0) queue[qt++] = v;
    }
  }
  if (qt !== g.n) throw new Error('dagPotentials: the network has a cycle');
  return pot;
}

/** Outcome of `solveFlow`. */
export interface FlowOutcome {
  /** Node potentials: every residual arc has cost + pot[tail] − pot[head] ≥ −tolerance. */
  potentials: Float64Array;
  /** Supply that could not reach any demand (0 when the supplies were feasible). */
  unrouted: number;
  /** Shortest-path searches run. */
  searches: number;
}

/**
 * Routes every supply to the demands at minimum total cost (or as much as can be routed: a
 * supply with no residual path to a demand is left, and counted in `unrouted`). Supplies are
 * served in the order of `order` (default: node order). The result is a minimum-cost flow for
 * the supplies that were routed; callers that need "as much as possible, then cheapest" add
 * explicit overflow arcs with a large cost so that every supply can be routed.
 */
export function solveFlow(g: FlowGraph, potentials?: Float64Array, order?: ArrayLike<number>): FlowOutcome {
  const n = g.n;
  const pot = potentials ?? dagPotentials(g);
  const dist = new Float64Array(n).fill(Infinity);
  const parent = new Int32Array(n).fill(-1);
  const settled = new Uint8Array(n);
  const touched = new Int32Array(n);
  // Binary heap with lazy deletion; a node may be pushed once per improving relaxation.
  let heapKey = new Float64Array(1024);
  let heapNode = new Int32Array(1024);
  let heapSize = 0;
  const push = (key: number, node: number) => {
    if (heapSize === heapKey.length) {
      const k2 = new Float64Array(heapKey.length * 2);
      k2.set(heapKey);
      heapKey = k2;
      const n2 = new Int32Array(heapNode.length * 2);
      n2.set(heapNode);
      heapNode = n2;
    }
    let i = heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heapKey[p] <= key) break;
      heapKey[i] = heapKey[p];
      heapNode[i] = heapNode[p];
      i = p;
    }
    heapKey[i] = key;
    heapNode[i] = node;
  };
  const pop = (): number => {
    const top = heapNode[0];
    const key = heapKey[--heapSize];
    const node = heapNode[heapSize];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= heapSize) break;
      if (c + 1 < heapSize && heapKey[c + 1] < heapKey[c]) c++;
      if (heapKey[c] >= key) break;
      heapKey[i] = heapKey[c];
      heapNode[i] = heapNode[c];
      i = c;
    }
    heapKey[i] = key;
    heapNode[i] = node;
    return top;
  };

  let unrouted = 0;
  let searches = 0;
  const sources = order ?? Int32Array.from({ length: n }, (_, v) => v);
  for (let si = 0; si < sources.length; si++) {
    const s = sources[si];
    while (g.excess[s] > 0) {
      searches++;
      let nTouched = 0;
      heapSize = 0;
      dist[s] = 0;
      parent[s] = -1;
      touched[nTouched++] = s;
      push(0, s);
      let target = -1;
      while (heapSize > 0) {
        const u = pop();
        if (settled[u]) continue;
        settled[u] = 1;
        if (g.excess[u] < 0) {
          target = u;
          break;
        }
        const du = dist[u];
        const pu = pot[u];
        for (let i = g.start[u]; i < g.start[u + 1]; i++) {
          const a = g.adj[i];
          if (g.cap[a] <= 0) continue;
          const v = g.head[a];
          if (settled[v]) continue;
          let rc = g.cost[a] + pu - pot[v];
          if (rc < 0) rc = 0; // rounding: the invariant says ≥ 0
          const nd = du + rc;
          if (nd < dist[v]) {
            if (dist[v] === Infinity) touched[nTouched++] = v;
            dist[v] = nd;
            parent[v] = a;
            push(nd, v);
          }
        }
      }
      if (target < 0) {
        // No demand reachable: this supply stays where it is.
        unrouted += g.excess[s];
        for (let t = 0; t < nTouched; t++) {
          const v = touched[t];
          dist[v] = Infinity;
          settled[v] = 0;
        }
        break;
      }
      const dt = dist[target];
      for (let t = 0; t < nTouched; t++) {
        const v = touched[t];
        if (settled[v] && dist[v] < dt) pot[v] += dist[v] - dt;
        dist[v] = Infinity;
        settled[v] = 0;
      }
      // Bottleneck along the path, then push.
      let delta = Math.min(g.excess[s], -g.excess[target]);
      for (let v = target; v !== s; ) {
        const a = parent[v];
        if (g.cap[a] < delta) delta = g.cap[a];
        v = g.tail[a];
      }
      for (let v = target; v !== s; ) {
        const a = parent[v];
        g.cap[a] -= delta;
        g.cap[a ^ 1] += delta;
        v = g.tail[a];
      }
      g.excess[s] -= delta;
      g.excess[target] += delta;
    }
  }
  return { potentials: pot, unrouted, searches };
}
