/**
 * The framework tree as the editor holds it: flat nodes with a stable row id (codes can be
 * renamed), turned into nested table rows, checked before saving, and sent back as the nodes of
 * a new version (levels made consistent: indicators 1, each parent above its children).
 */
import type { FNode } from './types.ts';

export interface DraftNode extends FNode {
  uid: string;
}

export interface TreeRow extends DraftNode {
  children?: TreeRow[];
  /** The node's weight as a share of its siblings' weights. */
  share: number | null;
  depth: number;
}

let seq = 0;
export const newUid = () => `n${++seq}`;

export const inTree = (n: FNode) => n.type === 'indicator' || n.type === 'aggregate';

export function toDraft(nodes: readonly FNode[]): DraftNode[] {
  return nodes.map((n) => ({ ...n, uid: newUid() }));
}

export function rootOf(nodes: readonly FNode[]): FNode | undefined {
  return nodes.find((n) => n.type === 'aggregate' && n.parent === null);
}

/** The children of `code` in node order. */
export function childrenOf<T extends FNode>(nodes: readonly T[], code: string): T[] {
  return nodes.filter((n) => inTree(n) && n.parent === code);
}

/** Nested rows for an antd tree table, root first. */
export function treeRows(nodes: readonly DraftNode[]): TreeRow[] {
  const root = rootOf(nodes) as DraftNode | undefined;
  if (!root) return [];
  const build = (n: DraftNode, depth: number, share: number | null): TreeRow => {
    const kids = childrenOf(nodes, n.code);
    const sum = kids.reduce((s, k) => s + (Number.isFinite(k.weight) ? k.weight : 0), 0);
    const rows = kids.map((k) => build(k, depth + 1, sum > 0 ? k.weight / sum : null));
    return { ...n, depth, share, ...(rows.length ? { children: rows } : {}) };
  };
  return [build(root, 0, null)];
}

/** Codes of a node and everything under it. */
export function subtree(nodes: readonly FNode[], code: string): Set<string> {
  const out = new Set<string>([code]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (n.parent !== null && out.has(n.parent) && !out.has(n.code) && inTree(n)) {
        out.add(n.code);
        grew = true;
      }
    }
  }
  return out;
}

/** A code not used yet: PREFIX1, PREFIX2 … */
export function freeCode(nodes: readonly FNode[], prefix: string): string {
  const used = new Set(nodes.map((n) => n.code));
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

export interface Problem {
  key: string;
  params?: Record<string, string>;
}

/** What must be fixed before the tree can be saved (the server checks the rest and says so). */
export function problems(nodes: readonly DraftNode[], name: (n: FNode) => string): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, number>();
  for (const n of nodes) seen.set(n.code.trim(), (seen.get(n.code.trim()) ?? 0) + 1);
  for (const n of nodes) {
    if (!n.code.trim()) out.push({ key: 'editor.codeEmpty' });
    else if ((seen.get(n.code.trim()) ?? 0) > 1) out.push({ key: 'editor.codeTaken', params: { code: n.code } });
    if (!inTree(n)) continue;
    if (!(Number.isFinite(n.weight) && n.weight >= 0)) out.push({ key: 'editor.weightInvalid' });
    if (n.type === 'aggregate' && childrenOf(nodes, n.code).length === 0) out.push({ key: 'editor.emptyAggregate', params: { name: name(n) } });
  }
  const unique = new Map(out.map((p) => [`${p.key}|${JSON.stringify(p.params ?? {})}`, p]));
  return [...unique.values()];
}

/**
 * The nodes to send as a new version. Levels: indicators 1; an aggregate keeps its level when it
 * still sits above its children, otherwise it moves to one above the highest child.
 */
export function nodesForSave(nodes: readonly DraftNode[]): Omit<FNode, never>[] {
  const level = new Map<string, number>();
  const levelOf = (n: DraftNode): number => {
    const known = level.get(n.code);
    if (known !== undefined) return known;
    let lv = 1;
    if (n.type === 'aggregate') {
      const kids = childrenOf(nodes, n.code);
      const need = 1 + Math.max(0, ...kids.map(levelOf));
      lv = Math.max(n.level ?? 0, need);
    }
    level.set(n.code, lv);
    return lv;
  };
  return nodes.map((d) => {
    const { uid: _uid, ...n } = d;
    const trimmed = { ...n, code: n.code.trim(), name: n.name?.trim() || null, name_en: n.name_en?.trim() || null, unit: n.unit?.trim() || null, source: n.source?.trim() || null };
    if (!inTree(n)) return trimmed;
    return { ...trimmed, level: levelOf(d) };
  });
}
