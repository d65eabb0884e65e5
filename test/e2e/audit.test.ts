/**
 * The audit log in the browser (issue 21, finding 3): the auditor (审计员) opens it from its own
 * menu, in Chinese and in English, sees the verification with the key and the checkpoints
 * outside the store, writes a checkpoint and runs a full verification; the administrator has
 * no audit log in its menu and cannot open it (三员分立). Then the newest entries are deleted
 * with superuser rights: the page shows the failure, and the scheduled run tells the auditor.
 * Figures on the page are checked against the API. Screenshots: test-results/screenshots/audit-*.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditCheck } from '../../src/modules/audit/audit.schedule.ts';
import { E2E_TEST_TIMEOUT, launch, login, newPage, shot, startServer, type E2EServer } from './harness.ts';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('postgres'), launch()]);
  await server.seed('changzhou_district_funding_2011_2014.csv', { kind: 'funding', region: '常州' });
  await server.user('admin', 'e2e-admin');
  await server.user('auditor', 'e2e-auditor');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function apiJson<T>(page: Page, url: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  const res = method === 'GET' ? await page.request.get(url) : await page.request.post(url, { data: {} });
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

const result = (page: Page) => page.getByTestId('audit-verify-result');

describe('audit log (auditor)', { timeout: E2E_TEST_TIMEOUT }, () => {
  it('the auditor opens the audit log from its menu, verifies it and writes a checkpoint, in Chinese', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'e2e-auditor');
    expect(await page.getByTestId('user-menu').textContent()).toContain('审计员');
    await page.getByTestId('main-menu').getByText('安全审计').click();
    await page.getByTestId('main-menu').getByText('审计日志').click();
    await page.waitForURL(/\/audit$/);

    // On opening: the incremental check from the latest checkpoint (the one of the key epoch).
    await expect.poll(() => result(page).getAttribute('data-ok')).toBe('true');
    const api = await apiJson<{ entries: number; key: { id: string; epoch_seq: number }; checkpoints: { valid: number } }>(page, '/api/audit/verify?incremental=true');
    const text = (await result(page).textContent()) ?? '';
    expect(text).toContain(`审计日志完整：${api.entries} 条记录`);
    expect(text).toContain(`编号 ${api.key.id}，自第 ${api.key.epoch_seq} 条起使用`);
    expect(text).toContain(`共 ${api.checkpoints.valid} 个；最近一个`);
    // Actions and entities by name, never by code.
    const table = page.getByTestId('audit-table');
    await table.getByText('导入', { exact: true }).first().waitFor();
    expect(await table.textContent()).toContain('启用审计密钥');
    expect(await table.textContent()).not.toContain('audit.key_epoch');
    await shot(page, 'audit-01-auditor-zh');

    await page.getByTestId('audit-checkpoint').click();
    await expect.poll(() => page.getByTestId('audit-checkpoint-written').textContent()).toMatch(/^已写入检查点：第 \d+ 条（共 \d+ 条）$/);
    await expect.poll(() => page.getByTestId('audit-checkpoints').textContent()).toContain(`共 ${api.checkpoints.valid + 1} 个`);
    await page.getByTestId('audit-verify').click();
    const full = await apiJson<{ entries: number }>(page, '/api/audit/verify');
    await expect.poll(() => result(page).textContent()).toContain(`审计日志完整：${full.entries} 条记录全部重新计算`);

    // Filtered by entity: the users' log-ins.
    await page.getByTestId('audit-filter-action').click();
    await page.locator('.ant-select-dropdown').getByTitle('登录', { exact: true }).click();
    await expect.poll(() => page.getByTestId('audit-table').locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await page.getByTestId('audit-table').textContent()).toContain('e2e-auditor');
    await shot(page, 'audit-02-auditor-checkpoint-zh');
    await page.context().close();
  });

  it('works in English', async () => {
    const page = await newPage(browser, server.url, 'en');
    await login(page, 'e2e-auditor');
    expect(await page.getByTestId('user-menu').textContent()).toContain('Auditor');
    expect(await page.getByTestId('main-menu').textContent()).toContain('Security audit');
    await page.goto('/audit');
    await expect.poll(() => result(page).getAttribute('data-ok')).toBe('true');
    const text = (await result(page).textContent()) ?? '';
    expect(text).toMatch(/The audit log is intact: \d+ entries/);
    expect(text).toMatch(/\d+ in all; the latest: entry \d+/);
    expect(await page.locator('.page-title').textContent()).toContain('Audit log');
    expect(await page.getByTestId('audit-table').textContent()).toContain('Audit key in use');
    await shot(page, 'audit-03-auditor-en');
    await page.context().close();
  });

  it('the administrator has no audit log in its menu and cannot open it (三员分立)', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'e2e-admin');
    const menu = (await page.getByTestId('main-menu').textContent()) ?? '';
    expect(menu).toContain('系统管理');
    expect(menu).not.toContain('审计日志');
    expect(menu).not.toContain('安全审计');
    expect((await page.request.get('/api/audit')).status()).toBe(403);
    await page.goto('/audit');
    expect(await page.locator('.ant-result-title').textContent()).toBe('没有找到这个页面');
    await shot(page, 'audit-04-admin-no-audit');
    await page.context().close();
  });

  it('shows a rewrite: the newest entries deleted with superuser rights fail against the checkpoint, and the auditor is told', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'e2e-auditor');
    await apiJson(page, '/api/audit/checkpoint', 'POST');
    // An intruder with the database's superuser rights deletes the newest entries and moves the head back.
    await server.store.db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)');
      await tx.query('UPDATE audit_head SET seq = l.seq, hash = l.hash FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) l');
    });
    // The server's scheduled run (what the timer does every interval).
    const run = await runAuditCheck(server.store.db, { smtpUrl: null, mailFrom: 'x' }, { full: false });
    expect(run).toMatchObject({ ok: false, notified: 1, first_bad: { problem: 'behind_checkpoint' } });

    await page.goto('/audit');
    await expect.poll(() => result(page).getAttribute('data-ok')).toBe('false');
    expect(await result(page).getAttribute('data-problem')).toBe('behind_checkpoint');
    const text = (await result(page).textContent()) ?? '';
    expect(text).toContain('审计日志校验未通过：日志短于检查点');
    expect(text).toContain(run.first_bad!.message);
    await page.getByTestId('audit-checkpoint').click();
    await expect.poll(() => page.getByTestId('audit-checkpoint-written').textContent()).toBe('校验未通过，未写入检查点');
    await page.getByTestId('notifications-bell').click();
    await expect.poll(() => page.getByTestId('notifications-list').textContent()).toContain('审计日志校验未通过');
    await shot(page, 'audit-05-rewrite-caught');
    await page.context().close();
  });
});
