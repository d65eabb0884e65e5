import fs from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeChunks, parseCsv, sniffDelimiter, type CsvOptions } from './csv.ts';
import { decodeBuffer } from './decode.ts';
import { sharedData } from './fixtures.ts';

async function* pieces(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function rows(text: string, opts: Partial<CsvOptions> = {}, chunk = 1 << 16) {
  const out: { row: number; cells: string[]; codes?: string[] }[] = [];
  for await (const r of parseCsv(pieces(text, chunk), { delimiter: ',', ...opts })) {
    const codes = [...(r.issues ?? []), ...(r.cellIssues ?? []).map((c) => c.issue)].map((i) => i.code);
    out.push(codes.length ? { row: r.row, cells: r.cells as string[], codes } : { row: r.row, cells: r.cells as string[] });
  }
  return out;
}

describe('sniffDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1;2;3\n', ';'],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    ['a|b|c\n1|2|3\n', '|'],
    ['"a,1";"b,2"\n"x,y";"z"\n', ';'],
    ['name\nAlice\n', ','],
    ['', ','],
  ] as const)('%j → %j', (text, d) => expect(sniffDelimiter(text, true)).toBe(d));

  it('finds the semicolons of files whose fields contain commas', () => {
    const nasa = decodeBuffer(fs.readFileSync(sharedData('tech_transfer/NASA_Patents.csv')).subarray(0, 65536), 'utf-8');
    expect(sniffDelimiter(nasa)).toBe(';');
    const panel = decodeBuffer(fs.readFileSync(sharedData('gii/gii_panel_2011_2022.csv')).subarray(0, 65536), 'utf-8');
    expect(sniffDelimiter(panel)).toBe(';');
  });

  it('is not fooled by the World Bank preamble', () => {
    const wb = decodeBuffer(fs.readFileSync(sharedData('st_indicators/API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv')).subarray(0, 65536), 'utf-8');
    expect(sniffDelimiter(wb)).toBe(',');
  });
});

describe('parseCsv', () => {
  it('numbers rows physically, counting blank lines, with CRLF, LF and CR line ends', async () => {
    expect(await rows('a,b\r\n\r\n1,2\n3,"x\ny"\r4,5\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: [''] },
      { row: 3, cells: ['1', '2'] },
      { row: 4, cells: ['3', 'x\ny'] },
      { row: 5, cells: ['4', '5'] },
    ]);
  });

  it('handles quotes, doubled quotes, ragged rows and trailing empty columns', async () => {
    expect(await rows('"a","b ""q""",c,\n1,"2,5"\n1,2,3,4,5\n')).toEqual([
      { row: 1, cells: ['a', 'b "q"', 'c', ''] },
      { row: 2, cells: ['1', '2,5'] },
      { row: 3, cells: ['1', '2', '3', '4', '5'] },
    ]);
  });

  it('trims cells and accepts a space before a quoted field', async () => {
    expect(await rows('a, "b"\n 1 , "2,3"\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2,3'] },
    ]);
  });

  it('keeps stray quotes inside unquoted fields (3" pipe)', async () => {
    expect(await rows('a,b\n3" pipe,"abc"def\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['3" pipe', '"abc"def'] },
    ]);
  });

  it.each([1, 2, 5, 1000])('gives the same rows whatever the chunk size (%d)', async (size) => {
    const text = '辖区,2011\r\n武进,"7,04"\r\n"新\r\n北",1765\r\n';
    expect(await rows(text, {}, size)).toEqual(await rows(text));
  });

  it('reports an unclosed quote with its row and stops, keeping the rows before', async () => {
    expect(await rows('a,b\n1,2\n3,"abc\n4,5\n6,7\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 3, cells: [], codes: ['CSV_QUOTE_NOT_CLOSED'] },
    ]);
  });

  it('stops at a row longer than the limit instead of reading the file into one field', async () => {
    const text = `a,b\n1,"${'x'.repeat(5000)}\n2,3\n`;
    const r = await rows(text, { maxRecordChars: 1000 }, 100);
    expect(r).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: [], codes: ['CSV_ROW_TOO_LARGE'] },
    ]);
  });

  it('flags cells holding replacement characters (bytes that did not decode)', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    async function* one() {
      yield bytes;
    }
    const out = [];
    for await (const r of parseCsv(decodeChunks(one(), 'utf-8'), { delimiter: ',', encoding: 'UTF-8' })) out.push(r);
    expect(out[1].cellIssues?.[0]).toMatchObject({ column: 1, issue: { code: 'ENCODING_INVALID_BYTES' } });
  });
});

describe('decodeChunks', () => {
  it('keeps multi-byte characters split across chunks whole', async () => {
    const bytes = iconv.encode('辖区,合计\n武进,2116\n', 'gb18030');
    async function* oneByOne() {
      for (const b of bytes) yield Buffer.from([b]);
    }
    let text = '';
    for await (const t of decodeChunks(oneByOne(), 'gb18030')) text += t;
    expect(text).toBe('辖区,合计\n武进,2116\n');
  });
});
