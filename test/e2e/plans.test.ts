/**
 * Action-plan monitoring in the browser. The plan owner (a bureau officer of 北京) imports the
 * Beijing 2024–2027 plan from its seed tables — extended, as in plans.fixture.ts, with invented
 * baselines, responsible units and two reporting dates of values — through the plans page; the
 * target cards, the status board counts and the task board show what /api/plans/:id/status
 * says; the officer enters a value with its evidence; a user of a responsible unit (an
 * organisation named as one) reports progress on its task, the owner is notified and accepts the
 * report, and the API then shows it accepted; the supervision list matches the API; the
 * quarterly report downloads as XLSX and PDF. Screenshots of each page go to
 * test-results/screenshots (plans-*.png).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/actor.ts';
import { DEMO_PLAN_NAME } from '../../src/modules/plans/plans.demo.ts';
import { csv, SCENARIO, seedTargets, seedTasks, tasksWithUnits, targetsWithBaselines, UNITS } from '../../src/modules/plans/plans.fixture.ts';
import { organizations } from '../../src/modules/registries/defs.ts';
import { regionsNamed } from '../../src/modules/regions/regions.repo.ts';
import { registryService } from '../../src/modules/registry/registry.service.ts';
import { testConfig } from '../app.ts';
import { fillDate, launch, login, newPage, shot, startServer, type E2EServer, E2E_TEST_TIMEOUT } from './harness.ts';

/** The reporting date the fixture's statuses were worked out for by hand. */
const AS_OF = '2025-06-30';
/** A unit named on tasks of action 1 only (市外办), whose organisation's user reports on task 1. */
const UNIT = '市外办';
const OWN_TASK = '1';

let server: E2EServer;
let browser: Browser;
let dir: string;
let files: { targets: string; tasks: string; values: string; duplicate: string };
let planId: number;
let reportId: number;

interface BoardReply {
  as_of: string;
  targets: { id: number; indicator: string; status: string; ratio: number | null; latest: number | null; latest_date: string | null; forecast: number | null; forecast_method: string | null }[];
  tasks: { id: string; responsible: string[]; status: string; percent: number; overdue: boolean; escalation: number }[];
  summary: { targets: Record<string, number>; tasks: Record<string, number>; tasks_by_unit: { unit: string; counts: Record<string, number> }[] };
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('postgres'), launch()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-plans-e2e-'));
  const values = Object.entries(SCENARIO).flatMap(([indicator, s]) => s.values.map(([date, value]) => [indicator, date, value, '统计数（测试用，虚构）']));
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  files = {
    targets: write('北京行动计划_目标.csv', targetsWithBaselines()),
    tasks: write('北京行动计划_任务.csv', tasksWithUnits()),
    values: write('北京行动计划_数值.csv', csv(['指标', '日期', '数值', '说明'], values)),
    duplicate: write('任务重复.csv', csv(['行动编号', '行动', '任务编号', '任务'], [['1', '国际科技合作网络拓展行动', '1', '甲'], ['1', '国际科技合作网络拓展行动', '1', '乙']])),
  };
  // The responsible unit is an organisation of the registry; its user reports as it.
  const ctx = { db: server.store.db, actor: systemActor('e2e-setup'), config: testConfig() };
  await registryService(organizations).create(ctx, { name_zh: UNIT, domestic: true });
  // 北京 names the municipality (province level) and its one city; the plan's region is the former.
  const [beijing] = await regionsNamed(server.store.db, '北京');
  await server.user('bureau', 'bj-officer', { region: beijing.code ?? String(beijing.id) });
  await server.user('organization', 'bj-waiban', { org: UNIT });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function apiJson<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

/** The input of a form control found by its test id (on the input itself or around it). */
const input = (page: Page, id: string) => page.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input`).first();

const text = async (page: Page, id: string) => ((await page.getByTestId(id).textContent()) ?? '').trim();

describe('action-plan monitoring in the browser', { timeout: E2E_TEST_TIMEOUT }, () => {
  it('the plan owner imports the plan from its tables; a bad table gets coded issues by file and row', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'bj-officer');
    await page.goto('/plans');
    await page.getByTestId('plans-table').getByTestId('empty').waitFor();
    await page.getByTestId('main-menu').getByText('行动计划', { exact: true }).first().click();
    await expect.poll(() => page.getByTestId('main-menu').textContent()).toContain('督办清单');

    await page.getByTestId('plans-import').click();
    await page.locator('input[type=file]').setInputFiles([files.duplicate]);
    await page.getByTestId('plan-import-submit').click();
    const failed = page.getByTestId('plan-import-failed');
    await failed.waitFor();
    const issues = (await failed.textContent()) ?? '';
    expect(issues).toContain('TASK_NUMBER_DUPLICATE');
    expect(issues).toContain('任务重复.csv');
    expect(issues).toMatch(/任务编号 1 重复/);
    await shot(page, 'plans-01-import-issues');
    await page.locator('.ant-modal-close').click();

    await page.getByTestId('plans-import').click();
    await page.locator('input[type=file]').setInputFiles([files.targets, files.tasks, files.values]);
    await input(page, 'plan-import-name').fill(DEMO_PLAN_NAME);
    await input(page, 'plan-import-region').fill('北京');
    await input(page, 'plan-import-owner').fill('市科委');
    await input(page, 'plan-import-period').fill('2024-2027');
    await page.getByTestId('plan-import-submit').click();
    const done = page.getByTestId('plan-import-done');
    await done.waitFor();
    const valueCount = Object.values(SCENARIO).reduce((n, s) => n + s.values.length, 0);
    expect(await done.textContent()).toBe(`已导入计划：目标 ${seedTargets.length} 项，任务 ${seedTasks.length} 项，数值 ${valueCount} 条`);

    const list = await apiJson<{ items: { id: number; name: string; targets: number; tasks: number }[] }>(page, '/api/plans');
    expect(list.items).toEqual([expect.objectContaining({ name: DEMO_PLAN_NAME, targets: seedTargets.length, tasks: seedTasks.length })]);
    planId = list.items[0].id;
    await page.locator('.ant-modal-close').click();
    await page.getByTestId(`plan-link-${planId}`).waitFor();
    await shot(page, 'plans-02-list');
    await page.context().close();
  });

  it('target cards and the status board show what /api/plans/:id/status says as of a date', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'bj-officer');
    await page.goto(`/plans/${planId}`);
    await page.getByTestId('plan-tree').waitFor();
    await fillDate(page, 'as-of', AS_OF);
    await page.waitForURL(new RegExp(`asOf=${AS_OF}`));
    await expect.poll(() => page.getByTestId('plan-summary').getAttribute('data-as-of')).toBe(AS_OF);

    const board = await apiJson<BoardReply>(page, `/api/plans/${planId}/status?asOf=${AS_OF}`);
    expect(board.targets).toHaveLength(seedTargets.length);
    for (const x of board.targets) {
      const card = page.getByTestId(`target-card-${x.id}`);
      expect(await card.getByTestId('status-tag').getAttribute('data-status'), x.indicator).toBe(x.status);
      // The statuses worked out by hand in the fixture for this reporting date.
      expect(x.status, x.indicator).toBe(SCENARIO[x.indicator].q2);
      expect(await card.getByTestId('target-ratio').getAttribute('data-value'), x.indicator).toBe(x.ratio === null ? '' : String(x.ratio));
      expect(await card.getByTestId('target-forecast').getAttribute('data-value'), x.indicator).toBe(x.forecast === null ? '' : String(x.forecast));
      if (x.forecast_method === 'cagr') expect(await card.getByTestId('forecast-method').textContent()).toContain('复合年均增长率');
    }
    for (const [k, n] of Object.entries(board.summary.targets)) expect(await text(page, `sum-target-${k}`), k).toBe(String(n));
    for (const [k, n] of Object.entries(board.summary.tasks)) expect(await text(page, `sum-task-${k}`), k).toBe(String(n));
    expect(await text(page, 'method-note')).toContain('加拿大统计局');
    await page.getByTestId('sparkline').first().waitFor();
    await shot(page, 'plans-03-plan-targets');

    // The same page in English: the status names change language, the figures do not.
    await page.getByTestId('lang-switch').click();
    const onTrack = board.targets.find((x) => x.status === 'on_track')!;
    await expect.poll(() => page.getByTestId(`target-card-${onTrack.id}`).getByTestId('status-tag').textContent()).toBe('On track');
    await shot(page, 'plans-04-plan-targets-english');
    await page.context().close();
  });

  it('the officer enters a reported value with its evidence and the card moves', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'bj-officer');
    const indicator = '海外国际化创新载体平台';
    const before = await apiJson<BoardReply>(page, `/api/plans/${planId}/status?asOf=${AS_OF}`);
    const target = before.targets.find((x) => x.indicator === indicator)!;
    expect(target.status).toBe('no_data');
    await page.goto(`/plans/${planId}?asOf=${AS_OF}`);
    const card = page.getByTestId(`target-card-${target.id}`);
    await card.getByTestId('enter-value').click();
    await input(page, 'value-date').fill(AS_OF);
    await input(page, 'value-value').fill('18');
    await input(page, 'value-note').fill('2025 年上半年新增 3 家（测试数据）');
    await input(page, 'value-evidence').fill('市科委统计表 2025-06');
    await shot(page, 'plans-05-enter-value');
    await page.getByTestId('value-save').click();
    await page.getByTestId('value-form').waitFor({ state: 'detached' });

    const after = (await apiJson<BoardReply>(page, `/api/plans/${planId}/status?asOf=${AS_OF}`)).targets.find((x) => x.id === target.id)!;
    expect(after).toMatchObject({ latest: 18, latest_date: AS_OF });
    expect(after.status).not.toBe('no_data');
    await expect.poll(() => card.getByTestId('status-tag').getAttribute('data-status')).toBe(after.status);
    expect(await card.getByTestId('target-latest').textContent()).toContain('18');
    const [stored] = await server.store.db.query<{ note: string; evidence: string; entered_by: string }>(
      'SELECT note, evidence, entered_by FROM plan_target_values WHERE target_id = $1 AND date = $2',
      [target.id, AS_OF],
    );
    expect(stored).toEqual({ note: '2025 年上半年新增 3 家（测试数据）', evidence: '市科委统计表 2025-06', entered_by: 'bj-officer' });
    await page.context().close();
  });

  it('the task board has a column per responsible unit with the tasks and flags of the API', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'bj-officer');
    const board = await apiJson<BoardReply>(page, `/api/plans/${planId}/status?asOf=${AS_OF}`);
    await page.goto(`/plans/${planId}/tasks?asOf=${AS_OF}`);
    await page.getByTestId('task-board').waitFor();
    const units = [...new Set(Object.values(UNITS).flat())];
    expect(await page.getByTestId('board-column').count()).toBe(units.length);
    for (const unit of units) {
      const column = page.locator(`[data-testid="board-column"][data-unit="${unit}"]`);
      const expected = board.tasks.filter((x) => x.responsible.includes(unit));
      expect(await column.locator('[data-testid^="task-card-"]').count(), unit).toBe(expected.length);
      expect(board.summary.tasks_by_unit.find((u) => u.unit === unit)?.counts.total, unit).toBe(expected.length);
      for (const x of expected) {
        const card = column.getByTestId(`task-card-${x.id}`);
        expect(await card.getAttribute('data-status')).toBe(x.status);
        expect(await card.getAttribute('data-overdue')).toBe(String(x.overdue));
      }
    }
    // Task 14 is due 2025-03-31 in the fixture: overdue as of the reporting date.
    expect(board.tasks.find((x) => x.id === '14')).toMatchObject({ overdue: true });
    expect(await page.getByTestId('task-card-14').first().getByTestId('overdue').textContent()).toMatch(/逾期 \d+ 天/);
    await shot(page, 'plans-06-task-board');
    await page.context().close();
  });

  it('a responsible unit’s user reports progress on its task, and cannot on another unit’s', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'bj-waiban');
    await page.goto('/plans');
    await page.getByTestId(`plan-link-${planId}`).click();
    await page.getByTestId('plan-summary').waitFor();
    // The quarterly report is the bureau's: no export for a unit (the API refuses it too).
    expect(await page.getByTestId('export-xlsx').count()).toBe(0);
    expect((await page.request.get(`/api/reports/plan/${planId}?format=xlsx`)).status()).toBe(403);
    await page.getByTestId('tab-tasks').click();
    // Only the unit's own column by default.
    await expect.poll(() => page.getByTestId('board-column').count()).toBe(1);
    expect(await page.getByTestId('board-column').getAttribute('data-unit')).toBe(UNIT);
    await shot(page, 'plans-07-task-board-unit');

    await page.getByTestId(`task-card-${OWN_TASK}`).getByRole('link').click();
    await page.getByTestId('report-form').waitFor();
    expect(await text(page, 'task-responsible')).toContain(UNIT);
    await input(page, 'report-percent').fill('40');
    await input(page, 'report-narrative').fill('已与 3 个国家的科技主管部门签署合作备忘录（测试数据）');
    await input(page, 'report-evidence').fill('备忘录扫描件.pdf');
    await page.getByTestId('report-submit').click();
    const done = page.getByTestId('report-done');
    await done.waitFor();
    reportId = Number(await done.getAttribute('data-report'));
    await page.getByTestId(`report-row-${reportId}`).getByTestId('review-status').waitFor();
    expect(await page.getByTestId(`report-row-${reportId}`).getByTestId('review-status').getAttribute('data-status')).toBe('submitted');
    await shot(page, 'plans-08-report-submitted');

    const mine = await apiJson<{ items: { id: number; unit: string; percent: number; review_status: string; submitted_by: string }[] }>(page, `/api/plans/${planId}/reports?task=${OWN_TASK}`);
    expect(mine.items).toEqual([expect.objectContaining({ id: reportId, unit: UNIT, percent: 40, review_status: 'submitted', submitted_by: 'bj-waiban' })]);

    // A task of action 4 is not 市外办's: no form, and the API refuses a report sent anyway.
    const other = Object.entries(UNITS).find(([, units]) => !units.includes(UNIT))![0];
    const otherTask = seedTasks.find((r) => r['行动编号'] === other)!['任务编号'];
    await page.goto(`/plans/${planId}/tasks/${otherTask}`);
    await page.getByTestId('not-responsible').waitFor();
    const refused = await page.request.post(`/api/plans/${planId}/tasks/${otherTask}/reports`, { data: { unit: UNIT, status: 'in_progress', percent: 10 } });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('PLAN_UNIT_NOT_RESPONSIBLE');
    await page.context().close();
  });

  it('the plan owner is notified, accepts the report in the browser, and the API shows it accepted', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'bj-officer');
    const unread = await apiJson<{ unread: number }>(page, '/api/notifications/unread-count');
    expect(unread.unread).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('notifications-count').getAttribute('data-count')).toBe(String(unread.unread));
    await page.getByTestId('notifications-bell').click();
    await page.getByTestId('notifications-list').locator('[data-testid^="notification-"]').first().waitFor();
    const list = await apiJson<{ items: { id: number; kind: string; entity_id: string | null }[] }>(page, '/api/notifications');
    const note = list.items.find((n) => n.kind === 'plan.report_submitted' && n.entity_id === String(reportId))!;
    expect(note).toBeDefined();
    await page.getByTestId(`notification-${note.id}`).waitFor();
    await page.waitForTimeout(400); // the popover's opening animation, for the screenshot
    await shot(page, 'plans-09-notifications');
    await page.getByTestId(`notification-${note.id}`).click();
    await page.waitForURL(new RegExp(`/plans/${planId}/reports`));

    await page.getByTestId(`review-accept-${reportId}`).click();
    await input(page, 'review-comment').fill('同意，请按期推进');
    await page.getByTestId('review-confirm').click();
    await expect.poll(() => page.getByTestId(`report-row-${reportId}`).getByTestId('review-status').getAttribute('data-status')).toBe('accepted');
    await shot(page, 'plans-10-report-accepted');

    const reports = await apiJson<{ items: { id: number; review_status: string; reviewer: string; reviewer_comment: string }[] }>(page, `/api/plans/${planId}/reports?task=${OWN_TASK}`);
    expect(reports.items.find((r) => r.id === reportId)).toMatchObject({ review_status: 'accepted', reviewer: 'bj-officer', reviewer_comment: '同意，请按期推进' });
    // The accepted report now counts for the task (as of today, the report's date).
    const today = await apiJson<BoardReply>(page, `/api/plans/${planId}/status`);
    const task = today.tasks.find((x) => x.id === OWN_TASK)!;
    expect(task).toMatchObject({ status: 'in_progress', percent: 40 });
    await page.goto(`/plans/${planId}/tasks/${OWN_TASK}`);
    await expect.poll(() => page.getByTestId('task-percent').getAttribute('data-value')).toBe(String(task.percent));
    await shot(page, 'plans-11-task-detail');
    // Read the notification: the badge count follows the API.
    const left = await apiJson<{ unread: number }>(page, '/api/notifications/unread-count');
    expect(left.unread).toBe(unread.unread - 1);
    await page.context().close();
  });

  it('the supervision list per responsible unit matches the API; supervision runs; the quarterly report downloads', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'bj-officer');
    const sup = await apiJson<{ units: { unit: string | null; tasks: { id: string; escalation: number }[] }[] }>(page, `/api/plans/${planId}/supervision?asOf=${AS_OF}`);
    expect(sup.units.length).toBeGreaterThan(0);
    await page.goto(`/plans/supervision?plan=${planId}&asOf=${AS_OF}`);
    await page.getByTestId('supervision').waitFor();
    await expect.poll(() => page.getByTestId('supervision-unit').count()).toBe(sup.units.length);
    for (const u of sup.units) {
      const card = page.locator(`[data-testid="supervision-unit"][data-unit="${u.unit ?? '未指定责任单位'}"]`);
      expect(await card.getByTestId('unit-flagged').textContent(), String(u.unit)).toBe(String(u.tasks.length));
      for (const x of u.tasks) expect(await card.getByTestId(`supervision-task-${x.id}`).getAttribute('data-level')).toBe(String(x.escalation));
    }
    expect(sup.units.some((u) => u.tasks.some((x) => x.id === '14'))).toBe(true);
    await shot(page, 'plans-12-supervision');

    await page.getByTestId('supervise-run').click();
    const ran = page.getByTestId('supervise-done');
    await ran.waitFor();
    const cases = await apiJson<{ last_run: string; items: unknown[] }>(page, `/api/plans/${planId}/supervision/cases`);
    expect(cases.last_run).toBe(AS_OF);
    expect(await ran.textContent()).toContain(`现有 ${cases.items.length} 项`);
    expect(await text(page, 'supervision-last-run')).toContain(AS_OF);

    await page.goto(`/plans/${planId}?asOf=${AS_OF}`);
    await page.getByTestId('plan-tree').waitFor();
    for (const [id, ext, magic] of [['export-xlsx', '.xlsx', 'PK'], ['export-pdf', '.pdf', '%PDF']] as const) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
      expect(dl.suggestedFilename()).toMatch(new RegExp(`\\${ext}$`));
      const file = await dl.path();
      expect(fs.readFileSync(file).subarray(0, magic.length).toString('latin1')).toBe(magic);
    }
    await page.context().close();
  });
});
