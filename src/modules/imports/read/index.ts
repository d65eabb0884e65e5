/**
 * The reading layer of the spreadsheet importer: a CSV or XLSX file, as bureau officers keep
 * them, in; a described table and its rows, streamed, out, with every problem coded. No
 * database: the caller maps columns to registry fields and writes records.
 *
 * Only the first rows (a window of up to 200) are held to find the header and describe the
 * table; the rest streams through, so memory does not grow with the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAppError } from '../../../errors.ts';
import { parseCsv, decodeChunks, sniffDelimiter, type Delimiter } from './csv.ts';
import { decodeBuffer, detectEncoding, looksBinary, SNIFF_BYTES, type DetectedEncoding, type TextEncoding } from './decode.ts';
import { IssueLog, makeIssue, readFailure } from './issues.ts';
import { classifyRow, describeTable, rowWidth, sniffDecimal } from './table.ts';
import { numericCells, TotalsChecker } from './totals.ts';
import type { CellValue, Issue, RawRow, TableRow, TableShape } from './types.ts';
import type { DecimalSeparator } from './values.ts';
import { locateCellIssues, openXlsx, XLSX_STREAMING_THRESHOLD, type SheetInfo } from './xlsx.ts';
import { inspectXlsx } from './inspect.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './limits.ts';

export type * from './types.ts';
export { parseNumber, parseYear, parseDate, normaliseName, compactKey, isEmptyMarker, inferDateOrder, excelSerialToIso, yearOfLabel } from './values.ts';
export type { ParsedNumber, ParsedYear, ParsedDate, NumberOptions, DateOptions, DecimalSeparator } from './values.ts';
export { detectEncoding, type DetectedEncoding, type TextEncoding } from './decode.ts';
export { sniffDelimiter, parseCsv, type Delimiter } from './csv.ts';
export { describeTable, classifyRow } from './table.ts';
export { TotalsChecker, checkTotals, numericCells } from './totals.ts';
export { makeIssue, describeIssue, locate } from './issues.ts';
export type { SheetInfo } from './xlsx.ts';
export { DEFAULT_READ_LIMITS, inMemoryLimits, type ReadLimits } from './limits.ts';

/** Default upper bound on file size. */
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/** Rows held to find the header and describe the table. */
const WINDOW_ROWS = 200;
/** …or fewer, when rows are very wide. */
const WINDOW_CELLS = 200_000;
/** How far into an all-ASCII start a file is searched for the bytes that tell its encoding. */
const ENCODING_SEARCH_BYTES = 4 * 1024 * 1024;

export interface ReadTableInput {
  /** A file on disk (streamed), or… */
  path?: string;
  /** …the file's bytes. */
  buffer?: Buffer;
  /** The name the user gave the file; its extension is a hint, the bytes decide. */
  fileName: string;
  /** XLSX: sheet name or 0-based index; default the first visible sheet with content. */
  sheet?: string | number;
  /** Refuse bigger files with FILE_TOO_LARGE (default 100 MB). */
  maxBytes?: number;
  /** Check stated totals against computed ones while rows stream (default true). */
  checkTotals?: boolean;
  /**
   * XLSX reader: loaded (merged cells expanded) below 20 MB, streamed above, unless forced. A
   * workbook that would cost too much to load (inspect.ts) is streamed whatever is asked.
   */
  xlsxMode?: 'auto' | 'load' | 'stream';
  /** What the file may make the reader do (default DEFAULT_READ_LIMITS). */
  limits?: ReadLimits;
}

export interface ReadTableResult {
  format: 'csv' | 'xlsx';
  /** CSV: the text encoding; null for XLSX, whose XML is always Unicode. */
  encoding: TextEncoding | null;
  /** CSV: how sure the encoding guess is (0–1). */
  encodingConfidence?: number;
  /** CSV: the field separator found. */
  delimiter?: Delimiter;
  /** Decimal separator of the file's numbers; pass it to parseNumber. */
  decimal: DecimalSeparator;
  /** XLSX: the sheet read, and the sheets seen. */
  sheet?: SheetInfo;
  sheets?: SheetInfo[];
  shape: TableShape;
  /**
   * Rows from `shape.dataStartRow` on, empty rows left out, each exactly one cell per column.
   * CSV cells are strings ('' when empty); XLSX cells are strings, numbers or null. Can be
   * iterated once.
   */
  rows: AsyncIterable<TableRow>;
  /**
   * Every issue: those about the file and header at once, those about rows appended while
   * `rows` is consumed (each is also on its row). Read it after the iteration for the full list.
   */
  issues: Issue[];
  /** Release the file if `rows` is not read to the end. */
  close(): Promise<void>;
}

interface Source {
  size: number;
  head: Buffer;
  /** Bytes from the start, in chunks. */
  chunks(): AsyncIterable<Buffer>;
  /** Up to `length` bytes at `offset`. */
  read(offset: number, length: number): Promise<Buffer>;
  close(): void;
}

async function openSource(input: ReadTableInput): Promise<Source> {
  if (input.buffer) {
    const buf = input.buffer;
    return {
      size: buf.length,
      head: buf.subarray(0, SNIFF_BYTES),
      chunks: async function* () {
        for (let i = 0; i < buf.length; i += SNIFF_BYTES) yield buf.subarray(i, i + SNIFF_BYTES);
      },
      read: async (offset, length) => buf.subarray(offset, offset + length),
      close: () => {},
    };
  }
  if (!input.path) throw new TypeError('readTable needs a path or a buffer');
  const file = input.path;
  let size: number;
  let head: Buffer;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw new Error(`${input.fileName} is not a file`);
    size = stat.size;
    head = await readAt(file, 0, Math.min(size, SNIFF_BYTES));
  } catch (e) {
    throw readFailure(makeIssue('FILE_CORRUPT', { detail: e instanceof Error ? e.message : String(e) }));
  }
  const streams: fs.ReadStream[] = [];
  return {
    size,
    head,
    chunks: () => {
      const s = fs.createReadStream(file, { highWaterMark: SNIFF_BYTES });
      streams.push(s);
      return s as AsyncIterable<Buffer>;
    },
    read: (offset, length) => readAt(file, offset, length),
    close: () => {
      for (const s of streams) s.destroy();
    },
  };
}

async function readAt(file: string, offset: number, length: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

type Sniffed =
  | { format: 'xlsx' }
  | { format: 'csv'; encoding: DetectedEncoding; text: string }
  | { format: 'unknown'; what: string; whatEn: string }
  | { format: 'binary' };

const startsWith = (b: Buffer, bytes: number[]) => bytes.every((x, i) => b[i] === x);

// Tell the format from the first bytes; the extension only breaks ties.
function sniffFormat(head: Buffer): Sniffed {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const names = head.toString('latin1');
    if (names.includes('word/')) return { format: 'unknown', what: 'Word 文档', whatEn: 'a Word document' };
    if (names.includes('ppt/')) return { format: 'unknown', what: 'PowerPoint 演示文稿', whatEn: 'a PowerPoint file' };
    if (names.includes('opendocument')) return { format: 'unknown', what: 'OpenDocument 文档（.ods 等）', whatEn: 'an OpenDocument file (.ods …)' };
    return { format: 'xlsx' };
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return { format: 'unknown', what: '旧版 Excel 97-2003（.xls）或 WPS 表格（.et）', whatEn: 'old Excel 97-2003 (.xls) or WPS (.et)' };
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return { format: 'unknown', what: 'PDF', whatEn: 'PDF' };
  // "MZ" may start a text table too; a program has NUL bytes right after it.
  if ((startsWith(head, [0x4d, 0x5a]) && head.subarray(0, 64).includes(0)) || startsWith(head, [0x7f, 0x45, 0x4c, 0x46]))
    return { format: 'unknown', what: '可执行程序（如 .exe）', whatEn: 'an executable program (such as .exe)' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47]) || startsWith(head, [0xff, 0xd8, 0xff]))
    return { format: 'unknown', what: '图片（PNG/JPEG）', whatEn: 'an image (PNG/JPEG)' };
  if (startsWith(head, [0x1f, 0x8b])) return { format: 'unknown', what: 'gzip 压缩文件', whatEn: 'a gzip archive' };
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21]) || startsWith(head, [0x37, 0x7a, 0xbc, 0xaf]))
    return { format: 'unknown', what: 'RAR/7z 压缩文件', whatEn: 'a RAR/7z archive' };

  const encoding = detectEncoding(head);
  const text = decodeBuffer(head, encoding.encoding);
  if (looksBinary(text)) return { format: 'binary' };
  const start = text.trimStart().slice(0, 512).toLowerCase();
  // Many systems export an HTML table, or Excel 2003 XML, and name it .xls.
  if (/^<(!doctype html|html|table|meta)/.test(start) || /<html[\s>]/.test(start))
    return { format: 'unknown', what: '网页（HTML）表格，常被命名为 .xls', whatEn: 'an HTML table, often named .xls' };
  if (start.startsWith('<?xml'))
    return { format: 'unknown', what: 'XML（如 Excel 2003 XML 表格）', whatEn: 'XML (such as Excel 2003 XML)' };
  return { format: 'csv', encoding, text };
}

// A file whose first 64 KiB are ASCII may still be GBK further down (English headers, Chinese
// names below): look for the first non-ASCII byte and detect from there.
async function refineEncoding(src: Source, found: DetectedEncoding): Promise<DetectedEncoding> {
  if (src.size <= src.head.length || found.bomLength || found.encoding !== 'utf-8' || found.confidence < 1) return found;
  if (src.head.some((b) => b >= 0x80)) return found;
  const step = 1024 * 1024;
  for (let offset = src.head.length; offset < Math.min(src.size, ENCODING_SEARCH_BYTES); offset += step) {
    const chunk = await src.read(offset, step);
    const at = chunk.findIndex((b) => b >= 0x80);
    if (at < 0) continue;
    const window = await src.read(offset + at, SNIFF_BYTES);
    const again = detectEncoding(window);
    return again.encoding === 'utf-16le' || again.encoding === 'utf-16be' ? found : { ...again, bomLength: 0 };
  }
  return found;
}

function fitRow(cells: CellValue[], width: number, blank: CellValue): { cells: CellValue[]; extra: number } {
  const out = cells.slice(0, width);
  while (out.length < width) out.push(blank);
  for (let i = 0; i < out.length; i++) if (out[i] === null && blank !== null) out[i] = blank;
  let extra = 0;
  for (let i = width; i < cells.length; i++) {
    const c = cells[i];
    if (c !== null && String(c).trim() !== '') extra++;
  }
  return { cells: out, extra };
}

/**
 * Read a CSV or XLSX file as a described table. Throws the project's AppError (with the issue
 * in `details`) when the file cannot be read as a table at all: FILE_TOO_LARGE, FILE_EMPTY,
 * FILE_FORMAT_UNKNOWN, FILE_NOT_TEXT, FILE_CORRUPT, SHEET_NOT_FOUND, SHEET_EMPTY,
 * HEADER_NOT_FOUND, or a CSV syntax error that leaves no rows. Everything else is an issue.
 */
export async function readTable(input: ReadTableInput): Promise<ReadTableResult> {
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_BYTES;
  const limits = input.limits ?? DEFAULT_READ_LIMITS;
  const ext = path.extname(input.fileName).toLowerCase();
  const src = await openSource(input);
  let handedOver = false;
  let closeRows: () => Promise<void> = async () => {};
  try {
    if (src.size > maxBytes) throw readFailure(makeIssue('FILE_TOO_LARGE', { size: src.size, limit: maxBytes }));
    if (src.size === 0) throw readFailure(makeIssue('FILE_EMPTY', {}));

    const early: Issue[] = [];
    const sniffed = sniffFormat(src.head);
    if (sniffed.format === 'unknown') throw readFailure(makeIssue('FILE_FORMAT_UNKNOWN', { what: sniffed.what, whatEn: sniffed.whatEn }));
    if (sniffed.format === 'binary') {
      if (['.csv', '.txt', '.tsv', '.tab', ''].includes(ext)) throw readFailure(makeIssue('FILE_NOT_TEXT', { fileName: input.fileName }));
      throw readFailure(makeIssue('FILE_FORMAT_UNKNOWN', { what: `未知的二进制文件（${ext || '无扩展名'}）`, whatEn: `unknown binary data (${ext || 'no extension'})` }));
    }
    const expected = ['.xlsx', '.xlsm', '.xls', '.et'].includes(ext) ? 'xlsx' : ['.csv', '.txt', '.tsv', '.tab'].includes(ext) ? 'csv' : undefined;
    if (expected && expected !== sniffed.format) early.push(makeIssue('FILE_EXTENSION_MISMATCH', { fileName: input.fileName, format: sniffed.format }));

    let raw: AsyncIterator<RawRow>;
    const meta: Pick<ReadTableResult, 'format' | 'encoding' | 'encodingConfidence' | 'delimiter' | 'sheet' | 'sheets'> = {
      format: sniffed.format,
      encoding: null,
    };
    if (sniffed.format === 'csv') {
      const enc = await refineEncoding(src, sniffed.encoding);
      const sample = enc.encoding === sniffed.encoding.encoding ? sniffed.text : decodeBuffer(src.head, enc.encoding);
      const delimiter = sniffDelimiter(sample, src.size <= src.head.length);
      if (enc.confidence < 0.7) early.push(makeIssue('ENCODING_UNCERTAIN', { encoding: enc.encoding.toUpperCase() }));
      Object.assign(meta, { encoding: enc.encoding, encodingConfidence: enc.confidence, delimiter });
      raw = parseCsv(decodeChunks(src.chunks(), enc.encoding), { delimiter, encoding: enc.encoding.toUpperCase(), maxRecordChars: limits.csvMaxRecordChars })[Symbol.asyncIterator]();
    } else {
      const wanted = input.xlsxMode && input.xlsxMode !== 'auto' ? input.xlsxMode : src.size >= XLSX_STREAMING_THRESHOLD ? 'stream' : 'load';
      const source = input.buffer ? { buffer: input.buffer } : { path: input.path };
      const inspected = await inspectXlsx(source, limits, { load: wanted === 'load' });
      early.push(...inspected.issues);
      const mode = wanted === 'load' && inspected.loadable ? 'load' : 'stream';
      const opened = await openXlsx(source, { sheet: input.sheet, mode, zip: inspected.zip });
      early.push(...opened.issues);
      Object.assign(meta, { sheet: opened.sheet, sheets: opened.sheets });
      raw = opened.rows[Symbol.asyncIterator]();
      closeRows = opened.close;
    }
    raw = withinLimits(raw, limits);

    // The window: enough rows to find the header and sample the columns.
    const window: RawRow[] = [];
    let cells = 0;
    let exhausted = false;
    try {
      while (window.length < WINDOW_ROWS && cells < WINDOW_CELLS) {
        const next = await raw.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        window.push(next.value);
        cells += next.value.cells.length;
      }
    } catch (e) {
      throw asCoded(e);
    }
    const withContent = window.filter((r) => rowWidth(r.cells) > 0);
    if (withContent.length === 0) {
      const syntax = window.flatMap((r) => r.issues ?? []).find((i) => i.severity === 'error');
      if (syntax) throw readFailure(syntax, early);
      throw readFailure(makeIssue(meta.format === 'csv' ? 'FILE_EMPTY' : 'SHEET_EMPTY', meta.sheet ? { sheet: meta.sheet.name } : {}), early);
    }

    const decimal: DecimalSeparator = meta.format === 'csv' && meta.delimiter !== ',' ? sniffDecimal(window) : '.';
    const described = describeTable(window, { decimal });
    if (!described) {
      const syntax = window.flatMap((r) => r.issues ?? []).filter((i) => i.severity === 'error');
      throw readFailure(makeIssue('HEADER_NOT_FOUND', {}), [...early, ...syntax]);
    }
    const { shape } = described;
    const log = new IssueLog();
    for (const i of early) log.add(i);
    for (const i of described.issues) log.add(i);

    const width = shape.columns.length;
    const labelOf = (c: number) => shape.columns[c]?.original || undefined;
    const blank: CellValue = meta.format === 'csv' ? '' : null;
    const checker = input.checkTotals === false ? undefined : new TotalsChecker(shape);
    const knownTotals = new Set(shape.totalRowIndexes);

    // Rows above the data (preamble, header) only contribute their problems.
    for (const r of window) {
      if (r.row >= shape.dataStartRow) break;
      for (const i of [...(r.issues ?? []), ...locateCellIssues(r, labelOf)]) log.add(i);
    }

    const toTableRow = (r: RawRow): TableRow | undefined => {
      const issues = [...(r.issues ?? []), ...locateCellIssues(r, labelOf)];
      const kind = classifyRow(r.cells);
      if (kind === 'empty') {
        for (const i of issues) log.add(i);
        return undefined;
      }
      const fitted = fitRow(r.cells, width, blank);
      if (fitted.extra) issues.push(makeIssue('ROW_EXTRA_CELLS', { count: fitted.extra, width }, { row: r.row }));
      if ((kind === 'total' || kind === 'subtotal') && !knownTotals.has(r.row)) {
        knownTotals.add(r.row);
        shape.totalRowIndexes.push(r.row);
      }
      if (checker) {
        const values = numericCells(fitted.cells, decimal);
        // A cell whose value is unknown (#DIV/0!, a formula never calculated) is not an empty
        // cell: totals that cover it cannot be checked.
        for (const ci of r.cellIssues ?? []) {
          if (ci.column < width && (ci.issue.code === 'CELL_ERROR' || ci.issue.code === 'FORMULA_NO_RESULT')) values[ci.column] = Number.NaN;
        }
        for (const i of checker.push(r.row, kind, values)) {
          // A total written above its details is reported when they have been read.
          if (i.row === r.row) issues.push(i);
          else log.add(i);
        }
      }
      for (const i of issues) log.add(i);
      return { row: r.row, cells: fitted.cells, kind, issues };
    };

    let closed = false;
    const closeAll = async () => {
      if (closed) return;
      closed = true;
      src.close();
      // Ending the row source runs its own clean-up (the CSV parser, the zip stream).
      await raw.return?.().catch(() => undefined);
      await closeRows().catch(() => undefined);
    };
    async function* rows(): AsyncGenerator<TableRow> {
      try {
        for (const r of window) {
          if (r.row < shape.dataStartRow) continue;
          const t = toTableRow(r);
          if (t) yield t;
        }
        window.length = 0; // the window is no longer needed
        if (!exhausted) {
          for (;;) {
            let next: IteratorResult<RawRow>;
            try {
              next = await raw.next();
            } catch (e) {
              throw asCoded(e);
            }
            if (next.done) break;
            const t = toTableRow(next.value);
            if (t) yield t;
          }
        }
        if (checker) for (const i of checker.finish()) log.add(i);
      } finally {
        await closeAll();
      }
    }

    handedOver = true;
    return { ...meta, decimal, shape, rows: rows(), issues: log.issues, close: closeAll };
  } catch (e) {
    throw asCoded(e);
  } finally {
    if (!handedOver) {
      src.close();
      await closeRows().catch(() => {});
    }
  }
}

/**
 * The raw rows, refused once they go beyond the limits on rows and cells (IMPORT_TOO_MANY_ROWS,
 * IMPORT_TOO_MANY_CELLS) or a CSV record is longer than allowed (CSV_ROW_TOO_LARGE): reading
 * stops there, and a table read only in part is never taken for the whole file.
 */
function withinLimits(raw: AsyncIterator<RawRow>, limits: ReadLimits): AsyncIterator<RawRow> {
  let rows = 0;
  let cells = 0;
  return {
    async next() {
      const next = await raw.next();
      if (next.done) return next;
      const r = next.value;
      rows++;
      cells += r.cells.length;
      const tooLong = r.issues?.find((i) => i.code === 'CSV_ROW_TOO_LARGE');
      if (tooLong) throw readFailure(tooLong);
      if (Math.max(rows, r.row) > limits.maxRows) throw readFailure(makeIssue('IMPORT_TOO_MANY_ROWS', { limit: limits.maxRows }, { row: r.row }));
      if (cells > limits.maxCells) throw readFailure(makeIssue('IMPORT_TOO_MANY_CELLS', { limit: limits.maxCells }, { row: r.row }));
      return next;
    },
    return: async (value?: unknown) => (raw.return ? raw.return(value) : { done: true as const, value: undefined }),
  };
}

// Anything unexpected while reading (an I/O error, a library failing on a damaged file)
// becomes FILE_CORRUPT, so callers only ever see coded errors.
function asCoded(e: unknown): Error {
  if (isAppError(e)) return e;
  if (e instanceof TypeError && /needs a path or a buffer/.test(e.message)) return e;
  return readFailure(makeIssue('FILE_CORRUPT', { detail: e instanceof Error ? e.message : String(e) }));
}
