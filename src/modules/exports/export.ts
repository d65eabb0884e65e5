/**
 * Exports of any list or query result to CSV (UTF-8 with BOM, so Excel opens Chinese text
 * correctly) or XLSX, streamed row by row.
 */
import { PassThrough, Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportColumn {
  key: string;
  /** Header as people read it: 中文 / English. */
  header: string;
}

/** A CSV cell: quoted where it holds a quote, comma or line break, or could be read as a formula. */
export function csvCell(v: unknown): string {
  if (v == null) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function* csvLines(columns: ExportColumn[], rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>) {
  yield `\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`;
  for await (const r of rows) yield `${columns.map((c) => csvCell(r[c.key])).join(',')}\r\n`;
}

function xlsxValue(v: unknown): ExcelJS.CellValue {
  if (v == null) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Writes rows as XLSX to a stream (one sheet, header row frozen and bold). */
async function writeXlsx(out: Writable, sheetName: string, columns: ExportColumn[], rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.min(40, Math.max(10, c.header.length + 4)) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for await (const r of rows) {
    ws.addRow(columns.map((c) => xlsxValue(r[c.key]))).commit();
  }
  ws.commit();
  await wb.commit();
}

/** A readable stream of the export file. */
export function exportStream(
  format: ExportFormat,
  sheetName: string,
  columns: ExportColumn[],
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
): Readable {
  if (format === 'csv') return Readable.from(csvLines(columns, rows));
  const pass = new PassThrough();
  writeXlsx(pass, sheetName, columns, rows).catch((e) => pass.destroy(e as Error));
  return pass;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
