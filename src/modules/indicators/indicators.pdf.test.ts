/**
 * PDF summary of an evaluation run: GET /api/indicators/runs/:id/export?format=pdf on both
 * stores (the GII 2022 example with a small uncertainty analysis), and `innolink eval export RUN
 * --out F.pdf` on an embedded store. The text (pdftotext) must carry the framework, version,
 * seed and the top units with the scores and rank intervals the API answers; every page has ink.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { sessionCookie } from '../auth/auth.testing.ts';
import { inkRatio, pdfText, renderPages } from '../reports/pdf/pdf.testing.ts';
import { formatNumber } from '../reports/reports.document.ts';
import { BUILTIN_DIR } from './indicators.demo.ts';
import { exportFormat } from './indicators.command.ts';

const execRun = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

function multipart(name: string, content: Buffer) {
  const boundary = '----innolinkindicatorspdf';
  return {
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A score as the PDF's number columns print it (up to two decimals), regex-escaped. */
const scoreRe = (x: number) => formatNumber(x, 2).replace('.', '\\.');

/** pdftotext output with whitespace collapsed (table cells and wrapped lines join with one space). */
const flat = (s: string) => s.replace(/\s+/g, ' ');

interface Unit {
  unit: string;
  name: string | null;
  score: number | null;
  rank: number | null;
  rank_interval: [number, number] | null;
  dimensions: Record<string, { score: number | null; rank: number | null }>;
}

describe.each(STORES)('PDF summary of a run on %s', (kind) => {
  let t: TestApp;
  const cookie: Record<string, string> = {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-evalpdf-'));
  let runId = 0;
  let units: Unit[] = [];

  beforeAll(async () => {
    t = await testApp(kind);
    for (const role of ['evaluator', 'bureau', 'public'] as const) {
      cookie[role] = (await sessionCookie(t.store.db, { role, username: `evpdf-${role}`, ...(role === 'bureau' ? { region: '常州' } : {}) })).cookie;
    }
    const fw = multipart('gii-partner-innovation.yaml', fs.readFileSync(path.join(BUILTIN_DIR, 'gii-partner-innovation.yaml')));
    const f = await t.app.inject({ method: 'POST', url: '/api/indicators/frameworks/import', headers: { ...fw.headers, cookie: cookie.evaluator }, payload: fw.payload });
    expect(f.statusCode, f.body).toBe(201);
    const data = multipart('gii_2022_pillars.csv', fs.readFileSync(path.join(BUILTIN_DIR, 'gii_2022_pillars.csv')));
    const d = await t.app.inject({ method: 'POST', url: `/api/indicators/datasets/import?framework=${f.json().id}&name=GII2022`, headers: { ...data.headers, cookie: cookie.evaluator }, payload: data.payload });
    expect(d.statusCode, d.body).toBe(201);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/indicators/runs',
      headers: { cookie: cookie.evaluator },
      payload: { framework_id: f.json().id, dataset_id: d.json().id, label: 'GII PDF', uncertainty: 100, perturb: 0.25, seed: 4242 },
    });
    expect(r.statusCode, r.body).toBe(201);
    runId = r.json().id;
    units = (await t.app.inject({ url: `/api/indicators/runs/${runId}`, headers: { cookie: cookie.bureau } })).json().units;
  }, 120_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('answers a PDF whose text has the framework, seed, and the top units with the API’s scores and rank intervals', async () => {
    const res = await t.app.inject({ url: `/api/indicators/runs/${runId}/export?format=pdf`, headers: { cookie: cookie.bureau } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`run-${runId}.pdf`);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = flat(pdfText(res.rawPayload));
    expect(text).toContain('综合评价结果摘要');
    expect(text).toContain('Composite evaluation summary');
    expect(text).toContain('gii-partner-innovation');
    expect(text).toContain('GII2022');
    expect(text).toContain('4242');
    const ranked = units.filter((u) => u.rank !== null).sort((a, b) => a.rank! - b.rank!);
    expect(ranked.length).toBe(units.length);
    // The ranking table: "rank unit name score median [lo, hi]" for the top five, as the API answers them.
    for (const u of ranked.slice(0, 5)) {
      expect(u.rank_interval).not.toBeNull();
      const row = new RegExp(`${u.rank} ${u.unit} .{0,80}?${scoreRe(u.score!)} [0-9.]+ \\[${u.rank_interval![0]}, ${u.rank_interval![1]}\\]`);
      expect(text).toMatch(row);
    }
    // The bottom unit is in the ranking table too.
    const last = ranked[ranked.length - 1];
        expect(text).toMatch(new RegExp(`${last.rank} ${last.unit} .{0,80}?${scoreRe(last.score!)} `));
    // Dimension scores: the first unit's input and output sub-index scores with their ranks.
    for (const d of ['INPUT', 'OUTPUT']) {
      const x = ranked[0].dimensions[d];
      expect(text).toContain(`${x.score!.toFixed(2)} (${x.rank})`);
    }
    expect(text).toContain('创新投入次级指数');
    // Method choices and the uncertainty note, in both languages.
    expect(text).toContain('goalposts');
    expect(text).toContain('100 次蒙特卡洛模拟');
    expect(text).toMatch(/100 Monte-?Carlo replications/);

    const pages = renderPages(res.rawPayload, path.join(dir, kind));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const png of pages) expect(inkRatio(png), png).toBeGreaterThan(0.003);
  }, 60_000);

  it('keeps XLSX as the default, refuses an unknown format and the public', async () => {
    const xlsx = await t.app.inject({ url: `/api/indicators/runs/${runId}/export`, headers: { cookie: cookie.bureau } });
    expect([xlsx.statusCode, xlsx.headers['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    const bad = await t.app.inject({ url: `/api/indicators/runs/${runId}/export?format=docx`, headers: { cookie: cookie.bureau } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const pub = await t.app.inject({ url: `/api/indicators/runs/${runId}/export?format=pdf`, headers: { cookie: cookie.public } });
    expect([pub.statusCode, pub.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const missing = await t.app.inject({ url: '/api/indicators/runs/999999/export?format=pdf', headers: { cookie: cookie.bureau } });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'RUN_NOT_FOUND']);
  });
});

describe('innolink eval export --out F.pdf', () => {
  it('chooses the format from --format or the file extension', () => {
    expect(exportFormat('a.PDF', undefined)).toBe('pdf');
    expect(exportFormat('a.xlsx', undefined)).toBe('xlsx');
    expect(exportFormat('a.bin', 'pdf')).toBe('pdf');
    expect(() => exportFormat('a.pdf', 'doc')).toThrow(/xlsx or pdf/);
  });

  it('writes the PDF summary of a saved run from the CLI', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-evalpdf-cli-'));
    const out = path.join(data, 'run.pdf');
    const cli = async (...args: string[]) => {
      const { stdout } = await execRun(process.execPath, ['bin/innolink.mjs', 'eval', ...args], { cwd: ROOT, env: { ...process.env, INNOLINK_DEMO: '0', INNOLINK_DATA: data, DATABASE_URL: '' }, timeout: 180_000 });
      return JSON.parse(stdout);
    };
    try {
      const saved = await cli('run', '--framework', path.join(BUILTIN_DIR, 'gii-partner-innovation.yaml'), '--data', path.join(BUILTIN_DIR, 'gii_2022_pillars.csv'), '--save', '--json');
      const top = saved.units.slice(0, 3) as { unit: string; score: number }[];
      const r = await cli('export', String(saved.diagnostics.saved.run), '--out', out, '--json');
      expect(r).toMatchObject({ run: saved.diagnostics.saved.run, file: out, format: 'pdf', bytes: fs.statSync(out).size });
      expect(r.pages).toBeGreaterThanOrEqual(3);
      const text = flat(pdfText(fs.readFileSync(out)));
      for (const u of top) expect(text).toMatch(new RegExp(`${u.unit} .{0,80}?${scoreRe(u.score)}`));
      expect(text).toContain('本次运行未做不确定性分析');
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  }, 240_000);
});
