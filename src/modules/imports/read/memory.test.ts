/**
 * The files of issue 21 against a reader with a small heap. Each runs in a child process with
 * --max-old-space-size=256: before the limits, the 7 KB merged-range workbook, the zip bombs
 * and a name over the whole sheet ran that heap out (the process died), and the whole server
 * with it. Now each is refused, or
 * read without expanding the range, within a bounded peak RSS (off-heap buffers included).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombWorkbook, mergedWorkbook, smallWorkbook, withPart } from './fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const DIR = path.join(os.tmpdir(), `innolink-read-memory-${process.pid}`);
/** Node, tsx, exceljs and the reader take about 100 MB; the bombs asked for gigabytes. */
const PEAK_RSS_MB = 320;

interface ChildResult {
  status: number | null;
  signal: string | null;
  stderr: string;
  out?: { ok: boolean; code?: string; rows?: number; issues?: string[]; maxRssMb: number };
}

function readInChild(file: string, fileName: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=256', path.join(ROOT, 'bin/run-ts.mjs'), path.join(import.meta.dirname, 'memory.child.ts'), file, fileName], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status, signal) => {
      const line = stdout.trim().split('\n').at(-1);
      resolve({ status, signal, stderr: stderr.slice(-2000), out: line ? JSON.parse(line) : undefined });
    });
  });
}

beforeAll(async () => {
  fs.mkdirSync(DIR, { recursive: true });
  fs.writeFileSync(path.join(DIR, 'merge.xlsx'), await mergedWorkbook(['A2:XFD1048576']));
  fs.writeFileSync(path.join(DIR, 'bomb.xlsx'), await bombWorkbook(1024));
  fs.writeFileSync(path.join(DIR, 'lying-bomb.xlsx'), await bombWorkbook(1024, { statedSize: 64 * 1024 }));
  const name = '<definedNames><definedName name="all">合作项目!$A$1:$XFD$1048576</definedName></definedNames>';
  fs.writeFileSync(path.join(DIR, 'names.xlsx'), await withPart(await smallWorkbook(), 'xl/workbook.xml', (xml) => xml.replace('</sheets>', `</sheets>${name}`)));
});
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

describe('readTable with a 256 MB heap', () => {
  it.each([
    ['a merged range over the whole sheet', 'merge.xlsx', { ok: true, rows: 3, issues: ['XLSX_MERGE_TOO_LARGE'] }],
    ['a zip bomb stating its size', 'bomb.xlsx', { ok: false, code: 'XLSX_COMPRESSION_RATIO_TOO_HIGH' }],
    ['a zip bomb stating 64 KB', 'lying-bomb.xlsx', { ok: false, code: 'FILE_CORRUPT' }],
    ['a defined name over the whole sheet', 'names.xlsx', { ok: true, rows: 3, issues: [] }],
  ])('survives %s', async (_what, name, want) => {
    const r = await readInChild(path.join(DIR, name), name);
    expect({ status: r.status, signal: r.signal, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(r.out).toMatchObject(want);
    expect(r.out!.maxRssMb).toBeLessThan(PEAK_RSS_MB);
  });
});
