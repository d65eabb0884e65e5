import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { zipOf } from './fixtures.ts';
import { openZip, type ZipArchive } from './zip.ts';

const text = (s: string) => Buffer.from(s, 'utf8');
const files = [
  { name: 'xl/worksheets/sheet1.xml', data: text('<worksheet>国别,项目数</worksheet>'.repeat(200)) },
  { name: 'xl/sharedStrings.xml', data: text('<sst/>'), method: 0 as const },
  { name: 'xl/workbook.xml', data: text('') },
];

async function contents(zip: ZipArchive, name: string): Promise<string> {
  const s = await zip.open(zip.get(name)!);
  return Buffer.concat(await s.toArray()).toString('utf8');
}

const tmp = path.join(os.tmpdir(), `innolink-zip-${process.pid}.zip`);
afterAll(() => fs.rmSync(tmp, { force: true }));

describe('openZip', () => {
  it('opens entries by name, in any order, from a buffer or a file', async () => {
    const buffer = zipOf(files);
    fs.writeFileSync(tmp, buffer);
    for (const source of [{ buffer }, { path: tmp }]) {
      const zip = await openZip(source);
      expect(zip.entries.map((e) => [e.name, e.method])).toEqual([
        ['xl/worksheets/sheet1.xml', 8],
        ['xl/sharedStrings.xml', 0],
        ['xl/workbook.xml', 8],
      ]);
      // Last entry first, then the others: the directory gives random access.
      expect(await contents(zip, 'xl/workbook.xml')).toBe('');
      expect(await contents(zip, 'XL/SharedStrings.xml')).toBe('<sst/>');
      expect(await contents(zip, 'xl/worksheets/sheet1.xml')).toBe(files[0].data.toString('utf8'));
    }
  });

  it('reads ZIP64 sizes and offsets from the extra field', async () => {
    const zip = await openZip({ buffer: zipOf(files, { zip64: true }) });
    expect(zip.get('xl/worksheets/sheet1.xml')?.size).toBe(files[0].data.length);
    expect(await contents(zip, 'xl/sharedStrings.xml')).toBe('<sst/>');
    expect(await contents(zip, 'xl/worksheets/sheet1.xml')).toBe(files[0].data.toString('utf8'));
  });

  it('refuses what is not a ZIP, or is cut short', async () => {
    await expect(openZip({ buffer: text('国别,项目数\n德国,11\n') })).rejects.toThrow(/no end of central directory/);
    const whole = zipOf(files);
    await expect(openZip({ buffer: whole.subarray(0, whole.length - 30) })).rejects.toThrow(/not a readable ZIP/);
    // The directory intact, the data damaged: the entry's stream fails, it does not end quietly.
    const damaged = Buffer.from(whole);
    damaged.fill(0xff, 40, 80);
    const zip = await openZip({ buffer: damaged });
    await expect(contents(zip, 'xl/worksheets/sheet1.xml')).rejects.toThrow();
  });
});
