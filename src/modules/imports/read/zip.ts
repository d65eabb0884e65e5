/**
 * A small random-access ZIP reader for the streamed XLSX path: the central directory is read
 * first, then any entry can be opened as a stream, in whatever order the caller needs. An XLSX
 * file keeps its parts in no fixed order (exceljs writes the sheets before sharedStrings.xml and
 * workbook.xml; Excel writes workbook.xml first), and reading it front to back forces a reader
 * either to spool sheets to temporary files or to guess; reading the directory does neither.
 *
 * Stored (0) and deflated (8) entries, ZIP64 sizes and offsets. No encryption: an encrypted
 * workbook is an OLE file, not a ZIP, and never reaches this reader.
 */
import fs from 'node:fs';
import { pipeline, Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** The name as stored; the entry's local header must store the same. */
  nameBytes: Buffer;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** An entry by name; ZIP part names in OOXML are case-insensitive. */
  get(name: string): ZipEntry | undefined;
  /** The entry's uncompressed bytes as a stream; destroy it to stop early. */
  open(entry: ZipEntry): Promise<Readable>;
}

interface Bytes {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  stream(offset: number, length: number): Readable;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
const MAX_ENTRIES = 100_000;
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

function bytesOfBuffer(buf: Buffer): Bytes {
  return {
    size: buf.length,
    read: async (offset, length) => buf.subarray(offset, offset + length),
    stream: (offset, length) => Readable.from([buf.subarray(offset, offset + length)]),
  };
}

async function bytesOfFile(file: string): Promise<Bytes> {
  const { size } = await fs.promises.stat(file);
  return {
    size,
    read: async (offset, length) => {
      const fh = await fs.promises.open(file, 'r');
      try {
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, offset);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
    stream: (offset, length) => (length === 0 ? Readable.from([]) : fs.createReadStream(file, { start: offset, end: offset + length - 1 })),
  };
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('ZIP64 value out of range');
  return Number(v);
}

function corrupt(what: string): Error {
  return new Error(`not a readable ZIP file: ${what}`);
}

async function readDirectory(src: Bytes): Promise<ZipEntry[]> {
  const tailLength = Math.min(src.size, 22 + MAX_COMMENT);
  const tailStart = src.size - tailLength;
  const tail = await src.read(tailStart, tailLength);
  // The last signature is the end record, as JSZip (exceljs's loader) takes it: both readers
  // must see the same entries, or the limits checked on one would not hold for the other.
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw corrupt('no end of central directory');
  if (at + 22 + tail.readUInt16LE(at + 20) > tail.length) throw corrupt('bad end of central directory');
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locAt = tailStart + at - 20;
    const loc = locAt >= 0 ? await src.read(locAt, 20) : Buffer.alloc(0);
    if (loc.length === 20 && loc.readUInt32LE(0) === EOCD64_LOCATOR) {
      const rec = await src.read(u64(loc, 8), 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== EOCD64) throw corrupt('bad ZIP64 end of central directory');
      count = u64(rec, 32);
      dirSize = u64(rec, 40);
      dirOffset = u64(rec, 48);
    }
  }
  if (dirOffset + dirSize > src.size) throw corrupt('central directory out of range');
  // A workbook has tens of parts, a few thousand with many images; millions only make memory.
  if (count > MAX_ENTRIES) throw corrupt(`more than ${MAX_ENTRIES} entries`);
  if (dirSize > MAX_DIRECTORY_BYTES) throw corrupt('central directory too large');
  const dir = await src.read(dirOffset, dirSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw corrupt('bad central directory entry');
    const flags = dir.readUInt16LE(p + 8);
    const method = dir.readUInt16LE(p + 10);
    let compressedSize = dir.readUInt32LE(p + 20);
    let size = dir.readUInt32LE(p + 24);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    let headerOffset = dir.readUInt32LE(p + 42);
    const name = dir.toString('utf8', p + 46, p + 46 + nameLength);
    // ZIP64: the fields stored as 0xFFFFFFFF follow in the extra field 0x0001, in this order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = dir.readUInt16LE(e);
      const len = dir.readUInt16LE(e + 2);
      // An Info-ZIP Unicode path names the entry for JSZip (exceljs's loader) instead of its
      // name: one that names another part would let the two readers see different files.
      if (id === 0x7075 && len >= 5 && dir.toString('utf8', e + 9, e + 4 + len) !== name) throw corrupt(`${name} has a second, different name`);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = u64(dir, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(dir, q);
          q += 8;
        }
        if (headerOffset === 0xffffffff) headerOffset = u64(dir, q);
      }
      e += 4 + len;
    }
    entries.push({ name, nameBytes: Buffer.from(dir.subarray(p + 46, p + 46 + nameLength)), method, flags, compressedSize, size, headerOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

/** Passes an entry's bytes on, failing as soon as there are more than its stated size. */
function atMost(entry: ZipEntry): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > entry.size) done(new Error(`${entry.name} is larger than stated`));
      else done(null, chunk);
    },
  });
}

/** Read the central directory of a ZIP file on disk or in memory. */
export async function openZip(source: { path?: string; buffer?: Buffer }): Promise<ZipArchive> {
  const src = source.buffer ? bytesOfBuffer(source.buffer) : await bytesOfFile(source.path!);
  const entries = await readDirectory(src);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const byLower = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  return {
    entries,
    get: (name) => byName.get(name) ?? byLower.get(name.toLowerCase()),
    async open(entry) {
      if (entry.flags & 1) throw corrupt(`${entry.name} is encrypted`);
      if (entry.method !== 0 && entry.method !== 8) throw corrupt(`${entry.name} uses compression method ${entry.method}`);
      const head = await src.read(entry.headerOffset, 30 + entry.nameBytes.length);
      if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) throw corrupt(`bad local header for ${entry.name}`);
      // JSZip (exceljs's loader) names an entry by its local header, this reader by the central
      // directory: a part whose two names differ would be read as one thing and loaded as another.
      if (head.readUInt16LE(26) !== entry.nameBytes.length || !head.subarray(30).equals(entry.nameBytes)) throw corrupt(`${entry.name} has a second, different name`);
      const start = entry.headerOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
      if (start + entry.compressedSize > src.size) throw corrupt(`${entry.name} is truncated`);
      const raw = src.stream(start, entry.compressedSize);
      // pipeline passes errors on and destroys the file stream when the reader stops early.
      // An entry never yields more than the directory states: the limits on a workbook's size
      // are checked against those figures, and a zip bomb lies about them.
      if (entry.method === 0) return pipeline(raw, atMost(entry), () => {});
      return pipeline(raw, zlib.createInflateRaw(), atMost(entry), () => {});
    },
  };
}
