/**
 * Paths of the real tables the reading layer is tested on: the seed tables transcribed from
 * the papers (demo/seed-tables) and the public files next to the repository (../shared/data,
 * see its SOURCES.md), and a ZIP writer for re-packing workbooks. Test helper only.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { openZip } from './zip.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

/** A seed table by file name. */
export const seedTable = (name: string) => path.join(ROOT, 'demo', 'seed-tables', name);

/** Every seed table CSV. */
export const seedTables = () =>
  fs
    .readdirSync(path.join(ROOT, 'demo', 'seed-tables'))
    .filter((f) => f.endsWith('.csv'))
    .sort();

/** A file of ../shared/data by its path inside that folder. */
export function sharedData(rel: string): string {
  const full = path.resolve(ROOT, '..', 'shared', 'data', rel);
  if (!fs.existsSync(full)) throw new Error(`Test data missing: ${full} (see ../shared/data/SOURCES.md)`);
  return full;
}

export interface ZipFile {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated (default). */
  method?: 0 | 8;
  /**
   * Already deflated bytes to store as they are (`data` is then ignored): how a test builds a
   * part that inflates to far more than it would be sensible to hold in memory.
   */
  deflated?: { body: Buffer; size: number };
  /** The uncompressed size the ZIP's headers state, when it should not be the true one. */
  statedSize?: number;
  /** The name in the entry's local header, when it should not be its name. */
  localName?: string;
}

/**
 * Pack files into a ZIP in the order given, to test readers against part orders and layouts
 * other writers produce. `zip64` writes the central directory's sizes and offsets as ZIP64
 * extra fields, as streaming writers do.
 */
export function zipOf(files: ZipFile[], opts: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const method = f.deflated ? 8 : (f.method ?? 8);
    const body = f.deflated ? f.deflated.body : method === 8 ? zlib.deflateRawSync(f.data) : f.data;
    const size = f.statedSize ?? (f.deflated ? f.deflated.size : f.data.length);
    const name = Buffer.from(f.name, 'utf8');
    const localName = Buffer.from(f.localName ?? f.name, 'utf8');
    // Nothing checks the CRC of a generated bomb; computing it would mean inflating it.
    const crc = f.deflated ? 0 : zlib.crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    locals.push(local, localName, body);
    const extra = Buffer.alloc(opts.zip64 ? 28 : 0);
    if (opts.zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 42);
    centrals.push(central, name, extra);
    offset += local.length + localName.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/**
 * A DEFLATE stream of `head`, then `chunk` repeated `times`, then `tail`, built without ever
 * holding the inflated bytes: each piece is compressed once with a full flush (which leaves the
 * stream byte-aligned with no reference back), so the compressed chunk can simply be repeated.
 * 1 MiB of repeated XML compresses to about 1 KiB: 1024 repetitions make a 1 GiB part of ~1 MB.
 */
export function deflatedRepeat(head: Buffer, chunk: Buffer, times: number, tail: Buffer): { body: Buffer; size: number } {
  const flushed = (b: Buffer) => zlib.deflateRawSync(b, { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const c = flushed(chunk);
  // A final, empty fixed-Huffman block ends the stream.
  const body = Buffer.concat([flushed(head), ...Array.from({ length: times }, () => c), flushed(tail), Buffer.from([0x03, 0x00])]);
  return { body, size: head.length + chunk.length * times + tail.length };
}

/** The parts of a ZIP, by name, in their order. */
export async function partsOf(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await openZip({ buffer });
  const parts = new Map<string, Buffer>();
  for (const e of zip.entries) parts.set(e.name, Buffer.concat(await (await zip.open(e)).toArray()));
  return parts;
}

/** A small workbook written by exceljs: a header and `rows` rows of a partner table. */
export async function smallWorkbook(rows = 3): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('合作项目');
  ws.addRow(['项目编号', '项目名称', '国别']);
  for (let i = 1; i <= rows; i++) ws.addRow([`P-${i}`, `合作项目${i}`, i % 2 ? '德国' : '以色列']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A workbook with one part replaced (re-packed, every other part as it was). */
export async function withPart(buffer: Buffer, name: string, edit: (xml: string) => string | ZipFile): Promise<Buffer> {
  const parts = await partsOf(buffer);
  if (!parts.has(name)) throw new Error(`no part ${name}`);
  return zipOf(
    [...parts].map(([n, data]) => {
      if (n !== name) return { name: n, data };
      const out = edit(data.toString('utf8'));
      return typeof out === 'string' ? { name: n, data: Buffer.from(out, 'utf8') } : { ...out, name: n };
    }),
  );
}

/** The first sheet of `smallWorkbook` with merged ranges added after its cells. */
export async function mergedWorkbook(refs: string[], rows = 3): Promise<Buffer> {
  const merges = `<mergeCells count="${refs.length}">${refs.map((r) => `<mergeCell ref="${r}"/>`).join('')}</mergeCells>`;
  return withPart(await smallWorkbook(rows), 'xl/worksheets/sheet1.xml', (xml) => xml.replace('</sheetData>', `</sheetData>${merges}`));
}

/**
 * A zip bomb shaped as a workbook: the first sheet's XML is its real start, then `mib` MiB of
 * rows, then its real end. `statedSize` lets the ZIP's headers lie about how big it is.
 */
export async function bombWorkbook(mib: number, opts: { statedSize?: number } = {}): Promise<Buffer> {
  const row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>';
  const rows = row.repeat(Math.floor((1024 * 1024) / row.length));
  const chunk = Buffer.from(rows.padEnd(1024 * 1024, ' '), 'utf8');
  return withPart(await smallWorkbook(), 'xl/worksheets/sheet1.xml', (xml) => {
    const at = xml.indexOf('</sheetData>');
    return { name: '', data: Buffer.alloc(0), deflated: deflatedRepeat(Buffer.from(xml.slice(0, at)), chunk, mib, Buffer.from(xml.slice(at))), statedSize: opts.statedSize };
  });
}
