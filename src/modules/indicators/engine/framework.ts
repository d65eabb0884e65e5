/**
 * Framework (指标体系) construction and validation.
 *
 * Input is COINr's iMeta table (iCode, iName, Level, Parent, Direction, Weight, Type, Denominator,
 * Target, Unit), which evaluators already use, or the same content as plain nodes. The output is a
 * validated tree; every problem found is reported at once in the details of one coded error.
 */
import type { ErrorDetail } from '../../../errors.ts';
import { EngineError } from './errors.ts';
import type { Direction, Framework, FrameworkNode, IMetaRow, NodeType } from './types.ts';

/** A node as written in a JSON/YAML framework file; field names of FrameworkNode, most optional. */
export interface NodeInput {
  code: string;
  name?: string | null;
  level?: number | null;
  parent?: string | null;
  direction?: number | null;
  weight?: number | null;
  type?: 'indicator' | 'aggregate' | 'group' | 'denominator' | 'other' | null;
  target?: number | null;
  unit?: string | null;
  denominator?: string | null;
  source?: string | null;
}

const FRAMEWORK_MESSAGES: Record<string, [string, string]> = {
  FRAMEWORK_EMPTY: ['指标体系为空：至少需要一个指标和一个总指数', 'The framework is empty: it needs at least one indicator and an index'],
  INVALID_CODE: ['指标代码为空或不是文本', 'An indicator code is empty or not text'],
  DUPLICATE_CODE: ['指标代码重复', 'Duplicate codes in the framework'],
  INVALID_TYPE: ['未知的节点类型（应为 Indicator、Aggregate、Group、Denominator 或 Other）', 'Unknown node type (expected Indicator, Aggregate, Group, Denominator or Other)'],
  UNKNOWN_PARENT: ['上级节点代码不存在', 'A parent code does not exist in the framework'],
  PARENT_NOT_AGGREGATE: ['上级节点必须是汇总节点（维度或指数），不能是指标', 'A parent must be an aggregate (dimension or index), not an indicator'],
  FRAMEWORK_CYCLE: ['指标体系存在循环引用', 'The framework contains a cycle'],
  NO_ROOT: ['指标体系没有顶层总指数（无上级的节点）', 'The framework has no root (a node without parent)'],
  MULTIPLE_ROOTS: ['指标体系有多个顶层节点，只能有一个总指数', 'The framework has several roots; exactly one index is allowed'],
  EMPTY_AGGREGATE: ['汇总节点下没有任何指标或子维度', 'An aggregate has no children'],
  LEVEL_MISMATCH: ['层级不一致：指标必须在第 1 层，上级节点的层级必须高于下级', 'Inconsistent levels: indicators are level 1 and a parent must sit above its children'],
  INVALID_DIRECTION: ['指标方向必须为 1（正向）或 -1（逆向）', 'Direction must be 1 (higher is better) or -1 (lower is better)'],
  INVALID_WEIGHT: ['权重必须是非负有限数', 'Weights must be finite and non-negative'],
  ZERO_WEIGHTS: ['同一上级下的权重之和为零', 'The weights of all children of a parent are zero'],
  UNKNOWN_DENOMINATOR: ['分母（Denominator）代码未在指标体系中定义', 'A denominator code is not declared in the framework'],
  INVALID_TARGET: ['目标值必须是数字', 'Targets must be numbers'],
};

function problem(code: string, extra: Record<string, unknown>): ErrorDetail {
  const [zh, en] = FRAMEWORK_MESSAGES[code];
  return { ...extra, code, message: zh, message_en: en };
}

function fail(problems: ErrorDetail[]): never {
  const code = String(problems[0].code);
  const [zh, en] = FRAMEWORK_MESSAGES[code] ?? ['指标体系无效', 'The framework is not valid'];
  throw new EngineError(code, zh, en, problems);
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' || s === 'NA' ? null : s;
}

/** Parses a number cell: '' / NA / null → null; anything else must be numeric. */
function num(v: unknown): number | null | 'invalid' {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : 'invalid';
  const s = String(v).trim();
  if (s === '' || s === 'NA') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : 'invalid';
}

type RowKind = NodeType | 'group' | 'denominator' | 'other';

function kindOf(type: string | null, level: number | null): RowKind | 'invalid' {
  if (type === null) return level === 1 ? 'indicator' : 'aggregate';
  switch (type.toLowerCase()) {
    case 'indicator':
      return 'indicator';
    case 'aggregate':
      return 'aggregate';
    case 'group':
      return 'group';
    case 'denominator':
      return 'denominator';
    case 'other':
      return 'other';
    default:
      return 'invalid';
  }
}

/**
 * Builds and validates a framework from COINr-style iMeta rows. Throws an EngineError whose code
 * names the first problem and whose details list every problem found.
 */
export function buildFramework(rows: readonly IMetaRow[], opts: { version?: string | null } = {}): Framework {
  const problems: ErrorDetail[] = [];
  type Draft = { row: number; code: string; kind: RowKind; name: string; level: number | null; parent: string | null; direction: Direction; weight: number; target: number | null; unit: string | null; denominator: string | null; source: string | null };
  const drafts: Draft[] = [];
  const seen = new Map<string, number>();

  rows.forEach((r, i) => {
    const row = i + 1;
    const code = text(r.iCode);
    if (code === null) {
      problems.push(problem('INVALID_CODE', { row }));
      return;
    }
    if (seen.has(code)) {
      problems.push(problem('DUPLICATE_CODE', { row, field: 'iCode', value: code, first_row: seen.get(code) }));
      return;
    }
    seen.set(code, row);
    const lv = num(r.Level);
    const level = lv === 'invalid' ? null : lv;
    if (lv === 'invalid' || (level !== null && (!Number.isInteger(level) || level < 1))) {
      problems.push(problem('LEVEL_MISMATCH', { row, field: 'Level', value: r.Level }));
    }
    const kind = kindOf(text(r.Type), level);
    if (kind === 'invalid') {
      problems.push(problem('INVALID_TYPE', { row, field: 'Type', value: r.Type }));
      return;
    }
    const d = num(r.Direction);
    let direction: Direction = 1;
    if (d === 'invalid' || (d !== null && d !== 1 && d !== -1)) {
      if (kind === 'indicator' || kind === 'aggregate') problems.push(problem('INVALID_DIRECTION', { row, field: 'Direction', value: r.Direction }));
    } else if (d === -1) direction = -1;
    const w = num(r.Weight);
    let weight = 1;
    if (w === 'invalid' || (w !== null && w < 0)) {
      if (kind === 'indicator' || kind === 'aggregate') problems.push(problem('INVALID_WEIGHT', { row, field: 'Weight', value: r.Weight }));
    } else if (w !== null) weight = w;
    const t = num(r.Target);
    if (t === 'invalid') problems.push(problem('INVALID_TARGET', { row, field: 'Target', value: r.Target }));
    drafts.push({
      row,
      code,
      kind,
      name: text(r.iName) ?? code,
      level,
      parent: text(r.Parent),
      direction,
      weight,
      target: t === 'invalid' ? null : t,
      unit: text(r.Unit),
      denominator: text(r.Denominator),
      source: text(r.Source),
    });
  });

  const tree = drafts.filter((d) => d.kind === 'indicator' || d.kind === 'aggregate');
  const groups = drafts.filter((d) => d.kind === 'group').map((d) => d.code);
  const denominators = drafts.filter((d) => d.kind === 'denominator').map((d) => d.code);
  if (problems.length) fail(problems);
  if (!tree.some((d) => d.kind === 'indicator') || !tree.some((d) => d.kind === 'aggregate')) fail([problem('FRAMEWORK_EMPTY', {})]);

  const byCode = new Map(tree.map((d) => [d.code, d]));
  const children: Record<string, string[]> = {};
  for (const d of tree) if (d.kind === 'aggregate') children[d.code] = [];
  for (const d of tree) {
    if (d.parent === null) continue;
    const p = byCode.get(d.parent);
    if (!p) problems.push(problem('UNKNOWN_PARENT', { row: d.row, node: d.code, field: 'Parent', value: d.parent }));
    else if (p.kind !== 'aggregate') problems.push(problem('PARENT_NOT_AGGREGATE', { row: d.row, node: d.code, value: d.parent }));
    else children[p.code].push(d.code);
  }
  if (problems.length) fail(problems);

  // Cycles: follow parents from every node; a chain longer than the node count loops.
  const reported = new Set<string>();
  for (const d of tree) {
    const path: string[] = [d.code];
    let cur = d.parent;
    while (cur !== null && path.length <= tree.length) {
      if (path.includes(cur)) {
        const cycle = path.slice(path.indexOf(cur));
        const key = [...cycle].sort().join('>');
        if (!reported.has(key)) {
          reported.add(key);
          problems.push(problem('FRAMEWORK_CYCLE', { cycle: [...cycle, cur] }));
        }
        break;
      }
      path.push(cur);
      cur = byCode.get(cur)?.parent ?? null;
    }
  }
  if (problems.length) fail(problems);

  const roots = tree.filter((d) => d.parent === null);
  if (roots.length === 0) fail([problem('NO_ROOT', {})]);
  const aggregateRoots = roots.filter((d) => d.kind === 'aggregate');
  if (roots.length > 1) {
    fail([problem('MULTIPLE_ROOTS', { codes: roots.map((r) => r.code) })]);
  }
  if (aggregateRoots.length !== 1) fail([problem('NO_ROOT', { codes: roots.map((r) => r.code) })]);
  const root = aggregateRoots[0].code;

  for (const [code, kids] of Object.entries(children)) {
    if (kids.length === 0) problems.push(problem('EMPTY_AGGREGATE', { node: code, row: byCode.get(code)?.row }));
    else if (kids.every((k) => byCode.get(k)!.weight === 0)) problems.push(problem('ZERO_WEIGHTS', { node: code }));
  }
  if (problems.length) fail(problems);

  // Levels: derive where absent (indicator 1, aggregate 1 + highest child); check where given.
  const level = new Map<string, number>();
  const levelOf = (code: string): number => {
    const known = level.get(code);
    if (known !== undefined) return known;
    const d = byCode.get(code)!;
    const derived = d.kind === 'indicator' ? 1 : 1 + Math.max(...children[code].map(levelOf));
    const lv = d.level ?? derived;
    level.set(code, lv);
    return lv;
  };
  for (const d of tree) {
    const lv = levelOf(d.code);
    if (d.kind === 'indicator' && lv !== 1) problems.push(problem('LEVEL_MISMATCH', { row: d.row, node: d.code, level: lv }));
    if (d.parent !== null && levelOf(d.parent) <= lv) {
      problems.push(problem('LEVEL_MISMATCH', { row: d.row, node: d.code, level: lv, parent: d.parent, parent_level: levelOf(d.parent) }));
    }
  }
  if (denominators.length > 0) {
    for (const d of tree) {
      if (d.denominator !== null && !denominators.includes(d.denominator)) {
        problems.push(problem('UNKNOWN_DENOMINATOR', { row: d.row, node: d.code, value: d.denominator }));
      }
    }
  }
  if (problems.length) fail(problems);

  const nodes: FrameworkNode[] = tree
    .map((d) => ({
      code: d.code,
      name: d.name,
      level: levelOf(d.code),
      parent: d.parent,
      direction: d.direction,
      weight: d.weight,
      type: d.kind as NodeType,
      target: d.target,
      unit: d.unit,
      denominator: d.kind === 'indicator' ? d.denominator : null,
      source: d.source,
    }))
    .map((n, i) => ({ n, i }))
    .sort((a, b) => a.n.level - b.n.level || a.i - b.i)
    .map(({ n }) => n);
  const node: Record<string, FrameworkNode> = {};
  for (const n of nodes) node[n.code] = n;
  return {
    version: opts.version ?? null,
    nodes,
    node,
    children,
    indicators: nodes.filter((n) => n.type === 'indicator').map((n) => n.code),
    aggregates: nodes.filter((n) => n.type === 'aggregate').map((n) => n.code),
    root,
    maxLevel: Math.max(...nodes.map((n) => n.level)),
    groups,
    denominators,
  };
}

/** Builds a framework from plain node objects (the JSON/YAML form) by mapping them to iMeta rows. */
export function buildFrameworkFromNodes(nodes: readonly NodeInput[], opts: { version?: string | null } = {}): Framework {
  return buildFramework(
    nodes.map((n) => ({
      iCode: n.code,
      iName: n.name ?? null,
      Level: n.level ?? null,
      Parent: n.parent ?? null,
      Direction: n.direction ?? null,
      Weight: n.weight ?? null,
      Type: n.type ?? null,
      Target: n.target ?? null,
      Unit: n.unit ?? null,
      Denominator: n.denominator ?? null,
      Source: n.source ?? null,
    })),
    opts,
  );
}

/**
 * The framework without the given indicators; aggregates left without children disappear too.
 * Used to drop zero-variance or empty indicators when the caller allows it.
 */
export function pruneFramework(fw: Framework, drop: readonly string[]): Framework {
  if (drop.length === 0) return fw;
  const gone = new Set(drop);
  let changed = true;
  while (changed) {
    changed = false;
    for (const a of fw.aggregates) {
      if (!gone.has(a) && fw.children[a].every((k) => gone.has(k))) {
        gone.add(a);
        changed = true;
      }
    }
  }
  if (gone.has(fw.root)) {
    throw new EngineError('NO_INDICATORS_LEFT', '删除无效指标后，指标体系中没有剩余指标', 'No indicators are left in the framework after dropping the unusable ones', drop.map((c) => ({ column: c })));
  }
  return buildFrameworkFromNodes(
    [
      ...fw.nodes.filter((n) => !gone.has(n.code)),
      ...fw.groups.map((code) => ({ code, type: 'group' as const })),
      ...fw.denominators.map((code) => ({ code, type: 'denominator' as const })),
    ],
    { version: fw.version },
  );
}

/** Codes from the root down to the node (the node's lineage), root first. */
export function lineage(fw: Framework, code: string): string[] {
  const out: string[] = [];
  let cur: string | null = code;
  while (cur !== null) {
    out.unshift(cur);
    cur = fw.node[cur].parent;
  }
  return out;
}

/** Throws UNKNOWN_INDICATOR when a method references codes the framework does not have. */
export function assertKnownCodes(fw: Framework, codes: Iterable<string>, where: readonly [zh: string, en: string], kinds: 'indicator' | 'any' = 'any'): void {
  const unknown = [...codes].filter((c) => {
    const n = fw.node[c];
    return !n || (kinds === 'indicator' && n.type !== 'indicator');
  });
  if (unknown.length) {
    throw new EngineError(
      'UNKNOWN_INDICATOR',
      `${where[0]}中引用了指标体系中不存在的代码：${unknown.join('、')}`,
      `${where[1]} references codes that are not in the framework: ${unknown.join(', ')}`,
      unknown.map((c) => ({ code: 'UNKNOWN_INDICATOR', value: c, field: where[1] })),
    );
  }
}
