/**
 * The administrator's backup download (issue 21), in Chromium as an administrator uses it, in
 * both languages: the users page's button gives the browser a backup file of the embedded
 * store (PGlite, held by the running server), which restores into a fresh server store; other
 * roles have no such page and the API refuses them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/actor.ts';
import { restoreFromFile } from '../../src/modules/backup/backup.ts';
import { freshStore } from '../stores.ts';
import { E2E_TEST_TIMEOUT, launch, login, newPage, shot, startServer, type E2EServer } from './harness.ts';

let server: E2EServer;
let browser: Browser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-e2e-backup-'));

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('pglite'), launch()]);
  await server.user('admin', 'bk-admin');
  await server.user('bureau', 'bk-officer', { region: '常州' });
  await server.store.db.query(`INSERT INTO projects (code, title_zh) VALUES ('E2E-BK-1', '浏览器下载的备份')`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup download', () => {
  it.each(['zh', 'en'] as const)('gives the administrator a backup file from the users page (%s)', { timeout: E2E_TEST_TIMEOUT }, async (lang) => {
    const page = await newPage(browser, server.url, lang);
    await login(page, 'bk-admin');
    await page.goto('/admin/users');
    const button = page.getByTestId('backup-download');
    await expect.poll(() => button.textContent()).toBe(lang === 'en' ? 'Download a backup' : '下载备份');
    await button.hover();
    await page.locator('.ant-tooltip').waitFor();
    await shot(page, `backup-download-${lang}`);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^innolink-\d{14}\.innolink\.gz$/);
    const file = path.join(dir, `${lang}.innolink.gz`);
    await download.saveAs(file);
    const header = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')[0]);
    expect(header).toMatchObject({ format: 'innolink-backup', engine: 'pglite' });
    const target = await freshStore('postgres');
    try {
      await restoreFromFile(target.db, file, systemActor('e2e'));
      expect(await target.db.query(`SELECT title_zh FROM projects WHERE code = 'E2E-BK-1'`)).toEqual([{ title_zh: '浏览器下载的备份' }]);
    } finally {
      await target.close();
    }
    await page.context().close();
  });

  it('is refused to a bureau officer', { timeout: E2E_TEST_TIMEOUT }, async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'bk-officer');
    const res = await page.request.post('/api/backup');
    expect(res.status()).toBe(403);
    await page.context().close();
  });
});
