import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../../test/access-fixtures.ts';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { sessionCookie } from '../auth/auth.testing.ts';
import { registryService } from '../registry/registry.service.ts';
import { REGISTRIES } from '../registries/defs.ts';
import { systemActor } from '../../actor.ts';
import { EN_DESCRIPTIONS } from './engine/fixtures.ts';
import { config, seedProjects } from './market.fixture.ts';

const HAN = /[\u4e00-\u9fff]/;

describe.each(STORES)('market API on %s', (kind) => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  let orgId: number;
  let demand: number;
  let offer: number;
  const as = (who: string, opts: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> }) =>
    t.app.inject({ method: opts.method ?? 'GET', url: opts.url, payload: opts.payload as object, headers: { ...opts.headers, cookie: cookies[who] } });

  beforeAll(async () => {
    t = await testApp(kind);
    const [xinbei] = await t.store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '新北' AND level = 'district'`);
    const ops = { db: t.store.db, actor: systemActor('test'), config: config() };
    orgId = Number((await registryService(REGISTRIES.organizations).create(ops, { name_zh: '常州天合光电科技有限公司', domestic: true, region_id: xinbei.id })).id);
    cookies.admin = t.cookie;
    cookies.org = (await sessionCookie(t.store.db, { role: 'organization', org: orgId })).cookie;
    cookies.district = (await sessionCookie(t.store.db, { role: 'district', region: Number(xinbei.id) })).cookie;
    cookies.visitor = (await sessionCookie(t.store.db, { role: 'public' })).cookie;
  });
  afterAll(async () => t?.close());

  describe('POST /api/market/profiles and the workflow routes', () => {
    it('creates a draft (201) for the organisation; submit, review, history', async () => {
      const res = await as('org', { method: 'POST', url: '/api/market/profiles', payload: { kind: 'demand', title_zh: seedProjects()[7].title, cooperation: ['technical_service'], trl: 5 } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ kind: 'demand', status: 'draft', status_zh: '草稿', org: { id: orgId } });
      demand = res.json().id;
      expect((await as('org', { method: 'POST', url: `/api/market/profiles/${demand}/submit` })).json().status).toBe('submitted');
      const reviewed = await as('district', { method: 'POST', url: `/api/market/profiles/${demand}/review`, payload: { decision: 'approve' } });
      expect(reviewed.statusCode).toBe(200);
      expect(reviewed.json().status).toBe('published');
      const history = (await as('org', { url: `/api/market/profiles/${demand}/history` })).json().items;
      expect(history.map((h: { action: string }) => h.action)).toEqual(['create', 'submit', 'approve']);
      const o = await as('admin', { method: 'POST', url: '/api/market/profiles', payload: { kind: 'offer', title_en: EN_DESCRIPTIONS[7], country_iso3: 'isr' } });
      offer = o.json().id;
      expect(o.json().country_iso3).toBe('ISR');
      await as('admin', { method: 'POST', url: `/api/market/profiles/${offer}/submit` });
      await as('admin', { method: 'POST', url: `/api/market/profiles/${offer}/review`, payload: { decision: 'approve' } });
    });

    it('answers 401 without a session, 400 on bad input, 403 for roles that may not write, 404 outside scope, 409 on the wrong status', async () => {
      const anon = await t.anon({ url: '/api/market/profiles' });
      expect(anon.statusCode).toBe(401);
      expect(anon.json().error.code).toBe('UNAUTHENTICATED');
      const bad = await as('org', { method: 'POST', url: '/api/market/profiles', payload: { kind: 'offer', title_en: 'x', trl: 12 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(HAN), message_en: expect.any(String) });
      const noTitle = await as('org', { method: 'POST', url: '/api/market/profiles', payload: { kind: 'offer' } });
      expect(noTitle.json().error.code).toBe('VALIDATION_FAILED');
      const forbidden = await as('visitor', { method: 'POST', url: '/api/market/profiles', payload: { kind: 'offer', title_en: 'x' } });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().error.code).toBe('FORBIDDEN');
      const draft = (await as('admin', { method: 'POST', url: '/api/market/profiles', payload: { kind: 'offer', title_en: 'draft of the operator' } })).json().id;
      const hidden = await as('visitor', { url: `/api/market/profiles/${draft}` });
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().error).toMatchObject({ code: 'MARKET_PROFILE_NOT_FOUND', message: expect.stringMatching(HAN) });
      expect((await as('org', { url: '/api/market/profiles/abc' })).statusCode).toBe(400);
      const wrong = await as('org', { method: 'DELETE', url: `/api/market/profiles/${demand}` });
      expect(wrong.statusCode).toBe(409);
      expect(wrong.json().error.code).toBe('MARKET_PROFILE_STATUS');
      const review = await as('org', { method: 'POST', url: `/api/market/profiles/${draft}/review`, payload: { decision: 'approve' } });
      expect(review.statusCode).toBe(404);
    });
  });

  describe('GET/POST /api/market/match, GET /api/market/profiles/:id/matches', () => {
    it('matches a Chinese text to the English offer in the contract shape', async () => {
      const res = await as('visitor', { url: `/api/market/match?text=${encodeURIComponent('煤矿无线传感器网络')}&kind=offers&top=3` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body)).toEqual(['results']);
      expect(body.results[0]).toMatchObject({ kind: 'offer', id: String(offer), title: EN_DESCRIPTIONS[7] });
      expect(Object.keys(body.results[0])).toEqual(['kind', 'id', 'title', 'score', 'reasons']);
      const post = await as('visitor', { method: 'POST', url: '/api/market/match', payload: { text: '煤矿无线传感器网络', kind: 'offers' } });
      expect(post.json()).toEqual(body);
    });

    it('the matches of a stored demand are recorded as shown (the top of the funnel)', async () => {
      const res = await as('org', { url: `/api/market/profiles/${demand}/matches?kind=offers` });
      expect(res.statusCode).toBe(200);
      expect(res.json().results[0].id).toBe(String(offer));
      const [shown] = await t.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM market_matches_shown WHERE profile_id = $1', [demand]);
      expect(Number(shown.n)).toBe(res.json().results.length);
    });

    it('refuses bad match queries with coded errors', async () => {
      const cases: [string, number, string][] = [
        ['/api/market/match', 400, 'MARKET_QUERY_REQUIRED'],
        [`/api/market/match?text=${encodeURIComponent('🙂')}`, 400, 'MARKET_QUERY_EMPTY'],
        ['/api/market/match?text=laser&kind=planets', 400, 'VALIDATION_FAILED'],
        ['/api/market/match?text=laser&top=1000', 400, 'VALIDATION_FAILED'],
        ['/api/market/match?text=laser&trl_min=8&trl_max=2', 400, 'MARKET_TRL_RANGE'],
        [`/api/market/match?demand=${offer}`, 400, 'MARKET_PROFILE_KIND'],
        ['/api/market/match?demand=987654', 404, 'MARKET_PROFILE_NOT_FOUND'],
        ['/api/market/match?text=laser&galaxy=1', 400, 'VALIDATION_FAILED'],
      ];
      for (const [url, status, code] of cases) {
        const res = await as('org', { url });
        expect(res.statusCode, url).toBe(status);
        expect(res.json().error.code, url).toBe(code);
      }
      const huge = await as('org', { method: 'POST', url: '/api/market/match', payload: { text: 'x'.repeat(30_000) } });
      expect(huge.statusCode).toBe(400);
    });
  });

  describe('GET /api/market/profiles (q, sort, order) and GET /api/market/profiles/export', () => {
    const ids = (items: { id: number }[]) => items.map((p) => p.id);

    it('searches and sorts on the server; refuses a bad order with a coded error', async () => {
      const all = (await as('visitor', { url: '/api/market/profiles?pageSize=200' })).json();
      const hit = await as('visitor', { url: `/api/market/profiles?q=${encodeURIComponent('wireless sensor')}` });
      expect(hit.statusCode).toBe(200);
      expect(ids(hit.json().items)).toEqual(ids(all.items.filter((p: { title_en: string | null }) => /wireless/i.test(p.title_en ?? '') && /sensor/i.test(p.title_en ?? ''))));
      expect(ids(hit.json().items)).toContain(offer);
      const zh = await as('visitor', { url: `/api/market/profiles?q=${encodeURIComponent('传感器 网络')}` });
      expect(ids(zh.json().items)).toEqual(ids(all.items.filter((p: { title_zh: string | null }) => (p.title_zh ?? '').includes('传感器') && (p.title_zh ?? '').includes('网络'))));
      const sorted = (await as('admin', { url: '/api/market/profiles?sort=created_at&order=asc&pageSize=200' })).json().items;
      expect(ids(sorted)).toEqual([...ids(sorted)].sort((a, b) => a - b));
      for (const url of ['/api/market/profiles?sort=colour', '/api/market/profiles?order=up', '/api/market/profiles/export?format=pdf', `/api/market/profiles?q=${'x'.repeat(201)}`]) {
        const res = await as('org', { url });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(HAN), message_en: expect.any(String) });
      }
      expect((await t.anon({ url: '/api/market/profiles/export' })).statusCode).toBe(401);
    });

    it('exports exactly the filtered, searched and sorted list as CSV (BOM, 中文 / English headers) and XLSX, as each user sees it', async () => {
      const query = 'sort=status&order=desc';
      for (const who of ['admin', 'visitor', 'org']) {
        const list = (await as(who, { url: `/api/market/profiles?${query}&pageSize=200` })).json();
        const res = await as(who, { url: `/api/market/profiles/export?${query}&format=csv` });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/csv');
        expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="market-profiles-\d{4}-\d{2}-\d{2}\.csv"/);
        expect(res.body.startsWith('\uFEFF')).toBe(true);
        const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
        expect(rows.map((r) => Number(r.ID)), who).toEqual(ids(list.items));
        expect(rows.map((r) => r['状态 / Status'])).toEqual(list.items.map((p: { status: string }) => p.status));
        expect(rows.map((r) => r['中文标题 / Title (Chinese)'])).toEqual(list.items.map((p: { title_zh: string | null }) => p.title_zh ?? ''));
      }
      // The operator's draft is in the administrator's export, never in the public user's.
      const draft = ids((await as('admin', { url: '/api/market/profiles?status=draft' })).json().items)[0];
      const visitorCsv = (await as('visitor', { url: '/api/market/profiles/export?format=csv' })).body;
      expect((parse(visitorCsv, { bom: true, columns: true }) as Record<string, string>[]).map((r) => Number(r.ID))).not.toContain(draft);
      const xlsx = await as('visitor', { url: `/api/market/profiles/export?kind=offer&q=wireless` });
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0];
      expect(sheet.name).toBe('技术成果');
      const list = (await as('visitor', { url: `/api/market/profiles?kind=offer&q=wireless` })).json();
      expect(list.total).toBeGreaterThan(0);
      expect(sheet.rowCount - 1).toBe(list.total);
      expect(Number(sheet.getRow(2).getCell(1).value)).toBe(list.items[0].id);
    });
  });

  describe('POST /api/market/import', () => {
    const file = (rows: string[][], name = 'profiles.csv') => multipart([[name, `${rows.map((r) => r.join(',')).join('\n')}\n`]]);
    const future = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    const header = ['需求名称', '技术领域', '合作方式', '国别', '有效期至'];
    const good = seedProjects().slice(24, 27).map((p) => [p.title, p.industry, '联合研发', p.country, future]);
    const wrong = ['车用雨量感应控制', '汽车', '技术许可', '火星', future];
    const count = async () => Number((await t.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM market_profiles'))[0].n);

    it('dry-runs, refuses and keeps the valid rows of a demands file, in the reply of POST /api/imports, with the coded row error', async () => {
      const before = await count();
      const dry = await as('org', { method: 'POST', url: '/api/market/import?kind=demands&dryRun=true&keepValid=true', ...file([header, ...good, wrong]) });
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toMatchObject({ ok: true, kind: 'demands', dry_run: true, rows: { read: good.length + 1, imported: good.length, rejected: 1 } });
      expect(dry.json().issues).toEqual([
        { row: good.length + 2, column: '国别', code: 'COUNTRY_UNRESOLVED', severity: 'error', message: expect.stringMatching(HAN), message_en: expect.stringContaining('Unknown country') },
      ]);
      expect(await count()).toBe(before);
      const refused = await as('org', { method: 'POST', url: '/api/market/import?kind=demands', ...file([header, ...good, wrong]) });
      expect(refused.json()).toMatchObject({ ok: false, rows: { read: good.length + 1, imported: 0, rejected: good.length + 1 } });
      expect(refused.json().issues.map((i: { code: string }) => i.code)).toEqual(['COUNTRY_UNRESOLVED']);
      expect(await count()).toBe(before);
      const kept = await as('org', { method: 'POST', url: '/api/market/import?kind=demands&keepValid=1', ...file([header, ...good, wrong]) });
      expect(kept.json()).toMatchObject({ ok: true, rows: dry.json().rows, changes: { inserted: good.length, updated: 0, unchanged: 0 } });
      expect(kept.json().dry_run).toBeUndefined();
      expect(await count()).toBe(before + good.length);
      const drafts = (await as('org', { url: `/api/market/profiles?kind=demand&status=draft&org_id=${orgId}&pageSize=200` })).json().items.map((p: { title_zh: string }) => p.title_zh);
      for (const g of good) expect(drafts).toContain(g[0]);
      // The same reply as the foundation importer's: no key it does not have, issues alike.
      const foundation = (await as('admin', { method: 'POST', url: '/api/imports?kind=organizations&dryRun=true', ...file([['机构名称', '国别'], ['测试机构甲', '德国']]) })).json();
      for (const k of Object.keys(kept.json())) expect(Object.keys(foundation), k).toContain(k);
      expect(Object.keys(dry.json().issues[0]).sort()).toEqual(['code', 'column', 'message', 'message_en', 'row', 'severity']);
    });

    it('officers publish an offers file at once and it is listed; organisations may not publish', async () => {
      const rows = [['title', 'summary', 'country', 'trl'], ['Electrochromic smart glass for office facades', 'Glass whose tint follows the sunlight and cuts cooling loads', 'DEU', '6']];
      const forbidden = await as('org', { method: 'POST', url: '/api/market/import?kind=offers&publish=true', ...file(rows) });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().error.code).toBe('FORBIDDEN');
      const res = await as('district', { method: 'POST', url: '/api/market/import?kind=offers&publish=true', ...file(rows) });
      expect(res.json()).toMatchObject({ ok: true, kind: 'offers', rows: { read: 1, imported: 1, rejected: 0 } });
      const listed = (await as('visitor', { url: `/api/market/profiles?q=${encodeURIComponent('electrochromic')}` })).json().items;
      expect(listed).toEqual([expect.objectContaining({ kind: 'offer', status: 'published', title_en: rows[1][0], country_iso3: 'DEU', trl: 6 })]);
    });

    it('answers 401, 403 and 400 with coded errors', async () => {
      const rows = [header, ...good];
      expect((await t.anon({ method: 'POST', url: '/api/market/import?kind=demands', ...file(rows) })).statusCode).toBe(401);
      const visitor = await as('visitor', { method: 'POST', url: '/api/market/import?kind=demands', ...file(rows) });
      expect(visitor.statusCode).toBe(403);
      const cases: [string, object, string][] = [
        ['/api/market/import?kind=planets', file(rows), 'VALIDATION_FAILED'],
        ['/api/market/import', file(rows), 'VALIDATION_FAILED'],
        ['/api/market/import?kind=offers&dryRun=perhaps', file(rows), 'VALIDATION_FAILED'],
        ['/api/market/import?kind=offers', { payload: { file: 'x' } }, 'FILE_MISSING'],
      ];
      for (const [url, body, code] of cases) {
        const res = await as('org', { method: 'POST', url, ...body });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error, url).toMatchObject({ code, message: expect.stringMatching(HAN), message_en: expect.any(String) });
      }
      const noTitle = await as('org', { method: 'POST', url: '/api/market/import?kind=offers', ...file([['国别'], ['德国']]) });
      expect(noTitle.statusCode).toBe(200);
      expect(noTitle.json()).toMatchObject({ ok: false, rows: { imported: 0 }, issues: [expect.objectContaining({ code: 'TITLE_COLUMN_MISSING', severity: 'error' })] });
    });
  });

  describe('follow-ups, funnel, alerts', () => {
    it('POST /api/market/followups (201), stage moves, 409 going back, funnel for officers only', async () => {
      const f = await as('org', { method: 'POST', url: '/api/market/followups', payload: { profile_id: demand, target_kind: 'offer', target_id: offer } });
      expect(f.statusCode).toBe(201);
      const id = f.json().id;
      expect((await as('org', { method: 'POST', url: `/api/market/followups/${id}/stage`, payload: { stage: 'meeting' } })).json().stage).toBe('meeting');
      const back = await as('org', { method: 'POST', url: `/api/market/followups/${id}/stage`, payload: { stage: 'contact' } });
      expect(back.statusCode).toBe(409);
      expect(back.json().error.code).toBe('MARKET_STAGE_ORDER');
      expect((await as('org', { url: '/api/market/funnel' })).statusCode).toBe(403);
      const fun = await as('district', { url: '/api/market/funnel?by=field' });
      expect(fun.statusCode).toBe(200);
      expect(fun.json().stages.find((s: { stage: string }) => s.stage === 'meeting').reached).toBe(1);
      expect((await as('district', { url: '/api/market/funnel?by=galaxy' })).statusCode).toBe(400);
    });

    it('saved searches and alerts belong to their organisation', async () => {
      const s = await as('org', { method: 'POST', url: '/api/market/searches', payload: { name: '激光', text: 'laser cladding remanufacturing' } });
      expect(s.statusCode).toBe(201);
      expect((await as('org', { url: '/api/market/searches' })).json().items).toHaveLength(1);
      expect((await as('visitor', { url: '/api/market/searches' })).json().items).toHaveLength(0);
      expect((await as('visitor', { method: 'DELETE', url: `/api/market/searches/${s.json().id}` })).statusCode).toBe(404);
      expect((await as('org', { url: '/api/market/alerts?unread=true' })).statusCode).toBe(200);
      expect((await as('org', { method: 'POST', url: '/api/market/alerts/999999/read' })).statusCode).toBe(404);
    });

    it('lists the routes in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
      for (const p of ['/api/market/profiles', '/api/market/profiles/export', '/api/market/import', '/api/market/match', '/api/market/profiles/{id}/matches', '/api/market/funnel', '/api/market/followups']) expect(doc.paths[p], p).toBeDefined();
    });
  });
});
