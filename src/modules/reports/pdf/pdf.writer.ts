/**
 * The PDF layer of the reports, on pdfkit: A4 pages with a running header and a "第 n 页 / Page
 * n of N" footer, a title block, section headings (also PDF bookmarks), bilingual paragraphs,
 * key-figure boxes, tables that break across pages repeating their header, and vector charts.
 * Text is set in Noto Sans SC, embedded as a subset.
 */
import PDFDocument from 'pdfkit';
import {
  both,
  formatCell,
  type ReportChart,
  type ReportColumn,
  type ReportDocument,
  type ReportFigures,
  type ReportParagraph,
  type ReportRow,
  type ReportTable,
  type Text2,
} from '../reports.document.ts';
import { drawChart, type ChartFonts } from './pdf.charts.ts';
import { reportFonts } from './pdf.fonts.ts';

const FONT: ChartFonts = { regular: 'cjk', bold: 'cjk-bold' };
const MARGIN = { top: 62, bottom: 58, left: 48, right: 48 };
const INK = '#1f2933';
const MUTED = '#6b7280';
const RULE = '#d5dbe3';
const HEAD_BG = '#eef2f7';
const ZEBRA = '#f8fafc';
const TONES = {
  total: { bg: '#eef1f5', color: INK, bold: true },
  bad: { bg: '#fdecea', color: '#b42318', bold: false },
  warn: { bg: '#fff6e0', color: '#8a5a00', bold: false },
  good: { bg: '#ecfdf3', color: '#067647', bold: false },
} as const;
const CELL_PAD_X = 3.5;
const CELL_PAD_Y = 2.6;
const EMPTY = '（无数据 / no data）';

type Doc = PDFKit.PDFDocument;

/** Renders a report document to a PDF file's bytes. */
export async function renderPdf(report: ReportDocument): Promise<{ pdf: Buffer; pages: number }> {
  const w = new PdfWriter(report);
  w.cover();
  for (const s of report.sections) {
    w.section(s.title);
    for (const b of s.blocks) {
      if (b.type === 'table') w.table(b);
      else if (b.type === 'chart') w.chart(b);
      else if (b.type === 'paragraph') w.paragraph(b);
      else w.figures(b);
    }
  }
  return w.finish();
}

class PdfWriter {
  private readonly doc: Doc;
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<void>;
  private y: number;
  private tables = 0;
  private charts = 0;

  constructor(private readonly report: ReportDocument) {
    const fonts = reportFonts();
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      lang: 'zh-CN',
      displayTitle: true,
      info: { Title: both(report.title), Subject: both(report.subtitle), Author: 'innolink', Creator: 'innolink', CreationDate: new Date(report.generatedAt) },
    });
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.doc.registerFont(FONT.regular, fonts.regular);
    this.doc.registerFont(FONT.bold, fonts.bold);
    this.y = MARGIN.top;
  }

  private get left() {
    return MARGIN.left;
  }
  private get width() {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }
  private get bottom() {
    return this.doc.page.height - MARGIN.bottom;
  }

  private newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  /** Starts a new page unless `h` points still fit on this one. */
  private ensure(h: number): void {
    if (this.y + h > this.bottom) this.newPage();
  }

  private font(bold: boolean, size: number, color = INK): Doc {
    return this.doc.font(bold ? FONT.bold : FONT.regular).fontSize(size).fillColor(color);
  }

  private heightOf(s: string, bold: boolean, size: number, width: number): number {
    return this.font(bold, size).heightOfString(s, { width });
  }

  /** Writes text at (x, y) inside `width`; returns its height. */
  private write(s: string, x: number, y: number, o: { bold?: boolean; size: number; color?: string; width: number; align?: 'left' | 'right' | 'center' }): number {
    this.font(o.bold ?? false, o.size, o.color).text(s, x, y, { width: o.width, align: o.align ?? 'left' });
    return this.heightOf(s, o.bold ?? false, o.size, o.width);
  }

  cover(): void {
    const r = this.report;
    this.y += this.write(r.title.zh, this.left, this.y, { bold: true, size: 19, width: this.width });
    this.y += this.write(r.title.en, this.left, this.y + 1, { size: 11, color: MUTED, width: this.width }) + 4;
    this.y += this.write(both(r.subtitle), this.left, this.y, { size: 9.5, color: INK, width: this.width }) + 8;
    const labelW = 150;
    for (const m of r.meta) {
      const h = Math.max(this.heightOf(both(m.label), false, 8, labelW), this.heightOf(m.value, false, 8, this.width - labelW));
      this.write(both(m.label), this.left, this.y, { size: 8, color: MUTED, width: labelW });
      this.write(m.value, this.left + labelW, this.y, { size: 8, width: this.width - labelW });
      this.y += h + 2;
    }
    this.y += 4;
    this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(1).strokeColor('#5470c6').stroke();
    this.y += 12;
  }

  section(title: Text2): void {
    this.ensure(80);
    this.doc.outline.addItem(both(title));
    this.doc.rect(this.left, this.y + 2, 3, 13).fill('#5470c6');
    this.write(title.zh, this.left + 9, this.y, { bold: true, size: 13, width: this.width - 9 });
    const zhW = this.font(true, 13).widthOfString(title.zh);
    this.write(title.en, this.left + 9 + zhW + 8, this.y + 3.5, { size: 9, color: MUTED, width: Math.max(40, this.width - zhW - 20) });
    this.y += 24;
  }

  /** A caption line "表1 中文 / Table 1 English"; returns its height. */
  private caption(prefixZh: string, prefixEn: string, t: Text2, draw: boolean): number {
    const s = `${prefixZh} ${t.zh} / ${prefixEn} ${t.en}`;
    const h = this.heightOf(s, true, 9, this.width) + 4;
    if (draw) this.write(s, this.left, this.y, { bold: true, size: 9, width: this.width });
    return h;
  }

  paragraph(p: ReportParagraph): void {
    const indent = p.tone ? 8 : 0;
    const w = this.width - indent;
    const hz = this.heightOf(p.text.zh, false, 9, w);
    const he = this.heightOf(p.text.en, false, 7.8, w);
    this.ensure(hz + he + 6);
    if (p.tone) this.doc.rect(this.left, this.y, 2.5, hz + he + 2).fill(p.tone === 'warn' ? '#f5a623' : '#9aa5b1');
    this.write(p.text.zh, this.left + indent, this.y, { size: 9, width: w });
    this.write(p.text.en, this.left + indent, this.y + hz + 1, { size: 7.8, color: MUTED, width: w });
    this.y += hz + he + 8;
  }

  figures(f: ReportFigures): void {
    const perRow = Math.min(4, f.items.length);
    const gap = 8;
    const bw = (this.width - gap * (perRow - 1)) / perRow;
    const bh = 50;
    for (let i = 0; i < f.items.length; i += perRow) {
      this.ensure(bh + gap);
      f.items.slice(i, i + perRow).forEach((it, j) => {
        const x = this.left + j * (bw + gap);
        this.doc.roundedRect(x, this.y, bw, bh, 3).lineWidth(0.6).fillAndStroke('#f7f9fc', RULE);
        this.write(it.value, x + 7, this.y + 5, { bold: true, size: 14, color: '#1d4ed8', width: bw - 14 });
        this.write(it.label.zh, x + 7, this.y + 26, { size: 7.5, width: bw - 14 });
        this.write(it.label.en, x + 7, this.y + 36, { size: 6.5, color: MUTED, width: bw - 14 });
      });
      this.y += bh + gap;
    }
    this.y += 4;
  }

  chart(c: ReportChart): void {
    this.charts++;
    const n = this.charts;
    const h = c.kind === 'pie' || c.kind === 'donut' ? 150 : c.kind === 'bar' && c.categories.length > 8 ? Math.min(320, 40 + c.categories.length * 17) : 190;
    const ch = this.caption(`图${n}`, `Figure ${n}`, c.title, false);
    this.ensure(ch + h + 10);
    this.caption(`图${n}`, `Figure ${n}`, c.title, true);
    this.y += ch;
    drawChart(this.doc, c, { x: this.left, y: this.y, w: this.width, h }, FONT);
    this.y += h + 14;
  }

  table(t: ReportTable): void {
    this.tables++;
    const n = this.tables;
    const widths = this.columnWidths(t);
    const headH = this.headerHeight(t.columns, widths);
    const rows = t.rows.length ? t.rows : [{ cells: {} } as ReportRow];
    const firstH = this.rowHeight(t.columns, widths, rows[0], !t.rows.length);
    const ch = this.caption(`表${n}`, `Table ${n}`, t.title, false);
    this.ensure(ch + headH + firstH);
    this.caption(`表${n}`, `Table ${n}`, t.title, true);
    this.y += ch;
    this.drawHeader(t.columns, widths, headH);
    rows.forEach((row, i) => {
      const empty = !t.rows.length;
      const h = this.rowHeight(t.columns, widths, row, empty);
      if (this.y + h > this.bottom) {
        this.newPage();
        this.drawHeader(t.columns, widths, headH);
      }
      this.drawRow(t.columns, widths, row, h, i, empty);
    });
    this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(0.8).strokeColor('#9aa5b1').stroke();
    this.y += 4;
    if (t.note) {
      const s = both(t.note);
      const h = this.heightOf(s, false, 7, this.width);
      this.ensure(h);
      this.write(s, this.left, this.y, { size: 7, color: MUTED, width: this.width });
      this.y += h;
    }
    this.y += 10;
  }

  /**
   * Column widths, as HTML's automatic table layout does it: a column whose content fits in
   * its fair share (by `width` weight) on one line gets just that width; the others share what
   * is left by weight and wrap. Numbers and dates so never break across lines.
   */
  private columnWidths(t: ReportTable): number[] {
    const total = this.width;
    const weights = t.columns.map((c) => c.width ?? 1);
    const fixed = new Set<number>();
    const natural = t.columns.map((c, i) => {
      const cells = t.rows.map((r) => formatCell(r.cells[c.key] ?? null, c));
      let w = 0;
      t.rows.forEach((r, j) => (w = Math.max(w, this.font(r.tone === 'total', 7.8).widthOfString(cells[j]))));
      const head = Math.max(this.font(true, 7.6).widthOfString(c.zh), this.font(false, 6.2).widthOfString(c.en));
      // Numbers, dates and codes never wrap: their column is as wide as they are (its header may wrap).
      if ((c.kind && c.kind !== 'text') || cells.every((x) => x.length <= 12 && !/\s/.test(x))) {
        fixed.add(i);
        return Math.min(Math.max(w, Math.min(head, 44)) + 2 * CELL_PAD_X + 1, total * 0.3);
      }
      return Math.min(Math.max(w, head) + 2 * CELL_PAD_X + 1, total * 0.6);
    });
    const free = () => {
      const width = total - [...fixed].reduce((s, i) => s + natural[i], 0);
      const weight = weights.reduce((s, w, i) => (fixed.has(i) ? s : s + w), 0);
      return { width, weight };
    };
    for (let changed = true; changed; ) {
      changed = false;
      const f = free();
      for (let i = 0; i < natural.length; i++) {
        if (!fixed.has(i) && natural[i] <= (f.width * weights[i]) / f.weight) {
          fixed.add(i);
          changed = true;
        }
      }
    }
    if (fixed.size === natural.length) {
      // Everything fits: widen every column in proportion.
      const sum = natural.reduce((s, w) => s + w, 0);
      return natural.map((w) => (w / sum) * total);
    }
    const f = free();
    if (f.width < total * 0.15) {
      // The unbreakable columns alone nearly fill the page: fall back to the weights.
      const sum = weights.reduce((s, w) => s + w, 0);
      return weights.map((w) => (w / sum) * total);
    }
    return natural.map((w, i) => (fixed.has(i) ? w : (f.width * weights[i]) / f.weight));
  }

  private headerHeight(cols: ReportColumn[], widths: number[]): number {
    return (
      Math.max(...cols.map((c, i) => this.heightOf(c.zh, true, 7.6, widths[i] - 2 * CELL_PAD_X) + (c.en && c.en !== c.zh ? this.heightOf(c.en, false, 6.2, widths[i] - 2 * CELL_PAD_X) : 0))) +
      2 * CELL_PAD_Y +
      1
    );
  }

  private drawHeader(cols: ReportColumn[], widths: number[], h: number): void {
    this.doc.rect(this.left, this.y, this.width, h).fill(HEAD_BG);
    this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(0.8).strokeColor('#9aa5b1').stroke();
    let x = this.left;
    cols.forEach((c, i) => {
      const w = widths[i] - 2 * CELL_PAD_X;
      const align = c.kind && c.kind !== 'text' ? 'right' : 'left';
      const hz = this.write(c.zh, x + CELL_PAD_X, this.y + CELL_PAD_Y, { bold: true, size: 7.6, width: w, align });
      if (c.en && c.en !== c.zh) this.write(c.en, x + CELL_PAD_X, this.y + CELL_PAD_Y + hz, { size: 6.2, color: MUTED, width: w, align });
      x += widths[i];
    });
    this.y += h;
    this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(0.5).strokeColor('#9aa5b1').stroke();
  }

  private cellText(c: ReportColumn, row: ReportRow): string {
    return formatCell(row.cells[c.key] ?? null, c);
  }

  private rowHeight(cols: ReportColumn[], widths: number[], row: ReportRow, empty: boolean): number {
    if (empty) return this.heightOf(EMPTY, false, 7.8, this.width) + 2 * CELL_PAD_Y;
    const bold = row.tone === 'total';
    return Math.max(...cols.map((c, i) => this.heightOf(this.cellText(c, row), bold, 7.8, widths[i] - 2 * CELL_PAD_X))) + 2 * CELL_PAD_Y;
  }

  private drawRow(cols: ReportColumn[], widths: number[], row: ReportRow, h: number, index: number, empty: boolean): void {
    const tone = row.tone ? TONES[row.tone] : null;
    const bg = tone?.bg ?? (index % 2 === 1 ? ZEBRA : null);
    if (bg) this.doc.rect(this.left, this.y, this.width, h).fill(bg);
    if (empty) this.write(EMPTY, this.left + CELL_PAD_X, this.y + CELL_PAD_Y, { size: 7.8, color: MUTED, width: this.width - 2 * CELL_PAD_X, align: 'center' });
    let x = this.left;
    cols.forEach((c, i) => {
      const numeric = c.kind && c.kind !== 'text';
      if (!empty) this.write(this.cellText(c, row), x + CELL_PAD_X, this.y + CELL_PAD_Y, {
        bold: tone?.bold ?? false,
        size: 7.8,
        color: tone?.color ?? INK,
        width: widths[i] - 2 * CELL_PAD_X,
        align: numeric ? 'right' : 'left',
      });
      x += widths[i];
    });
    this.y += h;
    this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(0.3).strokeColor(RULE).stroke();
  }

  /** Draws headers and footers on every page, ends the document and returns its bytes. */
  async finish(): Promise<{ pdf: Buffer; pages: number }> {
    const range = this.doc.bufferedPageRange();
    const generated = this.report.generatedAt.replace('T', ' ').slice(0, 16);
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const page = this.doc.page;
      // Text outside the margins would make pdfkit open a new page: lift the bottom margin.
      const bottom = page.margins.bottom;
      page.margins.bottom = 0;
      const w = page.width - MARGIN.left - MARGIN.right;
      this.font(false, 7, MUTED).text('innolink 国际科技合作管理平台 / STI cooperation platform', MARGIN.left, 30, { width: w / 2, lineBreak: false });
      this.font(false, 7, MUTED).text(both(this.report.header), MARGIN.left + w / 2, 30, { width: w / 2, align: 'right', lineBreak: false, ellipsis: true, height: 9 });
      this.doc.moveTo(MARGIN.left, 44).lineTo(MARGIN.left + w, 44).lineWidth(0.5).strokeColor(RULE).stroke();
      const fy = page.height - 38;
      this.doc.moveTo(MARGIN.left, fy - 6).lineTo(MARGIN.left + w, fy - 6).lineWidth(0.5).strokeColor(RULE).stroke();
      this.font(false, 7, MUTED).text(`生成于 / Generated ${generated}`, MARGIN.left, fy, { width: w / 2, lineBreak: false });
      const n = i - range.start + 1;
      this.font(false, 7, MUTED).text(`第 ${n} 页，共 ${range.count} 页 / Page ${n} of ${range.count}`, MARGIN.left + w / 2, fy, { width: w / 2, align: 'right', lineBreak: false });
      page.margins.bottom = bottom;
    }
    this.doc.end();
    await this.ended;
    return { pdf: Buffer.concat(this.chunks), pages: range.count };
  }
}
