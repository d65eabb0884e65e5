import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../reports.document.ts';
import { niceScale, slicePath } from './pdf.charts.ts';
import { inkRatio, pdfText, renderPages } from './pdf.testing.ts';
import { renderPdf } from './pdf.writer.ts';

const YEARS = ['2011', '2012', '2013', '2014'];
const VALUES = [5636, 2406, 3946, 1188];
const ROWS = 70;

/** A document with every kind of block: figures, the four chart kinds, a long table, notes. */
function sample(): ReportDocument {
  return {
    title: { zh: '测试报告', en: 'Test report' },
    subtitle: { zh: '版式检查', en: 'Layout check' },
    header: { zh: '页眉文字', en: 'Running header' },
    meta: [{ label: { zh: '地区', en: 'Region' }, value: '常州市' }],
    generatedAt: '2025-06-30T08:00:00.000Z',
    sections: [
      {
        title: { zh: '图表', en: 'Charts' },
        blocks: [
          { type: 'figures', items: [{ label: { zh: '合计', en: 'Total' }, value: '13176' }] },
          { type: 'chart', kind: 'bar', title: { zh: '柱状图', en: 'Bars' }, unit: { zh: '万元', en: 'CNY 10k' }, categories: YEARS, series: [{ name: { zh: '经费', en: 'Funding' }, values: VALUES }] },
          { type: 'chart', kind: 'line', title: { zh: '折线图', en: 'Lines' }, categories: YEARS, series: [{ name: { zh: '新北', en: 'Xinbei' }, values: [1765, 710, 1844, 150] }, { name: { zh: '钟楼', en: 'Zhonglou' }, values: [1465, 676, null, 488] }] },
          { type: 'chart', kind: 'pie', title: { zh: '饼图', en: 'Pie' }, categories: ['英国', '德国', '以色列'], series: [{ name: { zh: '项目', en: 'Projects' }, values: [12, 9, 9] }] },
          { type: 'chart', kind: 'donut', title: { zh: '环形图', en: 'Donut' }, categories: ['甲', '乙'], series: [{ name: { zh: '数', en: 'n' }, values: [3, 0] }] },
          { type: 'chart', kind: 'bar', title: { zh: '空图', en: 'Empty chart' }, categories: [], series: [] },
        ],
      },
      {
        title: { zh: '表格', en: 'Tables' },
        blocks: [
          {
            type: 'table',
            sheet: 'long',
            title: { zh: '长表', en: 'Long table' },
            columns: [
              { key: 'k', zh: '序号列', en: 'Key column' },
              { key: 'v', zh: '数值', en: 'Value', kind: 'number' },
              { key: 'p', zh: '占比', en: 'Share', kind: 'percent' },
            ],
            rows: Array.from({ length: ROWS }, (_, i) => ({ cells: { k: `行${i + 1}`, v: i * 10.5, p: i / ROWS }, tone: i === 3 ? ('bad' as const) : undefined })),
            note: { zh: '表注', en: 'Table note' },
          },
          { type: 'table', sheet: 'empty', title: { zh: '空表', en: 'Empty table' }, columns: [{ key: 'a', zh: '甲', en: 'A' }], rows: [] },
          { type: 'paragraph', text: { zh: '提示段落', en: 'A note' }, tone: 'warn' },
        ],
      },
    ],
  };
}

describe('niceScale', () => {
  it('puts axis bounds on nice steps that include zero', () => {
    // 5636 / 5 = 1127 → the next nice step is 2000.
    expect(niceScale(0, 5636)).toEqual({ min: 0, max: 6000, step: 2000 });
    expect(niceScale(-3230, 1540)).toEqual({ min: -4000, max: 2000, step: 1000 });
    expect(niceScale(1, 16)).toEqual({ min: 0, max: 20, step: 5 });
    expect(niceScale(0, 0)).toEqual({ min: 0, max: 1, step: 0.2 });
    expect(niceScale(0, 0.37)).toEqual({ min: 0, max: 0.4, step: 0.1 });
  });
});

describe('slicePath', () => {
  it('starts at the top and turns clockwise', () => {
    // A quarter from 12 to 3 o'clock around (100, 100), radius 10: top (100, 90), right (110, 100).
    expect(slicePath(100, 100, 10, 0, Math.PI / 2)).toBe('M 100.000 100.000 L 100.000 90.000 A 10 10 0 0 1 110.000 100.000 Z');
    // Past half a turn the large-arc flag is set.
    expect(slicePath(100, 100, 10, 0, 1.5 * Math.PI)).toContain('A 10 10 0 1 1');
    // A ring slice goes back along the inner radius.
    expect(slicePath(0, 0, 10, 0, Math.PI / 2, 5)).toBe('M 0.000 -10.000 A 10 10 0 0 1 10.000 0.000 L 5.000 0.000 A 5 5 0 0 0 0.000 -5.000 Z');
  });
});

describe('renderPdf', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-pdf-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes every block, with the Chinese font embedded as a subset and the text extractable', async () => {
    const { pdf, pages } = await renderPdf(sample());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages).toBeGreaterThanOrEqual(3);
    const text = pdfText(pdf);
    for (const s of ['测试报告', '图1 柱状图 / Figure 1 Bars', '表1 长表 / Table 1 Long table', '表注 / Table note', '提示段落', '无数据 / no data', '行1', `行${ROWS}`, '13176', ...VALUES.map(String)]) {
      expect(text).toContain(s);
    }
    expect(text).toContain(`第 1 页，共 ${pages} 页 / Page 1 of ${pages}`);
    // The long table broke across pages and repeated its header there.
    expect(text.split('序号列').length - 1).toBeGreaterThanOrEqual(2);
    const file = path.join(dir, 'fonts.pdf');
    fs.writeFileSync(file, pdf);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    // name, type, encoding, emb, sub, uni: embedded, subset, with a Unicode map.
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(fonts).toMatch(/NotoSansHans-Bold/);
    expect(pdf.length).toBeLessThan(600_000);
  });

  it('renders pages that are not blank (and a blank page would be told apart)', async () => {
    const { pdf, pages } = await renderPdf(sample());
    const images = renderPages(pdf, path.join(dir, 'sample'));
    expect(images).toHaveLength(pages);
    for (const png of images) expect(inkRatio(png), png).toBeGreaterThan(0.003);
    // The check itself: an empty page has no ink at all.
    const blank = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    blank.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => blank.on('end', r));
    blank.end();
    await ended;
    const [empty] = renderPages(Buffer.concat(chunks), path.join(dir, 'blank'));
    expect(inkRatio(empty)).toBe(0);
  });
});
