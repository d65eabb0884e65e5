/**
 * A report document as an XLSX workbook: an overview sheet (title, period, key figures), then
 * one sheet per table with its bilingual header on row 1 (frozen), the values as numbers
 * (percent columns formatted as percent), flagged rows filled, and the table's note below.
 */
import ExcelJS from 'exceljs';
import { both, tablesOf, type ReportDocument, type ReportTable, type RowTone } from './reports.document.ts';

const FILLS: Record<RowTone, string> = { total: 'FFEEF1F5', bad: 'FFFDECEA', warn: 'FFFFF6E0', good: 'FFECFDF3' };
const HEADER_FILL = 'FFEEF2F7';

/** Sheet names: no []:*?/\ and at most 31 characters, unique in the workbook. */
function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31) || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

function addTable(wb: ExcelJS.Workbook, t: ReportTable, name: string): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = t.columns.map((c) => ({
    key: c.key,
    header: c.en && c.en !== c.zh ? `${c.zh} / ${c.en}` : c.zh,
    width: Math.min(60, Math.max(10, (c.width ?? 1) * 12, c.zh.length * 2 + c.en.length + 4)),
    style: c.kind === 'percent' ? { numFmt: `0.${'0'.repeat(c.digits ?? 1)}%` } : c.kind === 'int' ? { numFmt: '0' } : {},
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', wrapText: true };
  head.eachCell((cell) => (cell.fill = fill(HEADER_FILL)));
  for (const r of t.rows) {
    const row = ws.addRow(t.columns.map((c) => r.cells[c.key] ?? null));
    if (r.tone) {
      row.eachCell((cell) => (cell.fill = fill(FILLS[r.tone!])));
      if (r.tone === 'total') row.font = { bold: true };
      if (r.tone === 'bad') row.font = { color: { argb: 'FFB42318' } };
    }
  }
  if (t.note) {
    ws.addRow([]);
    ws.addRow([both(t.note)]).font = { italic: true, color: { argb: 'FF6B7280' } };
  }
}

/** The workbook's bytes and its sheet names, in order. */
export async function renderXlsx(doc: ReportDocument): Promise<{ xlsx: Buffer; sheets: string[] }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'innolink';
  wb.created = new Date(doc.generatedAt);
  wb.title = both(doc.title);
  const used = new Set<string>();
  const overview = wb.addWorksheet(sheetName('概览 Overview', used));
  overview.columns = [{ width: 34 }, { width: 60 }];
  overview.addRow([doc.title.zh]).font = { bold: true, size: 14 };
  overview.addRow([doc.title.en]).font = { color: { argb: 'FF6B7280' } };
  overview.addRow([both(doc.subtitle)]);
  overview.addRow([]);
  for (const m of doc.meta) overview.addRow([both(m.label), m.value]);
  overview.addRow(['生成时间 / Generated', doc.generatedAt]);
  const figures = doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'figures' ? b.items : [])));
  if (figures.length) {
    overview.addRow([]);
    overview.addRow(['关键数字 / Key figures']).font = { bold: true };
    for (const f of figures) overview.addRow([both(f.label), f.value]);
  }
  const notes = doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : [])));
  if (notes.length) {
    overview.addRow([]);
    overview.addRow(['说明 / Notes']).font = { bold: true };
    for (const n of notes) overview.addRow([n.zh, n.en]).alignment = { wrapText: true, vertical: 'top' };
  }
  const sheets = [overview.name];
  for (const t of tablesOf(doc)) {
    const name = sheetName(t.sheet, used);
    addTable(wb, t, name);
    sheets.push(name);
  }
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  return { xlsx, sheets };
}
