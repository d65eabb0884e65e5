/**
 * End-to-end tests in a real browser: the whole server (API + built web app) on a fresh store,
 * listening on a loopback port, and Debian's Chromium driven by playwright-core. No browser is
 * downloaded; without /usr/bin/chromium the tests fail and say how to install it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { systemActor } from '../../src/actor.ts';
import { buildApp } from '../../src/http/app.ts';
import { createTestUser, TEST_PASSWORD } from '../../src/modules/auth/auth.testing.ts';
import type { UserRole } from '../../src/modules/auth/auth.policy.ts';
import { runImport } from '../../src/modules/imports/imports.service.ts';
import type { ImportOptions } from '../../src/modules/imports/imports.types.ts';
import { testConfig } from '../app.ts';
import { freshStore, type StoreKind, type TestStore } from '../stores.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SEEDS = path.join(ROOT, 'demo', 'seed-tables');
export const CHROMIUM = process.env.INNOLINK_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
/**
 * A browser scenario's time limit: its steps each wait up to a minute on a loaded 2-core CI
 * machine, so the suite's 60 s per test is too short for a scenario of several pages (the
 * import wizard's two imports timed out at 60 s in a clean-clone run).
 */
export const E2E_TEST_TIMEOUT = 180_000;

export interface E2EServer {
  url: string;
  store: TestStore;
  /** Imports a seed file as the operator (setup, not under test). */
  seed(file: string, options: Omit<ImportOptions, 'onProgress'>): Promise<void>;
  /** Creates a user; the password is TEST_PASSWORD. */
  user(role: UserRole, username: string, extra?: { region?: string; org?: string | number }): Promise<string>;
  close(): Promise<void>;
}

export async function startServer(kind: StoreKind = 'postgres'): Promise<E2EServer> {
  const webDir = path.join(ROOT, 'dist', 'web');
  if (!fs.existsSync(path.join(webDir, 'index.html'))) throw new Error('dist/web is missing: the global setup builds it (vite build)');
  const store = await freshStore(kind);
  const config = { ...testConfig(), webDir };
  const app = await buildApp({ db: store.db, config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    async seed(file, options) {
      const buffer = fs.readFileSync(path.join(SEEDS, file));
      const res = await runImport({ db: store.db, actor: systemActor('e2e-setup'), config }, { fileName: file, buffer }, options);
      if (!res.ok) throw new Error(`seed ${file} failed: ${JSON.stringify(res.issues.slice(0, 3))}`);
    },
    async user(role, username, extra = {}) {
      await createTestUser(store.db, { role, username, region: extra.region, org: extra.org });
      return username;
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium); .ci/run does this`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A new page (own cookies) with the language preset (zh by default). */
export async function newPage(browser: Browser, baseURL: string, lang: 'zh' | 'en' = 'zh'): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: lang === 'en' ? 'en-GB' : 'zh-CN', viewport: { width: 1366, height: 900 } });
  if (lang === 'en') await context.addInitScript(() => localStorage.setItem('innolink.lang', 'en'));
  const page = await context.newPage();
  // Waits for what a page should show: on a 2-core CI machine running the whole suite, an
  // argon2id hash or a dry-run import behind a click has taken over 20 s. A missing element still fails.
  page.setDefaultTimeout(60_000);
  return page;
}

export async function login(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  try {
    await page.getByTestId('home-title').waitFor();
  } catch (e) {
    await shot(page, `failed-login-${username}`);
    throw new Error(`log-in as ${username} did not reach the home page; the page shows: ${(await page.locator('body').innerText()).slice(0, 500)}`, { cause: e });
  }
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Types a date into one of the application's date pickers (DateInput) and leaves the field, which
 * takes the typed date; `null` clears it with the picker's clear button.
 */
export async function fillDate(page: Page, testId: string, iso: string | null): Promise<void> {
  const box = page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
  if (iso === null) {
    await box.hover();
    await page.locator('.ant-picker-clear').filter({ visible: true }).first().click();
    await expect.poll(() => box.inputValue()).toBe('');
    return;
  }
  await box.click();
  await box.fill(iso);
  await box.press('Tab');
  await expect.poll(() => box.inputValue()).toBe(iso);
}
