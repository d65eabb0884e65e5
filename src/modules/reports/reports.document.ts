/**
 * A report as a neutral document: sections of tables, charts, key figures and notes, every
 * label in Chinese with English beside it. The region and plan reports build one; the XLSX
 * writer puts each table on its own sheet, the PDF writer lays out everything. Building once
 * and rendering twice keeps the two files saying the same figures.
 */

/** A label in Chinese and English; Chinese is shown first wherever a person reads. */
export interface Text2 {
  zh: string;
  en: string;
}

export type CellValue = string | number | null;

/** How a column's numbers are written: int, number (up to `digits` decimals), percent (0.909 → 90.9%). */
export type ColumnKind = 'text' | 'int' | 'number' | 'percent';

export interface ReportColumn {
  key: string;
  zh: string;
  en: string;
  kind?: ColumnKind;
  /** Decimals for number and percent columns (number: up to; percent: exactly). */
  digits?: number;
  /** Relative width in the PDF table (default 1; text columns that hold sentences: 3–4). */
  width?: number;
}

/** A row's emphasis: a total line, or a flag (overdue, deterioration …). */
export type RowTone = 'total' | 'bad' | 'warn' | 'good';

export interface ReportRow {
  cells: Record<string, CellValue>;
  tone?: RowTone;
}

export interface ReportTable {
  type: 'table';
  /** XLSX sheet name: unique in the report, at most 31 characters, Chinese with English beside. */
  sheet: string;
  title: Text2;
  columns: ReportColumn[];
  rows: ReportRow[];
  note?: Text2;
}

export interface ChartSeries {
  name: Text2;
  values: (number | null)[];
}

export interface ReportChart {
  type: 'chart';
  kind: 'bar' | 'line' | 'pie' | 'donut';
  title: Text2;
  /** Unit of the values, shown by the axis. */
  unit?: Text2;
  categories: string[];
  series: ChartSeries[];
  /** Colours per category (pie, donut) or per series (bar, line); a palette otherwise. */
  colors?: string[];
}

export interface ReportParagraph {
  type: 'paragraph';
  text: Text2;
  tone?: 'note' | 'warn';
}

/** Key figures shown as a row of boxes. */
export interface ReportFigures {
  type: 'figures';
  items: { label: Text2; value: string }[];
}

export type ReportBlock = ReportTable | ReportChart | ReportParagraph | ReportFigures;

export interface ReportSection {
  title: Text2;
  blocks: ReportBlock[];
}

export interface ReportDocument {
  title: Text2;
  subtitle: Text2;
  /** Running page header. */
  header: Text2;
  meta: { label: Text2; value: string }[];
  sections: ReportSection[];
  /** ISO timestamp, shown in the footer. */
  generatedAt: string;
}

/** "中文 / English", or the Chinese alone when both are the same. */
export function both(t: Text2): string {
  return t.zh === t.en ? t.zh : `${t.zh} / ${t.en}`;
}

/** Trims a number's trailing zeros after rounding to `digits` decimals. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  const s = x.toFixed(digits);
  const t = s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  return t === '-0' ? '0' : t;
}

/** A cell as printed in the PDF: numbers plain (5636, as the papers write 万元), percents with one decimal. */
export function formatCell(v: CellValue, col: ReportColumn): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  switch (col.kind) {
    case 'int':
      return String(Math.round(v));
    case 'percent':
      return `${(v * 100).toFixed(col.digits ?? 1)}%`;
    case 'number':
      return formatNumber(v, col.digits ?? 4);
    default:
      return formatNumber(v, 6);
  }
}

/** Every table of a document, in reading order (the XLSX sheets). */
export function tablesOf(doc: ReportDocument): ReportTable[] {
  return doc.sections.flatMap((s) => s.blocks.filter((b): b is ReportTable => b.type === 'table'));
}
