import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { REGISTRIES } from './defs.ts';

describe.each(STORES)('registry API on %s', (kind) => {
  let t: TestApp;
  let changzhou: number;
  let xinbei: number;
  beforeAll(async () => {
    t = await testApp(kind);
    const rows = await t.store.db.query<{ id: number; short_name: string }>(
      `SELECT id, short_name FROM admin_regions WHERE short_name IN ('常州', '新北') AND level IN ('city', 'district') AND path LIKE '/%'`,
    );
    changzhou = rows.find((r) => r.short_name === '常州')!.id;
    xinbei = rows.find((r) => r.short_name === '新北')!.id;
  });
  afterAll(async () => t?.close());

  describe('POST /api/projects', () => {
    it('creates a project and reads it back', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/projects',
        payload: { code: 'CZ-2013-001', title_zh: '超临界流体药物结晶技术的联合开发', level: 'municipal', region_id: xinbei, start_date: '2013-01-01', end_date: '2015-12-31' },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ code: 'CZ-2013-001', region_name: '新北', level: 'municipal' });
      const get = await t.app.inject({ url: `/api/projects/${body.id}` });
      expect(get.statusCode).toBe(200);
      expect(get.json()).toMatchObject({ id: body.id, partners: [], funding: [], outputs: [] });
    });

    it('refuses a body of the wrong shape with the failing fields', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: 42, level: 'galactic', extra: 1 } });
      expect(res.statusCode).toBe(400);
      const err = res.json().error;
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.message).toMatch(/[\u4e00-\u9fff]/);
      expect(err.message_en).toBeTruthy();
      expect(err.requestId).toBeTruthy();
    });

    it('refuses a project without any title, and an end before its start', async () => {
      const a = await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: 'X-1' } });
      expect(a.statusCode).toBe(400);
      expect(a.json().error.details[0].code).toBe('NAME_REQUIRED');
      const b = await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: 'X-2', title_en: 'x', start_date: '2020-01-01', end_date: '2019-01-01' } });
      expect(b.json().error.details[0].code).toBe('PERIOD_INVALID');
    });

    it('answers a duplicate code with 409 and an unknown region with 400', async () => {
      const dup = await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: 'CZ-2013-001', title_zh: '重复' } });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.code).toBe('DUPLICATE');
      const ref = await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: 'X-3', title_zh: '某项目', region_id: 99999999 } });
      expect(ref.statusCode).toBe(400);
      expect(ref.json().error.code).toBe('REFERENCE_NOT_FOUND');
    });

    it('answers malformed JSON with INVALID_JSON', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/projects', headers: { 'content-type': 'application/json' }, payload: '{"code": ' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_JSON');
    });
  });

  describe('GET /api/projects', () => {
    beforeAll(async () => {
      const titles = ['用于煤矿的无线传感器网络（WSN）', '光伏电池金属电极激光转印系统印刷线技术合作开发项目', 'Wireless sensor networks for smart farming'];
      for (const [i, title] of titles.entries()) {
        const payload = /[\u4e00-\u9fff]/.test(title) ? { title_zh: title } : { title_en: title };
        const res = await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: `S-${i}`, region_id: i === 0 ? xinbei : changzhou, ...payload } });
        expect(res.statusCode).toBe(201);
      }
    });

    it('finds projects by a Chinese keyword and by an English word form', async () => {
      const zh = (await t.app.inject({ url: `/api/projects?q=${encodeURIComponent('传感器')}` })).json();
      expect(zh.items.map((p: { code: string }) => p.code)).toEqual(['S-0']);
      const en = (await t.app.inject({ url: '/api/projects?q=network' })).json();
      expect(en.items.map((p: { code: string }) => p.code)).toEqual(['S-2']);
      const pv = (await t.app.inject({ url: `/api/projects?q=${encodeURIComponent('光伏电池')}` })).json();
      expect(pv.total).toBe(1);
      // A query cut differently from the record still finds it: 牛津大学 → 牛津 + 大学.
      await t.app.inject({ method: 'POST', url: '/api/organizations', payload: { name_zh: '英国牛津大学', domestic: false, country_iso3: 'GBR' } });
      const oxford = (await t.app.inject({ url: `/api/organizations?q=${encodeURIComponent('牛津大学')}` })).json();
      expect(oxford.items.map((o: { name_zh: string }) => o.name_zh)).toEqual(['英国牛津大学']);
    });

    it('finds a record in either spelling, British or American', async () => {
      const names = ['Paediatric Haemostasis Research Centre', 'Center for Organization Studies'];
      for (const name_en of names) expect((await t.app.inject({ method: 'POST', url: '/api/organizations', payload: { name_en, domestic: false, country_iso3: 'GBR' } })).statusCode).toBe(201);
      const found = async (q: string) => (await t.app.inject({ url: `/api/organizations?q=${encodeURIComponent(q)}` })).json().items.map((o: { name_en: string }) => o.name_en);
      expect(await found('pediatric hemostasis center')).toEqual([names[0]]);
      expect(await found('paediatric centre')).toEqual([names[0]]);
      expect(await found('centre for organisation')).toEqual([names[1]]);
      expect(await found('organization')).toEqual([names[1]]);
    });

    it('writes again, before a search, the vectors a tokenizer change cleared (migration 013)', async () => {
      // As migration 013 leaves an older store: every vector cleared, the records as they were.
      await t.store.db.query('UPDATE organizations SET search = NULL');
      await t.store.db.query('UPDATE projects SET search = NULL');
      const before = await t.store.db.query('SELECT id, name_en, updated_at FROM organizations ORDER BY id');
      const en = (await t.app.inject({ url: '/api/projects?q=network' })).json();
      expect(en.items.map((p: { code: string }) => p.code)).toEqual(['S-2']);
      const centre = (await t.app.inject({ url: '/api/organizations?q=centre' })).json();
      expect(centre.items.map((o: { name_en: string }) => o.name_en).sort()).toEqual(['Center for Organization Studies', 'Paediatric Haemostasis Research Centre']);
      const [left] = await t.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations WHERE search IS NULL');
      expect(left.n).toBe(0);
      // Only the vectors were written: no record changed.
      expect(await t.store.db.query('SELECT id, name_en, updated_at FROM organizations ORDER BY id')).toEqual(before);
    });

    it('pages, sorts and filters by region subtree', async () => {
      const page = (await t.app.inject({ url: '/api/projects?pageSize=2&page=2&sort=code&order=desc' })).json();
      expect(page.total).toBe(4);
      expect(page.items.map((p: { code: string }) => p.code)).toEqual(['S-0', 'CZ-2013-001']);
      const inCity = (await t.app.inject({ url: `/api/projects?region_id=${changzhou}` })).json();
      expect(inCity.total).toBe(4); // Xinbei lies inside Changzhou
      const inXinbei = (await t.app.inject({ url: `/api/projects?region_id=${xinbei}` })).json();
      expect(inXinbei.total).toBe(2);
    });

    it('refuses unknown sort fields and bad page sizes', async () => {
      expect((await t.app.inject({ url: '/api/projects?sort=password' })).statusCode).toBe(400);
      expect((await t.app.inject({ url: '/api/projects?pageSize=100000' })).statusCode).toBe(400);
    });

    it('exports the filtered list as CSV and XLSX', async () => {
      const csv = await t.app.inject({ url: `/api/projects/export?format=csv&region_id=${changzhou}` });
      expect(csv.statusCode).toBe(200);
      const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toContain('项目编号 / Code');
      expect(lines).toHaveLength(5);
      const xlsx = await t.app.inject({ url: '/api/projects/export?format=xlsx' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets[0].rowCount).toBe(5);
    });
  });

  describe('PATCH and DELETE /api/projects/:id', () => {
    it('updates, refuses empty updates, deletes, then 404s', async () => {
      const created = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: 'D-1', title_zh: '临时项目' } })).json();
      const upd = await t.app.inject({ method: 'PATCH', url: `/api/projects/${created.id}`, payload: { title_en: 'Temporary project', status: 'active' } });
      expect(upd.statusCode).toBe(200);
      expect(upd.json()).toMatchObject({ title_en: 'Temporary project', status: 'active' });
      expect((await t.app.inject({ method: 'PATCH', url: `/api/projects/${created.id}`, payload: {} })).json().error.code).toBe('EMPTY_UPDATE');
      expect((await t.app.inject({ method: 'DELETE', url: `/api/projects/${created.id}` })).statusCode).toBe(204);
      const gone = await t.app.inject({ url: `/api/projects/${created.id}` });
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.code).toBe('NOT_FOUND');
      expect((await t.app.inject({ url: '/api/projects/abc' })).statusCode).toBe(400);
    });
  });

  describe('POST /api/projects/:id/partners', () => {
    it('adds an organisation with its country, lists it on the project, and removes it', async () => {
      const org = (await t.app.inject({ method: 'POST', url: '/api/organizations', payload: { name_en: 'University of Oxford', domestic: false, type: 'university', country_iso3: 'gbr' } })).json();
      expect(org.country_iso3).toBe('GBR');
      const p = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { code: 'P-OX', title_zh: '超临界流体结晶联合研发' } })).json();
      const add = await t.app.inject({ method: 'POST', url: `/api/projects/${p.id}/partners`, payload: { org_id: org.id } });
      expect(add.statusCode).toBe(201);
      expect(add.json()).toEqual([expect.objectContaining({ org_name: 'University of Oxford', country_iso3: 'GBR', country_name_zh: '英国', role: 'partner' })]);
      const detail = (await t.app.inject({ url: `/api/projects/${p.id}` })).json();
      expect(detail.partner_countries).toBe('GBR');
      expect((await t.app.inject({ method: 'POST', url: `/api/projects/${p.id}/partners`, payload: { org_id: org.id } })).statusCode).toBe(409);
      expect((await t.app.inject({ method: 'POST', url: `/api/projects/${p.id}/partners`, payload: {} })).json().error.details[0].code).toBe('PARTNER_EMPTY');
      expect((await t.app.inject({ method: 'DELETE', url: `/api/projects/${p.id}/partners/${add.json()[0].id}` })).statusCode).toBe(204);
      expect((await t.app.inject({ url: `/api/projects/${p.id}/partners` })).json()).toEqual([]);
      expect((await t.app.inject({ url: '/api/projects/999999/partners' })).statusCode).toBe(404);
    });
  });

  describe('every registry', () => {
    it.each(Object.keys(REGISTRIES))('lists %s and appears in the OpenAPI document', async (k) => {
      const res = await t.app.inject({ url: `/api/${k}` });
      expect(res.statusCode).toBe(200);
      const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
      expect(Object.keys(doc.paths)).toContain(`/api/${k}/{id}`);
    });
  });

  it('GET /api/health answers when the store is reachable', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok', store: kind });
  });
});
