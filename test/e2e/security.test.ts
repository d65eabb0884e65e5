/**
 * Web security in a real browser (issue 21), on the Changzhou seed tables:
 *
 * - Stored names in chart tooltips (finding 2): an organisation user renames its own
 *   organisation, a bureau officer renames a country, adds a country alias and a district, a
 *   technology field and a stated figure, an evaluator names a dimension, an indicator and a
 *   unit — each name carrying `<img src=x onerror=…>`. Every chart page that shows names is
 *   opened and its data items hovered with the mouse: each tooltip shows the name as text,
 *   holds no element made from it, and nothing ran (window.__xss stays unset).
 * - Content-Security-Policy: every main page (and the API documentation) loads under the
 *   policy the server sends without one violation reported, and an inline event handler
 *   planted in a page is refused.
 * - Cross-site requests (finding 6): while the officer is logged in, a page served from another
 *   loopback port submits a form (an import of organisations) and a credentialed fetch to
 *   innolink; both are refused and nothing is written, while the application's own requests
 *   still work.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FILES } from '../../src/demo/demo.ts';
import { DEFAULT_AUTH_SETTINGS } from '../../src/modules/auth/auth.service.ts';
import { TEST_PASSWORD } from '../../src/modules/auth/auth.testing.ts';
import { hoverCharts, renderedCharts, type Hovered } from './charts.ts';
import { launch, login, newPage, shot, startServer, type E2EServer, E2E_TEST_TIMEOUT } from './harness.ts';

/** A stored name that runs script when a page writes it into HTML; `tag` says which one ran. */
const xss = (tag: string, rest: string) => `<img src=x onerror="window.__xss='${tag}'">${rest}`;
const NAMES = {
  org: xss('org', '常州甲科技有限公司'),
  country: xss('country', '德国'),
  alias: xss('alias', '德意志'),
  region: xss('region', '园区'),
  field: xss('field', '智能制造'),
  fact: xss('fact', '德国'),
  dimension: xss('dimension', '创新投入'),
  indicator: xss('indicator', '研发经费'),
  unit: xss('unit', '甲'),
};
/** What each tooltip must show of a name: the markup as literal text. */
const shown = (name: string) => name.slice(0, name.indexOf('>') + 1);

const OFFICER = 'sec-officer';
const COMPANY = 'sec-company';
const EVALUATOR = 'sec-evaluator';
const ADMIN = 'sec-admin';

let server: E2EServer;
let browser: Browser;
let officer: Page;
let evaluator: Page;
let runId: number;
let xinbei: number;

/** A JSON API call as a user (node's fetch: no Origin, like curl), failing loudly on a refusal. */
async function apiAs<T = unknown>(cookie: string, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + url, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : null) as T;
}

async function cookieOf(username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  if (res.status !== 200) throw new Error(`log-in of ${username}: ${res.status} ${await res.text()}`);
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${DEFAULT_AUTH_SETTINGS.cookieName}=`))!;
  return set.split(';')[0];
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('postgres'), launch()]);
  for (const { file, options } of DEMO_FILES) await server.seed(file, options);
  await server.user('bureau', OFFICER, { region: '常州' });
  await server.user('evaluator', EVALUATOR);
  await server.user('admin', ADMIN);
  const bureau = await cookieOf(OFFICER);
  const regionId = async (q: string) => (await apiAs<{ items: { id: number; short_name: string }[] }>(bureau, 'GET', `/api/regions?q=${encodeURIComponent(q)}`)).items.find((r) => r.short_name === q)!.id;
  xinbei = await regionId('新北');
  const changzhou = await regionId('常州');

  // A company of 新北 leading a project with a German institute: a link of the organisation network.
  const company = (await apiAs<{ id: number }>(bureau, 'POST', '/api/organizations', { name_zh: '常州甲科技有限公司', domestic: true, region_id: xinbei })).id;
  // (A foreign organisation lies outside every district: the administrator keeps those.)
  const institute = (await apiAs<{ id: number }>(await cookieOf(ADMIN), 'POST', '/api/organizations', { name_en: 'Fraunhofer IPT', domestic: false, country_iso3: 'DEU' })).id;
  const project = (
    await apiAs<{ id: number }>(bureau, 'POST', '/api/projects', { code: 'SEC-2013-01', title_zh: '智能产线联合研发', lead_org_id: company, region_id: xinbei, field: NAMES.field, start_date: '2013-01-01' })
  ).id;
  await apiAs(bureau, 'POST', `/api/projects/${project}/partners`, { org_id: institute, country_iso3: 'DEU' });

  // The organisation user renames its own organisation (finding 2's path to an officer's browser).
  await server.user('organization', COMPANY, { org: company });
  await apiAs(await cookieOf(COMPANY), 'PATCH', `/api/organizations/${company}`, { name_zh: NAMES.org });

  // The officer's own edits: a country's name and alias, a district with funding, a stated figure.
  await apiAs(bureau, 'PATCH', '/api/countries/DEU', { name_zh: NAMES.country });
  await apiAs(bureau, 'POST', '/api/countries/DEU/aliases', { alias: NAMES.alias, lang: 'zh' });
  const district = (await apiAs<{ id: number }>(bureau, 'POST', '/api/regions', { parent_id: changzhou, name: NAMES.region, kind: 'district' })).id;
  await apiAs(bureau, 'POST', '/api/funding', { project_id: project, region_id: district, year: 2013, amount: 2500, country_iso3: 'DEU' });
  await apiAs(bureau, 'POST', '/api/facts', { subject: NAMES.fact, country_iso3: 'DEU', indicator: '项目数', value: 99 });

  // An evaluator's framework, data set and run with uncertainty.
  const ev = await cookieOf(EVALUATOR);
  const nodes = [
    { code: 'I', type: 'aggregate', name: '指数' },
    { code: 'D1', parent: 'I', type: 'aggregate', name: NAMES.dimension },
    { code: 'D2', parent: 'I', type: 'aggregate', name: '创新产出' },
    { code: 'a', parent: 'D1', type: 'indicator', name: NAMES.indicator },
    { code: 'b', parent: 'D2', type: 'indicator', name: '专利' },
  ];
  const framework = (await apiAs<{ id: number }>(ev, 'POST', '/api/indicators/frameworks', { key: 'sec-xss', name: '安全测试框架', nodes })).id;
  const rows = [
    { uCode: NAMES.unit, uName: NAMES.unit, a: 1, b: 5 },
    { uCode: 'Q', uName: '乙', a: 3, b: 1 },
    { uCode: 'R', uName: '丙', a: 2, b: 2 },
  ];
  const dataset = (await apiAs<{ id: number }>(ev, 'POST', '/api/indicators/datasets', { framework_id: framework, name: '安全测试数据', rows })).id;
  runId = (await apiAs<{ id: number }>(ev, 'POST', '/api/indicators/runs', { framework_id: framework, dataset_id: dataset, uncertainty: 50, seed: 1 })).id;

  officer = await newPage(browser, server.url);
  await login(officer, OFFICER);
  evaluator = await newPage(browser, server.url);
  await login(evaluator, EVALUATOR);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page, waits for `charts` charts, hovers their items and returns what tooltips showed. */
async function hoverPage(page: Page, path: string, charts: number): Promise<Hovered[]> {
  await page.goto(path);
  await expect.poll(async () => (await renderedCharts(page)).length, { timeout: 60_000, message: `${path}: ${charts} charts drawn` }).toBeGreaterThanOrEqual(charts);
  await page.waitForLoadState('networkidle');
  const hovered = await hoverCharts(page, { prefer: 'onerror' });
  // An image error handler runs once the image has failed to load.
  await page.waitForTimeout(500);
  return hovered;
}

/** Chart pages, the charts each draws, and the stored names its tooltips must show. */
const PAGES: Array<[path: () => string, charts: number, names: (keyof typeof NAMES)[], as: () => Page]> = [
  [() => '/analytics/network?level=organization', 1, ['org'], () => officer],
  [() => '/analytics/network', 1, ['country'], () => officer],
  [() => '/analytics/map', 1, ['country'], () => officer],
  [() => '/analytics/tiers', 2, ['region'], () => officer],
  [() => '/analytics/tiers?by=country', 2, ['country'], () => officer],
  [() => '/analytics/dashboard', 4, ['region', 'country', 'field'], () => officer],
  [() => '/analytics/concentration', 1, ['country'], () => officer],
  [() => '/analytics/trends', 1, ['region'], () => officer],
  [() => '/analytics/funding', 1, ['region'], () => officer],
  [() => '/analytics/strategy', 1, [], () => officer],
  [() => '/analytics/quality', 1, ['fact'], () => officer],
  [() => '/countries/DEU', 1, [], () => officer],
  [() => '/market/funnel', 1, [], () => officer],
  [() => `/indicators/runs/${runId}?tab=chart`, 1, ['unit'], () => evaluator],
  [() => `/indicators/runs/${runId}?tab=dimensions`, 2, ['unit', 'dimension'], () => evaluator],
  [() => `/indicators/runs/${runId}?tab=uncertainty`, 1, ['unit'], () => evaluator],
  [() => `/indicators/runs/${runId}/explain?unit=${encodeURIComponent(NAMES.unit)}`, 1, ['dimension'], () => evaluator],
];

describe('stored names in chart tooltips (finding 2)', { timeout: E2E_TEST_TIMEOUT }, () => {
  it.each(PAGES.map((p) => [p[0].toString().replace(/^\(\) => /, ''), ...p] as const))('%s: tooltips show names as text and run nothing', async (_label, path, charts, names, as) => {
    const page = as();
    const hovered = await hoverPage(page, path(), charts);
    const opened = hovered.filter((h) => h.text);
    if (!opened.length) await shot(page, `security-no-tooltip-${path().replace(/\W+/g, '-')}`);
    expect(opened.length, `${path()}: tooltips opened; items hovered: ${hovered.map((h) => `${h.chart}/${h.item}`).join(', ')}`).toBeGreaterThan(0);
    const ran = await page.evaluate(() => (window as unknown as { __xss?: string }).__xss);
    if (ran !== undefined) await shot(page, `security-xss-${ran}`);
    expect(ran, `${path()}: a stored name ran as script`).toBeUndefined();
    expect(hovered.filter((h) => h.elements.length).map((h) => `${h.chart} ${h.item}: ${h.elements.join(',')}`)).toEqual([]);
    for (const n of names) {
      expect(
        opened.some((h) => h.text.includes(shown(NAMES[n]))),
        `${path()}: a tooltip shows the ${n} name as text; tooltips seen: ${opened.map((h) => h.text.slice(0, 80)).join(' | ')}`,
      ).toBe(true);
    }
  });
});

/** Every main page (one per route of web/src/routes.tsx), and the API documentation. */
const MAIN_PAGES = [
  '/',
  '/registries/projects',
  '/registries/organizations',
  '/registries/projects/new',
  '/registries/funding',
  '/imports',
  '/imports/new',
  '/analytics/dashboard',
  '/analytics/funding',
  '/analytics/tiers',
  '/analytics/concentration',
  '/analytics/trends',
  '/analytics/map',
  '/analytics/network',
  '/analytics/strategy',
  '/analytics/quality',
  '/countries',
  '/countries/DEU',
  '/plans',
  '/plans/supervision',
  '/market',
  '/market/demands',
  '/market/offers',
  '/market/profiles/new',
  '/market/review',
  '/market/followups',
  '/market/funnel',
  '/market/alerts',
  '/password',
  '/indicators/frameworks',
  '/indicators/datasets',
  '/indicators/runs',
  '/indicators/runs/new',
  '/admin/users',
  '/admin/audit',
];

describe('Content-Security-Policy', { timeout: E2E_TEST_TIMEOUT }, () => {
  let context: BrowserContext;
  let page: Page;
  const violations: string[] = [];
  beforeAll(async () => {
    page = await newPage(browser, server.url);
    context = page.context();
    await context.exposeBinding('__reportCsp', (source, v: string) => void violations.push(`${source.page.url()}: ${v}`));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __reportCsp(v: string): void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
      );
    });
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`${page.url()}: console: ${m.text()}`);
    });
    // The log-in page is the first one checked.
    await login(page, ADMIN);
  });

  it('sends a policy without inline scripts with the application page', async () => {
    const res = await page.request.get('/');
    const csp = res.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
  });

  it('loads every main page and the API documentation without a violation', async () => {
    const pages = [...MAIN_PAGES, `/indicators/runs/${runId}?tab=dimensions`, `/indicators/runs/${runId}?tab=uncertainty`, `/indicators/runs/${runId}/explain?unit=Q`];
    for (const path of pages) {
      await page.goto(path);
      await page.locator('.ant-layout-content').first().waitFor();
      // Lazy chunks, styles and charts arrive after the shell.
      await page.waitForLoadState('networkidle');
    }
    await page.goto('/api/docs');
    await page.locator('.swagger-ui .info').waitFor();
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
  });

  it('refuses an inline event handler planted in a page', async () => {
    await page.goto('/analytics/map');
    await page.locator('.ant-layout-content').first().waitFor();
    const before = violations.length;
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src="/nothing-here.png" onerror="window.__planted=1">'));
    await expect.poll(() => violations.length).toBeGreaterThan(before);
    expect(await page.evaluate(() => (window as unknown as { __planted?: number }).__planted)).toBeUndefined();
    violations.length = before;
  });
});

describe('cross-site requests (finding 6)', { timeout: E2E_TEST_TIMEOUT }, () => {
  let evil: http.Server;
  let evilUrl: string;
  beforeAll(async () => {
    // Another loopback port of the same host: the same site, so the browser sends the session cookie.
    evil = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(attackPage(server.url));
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((r) => (evil ? evil.close(() => r()) : r())));

  it('refuses a form and a credentialed fetch from a page on another port, and writes nothing', async () => {
    const page = await newPage(browser, server.url);
    await login(page, OFFICER);
    const count = async (q: string) => (await (await page.request.get(`/api/organizations?q=${encodeURIComponent(q)}`)).json()).total as number;
    const imports = async () => (await (await page.request.get('/api/imports')).json()).total as number;
    const importsBefore = await imports();
    const answers: { url: string; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(server.url)) answers.push({ url: r.url(), status: r.status() });
    });

    await page.goto(evilUrl);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __done?: number }).__done ?? 0), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => answers.filter((a) => /\/api\/(imports|organizations)/.test(a.url)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

    expect(await count('跨站表单机构')).toBe(0);
    expect(await count('跨站请求机构')).toBe(0);
    expect(await count('跨站导入机构')).toBe(0);
    expect(await imports()).toBe(importsBefore);
    // Each reached the server and was refused. (Their bodies are not readable here: the frames
    // show the browser's own page, since innolink's answers refuse to be framed, and a no-cors
    // answer is opaque; src/http/security.test.ts checks the coded refusal.)
    const attacks = answers.filter((x) => /\/api\/(imports|organizations)/.test(x.url));
    expect(attacks.map((a) => `${a.status} ${a.url}`)).toEqual(attacks.map((a) => `403 ${a.url}`));

    // The application's own requests (same origin) still write.
    await page.goto('/');
    await page.getByTestId('home-title').waitFor();
    const own = await page.evaluate(async (region) => {
      const res = await fetch('/api/organizations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name_zh: '同源请求机构', domestic: true, region_id: region }) });
      return res.status;
    }, xinbei);
    expect(own).toBe(201);
    expect(await count('同源请求机构')).toBe(1);
  });
});

/**
 * The attacker's page: an auto-submitted multipart form carrying an organisations file to the
 * import route (into a hidden frame), a url-encoded form to the organisations route, and a
 * credentialed no-cors fetch of another file to the import route (multipart is a "simple"
 * request: no preflight, the answer unread but the import done).
 */
function attackPage(target: string): string {
  return `<!doctype html><html><body>
<iframe name="sink1" style="display:none"></iframe><iframe name="sink2" style="display:none"></iframe>
<form id="imp" method="POST" enctype="multipart/form-data" target="sink1" action="${target}/api/imports?kind=organizations&region=%E5%B8%B8%E5%B7%9E">
  <input type="file" name="file" id="file">
</form>
<form id="org" method="POST" target="sink2" action="${target}/api/organizations">
  <input name="name_zh" value="跨站表单机构"><input name="domestic" value="true">
</form>
<script>
  const done = () => (window.__done = (window.__done || 0) + 1);
  const dt = new DataTransfer();
  dt.items.add(new File(['机构名称,境内机构\\n跨站导入机构,是\\n'], 'orgs.csv', { type: 'text/csv' }));
  document.getElementById('file').files = dt.files;
  document.querySelector('iframe[name=sink1]').addEventListener('load', done, { once: true });
  document.querySelector('iframe[name=sink2]').addEventListener('load', done, { once: true });
  document.getElementById('imp').submit();
  document.getElementById('org').submit();
  const body = new FormData();
  body.append('file', new File(['机构名称,境内机构\\n跨站请求机构,是\\n'], 'more.csv', { type: 'text/csv' }));
  fetch('${target}/api/imports?kind=organizations&region=%E5%B8%B8%E5%B7%9E', { method: 'POST', mode: 'no-cors', credentials: 'include', body }).finally(done);
</script></body></html>`;
}
