import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const as = (who: string, opts: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: unknown }) =>
    t.app.inject({ method: opts.method ?? 'GET', url: opts.url, payload: opts.payload as object, headers: { cookie: cookies[who] } });

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
      for (const p of ['/api/market/profiles', '/api/market/match', '/api/market/profiles/{id}/matches', '/api/market/funnel', '/api/market/followups']) expect(doc.paths[p], p).toBeDefined();
    });
  });
});
