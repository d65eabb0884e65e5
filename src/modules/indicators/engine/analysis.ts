/**
 * Multivariate checks of a built index (OECD/JRC Handbook steps 4 and 8): Pearson correlations
 * between indicators and of every indicator and aggregate with its parent and with the index,
 * Cronbach's alpha of each aggregate's children, and effective weights.
 */
import { lineage } from './framework.ts';
import { pearson, variance } from './stats.ts';
import type { Cell, DataTable, Framework } from './types.ts';

export interface AnalysisResult {
  /** Indicator × indicator Pearson correlations on the normalised values (pairwise complete). */
  indicatorCorrelations: { codes: string[]; matrix: (number | null)[][] };
  /** Correlation of each indicator and aggregate with the index. */
  withIndex: Record<string, number | null>;
  /** Correlation of each node with its parent. */
  withParent: Record<string, number | null>;
  /**
   * Cronbach's alpha of each aggregate over its children (complete units):
   * α = k/(k − 1) · (1 − Σ s²_i / s²_total) (Cronbach 1951).
   */
  cronbach: Record<string, number | null>;
  /** Weight of each indicator in the index: product of renormalised weights along its lineage. */
  effectiveWeights: Record<string, number>;
}

/** Cronbach's alpha of the given columns over complete rows; null if fewer than 2 columns or 3 rows. */
export function cronbachAlpha(cols: readonly (readonly Cell[])[]): number | null {
  const k = cols.length;
  if (k < 2) return null;
  const n = cols[0].length;
  const rows: number[][] = [];
  for (let u = 0; u < n; u++) {
    const r = cols.map((c) => c[u]);
    if (r.every((v) => v !== null)) rows.push(r as number[]);
  }
  if (rows.length < 3) return null;
  const itemVar = cols.map((_, j) => variance(rows.map((r) => r[j])));
  const totalVar = variance(rows.map((r) => r.reduce((s, v) => s + v, 0)));
  if (!(totalVar > 0)) return null;
  return (k / (k - 1)) * (1 - itemVar.reduce((s, v) => s + v, 0) / totalVar);
}

/** Runs the analysis on the aggregated table (indicators normalised, aggregates scored). */
export function analyse(fw: Framework, aggregated: DataTable, nodeWeights: Record<string, number>): AnalysisResult {
  const col = (code: string): Cell[] => {
    const j = aggregated.codes.indexOf(code);
    return aggregated.values.map((r) => r[j]);
  };
  const cols: Record<string, Cell[]> = {};
  for (const c of aggregated.codes) cols[c] = col(c);
  const codes = fw.indicators;
  const matrix = codes.map((a) => codes.map((b) => (a === b ? 1 : pearson(cols[a], cols[b]))));
  const withIndex: Record<string, number | null> = {};
  const withParent: Record<string, number | null> = {};
  for (const n of fw.nodes) {
    if (n.code === fw.root) continue;
    withIndex[n.code] = pearson(cols[n.code], cols[fw.root]);
    withParent[n.code] = n.parent ? pearson(cols[n.code], cols[n.parent]) : null;
  }
  const cronbach: Record<string, number | null> = {};
  for (const a of fw.aggregates) cronbach[a] = cronbachAlpha(fw.children[a].map((k) => cols[k]));
  const effectiveWeights: Record<string, number> = {};
  for (const i of fw.indicators) effectiveWeights[i] = lineage(fw, i).reduce((p, c) => p * (c === fw.root ? 1 : nodeWeights[c] ?? 0), 1);
  return { indicatorCorrelations: { codes: [...codes], matrix }, withIndex, withParent, cronbach, effectiveWeights };
}
