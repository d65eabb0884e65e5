/**
 * XLSX reading with exceljs: pick the sheet, convert each cell to a string, number or null, and
 * expand merged cells.
 *
 * Two readers, chosen by file size. Merged ranges are stored at the END of a sheet's XML, after
 * all rows, and exceljs's streaming reader ignores them; so a streamed sheet cannot expand
 * merges while it yields rows. Small files (< 20 MB, which is every table a bureau keeps by
 * hand) are loaded whole, so a merged header cell spanning columns gives its text to each
 * column and a merged 国别 cell gives its country to each row. Bigger files are streamed so
 * memory stays flat; there a merged cell holds its value only in its top-left cell, which is
 * how CSV exports look, and the header finder still joins two-row headers from that layout.
 * A small file is loaded only when inspect.ts finds that loading it stays within a budget
 * (a 7 KB file can merge a range of 17 billion cells); otherwise it is streamed as well.
 *
 * The streamed reader opens the ZIP by its central directory (zip.ts) and reads the parts in
 * the order they depend on each other (relationships, workbook, shared strings, styles, then
 * the chosen sheet), whatever their order in the file. exceljs's own WorkbookReader reads the
 * ZIP front to back and is not safe to iterate: unzipper's Parse emits 'end' as soon as it has
 * parsed its whole input, while entries it parsed may still wait, unread, in its buffer (the
 * reader is slower when it spools sheets to temporary files, or the machine is busy); exceljs
 * takes that 'end' as the last entry, so the trailing parts were lost (workbook.xml, last in
 * files exceljs writes: FILE_CORRUPT "reading 'sheets'"). And the sheets it spooled were deleted
 * while their read streams were still opening (an uncaught ENOENT). Only its part parsers are
 * used here.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { isAppError } from '../../../errors.ts';
import { describeIssue, locate, makeIssue, readFailure } from './issues.ts';
import type { BareIssue, CellValue, Issue, MergeOrigin, RawRow } from './types.ts';
import { MAX_COLUMN } from './inspect.ts';
import { isoOfDate } from './values.ts';
import { openZip, type ZipArchive, type ZipEntry } from './zip.ts';

/** Files at or above this size are streamed (merged cells then keep their value in one cell). */
export const XLSX_STREAMING_THRESHOLD = 20 * 1024 * 1024;

export interface SheetInfo {
  name: string;
  /** 0-based position in tab order (the order of workbook.xml). */
  index: number;
  hidden: boolean;
}

export interface XlsxOptions {
  /** Sheet name, or 0-based index. Default: the first visible sheet with content. */
  sheet?: string | number;
  mode: 'load' | 'stream';
  /** Streaming: the workbook's directory, when it has been opened already (inspect.ts). */
  zip?: ZipArchive;
}

export interface OpenedSheet {
  sheet: SheetInfo;
  /** Every worksheet of the workbook. */
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
  if (isAppError(detail)) throw detail;
  const message = detail instanceof Error ? detail.message : String(detail);
  throw readFailure(makeIssue('FILE_CORRUPT', { detail: message }));
}

function chooseByName(sheets: SheetInfo[], wanted: string): SheetInfo | undefined {
  const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
  return sheets.find((s) => s.name === wanted) ?? sheets.find((s) => norm(s.name) === norm(wanted));
}

/**
 * Pick the sheet to read: the one asked for, or the first visible sheet with content (hidden
 * ones, which usually hold drop-down lists, last). `probe` looks for a sheet's first row with
 * content and gives back what the reader needs to go on from there.
 */
async function chooseSheet<T>(
  sheets: SheetInfo[],
  opts: XlsxOptions,
  probe: (s: SheetInfo) => Promise<T | undefined>,
): Promise<{ chosen: SheetInfo; found: T; issues: Issue[] }> {
  if (opts.sheet !== undefined) {
    const chosen = typeof opts.sheet === 'number' ? sheets[opts.sheet] : chooseByName(sheets, opts.sheet);
    if (!chosen) throw readFailure(makeIssue('SHEET_NOT_FOUND', { sheet: String(opts.sheet), available: sheets.map((s) => s.name) }));
    const found = await probe(chosen);
    if (found === undefined) throw readFailure(makeIssue('SHEET_EMPTY', { sheet: chosen.name }));
    return { chosen, found, issues: [] };
  }
  const order = [...sheets.filter((s) => !s.hidden), ...sheets.filter((s) => s.hidden)];
  const empty: SheetInfo[] = [];
  for (const s of order) {
    const found = await probe(s);
    if (found === undefined) {
      empty.push(s);
      continue;
    }
    const issues = empty
      .filter((e) => e.index < s.index && !e.hidden)
      .map((e) => makeIssue('SHEET_EMPTY_SKIPPED', { sheet: e.name, used: s.name }));
    return { chosen: s, found, issues };
  }
  throw readFailure(makeIssue('SHEET_EMPTY', {}));
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
  const firstContentRow = async (s: SheetInfo): Promise<number | undefined> => {
    const ws = worksheets[s.index];
    for (let r = 1; r <= ws.rowCount; r++) if (rowHasContent(loadedRow(ws, r).cells)) return r;
    return undefined;
  };
  const { chosen, found: from, issues } = await chooseSheet(sheets, opts, firstContentRow);
  const ws = worksheets[chosen.index];
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

interface Relationship {
  Id: string;
  Type?: string;
  Target: string;
  TargetMode?: string;
}

/**
 * The part parsers of exceljs's WorkbookReader (untyped internals of exceljs 4.4, its last
 * release), each fed a stream we open: they fill `workbookRels`, `model`, `sharedStrings`,
 * `styles` and `properties`, which its WorksheetReader reads when a sheet's parsing starts.
 */
interface PartParsers {
  workbookRels?: Relationship[];
  model?: { sheets?: { name: string; id: number; rId: string; state?: string }[] };
  sharedStrings?: unknown[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: number): Iterator<{ eventType: string; value: StreamedSheet }>;
}

const STREAM_OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  // Styles tell date cells from numbers.
  styles: 'cache',
  hyperlinks: 'ignore',
  entries: 'ignore',
} as const;

function partParsers(): PartParsers {
  // The input is never read: parts are handed to the parsers one by one.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), STREAM_OPTIONS) as unknown as PartParsers;
  for (const m of ['_parseRels', '_parseWorkbook', '_parseSharedStrings', '_parseStyles', '_parseWorksheet'] as const) {
    if (typeof reader[m] !== 'function') throw new TypeError(`exceljs WorkbookReader has no ${m}: the streamed XLSX reader needs updating`);
  }
  return reader;
}

/** A workbook relationship's target as a ZIP entry name (targets are relative to xl/). */
function partName(target: string): string {
  const t = target.trim();
  return t.startsWith('/') ? t.slice(1) : path.posix.normalize(path.posix.join('xl', t));
}

function streamedRow(row: ExcelJS.Row): RawRow {
  // A cell reference past column XFD would make the row as long as its number says.
  if (row.cellCount > MAX_COLUMN) fail(`row ${row.number} has a cell beyond column XFD`);
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

interface StreamedStart {
  first: RawRow;
  rows: AsyncIterator<ExcelJS.Row>;
  stream: Readable;
}

async function openStreamed(source: { path?: string; buffer?: Buffer }, opts: XlsxOptions): Promise<OpenedSheet> {
  const reader = partParsers();
  let zip: ZipArchive;
  const sheets: SheetInfo[] = [];
  const sheetParts: ZipEntry[] = [];
  const sheetIds: number[] = [];
  try {
    zip = opts.zip ?? (await openZip(source));
    // Parse one part to its end, then let go of its stream (the parsers may stop early).
    const parse = async (entry: ZipEntry, parser: (s: Readable) => Promise<unknown>) => {
      const s = await zip.open(entry);
      try {
        await parser(s);
      } finally {
        s.destroy();
      }
    };
    const book = zip.get('xl/workbook.xml');
    if (!book) throw new Error('xl/workbook.xml is missing');
    const relsEntry = zip.get('xl/_rels/workbook.xml.rels');
    if (relsEntry) await parse(relsEntry, (s) => reader._parseRels(s));
    await parse(book, (s) => reader._parseWorkbook(s));
    const rels = (reader.workbookRels ?? []).filter((r) => r.TargetMode !== 'External');
    const related = (type: string, fallback: string) => {
      const rel = rels.find((r) => r.Type?.endsWith(`/${type}`));
      return (rel && zip.get(partName(rel.Target))) ?? zip.get(fallback);
    };
    // Shared strings and styles before any sheet: a sheet's cells refer to both.
    const strings = related('sharedStrings', 'xl/sharedStrings.xml');
    if (strings)
      await parse(strings, async (s) => {
        for await (const _ of reader._parseSharedStrings(s)) void _;
      });
    reader.sharedStrings ??= [];
    const styles = related('styles', 'xl/styles.xml');
    if (styles) await parse(styles, (s) => reader._parseStyles(s));

    for (const [i, s] of (reader.model?.sheets ?? []).entries()) {
      const rel = rels.find((r) => r.Id === s.rId);
      // Chart sheets are listed with the worksheets but hold no cells: left out, as exceljs's
      // loader does (it keeps the sheets whose part it found), so indexes agree in both modes.
      if (rel?.Type && !rel.Type.endsWith('/worksheet')) continue;
      const entry = rel ? zip.get(partName(rel.Target)) : relsEntry ? undefined : zip.get(`xl/worksheets/sheet${i + 1}.xml`);
      if (!entry) continue;
      sheets.push({ name: s.name, index: sheets.length, hidden: !!s.state && s.state !== 'visible' });
      sheetParts.push(entry);
      sheetIds.push(s.id);
    }
  } catch (e) {
    fail(e);
  }

  // Stream a sheet up to its first row with content; an empty sheet's stream is closed.
  const probe = async (s: SheetInfo): Promise<StreamedStart | undefined> => {
    const entry = sheetParts[s.index];
    let stream: Readable | undefined;
    try {
      stream = await zip.open(entry);
      const ws = reader._parseWorksheet(stream, sheetIds[s.index]).next().value?.value;
      if (!ws) throw new Error(`cannot read sheet ${s.name}`);
      const it = ws[Symbol.asyncIterator]();
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        const raw = streamedRow(r.value);
        if (rowHasContent(raw.cells) || raw.cellIssues) return { first: raw, rows: it, stream };
      }
      stream.destroy();
      return undefined;
    } catch (e) {
      stream?.destroy();
      fail(e);
    }
  };
  const { chosen, found, issues } = await chooseSheet(sheets, opts, probe);

  const { first, rows: iter, stream } = found;
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
    await iter.return?.();
    stream.destroy();
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
