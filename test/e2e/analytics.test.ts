/**
 * The analysis pages in a real browser, on the Changzhou seed tables imported as the demo
 * imports them: a bureau officer of 常州 opens each analysis and the figures shown are checked
 * against the API the page reads (fetched here with the same session), and against the papers
 * where the papers state them — tiers 新北, 钟楼, 武进 / 金坛, 戚墅堰 / the rest, the yearly
 * totals 5636, 2406, 3946, 1188 (002 表2, §2.2) and the Belt-and-Road band counts
 * 4 / 19 / 28 / 7 / 8 (003 表1). A figure leads to the records behind it; the region report
 * downloads as Excel and PDF; the data-quality view links each finding to its import; roles
 * without analyses do not get the pages; the first page does
 * not load the chart library or the world shapes. Screenshots in test-results/screenshots.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FILES } from '../../src/demo/demo.ts';
import { launch, login, newPage, shot, startServer, type E2EServer, E2E_TEST_TIMEOUT } from './harness.ts';

let server: E2EServer;
let browser: Browser;
const OFFICER = 'cz-analyst';

/** The paper's figures (002 表2 and §2.2; 003 表1). */
const PAPER = {
  tier1: ['新北', '钟楼', '武进'],
  tier2: ['金坛', '戚墅堰'],
  yearly: { 2011: 5636, 2012: 2406, 2013: 3946, 2014: 1188 } as Record<number, number>,
  bands: { '1-20': 4, '21-50': 19, '51-100': 28, '101-132': 7 } as Record<string, number>,
  unranked: 8,
};

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('postgres'), launch()]);
  for (const { file, options } of DEMO_FILES) await server.seed(file, options);
  await server.user('bureau', OFFICER, { region: '常州' });
  await server.user('district', 'xb-analyst', { region: '新北' });
  await server.user('public', 'e2e-public');
  await server.user('admin', 'e2e-admin');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function apiJson<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

/** A figure as the page prints it, back to a number ("13,176" → 13176). */
const num = (s: string | null) => Number((s ?? '').replace(/[,\s%]/g, ''));
/** A share as the page prints it (one decimal, percent). */
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const text = async (page: Page, testid: string) => ((await page.getByTestId(testid).first().textContent()) ?? '').trim();

async function officerPage(user = OFFICER): Promise<Page> {
  const page = await newPage(browser, server.url);
  await login(page, user);
  return page;
}

describe('analysis pages (bureau officer of 常州)', { timeout: E2E_TEST_TIMEOUT }, () => {
  it('funding breakdown: the pivot matches the API; a region and a year open their funding records', async () => {
    const page = await officerPage();
    const api = await apiJson<{ total: number; rows: { region: string | null; year: number; amount: number }[] }>(page, '/api/query/funding?by=region,year');
    await page.goto('/analytics/funding');
    await expect.poll(() => text(page, 'grand-total')).not.toBe('');
    expect(num(await text(page, 'grand-total'))).toBe(api.total);
    // Column totals are the yearly totals: the paper's 5636, 2406, 3946, 1188.
    for (const [year, amount] of Object.entries(PAPER.yearly)) {
      const fromApi = api.rows.filter((r) => r.year === Number(year)).reduce((s, r) => s + r.amount, 0);
      expect(fromApi, `API ${year}`).toBe(amount);
      expect(num(await text(page, `coltotal-${year}`)), `page ${year}`).toBe(amount);
    }
    // Each cell of 新北's row against the API.
    const row = page.getByTestId('funding-table').locator('tr[data-row-key="新北"]');
    for (const r of api.rows.filter((x) => x.region === '新北')) {
      expect(num(await row.locator(`[data-col="c:${r.year}"]`).textContent()), `新北 ${r.year}`).toBe(r.amount);
    }
    await shot(page, 'analytics-01-funding');

    // Drill-down: 新北 → its funding records.
    const xinbei = await apiJson<{ items: { id: number; short_name: string; path: string }[] }>(page, `/api/regions?q=${encodeURIComponent('新北')}`);
    const xb = xinbei.items.find((r) => r.short_name === '新北')!;
    const records = await apiJson<{ total: number }>(page, `/api/funding?region_id=${xb.id}&pageSize=1`);
    await page.getByTestId('row-新北').click();
    await page.waitForURL(new RegExp(`/registries/funding\\?region_id=${xb.id}`));
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`共 ${records.total} 条`);
    await shot(page, 'analytics-02-funding-drill-region');

    // A year's total → that year's records (all regions).
    await page.goto('/analytics/funding');
    const year2013 = await apiJson<{ total: number }>(page, '/api/funding?year_min=2013&year_max=2013&pageSize=1');
    await page.getByTestId('coltotal-2013').locator('a').click();
    await page.waitForURL(/year_min=2013&year_max=2013/);
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`共 ${year2013.total} 条`);
    await page.context().close();
  });

  it('tiers: 新北, 钟楼, 武进 / 金坛, 戚墅堰 / the rest, and the "W" of 5636, 2406, 3946, 1188', async () => {
    const page = await officerPage();
    const api = await apiJson<{ tiers: { tier: number; members: { region: string; amount: number }[] }[] }>(
      page,
      '/api/analytics/tiers?by=region&measure=amount&thresholds=2000,1000&districtsOnly=true',
    );
    const trends = await apiJson<{ years: number[]; overall: { values: number[]; pattern: string } }>(page, '/api/analytics/trends?by=region&measure=amount');
    await page.goto('/analytics/tiers');
    await page.getByTestId('tier-1-members').waitFor();
    const members = async (n: number) => (await page.getByTestId(`tier-${n}-members`).locator('[data-member]').evaluateAll((els) => els.map((e) => e.getAttribute('data-member')))).sort();
    expect(api.tiers.map((t) => t.tier)).toEqual([1, 2, 3]);
    for (const t of api.tiers) expect(await members(t.tier), `tier ${t.tier}`).toEqual(t.members.map((m) => m.region).sort());
    expect(await members(1)).toEqual([...PAPER.tier1].sort());
    expect(await members(2)).toEqual([...PAPER.tier2].sort());
    const rest = await members(3);
    expect(rest.length).toBeGreaterThan(0);
    for (const r of rest) expect([...PAPER.tier1, ...PAPER.tier2]).not.toContain(r);
    // Each unit's total in the table against the API.
    for (const t of api.tiers) {
      for (const m of t.members) {
        expect(num(await page.getByTestId('tiers-table').locator(`tr[data-row-key="${m.region}"] [data-col="value"]`).textContent()), m.region).toBe(m.amount);
      }
    }
    // Yearly totals: API and paper.
    expect(trends.years).toEqual([2011, 2012, 2013, 2014]);
    for (const [i, y] of trends.years.entries()) {
      expect(trends.overall.values[i]).toBe(PAPER.yearly[y]);
      expect(num(await text(page, `year-total-${y}`)), String(y)).toBe(PAPER.yearly[y]);
    }
    expect(trends.overall.pattern).toBe('↓↑↓');
    expect(await text(page, 'yearly-shape')).toContain(trends.overall.pattern);
    await page.getByTestId('tiers-chart').and(page.locator('[data-rendered="true"]')).waitFor();
    await shot(page, 'analytics-03-tiers');

    // In English the tiers are named so.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('tier-1').textContent()).toContain('Tier 1');
    await shot(page, 'analytics-04-tiers-english');
    await page.context().close();
  });

  it('concentration: top-N share, HHI, Gini and the ranked units match the API', async () => {
    const page = await officerPage();
    const api = await apiJson<{ n: number; topShare: number; hhi: number; gini: number; total: number; members: { rank: number; region: string; amount: number; cumulative: number }[] }>(
      page,
      '/api/analytics/concentration?by=region&measure=amount&top=3',
    );
    await page.goto('/analytics/concentration?by=region&top=3');
    await expect.poll(() => text(page, 'fig-n')).toBe(String(api.n));
    expect(await text(page, 'fig-topshare')).toBe(pct(api.topShare));
    expect(num(await text(page, 'fig-hhi'))).toBeCloseTo(api.hhi, 3);
    expect(num(await text(page, 'fig-gini'))).toBeCloseTo(api.gini, 3);
    expect(num(await text(page, 'fig-total'))).toBe(api.total);
    const table = page.getByTestId('concentration-table');
    for (const m of api.members) {
      const row = table.locator(`tr[data-row-key="${m.region}"]`);
      expect(num(await row.locator('[data-col="value"]').textContent()), m.region).toBe(m.amount);
      expect(await row.locator('[data-col="cumulative"]').textContent(), m.region).toBe(pct(m.cumulative));
    }
    await page.getByTestId('concentration-chart').and(page.locator('[data-rendered="true"]')).waitFor();
    await shot(page, 'analytics-05-concentration');

    // On partner countries (the default): the seed funding names no country; the page says how much is left out.
    const byCountry = await apiJson<{ n: number; unassigned: { value: number; records: number } | null }>(page, '/api/analytics/concentration?by=country&measure=amount&top=10');
    await page.goto('/analytics/concentration');
    if (byCountry.unassigned) await expect.poll(() => text(page, 'concentration-unassigned')).toContain(byCountry.unassigned.value.toLocaleString('zh-CN'));
    if (byCountry.n === 0) await page.getByTestId('empty').waitFor();
    await page.context().close();
  });

  it('trends: the totals, their shape and every unit\'s CV and CAGR match the API', async () => {
    const page = await officerPage();
    const api = await apiJson<{ years: number[]; overall: { values: number[]; pattern: string; cv: number; cagr: number }; units: { region: string; cv: number | null; cagr: number | null; total: number }[] }>(
      page,
      '/api/analytics/trends?by=region&measure=amount&cvThreshold=0.5&districtsOnly=true',
    );
    await page.goto('/analytics/trends');
    await expect.poll(() => text(page, 'overall-values')).not.toBe('');
    expect((await text(page, 'overall-values')).split('/').map(num)).toEqual(api.overall.values);
    expect(api.overall.values).toEqual(Object.values(PAPER.yearly));
    expect(await text(page, 'overall-pattern')).toBe(api.overall.pattern);
    expect(await text(page, 'overall-cagr')).toBe(pct(api.overall.cagr));
    const table = page.getByTestId('trends-table');
    expect(await table.locator('tbody tr[data-row-key]').count()).toBe(api.units.length);
    for (const u of api.units) {
      const row = table.locator(`tr[data-row-key="${u.region}"]`);
      expect(num(await row.locator('[data-col="total"]').textContent()), u.region).toBe(u.total);
      expect(num(await row.locator('[data-col="cv"]').textContent()), u.region).toBeCloseTo(u.cv ?? NaN, 2);
      expect(await row.locator('[data-col="cagr"]').textContent(), u.region).toBe(pct(u.cagr));
    }
    await page.getByTestId('trends-chart').and(page.locator('[data-rendered="true"]')).waitFor();
    await shot(page, 'analytics-06-trends');
    await page.context().close();
  });

  it('country strategy: the Belt-and-Road band counts 4 / 19 / 28 / 7 / 8 and the directions match the API', async () => {
    const page = await officerPage();
    const api = await apiJson<{ bands: { band: string | null; ranked: boolean; countries: number }[]; directions: Record<string, number>; countries: { iso3: string }[]; unresolved: { name: string; import_id: number }[] }>(
      page,
      '/api/analytics/strategy?group=BRI',
    );
    await page.goto('/analytics/strategy');
    await page.getByTestId('bands-table').waitFor();
    for (const b of api.bands) expect(num(await text(page, `band-${b.band ?? '-'}`)), String(b.band)).toBe(b.countries);
    for (const [band, n] of Object.entries(PAPER.bands)) expect(num(await text(page, `band-${band}`)), band).toBe(n);
    // The eighth unranked name of the table is not a country (西奈半岛): listed with its import.
    const unranked = api.bands.find((b) => !b.ranked && b.band !== null)!;
    expect(num(await text(page, `band-${unranked.band}`)) + api.unresolved.length).toBe(PAPER.unranked);
    expect(await page.getByTestId('unresolved-name').allTextContents()).toEqual(api.unresolved.map((u) => u.name));
    expect(await page.getByTestId('unresolved-name').first().getAttribute('href')).toBe(`/imports/${api.unresolved[0].import_id}`);
    for (const [k, n] of Object.entries(api.directions)) expect(num(await text(page, `direction-${k}`)), k).toBe(n);
    expect(num((await text(page, 'strategy-count')).replace(/\D+/g, ''))).toBe(api.countries.length);
    await page.getByTestId('bands-chart').and(page.locator('[data-rendered="true"]')).waitFor();
    await shot(page, 'analytics-07-strategy');

    // A country opens its page.
    await page.getByTestId('strategy-table').getByRole('link', { name: /以色列/ }).click();
    await page.waitForURL(/\/countries\/ISR$/);
    await expect.poll(() => text(page, 'country-iso3')).toBe('ISR');
    await page.context().close();
  });

  it('collaboration network: nodes, edges and centralities match the API', async () => {
    const page = await officerPage();
    const api = await apiJson<{ nodes: { id: string; degree: number; betweenness: number; eigenvector: number }[]; edges: number; projects: number }>(page, '/api/analytics/network?level=country&weight=projects');
    await page.goto('/analytics/network');
    await expect.poll(() => text(page, 'fig-nodes')).toBe(String(api.nodes.length));
    expect(num(await text(page, 'fig-edges'))).toBe(api.edges);
    expect(num(await text(page, 'fig-projects'))).toBe(api.projects);
    const table = page.getByTestId('network-table');
    for (const n of api.nodes) {
      const row = table.locator(`tr[data-row-key="${n.id}"]`);
      expect(num(await row.locator('[data-col="degree"]').textContent()), n.id).toBe(n.degree);
      expect(num(await row.locator('[data-col="betweenness"]').textContent()), n.id).toBeCloseTo(n.betweenness, 3);
      expect(num(await row.locator('[data-col="eigenvector"]').textContent()), n.id).toBeCloseTo(n.eigenvector, 3);
    }
    await page.getByTestId('network-chart').and(page.locator('[data-rendered="true"]')).waitFor();
    await shot(page, 'analytics-08-network');
    await page.context().close();
  });

  it('world map: partner countries coloured from the API, the table beside it, a country opens its page', async () => {
    const page = await officerPage();
    const api = await apiJson<{ countries: { iso3: string; projects: number; participations: number; funding: number }[] }>(page, '/api/analytics/map');
    expect(api.countries.length).toBeGreaterThan(0);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto('/analytics/map');
    await page.getByTestId('world-map').and(page.locator('[data-rendered="true"]')).waitFor();
    expect(requests.some((u) => /WorldMap-[^/]*\.js$/.test(u)), 'the world shapes load with the map page').toBe(true);
    const table = page.getByTestId('map-table');
    for (const c of api.countries.slice(0, 10)) {
      const row = table.locator(`tr[data-row-key="${c.iso3}"]`);
      expect(num(await row.locator('[data-col="projects"]').textContent()), c.iso3).toBe(c.projects);
      expect(num(await row.locator('[data-col="participations"]').textContent()), c.iso3).toBe(c.participations);
    }
    await shot(page, 'analytics-09-map');
    expect(await text(page, 'map-count')).toContain(String(api.countries.length));
    await table.locator(`tr[data-row-key="${api.countries[0].iso3}"] a`).first().click();
    await page.waitForURL(new RegExp(`/countries/${api.countries[0].iso3}$`));
    await page.context().close();
  });

  it('countries: the list finds 以色列, and its page shows groups, indicators and our cooperation', async () => {
    const page = await officerPage();
    await page.goto('/countries');
    await page.getByTestId('countries-search').locator('input').fill('以色列');
    await page.getByTestId('countries-search').locator('input').press('Enter');
    await page.getByTestId('countries-table').locator('tr[data-row-key="ISR"]').waitFor();
    await shot(page, 'analytics-10-countries');
    await page.getByTestId('countries-table').locator('tr[data-row-key="ISR"] a').first().click();
    await page.waitForURL(/\/countries\/ISR$/);
    const detail = await apiJson<{ group_details: { name_zh: string }[] }>(page, '/api/countries/ISR');
    await expect.poll(() => text(page, 'country-groups')).toContain(detail.group_details[0].name_zh);
    expect(await page.getByTestId('country-indicators').textContent()).toContain('1-20');
    const strategy = await apiJson<{ countries: { iso3: string; cooperation: { projects: number } }[] }>(page, '/api/analytics/strategy?all=true');
    const isr = strategy.countries.find((c) => c.iso3 === 'ISR')!;
    await expect.poll(() => text(page, 'coop-projects')).toBe(String(isr.cooperation.projects));
    await shot(page, 'analytics-11-country-ISR');
    await page.context().close();
  });

  it('region dashboard: the figures match the API, and the region report downloads as Excel and PDF', async () => {
    const page = await officerPage();
    // Without a chosen region the dashboard shows the officer's own (常州), named by its code.
    const me = await apiJson<{ user: { region_id: number } }>(page, '/api/auth/me');
    const home = await apiJson<{ code: string; name: string }>(page, `/api/regions/${me.user.region_id}`);
    const api = await apiJson<{ by_year: { year: number; amount: number; records: number }[]; tiers: { tiers: { tier: number; members: { region: string }[] }[] } }>(
      page,
      `/api/analytics/dashboard?region=${home.code}&thresholds=2000,1000&top=10&nodes=10`,
    );
    expect(api.by_year.map((r) => r.amount)).toEqual(Object.values(PAPER.yearly));
    await page.goto('/analytics/dashboard');
    await expect.poll(() => text(page, 'dash-total')).not.toBe('');
    expect(num(await text(page, 'dash-total'))).toBe(api.by_year.reduce((s, r) => s + r.amount, 0));
    for (const t of api.tiers.tiers) {
      const shown = await text(page, `dash-tier-${t.tier}-members`);
      for (const m of t.members) expect(shown, `tier ${t.tier}`).toContain(m.region);
    }
    expect(await text(page, 'dash-region')).toContain(home.name);
    await shot(page, 'analytics-12-dashboard');
    for (const [button, magic, ext] of [['report-xlsx', 'PK', '.xlsx'], ['report-pdf', '%PDF', '.pdf']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(button).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\${ext}$`));
      const body = fs.readFileSync((await download.path())!);
      expect(body.subarray(0, magic.length).toString('latin1')).toBe(magic);
    }
    await page.context().close();
  });
});

describe('data quality (administrator)', { timeout: E2E_TEST_TIMEOUT }, () => {
  it('stated figures that disagree, unresolved names and duplicates, each linked to its import', async () => {
    const page = await officerPage('e2e-admin');
    const summary = await apiJson<{ facts: number; totals: number; unresolved: number; duplicates: { found: number; complete: boolean } }>(page, '/api/quality');
    const facts = await apiJson<{ items: { fact_id: number; code: string; stated: number | null; computed: number | null; import_id: number | null }[] }>(page, '/api/quality/facts');
    await page.goto('/analytics/quality');
    await expect.poll(() => text(page, 'count-facts')).toBe(String(summary.facts));
    expect(await text(page, 'count-totals')).toBe(String(summary.totals));
    expect(await text(page, 'count-unresolved')).toBe(String(summary.unresolved));
    const table = page.getByTestId('quality-facts');
    await table.locator('tr[data-row-key]').first().waitFor();
    expect(facts.items.length).toBe(summary.facts);
    // The paper's two totals for 2011–2014: 18176 万元 stated (002 §2.3) against the 13176 of 表2.
    const total = facts.items.find((f) => f.code === 'TOTAL_MISMATCH' && f.stated === 18176)!;
    expect(total.computed).toBe(13176);
    const row = table.locator(`tr[data-row-key="${total.fact_id}:${total.code}"]`);
    expect(num(await row.locator('[data-col="stated"]').textContent())).toBe(18176);
    expect(num(await row.locator('[data-col="computed"]').textContent())).toBe(13176);
    expect(await row.getByTestId('import-link').getAttribute('href')).toBe(`/imports/${total.import_id}`);
    await page.getByTestId('quality-chart').and(page.locator('[data-rendered="true"]')).waitFor();
    await shot(page, 'analytics-13-quality');

    const unresolved = await apiJson<{ items: { kind: string; name: string; imports: { import_id: number }[] }[] }>(page, '/api/quality/unresolved');
    await page.goto('/analytics/quality?tab=unresolved');
    const names = page.getByTestId('quality-unresolved');
    await names.locator('tr[data-row-key]').first().waitFor();
    expect(await names.locator('tr[data-row-key]').count()).toBe(unresolved.items.length);
    const sinai = unresolved.items.find((u) => u.name === '西奈半岛')!;
    const sinaiRow = names.locator(`tr[data-row-key="${sinai.kind}|${sinai.name}"]`);
    expect(await sinaiRow.getByTestId('import-link').first().getAttribute('href')).toBe(`/imports/${sinai.imports[0].import_id}`);
    await shot(page, 'analytics-14-quality-unresolved');
    await sinaiRow.getByTestId('import-link').first().click();
    await page.waitForURL(new RegExp(`/imports/${sinai.imports[0].import_id}$`));
    await page.context().close();
  });
});

describe('who gets the analyses', { timeout: E2E_TEST_TIMEOUT }, () => {
  it('a district officer sees only their district in the breakdown', async () => {
    const page = await officerPage('xb-analyst');
    const api = await apiJson<{ total: number; rows: { region: string }[] }>(page, '/api/query/funding?by=region,year');
    expect(new Set(api.rows.map((r) => r.region))).toEqual(new Set(['新北']));
    await page.goto('/analytics/funding');
    await expect.poll(() => text(page, 'grand-total')).not.toBe('');
    expect(num(await text(page, 'grand-total'))).toBe(api.total);
    expect(await page.getByTestId('funding-table').locator('tbody tr[data-row-key]').count()).toBe(1);
    await page.context().close();
  });

  it('the public gets no analysis menu and no analysis page', async () => {
    const page = await officerPage('e2e-public');
    expect(await page.getByTestId('main-menu').textContent()).not.toContain('统计分析');
    await page.goto('/analytics/tiers');
    await page.getByTestId('error-page').waitFor();
    await page.context().close();
  });

  it('the first page loads neither the chart library nor the world shapes', async () => {
    const page = await newPage(browser, server.url);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await login(page, OFFICER);
    await page.getByTestId('main-menu').waitFor();
    const scripts = requests.filter((u) => u.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((u) => /\/(Chart|WorldMap)-[^/]*\.js$/.test(u))).toEqual([]);
    await page.goto('/analytics/tiers');
    await page.getByTestId('tiers-chart').waitFor();
    expect(requests.some((u) => /\/Chart-[^/]*\.js$/.test(u))).toBe(true);
    expect(requests.some((u) => /\/WorldMap-[^/]*\.js$/.test(u))).toBe(false);
    await page.context().close();
  });
});
