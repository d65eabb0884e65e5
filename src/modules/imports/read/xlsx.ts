/**
 * XLSX reading with exceljs: pick the sheet, convert each cell to a string, number or null, and
 * expand merged cells.
 *
 * Two readers, chosen by file size. Merged ranges are stored at the END of a sheet's XML, after
 * all rows, and exceljs's streaming WorkbookReader ignores them; so a streamed sheet cannot
 * expand merges while it yields rows. Small files (< 20 MB, which is every table a bureau keeps
 * by hand) are loaded whole, so a merged header cell spanning columns gives its text to each
 * column and a merged 国别 cell gives its country to each row. Bigger files are streamed so
 * memory stays flat; there a merged cell holds its value only in its top-left cell, which is
 * how CSV exports look, and the header finder still joins two-row headers from that layout.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describeIssue, locate, makeIssue, readFailure } from './issues.ts';
import type { BareIssue, CellValue, Issue, MergeOrigin, RawRow } from './types.ts';
import { isoOfDate } from './values.ts';

/** Files at or above this size are streamed (merged cells then keep their value in one cell). */
export const XLSX_STREAMING_THRESHOLD = 20 * 1024 * 1024;

export interface SheetInfo {
  name: string;
  /** 0-based position: tab order when loaded, order in the file when streamed. */
  index: number;
  hidden: boolean;
}

export interface XlsxOptions {
  /** Sheet name, or 0-based index. Default: the first visible sheet with content. */
  sheet?: string | number;
  mode: 'load' | 'stream';
}

export interface OpenedSheet {
  sheet: SheetInfo;
  /** Every sheet of the workbook (streaming: those seen up to the chosen one). */
  sheets: SheetInfo[];
  /** Warnings such as SHEET_EMPTY_SKIPPED. */
  issues: Issue[];
  /** The chosen sheet's rows, from the first non-empty one. */
  rows: AsyncGenerator<RawRow>;
  close(): Promise<void>;
}

interface Converted {
  value: CellValue;
  issue?: BareIssue;
}

// HYPERLINK("url", "label") shows its label; workbooks written by scripts often carry such
// formulas without a saved result, and the label is all the cell ever displays.
const HYPERLINK = /^HYPERLINK\(\s*"([^"]*)"\s*(?:,\s*"([^"]*)"\s*)?\)$/i;

/** Convert an exceljs cell value to what the importer works with. */
export function convertCell(v: ExcelJS.CellValue): Converted {
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'number') {
    // The streaming reader turns a formula's cached error ("#DIV/0!") into NaN.
    return Number.isFinite(v) ? { value: v } : { value: null, issue: describeIssue('CELL_ERROR', { error: '#NUM!' }) };
  }
  if (typeof v === 'string') {
    const t = v.trim();
    return { value: t === '' ? null : t };
  }
  if (typeof v === 'boolean') return { value: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return { value: isoOfDate(v) };
  if (typeof v !== 'object') return { value: null };
  if ('error' in v) return { value: null, issue: describeIssue('CELL_ERROR', { error: String(v.error) }) };
  if ('richText' in v) return convertCell(v.richText.map((r) => r.text).join(''));
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as ExcelJS.CellFormulaValue).result;
    if (result === undefined || result === null) {
      const formula = String((v as ExcelJS.CellFormulaValue).formula ?? (v as ExcelJS.CellSharedFormulaValue).sharedFormula ?? '');
      const link = formula.match(HYPERLINK);
      if (link) return convertCell(link[2] ?? link[1]);
      return { value: null, issue: describeIssue('FORMULA_NO_RESULT', { formula }) };
    }
    return convertCell(result as ExcelJS.CellValue);
  }
  if ('hyperlink' in v) return convertCell((v as { text: ExcelJS.CellValue }).text);
  return { value: null };
}

function rowHasContent(cells: CellValue[]): boolean {
  return cells.some((c) => c !== null && String(c).trim() !== '');
}

function fail(detail: unknown): never {
  const message = detail instanceof Error ? detail.message : String(detail);
  throw readFailure(makeIssue('FILE_CORRUPT', { detail: message }));
}

function chooseByName(sheets: SheetInfo[], wanted: string): SheetInfo | undefined {
  const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
  return sheets.find((s) => s.name === wanted) ?? sheets.find((s) => norm(s.name) === norm(wanted));
}

// ---------------------------------------------------------------------------------------------
// Loaded workbooks (small files): merges expanded.

function loadedRow(ws: ExcelJS.Worksheet, r: number): RawRow {
  const row = ws.getRow(r);
  const cells: CellValue[] = [];
  const merges: (MergeOrigin | undefined)[] = [];
  const cellIssues: { column: number; issue: BareIssue }[] = [];
  let anyMerge = false;
  for (let c = 1; c <= row.cellCount; c++) {
    const cell = row.getCell(c);
    // A cell inside a merged range reports its top-left cell's value.
    const conv = convertCell(cell.value);
    cells.push(conv.value);
    if (conv.issue && !(cell.isMerged && cell.master !== cell)) cellIssues.push({ column: c - 1, issue: conv.issue });
    if (cell.isMerged) {
      const m = cell.master.fullAddress;
      merges[c - 1] = { row: m.row, col: m.col - 1 };
      anyMerge = true;
    }
  }
  const out: RawRow = { row: r, cells };
  if (anyMerge) out.merges = merges;
  if (cellIssues.length) out.cellIssues = cellIssues;
  return out;
}

async function openLoaded(source: { path?: string; buffer?: Buffer }, opts: XlsxOptions): Promise<OpenedSheet> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs types its Buffer parameter with an older @types/node Buffer; the runtime takes ours.
    if (source.buffer) await wb.xlsx.load(source.buffer as unknown as ArrayBuffer);
    else await wb.xlsx.readFile(source.path!);
  } catch (e) {
    fail(e);
  }
  const worksheets = wb.worksheets;
  const sheets: SheetInfo[] = worksheets.map((ws, index) => ({
    name: ws.name,
    index,
    hidden: (ws as { state?: string }).state !== undefined && (ws as { state?: string }).state !== 'visible',
  }));
  const firstContentRow = (ws: ExcelJS.Worksheet): number | undefined => {
    for (let r = 1; r <= ws.rowCount; r++) if (rowHasContent(loadedRow(ws, r).cells)) return r;
    return undefined;
  };

  const issues: Issue[] = [];
  let chosen: SheetInfo | undefined;
  let start: number | undefined;
  if (opts.sheet !== undefined) {
    chosen = typeof opts.sheet === 'number' ? sheets[opts.sheet] : chooseByName(sheets, opts.sheet);
    if (!chosen) throw readFailure(makeIssue('SHEET_NOT_FOUND', { sheet: String(opts.sheet), available: sheets.map((s) => s.name) }));
    start = firstContentRow(worksheets[chosen.index]);
    if (start === undefined) throw readFailure(makeIssue('SHEET_EMPTY', { sheet: chosen.name }));
  } else {
    // Visible sheets first: hidden ones usually hold drop-down lists.
    const order = [...sheets.filter((s) => !s.hidden), ...sheets.filter((s) => s.hidden)];
    const empty: SheetInfo[] = [];
    for (const s of order) {
      start = firstContentRow(worksheets[s.index]);
      if (start !== undefined) {
        chosen = s;
        break;
      }
      empty.push(s);
    }
    if (!chosen) throw readFailure(makeIssue('SHEET_EMPTY', {}));
    for (const s of empty) {
      if (s.index < chosen.index && !s.hidden) issues.push(makeIssue('SHEET_EMPTY_SKIPPED', { sheet: s.name, used: chosen.name }));
    }
  }
  const ws = worksheets[chosen.index];
  const from = start!;
  async function* rows(): AsyncGenerator<RawRow> {
    for (let r = from; r <= ws.rowCount; r++) yield loadedRow(ws, r);
  }
  return { sheet: chosen, sheets, issues, rows: rows(), close: async () => {} };
}

// ---------------------------------------------------------------------------------------------
// Streamed workbooks (big files): flat memory, merges not expanded.

interface StreamedSheet {
  name?: string;
  state?: string;
  [Symbol.asyncIterator](): AsyncIterator<ExcelJS.Row>;
}

function streamedRow(row: ExcelJS.Row): RawRow {
  const cells: CellValue[] = [];
  const cellIssues: { column: number; issue: BareIssue }[] = [];
  for (let c = 1; c <= row.cellCount; c++) {
    const conv = convertCell(row.getCell(c).value);
    cells.push(conv.value);
    if (conv.issue) cellIssues.push({ column: c - 1, issue: conv.issue });
  }
  const out: RawRow = { row: row.number, cells };
  if (cellIssues.length) out.cellIssues = cellIssues;
  return out;
}

async function openStreamed(source: { path?: string; buffer?: Buffer }, opts: XlsxOptions): Promise<OpenedSheet> {
  const input = source.buffer ? Readable.from([source.buffer]) : source.path!;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell date cells from numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const sheets: SheetInfo[] = [];
  const issues: Issue[] = [];
  const skipped: SheetInfo[] = [];
  let chosen: SheetInfo | undefined;
  let firstRow: RawRow | undefined;
  // The typings leave out the name and state the streaming reader gives each sheet.
  const sheetIter = (reader as unknown as AsyncIterable<StreamedSheet>)[Symbol.asyncIterator]();
  let rowIter: AsyncIterator<ExcelJS.Row> | undefined;

  try {
    for (;;) {
      const next = await sheetIter.next();
      if (next.done) break;
      const ws = next.value;
      const info: SheetInfo = {
        name: ws.name ?? `Sheet${sheets.length + 1}`,
        index: sheets.length,
        hidden: !!ws.state && ws.state !== 'visible',
      };
      sheets.push(info);
      const wanted =
        opts.sheet === undefined
          ? !info.hidden
          : typeof opts.sheet === 'number'
            ? info.index === opts.sheet
            : chooseByName([info], opts.sheet) !== undefined;
      if (!wanted) continue;
      const it = ws[Symbol.asyncIterator]();
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        const raw = streamedRow(r.value);
        if (rowHasContent(raw.cells) || raw.cellIssues) {
          firstRow = raw;
          break;
        }
      }
      if (firstRow) {
        chosen = info;
        rowIter = it;
        break;
      }
      if (opts.sheet !== undefined) throw readFailure(makeIssue('SHEET_EMPTY', { sheet: info.name }));
      skipped.push(info);
    }
  } catch (e) {
    if (e instanceof Error && 'code' in e && 'status' in e) throw e;
    fail(e);
  }
  if (!chosen || !rowIter || !firstRow) {
    if (opts.sheet !== undefined) throw readFailure(makeIssue('SHEET_NOT_FOUND', { sheet: String(opts.sheet), available: sheets.map((s) => s.name) }));
    throw readFailure(makeIssue('SHEET_EMPTY', {}));
  }
  for (const s of skipped) issues.push(makeIssue('SHEET_EMPTY_SKIPPED', { sheet: s.name, used: chosen.name }));

  const first = firstRow;
  const iter = rowIter;
  async function* rows(): AsyncGenerator<RawRow> {
    yield first;
    try {
      for (;;) {
        const r = await iter.next();
        if (r.done) break;
        yield streamedRow(r.value);
      }
    } catch (e) {
      fail(e);
    }
  }
  const close = async () => {
    // Ending the sheet iterator lets exceljs drain and close the zip stream.
    await iter.return?.();
    await sheetIter.return?.();
  };
  return { sheet: chosen, sheets, issues, rows: rows(), close };
}

/**
 * Open a workbook and position on the chosen sheet's first non-empty row. Throws the project's
 * AppError with SHEET_NOT_FOUND, SHEET_EMPTY or FILE_CORRUPT.
 */
export async function openXlsx(source: { path?: string; buffer?: Buffer }, opts: XlsxOptions): Promise<OpenedSheet> {
  return opts.mode === 'stream' ? openStreamed(source, opts) : openLoaded(source, opts);
}

/** Locate a row's cell issues once column labels are known. */
export function locateCellIssues(raw: RawRow, label: (column: number) => string | undefined): Issue[] {
  return (raw.cellIssues ?? []).map(({ column, issue }) => locate(issue, { row: raw.row, column, columnLabel: label(column) }));
}
