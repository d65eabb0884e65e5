/**
 * The import contract: options, the issues reported row by row, and the result
 * (`innolink import FILE --as KIND --json` prints ImportResult exactly).
 */
export type Severity = 'error' | 'warning';

export interface ImportIssue {
  /** 1-based row of the file (as a spreadsheet shows it); 0 for the whole file. */
  row: number;
  column: string;
  code: string;
  severity: Severity;
  message: string;
  message_en: string;
  [extra: string]: unknown;
}

export interface ImportOptions {
  kind: string;
  dryRun?: boolean;
  keepValid?: boolean;
  /** City (or province) whose tables these are: region names resolve inside it. */
  region?: string;
  sheet?: string | number;
  /** Unit of amounts when the file does not say (default 万元). */
  unit?: string;
  currency?: string;
  /** Explicit column mapping: source header → target field. */
  map?: Record<string, string>;
  /** Called with progress (rows read so far, bytes read, total bytes). */
  onProgress?: (p: { rows: number; bytes: number; totalBytes: number }) => void;
  /** Group code every country in a countries file belongs to (e.g. BRI). */
  group?: string;
  /** Year range a summary table covers, when its text does not say (facts). */
  period?: { from: number; to: number };
}

export interface ImportResult {
  ok: boolean;
  kind: string;
  rows: { read: number; imported: number; rejected: number };
  issues: ImportIssue[];
  /** Id of the import batch (absent on a dry run). */
  import_id?: number;
  dry_run?: boolean;
  /** Records inserted, updated and left unchanged (re-imports change nothing). */
  changes?: { inserted: number; updated: number; unchanged: number };
  /** The detected mapping: column → field, years unpivoted, totals found. */
  mapping?: ImportMapping;
  /** How many issues there were in all (issues holds at most the first 1,000). */
  issue_count?: number;
}

export interface ImportMapping {
  columns: { column: string; field: string | null; year?: number }[];
  unpivoted_years: number[];
  total_rows: number[];
  total_columns: string[];
  encoding?: string;
  format?: string;
}

export const MAX_REPORTED_ISSUES = 1000;
