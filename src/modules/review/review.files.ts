/**
 * Reading the solver's input files (`innolink review solve`): the affinity table A
 * (`application,reviewer,affinity`), the conflict table C (`application,reviewer`) and the
 * reviewer table R (`reviewer,foreign,organisation`), as CSV or XLSX through the importer's
 * reading layer (encodings such as GBK, delimiters, header row). Every problem is reported with
 * its file, row and column, in Chinese and English, all at once (up to 100), as one
 * REVIEW_INPUT_INVALID error: nothing is solved on a half-read input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError, type ErrorDetail } from '../../errors.ts';
import { readTable, type CellValue } from '../imports/read/index.ts';
import type { AssignmentInput } from './engine/assign.ts';

const MAX_ISSUES = 100;

/** What the three files hold, ready for the solver. */
export interface SolverFiles {
  applications: string[];
  reviewers: string[];
  affinities: { application: Int32Array; reviewer: Int32Array; affinity: Float64Array };
  conflicts: { application: Int32Array; reviewer: Int32Array };
  /** From R.csv, when given. */
  foreign: boolean[] | null;
  organisation: (string | null)[] | null;
}

/** Problems found while reading, each with its place. */
class IssueList {
  readonly items: ErrorDetail[] = [];
  count = 0;
  add(file: string, row: number | null, column: string | null, code: string, zh: string, en: string, extra: Record<string, unknown> = {}) {
    this.count++;
    if (this.items.length >= MAX_ISSUES) return;
    const where = row === null ? `${file}` : `${file} 第 ${row} 行${column ? `“${column}”列` : ''}`;
    const whereEn = row === null ? `${file}` : `${file} row ${row}${column ? `, column “${column}”` : ''}`;
    this.items.push({ file, ...(row !== null ? { row } : {}), ...(column ? { column } : {}), code, message: `${where}：${zh}`, message_en: `${whereEn}: ${en}`, ...extra });
  }
  throwIfAny(): void {
    if (!this.count) return;
    const first = this.items[0];
    throw new AppError(
      'REVIEW_INPUT_INVALID',
      422,
      `输入文件有 ${this.count} 处问题，未进行分配。第一处：${first.message}`,
      `The input files have ${this.count} problem(s); nothing was assigned. First: ${first.message_en}`,
      this.items,
    );
  }
}

const cellText = (v: CellValue): string => (v === null ? '' : String(v).trim());

/**
 * Streams a table's rows as cells in the order of `required` (then `optional`), after checking
 * that the header names them (case and surrounding spaces ignored).
 */
async function eachRecord(file: string, required: string[], optional: string[], issues: IssueList, visit: (row: number, cells: string[]) => void): Promise<boolean> {
  const name = path.basename(file);
  const t = await readTable({ path: file, fileName: name, checkTotals: false, maxBytes: 2 ** 31 - 1 });
  try {
    const header = t.shape.columns.map((c) => c.original.trim().toLowerCase());
    const missing = required.filter((c) => !header.includes(c));
    if (missing.length) {
      issues.add(
        name,
        null,
        null,
        'REVIEW_COLUMNS_MISSING',
        `缺少列 ${missing.join('、')}（应有列：${required.join(',')}；读到：${t.shape.columns.map((c) => c.original).join(',')}）`,
        `missing column(s) ${missing.join(', ')} (expected ${required.join(',')}; found ${t.shape.columns.map((c) => c.original).join(',')})`,
        { missing },
      );
      return false;
    }
    const index = [...required, ...optional].map((c) => header.indexOf(c));
    const cells: string[] = new Array(index.length).fill('');
    for await (const row of t.rows) {
      for (const issue of row.issues ?? []) if (issue.severity === 'error') issues.add(name, row.row, issue.columnLabel ?? null, issue.code, issue.message, issue.message_en);
      if (!row.cells.length) continue;
      for (let c = 0; c < index.length; c++) cells[c] = index[c] >= 0 ? cellText(row.cells[index[c]]) : '';
      visit(row.row, cells);
    }
    for (const issue of t.issues) if (issue.severity === 'error' && issue.row === null) issues.add(name, null, null, issue.code, issue.message, issue.message_en);
    return true;
  } finally {
    await t.close();
  }
}

/** A growable typed array (the affinity table can hold millions of pairs). */
class Column<T extends Int32Array | Float64Array> {
  n = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}
  push(v: number) {
    if (this.n === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = v;
  }
  done(): T {
    return this.data.subarray(0, this.n) as T;
  }
}

const ints = () => new Column<Int32Array>(new Int32Array(1024), (n) => new Int32Array(n));
const floats = () => new Column<Float64Array>(new Float64Array(1024), (n) => new Float64Array(n));

/**
 * Reads A, C and (optionally) R. Applications and reviewers are those A names; C and R may only
 * name those. Refuses with REVIEW_INPUT_INVALID listing every problem found.
 */
export async function readSolverFiles(files: { affinity: string; conflicts?: string; reviewers?: string }): Promise<SolverFiles> {
  const issues = new IssueList();
  const appIndex = new Map<string, number>();
  const revIndex = new Map<string, number>();
  const applications: string[] = [];
  const reviewers: string[] = [];
  const pa = ints();
  const pr = ints();
  const pv = floats();
  const rowOf = ints();
  const aName = path.basename(files.affinity);
  await eachRecord(files.affinity, ['application', 'reviewer', 'affinity'], [], issues, (row, [app, rev, aff]) => {
    let ok = true;
    if (!app) {
      issues.add(aName, row, 'application', 'REVIEW_VALUE_MISSING', '申请编号为空', 'the application is empty');
      ok = false;
    }
    if (!rev) {
      issues.add(aName, row, 'reviewer', 'REVIEW_VALUE_MISSING', '专家编号为空', 'the reviewer is empty');
      ok = false;
    }
    const x = aff === '' ? NaN : Number(aff);
    if (!Number.isFinite(x)) {
      issues.add(aName, row, 'affinity', 'REVIEW_AFFINITY_INVALID', `匹配度不是数值：“${aff}”`, `the affinity is not a number: “${aff}”`, { value: aff });
      ok = false;
    }
    if (!ok) return;
    let i = appIndex.get(app);
    if (i === undefined) {
      appIndex.set(app, (i = applications.length));
      applications.push(app);
    }
    let j = revIndex.get(rev);
    if (j === undefined) {
      revIndex.set(rev, (j = reviewers.length));
      reviewers.push(rev);
    }
    pa.push(i);
    pr.push(j);
    pv.push(x);
    rowOf.push(row);
  });
  const affinities = { application: pa.done(), reviewer: pr.done(), affinity: pv.done() };
  reportDuplicates(aName, affinities.application, affinities.reviewer, rowOf.done(), reviewers.length, applications, reviewers, issues);
  if (!applications.length && !issues.count) issues.add(aName, null, null, 'REVIEW_NO_PAIRS', '没有任何申请与专家的匹配度', 'no application–reviewer affinity at all');

  const ca = ints();
  const cr = ints();
  // An empty conflict file (no bytes at all, not even a header) means no conflicts.
  if (files.conflicts && fs.statSync(files.conflicts).size > 0) {
    const cName = path.basename(files.conflicts);
    await eachRecord(files.conflicts, ['application', 'reviewer'], [], issues, (row, [app, rev]) => {
      const i = appIndex.get(app);
      const j = revIndex.get(rev);
      if (i === undefined) issues.add(cName, row, 'application', 'REVIEW_UNKNOWN_APPLICATION', `申请“${app}”不在匹配度表中`, `application “${app}” is not in the affinity table`, { value: app });
      if (j === undefined) issues.add(cName, row, 'reviewer', 'REVIEW_UNKNOWN_REVIEWER', `专家“${rev}”不在匹配度表中`, `reviewer “${rev}” is not in the affinity table`, { value: rev });
      if (i === undefined || j === undefined) return;
      // A conflict listed twice is still one conflict.
      ca.push(i);
      cr.push(j);
    });
  }

  let foreign: boolean[] | null = null;
  let organisation: (string | null)[] | null = null;
  if (files.reviewers) {
    const rName = path.basename(files.reviewers);
    const seenRow = new Map<number, number>();
    const f: (boolean | null)[] = new Array(reviewers.length).fill(null);
    const o: (string | null)[] = new Array(reviewers.length).fill(null);
    await eachRecord(files.reviewers, ['reviewer', 'foreign', 'organisation'], [], issues, (row, [rev, fo, org]) => {
      const j = revIndex.get(rev);
      if (!rev) return issues.add(rName, row, 'reviewer', 'REVIEW_VALUE_MISSING', '专家编号为空', 'the reviewer is empty');
      if (j === undefined) return issues.add(rName, row, 'reviewer', 'REVIEW_UNKNOWN_REVIEWER', `专家“${rev}”不在匹配度表中`, `reviewer “${rev}” is not in the affinity table`, { value: rev });
      const before = seenRow.get(j);
      if (before !== undefined) return issues.add(rName, row, 'reviewer', 'REVIEW_DUPLICATE_REVIEWER', `专家“${rev}”重复（另见第 ${before} 行）`, `reviewer “${rev}” appears twice (also row ${before})`, { value: rev, other_row: before });
      seenRow.set(j, row);
      if (fo !== '0' && fo !== '1') return issues.add(rName, row, 'foreign', 'REVIEW_FOREIGN_INVALID', `“foreign”应为 0 或 1：“${fo}”`, `“foreign” must be 0 or 1: “${fo}”`, { value: fo });
      f[j] = fo === '1';
      o[j] = org === '' ? null : org;
    });
    const absent = reviewers.filter((_, j) => f[j] === null && !seenRow.has(j));
    if (absent.length)
      issues.add(rName, null, null, 'REVIEW_REVIEWER_MISSING', `匹配度表中的 ${absent.length} 位专家不在专家表中：${absent.slice(0, 10).join('、')}${absent.length > 10 ? ' 等' : ''}`, `${absent.length} reviewer(s) of the affinity table are not in the reviewer table: ${absent.slice(0, 10).join(', ')}${absent.length > 10 ? ' …' : ''}`, { reviewers: absent.slice(0, 100) });
    foreign = f.map((x) => x === true);
    organisation = o;
  }
  issues.throwIfAny();
  return { applications, reviewers, affinities, conflicts: { application: ca.done(), reviewer: cr.done() }, foreign, organisation };
}

/** Pairs listed twice in A, each reported with both rows (sorted keys, no per-pair map). */
function reportDuplicates(file: string, app: Int32Array, rev: Int32Array, rows: Int32Array, nR: number, applications: string[], reviewers: string[], issues: IssueList): void {
  const keys = new Float64Array(app.length);
  for (let e = 0; e < app.length; e++) keys[e] = app[e] * nR + rev[e];
  const sorted = keys.slice().sort();
  const dup = new Set<number>();
  for (let t = 1; t < sorted.length; t++) if (sorted[t] === sorted[t - 1]) dup.add(sorted[t]);
  if (!dup.size) return;
  const firstRow = new Map<number, number>();
  for (let e = 0; e < keys.length; e++) {
    if (!dup.has(keys[e])) continue;
    const before = firstRow.get(keys[e]);
    if (before === undefined) firstRow.set(keys[e], rows[e]);
    else
      issues.add(file, rows[e], null, 'REVIEW_DUPLICATE_PAIR', `申请“${applications[app[e]]}”与专家“${reviewers[rev[e]]}”的匹配度重复（另见第 ${before} 行）`, `the pair application “${applications[app[e]]}”, reviewer “${reviewers[rev[e]]}” appears twice (also row ${before})`, {
        application: applications[app[e]],
        reviewer: reviewers[rev[e]],
        other_row: before,
      });
  }
}

/** The solver input from the files and the command's numbers. */
export function solverInput(f: SolverFiles, opts: Pick<AssignmentInput, 'perApplication' | 'maxLoad' | 'minForeign' | 'partial' | 'unlisted' | 'draw'>): AssignmentInput {
  return {
    applications: f.applications,
    reviewers: f.reviewers,
    affinities: f.affinities,
    conflicts: f.conflicts,
    foreign: f.foreign,
    organisation: f.organisation,
    ...opts,
  };
}
