/**
 * Types shared by the reading layer of the spreadsheet importer: what a raw row looks like,
 * what an issue is, and how a table is described.
 */

export type Severity = 'error' | 'warning';

/**
 * One problem found while reading. `row` is the 1-based physical row (the number a user sees in
 * Excel, or the record number in a CSV); `column` is the 0-based index into `cells`. Both are
 * null for problems of the whole file.
 */
export interface Issue {
  row: number | null;
  column: number | null;
  /** The column's header as written, for messages and reports. */
  columnLabel?: string;
  code: IssueCode;
  severity: Severity;
  /** Chinese message, complete with its location. */
  message: string;
  message_en: string;
  /** For TOTAL_MISMATCH: the total as written and as computed from the detail cells. */
  stated?: number;
  computed?: number;
}

export type IssueCode =
  // the file
  | 'FILE_TOO_LARGE'
  | 'FILE_EMPTY'
  | 'FILE_FORMAT_UNKNOWN'
  | 'FILE_NOT_TEXT'
  | 'FILE_CORRUPT'
  | 'FILE_EXTENSION_MISMATCH'
  | 'ENCODING_UNCERTAIN'
  | 'ENCODING_INVALID_BYTES'
  // limits (see limits.ts)
  | 'XLSX_DECOMPRESSED_TOO_LARGE'
  | 'XLSX_COMPRESSION_RATIO_TOO_HIGH'
  | 'XLSX_MERGE_TOO_LARGE'
  | 'IMPORT_TOO_MANY_ROWS'
  | 'IMPORT_TOO_MANY_CELLS'
  // CSV syntax
  | 'CSV_QUOTE_NOT_CLOSED'
  | 'CSV_ROW_TOO_LARGE'
  | 'CSV_MALFORMED'
  // workbook
  | 'SHEET_NOT_FOUND'
  | 'SHEET_EMPTY'
  | 'SHEET_EMPTY_SKIPPED'
  | 'CELL_ERROR'
  | 'FORMULA_NO_RESULT'
  // table layout
  | 'HEADER_NOT_FOUND'
  | 'HEADER_LABEL_EMPTY'
  | 'HEADER_DUPLICATE'
  | 'ROW_EXTRA_CELLS'
  // values
  | 'NUMBER_INVALID'
  | 'NUMBER_AMBIGUOUS'
  | 'NUMBER_NEGATIVE'
  | 'NUMBER_AS_TEXT_NORMALISED'
  | 'YEAR_INVALID'
  | 'DATE_INVALID'
  | 'DATE_AMBIGUOUS'
  | 'DATE_OUT_OF_RANGE'
  // totals
  | 'TOTAL_MISMATCH'
  // bookkeeping
  | 'ISSUES_TRUNCATED';

/** A problem described before its location is known (what value parsers return). */
export interface BareIssue {
  code: IssueCode;
  severity: Severity;
  message: string;
  message_en: string;
}

/** A cell as read: CSV gives strings; XLSX gives numbers, strings (dates as ISO) or null. */
export type CellValue = string | number | null;

/** Where a merged XLSX cell comes from: the 1-based row and 0-based column of its top-left cell. */
export interface MergeOrigin {
  row: number;
  col: number;
}

/** A physical row before the table is understood. */
export interface RawRow {
  /** 1-based physical row number. */
  row: number;
  cells: CellValue[];
  /** XLSX only: for each cell inside a merged range, the range's top-left cell. */
  merges?: (MergeOrigin | undefined)[];
  /** Problems of the row as a whole found while reading it (CSV syntax), located already. */
  issues?: Issue[];
  /** Problems of single cells (formula errors, bad bytes), located once the header is known. */
  cellIssues?: { column: number; issue: BareIssue }[];
}

export type ColumnKind = 'year' | 'total' | 'data';

/** What the first rows suggest a column holds; a hint for the column-mapping screen. */
export type ValueType = 'number' | 'date' | 'text' | 'empty';

export interface TableColumn {
  /** 0-based index into each row's `cells`. */
  index: number;
  /** Normalised label (NFKC, half-width, collapsed spaces); header levels joined with " / ". */
  label: string;
  /** The label as written, levels joined the same way; use this in messages. */
  original: string;
  /** Normalised header levels, parent first (one entry for a one-row header). */
  path: string[];
  kind: ColumnKind;
  /** For kind 'year': the year the column holds. */
  year?: number;
  /** For kind 'total': the columns this total should equal the sum of, if they could be told. */
  totalOf?: number[];
  valueType: ValueType;
}

/** How a table in a file is laid out. Row numbers are 1-based physical rows. */
export interface TableShape {
  /** Rows above the header that were skipped (titles, World Bank "Data Source" lines). */
  preambleRows: number[];
  /** The header rows, top first (two or three when a header has merged group cells). */
  headerRows: number[];
  columns: TableColumn[];
  /** Columns that together identify a row within the first rows (a hint, not a guarantee). */
  keyColumns: number[];
  /**
   * Total and subtotal rows. Found in the first rows when the shape is returned, and extended
   * while `rows` is consumed, since a total row usually comes last.
   */
  totalRowIndexes: number[];
  /** First row below the header. */
  dataStartRow: number;
}

/** What a row below the header is. */
export type RowKind = 'data' | 'total' | 'subtotal' | 'of_which' | 'note';

/** A row below the header, as handed to the caller. */
export interface TableRow {
  row: number;
  /** Exactly one cell per column of the shape. */
  cells: CellValue[];
  kind: RowKind;
  /** Problems on this row (also collected in the result's `issues`). */
  issues: Issue[];
}
