import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { seedPath, seedRows } from '../../../test/seed.ts';
import { STORES } from '../../../test/stores.ts';

const FILE = 'changzhou_district_funding_2011_2014.csv';

function multipart(name: string, content: Buffer) {
  const boundary = '----innolinktest';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(STORES)('imports API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(async () => t?.close());

  it('POST /api/imports imports an uploaded file, GET /api/query/funding sums it, undo takes it back', async () => {
    const up = await t.app.inject({ method: 'POST', url: `/api/imports?kind=funding&region=${encodeURIComponent('常州')}`, ...multipart(FILE, fs.readFileSync(seedPath(FILE))) });
    expect(up.statusCode).toBe(200);
    const result = up.json();
    expect(result).toMatchObject({ ok: true, kind: 'funding', rows: { read: 9, imported: 9, rejected: 0 } });
    expect(result.mapping.unpivoted_years).toEqual([2011, 2012, 2013, 2014]);

    const q = (await t.app.inject({ url: '/api/query/funding?by=year' })).json();
    const totals = seedRows(FILE).find((r) => r['辖区'] === '合计')!;
    expect(q.rows.map((r: { amount: number }) => r.amount)).toEqual(['2011', '2012', '2013', '2014'].map((y) => Number(totals[y])));

    const list = (await t.app.inject({ url: '/api/imports' })).json();
    expect(list.items[0]).toMatchObject({ id: result.import_id, status: 'done', rows_imported: 9 });
    const one = (await t.app.inject({ url: `/api/imports/${result.import_id}` })).json();
    expect(one.issues.map((i: { code: string }) => i.code)).toContain('REGION_ADDED');

    const undo = await t.app.inject({ method: 'POST', url: `/api/imports/${result.import_id}/undo` });
    expect(undo.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/query/funding?by=year' })).json().total).toBe(0);
    const again = await t.app.inject({ method: 'POST', url: `/api/imports/${result.import_id}/undo` });
    expect(again.statusCode).toBe(409);
  });

  it('refuses a request without a file, an unknown kind and unknown dimensions with coded errors', async () => {
    const noFile = await t.app.inject({ method: 'POST', url: '/api/imports?kind=funding', payload: {} });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.code).toBe('FILE_MISSING');
    const badKind = await t.app.inject({ method: 'POST', url: '/api/imports?kind=galaxies', ...multipart('x.csv', Buffer.from('a\n1\n')) });
    expect(badKind.statusCode).toBe(400);
    const dim = await t.app.inject({ url: '/api/query/funding?by=galaxy' });
    expect(dim.statusCode).toBe(400);
    expect(dim.json().error.code).toBe('QUERY_DIMENSION_UNKNOWN');
    expect((await t.app.inject({ url: '/api/imports/99999' })).statusCode).toBe(404);
  });
});
