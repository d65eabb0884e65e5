/**
 * Charts drawn as PDF vectors with pdfkit's own primitives (paths, rectangles, text): vertical
 * and horizontal bars, lines, pie and donut. No browser and no SVG round trip, so a chart is
 * exactly as reliable as the text beside it, stays sharp at any zoom, and its labels are real
 * text that `pdftotext` reads back.
 */
import type { ReportChart } from '../reports.document.ts';
import { both, formatNumber } from '../reports.document.ts';

type Doc = PDFKit.PDFDocument;

/** The ECharts default palette, so PDF charts look like the web pages' charts. */
export const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ChartFonts {
  regular: string;
  bold: string;
}

const AXIS = '#6e7079';
const GRID = '#e0e6f1';
const TEXT = '#333333';
const MUTED = '#6e7079';

/** Axis bounds and step on "nice" numbers (1, 2, 2.5, 5 × 10^k), always including zero. */
export function niceScale(lo: number, hi: number, ticks = 5): { min: number; max: number; step: number } {
  const min = Math.min(0, lo);
  const max = Math.max(0, hi);
  if (max - min <= 0) return { min: 0, max: 1, step: 0.2 };
  const rough = (max - min) / ticks;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  return { min: Math.floor(min / step + 1e-9) * step, max: Math.ceil(max / step - 1e-9) * step, step };
}

const label = (v: number) => formatNumber(v, Math.abs(v) >= 100 ? 0 : 2);

function text(doc: Doc, fonts: ChartFonts, s: string, x: number, y: number, o: { size?: number; color?: string; bold?: boolean; width?: number; align?: 'left' | 'center' | 'right'; height?: number } = {}) {
  doc
    .font(o.bold ? fonts.bold : fonts.regular)
    .fontSize(o.size ?? 7)
    .fillColor(o.color ?? TEXT)
    .text(s, x, y, { width: o.width, align: o.align ?? 'left', lineBreak: o.width !== undefined, height: o.height, ellipsis: o.height !== undefined });
}

function colorOf(chart: ReportChart, i: number): string {
  return chart.colors?.[i] ?? PALETTE[i % PALETTE.length];
}

/** A legend row of series names; returns its height. */
function legend(doc: Doc, fonts: ChartFonts, chart: ReportChart, box: Box): number {
  if (chart.series.length < 2) return 0;
  let x = box.x + box.w;
  const items = chart.series.map((s, i) => ({ name: both(s.name), color: colorOf(chart, i) }));
  doc.font(fonts.regular).fontSize(7);
  // Right-aligned: lay out from the right edge.
  for (let i = items.length - 1; i >= 0; i--) {
    const w = doc.widthOfString(items[i].name);
    x -= w + 14;
    doc.rect(x, box.y + 2, 8, 6).fill(items[i].color);
    text(doc, fonts, items[i].name, x + 11, box.y);
    x -= 8;
  }
  return 14;
}

/** Draws a chart into the box. */
export function drawChart(doc: Doc, chart: ReportChart, box: Box, fonts: ChartFonts): void {
  doc.save();
  const hasData = chart.series.some((s) => s.values.some((v) => v !== null && v !== 0));
  if (!chart.categories.length || !hasData) {
    doc.rect(box.x, box.y, box.w, box.h).lineWidth(0.5).strokeColor(GRID).stroke();
    text(doc, fonts, '无数据 / no data', box.x, box.y + box.h / 2 - 5, { size: 9, color: MUTED, width: box.w, align: 'center' });
  } else if (chart.kind === 'pie' || chart.kind === 'donut') drawPie(doc, chart, box, fonts);
  else if (chart.kind === 'bar' && (chart.categories.length > 8 || Math.max(...chart.categories.map((c) => c.length)) > 8)) drawHorizontalBars(doc, chart, box, fonts);
  else drawColumns(doc, chart, box, fonts);
  doc.restore();
}

/** Vertical bars (grouped by series) or lines over categories. */
function drawColumns(doc: Doc, chart: ReportChart, box: Box, fonts: ChartFonts): void {
  const top = box.y + legend(doc, fonts, chart, box) + 12;
  const values = chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const scale = niceScale(Math.min(...values), Math.max(...values));
  doc.font(fonts.regular).fontSize(7);
  const ticks: number[] = [];
  for (let v = scale.min; v <= scale.max + scale.step / 2; v += scale.step) ticks.push(Number(v.toPrecision(12)));
  const axisW = Math.max(...ticks.map((t) => doc.widthOfString(label(t)))) + 6;
  const plot = { x: box.x + axisW, y: top, w: box.w - axisW - 4, h: box.y + box.h - top - 22 };
  const yOf = (v: number) => plot.y + plot.h - ((v - scale.min) / (scale.max - scale.min)) * plot.h;
  if (chart.unit) text(doc, fonts, both(chart.unit), box.x, top - 11, { size: 6.5, color: MUTED });
  for (const t of ticks) {
    const y = yOf(t);
    doc.moveTo(plot.x, y).lineTo(plot.x + plot.w, y).lineWidth(0.5).strokeColor(GRID).stroke();
    text(doc, fonts, label(t), box.x, y - 4, { width: axisW - 4, align: 'right', color: MUTED });
  }
  const zero = yOf(0);
  doc.moveTo(plot.x, zero).lineTo(plot.x + plot.w, zero).lineWidth(0.8).strokeColor(AXIS).stroke();
  const n = chart.categories.length;
  const band = plot.w / n;
  chart.categories.forEach((c, i) => {
    text(doc, fonts, c, plot.x + i * band, plot.y + plot.h + 4, { width: band, align: 'center', height: 18 });
  });
  const labelled = n * chart.series.length <= 36;
  if (chart.kind === 'bar') {
    const group = band * 0.7;
    const bw = group / chart.series.length;
    chart.series.forEach((s, si) => {
      s.values.forEach((v, i) => {
        if (v === null) return;
        const x = plot.x + i * band + (band - group) / 2 + si * bw;
        const y = Math.min(yOf(v), zero);
        const h = Math.max(Math.abs(yOf(v) - zero), v === 0 ? 0 : 0.5);
        doc.rect(x + 0.5, y, bw - 1, h).fill(colorOf(chart, si));
        if (labelled) text(doc, fonts, label(v), x - 6, v >= 0 ? y - 9 : y + h + 1, { width: bw + 12, align: 'center', size: 6.5 });
      });
    });
    return;
  }
  chart.series.forEach((s, si) => {
    const color = colorOf(chart, si);
    const pts = s.values.map((v, i) => (v === null ? null : { x: plot.x + i * band + band / 2, y: yOf(v), v }));
    let open = false;
    for (const p of pts) {
      if (!p) {
        open = false;
        continue;
      }
      if (open) doc.lineTo(p.x, p.y);
      else doc.moveTo(p.x, p.y);
      open = true;
    }
    doc.lineWidth(1.6).strokeColor(color).stroke();
    for (const p of pts) {
      if (!p) continue;
      doc.circle(p.x, p.y, 2.2).fillAndStroke('#ffffff', color);
      if (labelled && chart.series.length === 1) text(doc, fonts, label(p.v), p.x - 20, p.y - 11, { width: 40, align: 'center', size: 6.5 });
    }
  });
}

/** Horizontal bars, for many categories or long names (districts, countries, units). */
function drawHorizontalBars(doc: Doc, chart: ReportChart, box: Box, fonts: ChartFonts): void {
  const top = box.y + legend(doc, fonts, chart, box) + 2;
  const values = chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const scale = niceScale(Math.min(...values), Math.max(...values));
  doc.font(fonts.regular).fontSize(7);
  const labelW = Math.min(box.w * 0.3, Math.max(...chart.categories.map((c) => doc.widthOfString(c))) + 8);
  const plot = { x: box.x + labelW, y: top, w: box.w - labelW - 30, h: box.y + box.h - top - 16 };
  const xOf = (v: number) => plot.x + ((v - scale.min) / (scale.max - scale.min)) * plot.w;
  for (let v = scale.min; v <= scale.max + scale.step / 2; v += scale.step) {
    const x = xOf(v);
    doc.moveTo(x, plot.y).lineTo(x, plot.y + plot.h).lineWidth(0.5).strokeColor(GRID).stroke();
    text(doc, fonts, label(Number(v.toPrecision(12))), x - 20, plot.y + plot.h + 3, { width: 40, align: 'center', color: MUTED });
  }
  if (chart.unit) text(doc, fonts, both(chart.unit), box.x, plot.y + plot.h + 3, { width: labelW - 6, align: 'right', size: 6.5, color: MUTED });
  const zero = xOf(0);
  doc.moveTo(zero, plot.y).lineTo(zero, plot.y + plot.h).lineWidth(0.8).strokeColor(AXIS).stroke();
  const n = chart.categories.length;
  const band = plot.h / n;
  const group = band * 0.72;
  const bh = group / chart.series.length;
  chart.categories.forEach((c, i) => {
    text(doc, fonts, c, box.x, plot.y + i * band + band / 2 - 4, { width: labelW - 6, align: 'right', height: 9 });
  });
  chart.series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      if (v === null) return;
      const y = plot.y + i * band + (band - group) / 2 + si * bh;
      const x = Math.min(xOf(v), zero);
      const w = Math.max(Math.abs(xOf(v) - zero), v === 0 ? 0 : 0.5);
      doc.rect(x, y + 0.5, w, bh - 1).fill(colorOf(chart, si));
      if (bh >= 6) text(doc, fonts, label(v), v >= 0 ? x + w + 2 : x - 42, y + bh / 2 - 4, { width: 40, align: v >= 0 ? 'left' : 'right', size: 6.5 });
    });
  });
}

/** An SVG path of a ring or pie slice between angles a0 and a1 (radians, 0 at the top, clockwise). */
export function slicePath(cx: number, cy: number, r: number, a0: number, a1: number, inner = 0): string {
  const n = (x: number) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(3);
  const pt = (rad: number, a: number) => `${n(cx + rad * Math.sin(a))} ${n(cy - rad * Math.cos(a))}`;
  if (a1 - a0 >= 2 * Math.PI - 1e-9) {
    // A full turn cannot be one arc: draw two halves.
    const mid = a0 + Math.PI;
    const outer = `M ${pt(r, a0)} A ${r} ${r} 0 1 1 ${pt(r, mid)} A ${r} ${r} 0 1 1 ${pt(r, a0)} Z`;
    return inner > 0 ? `${outer} M ${pt(inner, a0)} A ${inner} ${inner} 0 1 0 ${pt(inner, mid)} A ${inner} ${inner} 0 1 0 ${pt(inner, a0)} Z` : outer;
  }
  const large = a1 - a0 > Math.PI ? 1 : 0;
  if (inner <= 0) return `M ${pt(0, a0)} L ${pt(r, a0)} A ${r} ${r} 0 ${large} 1 ${pt(r, a1)} Z`;
  return `M ${pt(r, a0)} A ${r} ${r} 0 ${large} 1 ${pt(r, a1)} L ${pt(inner, a1)} A ${inner} ${inner} 0 ${large} 0 ${pt(inner, a0)} Z`;
}

/** Pie or donut of the first series, with a legend of value and share. */
function drawPie(doc: Doc, chart: ReportChart, box: Box, fonts: ChartFonts): void {
  const values = chart.series[0].values.map((v) => (v === null || v < 0 ? 0 : v));
  const total = values.reduce((s, v) => s + v, 0);
  const r = Math.min(box.h - 8, box.w * 0.42) / 2;
  const cx = box.x + r + 8;
  const cy = box.y + box.h / 2;
  const inner = chart.kind === 'donut' ? r * 0.58 : 0;
  let a = 0;
  values.forEach((v, i) => {
    if (v <= 0) return;
    const a1 = a + (v / total) * 2 * Math.PI;
    doc.path(slicePath(cx, cy, r, a, a1, inner)).fillColor(colorOf(chart, i)).fill('evenodd');
    // White separators keep neighbouring slices apart.
    if (values.filter((x) => x > 0).length > 1) doc.path(slicePath(cx, cy, r, a, a1, inner)).lineWidth(0.8).strokeColor('#ffffff').stroke();
    a = a1;
  });
  if (inner > 0) {
    text(doc, fonts, label(total), cx - inner, cy - 9, { width: inner * 2, align: 'center', size: 12, bold: true });
    text(doc, fonts, '合计 / total', cx - inner, cy + 5, { width: inner * 2, align: 'center', size: 6.5, color: MUTED });
  }
  const lx = cx + r + 18;
  const lw = Math.min(box.x + box.w - lx, 230);
  const rows = chart.categories.length;
  const lh = Math.min(13, (box.h - 4) / Math.max(rows, 1));
  let y = cy - (rows * lh) / 2;
  chart.categories.forEach((c, i) => {
    const v = values[i];
    doc.rect(lx, y + 1.5, 8, 6).fill(colorOf(chart, i));
    const share = total > 0 ? `${((v / total) * 100).toFixed(1)}%` : '—';
    text(doc, fonts, c, lx + 12, y, { width: lw * 0.62 - 12, height: lh });
    text(doc, fonts, `${label(v)}  (${share})`, lx + lw * 0.62, y, { width: lw * 0.38, align: 'right' });
    y += lh;
  });
}
