/**
 * The technology marketplace in the browser (issue 7). Setup: English offers loaded through
 * the marketplace importer and published (as a bureau loading its results database; the
 * English descriptions written for the engine's tests, engine/fixtures.ts), and a foreign
 * partner with a joint project in the field. An organisation user of a Xinbei enterprise
 * writes a demand in Chinese — the server's coded refusal of a past expiry date shows on that
 * field — saves and submits it; a Changzhou bureau officer finds it in the review queue and
 * approves it; the demand's page then lists matches against the English offers, each with
 * reasons, in the order GET /api/market/profiles/:id/matches gives; the organisation
 * expresses interest in the first one and the funnel page shows the counts /api/market/funnel
 * reports. The search page, saved searches, alerts and the lists are checked against the API
 * too. Screenshots of each page go to test-results/screenshots (market-*.png).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/actor.ts';
import { EN_DESCRIPTIONS, EN_DISTRACTORS } from '../../src/modules/market/engine/fixtures.ts';
import { importProfiles } from '../../src/modules/market/market.import.ts';
import { registryService } from '../../src/modules/registry/registry.service.ts';
import { REGISTRIES } from '../../src/modules/registries/defs.ts';
import { testConfig } from '../app.ts';
import { fillDate, launch, login, newPage, shot, startServer, type E2EServer, E2E_TEST_TIMEOUT } from './harness.ts';

let server: E2EServer;
let browser: Browser;
let demandId: number;

const HAN = /[\u4e00-\u9fff]/;
/** The demand, in Chinese only (a Changzhou pharmaceutical enterprise, as in the seed table's 新医药 projects). */
const DEMAND = {
  title: '超临界流体结晶技术提高难溶性药物的生物利用度',
  summary: '我公司需要超临界流体药物结晶工艺，用于改善难溶性药物的溶出和生物利用度，寻求联合研发或技术许可。',
};
/** English offers: the descriptions of the seed projects written for the engine's tests, with invented field, stage, cooperation and country. */
const OFFERS: [title: string, field: string, trl: number, cooperation: string, country: string][] = [
  [EN_DESCRIPTIONS[16], 'biomedicine', 6, 'joint R&D', 'Germany'],
  [EN_DESCRIPTIONS[17], 'biomedicine', 5, 'licence', 'Israel'],
  [EN_DESCRIPTIONS[19], 'biomedicine', 4, 'licence; technical service', 'United Kingdom'],
  [EN_DESCRIPTIONS[7], 'ict', 7, 'technical service', 'United Kingdom'],
  [EN_DESCRIPTIONS[11], 'intelligent_manufacturing', 6, 'joint R&D', 'Germany'],
  [EN_DISTRACTORS[1], 'environment', 5, 'investment', 'Israel'],
  [EN_DISTRACTORS[5], 'new_energy_vehicles', 6, 'licence', 'Germany'],
];

const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n');

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('postgres'), launch()]);
  const db = server.store.db;
  const ctx = { db, actor: systemActor('e2e-setup'), config: testConfig() };
  const [xinbei] = await db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '新北' AND level = 'district'`);
  const orgs = registryService(REGISTRIES.organizations);
  const enterprise = Number((await orgs.create(ctx, { name_zh: '常州晶华医药科技有限公司', domestic: true, type: 'enterprise', region_id: Number(xinbei.id) })).id);
  const fraunhofer = Number((await orgs.create(ctx, { name_en: 'Fraunhofer Institute for Process Engineering', domestic: false, type: 'institute', country_iso3: 'DEU', classification: 'public' })).id);
  const project = Number(
    (await registryService(REGISTRIES.projects).create(ctx, { code: 'E2E-MK-1', title_en: 'Supercritical fluid crystallisation of pharmaceutical compounds', field: '新医药', region_id: Number(xinbei.id) })).id,
  );
  await db.query('INSERT INTO project_partners (project_id, org_id, country_iso3, role) VALUES ($1, $2, $3, $4)', [project, fraunhofer, 'DEU', 'partner']);
  // GII 2022 ranks (WIPO; as in market.fixture.ts): the country reason states the suggested direction from them.
  await db.query(`INSERT INTO country_indicators (iso3, indicator, year, value_num, source) VALUES ('GBR', 'gii_rank', 2022, 4, 'GII 2022'), ('DEU', 'gii_rank', 2022, 8, 'GII 2022')`);
  // The English offers through the marketplace importer, published at once (the operator's --publish).
  const header = ['title', 'field', 'trl', 'cooperation', 'country'];
  const res = await importProfiles(ctx, { fileName: 'offers-en.csv', buffer: csv([header, ...OFFERS.map((o) => o.map(String))]) }, { kind: 'offers', publish: true });
  if (!res.ok || res.rows.imported !== OFFERS.length) throw new Error(`offers import failed: ${JSON.stringify(res)}`);
  await server.user('organization', 'cz-enterprise', { org: enterprise });
  await server.user('bureau', 'cz-officer', { region: '常州' });
  await server.user('public', 'cz-visitor');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function apiJson<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

/** The input of a form control found by its test id (on the input itself or around it). */
const input = (page: Page, id: string) => page.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input`).first();

/** Picks an option of an Ant Design select by its visible label (a multiple select's list is closed after). */
async function choose(page: Page, id: string, label: string, multiple = false) {
  await page.getByTestId(id).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
  if (multiple) await page.keyboard.press('Escape');
}

interface Match {
  kind: string;
  id: string;
  title: string;
  score: number;
  reasons: { type: string; via?: string; detail_zh: string; detail_en: string }[];
}

/** The results a page lists, in order: kind, id, title and the number of reasons shown (read at one instant). */
async function listed(page: Page, within: string) {
  return page
    .getByTestId(within)
    .getByTestId('match-result')
    .evaluateAll((items) =>
      items.map((item) => ({
        kind: item.getAttribute('data-kind') ?? '',
        id: item.getAttribute('data-id') ?? '',
        reasons: item.querySelectorAll('[data-testid="match-reason"]').length,
        title: (item.querySelector('[data-testid="match-title"]')?.textContent ?? '').trim(),
      })),
    );
}

describe('technology marketplace in the browser', { timeout: E2E_TEST_TIMEOUT }, () => {
  it('an organisation writes a demand in Chinese: the coded refusal shows on its field, then it is saved and submitted', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'cz-enterprise');
    await page.goto('/market/demands');
    await page.getByTestId('profile-table').waitFor();
    await page.getByTestId('create').click();
    await page.waitForURL(/\/market\/profiles\/new\?kind=demand/);
    await input(page, 'field-title_zh').fill(DEMAND.title);
    await input(page, 'field-summary_zh').fill(DEMAND.summary);
    await choose(page, 'field-field', '生物医药');
    await input(page, 'field-trl').fill('4');
    await choose(page, 'field-cooperation', '联合研发', true);
    await choose(page, 'field-cooperation', '技术许可', true);
    await fillDate(page, 'field-expires_on', '2020-01-31');
    await page.getByTestId('save').click();
    // The server refuses a past expiry date; its message shows on that field and in the alert with its code.
    await page.getByTestId('error-alert').waitFor();
    expect(await page.getByTestId('error-code').textContent()).toBe('MARKET_EXPIRY_PAST');
    const fieldError = page.locator('.ant-form-item-has-error').filter({ has: page.getByTestId('field-expires_on') });
    expect(await fieldError.locator('.ant-form-item-explain-error').textContent()).toMatch(/有效期 2020-01-31 已过/);
    await shot(page, 'market-01-form-coded-error');
    await fillDate(page, 'field-expires_on', null);
    await page.getByTestId('save').click();
    await page.waitForURL(/\/market\/profiles\/\d+$/);
    demandId = Number(page.url().split('/').pop());
    await expect.poll(() => page.getByTestId('profile-status').getAttribute('data-status')).toBe('draft');
    const draft = await apiJson<{ kind: string; status: string; title_zh: string; title_en: string | null; field: string; trl: number; cooperation: string[] }>(page, `/api/market/profiles/${demandId}`);
    expect(draft).toMatchObject({ kind: 'demand', status: 'draft', title_zh: DEMAND.title, title_en: null, field: 'biomedicine', trl: 4 });
    expect([...draft.cooperation].sort()).toEqual(['joint_rd', 'licence']);
    await shot(page, 'market-02-demand-draft');

    await page.getByTestId('action-submit').click();
    // The server's answer first (its error text if it refuses), then the page that shows it.
    const [submitted] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/market/profiles/${demandId}/submit` && r.request().method() === 'POST'),
      page.getByTestId('confirm-submit').click(),
    ]);
    expect(submitted.status(), await submitted.text()).toBe(200);
    await expect.poll(() => page.getByTestId('profile-status').getAttribute('data-status')).toBe('submitted');
    expect((await apiJson<{ status: string }>(page, `/api/market/profiles/${demandId}`)).status).toBe('submitted');
    const history = page.getByTestId('profile-history').getByTestId('history-entry');
    await expect.poll(() => history.count()).toBe(2);
    await page.context().close();
  });

  it('a bureau officer finds it in the review queue and approves it; a visitor cannot see it before', async () => {
    const visitor = await newPage(browser, server.url);
    await login(visitor, 'cz-visitor');
    expect((await visitor.request.get(`/api/market/profiles/${demandId}`)).status()).toBe(404);
    await visitor.goto(`/market/profiles/${demandId}`);
    expect(await visitor.getByTestId('error-page').textContent()).toMatch(HAN);
    await visitor.context().close();

    const page = await newPage(browser, server.url);
    await login(page, 'cz-officer');
    await page.goto('/market/review');
    const queue = await apiJson<{ items: { id: number }[]; total: number }>(page, '/api/market/profiles?status=submitted');
    expect(queue.items.map((p) => p.id)).toContain(demandId);
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`共 ${queue.total} 条`);
    await shot(page, 'market-03-review-queue');
    await page.getByTestId('review-table').locator(`[data-testid="profile-link"][data-id="${demandId}"]`).click();
    await page.waitForURL(new RegExp(`/market/profiles/${demandId}$`));
    await page.getByTestId('action-review').click();
    await page.getByTestId('decision-approve').click();
    await input(page, 'review-comment-input').fill('内容完整，同意发布。');
    await page.getByTestId('review-ok').click();
    await expect.poll(() => page.getByTestId('profile-status').getAttribute('data-status')).toBe('published');
    const published = await apiJson<{ status: string; reviewed_by: string; expires_on: string }>(page, `/api/market/profiles/${demandId}`);
    expect(published).toMatchObject({ status: 'published', reviewed_by: 'cz-officer' });
    expect(await page.getByTestId('review-comment').textContent()).toBe('内容完整，同意发布。');
    const actions = await apiJson<{ items: { action: string }[] }>(page, `/api/market/profiles/${demandId}/history`);
    expect(actions.items.map((e) => e.action)).toEqual(['create', 'submit', 'approve']);
    await page.context().close();
  });

  it('the published demand lists the English offers that fit, with reasons, in the order of /api/market/profiles/:id/matches; the organisation expresses interest', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'cz-enterprise');
    await page.goto(`/market/profiles/${demandId}`);
    await page.getByTestId('profile-matches').waitFor();
    const shown = await listed(page, 'profile-matches');
    const api = await apiJson<{ results: Match[] }>(page, `/api/market/profiles/${demandId}/matches?kind=offers,partners,talents&top=10&lang=zh`);
    expect(api.results.length).toBeGreaterThan(0);
    expect(shown.map(({ kind, id }) => ({ kind, id }))).toEqual(api.results.map(({ kind, id }) => ({ kind, id })));
    expect(shown.map((s) => s.title)).toEqual(api.results.map((r) => r.title));
    // Every result states at least one reason, and the page shows each of them.
    for (const [i, r] of api.results.entries()) {
      expect(r.reasons.length, r.title).toBeGreaterThan(0);
      expect(shown[i].reasons, r.title).toBe(r.reasons.length);
    }
    // The best matches are the English supercritical-crystallisation offers, found through translation of the Chinese demand.
    const offers = api.results.filter((r) => r.kind === 'offer');
    expect(offers[0].title).not.toMatch(HAN);
    expect([EN_DESCRIPTIONS[16], EN_DESCRIPTIONS[17], EN_DESCRIPTIONS[19]]).toContain(offers[0].title);
    expect(offers[0].reasons.some((x) => x.type === 'term' && (x.via === 'translation' || x.via === 'glossary'))).toBe(true);
    const firstReasons = (await page.getByTestId('profile-matches').getByTestId('match-result').first().getByTestId('match-reasons').textContent()) ?? '';
    expect(firstReasons).toContain(api.results[0].reasons[0].detail_zh);
    await shot(page, 'market-04-demand-matches');

    // Express interest in the first offer: a follow-up at "interest" appears on the page and in the API.
    const first = page.getByTestId('profile-matches').getByTestId('match-result').filter({ has: page.getByTestId('express-interest') }).first();
    const target = { kind: await first.getAttribute('data-kind'), id: Number(await first.getAttribute('data-id')) };
    // Found again by its record: once followed it no longer has the button the first locator filters on.
    const item = page.getByTestId('profile-matches').locator(`[data-testid="match-result"][data-kind="${target.kind}"][data-id="${target.id}"]`);
    await item.getByTestId('express-interest').click();
    await item.getByTestId('match-followed').waitFor();
    const followups = await apiJson<{ items: { target_kind: string; target_id: number; stage: string; reasons: unknown[] }[] }>(page, `/api/market/followups?profile_id=${demandId}`);
    expect(followups.items).toHaveLength(1);
    expect(followups.items[0]).toMatchObject({ target_kind: target.kind, target_id: target.id, stage: 'interest' });
    expect(followups.items[0].reasons.length).toBeGreaterThan(0);

    await page.goto('/market/followups');
    const rows = page.getByTestId('followups-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator('[data-stage]').getAttribute('data-stage')).toBe('interest');
    // The organisation met the partner: the follow-up skips "contact" (stages may be skipped, never gone back to).
    await rows.first().getByTestId('followup-move').click();
    await choose(page, 'move-stage', '已会谈');
    await page.getByTestId('move-ok').click();
    await expect.poll(() => rows.first().locator('[data-stage]').getAttribute('data-stage')).toBe('meeting');
    const moved = await apiJson<{ items: { stage: string; reached: string }[] }>(page, `/api/market/followups?profile_id=${demandId}`);
    expect(moved.items[0]).toMatchObject({ stage: 'meeting', reached: 'meeting' });
    await rows.first().locator('.ant-table-row-expand-icon').click();
    await shot(page, 'market-05-followups');
    await page.context().close();
  });

  it('the funnel page shows the counts /api/market/funnel reports, overall and by field', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'cz-officer');
    await page.goto('/market/funnel');
    await page.getByTestId('funnel-stages').waitFor();
    const funnel = await apiJson<{ stages: { stage: string; reached: number; current: number }[] }>(page, '/api/market/funnel');
    const interest = funnel.stages.find((s) => s.stage === 'interest')!;
    expect(interest.reached).toBe(1);
    expect(funnel.stages.find((s) => s.stage === 'meeting')).toMatchObject({ reached: 1, current: 1 });
    expect(funnel.stages.find((s) => s.stage === 'contact')).toMatchObject({ reached: 1, current: 0 });
    for (const s of funnel.stages) {
      expect(await page.getByTestId(`stage-reached-${s.stage}`).textContent(), s.stage).toBe(String(s.reached));
      expect(await page.getByTestId(`stage-current-${s.stage}`).textContent(), s.stage).toBe(String(s.current));
    }
    // The shown matches of the demand's page are the top of the funnel.
    expect(funnel.stages.find((s) => s.stage === 'shown')!.reached).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('funnel-chart').getAttribute('data-rendered')).toBe('true');
    await shot(page, 'market-06-funnel');

    await page.getByTestId('funnel-by').getByText('按技术领域').click();
    await page.waitForURL(/by=field/);
    const byField = await apiJson<{ groups: { key: string | null; label_zh: string; counts: Record<string, number> }[] }>(page, '/api/market/funnel?by=field');
    const bio = byField.groups.find((g) => g.key === 'biomedicine')!;
    expect(bio.counts).toMatchObject({ interest: 1, contact: 1, meeting: 1, negotiation: 0 });
    const row = page.getByTestId('funnel-groups').locator('tbody tr', { hasText: bio.label_zh });
    await expect.poll(() => row.getByTestId('group-interest').textContent()).toBe(String(bio.counts.interest));
    expect(await row.getByTestId('group-shown').textContent()).toBe(String(bio.counts.shown));
    await row.click();
    await page.waitForURL(/g=biomedicine/);
    expect(await page.getByTestId('stage-reached-interest').textContent()).toBe(String(bio.counts.interest));
    await shot(page, 'market-07-funnel-by-field');
    await page.context().close();
  });

  it('the search page ranks offers and partners for a Chinese text as the match API does, and saves the search', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'cz-enterprise');
    const text = '超临界流体结晶';
    await page.goto('/market');
    await input(page, 'market-search').fill(text);
    await page.getByTestId('market-search-button').click();
    await page.getByTestId('match-results').waitFor();
    const shown = await listed(page, 'match-results');
    const api = await apiJson<{ results: Match[] }>(page, `/api/market/match?text=${encodeURIComponent(text)}&kind=offers,partners,talents&top=20&lang=zh`);
    expect(shown.map(({ kind, id }) => ({ kind, id }))).toEqual(api.results.map(({ kind, id }) => ({ kind, id })));
    for (const [i, r] of api.results.entries()) {
      expect(r.reasons.length, r.title).toBeGreaterThan(0);
      expect(shown[i].reasons, r.title).toBe(r.reasons.length);
    }
    // The German partner with a supercritical-crystallisation project is found, with its country and project record as reasons.
    const partner = api.results.find((r) => r.kind === 'partner');
    expect(partner?.title).toBe('Fraunhofer Institute for Process Engineering');
    expect(partner!.reasons.map((r) => r.type)).toEqual(expect.arrayContaining(['country', 'record']));
    expect(partner!.reasons.find((r) => r.type === 'country')!.detail_zh).toMatch(/^合作国别：德国（建议“.+”/);
    await shot(page, 'market-08-search');

    // Filters narrow the same way on the page and in the API (offers only, licence).
    await page.getByTestId('filter-kind').getByText('国外合作机构').click();
    await page.getByTestId('filter-kind').getByText('人才专家').click();
    await choose(page, 'filter-cooperation', '技术许可', true);
    await page.waitForURL(/cooperation=licence/);
    const filtered = await apiJson<{ results: Match[] }>(page, `/api/market/match?text=${encodeURIComponent(text)}&kind=offers&cooperation=licence&top=20&lang=zh`);
    await expect.poll(async () => (await listed(page, 'match-results')).map((r) => r.id).join(',')).toBe(filtered.results.map((r) => r.id).join(','));

    await page.getByTestId('save-search').click();
    await input(page, 'save-search-name').fill('超临界结晶技术许可');
    await page.getByTestId('save-search-ok').click();
    await page.getByTestId('save-search-name').waitFor({ state: 'detached' });
    const searches = await apiJson<{ items: { name: string; text: string; kind: string; filters: Record<string, unknown> }[] }>(page, '/api/market/searches');
    expect(searches.items).toEqual([expect.objectContaining({ name: '超临界结晶技术许可', text, kind: 'offer', filters: { cooperation: ['licence'] } })]);
    await page.context().close();
  });

  it('a newly published offer that fits raises an alert on the alerts page, as /api/market/alerts says', async () => {
    const officer = await newPage(browser, server.url);
    await login(officer, 'cz-officer');
    const created = await officer.request.post('/api/market/profiles', {
      data: { kind: 'offer', title_en: 'Supercritical fluid crystallisation of poorly soluble drugs: licensing the process', field: 'biomedicine', trl: 6, cooperation: ['licence'], country_iso3: 'DEU' },
    });
    expect(created.status()).toBe(201);
    const offer = (await created.json()) as { id: number };
    expect((await officer.request.post(`/api/market/profiles/${offer.id}/submit`, { data: {} })).status()).toBe(200);
    expect((await officer.request.post(`/api/market/profiles/${offer.id}/review`, { data: { decision: 'approve' } })).status()).toBe(200);
    await officer.context().close();

    const page = await newPage(browser, server.url);
    await login(page, 'cz-enterprise');
    const alerts = await apiJson<{ items: { id: number; profile: { id: number }; message: string }[] }>(page, '/api/market/alerts');
    const mine = alerts.items.filter((a) => a.profile.id === offer.id);
    expect(mine.length).toBeGreaterThan(0);
    await page.goto('/market/alerts');
    const rows = page.getByTestId('alerts-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(alerts.items.length);
    const messages = await page.getByTestId('alert-message').allTextContents();
    expect([...messages].sort()).toEqual(alerts.items.map((a) => a.message).sort());
    expect(await page.getByTestId('saved-searches').textContent()).toContain('超临界结晶技术许可');
    await shot(page, 'market-09-alerts');
    await rows.first().getByTestId('alert-read').click();
    await expect.poll(async () => (await apiJson<{ items: unknown[] }>(page, '/api/market/alerts?unread=true')).items.length).toBe(alerts.items.length - 1);
    await page.context().close();
  });

  it('the offers list pages, filters and shows the API total; the demand reads in English', async () => {
    const page = await newPage(browser, server.url, 'en');
    await login(page, 'cz-visitor');
    await page.goto('/market/offers');
    const all = await apiJson<{ total: number }>(page, '/api/market/profiles?kind=offer');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`${all.total} in all`);
    await choose(page, 'filter-field', 'Biomedicine and pharmaceuticals');
    await page.waitForURL(/field=biomedicine/);
    const bio = await apiJson<{ total: number; items: { id: number }[] }>(page, '/api/market/profiles?kind=offer&field=biomedicine');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`${bio.total} in all`);
    const ids = await page.getByTestId('profile-table').getByTestId('profile-link').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(ids).toEqual(bio.items.map((p) => p.id));
    await shot(page, 'market-10-offers-list');
    // A visitor may not post.
    expect(await page.getByTestId('create').count()).toBe(0);

    await page.goto(`/market/profiles/${demandId}`);
    await page.getByTestId('profile-matches').waitFor();
    expect(await page.getByTestId('profile-status').textContent()).toBe('published');
    const api = await apiJson<{ results: Match[] }>(page, `/api/market/profiles/${demandId}/matches?kind=offers,partners,talents&top=10&lang=en`);
    const firstReasons = (await page.getByTestId('profile-matches').getByTestId('match-result').first().getByTestId('match-reasons').textContent()) ?? '';
    expect(firstReasons).toContain(api.results[0].reasons[0].detail_en);
    await shot(page, 'market-11-demand-english');
    await page.context().close();
  });
});
