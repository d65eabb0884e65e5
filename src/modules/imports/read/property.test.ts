/**
 * Whatever a user uploads, reading ends: either rows or one of our coded errors, never another
 * exception and never a hang. And the totals check tells exactly the cell that was changed.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../errors.ts';
import { readTable, type ReadTableInput } from './index.ts';
import { normaliseName, parseDate, parseNumber, parseYear } from './values.ts';

const TIME_LIMIT_MS = 10_000;

function withinTime<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading did not end within ${TIME_LIMIT_MS} ms`)), TIME_LIMIT_MS);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

/** Read everything; returns 'ok' or the coded error's code; rethrows anything else. */
async function readAll(input: ReadTableInput): Promise<string> {
  try {
    const t = await readTable(input);
    let previous = 0;
    for await (const r of t.rows) {
      expect(r.cells).toHaveLength(t.shape.columns.length);
      expect(r.row).toBeGreaterThan(previous);
      expect(r.row).toBeGreaterThanOrEqual(t.shape.dataStartRow);
      previous = r.row;
    }
    for (const i of t.issues) {
      expect(i.message).toBeTruthy();
      expect(i.message_en).toBeTruthy();
    }
    return 'ok';
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
}

const names = fc.constantFrom('data.csv', 'data.xlsx', 'data.txt', 'data', 'data.xls');

const cellText = fc.oneof(
  fc.constantFrom('合计', '合 计', '小计', '其中：', '注：来源', '2011', '2011年', 'FY2012', '"', '""', ',', ';', '\t', '|', '\r\n', '\n', '\r',
    '1,234', '12,5', '－5', '(3)', '#DIV/0!', '约7000', '近1亿元', '', ' ', '\ufeff', '\u0000', 'Côte', '武进'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer({ min: -100000, max: 100000 }).map(String),
);

const csvText = fc
  .tuple(
    fc.array(fc.array(cellText, { maxLength: 8 }), { maxLength: 25 }),
    fc.constantFrom(',', ';', '\t', '|'),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
  )
  .map(([rows, d, nl, quote]) => rows.map((r) => r.map((c) => (quote ? `"${c}"` : c)).join(d)).join(nl));

describe('reading never fails with anything but a coded error', () => {
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), names, async (bytes, fileName) => {
        await withinTime(readAll({ buffer: Buffer.from(bytes), fileName }));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes behind a ZIP signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom<'load' | 'stream'>('load', 'stream'), async (bytes, xlsxMode) => {
        const buffer = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(bytes)]);
        const code = await withinTime(readAll({ buffer, fileName: 'book.xlsx', xlsxMode }));
        expect(code).not.toBe('ok');
      }),
      { numRuns: 100 },
    );
  });

  it('random text in any encoding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 2000 }),
        fc.constantFrom('utf8', 'utf8-bom', 'gb18030', 'utf16le-bom'),
        names,
        async (text, enc, fileName) => {
          const buffer =
            enc === 'utf8'
              ? Buffer.from(text)
              : enc === 'utf8-bom'
                ? Buffer.from(`\ufeff${text}`)
                : enc === 'gb18030'
                  ? iconv.encode(text, 'gb18030')
                  : Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
          await withinTime(readAll({ buffer, fileName }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random CSV-like tables', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.constantFrom('utf8', 'gbk'), async (text, enc) => {
        const buffer = enc === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text);
        await withinTime(readAll({ buffer, fileName: 'table.csv' }));
      }),
      { numRuns: 400 },
    );
  });

  it('value parsers take any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), cellText), fc.constantFrom<'.' | ','>('.', ','), (s, decimal) => {
        const n = parseNumber(s, { decimal });
        expect(n.value === null || Number.isFinite(n.value)).toBe(true);
        if (n.value === null && n.issue) expect(n.issue.severity).toBe('error');
        const d = parseDate(s);
        expect(d.value === null || /^\d{4}(-\d{2}(-\d{2})?)?$/.test(d.value)).toBe(true);
        const y = parseYear(s);
        expect(y.value === null || (y.value >= 1900 && y.value <= 2100)).toBe(true);
        expect(normaliseName(normaliseName(s))).toBe(normaliseName(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the totals check finds exactly the changed total', () => {
  const table = fc.record({
    values: fc.array(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 15 }),
    delta: fc.integer({ min: 1, max: 999 }),
    pick: fc.nat(),
  });

  it('in random district × year tables', async () => {
    await fc.assert(
      fc.asyncProperty(table, async ({ values, delta, pick }) => {
        const years = Math.min(...values.map((r) => r.length));
        const body = values.map((r) => r.slice(0, years));
        const header = ['辖区', ...Array.from({ length: years }, (_, i) => String(2011 + i)), '合计'];
        const rows = body.map((r, i) => [`区${i}`, ...r.map(String), String(r.reduce((a, b) => a + b, 0))]);
        const columnTotals = Array.from({ length: years + 1 }, (_, c) => rows.reduce((a, r) => a + Number(r[c + 1]), 0));
        rows.push(['合计', ...columnTotals.map(String)]);
        const csv = (t: string[][]) => Buffer.from([header, ...t].map((r) => r.join(',')).join('\r\n'));

        const clean = await readTable({ buffer: csv(rows), fileName: 't.csv' });
        for await (const _ of clean.rows) {
          // read to the end
        }
        expect(clean.issues.filter((i) => i.code === 'TOTAL_MISMATCH')).toEqual([]);

        // Change one stated total: a row's 合计, a 合计-row figure, or the grand total.
        const totalCells: [number, number][] = [
          ...rows.slice(0, -1).map((_, i): [number, number] => [i, years + 1]),
          ...Array.from({ length: years + 1 }, (_, c): [number, number] => [rows.length - 1, c + 1]),
        ];
        const [r, c] = totalCells[pick % totalCells.length];
        const changed = rows.map((row) => [...row]);
        changed[r][c] = String(Number(changed[r][c]) + delta);
        const t = await readTable({ buffer: csv(changed), fileName: 't.csv' });
        for await (const _ of t.rows) {
          // read to the end
        }
        const found = t.issues.filter((i) => i.code === 'TOTAL_MISMATCH');
        expect(found.map((i) => [i.row, i.column])).toEqual([[r + 2, c]]);
      }),
      { numRuns: 150 },
    );
  });
});
