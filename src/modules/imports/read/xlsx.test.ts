import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../errors.ts';
import { partsOf, sharedData, zipOf } from './fixtures.ts';
import { readTable, type ReadTableInput } from './index.ts';
import type { TableRow } from './types.ts';
import { convertCell } from './xlsx.ts';

async function bufferOf(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function read(input: Omit<ReadTableInput, 'fileName'> & { fileName?: string }) {
  const t = await readTable({ fileName: 'book.xlsx', ...input });
  const rows: TableRow[] = [];
  for await (const r of t.rows) rows.push(r);
  return { ...t, all: rows };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.messageZh };
    throw e;
  }
  throw new Error('expected a coded refusal');
}

/** The Changzhou table as a bureau would format it: a title, a merged two-row header. */
function changzhouSheet(wb: ExcelJS.Workbook, name = '经费') {
  const ws = wb.addWorksheet(name);
  ws.addRow(['2011-2014年常州市各辖区国际科技合作项目经费']);
  ws.mergeCells('A1:F1');
  ws.addRow(['辖区', '经费（万元）', null, null, null, '合计']);
  ws.addRow([null, 2011, 2012, 2013, 2014, null]);
  ws.mergeCells('A2:A3');
  ws.mergeCells('B2:E2');
  ws.mergeCells('F2:F3');
  ws.addRow(['武进', 704, 720, 342, 350, { formula: 'SUM(B4:E4)', result: 2116 }]);
  ws.addRow(['新北', 1765, 710, 1844, 150, { formula: 'SUM(B5:E5)', result: 4469 }]);
  ws.addRow(['钟楼', 1465, 676, 70, 488, { formula: 'SUM(B6:E6)', result: 2699 }]);
  ws.addRow(['合 计', { formula: 'SUM(B4:B6)', result: 3934 }, 2106, 2256, 988, 9284]);
  ws.addRow(['注：数据来源于常州市科技局']);
  return ws;
}

describe('XLSX: merged two-row header', () => {
  it('joins parent and child labels and skips the merged title (loaded)', async () => {
    const buffer = await bufferOf((wb) => changzhouSheet(wb));
    const t = await read({ buffer });
    expect(t.format).toBe('xlsx');
    expect(t.encoding).toBeNull();
    expect(t.sheet).toMatchObject({ name: '经费', index: 0 });
    expect(t.shape).toMatchObject({ preambleRows: [1], headerRows: [2, 3], dataStartRow: 4, keyColumns: [0], totalRowIndexes: [7] });
    expect(t.shape.columns.map((c) => [c.label, c.kind, c.year ?? null])).toEqual([
      ['辖区', 'data', null],
      ['经费(万元) / 2011', 'year', 2011],
      ['经费(万元) / 2012', 'year', 2012],
      ['经费(万元) / 2013', 'year', 2013],
      ['经费(万元) / 2014', 'year', 2014],
      ['合计', 'total', null],
    ]);
    expect(t.shape.columns[1].original).toBe('经费（万元） / 2011');
    expect(t.shape.columns[5].totalOf).toEqual([1, 2, 3, 4]);
    expect(t.all.map((r) => [r.row, r.kind])).toEqual([
      [4, 'data'],
      [5, 'data'],
      [6, 'data'],
      [7, 'total'],
      [8, 'note'],
    ]);
    expect(t.all[0].cells).toEqual(['武进', 704, 720, 342, 350, 2116]);
    expect(t.issues).toEqual([]);
  });

  it('joins the labels when streaming too, where merged cells are not expanded', async () => {
    const buffer = await bufferOf((wb) => changzhouSheet(wb));
    const t = await read({ buffer, xlsxMode: 'stream' });
    expect(t.shape.headerRows).toEqual([2, 3]);
    expect(t.shape.columns.map((c) => c.label)).toEqual(['辖区', '经费(万元) / 2011', '经费(万元) / 2012', '经费(万元) / 2013', '经费(万元) / 2014', '合计']);
    expect(t.all[0].cells).toEqual(['武进', 704, 720, 342, 350, 2116]);
    expect(t.issues).toEqual([]);
  });

  it('gives a merged data cell to every row it spans when loaded', async () => {
    const buffer = await bufferOf((wb) => {
      const ws = wb.addWorksheet('项目');
      ws.addRow(['国别', '产业', '项目名称']);
      ws.addRow(['以色列', '新医药产业', '中以生物医药产业技术转移能力建设']);
      ws.addRow([null, null, '智能化高产温室技术创新与推广应用']);
      ws.addRow([null, '农机和工程机械产业', '高空救援灭火机器人样机的研发']);
      ws.mergeCells('A2:A4');
      ws.mergeCells('B2:B3');
    });
    const loaded = await read({ buffer });
    expect(loaded.all.map((r) => r.cells.slice(0, 2))).toEqual([
      ['以色列', '新医药产业'],
      ['以色列', '新医药产业'],
      ['以色列', '农机和工程机械产业'],
    ]);
    const streamed = await read({ buffer, xlsxMode: 'stream' });
    expect(streamed.all.map((r) => r.cells[0])).toEqual(['以色列', null, null]);
  });
});

describe('XLSX: cell values', () => {
  it('converts dates, rich text, formulas, hyperlinks and errors', async () => {
    const buffer = await bufferOf((wb) => {
      const ws = wb.addWorksheet('值');
      ws.addRow(['名称', '日期', '金额', '链接', '比例', '是否']);
      ws.addRow([
        { richText: [{ text: '中以' }, { text: '创新园', font: { bold: true } }] },
        new Date(Date.UTC(2024, 2, 1)),
        { formula: '1200*10', result: 12000 },
        { text: '常州科技局', hyperlink: 'https://kjj.changzhou.gov.cn' },
        { formula: '1/0', result: { error: '#DIV/0!' } },
        true,
      ]);
      ws.addRow([
        '中德创新园区',
        new Date(Date.UTC(2024, 2, 1, 9, 30)),
        { formula: 'A1*2' },
        { formula: 'HYPERLINK("https://cordis.europa.eu/project/id/247919", "247919")' },
        { error: '#N/A' },
        false,
      ]);
      ws.getColumn(2).numFmt = 'yyyy-mm-dd';
    });
    const t = await read({ buffer });
    expect(t.all[0].cells).toEqual(['中以创新园', '2024-03-01', 12000, '常州科技局', null, 'TRUE']);
    expect(t.all[1].cells).toEqual(['中德创新园区', '2024-03-01T09:30:00', null, '247919', null, 'FALSE']);
    expect(t.all[0].issues.map((i) => [i.code, i.row, i.column])).toEqual([['CELL_ERROR', 2, 4]]);
    expect(t.all[0].issues[0].message).toBe('第 2 行「比例」列：单元格为公式错误 #DIV/0!，按空值处理');
    expect(t.all[1].issues.map((i) => i.code)).toEqual(['FORMULA_NO_RESULT', 'CELL_ERROR']);
    expect(t.issues.map((i) => i.code)).toEqual(['CELL_ERROR', 'FORMULA_NO_RESULT', 'CELL_ERROR']);
  });

  it('convertCell handles every exceljs value shape', () => {
    expect(convertCell(null)).toEqual({ value: null });
    expect(convertCell('  ')).toEqual({ value: null });
    expect(convertCell(Number.NaN).issue?.code).toBe('CELL_ERROR');
    expect(convertCell({ sharedFormula: 'A1', result: 5 } as ExcelJS.CellValue)).toEqual({ value: 5 });
    expect(convertCell({ formula: 'X', result: new Date(Date.UTC(2020, 0, 2)) })).toEqual({ value: '2020-01-02' });
    expect(convertCell({ formula: 'HYPERLINK("https://x.org")' })).toEqual({ value: 'https://x.org' });
  });
});

/** An empty sheet, the Changzhou table, a hidden list, a small table. */
const book = () =>
  bufferOf((wb) => {
    wb.addWorksheet('说明');
    changzhouSheet(wb, '经费');
    const hidden = wb.addWorksheet('下拉选项', { state: 'hidden' });
    hidden.addRow(['国家级', '省级']);
    const other = wb.addWorksheet('项目');
    other.addRow(['国别', '项目数']);
    other.addRow(['德国', 11]);
  });

describe('XLSX: sheets', () => {
  it('reads the first sheet with content and reports the empty ones skipped', async () => {
    const t = await read({ buffer: await book() });
    expect(t.sheet?.name).toBe('经费');
    expect(t.sheets?.map((s) => [s.name, s.hidden])).toEqual([
      ['说明', false],
      ['经费', false],
      ['下拉选项', true],
      ['项目', false],
    ]);
    expect(t.issues.map((i) => i.code)).toEqual(['SHEET_EMPTY_SKIPPED']);
    expect(t.issues[0].message).toBe('工作表「说明」为空，已跳过，读取的是「经费」');
  });

  it('picks a sheet by name or by 0-based index', async () => {
    const buffer = await book();
    expect((await read({ buffer, sheet: '项目' })).all[0].cells).toEqual(['德国', 11]);
    expect((await read({ buffer, sheet: 3 })).sheet?.name).toBe('项目');
    expect((await read({ buffer, sheet: '项目', xlsxMode: 'stream' })).all[0].cells).toEqual(['德国', 11]);
  });

  it('refuses a sheet that does not exist or is empty', async () => {
    const buffer = await book();
    const missing = await failure(readTable({ buffer, fileName: 'b.xlsx', sheet: '合作' }));
    expect(missing.code).toBe('SHEET_NOT_FOUND');
    expect(missing.message).toContain('「说明」、「经费」、「下拉选项」、「项目」');
    expect((await failure(readTable({ buffer, fileName: 'b.xlsx', sheet: '说明' }))).code).toBe('SHEET_EMPTY');
    expect((await failure(readTable({ buffer, fileName: 'b.xlsx', sheet: 9 }))).code).toBe('SHEET_NOT_FOUND');
    expect((await failure(readTable({ buffer, fileName: 'b.xlsx', sheet: '说明', xlsxMode: 'stream' }))).code).toBe('SHEET_EMPTY');
  });

  it('refuses a workbook whose sheets are all empty', async () => {
    const buffer = await bufferOf((wb) => {
      wb.addWorksheet('Sheet1');
      wb.addWorksheet('Sheet2');
    });
    for (const xlsxMode of ['load', 'stream'] as const) {
      expect((await failure(readTable({ buffer, fileName: 'b.xlsx', xlsxMode }))).code).toBe('SHEET_EMPTY');
    }
  });
});

/** What the tests compare: the sheet read, its header and every row. */
async function streamed(buffer: Buffer, sheet?: string) {
  const t = await read({ buffer, sheet, xlsxMode: 'stream' });
  return {
    sheet: t.sheet,
    sheets: t.sheets,
    headerRows: t.shape.headerRows,
    labels: t.shape.columns.map((c) => c.label),
    rows: t.all.map((r) => r.cells),
    issues: t.issues.map((i) => i.code),
  };
}

describe('XLSX: streaming does not depend on the order of the parts in the ZIP', () => {
  // exceljs writes the sheets before sharedStrings.xml and styles.xml, and workbook.xml last;
  // Excel writes workbook.xml first and sharedStrings.xml after the sheets. A reader that takes
  // the ZIP front to back must hold sheets back until the strings and styles are known, and
  // exceljs's WorkbookReader sometimes lost the trailing parts (FILE_CORRUPT "reading 'sheets'").
  it('reads the same table whichever order the parts are stored in', async () => {
    const buffer = await book();
    const parts = await partsOf(buffer);
    const names = [...parts.keys()];
    expect(names.indexOf('xl/worksheets/sheet2.xml')).toBeLessThan(names.indexOf('xl/sharedStrings.xml'));
    const first = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels'];
    const orders = {
      exceljs: names,
      reversed: [...names].reverse(),
      excel: [...first, ...names.filter((n) => !first.includes(n) && n !== 'xl/sharedStrings.xml'), 'xl/sharedStrings.xml'],
      sheetsLast: [...names.filter((n) => !n.startsWith('xl/worksheets/')), ...names.filter((n) => n.startsWith('xl/worksheets/'))],
    };
    const want = await streamed(buffer);
    expect(want).toMatchObject({ sheet: { name: '经费', index: 1 }, headerRows: [2, 3], issues: ['SHEET_EMPTY_SKIPPED'] });
    expect(want.labels).toEqual(['辖区', '经费(万元) / 2011', '经费(万元) / 2012', '经费(万元) / 2013', '经费(万元) / 2014', '合计']);
    expect(want.rows[0]).toEqual(['武进', 704, 720, 342, 350, 2116]);
    const wantProjects = await streamed(buffer, '项目');
    expect(wantProjects.rows).toEqual([['德国', 11]]);
    for (const [order, list] of Object.entries(orders)) {
      for (const method of [8, 0] as const) {
        const repacked = zipOf(list.map((name) => ({ name, data: parts.get(name)!, method })));
        expect({ order, method, ...(await streamed(repacked)) }).toEqual({ order, method, ...want });
        expect({ order, method, ...(await streamed(repacked, '项目')) }).toEqual({ order, method, ...wantProjects });
      }
    }
  });

  it('finds a sheet through the workbook relationships, whatever its file is called', async () => {
    const buffer = await book();
    const parts = await partsOf(buffer);
    const rels = parts.get('xl/_rels/workbook.xml.rels')!.toString('utf8');
    expect(rels).toContain('Target="worksheets/sheet4.xml"');
    const renamed = [...parts].map(([name, data]) => {
      if (name === 'xl/_rels/workbook.xml.rels') data = Buffer.from(rels.replace('Target="worksheets/sheet4.xml"', 'Target="/xl/sheets/项目.xml"'));
      return { name: name === 'xl/worksheets/sheet4.xml' ? 'xl/sheets/项目.xml' : name, data };
    });
    expect((await streamed(zipOf(renamed), '项目')).rows).toEqual([['德国', 11]]);
  });

  it('gives the same result every time the same bytes are streamed, also many at once', async () => {
    const buffer = await book();
    const want = [await streamed(buffer), await streamed(buffer, '项目')];
    for (let round = 0; round < 10; round++) {
      const got = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => streamed(buffer, i % 2 ? '项目' : undefined)));
      got.forEach((g, i) => expect({ round, i, ...g }).toEqual({ round, i, ...want[i % 2] }));
    }
  });
});

describe('XLSX: the NZ/CA/Pacific CORDIS workbook', () => {
  const file = sharedData('cordis/third_country_summary_nz_ca_pacific/HE_CORDIS_summary-NZ_CA_pacific-[20240521_cordis_data]_20240602.xlsx');

  it('finds the "Total …" columns and their parts, and their totals agree', async () => {
    const t = await read({ path: file, sheet: 'Countries_summary' });
    const totals = t.shape.columns.filter((c) => c.kind === 'total');
    expect(totals.map((c) => [c.label, c.totalOf?.map((i) => t.shape.columns[i].label)])).toEqual([
      ['Total projects', ['FP7 projects', 'H2020 projects', 'HEU projects']],
      ['Total funded projects', ['FP7 funded projects', 'H2020 funded projects', 'HEU funded projects']],
      ['Total funding (€)', ['FP7 funding (€)', 'H2020 funding (€)', 'HEU funding (€)']],
    ]);
    expect(t.all).toHaveLength(8);
    expect(t.issues).toEqual([]);
  });

  it('reports a changed total exactly once', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    wb.getWorksheet('Countries_summary')!.getCell('M3').value = 132; // New Zealand: 131 projects in all
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const t = await read({ buffer, sheet: 'Countries_summary' });
    expect(t.issues.map((i) => [i.code, i.row, i.column, i.stated, i.computed])).toEqual([['TOTAL_MISMATCH', 3, 12, 132, 131]]);
  });

  it('streams every sheet from disk to the same rows as loading it', async () => {
    const loaded = await read({ path: file });
    for (const s of loaded.sheets!) {
      const [l, st] = [await read({ path: file, sheet: s.name }), await read({ path: file, sheet: s.name, xlsxMode: 'stream' })];
      expect(st.sheets).toEqual(loaded.sheets);
      expect({ sheet: st.sheet, rows: st.all.map((r) => r.cells), issues: st.issues }).toEqual({ sheet: l.sheet, rows: l.all.map((r) => r.cells), issues: l.issues });
    }
  });

  it('reads project ids from HYPERLINK formulas saved without results', async () => {
    const t = await read({ path: file });
    expect(t.sheet?.name).toBe('FP_participation');
    const id = t.shape.columns.findIndex((c) => c.label === 'projectID');
    expect(t.all[0].cells[id]).toBe('247919');
    expect(t.all).toHaveLength(1018);
  });
});
