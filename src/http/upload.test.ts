/**
 * Uploads (issue 21): files go to a temporary folder, not memory, and the folder is gone when
 * the request ends — after success, a refusal, or a client that hangs up mid-upload; a user has
 * at most two uploads running; and every route that takes a file refuses the files built to
 * exhaust the server (a whole-sheet merged range, zip bombs, too many rows) with a coded,
 * bilingual answer, writing nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { STORES } from '../../test/stores.ts';
import { sessionCookie } from '../modules/auth/auth.testing.ts';
import { bombWorkbook, mergedWorkbook, smallWorkbook } from '../modules/imports/read/fixtures.ts';

const GII_YAML = path.resolve(import.meta.dirname, '../modules/indicators/builtin/gii-partner-innovation.yaml');
const BOUNDARY = '----innolinkupload';
const head = (name: string) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
const HEADERS = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

function multipart(name: string, content: Buffer | string) {
  return { payload: Buffer.concat([head(name), Buffer.from(content), tail]), headers: HEADERS };
}

/** An upload whose body is still arriving: `finish` sends the rest, `abort` hangs up. */
function slowUpload(app: TestApp['app'], url: string, name: string, content: string, cookie?: string) {
  const body = new PassThrough();
  body.write(head(name));
  body.write(content.slice(0, 10));
  const reply = app.inject({ method: 'POST', url, payload: body, headers: { ...HEADERS, ...(cookie ? { cookie } : {}) } } as InjectOptions);
  return {
    reply: reply as Promise<LightMyRequestResponse>,
    finish: () => body.end(Buffer.concat([Buffer.from(content.slice(10)), tail])),
    abort: () => body.destroy(new Error('the client hung up')),
  };
}

const PROJECTS = '项目编号,项目名称,辖市区\nUP-1,上传测试项目,新北\n';
const IMPORT = `/api/imports?kind=projects&dryRun=true&region=${encodeURIComponent('常州')}`;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(STORES)('uploads on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  const inDir = () => fs.readdirSync(dir);
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-upload-test-'));
    t = await testApp(kind, { INNOLINK_UPLOAD_DIR: dir, INNOLINK_MAX_IMPORT_BYTES: String(200_000) });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes an upload to a folder of its own while the request runs, and removes it after', async () => {
    const slow = slowUpload(t.app, IMPORT, 'projects.csv', PROJECTS);
    await until(() => inDir().length === 1, 'the upload folder');
    const [folder] = inDir();
    expect(folder).toMatch(/^innolink-upload-/);
    slow.finish();
    const res = await slow.reply;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, rows: { read: 1 } });
    expect(inDir()).toEqual([]);
  });

  it('removes the folder when the client hangs up mid-upload, and when the service refuses the file', async () => {
    const slow = slowUpload(t.app, IMPORT, 'projects.csv', PROJECTS);
    await until(() => inDir().length === 1, 'the upload folder');
    slow.abort();
    await slow.reply.catch(() => undefined);
    await until(() => inDir().length === 0, 'the folder to be removed');

    const refused = await t.app.inject({ method: 'POST', url: '/api/indicators/frameworks/import?key=broken', ...multipart('broken.yaml', 'nodes: [') });
    expect(refused.statusCode).toBe(422);
    expect(inDir()).toEqual([]);
  });

  it('refuses a file over the size limit with 413 PAYLOAD_TOO_LARGE, keeping nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: IMPORT, ...multipart('big.csv', `项目编号,项目名称\n${'UP-2,很大的文件\n'.repeat(20_000)}`) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '文件过大（上限 0.2 MB）' });
    expect(res.json().error.message_en).toContain('too large');
    expect(inDir()).toEqual([]);
  });

  it('lets a user run two uploads at once; the third is refused with 429 TOO_MANY_UPLOADS, other users are not', async () => {
    const first = slowUpload(t.app, IMPORT, 'a.csv', PROJECTS);
    const second = slowUpload(t.app, IMPORT, 'b.csv', PROJECTS);
    await until(() => inDir().length === 2, 'two uploads under way');

    const third = await t.app.inject({ method: 'POST', url: IMPORT, ...multipart('c.csv', PROJECTS) });
    expect(third.statusCode).toBe(429);
    expect(third.json().error).toMatchObject({ code: 'TOO_MANY_UPLOADS', message: '您已有 2 个文件正在上传或处理，请等其完成后再上传' });
    expect(third.json().error.message_en).toContain('2 uploads');

    const { cookie } = await sessionCookie(t.store.db, { role: 'admin', username: `other-admin-${kind}` });
    const other = await t.app.inject({ method: 'POST', url: IMPORT, ...multipart('d.csv', PROJECTS), headers: { ...HEADERS, cookie } });
    expect(other.statusCode).toBe(200);

    first.finish();
    second.finish();
    expect((await first.reply).statusCode).toBe(200);
    expect((await second.reply).statusCode).toBe(200);
    // The slots are free again.
    expect((await t.app.inject({ method: 'POST', url: IMPORT, ...multipart('e.csv', PROJECTS) })).statusCode).toBe(200);
    expect(inDir()).toEqual([]);
  });
});

describe.each(STORES)('every route that takes a file, on %s, against the files of issue 21', (kind) => {
  let t: TestApp;
  let bomb: Buffer;
  let merged: Buffer;
  let rows50: Buffer;
  beforeAll(async () => {
    t = await testApp(kind, { INNOLINK_MAX_IMPORT_ROWS: '20', INNOLINK_MAX_IMPORT_BYTES: String(16 * 1024 * 1024) });
    [bomb, merged, rows50] = await Promise.all([bombWorkbook(1024), mergedWorkbook(['A2:XFD1048576']), smallWorkbook(50)]);
  });
  afterAll(async () => t?.close());

  const projects = async () => (await t.app.inject({ url: '/api/projects?pageSize=1' })).json().total as number;
  const upload = (url: string, name: string, content: Buffer) => t.app.inject({ method: 'POST', url, ...multipart(name, content) });

  it('POST /api/imports: reports the bomb and the rows over the limit as issues, writes nothing', async () => {
    const before = await projects();
    const url = `/api/imports?kind=projects&keepValid=true&region=${encodeURIComponent('常州')}`;
    const b = (await upload(url, 'projects.xlsx', bomb)).json();
    expect(b).toMatchObject({ ok: false, rows: { read: 0, imported: 0 } });
    expect(b.issues[0]).toMatchObject({ code: 'XLSX_COMPRESSION_RATIO_TOO_HIGH', severity: 'error' });
    expect(b.issues[0].message).toContain('倍');

    // 50 rows, 20 allowed: the rows before the limit are valid, and still nothing is kept.
    const r = (await upload(url, 'projects.xlsx', rows50)).json();
    expect(r).toMatchObject({ ok: false, rows: { imported: 0 } });
    expect(r.issues.map((i: { code: string }) => i.code)).toContain('IMPORT_TOO_MANY_ROWS');
    expect(await projects()).toBe(before);

    // The merged range is not expanded; the rows are read as stored (a dry run here).
    const m = (await upload(`/api/imports?kind=projects&dryRun=true&region=${encodeURIComponent('常州')}`, 'projects.xlsx', merged)).json();
    expect(m).toMatchObject({ ok: true, rows: { read: 3, imported: 3 } });
    expect(m.issues.map((i: { code: string }) => i.code)).toContain('XLSX_MERGE_TOO_LARGE');
    expect(await projects()).toBe(before);
  });

  it('POST /api/market/import: refuses the bomb and the rows over the limit, writes nothing', async () => {
    const count = async () => (await t.app.inject({ url: '/api/market/profiles?kind=offer' })).json().total as number;
    const before = await count();
    const b = await upload('/api/market/import?kind=offers', 'offers.xlsx', bomb);
    expect(b.statusCode).toBe(413);
    expect(b.json().error).toMatchObject({ code: 'XLSX_COMPRESSION_RATIO_TOO_HIGH' });
    const r = await upload('/api/market/import?kind=offers&keepValid=true', 'offers.xlsx', rows50);
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('IMPORT_TOO_MANY_ROWS');
    expect(await count()).toBe(before);
  });

  it('POST /api/indicators/frameworks/import and /datasets/import: refuse the bomb with a coded error', async () => {
    const f = await upload('/api/indicators/frameworks/import?key=bomb', 'framework.xlsx', bomb);
    expect(f.statusCode).toBe(413);
    expect(f.json().error).toMatchObject({ code: 'XLSX_COMPRESSION_RATIO_TOO_HIGH' });
    expect(f.json().error.message_en).toContain('xl/worksheets/sheet1.xml');
    const gii = await upload('/api/indicators/frameworks/import?key=gii_upload', 'gii.yaml', fs.readFileSync(GII_YAML));
    expect(gii.statusCode).toBe(201);
    const d = await upload(`/api/indicators/datasets/import?framework=${gii.json().id}&name=bomb`, 'data.xlsx', bomb);
    expect(d.statusCode).toBe(413);
    expect(d.json().error).toMatchObject({ code: 'XLSX_COMPRESSION_RATIO_TOO_HIGH' });
  });

  it('POST /api/plans/import: reports the bomb as the file’s issue, creates no plan', async () => {
    const plans = async () => (await t.app.inject({ url: '/api/plans' })).json();
    const before = JSON.stringify(await plans());
    const res = await upload(`/api/plans/import?region=${encodeURIComponent('常州')}&name=${encodeURIComponent('炸弹计划')}`, 'targets.xlsx', bomb);
    expect(res.statusCode).toBe(200);
    expect(res.json().ok).toBe(false);
    expect(res.json().issues[0]).toMatchObject({ code: 'XLSX_COMPRESSION_RATIO_TOO_HIGH' });
    // Rows past the limit are found while the file is read: the same kind of answer.
    const targets = `指标,目标值,目标年份\n${Array.from({ length: 30 }, (_, i) => `指标${i},${i + 1},2027`).join('\n')}\n`;
    const long = await upload(`/api/plans/import?region=${encodeURIComponent('常州')}&name=${encodeURIComponent('长计划')}`, 'targets.csv', Buffer.from(targets));
    expect(long.statusCode).toBe(200);
    expect(long.json()).toMatchObject({ ok: false, plan: null });
    expect(long.json().issues[0]).toMatchObject({ code: 'IMPORT_TOO_MANY_ROWS', row: 21 });
    expect(JSON.stringify(await plans())).toBe(before);
  });
});

// The store plays no part here: one is enough.
describe('an upload is not held in memory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('pglite', { INNOLINK_MAX_IMPORT_BYTES: String(512 * 1024 * 1024) });
  });
  afterAll(async () => t?.close());

  it('receives 256 MB with buffers growing by far less (read whole, as before, they grew by all of it)', async () => {
    const MB = 1024 * 1024;
    async function* body() {
      yield head('big.xlsx');
      // Not a workbook (zeros): refused once it is on disk, after the whole upload was received.
      for (let i = 0; i < 256; i++) yield Buffer.alloc(MB);
      yield tail;
    }
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    const res = await t.app.inject({ method: 'POST', url: IMPORT, payload: Readable.from(body()), headers: HEADERS } as InjectOptions);
    clearInterval(sampler);
    expect(res.json()).toMatchObject({ ok: false });
    expect(res.json().issues[0].code).toBe('FILE_FORMAT_UNKNOWN');
    // Chunks received and written wait for the garbage collector: some tens of MB at a time.
    expect((peak - before) / MB).toBeLessThan(128);
  });
});
