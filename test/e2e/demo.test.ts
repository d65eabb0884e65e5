/**
 * The demo as a new user meets it, in headless Chromium, in Chinese and in English: the store
 * loaded exactly as on a first start (loadDemoIfEmpty), then the home page, the Beijing plan's
 * status board and supervision list, the concentration page and the dashboard's concentration
 * card, and the registries the papers fill. Screenshots: test-results/screenshots/demo-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../src/demo/demo.ts';
import { testConfig } from '../app.ts';
import { E2E_TEST_TIMEOUT, launch, login, newPage, shot, startServer, type E2EServer } from './harness.ts';

let server: E2EServer;
let browser: Browser;
let planId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('pglite'), launch()]);
  // The first start's demo, dated today as the server would (the board shows today's status).
  expect(await loadDemoIfEmpty(server.store.db, testConfig())).toBe(true);
  [{ id: planId }] = await server.store.db.query<{ id: number }>(`SELECT id FROM plans ORDER BY id LIMIT 1`);
  await server.user('admin', 'demo-admin');
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const words = {
  zh: { supervision: '督办', partners: '合作项目数', platforms: '平台载体库' },
  en: { supervision: 'Supervision', partners: 'Partner projects', platforms: 'Platforms' },
} as const;

async function walk(page: Page, lang: 'zh' | 'en') {
  await login(page, 'demo-admin');
  await shot(page, `demo-${lang}-01-home`);

  // The plan's board: the twelve targets do not all share one status (demo/plan: on track,
  // acceleration needed, limited, deterioration, achieved, no data).
  await page.goto(`/plans/${planId}`);
  await page.getByTestId('plan-title').waitFor();
  const tags = page.getByTestId('target-cards').getByTestId('status-tag');
  await expect.poll(() => tags.count()).toBe(12);
  const statuses = new Set(await tags.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))));
  expect(statuses.size).toBeGreaterThanOrEqual(5);
  await shot(page, `demo-${lang}-02-plan-status`);

  // Supervision: four tasks (5, 9, 13, 20), not all twenty.
  await page.getByTestId('tab-supervision').click();
  await page.getByTestId('supervision').waitFor();
  const flagged = page.locator('[data-testid^="supervision-task-"]');
  await expect.poll(() => flagged.count()).toBe(4);
  await shot(page, `demo-${lang}-03-plan-supervision`);

  // The task board filtered to nothing says to change the filters, not to import data.
  await page.getByTestId('tab-tasks').click();
  await page.getByTestId('task-board').waitFor();
  const search = page.locator('input[data-testid="board-search"], [data-testid="board-search"] input').first();
  await search.fill('zzzz');
  await search.press('Enter');
  const none = page.getByTestId('task-board').getByTestId('empty');
  await none.waitFor();
  expect(await none.innerText()).toContain(lang === 'zh' ? '筛选' : 'filters');

  // The dashboard's concentration card: the funding names no country, so it counts partners,
  // and says so: 3 countries (表1: the UK 12, Israel 9, Germany 9 projects).
  await page.goto('/analytics/dashboard');
  await page.getByTestId('dash-conc-partners').waitFor();
  expect(await page.getByTestId('panel-concentration').getByTestId('dash-conc-n').textContent()).toBe('3');
  await shot(page, `demo-${lang}-04-dashboard`);

  // The concentration page opens on funding by country, which the demo's funding (by district)
  // cannot give: the empty state says so and offers partner projects — three countries ranked.
  await page.goto('/analytics/concentration');
  await page.getByTestId('concentration-try-partners').waitFor();
  await shot(page, `demo-${lang}-05a-concentration-empty`);
  await page.getByTestId('concentration-try-partners').click();
  await page.getByTestId('fig-n').waitFor();
  expect(await page.getByTestId('fig-n').textContent()).toBe('3');
  expect(await page.locator('body').innerText()).toContain(words[lang].partners);
  await shot(page, `demo-${lang}-05-concentration`);

  // Registries the papers fill: platforms (25), projects with readable codes, never AUTO-.
  await page.goto('/registries/platforms');
  await page.getByTestId('registry-table').locator('tbody tr.ant-table-row').first().waitFor();
  expect(await page.getByTestId('page-title').textContent()).toContain(words[lang].platforms);
  await shot(page, `demo-${lang}-06-platforms`);
  await page.goto('/registries/mechanisms');
  await page.getByTestId('registry-table').locator('tbody tr.ant-table-row').first().waitFor();
  await shot(page, `demo-${lang}-07-mechanisms`);
  await page.goto('/registries/projects');
  await page.getByTestId('registry-table').locator('tbody tr.ant-table-row').first().waitFor();
  const table = await page.getByTestId('registry-table').innerText();
  expect(table).toContain('常州-');
  expect(table).not.toContain('AUTO-');
  await shot(page, `demo-${lang}-08-projects`);

  // An empty registry says what to do (the papers name no individual talents).
  await page.goto('/registries/talents');
  const empty = page.getByTestId('registry-table').getByTestId('empty');
  await empty.waitFor();
  expect(await empty.innerText()).toMatch(lang === 'zh' ? /数据导入|新增/ : /Import|New/);
  await shot(page, `demo-${lang}-09-talents-empty`);
}

describe('the demo in the browser', { timeout: E2E_TEST_TIMEOUT * 2 }, () => {
  it('walks home, the plan board and supervision, concentration and the registries in Chinese', async () => {
    const page = await newPage(browser, server.url, 'zh');
    await walk(page, 'zh');
    await page.context().close();
  });

  it('walks the same pages in English', async () => {
    const page = await newPage(browser, server.url, 'en');
    await walk(page, 'en');
    await page.context().close();
  });
});
