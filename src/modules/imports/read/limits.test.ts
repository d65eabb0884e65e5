/**
 * Files built to exhaust the server (issue 21): a merged range over the whole sheet, zip bombs
 * that state their size and that lie about it, more rows or cells than allowed, CSV records past
 * the limits, and files that are not what their name says. Each is refused with a code, or read
 * without the part that would cost the memory, and says so.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../errors.ts';
import { bombWorkbook, mergedWorkbook, partsOf, smallWorkbook, withPart, zipOf } from './fixtures.ts';
import { DEFAULT_READ_LIMITS, readTable, type ReadLimits, type ReadTableInput } from './index.ts';
import type { TableRow } from './types.ts';

async function read(input: ReadTableInput) {
  const t = await readTable(input);
  const rows: TableRow[] = [];
  for await (const r of t.rows) rows.push(r);
  return { ...t, all: rows };
}

async function refusal(input: ReadTableInput): Promise<AppError> {
  try {
    await read(input);
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a coded refusal');
}

const limits = (over: Partial<ReadLimits>): ReadLimits => ({ ...DEFAULT_READ_LIMITS, ...over });
const SHEET = 'xl/worksheets/sheet1.xml';
const MODES = ['load', 'stream'] as const;

describe('XLSX: merged ranges', () => {
  it('reads a 7 KB workbook merging A2:XFD1048576 without expanding the range, and says so', async () => {
    const buffer = await mergedWorkbook(['A2:XFD1048576']);
    expect(buffer.length).toBeLessThan(10_000);
    for (const xlsxMode of MODES) {
      const t = await read({ buffer, fileName: 'bomb.xlsx', xlsxMode });
      // The range's value stays in its top-left cell; the other cells keep what the file holds.
      expect(t.all.map((r) => r.cells)).toEqual([
        ['P-1', '合作项目1', '德国'],
        ['P-2', '合作项目2', '以色列'],
        ['P-3', '合作项目3', '德国'],
      ]);
      if (xlsxMode === 'load') {
        const issue = t.issues.find((i) => i.code === 'XLSX_MERGE_TOO_LARGE')!;
        expect(issue).toMatchObject({ severity: 'warning', row: null });
        expect(issue.message).toContain('A2:XFD1048576');
        expect(issue.message).toContain(String(16_384 * 1_048_575));
        expect(issue.message_en).toContain('not expanded');
      }
    }
  });

  it('finds the range as exceljs parses the XML: a ">" in an attribute, markup-like text in CDATA', async () => {
    const tricky = await withPart(await smallWorkbook(), SHEET, (xml) =>
      xml.replace(
        '</sheetData>',
        '<row r="9"><c r="A9" t="inlineStr"><is><t><![CDATA[<c "]]></t></is></c></row></sheetData><mergeCells count="1"><mergeCell note="a > b" ref="A2:XFD1048576"/></mergeCells>',
      ),
    );
    const t = await read({ buffer: tricky, fileName: 'b.xlsx' });
    expect(t.issues.map((i) => i.code)).toEqual(['XLSX_MERGE_TOO_LARGE']);
    // exceljs reads no CDATA text: row 9 is empty.
    expect(t.all.map((r) => r.cells[0])).toEqual(['P-1', 'P-2', 'P-3']);
    // XML exceljs would refuse is refused before it is loaded.
    const broken = await withPart(await smallWorkbook(), SHEET, (xml) => xml.replace('</sheetData>', '<row r="9"><c r="A9"></row></sheetData>'));
    expect((await refusal({ buffer: broken, fileName: 'b.xlsx' })).code).toBe('FILE_CORRUPT');
  });

  it('refuses a part that the loader (JSZip) would know under another name than this reader', async () => {
    // Named as an image in the directory, as the sheet in its local header: only the loader
    // would have parsed it, merged range and all.
    const merged = await partsOf(await mergedWorkbook(['A2:XFD1048576']));
    const buffer = zipOf([...merged].map(([name, data]) => (name === SHEET ? { name: 'xl/media/image1.png', localName: SHEET, data } : { name, data })));
    const e = await refusal({ buffer, fileName: 'b.xlsx' });
    expect(e.code).toBe('FILE_CORRUPT');
    expect(e.messageEn).toContain('xl/media/image1.png has a second, different name');
    // Streaming reads parts by their directory names only: the workbook has no sheet there.
    expect((await refusal({ buffer, fileName: 'b.xlsx', xlsxMode: 'stream' })).code).toBe('SHEET_EMPTY');
  });

  it('still expands merged ranges within the limit, whatever dimension the sheet declares', async () => {
    const buffer = await withPart(await mergedWorkbook(['C2:C3']), SHEET, (xml) => xml.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>'));
    const loaded = await read({ buffer, fileName: 'b.xlsx' });
    expect(loaded.all.map((r) => r.cells[2])).toEqual(['德国', '德国', '德国']);
    expect(loaded.issues).toEqual([]);
    // Above the configured limit, the same ranges are read as they are stored.
    const limited = await read({ buffer, fileName: 'b.xlsx', limits: limits({ xlsxMaxMergedCells: 1 }) });
    expect(limited.all.map((r) => r.cells[2])).toEqual(['德国', '以色列', '德国']);
    expect(limited.issues.map((i) => i.code)).toEqual(['XLSX_MERGE_TOO_LARGE']);
  });

  it('does not expand more than 10 000 merged ranges (exceljs checks each against every other)', async () => {
    const refs = Array.from({ length: 10_001 }, (_, i) => `E${i + 10}:F${i + 10}`);
    const t = await read({ buffer: await mergedWorkbook(refs), fileName: 'b.xlsx' });
    expect(t.issues.map((i) => i.code)).toEqual(['XLSX_MERGE_TOO_LARGE']);
    expect(t.all).toHaveLength(3);
  });

  it('streams a workbook whose data validation covers every cell, which loading would expand', async () => {
    const validation = '<dataValidations count="1"><dataValidation type="list" allowBlank="1" sqref="A1:XFD1048576"><formula1>"德国,以色列"</formula1></dataValidation></dataValidations>';
    const buffer = await withPart(await smallWorkbook(), SHEET, (xml) => xml.replace('</sheetData>', `</sheetData>${validation}`));
    const t = await read({ buffer, fileName: 'b.xlsx' });
    expect(t.all.map((r) => r.cells[0])).toEqual(['P-1', 'P-2', 'P-3']);
    expect(t.issues).toEqual([]);
  });

  it('streams a workbook whose defined name covers every cell, which loading would expand', async () => {
    const name = '<definedNames><definedName name="全部">合作项目!$A$1:$XFD$1048576</definedName><definedName name="表头">合作项目!$A$1:$C$1</definedName></definedNames>';
    const buffer = await withPart(await smallWorkbook(), 'xl/workbook.xml', (xml) => xml.replace('</sheets>', `</sheets>${name}`));
    const t = await read({ buffer, fileName: 'b.xlsx' });
    expect(t.all.map((r) => r.cells[0])).toEqual(['P-1', 'P-2', 'P-3']);
    expect(t.issues).toEqual([]);
    // A small defined name leaves the workbook loaded: its merged range is expanded.
    const small = await withPart(await mergedWorkbook(['C2:C3']), 'xl/workbook.xml', (xml) => xml.replace('</sheets>', '</sheets><definedNames><definedName name="表头">合作项目!$A$1:$C$1</definedName></definedNames>'));
    expect((await read({ buffer: small, fileName: 'b.xlsx' })).all.map((r) => r.cells[2])).toEqual(['德国', '德国', '德国']);
  });

  it('refuses cell references beyond column XFD, which no spreadsheet program writes', async () => {
    const buffer = await withPart(await smallWorkbook(), SHEET, (xml) => xml.replace('r="C2"', 'r="XFE2"'));
    for (const xlsxMode of MODES) {
      const e = await refusal({ buffer, fileName: 'b.xlsx', xlsxMode });
      expect({ xlsxMode, code: e.code }).toEqual({ xlsxMode, code: 'FILE_CORRUPT' });
      // Loading: the scan's words; streaming: exceljs's ("Invalid column letter: XFE").
      expect(e.messageEn).toMatch(/beyond column XFD|column letter: XFE/);
    }
  });
});

describe('XLSX: zip bombs', () => {
  it('refuses a sheet that inflates a thousandfold by its stated compression ratio', async () => {
    const buffer = await bombWorkbook(1024);
    expect(buffer.length).toBeLessThan(4 * 1024 * 1024);
    for (const xlsxMode of MODES) {
      const e = await refusal({ buffer, fileName: 'bomb.xlsx', xlsxMode });
      expect(e).toMatchObject({ code: 'XLSX_COMPRESSION_RATIO_TOO_HIGH', status: 413 });
      expect(e.messageZh).toContain('xl/worksheets/sheet1.xml');
      expect(e.details[0]).toMatchObject({ code: 'XLSX_COMPRESSION_RATIO_TOO_HIGH', severity: 'error' });
    }
  });

  it('refuses a workbook whose parts add up to more than the limit', async () => {
    const buffer = await bombWorkbook(1024);
    const e = await refusal({ buffer, fileName: 'bomb.xlsx', limits: limits({ xlsxMaxCompressionRatio: 2000 }) });
    expect(e).toMatchObject({ code: 'XLSX_DECOMPRESSED_TOO_LARGE', status: 413 });
    expect(e.messageZh).toContain('超过上限 1024.0 MB');
    // An ordinary workbook, against a limit set below its size.
    const small = await refusal({ buffer: await smallWorkbook(), fileName: 'b.xlsx', limits: limits({ xlsxMaxDecompressedBytes: 1000 }) });
    expect(small.code).toBe('XLSX_DECOMPRESSED_TOO_LARGE');
  });

  it('refuses a bomb whose directory states a small size, as soon as it inflates past it', async () => {
    const buffer = await bombWorkbook(1024, { statedSize: 4096 });
    for (const xlsxMode of MODES) {
      const e = await refusal({ buffer, fileName: 'bomb.xlsx', xlsxMode });
      expect({ xlsxMode, code: e.code }).toEqual({ xlsxMode, code: 'FILE_CORRUPT' });
      expect(e.messageEn).toContain('xl/worksheets/sheet1.xml is larger than stated');
    }
  });
});

describe('rows and cells', () => {
  it('refuses an XLSX sheet with more rows than allowed, in either reader', async () => {
    const buffer = await smallWorkbook(50);
    for (const xlsxMode of MODES) {
      const e = await refusal({ buffer, fileName: 'b.xlsx', xlsxMode, limits: limits({ maxRows: 20 }) });
      expect({ xlsxMode, code: e.code, status: e.status, row: e.details[0].row }).toEqual({ xlsxMode, code: 'IMPORT_TOO_MANY_ROWS', status: 413, row: 21 });
      expect(e.messageZh).toContain('超过 20 行');
    }
    // At the limit, everything is read.
    expect((await read({ buffer, fileName: 'b.xlsx', limits: limits({ maxRows: 51 }) })).all).toHaveLength(50);
  });

  it('refuses more cells than allowed', async () => {
    const e = await refusal({ buffer: await smallWorkbook(50), fileName: 'b.xlsx', limits: limits({ maxCells: 100 }) });
    expect(e).toMatchObject({ code: 'IMPORT_TOO_MANY_CELLS', status: 413 });
    expect(e.details[0].row).toBe(34); // 33 rows of 3 cells, the 34th goes over
  });

  it('refuses a CSV file with more records than allowed, also after the first rows were read', async () => {
    const csv = Buffer.from(`项目编号,项目名称\n${Array.from({ length: 500 }, (_, i) => `P-${i},项目${i}`).join('\n')}\n`);
    const t = await readTable({ buffer: csv, fileName: 'p.csv', limits: limits({ maxRows: 300 }) });
    const seen: number[] = [];
    const e = await (async () => {
      try {
        for await (const r of t.rows) seen.push(r.row);
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(e).toMatchObject({ code: 'IMPORT_TOO_MANY_ROWS' });
    expect(e!.details[0].row).toBe(301);
    expect(seen.at(-1)).toBe(300);
  });

  it('refuses a CSV record longer than allowed, wherever it is', async () => {
    const long = `P-9,"${'很长的说明'.repeat(400)}"`;
    const rows = Array.from({ length: 300 }, (_, i) => `P-${i},项目${i}`);
    for (const [where, body] of [
      ['first', [long, ...rows]],
      ['after the first rows', [...rows, long]],
    ] as const) {
      const e = await refusal({ buffer: Buffer.from(`项目编号,说明\n${body.join('\n')}\n`), fileName: 'p.csv', limits: limits({ csvMaxRecordChars: 1000 }) });
      expect({ where, code: e.code }).toEqual({ where, code: 'CSV_ROW_TOO_LARGE' });
      expect(e.messageZh).toContain('1000 个字符');
    }
  });
});

describe('files that are not what their name says', () => {
  it('refuses a program named .xlsx or .csv', async () => {
    // The start of a Windows program: "MZ", then the DOS header with its NUL bytes.
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(200)]);
    for (const fileName of ['data.xlsx', 'data.csv']) {
      const e = await refusal({ buffer: exe, fileName });
      expect({ fileName, code: e.code }).toEqual({ fileName, code: 'FILE_FORMAT_UNKNOWN' });
      expect(e.messageZh).toContain('可执行程序');
    }
    // A CSV may start with "MZ" all the same.
    expect((await read({ buffer: Buffer.from('MZ编号,名称\nMZ-1,样品\n'), fileName: 'mz.csv' })).all[0].cells).toEqual(['MZ-1', '样品']);
  });

  it('refuses a ZIP that holds no workbook, or holds a Word document deep inside', async () => {
    const photos = zipOf([{ name: 'photos/1.txt', data: Buffer.from('not a picture') }]);
    const e = await refusal({ buffer: photos, fileName: 'data.xlsx' });
    expect(e.code).toBe('FILE_FORMAT_UNKNOWN');
    expect(e.messageZh).toContain('没有 Excel 工作簿');
    // The first 64 KB name no Word part: only the directory tells.
    const docx = zipOf([
      { name: 'media/padding.bin', data: Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251)), method: 0 },
      { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
    ]);
    expect((await refusal({ buffer: docx, fileName: 'data.xlsx' })).messageZh).toContain('Word');
  });

  it('reads a real workbook exactly as before', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('项目');
    ws.addRow(['国别', '项目数']);
    ws.addRow(['德国', 11]);
    const t = await read({ buffer: Buffer.from(await wb.xlsx.writeBuffer()), fileName: 'x.xlsx' });
    expect(t.all.map((r) => r.cells)).toEqual([['德国', 11]]);
    expect(t.issues).toEqual([]);
  });
});
