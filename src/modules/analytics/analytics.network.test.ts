import { describe, expect, it } from 'vitest';
import { byDegree, centralityOf, collaborationEdges, collaborationNetwork, networkLinks, type Participation } from './analytics.network.ts';

/** Participations from project → participant node lists; each participant its own key. */
function parts(projects: Record<number, (string | null)[]>): Participation[] {
  return Object.entries(projects).flatMap(([p, nodes]) => nodes.map((node, i) => ({ project: Number(p), key: `k${i}`, node })));
}
const byId = (g: ReturnType<typeof collaborationNetwork>) => Object.fromEntries(g.nodes.map((n) => [n.id, n]));

describe('collaborationNetwork', () => {
  it('path a–b–c: b has betweenness 1; eigenvector (1, √2, 1) / 2', () => {
    const g = collaborationNetwork(parts({ 1: ['a', 'b'], 2: ['b', 'c'] }), 'projects');
    expect(g.edges).toBe(2);
    const n = byId(g);
    expect([n.a.degree, n.b.degree, n.c.degree]).toEqual([1, 2, 1]);
    expect([n.a.betweenness, n.b.betweenness, n.c.betweenness]).toEqual([0, 1, 0]);
    expect(n.a.eigenvector).toBeCloseTo(0.5, 4);
    expect(n.b.eigenvector).toBeCloseTo(Math.SQRT1_2, 4);
    expect(n.c.eigenvector).toBeCloseTo(0.5, 4);
    expect(g.nodes[0].id).toBe('b');
  });

  it('star with three leaves: the centre has betweenness 1 and eigenvector 1/√2, leaves 1/√6', () => {
    const g = collaborationNetwork(parts({ 1: ['x', 'l1'], 2: ['x', 'l2'], 3: ['x', 'l3'] }), 'projects');
    const n = byId(g);
    expect(n.x).toMatchObject({ degree: 3, weighted_degree: 3, betweenness: 1 });
    expect(n.x.eigenvector).toBeCloseTo(1 / Math.sqrt(2), 4);
    for (const l of ['l1', 'l2', 'l3']) {
      expect(n[l]).toMatchObject({ degree: 1, betweenness: 0 });
      expect(n[l].eigenvector).toBeCloseTo(1 / Math.sqrt(6), 4);
    }
  });

  it('triangle a, b, c from one project plus a tail c–d: c lies on 2 of the 3 pairs it is not in', () => {
    const g = collaborationNetwork(parts({ 1: ['a', 'b', 'c'], 2: ['c', 'd'] }), 'projects');
    expect(g.edges).toBe(4);
    const n = byId(g);
    // Shortest paths a–d and b–d run through c; normalised by (n−1)(n−2)/2 = 3 unordered pairs.
    expect(n.c.betweenness).toBeCloseTo(2 / 3, 6);
    expect([n.a.betweenness, n.b.betweenness, n.d.betweenness]).toEqual([0, 0, 0]);
    expect(n.c.degree).toBe(3);
  });

  it('weighted star: eigenvector centre 1/√2, leaf i = w_i / (√2 · √Σw²); weights do not change betweenness', () => {
    const w = { g: 12, d: 9, i: 9 };
    const projects: Record<number, string[]> = {};
    let p = 0;
    for (const [leaf, k] of Object.entries(w)) for (let j = 0; j < k; j++) projects[++p] = ['hub', leaf];
    const g = collaborationNetwork(parts(projects), 'projects');
    const n = byId(g);
    const norm = Math.sqrt(Object.values(w).reduce((s, x) => s + x * x, 0));
    expect(n.hub).toMatchObject({ degree: 3, weighted_degree: 30, betweenness: 1 });
    expect(n.hub.eigenvector).toBeCloseTo(Math.SQRT1_2, 4);
    for (const [leaf, k] of Object.entries(w)) {
      expect(n[leaf].weighted_degree).toBe(k);
      expect(n[leaf].eigenvector).toBeCloseTo(k / (Math.SQRT2 * norm), 4);
    }
  });

  it('participations weight multiplies the counts; a country paired with itself is no edge', () => {
    const ps = parts({ 1: ['DEU', 'DEU', 'DEU', 'FRA', 'FRA'], 2: ['DEU', 'FRA'] });
    const edges = (w: 'projects' | 'participations') => [...collaborationEdges(ps, w).edges.values()];
    expect(edges('projects')).toEqual([{ a: 'DEU', b: 'FRA', weight: 2 }]);
    expect(edges('participations')).toEqual([{ a: 'DEU', b: 'FRA', weight: 3 * 2 + 1 }]);
    const g = collaborationNetwork(ps, 'participations');
    expect(byId(g).DEU).toMatchObject({ degree: 1, weighted_degree: 7 });
  });

  it('a participant listed twice in a project (same key) counts once', () => {
    const ps: Participation[] = [
      { project: 1, key: 'o7', node: 'DEU' },
      { project: 1, key: 'o7', node: 'DEU' },
      { project: 1, key: 'o8', node: 'FRA' },
    ];
    expect([...collaborationEdges(ps, 'participations').edges.values()]).toEqual([{ a: 'DEU', b: 'FRA', weight: 1 }]);
  });

  it('skips unknown nodes, keeps lone participants with degree 0, and handles no data', () => {
    const g = collaborationNetwork(parts({ 1: ['a', null], 2: ['b', 'c'] }), 'projects');
    expect(g).toMatchObject({ edges: 1, projects: 2, skipped: 1 });
    expect(byId(g).a).toMatchObject({ degree: 0, weighted_degree: 0, betweenness: 0 });
    expect(collaborationNetwork([], 'projects')).toEqual({ nodes: [], edges: 0, projects: 0, skipped: 0 });
    const lonely = collaborationNetwork(parts({ 1: ['a'], 2: ['b'] }), 'projects');
    for (const n of lonely.nodes) expect(n.eigenvector).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('keeps the first known label of a node', () => {
    const g = collaborationNetwork(
      [
        { project: 1, key: 'a', node: 'DEU', label: null },
        { project: 1, key: 'b', node: 'FRA', label: '法国' },
        { project: 2, key: 'a', node: 'DEU', label: '德国' },
      ],
      'projects',
    );
    expect(byId(g).DEU.label).toBe('德国');
  });
});

describe('networkLinks', () => {
  // Star around x (x–a 3 projects, x–b 2, x–c 1) plus a–b (1): x has degree 3, a and b 2, c 1.
  const ps = parts({ 1: ['x', 'a'], 2: ['x', 'a'], 3: ['x', 'a', 'b'], 4: ['x', 'b'], 5: ['x', 'c'] });

  it('gives every edge, heaviest first, when the graph is small enough; the weights are the edge list’s', () => {
    const list = collaborationEdges(ps, 'projects');
    const g = centralityOf(list);
    const { links, limitedTo } = networkLinks(list, g.nodes, 80);
    expect(limitedTo).toBeNull();
    expect(links).toEqual([
      { source: 'a', target: 'x', weight: 3 },
      { source: 'b', target: 'x', weight: 2 },
      { source: 'a', target: 'b', weight: 1 },
      { source: 'c', target: 'x', weight: 1 },
    ]);
    expect(links).toHaveLength(g.edges);
    // Each link adds its weight to both ends' weighted degree.
    const wd = new Map<string, number>();
    for (const l of links) for (const id of [l.source, l.target]) wd.set(id, (wd.get(id) ?? 0) + l.weight);
    for (const n of g.nodes) expect(n.weighted_degree).toBe(wd.get(n.id));
  });

  it('over the limit: only the edges among the nodes of highest degree, and says so', () => {
    const list = collaborationEdges(ps, 'projects');
    const g = centralityOf(list);
    expect(byDegree(g.nodes).map((n) => n.id)).toEqual(['x', 'a', 'b', 'c']);
    const top2 = networkLinks(list, g.nodes, 2);
    expect(top2).toEqual({ links: [{ source: 'a', target: 'x', weight: 3 }], limitedTo: 2 });
    const top3 = networkLinks(list, g.nodes, 3);
    expect(top3.limitedTo).toBe(3);
    expect(top3.links.map((l) => `${l.source}-${l.target}`)).toEqual(['a-x', 'b-x', 'a-b']);
    expect(networkLinks(list, g.nodes, 4).limitedTo).toBeNull();
  });

  it('byDegree breaks ties by weighted degree, then keeps the centrality order', () => {
    const g = collaborationNetwork(parts({ 1: ['p', 'q'], 2: ['p', 'q'], 3: ['r', 's'] }), 'projects');
    expect(byDegree(g.nodes).map((n) => [n.degree, n.weighted_degree])).toEqual([
      [1, 2],
      [1, 2],
      [1, 1],
      [1, 1],
    ]);
    expect(byDegree(g.nodes).slice(0, 2).map((n) => n.id).sort()).toEqual(['p', 'q']);
  });
});
