/**
 * From the first rows of a file, describe the table: where the header is (below titles and
 * World Bank style preambles, one to three rows deep when group cells are merged), what each
 * column holds (a year of a wide table, a total, or data), which columns identify a row, and
 * which rows are totals. Works on a window of rows so the rest of the file can stream.
 */
import { locate, describeIssue } from './issues.ts';
import type { CellValue, Issue, MergeOrigin, RawRow, RowKind, TableColumn, TableShape, ValueType } from './types.ts';
import { compactKey, normaliseName, parseDate, parseNumber, yearOfLabel, type DecimalSeparator } from './values.ts';

export interface DescribeOptions {
  /** The header must start within this many rows of the window (default 50). */
  headerSearchRows?: number;
  /** Decimal separator of the file, for telling numbers from labels. */
  decimal?: DecimalSeparator;
}

export interface Described {
  shape: TableShape;
  /** Header problems: empty or repeated column names. */
  issues: Issue[];
}

/** Separator between header levels in a joined label ("经费（万元） / 2011"). */
export const LEVEL_SEPARATOR = ' / ';

const MAX_HEADER_DEPTH = 3;

/** The text of a cell, trimmed; numbers as JavaScript writes them. */
export function cellText(c: CellValue | undefined): string {
  if (c === null || c === undefined) return '';
  return typeof c === 'number' ? String(c) : c.trim();
}

const isBlank = (c: CellValue | undefined) => cellText(c) === '';

/** Index of the last non-empty cell plus one. */
export function rowWidth(cells: CellValue[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (!isBlank(cells[i])) return i + 1;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Total words

// Traditional forms too: partner files from Hong Kong, Macao and Taiwan write 合計 and 總計.
const TOTAL_WORDS = new Set(['合计', '总计', '共计', '总和', '总额', '总数', '全部', '合計', '總計', '共計', '總和', '總額', 'total', 'totals', 'grandtotal', 'sum', 'all', 'overall']);
const SUBTOTAL_WORDS = new Set(['小计', '小計', 'subtotal', 'sub-total']);
const TOTAL_PREFIXES = ['全市', '全省', '全区', '全县', '全国', '全部', '各区', '总'];
const MAYBE_TOTAL = /[计計總总和额額數数部\uFF21-\uFF5A]|total|sum|all/i;

function bareKey(text: string): string {
  // "合计（万元）", "合 计:", "Total:" all reduce to the word itself.
  return compactKey(text).replace(/\([^)]*\)$/, '').replace(/[:：]$/, '');
}

/** 'total' or 'subtotal' when the text is a total word (合计, 合 计, 总计, 小计, Total, Sum …). */
export function totalWord(text: string): 'total' | 'subtotal' | undefined {
  // Cheap test first: this runs on the first cell of every row of big files.
  if (text.length > 40 || !MAYBE_TOTAL.test(text)) return undefined;
  const k = bareKey(text);
  if (!k) return undefined;
  if (SUBTOTAL_WORDS.has(k)) return 'subtotal';
  if (TOTAL_WORDS.has(k)) return 'total';
  for (const p of TOTAL_PREFIXES) {
    if (k.startsWith(p) && ['合计', '总计', '共计', '计'].includes(k.slice(p.length))) return 'total';
  }
  return undefined;
}

interface TotalLabel {
  /** What is being totalled ("经费" in "经费合计", "funding (€)" in "Total funding (€)"). */
  measure: string;
  /** English "Total X" needs matching components before it is believed ("Total cost" is data). */
  needsComponents: boolean;
}

function totalLabel(label: string): TotalLabel | undefined {
  if (totalWord(label)) return { measure: '', needsComponents: false };
  const s = normaliseName(label);
  let m = s.match(/^(.+?)\s*(合计|总计|小计|共计)(\s*\([^)]*\))?$/);
  if (m) return { measure: m[1], needsComponents: false };
  m = s.match(/^(合计|总计)\s*(.+)$/);
  if (m) return { measure: m[2], needsComponents: false };
  m = s.match(/^(?:grand\s+total|total|sum\s+of|sum)\s+(.+)$/i);
  if (m) return { measure: m[1], needsComponents: true };
  m = s.match(/^(.+?)\s+(?:total|sum)$/i);
  if (m) return { measure: m[1], needsComponents: true };
  return undefined;
}

// A column is a total when a header level is a total word (合计 above 项目数 totals the 项目数
// columns of the other groups; 小计 below 经费 totals its siblings) or its label reads as one.
function totalOfColumn(c: TableColumn): TotalLabel | undefined {
  const last = c.path.length - 1;
  for (let i = 0; i < last; i++) {
    if (totalWord(c.path[i])) return { measure: c.path[last], needsComponents: false };
  }
  if (last < 0) return undefined;
  return totalLabel(c.path[last]) ?? (last > 0 ? totalLabel(c.label) : undefined);
}

// ---------------------------------------------------------------------------------------------
// Row classification

const NOTE = /^(注|备注|说明|注释|资料来源|数据来源|来源|填表说明|notes?|sources?)\s*\d*\s*[:：.、]/i;

/**
 * What a row below the header is: a total or subtotal (its first non-empty cell is a total
 * word), an "of which" breakdown (其中…, not to be added to the total), a note (注：…, alone in
 * its row), or data. 'empty' for rows with no content.
 */
export function classifyRow(cells: CellValue[]): RowKind | 'empty' {
  let first = '';
  let nonEmpty = 0;
  for (const c of cells) {
    const t = cellText(c);
    if (!t) continue;
    if (!first) first = t;
    nonEmpty++;
  }
  if (!first) return 'empty';
  const word = totalWord(first);
  if (word) return word;
  if (/^\s*其\s*中|^\s*of\s+which/i.test(first)) return 'of_which';
  if (nonEmpty === 1 && NOTE.test(normaliseName(first))) return 'note';
  return 'data';
}

// ---------------------------------------------------------------------------------------------
// Header detection

const PERIOD_UNITS = new Set(['月', '月份', '季度', '季', '年', '年度', '日', '号', '周', '期', '批', '届', '轮', '次']);

function isLabelLike(c: CellValue, decimal: DecimalSeparator): boolean {
  const t = cellText(c);
  if (!t) return false;
  if (yearOfLabel(t) !== undefined) return true;
  if (typeof c === 'number') return false;
  const n = parseNumber(t, { decimal });
  // "1月", "3季度", "第2批" name periods in a header; "12万元" is a value.
  if (n.value !== null && n.unit && PERIOD_UNITS.has(n.unit)) return true;
  if (n.value !== null && n.issue?.severity !== 'error') return false;
  const d = parseDate(t);
  return !(d.value !== null && d.precision === 'day' && !d.issue);
}

interface RowStats {
  texts: string[];
  nonEmpty: number;
  distinct: number;
  labelShare: number;
}

function stats(row: RawRow, decimal: DecimalSeparator): RowStats {
  const texts = row.cells.map(cellText);
  const values = texts.filter(Boolean);
  const labels = row.cells.filter((c) => isLabelLike(c, decimal)).length;
  return {
    texts,
    nonEmpty: values.length,
    distinct: new Set(values.map(compactKey)).size,
    labelShare: values.length ? labels / values.length : 0,
  };
}

interface Span {
  start: number;
  end: number;
  text: string;
}

// The cells of `parent` that group cells of `child`: a merged range, or (in CSV and unmerged
// sheets) a label followed by empty cells above labelled child cells.
function spansOf(parent: RawRow, child: RawRow, width: number): Span[] {
  const spans: Span[] = [];
  const pt = (i: number) => cellText(parent.cells[i]);
  const ct = (i: number) => cellText(child.cells[i]);
  let i = 0;
  while (i < width) {
    const text = pt(i);
    const origin = parent.merges?.[i];
    if (!text) {
      i++;
      continue;
    }
    let end = i;
    if (origin) {
      while (end + 1 < width && sameOrigin(parent.merges?.[end + 1], origin)) end++;
    }
    while (end + 1 < width && !pt(end + 1) && !parent.merges?.[end + 1] && ct(end + 1)) end++;
    spans.push({ start: i, end, text });
    i = end + 1;
  }
  return spans;
}

function sameOrigin(a: MergeOrigin | undefined, b: MergeOrigin | undefined): boolean {
  return !!a && !!b && a.row === b.row && a.col === b.col;
}

// Is `child` a second header level under `parent`? It must sit right below, hold only labels,
// have at least one group of two or more labels under one parent cell, and leave the cells
// under single-column parents empty (or repeat them, as a vertical merge does).
function isContinuation(parent: RawRow, child: RawRow | undefined, width: number, decimal: DecimalSeparator): boolean {
  if (!child || child.row !== parent.row + 1) return false;
  const texts = child.cells.map(cellText);
  if (!texts.some(Boolean)) return false;
  if (child.cells.some((c) => !isBlank(c) && !isLabelLike(c, decimal))) return false;
  const spans = spansOf(parent, child, width);
  let grouped = false;
  for (const s of spans) {
    const under = texts.slice(s.start, s.end + 1).filter((t) => t && t !== s.text);
    if (s.end > s.start && under.length >= 2) grouped = true;
    if (s.end === s.start) {
      const t = texts[s.start];
      const vertical = sameOrigin(parent.merges?.[s.start], child.merges?.[s.start]);
      if (t && t !== s.text && !vertical) return false;
    }
  }
  return grouped;
}

const FORM_LINE = /^[^:：]{1,20}[:：]\s*\S/;

interface HeaderBlock {
  start: number;
  depth: number;
}

function findHeader(rows: RawRow[], decimal: DecimalSeparator, searchRows: number): HeaderBlock | undefined {
  const width = Math.max(0, ...rows.map((r) => rowWidth(r.cells)));
  if (width === 0) return undefined;
  const st = rows.map((r) => stats(r, decimal));
  const limit = Math.min(rows.length, searchRows);

  const blockDepth = (i: number) => {
    let depth = 1;
    while (depth < MAX_HEADER_DEPTH && isContinuation(rows[i + depth - 1], rows[i + depth], width, decimal)) depth++;
    return depth;
  };
  const coverage = (i: number, depth: number) => {
    let covered = 0;
    for (let c = 0; c < width; c++) {
      if (rows.slice(i, i + depth).some((r) => !isBlank(r.cells[c]))) covered++;
      else if (depth > 1 && spansOf(rows[i], rows[i + 1], width).some((s) => c >= s.start && c <= s.end)) covered++;
    }
    return covered / width;
  };

  for (let i = 0; i < limit; i++) {
    const s = st[i];
    if (s.nonEmpty === 0) continue;
    // Titles and unit lines ("单位：万元") are one distinct text, even when merged across the sheet.
    if (width > 1 && s.distinct < 2) continue;
    if (s.labelShare < 0.5) continue;
    // Form lines above a table ("填报单位：常州市科技局", "填报日期：2024-03-01") name themselves.
    if (s.texts.filter((t) => FORM_LINE.test(t)).length * 2 >= s.nonEmpty) continue;
    const depth = blockDepth(i);
    const cov = coverage(i, depth);
    // Key–value preamble lines ("Data Source","World Development Indicators") cover little of
    // the table's width.
    if (cov < 0.5) continue;
    return { start: i, depth };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Columns

interface HeaderCell {
  path: string[];
  original: string[];
}

function headerCells(block: RawRow[], width: number): HeaderCell[] {
  // Each level's span text is inherited by the columns the span covers.
  const levels: string[][] = block.map((r) => Array.from({ length: width }, (_, c) => cellText(r.cells[c])));
  for (let l = 0; l < block.length - 1; l++) {
    for (const s of spansOf(block[l], block[l + 1], width)) {
      for (let c = s.start; c <= s.end; c++) levels[l][c] = s.text;
    }
  }
  return Array.from({ length: width }, (_, c) => {
    const original: string[] = [];
    const path: string[] = [];
    for (const level of levels) {
      const raw = level[c];
      const norm = normaliseName(raw);
      if (!norm || path[path.length - 1] === norm) continue;
      path.push(norm);
      original.push(raw.replace(/\s+/g, ' '));
    }
    return { path, original };
  });
}

function valueTypeOf(values: CellValue[], decimal: DecimalSeparator): ValueType {
  let n = 0;
  let numbers = 0;
  let dates = 0;
  for (const v of values) {
    const t = cellText(v);
    if (!t) continue;
    n++;
    if (typeof v === 'number') {
      numbers++;
      continue;
    }
    const p = parseNumber(t, { decimal });
    if (p.value !== null && p.issue?.severity !== 'error') {
      numbers++;
      continue;
    }
    if (p.value === null && !p.issue) {
      n--; // an empty marker such as "-" says nothing about the column
      continue;
    }
    const d = parseDate(t);
    if (d.value !== null && d.issue?.severity !== 'error' && d.precision !== 'year') dates++;
  }
  if (n === 0) return 'empty';
  if (numbers / n >= 0.8) return 'number';
  if (dates / n >= 0.8) return 'date';
  return 'text';
}

const ID_LIKE = /(编号|代码|编码|序号|代号|号码|code|\bid\b|^id|\bno\.?$|number$)/i;

function keyColumnsOf(columns: TableColumn[], sample: CellValue[][]): number[] {
  if (sample.length < 2) return [];
  const key = (row: CellValue[], cols: number[]) => cols.map((c) => compactKey(cellText(row[c]))).join('\u0001');
  const identifies = (cols: number[]) => {
    const seen = new Set<string>();
    for (const row of sample) {
      if (cols.some((c) => !cellText(row[c]))) return false;
      const k = key(row, cols);
      if (seen.has(k)) return false;
      seen.add(k);
    }
    return true;
  };
  const isIdLike = (c: TableColumn) => ID_LIKE.test(c.label);
  const candidates = columns.filter((c) => c.kind === 'data' && (c.valueType === 'text' || isIdLike(c)));
  const firstMeasure = columns.find((c) => c.kind !== 'data' || (c.valueType === 'number' && !isIdLike(c)))?.index ?? Infinity;
  const single =
    candidates.find((c) => c.index < firstMeasure && identifies([c.index])) ?? candidates.find((c) => identifies([c.index]));
  if (single) return [single.index];
  const firstText = columns.find((c) => c.kind === 'data' && c.valueType === 'text');
  if (!firstText) return [];
  const cols = [firstText.index];
  for (const c of columns) {
    if (c.index <= firstText.index || c.kind !== 'data' || c.valueType === 'empty') continue;
    cols.push(c.index);
    if (identifies(cols)) return cols;
    if (cols.length >= 3) break;
  }
  return [];
}

function resolveTotals(columns: TableColumn[], totals: Map<number, TotalLabel>, keys: Set<number>): void {
  const numeric = (c: TableColumn) => !keys.has(c.index) && (c.valueType === 'number' || c.valueType === 'empty');
  const parentOf = (c: TableColumn) => c.path.slice(0, -1).join('\u0001');
  const measures = [...totals.values()].map((t) => compactKey(t.measure)).filter(Boolean);

  // A candidate matches the measure it ends (or starts) with, longest measure first, so that
  // "FP7 funded projects" goes to "Total funded projects", not to "Total projects".
  const bestMeasure = (c: TableColumn): string | undefined => {
    const last = compactKey(c.path[c.path.length - 1] ?? '');
    const full = compactKey(c.label);
    let best: string | undefined;
    for (const m of measures) {
      const hit =
        last === m ||
        (full.endsWith(m) && full.length > m.length) ||
        (full.startsWith(m) && full.length > m.length);
      if (hit && (!best || m.length > best.length)) best = m;
    }
    return best;
  };

  const dropped: number[] = [];
  for (const [index, t] of totals) {
    const col = columns[index];
    const others = columns.filter((c) => c.index !== index && !totals.has(c.index) && numeric(c));
    let parts: TableColumn[] = [];
    const wordLast = col.path.length > 1 && totalWord(col.path[col.path.length - 1]);
    const m = compactKey(t.measure);
    if (wordLast) {
      parts = others.filter((c) => parentOf(c) === parentOf(col));
    } else if (m) {
      parts = others.filter((c) => bestMeasure(c) === m);
    }
    if (parts.length < 2 && t.needsComponents) {
      dropped.push(index);
      continue;
    }
    if (parts.length < 2 && !wordLast) {
      const years = others.filter((c) => c.kind === 'year' && parentOf(c) === parentOf(col));
      if (years.length >= 2) parts = years;
    }
    if (parts.length < 2) {
      // The numeric columns between the previous total and this one; or, for a total written
      // before its parts, those up to the next total.
      const totalIdx = [...totals.keys()].sort((a, b) => a - b);
      const prev = Math.max(-1, ...totalIdx.filter((i) => i < index));
      const next = Math.min(columns.length, ...totalIdx.filter((i) => i > index));
      parts = others.filter((c) => c.index > prev && c.index < index);
      if (parts.length < 2) parts = others.filter((c) => c.index > index && c.index < next);
    }
    col.kind = 'total';
    delete col.year;
    if (parts.length >= 2) col.totalOf = parts.map((c) => c.index);
  }
  for (const i of dropped) totals.delete(i);
}

/** Guess the decimal separator of a `;`- or tab-separated file from its number-looking cells. */
export function sniffDecimal(rows: RawRow[]): DecimalSeparator {
  let comma = 0;
  let point = 0;
  for (const r of rows) {
    for (const c of r.cells) {
      if (typeof c !== 'string') continue;
      const t = c.trim();
      // "65,2" and "11052,79361" can only be decimal commas; "1,234" could be either.
      if (/^-?\d+,\d+$/.test(t) && !/^-?\d{1,3},\d{3}$/.test(t)) comma++;
      else if (/^-?\d+\.\d+$/.test(t) && !/^-?\d{1,3}\.\d{3}$/.test(t)) point++;
    }
  }
  return comma > point ? ',' : '.';
}

/**
 * Describe the table in a window of its first rows (any row may be missing: rows are matched by
 * number). Returns undefined when no header row can be found.
 */
export function describeTable(window: RawRow[], opts: DescribeOptions = {}): Described | undefined {
  const decimal = opts.decimal ?? '.';
  const rows = window.filter((r) => rowWidth(r.cells) > 0);
  const found = findHeader(rows, decimal, opts.headerSearchRows ?? 50);
  if (!found) return undefined;
  const block = rows.slice(found.start, found.start + found.depth);
  const below = rows.slice(found.start + found.depth);
  const dataRows = below.filter((r) => classifyRow(r.cells) === 'data');
  const headerWidth = Math.max(...block.map((r) => rowWidth(r.cells)));
  // Columns without a header name count when at least two rows use them; a single stray cell
  // is reported on its row (ROW_EXTRA_CELLS) instead.
  const dataWidths = dataRows.map((r) => rowWidth(r.cells)).sort((a, b) => b - a);
  const width = Math.max(headerWidth, dataWidths[1] ?? 0);

  const header = headerCells(block, width);
  const sample = dataRows.map((r) => r.cells);
  const columns: TableColumn[] = header.map((h, index) => {
    const label = h.path.join(LEVEL_SEPARATOR);
    const col: TableColumn = {
      index,
      label,
      original: h.original.join(LEVEL_SEPARATOR),
      path: h.path,
      kind: 'data',
      valueType: valueTypeOf(sample.map((r) => r[index] ?? null), decimal),
    };
    const year = h.path.length ? yearOfLabel(h.path[h.path.length - 1]) : undefined;
    if (year !== undefined) {
      col.kind = 'year';
      col.year = year;
    }
    return col;
  });

  const totals = new Map<number, TotalLabel>();
  for (const c of columns) {
    const t = totalOfColumn(c);
    if (t) totals.set(c.index, t);
  }
  const keys = keyColumnsOf(
    columns.filter((c) => !totals.has(c.index)),
    sample,
  );
  resolveTotals(columns, totals, new Set(keys));

  const issues: Issue[] = [];
  const headerRow = block[block.length - 1].row;
  const seen = new Map<string, number>();
  for (const c of columns) {
    if (!c.label) {
      if (c.valueType !== 'empty') issues.push(locate(describeIssue('HEADER_LABEL_EMPTY', {}), { row: headerRow, column: c.index }));
      continue;
    }
    const k = compactKey(c.label);
    const first = seen.get(k);
    if (first !== undefined) {
      issues.push(
        locate(describeIssue('HEADER_DUPLICATE', { label: c.original, first }), {
          row: headerRow,
          column: c.index,
          columnLabel: c.original,
        }),
      );
    } else seen.set(k, c.index);
  }

  const firstHeaderRow = block[0].row;
  const shape: TableShape = {
    preambleRows: rows.filter((r) => r.row < firstHeaderRow).map((r) => r.row),
    headerRows: block.map((r) => r.row),
    columns,
    keyColumns: keys,
    totalRowIndexes: below.filter((r) => {
      const k = classifyRow(r.cells);
      return k === 'total' || k === 'subtotal';
    }).map((r) => r.row),
    dataStartRow: below[0]?.row ?? headerRow + 1,
  };
  return { shape, issues };
}
