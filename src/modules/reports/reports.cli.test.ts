/**
 * `innolink report region | plan`: the files written, the --json contract and the exit codes
 * (0 ok, 1 refused, 2 bad usage). The CLI opens its own store, so it runs against a server
 * database loaded with the seed tables and the demo plan.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/demo.ts';
import { testConfig } from '../../../test/app.ts';
import { seedRows } from '../../../test/seed.ts';
import { freshStore, type TestStore } from '../../../test/stores.ts';
import { DEMO_PLAN_NAME, loadDemoPlan } from '../plans/plans.demo.ts';
import { pdfText } from './pdf/pdf.testing.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('innolink report (CLI)', () => {
  let store: TestStore;
  let plan: number;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-report-cli-'));
  beforeAll(async () => {
    store = await freshStore('postgres');
    await loadDemo(store.db, testConfig());
    plan = (await loadDemoPlan(store.db, testConfig())).plan!;
  });
  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    // json(): the parsed contract under test, read freely by the assertions.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    new Promise<{ code: number; stdout: string; stderr: string; json: () => any }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/innolink.mjs', 'report', ...args],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' }, timeout: 90_000 },
        (err, stdout, stderr) => {
          const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
          resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
        },
      );
    });

  it('report region … --format xlsx --out FILE --json writes the workbook and prints one JSON object', async () => {
    const out = path.join(dir, 'changzhou.xlsx');
    const r = await cli('region', '--region', '常州', '--from', '2011', '--to', '2014', '--format', 'xlsx', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const body = r.json();
    expect(Object.keys(body)).toEqual(['ok', 'kind', 'format', 'file', 'file_name', 'bytes', 'pages', 'sheets']);
    expect(body).toMatchObject({ ok: true, kind: 'region', format: 'xlsx', file: out, file_name: '常州地区报告_2011–2014.xlsx', pages: null });
    expect(fs.statSync(out).size).toBe(body.bytes);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(body.sheets);
    const ws = wb.getWorksheet('按年份 By year')!;
    const total = seedRows('changzhou_district_funding_2011_2014.csv').find((x) => x['辖区'] === '合计')!;
    const amounts = [2, 3, 4, 5].map((i) => ws.getRow(i).getCell(2).value);
    expect(amounts).toEqual(['2011', '2012', '2013', '2014'].map((y) => Number(total[y])));
  });

  it('report plan PLAN --as-of DATE --out FILE.pdf --json writes the quarterly report (format from the extension)', async () => {
    const out = path.join(dir, 'plan.pdf');
    const r = await cli('plan', String(plan), '--as-of', '2025-06-30', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const body = r.json();
    expect(body).toMatchObject({ ok: true, kind: 'plan', format: 'pdf', file: out, sheets: null });
    expect(body.pages).toBeGreaterThanOrEqual(2);
    const text = pdfText(fs.readFileSync(out));
    expect(text).toContain('截至 2025-06-30');
    expect(text).toContain(DEMO_PLAN_NAME.slice(0, 10));
  });

  it('bad options exit 2 with their own code; an unknown region exits 1', async () => {
    const format = await cli('region', '--region', '常州', '--format', 'doc', '--json');
    expect(format.code).toBe(2);
    expect(format.json().error).toMatchObject({ code: 'FORMAT_UNKNOWN', message: expect.stringMatching(/[\u4e00-\u9fff]/), message_en: expect.any(String) });
    const period = await cli('region', '--region', '常州', '--from', '2015', '--to', '2012', '--json');
    expect(period.code).toBe(2);
    expect(period.json().error.code).toBe('PERIOD_INVALID');
    const unknown = await cli('region', '--region', '火星', '--out', path.join(dir, 'mars.pdf'), '--json');
    expect(unknown.code).toBe(1);
    expect(unknown.json().error.code).toBe('REGION_UNKNOWN');
    expect(fs.existsSync(path.join(dir, 'mars.pdf'))).toBe(false);
  });
});
