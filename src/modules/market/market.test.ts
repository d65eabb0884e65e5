import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, STORES, type TestStore } from '../../../test/stores.ts';
import { EN_DESCRIPTIONS } from './engine/fixtures.ts';
import { countUnread, listNotifications } from '../notifications/notifications.service.ts';
import { createSavedSearch, listAlerts, notifyNewProfile, readAlert } from './market.alerts.ts';
import { marketWorld, seedProjects, type MarketWorld } from './market.fixture.ts';
import { createFollowup, funnel, getFollowup, listFollowups, moveFollowup } from './market.funnel.ts';
import type { ServiceContext } from '../../http/context.ts';
import { exportProfiles } from './market.export.ts';
import { INDEX_SETTINGS, marketIndexOf } from './market.index.ts';
import { FIELD_CODES, fieldOfText, techField } from './market.fields.ts';
import { importProfiles } from './market.import.ts';
import { matchMarket, relabelReason } from './market.match.ts';
import { PROFILE_STATUSES, STATUS_LABELS, type MarketReason, type ProfileDto } from './market.schema.ts';
import {
  closeProfile,
  createProfile,
  deleteProfile,
  expireDueProfiles,
  getProfile,
  listProfiles,
  profileHistory,
  renewProfile,
  reviewProfile,
  submitProfile,
  updateProfile,
} from './market.service.ts';

const codeOf = async (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: string }) => e.code ?? String(e));
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const seed = seedProjects();

describe.each(STORES)('marketplace on %s', (kind) => {
  let store: TestStore;
  let w: MarketWorld;
  /** Publishes a profile through the workflow: created by `who`, approved by the 新北 officer. */
  const publish = async (who: 'orgA' | 'orgB', input: Record<string, unknown>) => {
    const p = await createProfile(w.as(who), input);
    await submitProfile(w.as(who), p.id);
    return reviewProfile(w.as(who === 'orgA' ? 'xinbei' : 'wujin'), p.id, { decision: 'approve' });
  };

  beforeAll(async () => {
    store = await freshStore(kind);
    w = await marketWorld(store.db);
    INDEX_SETTINGS.registryCheckMs = 0;
  });
  afterAll(async () => store?.close());

  describe('profiles and their review workflow', () => {
    let demand: number;

    it('an organisation writes its own draft; HTML is stripped; its region and country come from the organisation', async () => {
      const p = await createProfile(w.as('orgA'), {
        kind: 'demand',
        title_zh: seed[17].title,
        summary_zh: '<p>寻求<b>超临界流体</b>结晶合作伙伴</p><script>alert(1)</script>',
        field: 'biomedicine',
        trl: 4,
        cooperation: ['joint_rd', 'licence', 'joint_rd'],
      });
      expect(p).toMatchObject({ kind: 'demand', status: 'draft', org: { id: w.orgs.a }, region_id: w.regions.xinbei, country_iso3: 'CHN', cooperation: ['joint_rd', 'licence'] });
      expect(p.summary_zh).toBe('寻求 超临界流体 结晶合作伙伴');
      demand = p.id;
      const [audit] = await store.db.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log WHERE entity = 'market_profile' AND entity_id = $1`, [String(demand)]);
      expect(audit).toEqual({ action: 'create', actor: w.actors.orgA.name });
    });

    it('a draft is seen by its organisation and the officers of its region only', async () => {
      for (const who of ['orgA', 'bureau', 'xinbei'] as const) expect((await getProfile(w.as(who), demand)).id).toBe(demand);
      for (const who of ['orgB', 'wujin', 'visitor'] as const) expect(await codeOf(getProfile(w.as(who), demand))).toBe('MARKET_PROFILE_NOT_FOUND');
      expect((await listProfiles(w.as('orgB'), {})).items.map((p) => p.id)).not.toContain(demand);
      expect((await listProfiles(w.as('xinbei'), {})).items.map((p) => p.id)).toContain(demand);
    });

    it('refuses what a role may not do: others’ organisations, public users, organisations reviewing', async () => {
      expect(await codeOf(createProfile(w.as('orgA'), { kind: 'offer', title_en: 'x', org_id: w.orgs.b }))).toBe('FORBIDDEN');
      expect(await codeOf(createProfile(w.as('visitor'), { kind: 'offer', title_en: 'x' }))).toBe('FORBIDDEN');
      expect(await codeOf(createProfile(w.as('orgA'), { kind: 'offer' }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(createProfile(w.as('orgA'), { kind: 'offer', title_en: 'x', field: 'astrology' }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(createProfile(w.as('orgA'), { kind: 'offer', title_en: 'x', expires_on: '2001-01-01' }))).toBe('MARKET_EXPIRY_PAST');
      await submitProfile(w.as('orgA'), demand);
      expect(await codeOf(reviewProfile(w.as('orgA'), demand, { decision: 'approve' }))).toBe('FORBIDDEN');
      expect(await codeOf(reviewProfile(w.as('wujin'), demand, { decision: 'approve' }))).toBe('MARKET_PROFILE_NOT_FOUND');
      expect(await codeOf(updateProfile(w.as('orgA'), demand, { trl: 5 }))).toBe('MARKET_PROFILE_STATUS');
    });

    it('is returned with comments, edited, submitted again and published for twelve months', async () => {
      expect(await codeOf(reviewProfile(w.as('xinbei'), demand, { decision: 'return' }))).toBe('MARKET_REVIEW_COMMENT_REQUIRED');
      const returned = await reviewProfile(w.as('xinbei'), demand, { decision: 'return', comment: '请补充英文标题' });
      expect(returned).toMatchObject({ status: 'returned', review_comment: '请补充英文标题', reviewed_by: w.actors.xinbei.name });
      await updateProfile(w.as('orgA'), demand, { title_en: 'Joint R&D of supercritical fluid crystallisation for poorly soluble drugs' });
      await submitProfile(w.as('orgA'), demand);
      const published = await reviewProfile(w.as('bureau'), demand, { decision: 'approve' });
      const expected = new Date();
      expected.setUTCMonth(expected.getUTCMonth() + 12);
      expect(published).toMatchObject({ status: 'published', expires_on: expected.toISOString().slice(0, 10) });
      expect((await getProfile(w.as('orgB'), demand)).status).toBe('published');
      const history = await profileHistory(w.as('orgA'), demand);
      expect(history.map((h) => `${h.action}:${h.to_status}`)).toEqual(['create:draft', 'submit:submitted', 'return:returned', 'submit:submitted', 'approve:published']);
      expect(history[2].comment).toBe('请补充英文标题');
      const audits = await store.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'market_profile' AND entity_id = $1 ORDER BY seq`, [String(demand)]);
      expect(audits.map((a) => a.action)).toEqual(['create', 'market.submit', 'market.return', 'update', 'market.submit', 'market.approve']);
    });

    it('a published profile is closed, never deleted; a rejected one may be deleted', async () => {
      expect(await codeOf(deleteProfile(w.as('orgA'), demand))).toBe('MARKET_PROFILE_STATUS');
      const p = await createProfile(w.as('orgB'), { kind: 'offer', title_zh: '试验', title_en: 'trial' });
      await submitProfile(w.as('orgB'), p.id);
      expect(await codeOf(reviewProfile(w.as('wujin'), p.id, { decision: 'reject' }))).toBe('MARKET_REVIEW_COMMENT_REQUIRED');
      await reviewProfile(w.as('wujin'), p.id, { decision: 'reject', comment: '不属于技术成果' });
      expect(await deleteProfile(w.as('orgB'), p.id)).toEqual({ deleted: p.id });
      expect(await codeOf(getProfile(w.ops, p.id))).toBe('MARKET_PROFILE_NOT_FOUND');
    });
  });

  describe('matching wired to the store', () => {
    const offers: number[] = [];
    let demand: number;

    beforeAll(async () => {
      // English offers (one per seed project) by organisation B; Chinese demand by A.
      for (const [i, d] of EN_DESCRIPTIONS.entries()) {
        const p = await publish('orgB', { kind: 'offer', title_en: d, field: i >= 15 && i <= 19 ? 'biomedicine' : null, trl: 6, cooperation: ['licence'], country_iso3: 'GBR' });
        offers.push(p.id);
      }
      demand = (await publish('orgA', { kind: 'demand', title_zh: seed[18].title, field: 'biomedicine', trl: 5, cooperation: ['licence'] })).id;
    });

    it('a Chinese demand finds the English offer, with the translation used and bilingual reasons', async () => {
      const out = await matchMarket(w.as('orgA'), { text: '难溶性药物超临界流体结晶技术', kind: ['offers'] });
      expect(Object.keys(out)).toEqual(['results']);
      const first = out.results[0];
      expect(Object.keys(first)).toEqual(['kind', 'id', 'title', 'score', 'reasons']);
      expect(first).toMatchObject({ kind: 'offer', id: String(offers[17]) });
      const glossary = first.reasons.filter((r) => r.type === 'term' && r.via === 'glossary').map((r) => r.detail_zh);
      expect(glossary).toContain('共同术语「难溶性药物 → poorly」（经术语表翻译）');
      // Each English term is shown as the offer writes it, never as its stem (poorli, crystal).
      for (const r of first.reasons.filter((r) => r.type === 'term' && (r.via === 'glossary' || r.via === 'translation'))) {
        const word = /→ (.+)」/.exec(r.detail_zh)![1];
        expect(EN_DESCRIPTIONS[17].toLowerCase().split(/[^a-z0-9]+/), r.detail_zh).toContain(word.toLowerCase());
        expect(r.detail_en).toContain(`→ ${word}"`);
      }
      // GII 2022: the United Kingdom ranks 4th (fixture) → 003 §4.1 suggests bringing in.
      expect(first.reasons.find((r) => r.type === 'country')?.detail_zh).toMatch(/^合作国别：英国（建议“引进来”；全球创新指数 2022 排名 4：/);
    });

    it('--demand ID: offers, partners and talents with field, stage, cooperation, country, record and past cooperation', async () => {
      const out = await matchMarket(w.as('orgA'), { demand });
      const kinds = new Set(out.results.map((r) => r.kind));
      expect([...kinds].every((k) => ['offer', 'partner', 'talent'].includes(k))).toBe(true);
      const offer = out.results.find((r) => r.kind === 'offer')!;
      expect(offer.reasons.map((r) => r.type)).toEqual(expect.arrayContaining(['term', 'field', 'stage', 'cooperation']));
      expect(offer.reasons.find((r) => r.type === 'field')?.detail_zh).toBe('技术领域相同：生物医药');
      const partner = out.results.find((r) => r.kind === 'partner' && r.id === String(w.orgs.fraunhofer))!;
      expect(partner.title).toBe('Fraunhofer Institute for Process Engineering');
      expect(partner.reasons.find((r) => r.type === 'history')?.detail_zh).toBe('过往合作：与查询方共同参与 1 个项目');
      expect(partner.reasons.find((r) => r.type === 'record')?.detail_en).toBe('project record: 1 project(s), mainly in Biomedicine and pharmaceuticals');
      expect(partner.reasons.find((r) => r.type === 'country')?.detail_zh).toContain('德国');
    });

    it('partners and talents outside the actor’s scope are left out; the operator sees them', async () => {
      const q = { text: 'supercritical carbon dioxide crystallisation of drugs', kind: ['partners'] };
      expect((await matchMarket(w.as('orgA'), q)).results.map((r) => r.id)).not.toContain(String(w.orgs.hidden));
      expect((await matchMarket(w.ops, q)).results.map((r) => r.id)).toContain(String(w.orgs.hidden));
      const talent = await matchMarket(w.as('orgB'), { text: '胶原蛋白海绵', kind: ['talents'] });
      expect(talent.results[0]).toMatchObject({ kind: 'talent', id: String(w.talents.collagen), title: '施密特' });
      expect(JSON.stringify(talent)).not.toContain('example.de');
    });

    it('filters by country, field, stage and cooperation; --offer ranks demands', async () => {
      const q = { text: 'supercritical fluid crystallization', kind: ['offers', 'partners'] };
      expect((await matchMarket(w.ops, { ...q, country: ['deu'] })).results.every((r) => r.kind === 'partner')).toBe(true);
      expect((await matchMarket(w.ops, { ...q, field: ['robotics'] })).results).toEqual([]);
      expect((await matchMarket(w.ops, { ...q, kind: ['offers'], trl_min: 7 })).results).toEqual([]);
      expect((await matchMarket(w.ops, { ...q, kind: ['offers'], cooperation: ['investment'] })).results).toEqual([]);
      const back = await matchMarket(w.as('orgB'), { offer: offers[18] });
      expect(back.results[0]).toMatchObject({ kind: 'demand', id: String(demand) });
      expect(await codeOf(matchMarket(w.ops, { demand: offers[0] }))).toBe('MARKET_PROFILE_KIND');
      expect(await codeOf(matchMarket(w.ops, { demand: 999999 }))).toBe('MARKET_PROFILE_NOT_FOUND');
    });

    it('updates incrementally: a new offer is found as soon as it is published, a closed one never again', async () => {
      const index = marketIndexOf(store.db);
      const before = index.peek('offer')!.size;
      const p = await publish('orgB', { kind: 'offer', title_en: 'Wireless mesh sensor networks for tunnel safety monitoring', cooperation: ['technical_service'] });
      expect(index.peek('offer')!.size).toBe(before + 1);
      const q = { text: '用于隧道安全监测的无线传感器网络', kind: ['offers'] };
      expect((await matchMarket(w.ops, q)).results[0].id).toBe(String(p.id));
      await closeProfile(w.as('orgB'), p.id, { reason: '已达成转让' });
      expect(index.peek('offer')!.size).toBe(before);
      expect((await matchMarket(w.ops, q)).results.map((r) => r.id)).not.toContain(String(p.id));
    });

    it('reconciles with profiles another process wrote, and never returns expired ones', async () => {
      const [row] = await store.db.query<{ id: number }>(
        `INSERT INTO market_profiles (kind, status, title_en, expires_on) VALUES ('offer', 'published', 'Hydrogen fuel cell stacks for city buses', current_date + 30) RETURNING id`,
      );
      const q = { text: '城市公交氢燃料电池', kind: ['offers'] };
      expect((await matchMarket(w.ops, q)).results[0].id).toBe(String(row.id));
      await store.db.query(`UPDATE market_profiles SET expires_on = current_date - 1 WHERE id = $1`, [row.id]);
      expect((await matchMarket(w.ops, q)).results.map((r) => r.id)).not.toContain(String(row.id));
      expect(await expireDueProfiles(w.ops)).toEqual([Number(row.id)]);
      expect((await getProfile(w.ops, Number(row.id))).status).toBe('expired');
      const [audit] = await store.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'market_profile' AND entity_id = $1`, [String(row.id)]);
      expect(audit.action).toBe('market.expire');
      await renewProfile(w.ops, Number(row.id), { expires_on: inDays(90) });
      expect((await matchMarket(w.ops, q)).results[0].id).toBe(String(row.id));
    });

    it('answers bad input with coded refusals, other scripts without error', async () => {
      expect(await codeOf(matchMarket(w.ops, { text: '   🙂 ☃ ' }))).toBe('MARKET_QUERY_EMPTY');
      expect(await codeOf(matchMarket(w.ops, {}))).toBe('MARKET_QUERY_REQUIRED');
      expect(await codeOf(matchMarket(w.ops, { text: 'x', demand }))).toBe('MARKET_QUERY_REQUIRED');
      expect(await codeOf(matchMarket(w.ops, { text: '超临界'.repeat(10_000) }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(matchMarket(w.ops, { text: 'laser', trl_min: 7, trl_max: 3 }))).toBe('MARKET_TRL_RANGE');
      expect(await codeOf(matchMarket(w.ops, { text: 'laser', kind: ['galaxies'] }))).toBe('VALIDATION_FAILED');
      expect((await matchMarket(w.ops, { text: 'лазерная наплавка' })).results).toEqual([]);
      const html = await matchMarket(w.ops, { text: '<div><h1>Laser cladding</h1><img src=x onerror=alert(1)></div>', kind: ['offers'] });
      expect(html.results[0].title).toMatch(/laser cladding/i);
    });
  });

  describe('import of demands and offers from a table', () => {
    const csv = (rows: string[][]) => Buffer.from(`${rows.map((r) => r.join(',')).join('\n')}\n`);
    const header = ['需求名称', '技术领域', '合作方式', '国别', '有效期至'];
    const good = seed.slice(20, 24).map((p) => [p.title, p.industry, '联合研发、技术许可', p.country, inDays(200)]);

    const bad = [...good, ['胶原蛋白海绵制备', '新医药产业', '联合研发', '火星', '2030-13-45']];
    let dryKept: Awaited<ReturnType<typeof importProfiles>>;

    it('a dry run reports what the import would write (exact counts, as the foundation importer) and writes nothing', async () => {
      const state = async () =>
        (await store.db.query<{ profiles: number; events: number; audits: number; version: number }>(
          `SELECT (SELECT count(*) FROM market_profiles)::int AS profiles, (SELECT count(*) FROM market_profile_events)::int AS events,
                  (SELECT count(*) FROM audit_log)::int AS audits, (SELECT version FROM market_index_version WHERE source = 'profiles')::int AS version`,
        ))[0];
      const before = await state();
      const dry = await importProfiles(w.as('orgB'), { fileName: 'demands.csv', buffer: csv([header, ...good]) }, { kind: 'demands', dryRun: true });
      expect(dry).toMatchObject({ ok: true, kind: 'demands', dry_run: true, rows: { read: good.length, imported: good.length, rejected: 0 }, changes: { inserted: good.length, updated: 0, unchanged: 0 } });
      dryKept = await importProfiles(w.as('orgB'), { fileName: 'demands.csv', buffer: csv([header, ...bad]) }, { kind: 'demands', dryRun: true, keepValid: true });
      expect(dryKept).toMatchObject({ ok: true, dry_run: true, rows: { read: bad.length, imported: good.length, rejected: 1 } });
      const dryRefused = await importProfiles(w.as('orgB'), { fileName: 'demands.csv', buffer: csv([header, ...bad]) }, { kind: 'demands', dryRun: true });
      expect(dryRefused).toMatchObject({ ok: false, dry_run: true, rows: { read: bad.length, imported: 0, rejected: bad.length } });
      expect(dryRefused.issues.map((i) => i.code)).toEqual(['COUNTRY_UNRESOLVED', 'DATE_INVALID']);
      const published = await importProfiles(w.as('wujin'), { fileName: 'offers.csv', buffer: csv([header, ...good]) }, { kind: 'offers', dryRun: true, publish: true });
      expect(published.rows).toEqual({ read: good.length, imported: good.length, rejected: 0 });
      expect(await state()).toEqual(before);
      const empty = await importProfiles(w.as('orgB'), { fileName: 'empty.csv', buffer: csv([header]) }, { kind: 'demands', dryRun: true });
      expect(empty).toMatchObject({ ok: false, rows: { read: 0, imported: 0, rejected: 0 }, issues: [expect.objectContaining({ code: 'NO_DATA_ROWS' })] });
    });

    it('refuses the whole file when a row is wrong, naming the row and column; --keep-valid imports the rest', async () => {
      const refused = await importProfiles(w.as('orgB'), { fileName: 'demands.csv', buffer: csv([header, ...bad]) }, { kind: 'demands' });
      // Nothing was written: every row read is rejected (the foundation importer's contract).
      expect(refused).toMatchObject({ ok: false, kind: 'demands', rows: { read: 5, imported: 0, rejected: 5 } });
      expect(refused.dry_run).toBeUndefined();
      expect(refused.issues.map((i) => [i.row, i.column, i.code])).toEqual([
        [6, '国别', 'COUNTRY_UNRESOLVED'],
        [6, '有效期至', 'DATE_INVALID'],
      ]);
      for (const i of refused.issues) expect(i.message).toMatch(/[\u4e00-\u9fff]/);
      const kept = await importProfiles(w.as('orgB'), { fileName: 'demands.csv', buffer: csv([header, ...bad]) }, { kind: 'demands', keepValid: true });
      expect(kept.rows).toEqual({ read: 5, imported: 4, rejected: 1 });
      expect(kept.rows).toEqual(dryKept.rows);
      const drafts = (await listProfiles(w.as('orgB'), { kind: 'demand', status: 'draft' })).items.filter((p) => good.some((g) => g[0] === p.title_zh));
      expect(drafts).toHaveLength(4);
      expect(drafts[0]).toMatchObject({ org: { id: w.orgs.b }, cooperation: ['joint_rd', 'licence'] });
      expect(drafts.map((d) => d.field).sort()).toEqual(good.map((g) => fieldOfText(g[1])).sort());
    });

    it('officers publish a results table at once, and it is matched at once; organisations may not', async () => {
      const rows = [['title', 'summary', 'country', 'trl'], ['Rain sensing wiper control for passenger cars', 'Optical rain sensor on the windscreen that drives the wipers automatically', 'DEU', '7']];
      expect(await codeOf(importProfiles(w.as('orgA'), { fileName: 'offers.csv', buffer: csv(rows) }, { kind: 'offers', publish: true }))).toBe('FORBIDDEN');
      const out = await importProfiles(w.as('wujin'), { fileName: 'offers.csv', buffer: csv(rows) }, { kind: 'offers', publish: true });
      expect(out).toMatchObject({ ok: true, rows: { read: 1, imported: 1, rejected: 0 } });
      // The seed project 车用雨量智能感应控制系统 finds it (beside the offer describing that project).
      const hits = (await matchMarket(w.ops, { text: seed[29].title, kind: ['offers'], top: 3 })).results.map((r) => r.title);
      expect(hits).toContain('Rain sensing wiper control for passenger cars');
    });
  });

  describe('the list: search (q), order and export', () => {
    /** What a profile is searched by, as a person reads it. */
    const textOf = (p: ProfileDto) => [p.title_zh, p.title_en, p.summary_zh, p.summary_en, p.problem, p.advantages, ...p.keywords].filter(Boolean).join(' ');
    const everything = async (c: ServiceContext, query: Record<string, unknown> = {}) => {
      const out: ProfileDto[] = [];
      for (let page = 1; ; page++) {
        const r = await listProfiles(c, { ...query, page, pageSize: 200 });
        out.push(...r.items);
        if (out.length >= r.total || r.items.length === 0) return out;
      }
    };

    it('q holds every word, Chinese (jieba) or English (stems as prefixes), within what the actor sees, in the list order', async () => {
      const cases: [string, (t: string) => boolean][] = [
        ['crystal', (t) => /crystal/i.test(t)],
        ['Supercritical FLUID', (t) => /supercritical/i.test(t) && /fluid/i.test(t)],
        ['超临界 结晶', (t) => t.includes('临界') && t.includes('结晶')],
        ['齿轮', (t) => t.includes('齿轮')],
        // No searchable word (single letters): matched literally.
        ['R&D', (t) => t.toLowerCase().includes('r&d')],
      ];
      for (const who of ['orgA', 'orgB', 'xinbei'] as const) {
        const all = await everything(w.as(who));
        for (const [q, holds] of cases) {
          const expected = all.filter((p) => holds(textOf(p))).map((p) => p.id);
          // Only organisation B (and its region's officers, not 新北's) sees its drafts about gears.
          if (q !== '齿轮' || who === 'orgB') expect(expected.length, `${who}: ${q}`).toBeGreaterThan(0);
          const got = await listProfiles(w.as(who), { q, pageSize: 200 });
          expect(got.items.map((p) => p.id), `${who}: ${q}`).toEqual(expected);
          expect(got.total).toBe(expected.length);
        }
      }
      // 齿轮: organisation B's imported drafts are found by B, never by A.
      const drafts = (await listProfiles(w.as('orgB'), { q: '齿轮', status: 'draft' })).items;
      expect(drafts.length).toBeGreaterThan(0);
      expect((await listProfiles(w.as('orgA'), { q: '齿轮', status: 'draft' })).total).toBe(0);
      expect((await listProfiles(w.as('orgA'), { q: '无此技术术语xyzzy' })).total).toBe(0);
      expect(await codeOf(listProfiles(w.as('orgA'), { q: 'x'.repeat(201) }))).toBe('VALIDATION_FAILED');
    });

    it('a profile edited after a search is found by its new words only', async () => {
      const p = await createProfile(w.as('orgA'), { kind: 'offer', title_en: 'Magnetocaloric refrigeration prototype' });
      expect((await listProfiles(w.as('orgA'), { q: 'magnetocaloric' })).items.map((x) => x.id)).toEqual([p.id]);
      await updateProfile(w.as('orgA'), p.id, { title_en: 'Thermoacoustic refrigeration prototype' });
      expect((await listProfiles(w.as('orgA'), { q: 'magnetocaloric' })).total).toBe(0);
      expect((await listProfiles(w.as('orgA'), { q: 'thermoacoustic refriger' })).items.map((x) => x.id)).toEqual([p.id]);
      await deleteProfile(w.as('orgA'), p.id);
    });

    it('searches the indexed search vector: written with each create, edit and import; rows written by plain SQL are filled before a search', async () => {
      const vector = async (id: number) => (await store.db.query<{ v: string | null }>('SELECT search::text AS v FROM market_profiles WHERE id = $1', [id]))[0].v;
      const stamp = async (id: number) => (await store.db.query<{ s: string }>('SELECT updated_at::text AS s FROM market_profiles WHERE id = $1', [id]))[0].s;
      // Created and edited through the service: the vector holds the tokens of the text.
      const p = await createProfile(w.as('orgA'), { kind: 'offer', title_zh: '磁制冷样机', title_en: 'Magnetocaloric cooler', keywords: ['稀土合金'] });
      expect(await vector(p.id)).toMatch(/'磁'|'制冷'/);
      expect(await vector(p.id)).toContain("'magnetocalor'");
      await updateProfile(w.as('orgA'), p.id, { title_en: 'Elastocaloric cooler' });
      expect(await vector(p.id)).toContain("'elastocalor'");
      expect(await vector(p.id)).not.toContain("'magnetocalor'");
      // Imported (organisation B's demands, above): written too.
      const [b] = await store.db.query<{ all: number; missing: number }>(
        `SELECT count(*)::int AS all, count(*) FILTER (WHERE search IS NULL)::int AS missing FROM market_profiles WHERE created_by = $1`,
        [w.actors.orgB.name],
      );
      expect(b.all).toBeGreaterThan(0);
      expect(b.missing).toBe(0);
      // Loaded and edited by plain SQL (a bulk load, another tool): no vector, or a cleared one …
      const [raw] = await store.db.query<{ id: number }>(`INSERT INTO market_profiles (kind, status, title_en, org_id, region_id) VALUES ('offer', 'draft', 'Thermoacoustic engine', $1, $2) RETURNING id`, [
        w.orgs.a,
        w.regions.xinbei,
      ]);
      await store.db.query(`UPDATE market_profiles SET title_en = 'Barocaloric cooler' WHERE id = $1`, [p.id]);
      expect(await vector(Number(raw.id))).toBeNull();
      expect(await vector(p.id)).toBeNull();
      const before = await stamp(p.id);
      // … filled before the next search, which finds both by their new words; the fill is no
      // change of the profile (its stamp stays).
      expect((await listProfiles(w.as('orgA'), { q: 'thermoacoustic' })).items.map((x) => x.id)).toEqual([Number(raw.id)]);
      expect((await listProfiles(w.as('orgA'), { q: 'barocalor' })).items.map((x) => x.id)).toEqual([p.id]);
      expect((await listProfiles(w.as('orgA'), { q: 'elastocaloric' })).total).toBe(0);
      expect(await vector(p.id)).toContain("'barocalor'");
      expect(await stamp(p.id)).toBe(before);
      // The list's search can use the GIN index (the planner prefers it once a scan costs more).
      const plan = await store.db.transaction(async (tx) => {
        await tx.exec('SET LOCAL enable_seqscan = off');
        return (await tx.query<Record<string, string>>(`EXPLAIN SELECT id FROM market_profiles p WHERE p.search @@ to_tsquery('simple', 'barocalor:*')`)).map((r) => Object.values(r)[0]).join('\n');
      });
      expect(plan).toContain('market_profiles_search');
      await deleteProfile(w.as('orgA'), p.id);
      await store.db.query('DELETE FROM market_profiles WHERE id = $1', [raw.id]);
    });

    it('sorts by TRL, expiry, status (workflow order), field (taxonomy order) and date, empty values last; pages continue each other', async () => {
      const rank = (p: ProfileDto, sort: string): number | string | null =>
        sort === 'status' ? PROFILE_STATUSES.indexOf(p.status) : sort === 'field' ? (p.field === null ? null : FIELD_CODES.indexOf(p.field)) : (p[sort as 'trl' | 'expires_on' | 'created_at'] ?? null);
      for (const sort of ['trl', 'expires_on', 'status', 'field', 'created_at']) {
        for (const order of ['asc', 'desc'] as const) {
          const items = await everything(w.ops, { sort, order });
          const keys = items.map((p) => rank(p, sort));
          const filled = keys.filter((k) => k !== null);
          expect(keys.slice(filled.length).every((k) => k === null), `${sort} ${order}: empty last`).toBe(true);
          const sorted = [...filled].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
          expect(filled, `${sort} ${order}`).toEqual(order === 'asc' ? sorted : sorted.reverse());
          // Ties are broken by the id, in the same direction.
          for (let i = 1; i < items.length; i++) if (keys[i] === keys[i - 1]) expect(order === 'asc' ? items[i].id > items[i - 1].id : items[i].id < items[i - 1].id).toBe(true);
        }
      }
      const whole = (await listProfiles(w.ops, { sort: 'field', order: 'desc', pageSize: 14 })).items;
      const p1 = (await listProfiles(w.ops, { sort: 'field', order: 'desc', pageSize: 7, page: 1 })).items;
      const p2 = (await listProfiles(w.ops, { sort: 'field', order: 'desc', pageSize: 7, page: 2 })).items;
      expect([...p1, ...p2].map((p) => p.id)).toEqual(whole.map((p) => p.id));
      expect(await codeOf(listProfiles(w.ops, { sort: 'colour' }))).toBe('VALIDATION_FAILED');
    });

    it('the export holds exactly the list — filters, search, order, every page — as the actor sees it', async () => {
      const rowsOf = async (c: ServiceContext, query: Record<string, unknown>) => {
        const out = await exportProfiles(c, query);
        const rows: Record<string, unknown>[] = [];
        for await (const r of out.rows) rows.push(r);
        return { out, rows };
      };
      for (const [who, query] of [
        ['orgB', { q: '齿轮', sort: 'status' }],
        ['orgA', { q: '齿轮', sort: 'status' }],
        ['xinbei', { kind: 'offer', sort: 'trl', order: 'desc' }],
      ] as const) {
        const list = await everything(w.as(who), query);
        const { out, rows } = await rowsOf(w.as(who), { ...query, format: 'csv' });
        expect(out.format).toBe('csv');
        expect(rows.map((r) => r.id), `${who} ${JSON.stringify(query)}`).toEqual(list.map((p) => p.id));
        for (const [i, p] of list.entries()) {
          expect(rows[i]).toMatchObject({ title_zh: p.title_zh, title_en: p.title_en, status: p.status, status_label: STATUS_LABELS[p.status].zh, trl: p.trl, org_name: p.org?.name ?? null });
          expect(rows[i].field_label).toBe(p.field ? techField(p.field)!.zh : null);
        }
      }
      // More rows than one export page (500) are all written.
      expect((await rowsOf(w.ops, {})).rows.length).toBe((await listProfiles(w.ops, {})).total);
      expect(await codeOf(exportProfiles(w.ops, { format: 'pdf' }))).toBe('VALIDATION_FAILED');
    });
  });

  describe('alerts and the follow-up funnel', () => {
    let demandB: number;
    let offer: number;
    let followup: number;

    it('organisation B’s offers were alerted about A’s demands only where the demand is about their technology', async () => {
      // A published the demands of seed projects 17 (超临界流体结晶) and 18 (颅内动脉血管瘤导流器);
      // the offers describing the supercritical and flow-diverter projects are 16–19.
      const relevant = new Set([16, 17, 18, 19].map((i) => EN_DESCRIPTIONS[i]));
      const alerts = await listAlerts(w.as('orgB'));
      const offersAlerted = await Promise.all(alerts.map(async (a) => (await getProfile(w.ops, a.for_profile_id!)).title_en));
      expect(alerts.length).toBeGreaterThan(0);
      for (const t of offersAlerted) expect(relevant.has(t!), t!).toBe(true);
    });

    it('an organisation is alerted when a new profile enters the matches of its demand or its saved search', async () => {
      demandB = (await publish('orgB', { kind: 'demand', title_zh: '齿轮箱在线状态监测与故障诊断技术', cooperation: ['technical_service'] })).id;
      await createSavedSearch(w.as('orgA'), { name: '齿轮箱监测', text: 'gearbox condition monitoring', kind: 'offer' });
      expect(await codeOf(createSavedSearch(w.as('visitor'), { name: 'x', text: 'laser' }))).toBe('FORBIDDEN');
      offer = (await publish('orgA', { kind: 'offer', title_en: 'Online condition monitoring and fault diagnosis of wind turbine gearboxes', cooperation: ['technical_service'] })).id;
      const alertsB = (await listAlerts(w.as('orgB'))).filter((a) => a.for_profile_id === demandB);
      expect(alertsB).toHaveLength(1);
      expect(alertsB[0]).toMatchObject({ for_profile_id: demandB, profile: { id: offer, kind: 'offer' }, rank: 1, read_at: null });
      expect(alertsB[0].message).toContain('齿轮箱在线状态监测与故障诊断技术');
      // The alert gives the reasons B's own match list gives for the new offer, labelled.
      const listed = (await matchMarket(w.as('orgB'), { demand: demandB, kind: ['offers'] })).results.find((r) => r.id === String(offer))!;
      expect(alertsB[0].reasons).toEqual(listed.reasons);
      expect(alertsB[0].reasons.find((r) => r.type === 'cooperation')?.detail_zh).toBe('合作方式相符：技术服务');
      const alertsA = (await listAlerts(w.as('orgA'))).filter((a) => a.search_id !== null);
      expect(alertsA.map((a) => a.profile.id)).toEqual([offer]);
      expect((await readAlert(w.as('orgB'), alertsB[0].id)).read_at).not.toBeNull();
      expect(await codeOf(readAlert(w.as('orgA'), alertsB[0].id))).toBe('NOT_FOUND');
    });

    it('each alert also reaches the organisation’s users in the notifications (the bell), once', async () => {
      const bell = async (who: 'orgA' | 'orgB' | 'bureau') =>
        (await listNotifications(w.as(who), { page: 1, pageSize: 100 })).items.filter((n) => n.kind === 'market.alert');
      const [alertB] = (await listAlerts(w.as('orgB'))).filter((a) => a.for_profile_id === demandB);
      const [alertA] = (await listAlerts(w.as('orgA'))).filter((a) => a.search_id !== null);
      // B hears of the offer that entered its demand's matches, with the alert's own words.
      const heardB = (await bell('orgB')).find((n) => n.entity_id === String(alertB.id))!;
      expect(heardB).toMatchObject({ entity: 'market_alert', link: `/market/profiles/${offer}`, body: alertB.message, body_en: alertB.message_en, read: false });
      expect(heardB.title).toBe('新的匹配：技术成果「Online condition monitoring and fault diagnosis of wind turbine gearboxes」');
      // A hears of the offer that entered its saved search; neither hears of the other's alert,
      // and the bureau (no organisation) hears of none.
      const heardA = await bell('orgA');
      expect(heardA.map((n) => n.entity_id)).toContain(String(alertA.id));
      expect(heardA.map((n) => n.entity_id)).not.toContain(String(alertB.id));
      expect((await bell('orgB')).map((n) => n.entity_id)).not.toContain(String(alertA.id));
      expect(await bell('bureau')).toEqual([]);
      // Every notification is one alert of the user's organisation, and every such alert has one.
      const alertIdsB = new Set((await listAlerts(w.as('orgB'))).map((a) => String(a.id)));
      const bellB = await bell('orgB');
      expect(new Set(bellB.map((n) => n.entity_id))).toEqual(alertIdsB);
      expect(bellB.length).toBe(alertIdsB.size);
      // Publishing the offer again (a renewal) writes no new alert, so no second notification.
      const before = bellB.length;
      await notifyNewProfile(w.ops, offer);
      expect((await bell('orgB')).length).toBe(before);
      expect((await countUnread(w.as('orgB'))).unread).toBeGreaterThan(0);
    });

    it('a match goes interest → contact → meeting → agreement, with the project that came of it; stages never go back', async () => {
      await matchMarket(w.as('orgB'), { demand: demandB }, { recordShown: true });
      const f = await createFollowup(w.as('orgB'), { profile_id: demandB, target_kind: 'offer', target_id: offer, intermediary_org_id: w.orgs.a });
      expect(f).toMatchObject({ stage: 'interest', reached: 'interest', org_id: w.orgs.b });
      expect(f.score).toBeGreaterThan(0);
      expect(f.reasons.length).toBeGreaterThan(0);
      followup = f.id;
      expect(await codeOf(createFollowup(w.as('orgB'), { profile_id: demandB, target_kind: 'offer', target_id: offer }))).toBe('MARKET_FOLLOWUP_EXISTS');
      expect(await codeOf(createFollowup(w.as('orgB'), { target_kind: 'offer', target_id: 999999 }))).toBe('MARKET_TARGET_NOT_FOUND');
      await moveFollowup(w.as('orgB'), followup, { stage: 'contact' });
      await moveFollowup(w.as('orgB'), followup, { stage: 'meeting', note: '线上会谈' });
      expect(await codeOf(moveFollowup(w.as('orgB'), followup, { stage: 'interest' }))).toBe('MARKET_STAGE_ORDER');
      expect(await codeOf(moveFollowup(w.as('orgB'), followup, { stage: 'negotiation', outcome: 'licence' }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(moveFollowup(w.as('visitor'), followup, { stage: 'negotiation' }))).toBe('MARKET_FOLLOWUP_NOT_FOUND');
      const done = await moveFollowup(w.as('wujin'), followup, { stage: 'agreement', outcome: 'licence', project_id: w.projects.joint });
      expect(done).toMatchObject({ stage: 'agreement', reached: 'agreement', outcome: 'licence', project_id: w.projects.joint });
      expect(await codeOf(moveFollowup(w.as('orgB'), followup, { stage: 'dropped', dropped_reason: 'x' }))).toBe('MARKET_FOLLOWUP_CLOSED');
    });

    it('follow-ups and alerts show the labelled reasons of the match list, also those stored raw by earlier versions', async () => {
      const labelled = (r: MarketReason) =>
        r.type === 'field' ? r.detail_zh === `技术领域相同：${techField(r.term)!.zh}` : r.type === 'cooperation' ? !/[a-z_]{4,}/.test(r.detail_zh) : true;
      for (const who of ['orgA', 'orgB'] as const) {
        for (const a of await listAlerts(w.as(who))) for (const r of a.reasons) expect(labelled(r), r.detail_zh).toBe(true);
        for (const f of await listFollowups(w.as(who))) for (const r of f.reasons) expect(labelled(r), r.detail_zh).toBe(true);
      }
      // A follow-up keeps the reasons its match list gave when it was taken up.
      const d = (await listProfiles(w.as('orgA'), { kind: 'demand', status: 'published', field: 'biomedicine' })).items.find((p) => p.org?.id === w.orgs.a)!;
      const listed = (await matchMarket(w.as('orgA'), { demand: d.id, kind: ['offers'] })).results[0];
      const f = await createFollowup(w.as('orgA'), { profile_id: d.id, target_kind: 'offer', target_id: Number(listed.id) });
      expect(f.reasons).toEqual(listed.reasons);
      expect(f.reasons.map((r) => r.type)).toEqual(expect.arrayContaining(['field', 'country']));
      expect(f.reasons.find((r) => r.type === 'field')?.detail_zh).toBe('技术领域相同：生物医药');
      // Reasons as the engine wrote them (codes, 需求 TRL) are relabelled when read.
      const raw = [
        { type: 'field', term: 'biomedicine', detail_zh: '技术领域相同：biomedicine', detail_en: 'same technology field: biomedicine' },
        { type: 'stage', detail_zh: '成熟度相近：TRL 6（需求 TRL 5）', detail_en: 'close development stage: TRL 6 (query TRL 5)' },
        { type: 'cooperation', term: 'licence, joint_rd', detail_zh: '合作方式相符：licence、joint_rd', detail_en: 'cooperation type fits: licence, joint_rd' },
        { type: 'term', term: 'crystal', via: 'glossary', detail_zh: '共同术语「结晶 → crystal」（经术语表翻译）', detail_en: 'shared term "结晶 → crystal" (via the glossary)' },
      ];
      const expected = [
        { type: 'field', term: 'biomedicine', detail_zh: '技术领域相同：生物医药', detail_en: 'same technology field: Biomedicine and pharmaceuticals' },
        { type: 'stage', detail_zh: '成熟度相近：TRL 6（查询方 TRL 5）', detail_en: 'close development stage: TRL 6 (query TRL 5)' },
        { type: 'cooperation', term: 'licence, joint_rd', detail_zh: '合作方式相符：技术许可、联合研发', detail_en: 'cooperation type fits: licence, joint R&D' },
        raw[3],
      ];
      await store.db.query('UPDATE market_followups SET reasons = $1::jsonb WHERE id = $2', [JSON.stringify(raw), f.id]);
      expect((await getFollowup(w.as('orgA'), f.id)).reasons).toEqual(expected);
      const [alert] = await listAlerts(w.as('orgB'));
      await store.db.query('UPDATE market_alerts SET reasons = $1::jsonb WHERE id = $2', [JSON.stringify(raw), alert.id]);
      expect((await listAlerts(w.as('orgB'))).find((a) => a.id === alert.id)!.reasons).toEqual(expected);
      // Labelling a labelled reason changes nothing.
      expect(expected.map((r) => relabelReason(r as MarketReason))).toEqual(expected);
    });

    it('a dropped match needs a reason', async () => {
      const f = await createFollowup(w.as('orgA'), { target_kind: 'partner', target_id: w.orgs.fraunhofer });
      expect(await codeOf(moveFollowup(w.as('orgA'), f.id, { stage: 'dropped' }))).toBe('MARKET_DROP_REASON_REQUIRED');
      await moveFollowup(w.as('orgA'), f.id, { stage: 'contact' });
      expect((await moveFollowup(w.as('orgA'), f.id, { stage: 'dropped', dropped_reason: '对方无合作意愿' })).reached).toBe('contact');
      expect((await listFollowups(w.as('orgB'))).map((x) => x.id)).toEqual([followup]);
    });

    it('the bureau sees the funnel from matches shown to agreements, by field and country, with time in stage and deals', async () => {
      expect(await codeOf(funnel(w.as('orgA')))).toBe('FORBIDDEN');
      const shown = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM market_matches_shown WHERE profile_id = $1', [demandB]);
      const rows = await store.db.query<{ stage: string; reached: string }>('SELECT stage, reached FROM market_followups');
      const f = await funnel(w.ops, { by: 'country' });
      const at = (s: string) => f.stages.find((x) => x.stage === s)!;
      expect(at('shown').reached).toBe(Number(shown[0].n));
      expect(at('interest').reached).toBe(rows.length);
      expect(at('contact').reached).toBe(rows.filter((r) => r.reached !== 'interest').length);
      expect(at('agreement').reached).toBe(rows.filter((r) => r.reached === 'agreement').length);
      expect(at('dropped').reached).toBe(rows.filter((r) => r.stage === 'dropped').length);
      expect(f.deals).toEqual([{ followup_id: followup, outcome: 'licence', project: { id: w.projects.joint, title: '超临界流体药物结晶技术的联合开发' }, output: null }]);
      expect(f.dropped_reasons).toEqual([{ reason: '对方无合作意愿', count: 1 }]);
      expect(f.groups.find((g) => g.key === 'DEU')).toMatchObject({ label_zh: '德国', counts: { interest: 1, contact: 1, dropped: 1 } });
      expect(f.time_in_stage.find((t) => t.stage === 'contact')!.entries).toBe(2);
      // Scoped: the 武进 officer sees only 武进's follow-ups (organisation B's).
      expect((await funnel(w.as('wujin'))).stages.find((x) => x.stage === 'interest')!.reached).toBe(1);
    });
  });
});
