/**
 * Big files stream: a generated ~50 MB CSV is read with memory that stays flat, and its stated
 * totals (a 合计 row at the very end) are still checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable } from './index.ts';

const FILE = path.join(os.tmpdir(), `innolink-read-stream-${process.pid}.csv`);
const NOTE = '国际科技合作项目经费明细，含技术引进与二次开发、联合研发、共建平台及人才交流等合作方式';
let dataRows = 0;
let bytes = 0;

beforeAll(async () => {
  const out = fs.createWriteStream(FILE);
  out.write('辖区,2011,2012,2013,2014,合计,说明\r\n');
  const sums = [0, 0, 0, 0, 0];
  while (bytes < 50 * 1024 * 1024) {
    const n = dataRows;
    const v = [n % 1000, (n * 7) % 1000, (n * 13) % 1000, (n * 31) % 1000];
    const total = v[0] + v[1] + v[2] + v[3];
    const line = `区${n},${v.join(',')},${total},"${NOTE}，第${n}条"\r\n`;
    v.forEach((x, i) => (sums[i] += x));
    sums[4] += total;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    dataRows++;
  }
  out.write(`合计,${sums.join(',')},\r\n`);
  await new Promise<void>((r) => out.end(() => r()));
});

afterAll(() => fs.rmSync(FILE, { force: true }));

describe('readTable on a ~50 MB CSV', () => {
  it('streams with flat memory and checks the final total row', async () => {
    const t = await readTable({ path: FILE, fileName: 'big.csv' });
    expect(t.shape.columns[5]).toMatchObject({ kind: 'total', totalOf: [1, 2, 3, 4] });
    let count = 0;
    let baseline = 0;
    let peak = 0;
    let last = 0;
    for await (const r of t.rows) {
      count++;
      last = r.row;
      if (count % 5000 === 0) {
        const rss = process.memoryUsage().rss;
        if (count === 5000) baseline = rss;
        peak = Math.max(peak, rss);
      }
    }
    expect(count).toBe(dataRows + 1);
    expect(last).toBe(dataRows + 2);
    expect(t.shape.totalRowIndexes).toEqual([dataRows + 2]);
    expect(t.issues).toEqual([]);
    // Holding the file would cost several hundred MB (50 MB of text as strings and arrays).
    expect(peak - baseline).toBeLessThan(64 * 1024 * 1024);
  });
});
