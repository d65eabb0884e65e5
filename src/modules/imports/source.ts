/**
 * The reading layer (./read) as the importer uses it: a described table, its rows streamed,
 * reader issues turned into import issues (column named by its header), and an estimate of
 * progress through the file.
 */
import { isAppError } from '../../errors.ts';
import type { ImportIssue } from './imports.types.ts';
import { readTable, type Issue, type ReadLimits, type TableRow } from './read/index.ts';
import type { Cell } from './convert.ts';

export interface SourceColumn {
  index: number;
  label: string;
  kind: 'year' | 'total' | 'data';
  year?: number;
}

export interface SourceRow {
  row: number;
  cells: Cell[];
  kind: TableRow['kind'];
}

export interface TableSource {
  format: string;
  encoding: string | undefined;
  headerRow: number;
  columns: SourceColumn[];
  rows: AsyncIterable<SourceRow>;
  /** Issues known when the file was opened (encoding, header). */
  issues: ImportIssue[];
  /** Issues found while the rows streamed (stated totals, cell errors), after the iteration. */
  laterIssues(): ImportIssue[];
  bytesRead(): number;
  totalBytes: number;
  close(): Promise<void>;
}

/** A reader issue in the import contract's shape. */
export function toImportIssue(i: Issue | Record<string, unknown>, labels: Map<number, string> = new Map()): ImportIssue {
  const r = i as Issue & { columnIndex?: number };
  const colIndex = typeof r.column === 'number' ? r.column : r.columnIndex;
  const column = r.columnLabel ?? (typeof r.column === 'string' ? r.column : colIndex !== undefined && colIndex !== null ? (labels.get(colIndex) ?? `#${colIndex + 1}`) : '');
  const out: ImportIssue = {
    row: typeof r.row === 'number' ? r.row : 0,
    column,
    code: String(r.code),
    severity: r.severity === 'error' ? 'error' : 'warning',
    message: String(r.message ?? ''),
    message_en: String(r.message_en ?? ''),
  };
  if (r.stated !== undefined) out.stated = r.stated;
  if (r.computed !== undefined) out.computed = r.computed;
  return out;
}

/** Opens a file for import; reader failures are thrown as coded AppErrors. */
export async function openSource(input: { path?: string; buffer?: Buffer; fileName: string }, opts: { sheet?: string | number; maxBytes: number; limits?: ReadLimits }): Promise<TableSource> {
  const res = await readTable({ path: input.path, buffer: input.buffer, fileName: input.fileName, sheet: opts.sheet, maxBytes: opts.maxBytes, limits: opts.limits });
  const labels = new Map(res.shape.columns.map((c) => [c.index, c.original || c.label]));
  const atOpen = res.issues.length;
  let bytes = 0;
  const totalBytes = input.buffer ? input.buffer.length : 0;
  async function* rows(): AsyncGenerator<SourceRow> {
    for await (const r of res.rows) {
      // Progress estimate: the row's text as UTF-8, plus separators.
      for (const c of r.cells) bytes += c === null ? 1 : typeof c === 'number' ? 8 : Buffer.byteLength(c) + 1;
      yield { row: r.row, cells: r.cells as Cell[], kind: r.kind };
    }
  }
  return {
    format: res.format,
    encoding: res.encoding ?? undefined,
    headerRow: res.shape.headerRows[res.shape.headerRows.length - 1] ?? 1,
    columns: res.shape.columns.map((c) => ({ index: c.index, label: c.original || c.label, kind: c.kind, year: c.year })),
    rows: rows(),
    issues: res.issues.slice(0, atOpen).map((i) => toImportIssue(i, labels)),
    laterIssues: () => res.issues.slice(atOpen).map((i) => toImportIssue(i, labels)),
    bytesRead: () => bytes,
    totalBytes,
    close: () => res.close(),
  };
}

export { isAppError };
