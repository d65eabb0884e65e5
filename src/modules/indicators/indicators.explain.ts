/**
 * "Why this score": one unit's path from raw values through denominators, imputation, outlier
 * treatment and normalisation, weights and aggregation to its index score. Pure: works on an
 * engine result (recomputed from the stored run).
 *
 * Under arithmetic aggregation a parent's value is Σ w_k x_k / Σ w_k over the children the unit
 * has, so each node's effective weight for the unit is the product, down its lineage, of its
 * weight share among the present siblings, and contribution = effective weight × value. The
 * indicator contributions then add up to the dimension scores and to the index exactly (up to
 * rounding). Geometric, harmonic and TOPSIS aggregation are not additive: their nodes carry
 * values and weights, and contributions below them are null (`additive: false`).
 */
import { levelSpec } from './engine/aggregate.ts';
import { warning } from './engine/errors.ts';
import { pruneFramework, type Cell, type CompositeResult, type DataTable, type EngineWarning, type Framework, type Methods } from './engine/index.ts';
import type { Explain, NodeDto } from './indicators.schema.ts';

/** Row of `unit` in a table (at the evaluated time point for panels), or -1. */
function rowOf(t: DataTable, unit: string, time: number | null): number {
  for (let i = 0; i < t.units.length; i++) {
    if (t.units[i] !== unit) continue;
    if (!t.times || time === null || t.times[i] === time) return i;
  }
  return -1;
}

function valueOf(t: DataTable, row: number, code: string): Cell {
  if (row < 0) return null;
  const j = t.codes.indexOf(code);
  return j < 0 ? null : t.values[row][j];
}

/** The time point a panel run evaluated (the one asked, or the single one the data has). */
function evaluatedTime(t: DataTable, methods: Methods): number | null {
  if (!t.times) return null;
  if (methods.time !== undefined) return methods.time;
  const distinct = [...new Set(t.times.filter((x): x is number => x !== null))];
  return distinct.length === 1 ? distinct[0] : null;
}

/** Explains one unit's score. `nodes` give names; `fw0` is the framework the run was given. */
export function explainUnit(runId: number, fw0: Framework, nodes: readonly NodeDto[], r: CompositeResult, unit: string, storedScore: number | null): Omit<Explain, 'unit'> & { unit: string } {
  const methods = r.diagnostics.provenance.methods as Methods;
  const fw = pruneFramework(fw0, r.diagnostics.dropped_indicators);
  const names = new Map(nodes.map((n) => [n.code, n.name]));
  const t = r.intermediate;
  const time = evaluatedTime(t.raw, methods);
  const rows = {
    raw: rowOf(t.raw, unit, time),
    denominated: rowOf(t.denominated, unit, time),
    imputed: rowOf(t.imputed, unit, time),
    treated: rowOf(t.treated, unit, null),
    normalised: rowOf(t.normalised, unit, null),
    aggregated: rowOf(t.aggregated, unit, null),
  };
  const res = r.units.find((u) => u.unit === unit);
  const aggSpec = methods.aggregate ?? { method: 'arithmetic' as const };
  const w = r.node_weights;
  const value = (code: string): Cell => (fw.node[code].type === 'indicator' ? valueOf(t.normalised, rows.normalised, code) : valueOf(t.aggregated, rows.aggregated, code));

  // Effective weights top-down, renormalised over the children this unit has.
  const ew = new Map<string, number | null>([[fw.root, value(fw.root) === null ? null : 1]]);
  const methodOf = new Map<string, string>();
  let additive = true;
  const order = [...fw.aggregates].reverse(); // root first
  for (const p of order) {
    const spec = levelSpec(aggSpec, fw.node[p].level);
    methodOf.set(p, spec.method);
    const kids = fw.children[p];
    const pe = ew.get(p) ?? null;
    if (spec.method !== 'arithmetic') additive = false;
    const present = kids.filter((k) => value(k) !== null);
    const sw = present.reduce((s, k) => s + (w[k] ?? 0), 0);
    for (const k of kids) {
      ew.set(k, spec.method === 'arithmetic' && pe !== null && sw > 0 && value(k) !== null ? (pe * (w[k] ?? 0)) / sw : null);
    }
  }
  const contribution = (code: string): number | null => {
    const e = ew.get(code);
    const v = value(code);
    return e === null || e === undefined || v === null ? null : e * v;
  };

  const indicators = fw.indicators.map((code) => {
    const n = fw.node[code];
    return {
      code,
      name: names.get(code) ?? null,
      parent: n.parent!,
      direction: n.direction,
      unit: n.unit,
      raw: valueOf(t.raw, rows.raw, code),
      denominated: valueOf(t.denominated, rows.denominated, code),
      imputed: valueOf(t.imputed, rows.imputed, code),
      treated: valueOf(t.treated, rows.treated, code),
      normalised: value(code),
      normalise_params: r.diagnostics.normalise.params[code] ?? {},
      weight: w[code] ?? 0,
      effective_weight: ew.get(code) ?? null,
      contribution: contribution(code),
    };
  });
  const nodesOut = fw.aggregates.map((code) => {
    const n = fw.node[code];
    return {
      code,
      name: names.get(code) ?? null,
      level: n.level,
      parent: n.parent,
      method: methodOf.get(code) ?? 'arithmetic',
      score: value(code),
      rank: code === fw.root ? (res?.rank ?? null) : (res?.dimensions[code]?.rank ?? null),
      weight: w[code] ?? 1,
      effective_weight: ew.get(code) ?? null,
      contribution: contribution(code),
    };
  });

  const score = value(fw.root);
  const contributions = indicators.map((i) => i.contribution);
  const sum = additive && score !== null ? contributions.reduce<number>((s, c) => s + (c ?? 0), 0) : null;
  const notes: EngineWarning[] = [];
  if (!additive) {
    notes.push(warning('EXPLAIN_NOT_ADDITIVE', '该运行使用了非算术汇总（几何、调和或 TOPSIS），得分不能分解为各指标贡献之和；下表给出各层取值与权重', 'This run aggregates non-arithmetically (geometric, harmonic or TOPSIS): the score does not split into a sum of indicator contributions; values and weights are given per level'));
  }
  const reproduced = storedScore === null ? score === null : score !== null && Math.abs(score - storedScore) <= 1e-9 * Math.max(1, Math.abs(storedScore));
  if (!reproduced) {
    notes.push(warning('RUN_NOT_REPRODUCED', `重新计算的得分（${score}）与保存的得分（${storedScore}）不一致`, `The recomputed score (${score}) differs from the stored one (${storedScore})`, { recomputed: score, stored: storedScore }));
  }
  return {
    run: runId,
    unit,
    name: res?.name ?? null,
    score,
    rank: res?.rank ?? null,
    additive,
    contributions_sum: sum,
    reproduced,
    indicators,
    nodes: nodesOut,
    notes,
  };
}
