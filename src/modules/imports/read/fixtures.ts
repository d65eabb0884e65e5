/**
 * Paths of the real tables the reading layer is tested on: the seed tables transcribed from
 * the papers (demo/seed-tables) and the public files next to the repository (../shared/data,
 * see its SOURCES.md), and a ZIP writer for re-packing workbooks. Test helper only.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

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
    const method = f.method ?? 8;
    const body = method === 8 ? zlib.deflateRawSync(f.data) : f.data;
    const name = Buffer.from(f.name, 'utf8');
    const crc = zlib.crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const extra = Buffer.alloc(opts.zip64 ? 28 : 0);
    if (opts.zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(f.data.length), 4);
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
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 42);
    centrals.push(central, name, extra);
    offset += local.length + name.length + body.length;
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
