/**
 * Test factories for the engine: small frameworks and data tables built from compact
 * descriptions, so tests state only what they are about.
 */
import { buildFrameworkFromNodes, type NodeInput } from './framework.ts';
import type { Cell, DataTable, Framework } from './types.ts';

/**
 * A two-level framework: indicators grouped under dimensions under an index.
 * `dims` maps a dimension code to its indicators; `directions` gives −1 indicators.
 */
export function makeFramework(
  dims: Record<string, string[]>,
  opts: { directions?: Record<string, 1 | -1>; weights?: Record<string, number>; targets?: Record<string, number>; denominators?: Record<string, string>; extra?: NodeInput[] } = {},
): Framework {
  const nodes: NodeInput[] = [{ code: 'Index', type: 'aggregate', weight: 1 }];
  for (const [d, inds] of Object.entries(dims)) {
    nodes.push({ code: d, parent: 'Index', type: 'aggregate', weight: opts.weights?.[d] ?? 1 });
    for (const i of inds) {
      nodes.push({
        code: i,
        parent: d,
        type: 'indicator',
        direction: opts.directions?.[i] ?? 1,
        weight: opts.weights?.[i] ?? 1,
        target: opts.targets?.[i] ?? null,
        denominator: opts.denominators?.[i] ?? null,
      });
    }
  }
  return buildFrameworkFromNodes([...nodes, ...(opts.extra ?? [])], { version: 'test' });
}

/** A flat framework: indicators directly under the index. */
export function flatFramework(codes: string[], directions: Record<string, 1 | -1> = {}, weights: Record<string, number> = {}): Framework {
  return buildFrameworkFromNodes(
    [{ code: 'Index', type: 'aggregate' }, ...codes.map((c) => ({ code: c, parent: 'Index', type: 'indicator' as const, direction: directions[c] ?? 1, weight: weights[c] ?? 1 }))],
    { version: 'test' },
  );
}

/** A table from rows of values; units are U1, U2 … unless given. */
export function makeTable(codes: string[], rows: Cell[][], extra: Partial<DataTable> = {}): DataTable {
  return { units: extra.units ?? rows.map((_, i) => `U${i + 1}`), codes, values: rows.map((r) => [...r]), ...extra };
}

/** Column j of a table. */
export function col(t: DataTable, code: string): Cell[] {
  const j = t.codes.indexOf(code);
  return t.values.map((r) => r[j]);
}

/** Deep-freezes an object graph (to prove a function does not modify its inputs). */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}
