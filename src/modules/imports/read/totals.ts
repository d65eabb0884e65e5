/**
 * Check the totals a table states against the ones its detail cells give, row by row as the
 * file streams: a total column against the sum of the columns it totals, and a total row
 * against the sum of the data rows above it (below it, when the total comes first).
 *
 * Every stated total is compared with detail cells only, never with other stated totals: the
 * grand total (total row × total column) is compared with the sum of all detail cells. So one
 * wrong total gives exactly one TOTAL_MISMATCH, while a wrong detail cell flags each total that
 * covers it.
 */
import { describeIssue, locate } from './issues.ts';
import type { CellValue, Issue, RowKind, TableShape } from './types.ts';
import { isEmptyMarker, parseNumber, type DecimalSeparator } from './values.ts';

export interface TotalsOptions {
  /** Columns not to check (0-based), besides key columns and ratio columns. */
  skipColumns?: number[];
  /** Relative tolerance for non-integer totals (default 1e-6). */
  relativeTolerance?: number;
}

/**
 * Numbers of a row for the checker: null for an empty cell, NaN for a cell that is not a number
 * (text, formula errors), so that a column with text in it is never "checked" with a partial sum.
 */
export function numericCells(cells: CellValue[], decimal: DecimalSeparator = '.'): (number | null)[] {
  const plain = decimal === ',' ? PLAIN_COMMA : PLAIN_POINT;
  return cells.map((c) => {
    if (c === null) return null;
    if (typeof c === 'number') return c;
    // Fast paths: most cells of a big file are plain numbers or plain text.
    if (plain.test(c)) return Number(decimal === ',' ? c.replace(',', '.') : c);
    if (!/\d/.test(c)) return isEmptyMarker(c) ? null : Number.NaN;
    if (DATE_LIKE.test(c)) return Number.NaN;
    const p = parseNumber(c, { decimal });
    if (p.value !== null) return p.value;
    return p.issue ? Number.NaN : null;
  });
}

const PLAIN_POINT = /^-?\d+(?:\.\d+)?$/;
const PLAIN_COMMA = /^-?\d+(?:,\d+)?$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;

// Averages, shares, ranks and rates do not add up; their "total" cells are not sums.
const RATIO_LABEL = /(%|％|‰|率|占比|比重|比例|份额|均|排名|名次|指数|单价|人均|share|rate|ratio|percent|average|mean|median|rank|index|per\s)/i;

function decimalsOf(n: number): number {
  const s = String(Math.abs(n));
  const e = s.match(/e-(\d+)$/);
  if (e) return Math.min(20, Number(e[1]) + (s.split('e')[0].split('.')[1]?.length ?? 0));
  return Math.min(20, s.split('.')[1]?.length ?? 0);
}

const display = (n: number) => Number(n.toPrecision(12));

const decimals = (n: number) => (Number.isInteger(n) ? 0 : decimalsOf(n));

class Scope {
  sum: number[];
  numeric: number[];
  invalid: number[];
  /** The most decimals any summed value was written with. */
  decimals: number[];
  dataRows = 0;

  constructor(width: number) {
    this.sum = new Array(width).fill(0);
    this.numeric = new Array(width).fill(0);
    this.invalid = new Array(width).fill(0);
    this.decimals = new Array(width).fill(0);
  }

  reset(): void {
    this.sum.fill(0);
    this.numeric.fill(0);
    this.invalid.fill(0);
    this.decimals.fill(0);
    this.dataRows = 0;
  }
}

interface Pending {
  row: number;
  values: (number | null)[];
}

/**
 * Streaming totals check. Feed every row below the header in order with `push`; call `finish`
 * at the end (for totals written above their details). Memory: a few numbers per column.
 */
export class TotalsChecker {
  private readonly width: number;
  private readonly checked: boolean[];
  private readonly totalOf: (number[] | undefined)[];
  private readonly label: (string | undefined)[];
  private readonly sinceSubtotal: Scope;
  private readonly sinceTotal: Scope;
  private pending: Pending | undefined;
  private readonly relTol: number;

  constructor(private readonly shape: TableShape, opts: TotalsOptions = {}) {
    this.width = shape.columns.length;
    const skip = new Set([...shape.keyColumns, ...(opts.skipColumns ?? [])]);
    this.checked = shape.columns.map((c) => !skip.has(c.index) && !RATIO_LABEL.test(c.label));
    this.totalOf = shape.columns.map((c) => (c.kind === 'total' && c.totalOf?.length ? c.totalOf : undefined));
    this.label = shape.columns.map((c) => c.original || undefined);
    this.sinceSubtotal = new Scope(this.width);
    this.sinceTotal = new Scope(this.width);
    this.relTol = opts.relativeTolerance ?? 1e-6;
  }

  /** Feed one row; returns the mismatches found (usually on this row; see `finish`). */
  push(row: number, kind: RowKind, values: (number | null)[]): Issue[] {
    const issues: Issue[] = [];
    if (kind === 'note') return issues;
    if (kind === 'data' || kind === 'of_which') this.checkRowTotals(row, values, issues);
    if (kind === 'data') {
      for (const scope of [this.sinceSubtotal, this.sinceTotal]) this.accumulate(scope, values);
    } else if (kind === 'subtotal') {
      this.checkColumnTotals(row, values, this.sinceSubtotal, issues);
      this.sinceSubtotal.reset();
    } else if (kind === 'total') {
      if (this.pending) {
        // Details below a total at the top: check it, and a repeated total at the bottom too.
        this.checkColumnTotals(this.pending.row, this.pending.values, this.sinceTotal, issues);
        this.pending = undefined;
        this.checkColumnTotals(row, values, this.sinceTotal, issues);
      } else if (this.sinceTotal.dataRows === 0) {
        // A total above its details, as many statistical tables have it: check it once they
        // have been read.
        this.pending = { row, values: [...values] };
      } else {
        this.checkColumnTotals(row, values, this.sinceTotal, issues);
      }
      this.sinceTotal.reset();
      this.sinceSubtotal.reset();
    }
    return issues;
  }

  /** Check a total row that came before its details; call once after the last row. */
  finish(): Issue[] {
    const issues: Issue[] = [];
    if (this.pending && this.sinceTotal.dataRows > 0) {
      this.checkColumnTotals(this.pending.row, this.pending.values, this.sinceTotal, issues);
    }
    this.pending = undefined;
    return issues;
  }

  private accumulate(scope: Scope, values: (number | null)[]): void {
    scope.dataRows++;
    for (let c = 0; c < this.width; c++) {
      if (!this.checked[c]) continue;
      const parts = this.totalOf[c];
      // A total column accumulates what its detail cells give, not what the row states.
      const v = parts ? this.partsSum(values, parts) : values[c];
      if (v === null || v === undefined) continue;
      if (Number.isNaN(v)) scope.invalid[c]++;
      else {
        scope.sum[c] += v;
        scope.numeric[c]++;
        const d = parts ? Math.max(...parts.map((p) => decimals(values[p] ?? 0))) : decimals(v);
        if (d > scope.decimals[c]) scope.decimals[c] = d;
      }
    }
  }

  // Sum of a row's detail cells; null when all are empty, NaN when any is not a number.
  private partsSum(values: (number | null)[], parts: number[]): number | null {
    let sum = 0;
    let any = false;
    for (const p of parts) {
      const v = values[p];
      if (v === null || v === undefined) continue;
      if (Number.isNaN(v)) return Number.NaN;
      sum += v;
      any = true;
    }
    return any ? sum : null;
  }

  private checkRowTotals(row: number, values: (number | null)[], issues: Issue[]): void {
    for (let c = 0; c < this.width; c++) {
      const parts = this.totalOf[c];
      if (!parts) continue;
      const stated = values[c];
      if (stated === null || stated === undefined || Number.isNaN(stated)) continue;
      const computed = this.partsSum(values, parts);
      if (computed === null || Number.isNaN(computed)) continue;
      const d = Math.max(...parts.map((p) => decimals(values[p] ?? 0)));
      if (!this.agrees(stated, computed, d)) issues.push(this.mismatch(row, c, 'row', stated, computed));
    }
  }

  private checkColumnTotals(row: number, values: (number | null)[], scope: Scope, issues: Issue[]): void {
    for (let c = 0; c < this.width; c++) {
      if (!this.checked[c]) continue;
      const stated = values[c];
      if (stated === null || stated === undefined || Number.isNaN(stated)) continue;
      if (scope.invalid[c] > 0 || scope.numeric[c] === 0) continue;
      const computed = scope.sum[c];
      if (!this.agrees(stated, computed, scope.decimals[c])) {
        issues.push(this.mismatch(row, c, this.totalOf[c] ? 'grand' : 'column', stated, computed));
      }
    }
  }

  // Figures agree to the precision of the coarser side: a total written 13.2 for details of
  // 4.44 + 8.79, or details in whole 万元 under a total of 2116.4, agree within half a unit of
  // the last digit; integers on both sides within 0.5. Beyond that, float noise (relative).
  private agrees(stated: number, computed: number, detailDecimals: number): boolean {
    const diff = Math.abs(stated - computed);
    const rounding = 0.5 * 10 ** -Math.min(decimals(stated), detailDecimals);
    const relative = this.relTol * Math.max(Math.abs(stated), Math.abs(computed));
    return diff <= Math.max(rounding, relative) + 1e-9;
  }

  private mismatch(row: number, column: number, what: 'row' | 'column' | 'grand', stated: number, computed: number): Issue {
    const shown = display(computed);
    return locate(
      describeIssue('TOTAL_MISMATCH', { what, stated, computed: shown }),
      { row, column, columnLabel: this.label[column] },
      { stated, computed: shown },
    );
  }
}

/** Run the check over rows already classified (e.g. a whole small table); yields mismatches. */
export async function* checkTotals(
  rows: AsyncIterable<{ row: number; cells: CellValue[]; kind: RowKind }> | Iterable<{ row: number; cells: CellValue[]; kind: RowKind }>,
  shape: TableShape,
  opts: TotalsOptions & { decimal?: DecimalSeparator } = {},
): AsyncGenerator<Issue> {
  const checker = new TotalsChecker(shape, opts);
  for await (const r of rows) yield* checker.push(r.row, r.kind, numericCells(r.cells, opts.decimal));
  yield* checker.finish();
}
