/**
 * A small integer-programme interface over HiGHS (the Edinburgh solver, WebAssembly build of the
 * `highs` package): maximise Σ c_t x_t over integer 0 ≤ x_t ≤ u_t subject to rows Σ x_t (sense)
 * rhs, every coefficient 1 — all the assignment solver needs. The WebAssembly module is loaded
 * once, on first use, from the package (no download); HiGHS runs synchronously on this thread.
 * The gap tolerances are set to zero so that "Optimal" means proved optimal.
 */

/** One integer variable. */
export interface MipColumn {
  name: string;
  objective: number;
  upper: number;
  /** The application (and reviewer, −1 for a slack) the variable stands for. */
  application: number;
  reviewer: number;
}

/** One row: the sum of its columns (coefficient 1) against the right-hand side. */
export interface MipRow {
  columns: number[];
  sense: '=' | '<=' | '>=';
  rhs: number;
}

/** A maximisation problem over the columns. */
export interface MipModel {
  columns: MipColumn[];
  rows: MipRow[];
}

/** Values per column; `optimal` when HiGHS proved optimality. */
export interface MipOutcome {
  values: Float64Array;
  optimal: boolean;
  objective: number;
}

/** The part of HiGHS's one-shot API used here: a CPLEX LP-format model in, a solution out. */
export interface HighsSolver {
  solve(
    problem: string,
    options?: Record<string, string | number | boolean>,
  ): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal?: number }> };
}

type Loader = () => Promise<HighsSolver>;
let loading: Promise<HighsSolver> | null = null;

/**
 * HiGHS, loaded once. The package's ES build exports the loader as default; its type file is
 * written for the CommonJS build, where the loader sits one `default` deeper.
 */
export function loadHighs(): Promise<HighsSolver> {
  loading ??= import('highs').then((m) => {
    const d = (m as unknown as { default: Loader | { default: Loader } }).default;
    return (typeof d === 'function' ? d : d.default)();
  });
  return loading;
}

/** The model in CPLEX LP format (HiGHS reads it directly). */
export function lpFormat(model: MipModel): string {
  const out: string[] = ['Maximize', ' obj:'];
  const terms = (items: string[]) => {
    for (let t = 0; t < items.length; t += 10) out.push(`  ${items.slice(t, t + 10).join(' ')}`);
  };
  terms(model.columns.map((c) => `${c.objective < 0 ? '-' : '+'} ${Math.abs(c.objective).toPrecision(17)} ${c.name}`));
  out.push('Subject To');
  model.rows.forEach((r, i) => {
    out.push(` r${i}:`);
    terms(r.columns.map((c) => `+ ${model.columns[c].name}`));
    out.push(`  ${r.sense} ${r.rhs}`);
  });
  out.push('Bounds');
  for (const c of model.columns) out.push(` 0 <= ${c.name} <= ${c.upper}`);
  out.push('General');
  terms(model.columns.map((c) => c.name));
  out.push('End');
  return out.join('\n');
}

/**
 * Solves the integer programme. Throws when HiGHS finds it infeasible or fails (the assignment
 * models always have a feasible point: the slack columns); a time limit gives the best answer
 * found with `optimal: false`.
 */
export async function solveMip(model: MipModel, timeLimitSeconds: number): Promise<MipOutcome> {
  const h = await loadHighs();
  const r = h.solve(lpFormat(model), { mip_rel_gap: 0, mip_abs_gap: 1e-9, time_limit: timeLimitSeconds, output_flag: false });
  if (r.Status !== 'Optimal' && r.Status !== 'Time limit reached') throw new Error(`HiGHS could not solve the assignment programme: ${r.Status}`);
  const values = new Float64Array(model.columns.length);
  model.columns.forEach((c, t) => {
    const col = r.Columns[c.name] as { Primal?: number } | undefined;
    values[t] = col?.Primal ?? 0;
  });
  return { values, optimal: r.Status === 'Optimal', objective: r.ObjectiveValue };
}
