/**
 * Looking inside an XLSX file before anything parses it. An XLSX is a ZIP of XML parts, and a
 * few kilobytes of it can ask for gigabytes: a part that inflates a thousandfold (a zip bomb),
 * one merged range over the whole sheet (`A2:XFD1048576`, which exceljs's loader expands into
 * 17 billion cells), a data validation over every cell. So, before a workbook is read:
 *
 * 1. The central directory is read (zip.ts) and the stated sizes checked: their sum, and the
 *    compression ratio of every large part (XLSX_DECOMPRESSED_TOO_LARGE,
 *    XLSX_COMPRESSION_RATIO_TOO_HIGH). A part never inflates beyond its stated size: zip.ts
 *    stops it (FILE_CORRUPT), so a directory that lies is caught too.
 * 2. A ZIP that is not a workbook (a Word file, a folder of photos) is refused as
 *    FILE_FORMAT_UNKNOWN, whatever it is called.
 * 3. When the workbook is small enough to be loaded whole (merged cells expanded), every part is
 *    inflated once, counted, and the sheets' XML parsed (saxes, as exceljs does) for what the
 *    loader would build: rows, cells, merged ranges, data validations, and the cells of the
 *    workbook's defined names. Only a workbook whose cost stays within a fixed budget is
 *    loaded; any other is streamed (flat memory, merged cells not expanded), with
 *    XLSX_MERGE_TOO_LARGE when its merged ranges are the reason. A reference beyond the sheet's
 *    grid (column XFD, row 1048576), which no spreadsheet program writes, is FILE_CORRUPT.
 *    zip.ts makes sure that a part's name is the same for this reader and for the loader.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import { isAppError } from '../../../errors.ts';
import { makeIssue, readFailure } from './issues.ts';
import type { ReadLimits } from './limits.ts';
import type { Issue } from './types.ts';
import { openZip, type ZipArchive, type ZipEntry } from './zip.ts';

/** Loading a workbook whole costs about 300 bytes of heap per cell: at most this many cells… */
const LOAD_MAX_CELLS = 1_000_000;
/** …from at most this much XML (exceljs holds each part as a string while it parses it). */
const LOAD_MAX_BYTES = 128 * 1024 * 1024;
/** exceljs checks each merged range against every earlier one: the count is bounded too. */
const LOAD_MAX_MERGES = 10_000;
/** Parts smaller than this are not judged by their compression ratio (XML headers compress well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** Shared strings are held in memory by both readers. */
const MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024;

/** The grid of a sheet: the last column (XFD) and row a spreadsheet program writes. */
export const MAX_COLUMN = 16_384;
export const MAX_ROW = 1_048_576;

// The parts exceljs's loader treats as sheets (its own pattern, unanchored as it is there).
const LOADED_SHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;
/** A sheet costs the loader a worksheet object and the reader a probe, even when empty. */
const SHEET_COST_CELLS = 1000;
// The ranges of a defined name the loader gives a cell each (its own pattern, made global).
const DEFINED_RANGE = /[$](\w+)[$](\d+)(?::[$](\w+)[$](\d+))?/g;

export interface XlsxInspection {
  zip: ZipArchive;
  /** Whether the workbook may be loaded whole (merged cells expanded) rather than streamed. */
  loadable: boolean;
  /** Warnings about the way it will be read (XLSX_MERGE_TOO_LARGE). */
  issues: Issue[];
}

/** What loading a sheet would build, from its XML. */
export interface SheetScan {
  /** `<row>` elements, and the last row number referred to. */
  rows: number;
  lastRow: number;
  /** Cells the loaded reader visits: every row as wide as its last cell. */
  cells: number;
  merges: number;
  mergedCells: number;
  largestMerge: { ref: string; cells: number };
  /** Cells a data validation covers (the loader keeps one entry per cell). */
  validationCells: number;
}

function corrupt(detail: string): never {
  throw readFailure(makeIssue('FILE_CORRUPT', { detail }));
}

/** A cell reference (`B12`, `$B$12`) as 1-based column and row; undefined when it is not one. */
function cellRef(ref: string): { col: number; row: number } | undefined {
  const m = /^\$?([A-Za-z]+)\$?(\d+)$/.exec(ref.trim());
  if (!m) return undefined;
  const letters = m[1].toUpperCase();
  if (letters.length > 3) corrupt(`cell ${ref.slice(0, 12)} is beyond column XFD`);
  let col = 0;
  for (const ch of letters) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m[2]);
  if (col > MAX_COLUMN) corrupt(`cell ${ref} is beyond column XFD`);
  if (row < 1 || row > MAX_ROW) corrupt(`cell ${ref.slice(0, 12)} is beyond row ${MAX_ROW}`);
  return { col, row };
}

/** The cells a range (`A2:C9`, or one cell) covers, and its last row. */
function rangeArea(ref: string): { cells: number; lastRow: number } {
  const [a, b = a] = ref.split(':');
  const from = cellRef(a);
  const to = cellRef(b);
  if (!from || !to) return { cells: 0, lastRow: 0 };
  return {
    cells: (Math.abs(to.row - from.row) + 1) * (Math.abs(to.col - from.col) + 1),
    lastRow: Math.max(from.row, to.row),
  };
}

/**
 * Scan a sheet's XML for what loading it would build. It is parsed with saxes, as exceljs
 * parses it (same parser, same options), so the scan sees exactly the elements exceljs will:
 * a pattern search could be misled by a `>` inside an attribute or markup-like text in CDATA.
 * XML that saxes refuses would fail exceljs as well: FILE_CORRUPT now.
 */
export async function scanSheet(xml: AsyncIterable<Buffer>): Promise<SheetScan> {
  const s: SheetScan = { rows: 0, lastRow: 0, cells: 0, merges: 0, mergedCells: 0, largestMerge: { ref: '', cells: 0 }, validationCells: 0 };
  let row = 0;
  let col = 0;
  let rowWidth = 0;
  const endRow = () => {
    s.cells += rowWidth;
    rowWidth = 0;
    col = 0;
  };
  const onTag = (name: string, attrs: Record<string, string>) => {
    switch (name) {
      case 'row': {
        endRow();
        const r = attrs.r;
        row = r !== undefined && /^\d+$/.test(r.trim()) ? Number(r) : row + 1;
        if (row > MAX_ROW) corrupt(`row ${row} is beyond row ${MAX_ROW}`);
        s.rows++;
        s.lastRow = Math.max(s.lastRow, row);
        break;
      }
      case 'c': {
        const at = attrs.r === undefined ? undefined : cellRef(attrs.r);
        col = at ? at.col : col + 1;
        if (col > MAX_COLUMN) corrupt(`a cell is beyond column XFD`);
        if (at) s.lastRow = Math.max(s.lastRow, at.row);
        rowWidth = Math.max(rowWidth, col);
        break;
      }
      case 'mergeCell': {
        const ref = attrs.ref ?? '';
        const { cells, lastRow } = rangeArea(ref);
        s.merges++;
        s.mergedCells += cells;
        s.lastRow = Math.max(s.lastRow, lastRow);
        if (cells > s.largestMerge.cells) s.largestMerge = { ref, cells };
        break;
      }
      case 'dataValidation':
        for (const ref of (attrs.sqref ?? '').split(/\s+/)) if (ref) s.validationCells += rangeArea(ref).cells;
        break;
      case 'col':
        if (Number(attrs.max ?? 0) > MAX_COLUMN) corrupt(`a column range ends beyond column XFD`);
        break;
    }
  };
  const parser = new SaxesParser();
  let malformed: Error | undefined;
  parser.on('error', (e) => (malformed ??= e));
  parser.on('opentag', (node) => onTag(node.name, node.attributes as Record<string, string>));
  const decoder = new StringDecoder('utf8');
  const write = (text: string) => {
    parser.write(text);
    if (malformed) corrupt(`a sheet's XML is malformed: ${malformed.message}`);
  };
  for await (const chunk of xml) write(decoder.write(chunk));
  write(decoder.end());
  parser.close();
  if (malformed) corrupt(`a sheet's XML is malformed: ${malformed.message}`);
  endRow();
  return s;
}

/**
 * The cells the loader gives the workbook's defined names: exceljs keeps one entry per cell of
 * each range a name refers to (`Sheet1!$A$1:$XFD$1048576` is 17 billion of them).
 */
export async function scanWorkbook(xml: AsyncIterable<Buffer>): Promise<number> {
  let cells = 0;
  let text: string[] | undefined;
  const parser = new SaxesParser();
  let malformed: Error | undefined;
  parser.on('error', (e) => (malformed ??= e));
  parser.on('opentag', (node) => {
    if (node.name === 'definedName') text = [];
  });
  // exceljs hears 'text' only (CDATA is not a name's text to it).
  parser.on('text', (t) => text?.push(t));
  parser.on('closetag', (node) => {
    if (node.name !== 'definedName' || !text) return;
    for (const m of text.join('').matchAll(DEFINED_RANGE)) cells += rangeArea(m[3] ? `${m[1]}${m[2]}:${m[3]}${m[4]}` : `${m[1]}${m[2]}`).cells;
    text = undefined;
  });
  const decoder = new StringDecoder('utf8');
  const write = (chunk: string) => {
    parser.write(chunk);
    if (malformed) corrupt(`xl/workbook.xml is malformed: ${malformed.message}`);
  };
  for await (const chunk of xml) write(decoder.write(chunk));
  write(decoder.end());
  parser.close();
  return cells;
}

/** Read a stream to its end, counting nothing: the stated size is enforced by zip.ts. */
async function drain(stream: Readable): Promise<void> {
  for await (const _ of stream) void _;
}

/** What a ZIP that is not a workbook is, for FILE_FORMAT_UNKNOWN. */
function notAWorkbook(zip: ZipArchive): never {
  const has = (name: string) => zip.get(name) !== undefined;
  const [what, whatEn] = has('word/document.xml')
    ? ['Word 文档', 'a Word document']
    : has('ppt/presentation.xml')
      ? ['PowerPoint 演示文稿', 'a PowerPoint file']
      : has('mimetype') || has('content.xml')
        ? ['OpenDocument 文档（.ods 等）', 'an OpenDocument file (.ods …)']
        : ['ZIP 压缩文件，其中没有 Excel 工作簿', 'a ZIP archive that holds no Excel workbook'];
  throw readFailure(makeIssue('FILE_FORMAT_UNKNOWN', { what, whatEn }));
}

/**
 * Open an XLSX file's directory, refuse it when it is not a workbook or inflates beyond the
 * limits, and tell whether it may be loaded whole. `load` asks for the scan that decides that
 * (it inflates the whole workbook once); without it the workbook will be streamed.
 */
export async function inspectXlsx(source: { path?: string; buffer?: Buffer }, limits: ReadLimits, opts: { load: boolean }): Promise<XlsxInspection> {
  let zip: ZipArchive;
  try {
    zip = await openZip(source);
  } catch (e) {
    corrupt(e instanceof Error ? e.message : String(e));
  }
  if (!zip.get('xl/workbook.xml')) notAWorkbook(zip);

  const parts = zip.entries.filter((e) => !e.name.endsWith('/'));
  const stated = parts.reduce((sum, e) => sum + e.size, 0);
  // A bomb is told by its ratio first: that names what it is, not only how big.
  for (const e of parts) {
    const ratio = e.size / Math.max(1, e.compressedSize);
    if (e.size > RATIO_FLOOR_BYTES && ratio > limits.xlsxMaxCompressionRatio)
      throw readFailure(makeIssue('XLSX_COMPRESSION_RATIO_TOO_HIGH', { part: e.name, ratio, limit: limits.xlsxMaxCompressionRatio }));
  }
  if (stated > limits.xlsxMaxDecompressedBytes) throw readFailure(makeIssue('XLSX_DECOMPRESSED_TOO_LARGE', { size: stated, limit: limits.xlsxMaxDecompressedBytes }));
  const strings = zip.get('xl/sharedStrings.xml');
  if (strings && strings.size > MAX_SHARED_STRINGS_BYTES)
    throw readFailure(makeIssue('XLSX_DECOMPRESSED_TOO_LARGE', { size: strings.size, limit: MAX_SHARED_STRINGS_BYTES, part: strings.name }));

  if (!opts.load || stated > LOAD_MAX_BYTES) return { zip, loadable: false, issues: [] };

  // The loader inflates every part: so does the scan, and a part that inflates beyond its
  // stated size fails here (zip.ts), before the loader would hold it.
  const scans: SheetScan[] = [];
  let namedCells = 0;
  for (const e of parts) {
    const stream = await openPart(zip, e);
    try {
      if (LOADED_SHEET.test(e.name)) scans.push(await scanSheet(stream));
      else if (e.name.replace(/^\//, '') === 'xl/workbook.xml') namedCells = await scanWorkbook(stream);
      else await drain(stream);
    } catch (err) {
      if (isAppError(err)) throw err;
      corrupt(err instanceof Error ? err.message : String(err));
    } finally {
      stream.destroy();
    }
  }
  const cost = scans.reduce((sum, s) => sum + SHEET_COST_CELLS + Math.max(s.rows, s.lastRow) + s.cells + s.mergedCells + s.validationCells, namedCells);
  const merged = scans.reduce((sum, s) => sum + s.mergedCells, 0);
  const mergeTooLarge = merged > limits.xlsxMaxMergedCells || scans.some((s) => s.merges > LOAD_MAX_MERGES);
  if (mergeTooLarge) {
    const largest = scans.reduce((a, s) => (s.largestMerge.cells > a.cells ? s.largestMerge : a), { ref: '', cells: 0 });
    const issue = makeIssue('XLSX_MERGE_TOO_LARGE', {
      ref: largest.ref,
      largest: largest.cells,
      count: scans.reduce((sum, s) => sum + s.merges, 0),
      cells: merged,
      limit: limits.xlsxMaxMergedCells,
      maxCount: LOAD_MAX_MERGES,
    });
    return { zip, loadable: false, issues: [issue] };
  }
  return { zip, loadable: cost <= LOAD_MAX_CELLS, issues: [] };
}

async function openPart(zip: ZipArchive, e: ZipEntry): Promise<Readable> {
  try {
    return await zip.open(e);
  } catch (err) {
    corrupt(err instanceof Error ? err.message : String(err));
  }
}
