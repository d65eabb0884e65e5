import fs from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../errors.ts';
import { seedTable, seedTables, sharedData } from './fixtures.ts';
import { inferDateOrder, parseDate, parseNumber, readTable, type ReadTableInput } from './index.ts';
import type { TableRow } from './types.ts';

async function read(input: ReadTableInput) {
  const t = await readTable(input);
  const rows: TableRow[] = [];
  for await (const r of t.rows) rows.push(r);
  return { ...t, all: rows };
}

async function refusal(input: ReadTableInput): Promise<AppError> {
  try {
    const t = await readTable(input);
    for await (const _ of t.rows) {
      // read to the end
    }
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a coded refusal');
}

interface SeedExpectation {
  rows: number;
  labels: string[];
  keys: number[];
  years?: number[];
  totalColumns?: number[];
  totalRows?: number[];
}

// Every seed table, as its README describes it.
const SEED: Record<string, SeedExpectation> = {
  'beijing_action_plan_2024_2027_targets.csv': { rows: 12, labels: ['目标领域', '指标', '目标值', '单位', '目标年份', '原文'], keys: [1] },
  'beijing_action_plan_2024_2027_tasks.csv': { rows: 20, labels: ['行动编号', '行动', '任务编号', '任务'], keys: [2] },
  'belt_and_road_gii2022_rank_bands.csv': { rows: 66, labels: ['国家', 'GII2022排名区间'], keys: [0] },
  'changzhou_district_funding_2011_2014.csv': {
    rows: 10,
    labels: ['辖区', '2011', '2012', '2013', '2014', '合计'],
    keys: [0],
    years: [2011, 2012, 2013, 2014],
    totalColumns: [5],
    totalRows: [11],
  },
  'changzhou_key_country_projects.csv': { rows: 30, labels: ['国别', '产业', '项目名称'], keys: [2] },
  'changzhou_key_country_summary.csv': {
    rows: 3,
    labels: ['国别', '合作单位数', '项目数', '项目经费(万元)', '合作单位(文中列出)', '合作载体'],
    keys: [0],
  },
  // 前十位合作国项目经费合计 is an indicator's name, not a total row.
  'changzhou_partner_country_concentration.csv': { rows: 4, labels: ['指标', '数值', '单位', '说明'], keys: [0] },
  'changzhou_programme_totals_2011_2014.csv': { rows: 3, labels: ['层级', '获批项目数', '获批经费(万元,约数)', '说明'], keys: [0] },
  'regional_indicator_facts.csv': { rows: 56, labels: ['地区', '指标', '年份', '数值', '单位', '出处'], keys: [0, 1, 2] },
};

describe('readTable: the seed tables', () => {
  it('knows every seed table', () => {
    expect(seedTables()).toEqual(Object.keys(SEED).sort());
  });

  it.each(Object.entries(SEED))('%s reads with the right shape', async (name, want) => {
    const t = await read({ path: seedTable(name), fileName: name });
    expect(t).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', decimal: '.' });
    expect(t.shape).toMatchObject({ preambleRows: [], headerRows: [1], dataStartRow: 2, keyColumns: want.keys, totalRowIndexes: want.totalRows ?? [] });
    expect(t.shape.columns.map((c) => c.label)).toEqual(want.labels);
    expect(t.shape.columns.filter((c) => c.kind === 'year').map((c) => c.year)).toEqual(want.years ?? []);
    expect(t.shape.columns.filter((c) => c.kind === 'total').map((c) => c.index)).toEqual(want.totalColumns ?? []);
    expect(t.all).toHaveLength(want.rows);
    expect(t.all.every((r) => r.cells.length === want.labels.length)).toBe(true);
    expect(t.issues).toEqual([]);
  });

  it('reads the Changzhou table: years, the 合计 column and row, and consistent totals', async () => {
    const t = await read({ path: seedTable('changzhou_district_funding_2011_2014.csv'), fileName: 'changzhou.csv' });
    expect(t.shape.columns[5]).toMatchObject({ label: '合计', kind: 'total', totalOf: [1, 2, 3, 4] });
    expect(t.all.map((r) => r.kind)).toEqual([...Array(9).fill('data'), 'total']);
    expect(t.all[9]).toMatchObject({ row: 11, cells: ['合计', '5636', '2406', '3946', '1188', '13176'] });
    expect(t.issues.filter((i) => i.code === 'TOTAL_MISMATCH')).toEqual([]);
  });

  it('reports one wrong total in a modified copy exactly once, at its row and column', async () => {
    const text = fs.readFileSync(seedTable('changzhou_district_funding_2011_2014.csv'), 'utf8').replace('新北,1765,710,1844,150,4469', '新北,1765,710,1844,150,4496');
    const t = await readTable({ buffer: Buffer.from(text), fileName: 'changzhou.csv' });
    expect(t.issues).toEqual([]); // nothing known before the rows are read
    const rows: TableRow[] = [];
    for await (const r of t.rows) rows.push(r);
    const mismatches = t.issues.filter((i) => i.code === 'TOTAL_MISMATCH');
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]).toMatchObject({ row: 3, column: 5, columnLabel: '合计', severity: 'warning', stated: 4496, computed: 4469 });
    expect(mismatches[0].message).toBe('第 3 行「合计」列：合计列填写为 4496，按本行明细计算为 4469');
    expect(rows.find((r) => r.row === 3)!.issues).toEqual(mismatches);
  });

  it('reports a wrong figure in the 合计 row once', async () => {
    const text = fs.readFileSync(seedTable('changzhou_district_funding_2011_2014.csv'), 'utf8').replace('合计,5636,2406,3946,1188,13176', '合计,5636,2406,3946,1188,13175');
    const t = await read({ buffer: Buffer.from(text), fileName: 'changzhou.csv' });
    expect(t.issues.map((i) => [i.code, i.row, i.column, i.stated, i.computed])).toEqual([['TOTAL_MISMATCH', 11, 5, 13175, 13176]]);
  });

  it.each(Object.keys(SEED))('a GBK-encoded copy of %s reads identically', async (name) => {
    const text = fs.readFileSync(seedTable(name), 'utf8');
    const gbk = iconv.encode(text, 'gbk');
    expect(iconv.decode(gbk, 'gbk')).toBe(text); // every character has a GBK code
    const utf8 = await read({ path: seedTable(name), fileName: name });
    const copy = await read({ buffer: gbk, fileName: name });
    expect(copy.encoding).toBe('gb18030');
    expect(copy.shape).toEqual(utf8.shape);
    expect(copy.all).toEqual(utf8.all);
    expect(copy.issues).toEqual(utf8.issues);
  });
});

describe('readTable: public data files', () => {
  it('World Bank: skips the preamble, drops the trailing empty column, finds the years', async () => {
    const t = await read({ path: sharedData('st_indicators/API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv'), fileName: 'API_GB.csv' });
    expect(t).toMatchObject({ encoding: 'utf-8', delimiter: ',' });
    expect(t.shape).toMatchObject({ preambleRows: [1, 3], headerRows: [5], dataStartRow: 6, keyColumns: [0] });
    const years = t.shape.columns.filter((c) => c.kind === 'year');
    expect(years.map((c) => c.year)).toEqual(Array.from({ length: 66 }, (_, i) => 1960 + i));
    expect(t.shape.columns).toHaveLength(4 + 66);
    expect(t.shape.columns[0].label).toBe('Country Name'); // no BOM left on it
    expect(t.all).toHaveLength(265);
    const china = t.all.find((r) => r.cells[1] === 'CHN')!;
    expect(china.cells[t.shape.columns.find((c) => c.year === 2023)!.index]).toBe('2.57729');
    expect(t.issues).toEqual([]);
  });

  it('GII 2025: Windows-1252, semicolons, CRLF', async () => {
    const t = await read({ path: sharedData('gii/gii_2025_pillars.csv'), fileName: 'gii_2025_pillars.csv' });
    expect(t).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    // SOURCES.md speaks of decimal commas, but this file writes decimal points ("29.6").
    expect(t.decimal).toBe('.');
    expect(t.shape.columns.map((c) => c.label)).toEqual([
      'Country', 'Score', 'Institutions', 'Human capital and research', 'Infrastructure', 'Market sophistication',
      'Business sophistication', 'Knowledge and technology outputs', 'Creative outputs',
    ]);
    expect(t.all).toHaveLength(139);
    const names = t.all.map((r) => r.cells[0]);
    expect(names).toContain("Côte d'Ivoire");
    expect(names).toContain('Türkiye');
    expect(names).toContain('Hong Kong, China');
    const china = t.all.find((r) => r.cells[0] === 'China')!;
    expect(parseNumber(china.cells[1], { decimal: t.decimal }).value).toBe(56.6);
    expect(t.issues).toEqual([]);
  });

  it('GII panel: semicolons with decimal commas and a BOM', async () => {
    const t = await read({ path: sharedData('gii/gii_panel_2011_2022.csv'), fileName: 'gii_panel.csv' });
    expect(t).toMatchObject({ encoding: 'utf-8', delimiter: ';', decimal: ',' });
    expect(t.shape.columns[0].label).toBe('Economies');
    expect(t.shape.keyColumns).toEqual([0, 1]);
    expect(t.all).toHaveLength(1788);
    const china = t.all.find((r) => r.cells[0] === 'China' && r.cells[1] === '2022')!;
    const gii = t.shape.columns.findIndex((c) => c.label === 'Global Innovation Index');
    expect(parseNumber(china.cells[gii], { decimal: t.decimal }).value).toBeCloseTo(55.3, 1);
  });

  it('NASA patents: semicolons, a quoted line break, and dates written two ways', async () => {
    const t = await read({ path: sharedData('tech_transfer/NASA_Patents.csv'), fileName: 'NASA_Patents.csv' });
    expect(t).toMatchObject({ encoding: 'utf-8', delimiter: ';' });
    expect(t.all).toHaveLength(1393);
    const col = t.shape.columns.findIndex((c) => c.label === 'Patent Expiration Date');
    expect(t.shape.columns[col].valueType).toBe('date');
    // The title of row 1342 runs over two lines of the file; the next record is row 1343.
    const robot = t.all.findIndex((r) => String(r.cells[4]).startsWith('ROBOT TASK COMMANDER'));
    expect(t.all[robot]).toMatchObject({ row: 1342 });
    expect(t.all[robot].cells[col]).toBe('03/14/2033');
    expect(t.all[robot + 1].row).toBe(1343);

    const dates = t.all.map((r) => r.cells[col] as string).filter(Boolean);
    expect(dates).toHaveLength(1043);
    expect(dates).toContain('10 March 2015');
    expect(dates).toContain('06/16/2024');
    const order = inferDateOrder(dates);
    expect(order).toBe('mdy');
    const parsed = dates.map((d) => parseDate(d, { order, minYear: 1958 }));
    expect(parsed.every((p) => p.value !== null && p.precision === 'day')).toBe(true);
    expect(parseDate('10 March 2015').value).toBe('2015-03-10');
    expect(parseDate('06/16/2024', { order }).value).toBe('2024-06-16');
    // Patents cannot expire before NASA existed: SOURCES.md's "wrong years" 1930–1934.
    const early = parsed.filter((p) => p.issue?.code === 'DATE_OUT_OF_RANGE');
    expect(early).toHaveLength(38);
    expect(early.every((p) => /^193[0-4]-/.test(p.value!))).toBe(true);
  });
});

describe('readTable: refusals', () => {
  it('refuses files over the size limit', async () => {
    const e = await refusal({ buffer: Buffer.alloc(2048, 0x41), fileName: 'big.csv', maxBytes: 1024 });
    expect(e).toMatchObject({ code: 'FILE_TOO_LARGE', status: 413 });
    expect(e.messageZh).toContain('超过上限');
    expect(e.details[0]).toMatchObject({ code: 'FILE_TOO_LARGE', severity: 'error' });
  });

  it('refuses empty files', async () => {
    expect((await refusal({ buffer: Buffer.alloc(0), fileName: 'empty.csv' })).code).toBe('FILE_EMPTY');
    expect((await refusal({ buffer: Buffer.from('\r\n\r\n  \r\n,,,\r\n'), fileName: 'blank.csv' })).code).toBe('FILE_EMPTY');
    expect((await refusal({ buffer: Buffer.from('\ufeff'), fileName: 'bom.csv' })).code).toBe('FILE_EMPTY');
  });

  it.each([
    ['old Excel', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), 'data.xls', '.xls'],
    ['PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'report.csv', 'PDF'],
    ['an HTML table named .xls', Buffer.from('<html><body><table><tr><td>辖区</td></tr></table></body></html>'), 'export.xls', 'HTML'],
    ['Excel 2003 XML', Buffer.from('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'), 'data.xml', 'XML'],
    ['a Word document', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(26), Buffer.from('word/document.xml')]), 'data.xlsx', 'Word'],
  ])('refuses %s by its bytes', async (_what, bytes, fileName, mention) => {
    const e = await refusal({ buffer: bytes, fileName });
    expect(e.code).toBe('FILE_FORMAT_UNKNOWN');
    expect(e.messageZh).toContain(mention);
    expect(e.messageZh).toContain('.xlsx');
  });

  it('refuses a .csv that is really binary', async () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256));
    expect((await refusal({ buffer: bytes, fileName: 'data.csv' })).code).toBe('FILE_NOT_TEXT');
    expect((await refusal({ buffer: bytes, fileName: 'data.bin' })).code).toBe('FILE_FORMAT_UNKNOWN');
  });

  it('refuses a damaged XLSX and a missing file as FILE_CORRUPT', async () => {
    const zipJunk = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]);
    expect((await refusal({ buffer: zipJunk, fileName: 'data.xlsx' })).code).toBe('FILE_CORRUPT');
    expect((await refusal({ buffer: zipJunk, fileName: 'data.xlsx', xlsxMode: 'stream' })).code).toBe('FILE_CORRUPT');
    expect((await refusal({ path: '/nonexistent/innolink/none.csv', fileName: 'none.csv' })).code).toBe('FILE_CORRUPT');
  });

  it('refuses a table without a header', async () => {
    const e = await refusal({ buffer: Buffer.from('1,2,3\n4,5,6\n'), fileName: 'numbers.csv' });
    expect(e.code).toBe('HEADER_NOT_FOUND');
    expect(e.messageZh).toContain('表头');
  });

  it('refuses a file that is one unclosed quote, naming the row', async () => {
    const e = await refusal({ buffer: Buffer.from('"辖区,2011\n武进,704\n'), fileName: 'broken.csv' });
    expect(e.code).toBe('CSV_QUOTE_NOT_CLOSED');
    expect(e.details[0]).toMatchObject({ row: 1 });
  });
});

describe('readTable: problems found on the way', () => {
  it('keeps the rows before an unclosed quote and reports it on its row', async () => {
    const t = await read({ buffer: Buffer.from('辖区,2011\n武进,704\n新北,"1765\n钟楼,1465\n'), fileName: 'broken.csv' });
    expect(t.all.map((r) => r.cells)).toEqual([['武进', '704']]);
    expect(t.issues.map((i) => [i.code, i.row, i.severity])).toEqual([['CSV_QUOTE_NOT_CLOSED', 3, 'error']]);
  });

  it('pads short rows and reports cells beyond the header', async () => {
    const t = await read({ buffer: Buffer.from('国家,得分\n中国\n德国,58.1,多余\n'), fileName: 'ragged.csv' });
    expect(t.all.map((r) => r.cells)).toEqual([
      ['中国', ''],
      ['德国', '58.1'],
    ]);
    expect(t.issues.map((i) => [i.code, i.row])).toEqual([['ROW_EXTRA_CELLS', 3]]);
  });

  it('keeps a column without a name when several rows use it', async () => {
    const t = await read({ buffer: Buffer.from('国家,得分\n中国,56.6,注1\n德国,58.1,注2\n'), fileName: 'unnamed.csv' });
    expect(t.all.map((r) => r.cells)).toEqual([
      ['中国', '56.6', '注1'],
      ['德国', '58.1', '注2'],
    ]);
    expect(t.issues.map((i) => [i.code, i.row, i.column])).toEqual([['HEADER_LABEL_EMPTY', 1, 2]]);
    expect(t.issues[0].message).toBe('第 1 行第 3 列：列名为空');
  });

  it('reads text content whatever the extension says, with a warning', async () => {
    const t = await read({ buffer: Buffer.from('国家,得分\n中国,56.6\n'), fileName: 'scores.xlsx' });
    expect(t.format).toBe('csv');
    expect(t.issues.map((i) => i.code)).toEqual(['FILE_EXTENSION_MISMATCH']);
  });

  it('warns when the encoding is a guess', async () => {
    const t = await read({ buffer: Buffer.from('Name,Wert\nÄÖ,é\n', 'latin1'), fileName: 'latin.csv' });
    expect(t.encoding).toBe('windows-1252');
    expect(t.all[0].cells).toEqual(['ÄÖ', 'é']);
    expect(t.issues.map((i) => i.code)).toEqual(['ENCODING_UNCERTAIN']);
  });

  it('finds the encoding of a file whose Chinese starts after the first 64 KiB', async () => {
    const ascii = Array.from({ length: 8000 }, (_, i) => `AAA${i},${i}`).join('\n');
    const bytes = Buffer.concat([Buffer.from(`code,value\n${ascii}\n`), iconv.encode('武进,704\n', 'gbk')]);
    expect(bytes.length).toBeGreaterThan(65536);
    const t = await read({ buffer: bytes, fileName: 'late.csv' });
    expect(t.encoding).toBe('gb18030');
    expect(t.all[t.all.length - 1].cells).toEqual(['武进', '704']);
  });

  it('reads UTF-16 files (Excel\'s "Unicode text")', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('国家\t得分\r\n中国\t56.6\r\n', 'utf16le')]);
    const t = await read({ buffer: bytes, fileName: 'unicode.txt' });
    expect(t).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(t.all[0].cells).toEqual(['中国', '56.6']);
  });

  it('can be closed without reading the rows, or after reading some', async () => {
    const path = seedTable('belt_and_road_gii2022_rank_bands.csv');
    const t = await readTable({ path, fileName: 'b.csv' });
    await t.close();
    const u = await readTable({ path, fileName: 'b.csv' });
    let n = 0;
    for await (const _ of u.rows) if (++n === 3) break;
    expect(n).toBe(3);
  });
});
