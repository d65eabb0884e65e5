/**
 * Indicator systems and evaluation in the browser, as an evaluator on a fresh store with the
 * built-in frameworks loaded (indicators.demo.ts): the COINr ASEM demo run shows the top three
 * units and scores that COINr prints (CHE 68.38, NLD 64.82, DNK 64.80) and the API returns;
 * "why this score" lists contributions that add up to the unit's score; the AHP dialog's
 * consistency ratio follows the matrix as it is edited (checked against POST /api/indicators/ahp)
 * and "use these weights" saves a new version with them; a data set import shows the coded
 * problems of a bad file and imports a good one; a run from the form is reproduced from the
 * history; the bureau reads without editing. Screenshots: test-results/screenshots/indicators-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_DIR, loadBuiltinIndicators } from '../../src/modules/indicators/indicators.demo.ts';
import { testConfig } from '../app.ts';
import { launch, login, newPage, shot, SHOTS, startServer, type E2EServer, E2E_TEST_TIMEOUT } from './harness.ts';

/** COINr 1.1.14 build_example_coin(), as its vignette prints the top three. */
const COINR_TOP3: [string, string][] = [
  ['CHE', '68.38'],
  ['NLD', '64.82'],
  ['DNK', '64.80'],
];

interface RunUnit {
  unit: string;
  score: number | null;
  rank: number | null;
  rank_interval: [number, number] | null;
}
interface RunSummary {
  id: number;
  label: string | null;
  framework: { id: number; key: string };
  replications: number | null;
  version: number;
}
interface Explain {
  score: number;
  additive: boolean;
  contributions_sum: number;
  indicators: { code: string; contribution: number | null }[];
}

let server: E2EServer;
let browser: Browser;
let dir: string;
let asemId: number;
let giiId: number;
let coinrRun: RunSummary;
let mcRun: RunSummary;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer('postgres'), launch()]);
  await loadBuiltinIndicators(server.store.db, testConfig());
  await server.user('evaluator', 'ind-evaluator');
  await server.user('bureau', 'ind-bureau', { region: '常州' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-indicators-e2e-'));
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

/**
 * Picks an option of an antd Select by its visible label, and waits until the list has closed
 * and the select shows the choice (a list still sliding into place can miss a click: try again).
 */
async function choose(page: Page, testId: string, label: string) {
  const select = page.getByTestId(testId);
  const open = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 0; ; attempt++) {
    if ((await open.count()) === 0) await select.click();
    await open.getByTitle(label, { exact: true }).click();
    try {
      await expect.poll(async () => (await open.count()) === 0 && ((await select.textContent()) ?? '').includes(label), { timeout: 3000 }).toBe(true);
      return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

/** The input of an antd field, whether the test id sits on the input itself or on its wrapper. */
const inputOf = (page: Page, testId: string) => page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

/** A screenshot of one dialog (a full-page shot would show it over a long page). */
async function shotOfDialog(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.locator('.ant-modal:visible').screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

describe('indicator systems and evaluation', { timeout: E2E_TEST_TIMEOUT }, () => {
  it('lists the built-in frameworks and shows the ASEM tree', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    expect(await page.getByTestId('main-menu').textContent()).toContain('指标评价');
    const list = await apiJson<{ items: { id: number; key: string; indicators: number }[] }>(page, '/api/indicators/frameworks');
    asemId = list.items.find((f) => f.key === 'coinr-asem')!.id;
    giiId = list.items.find((f) => f.key === 'gii-partner-innovation')!.id;
    await page.goto('/indicators/frameworks');
    for (const f of list.items) await page.getByTestId(`framework-link-${f.key}`).waitFor();
    await shot(page, 'indicators-01-frameworks');

    await page.getByTestId('framework-link-coinr-asem').click();
    await page.getByTestId('framework-tree').waitFor();
    const asem = list.items.find((f) => f.key === 'coinr-asem')!;
    expect(await text(page, 'framework-indicators')).toBe(String(asem.indicators));
    // Index → sub-indices → pillars → indicators, with names from the iMeta table.
    for (const code of ['Index', 'Conn', 'Sust', 'Physical', 'LPI', 'CO2']) await page.getByTestId(`node-${code}`).waitFor();
    expect(await text(page, 'node-LPI')).toContain('Logistics Performance Index');
    await shot(page, 'indicators-02-framework-tree');
    await page.context().close();
  });

  it('shows the COINr ASEM demo run: the top three units and scores of COINr and of the API', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    const runs = await apiJson<{ items: RunSummary[] }>(page, `/api/indicators/runs?framework=${asemId}`);
    coinrRun = runs.items.find((r) => r.label === 'COINr build_example_coin()')!;
    mcRun = runs.items.find((r) => r.replications !== null)!;
    expect(coinrRun).toBeDefined();
    const detail = await apiJson<{ units: RunUnit[] }>(page, `/api/indicators/runs/${coinrRun.id}`);
    const top = [...detail.units].sort((a, b) => a.rank! - b.rank!).slice(0, 3);

    await page.goto('/indicators/runs');
    await page.getByTestId(`run-link-${coinrRun.id}`).click();
    await page.getByTestId('ranking-table').waitFor();
    await shot(page, 'indicators-03-run-ranking');
    const shown: [string, string][] = [];
    for (let rank = 1; rank <= 3; rank++) {
      const unit = await text(page, `ranking-unit-${rank}`);
      shown.push([unit, await text(page, `score-${unit}`)]);
    }
    expect(shown).toEqual(top.map((u) => [u.unit, u.score!.toFixed(2)]));
    expect(shown).toEqual(COINR_TOP3);

    // The score chart, the dimension profiles and the heat map draw.
    await page.getByRole('tab', { name: '得分图' }).click();
    await page.locator('[data-testid="score-chart"][data-rendered="true"]').waitFor();
    await shot(page, 'indicators-04-run-scores');
    await page.getByRole('tab', { name: '维度得分' }).click();
    await page.locator('[data-testid="dimension-chart"][data-rendered="true"]').waitFor();
    await page.locator('[data-testid="dimension-heatmap"][data-rendered="true"]').waitFor();
    await shot(page, 'indicators-05-run-dimensions');
    await page.context().close();
  });

  it('shows rank intervals and sensitivity of the Monte-Carlo demo run as the API gives them', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    const detail = await apiJson<{ units: RunUnit[] }>(page, `/api/indicators/runs/${mcRun.id}`);
    await page.goto(`/indicators/runs/${mcRun.id}`);
    await page.getByTestId('ranking-table').waitFor();
    for (const u of detail.units.filter((x) => x.rank! <= 3)) {
      expect(await text(page, `interval-${u.unit}`)).toBe(`${u.rank_interval![0]}–${u.rank_interval![1]}`);
    }
    await page.getByRole('tab', { name: '不确定性与敏感性' }).click();
    await page.locator('[data-testid="interval-chart"][data-rendered="true"]').waitFor();
    await page.getByTestId('sensitivity-table').waitFor();
    await page.getByTestId('loo-table').waitFor();
    await shot(page, 'indicators-06-run-uncertainty');
    await page.context().close();
  });

  it('explains a score: the contributions shown add up to it', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    await page.goto(`/indicators/runs/${coinrRun.id}`);
    await page.getByTestId('why-NLD').click();
    await page.getByTestId('explain-summary').waitFor();
    const api = await apiJson<Explain>(page, `/api/indicators/runs/${coinrRun.id}/explain?unit=NLD`);
    expect(api.additive).toBe(true);
    const score = Number(await text(page, 'explain-score'));
    expect(score.toFixed(2)).toBe(api.score.toFixed(2));
    const cells = await page.locator('[data-testid^="contrib-"]').allTextContents();
    expect(cells).toHaveLength(api.indicators.length);
    const sum = cells.map((c) => (c.trim() === '—' ? 0 : Number(c))).reduce((a, b) => a + b, 0);
    // 49 contributions shown to four decimals: rounding moves the sum by at most 49 × 0.00005.
    expect(Math.abs(sum - score)).toBeLessThan(0.005 + 0.0025);
    expect(Math.abs(Number(await text(page, 'explain-sum')) - api.contributions_sum)).toBeLessThan(0.00005);
    const words = await text(page, 'explain-summary');
    expect(words).toContain('NLD');
    expect(words).toContain(api.score.toFixed(2));
    expect(words).toContain('与得分一致');
    await page.locator('[data-testid="explain-waterfall"][data-rendered="true"]').waitFor();
    await shot(page, 'indicators-07-explain');
    await page.context().close();
  });

  it('edits an AHP matrix: the consistency ratio follows, and the weights are saved as a new version', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    await page.goto(`/indicators/frameworks/${asemId}?tab=edit`);
    await page.getByTestId('tree-editor').waitFor();
    await shot(page, 'indicators-08-tree-editor');
    // The five pillars of the connectivity sub-index, equally weighted: a matrix of ones, CR 0.
    await page.getByTestId('ahp-Conn').click();
    await page.getByTestId('ahp-dialog').waitFor();
    await expect.poll(() => text(page, 'ahp-cr')).toBe('0.000');
    const codes = ['Physical', 'ConEcFin', 'Political', 'Instit', 'P2P'];
    const ahp = async (comparisons: { a: string; b: string; value: number }[]) => {
      const res = await page.request.post('/api/indicators/ahp', { data: { codes, parent: 'Conn', comparisons } });
      expect(res.status()).toBe(200);
      return (await res.json()) as { cr: number; consistent: boolean; weights: Record<string, number> };
    };
    const ones = () => codes.flatMap((a, i) => codes.slice(i + 1).map((b) => ({ a, b, value: 1 })));
    const set = (cs: { a: string; b: string; value: number }[], a: string, b: string, value: number) => cs.map((c) => (c.a === a && c.b === b ? { ...c, value } : c));

    // Physical ≫ ConEcFin, ConEcFin ≫ Political, yet Political ≫ Physical: contradictory.
    await choose(page, 'ahp-cell-0-1', '9 极端重要');
    await choose(page, 'ahp-cell-1-2', '9 极端重要');
    await choose(page, 'ahp-cell-0-2', '1/9 极端次要');
    let cs = set(set(set(ones(), 'Physical', 'ConEcFin', 9), 'ConEcFin', 'Political', 9), 'Physical', 'Political', 1 / 9);
    const bad = await ahp(cs);
    expect(bad.consistent).toBe(false);
    await expect.poll(() => text(page, 'ahp-cr')).toBe(bad.cr.toFixed(3));
    expect(await page.getByTestId('ahp-cr-status').getAttribute('data-consistent')).toBe('false');
    expect(await text(page, 'ahp-cr-status')).toContain('一致性不可接受');
    expect(await page.getByTestId('ahp-use').isDisabled()).toBe(true);
    // The lower triangle is the reciprocal of what was chosen.
    expect(await text(page, 'ahp-cell-2-0')).toBe('9');
    await shotOfDialog(page, 'indicators-09-ahp-inconsistent');

    // A coherent set: Physical 3× the others, Political 2× ConEcFin — first as an evaluator writes
    // it in a table (CSV; the lower triangle left empty), loaded into the dialog.
    const coherent = set(set(set(set(set(ones(), 'Physical', 'ConEcFin', 3), 'ConEcFin', 'Political', 1 / 2), 'Physical', 'Political', 3), 'Physical', 'Instit', 3), 'Physical', 'P2P', 3);
    const expected = await ahp(coherent);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-ahp-'));
    const wrong = path.join(dir, 'sust.csv');
    fs.writeFileSync(wrong, 'Sust,Environ,Social,SusEcFin\nEnviron,1,2,2\nSocial,,1,1\nSusEcFin,,,1\n');
    await page.locator('[data-testid="ahp-dialog"] input[type=file]').setInputFiles(wrong);
    expect(await text(page, 'ahp-table-problem')).toContain('Sust');
    const table = path.join(dir, 'conn.csv');
    fs.writeFileSync(table, 'Conn,Physical,ConEcFin,Political,Instit,P2P\nPhysical,1,3,3,3,3\nConEcFin,,1,1/2,1,1\nPolitical,,,1,1,1\nInstit,,,,1,1\nP2P,,,,,1\n');
    await page.locator('[data-testid="ahp-dialog"] input[type=file]').setInputFiles(table);
    await page.getByTestId('ahp-table-loaded').waitFor();
    await expect.poll(() => text(page, 'ahp-cr')).toBe(expected.cr.toFixed(3));
    expect(await text(page, 'ahp-cell-2-1')).toBe('2');
    await shotOfDialog(page, 'indicators-10a-ahp-from-table');
    fs.rmSync(dir, { recursive: true, force: true });

    // …then the same judgements chosen cell by cell.
    await choose(page, 'ahp-cell-0-1', '3 稍微重要');
    await choose(page, 'ahp-cell-1-2', '1/2');
    await choose(page, 'ahp-cell-0-2', '3 稍微重要');
    await choose(page, 'ahp-cell-0-3', '3 稍微重要');
    await choose(page, 'ahp-cell-0-4', '3 稍微重要');
    cs = set(set(set(set(set(ones(), 'Physical', 'ConEcFin', 3), 'ConEcFin', 'Political', 1 / 2), 'Physical', 'Political', 3), 'Physical', 'Instit', 3), 'Physical', 'P2P', 3);
    const good = await ahp(cs);
    expect(good.consistent).toBe(true);
    await expect.poll(() => text(page, 'ahp-cr')).toBe(good.cr.toFixed(3));
    expect(await page.getByTestId('ahp-cr-status').getAttribute('data-consistent')).toBe('true');
    await shotOfDialog(page, 'indicators-10-ahp-consistent');
    await page.getByTestId('ahp-use').click();
    await page.getByTestId('ahp-dialog').waitFor({ state: 'detached' });
    expect(Number(await inputOf(page, 'edit-weight-Physical').inputValue())).toBeCloseTo(good.weights.Physical, 5);

    await page.getByTestId('editor-save').click();
    await page.getByTestId('editor-save-label').fill('AHP 连通性权重');
    await page.getByTestId('editor-save-confirm').click();
    await page.getByTestId('framework-tree').waitFor();
    const v2 = await apiJson<{ latest_version: number; version: { label: string }; nodes: { code: string; weight: number }[] }>(page, `/api/indicators/frameworks/${asemId}`);
    expect(v2.latest_version).toBe(2);
    expect(v2.version.label).toBe('AHP 连通性权重');
    for (const c of codes) expect(v2.nodes.find((n) => n.code === c)!.weight).toBeCloseTo(good.weights[c], 5);
    await page.context().close();
  }, E2E_TEST_TIMEOUT);

  it('imports data sets: a bad file shows its coded problems, a good one its values', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    // A text cell, a unit twice and another text cell: three problems, each by row and column.
    const badCsv = 'uCode,uName,INST,HCR,INFRA,MKT,BUS,KTO,CRE\nALB,Albania,51.4,22.7,1,1,1,1,x\nALB,Albania,1,2,3,4,5,6,7\nDZA,Algeria,1,2,abc,4,5,6,7\n';
    const bad = path.join(dir, 'gii-bad.csv');
    fs.writeFileSync(bad, badCsv);
    const refusal = await page.request.post(`/api/indicators/datasets/import?framework=${giiId}`, { multipart: { file: { name: 'gii-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(badCsv) } } });
    expect(refusal.ok()).toBe(false);
    const { error } = (await refusal.json()) as { error: { code: string; details: { row: number; column: string; code: string }[] } };
    await page.goto(`/indicators/datasets?framework=${giiId}`);
    await page.getByTestId('dataset-import').click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(bad);
    await page.getByTestId('dataset-import-submit').click();
    await page.getByTestId('issues-table').waitFor();
    expect(await page.getByTestId('error-code').textContent()).toBe(error.code);
    const rows = await page.getByTestId('issues-table').locator('tbody tr.ant-table-row').allTextContents();
    expect(rows).toHaveLength(error.details.length);
    error.details.forEach((x, i) => {
      expect(rows[i]).toContain(x.column);
      expect(rows[i]).toContain(x.code);
    });
    await shotOfDialog(page, 'indicators-11-dataset-import-issues');

    await page.locator('.ant-modal input[type=file]').setInputFiles(path.join(BUILTIN_DIR, 'gii_2022_pillars.csv'));
    await page.getByTestId('dataset-import-name').fill('GII 2022（副本）');
    await page.getByTestId('dataset-import-submit').click();
    await page.getByTestId('dataset-values').waitFor();
    const id = Number(page.url().match(/datasets\/(\d+)/)![1]);
    const d = await apiJson<{ units: number; rows: { code: string; values: Record<string, number | null> }[] }>(page, `/api/indicators/datasets/${id}`);
    expect(await text(page, 'dataset-units')).toBe(String(d.units));
    await expect.poll(() => page.locator('.ant-pagination-total-text').textContent()).toBe(`共 ${d.units} 条`);
    // Sorted by a pillar, up and then down: the first row is the API's lowest, then highest value.
    const byInst = [...d.rows].filter((r) => r.values.INST !== null).sort((a, b) => a.values.INST! - b.values.INST!);
    const firstRow = () => page.locator('[data-testid="dataset-values"] tbody tr.ant-table-row').first().locator('code').textContent();
    const header = page.getByTestId('dataset-values').locator('th').filter({ hasText: /^INST$/ }).first();
    await header.click();
    await expect.poll(firstRow).toBe(byInst[0].code);
    await header.click();
    await expect.poll(firstRow).toBe(byInst[byInst.length - 1].code);
    await shot(page, 'indicators-12-dataset-values');
    await page.context().close();
  });

  it('runs an evaluation from the form, then reproduces it from the history', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    await page.goto(`/indicators/runs/new?framework=${asemId}&version=1`);
    await choose(page, 'run-dataset', 'ASEM 2018（51）');
    await page.getByTestId('run-coinr').click();
    await inputOf(page, 'run-replications').fill('200');
    await inputOf(page, 'run-seed').fill('7');
    await page.getByTestId('run-label').fill('COINr 流程（网页运行）');
    await shot(page, 'indicators-13-run-form');
    await page.getByTestId('run-submit').click();
    await page.waitForURL(/\/indicators\/runs\/\d+$/);
    await page.getByTestId('ranking-table').waitFor();
    const id = Number(page.url().match(/runs\/(\d+)$/)![1]);
    const run = await apiJson<{ seed: number; replications: number; units: RunUnit[]; request: Record<string, unknown> }>(page, `/api/indicators/runs/${id}`);
    expect(run.seed).toBe(7);
    expect(run.replications).toBe(200);
    expect(run.request).toMatchObject({ version: 1, impute: 'groupMean:EurAsia_group', screen: 0.9, treat: 'winsorise:5', normalise: 'minmax', range: [0, 100] });
    // Same pipeline on version 1: COINr's figures again.
    const first = run.units.find((u) => u.rank === 1)!;
    expect([first.unit, await text(page, `score-${first.unit}`)]).toEqual(COINR_TOP3[0]);

    await page.goto('/indicators/runs');
    await page.getByTestId(`reproduce-${id}`).click();
    await page.getByTestId('reproduce-result').waitFor();
    expect(await page.getByTestId('reproduce-result').getAttribute('data-reproduced')).toBe('true');
    expect(Number(await text(page, 'reproduce-maxdiff'))).toBe(0);
    const rep = await apiJson<{ reproduced: boolean; max_score_diff: number }>(page, `/api/indicators/runs/${id}/reproduce`);
    expect(rep).toMatchObject({ reproduced: true, max_score_diff: 0 });
    await shotOfDialog(page, 'indicators-14-runs-reproduce');
    await page.context().close();
  });

  it('imports a framework file (YAML) and shows its tree', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    await page.goto('/indicators/frameworks');
    await page.getByTestId('framework-import').click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(path.join(BUILTIN_DIR, 'project-performance.yaml'));
    await page.getByTestId('framework-import-key').fill('project-performance-2026');
    await page.getByTestId('framework-import-submit').click();
    await page.getByTestId('framework-tree').waitFor();
    expect(await text(page, 'framework-key')).toBe('project-performance-2026');
    const f = await apiJson<{ indicators: number; nodes: { code: string; type: string }[] }>(page, '/api/indicators/frameworks/project-performance-2026');
    expect(await text(page, 'framework-indicators')).toBe(String(f.indicators));
    for (const n of f.nodes.filter((x) => x.type === 'indicator' || x.type === 'aggregate')) await page.getByTestId(`node-${n.code}`).waitFor();
    await page.context().close();
  });

  it('says so when the aggregation is not additive (geometric mean)', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-evaluator');
    const datasets = await apiJson<{ items: { id: number; name: string }[] }>(page, `/api/indicators/datasets?framework=${giiId}`);
    const res = await page.request.post('/api/indicators/runs', { data: { framework_id: giiId, dataset_id: datasets.items.find((d) => d.name === 'GII 2022')!.id, aggregate: 'geometric', label: '几何平均' } });
    expect(res.status()).toBe(201);
    const run = (await res.json()) as { id: number; units: RunUnit[] };
    const top = run.units.find((u) => u.rank === 1)!;
    await page.goto(`/indicators/runs/${run.id}/explain?unit=${top.unit}`);
    await page.getByTestId('explain-not-additive').waitFor();
    expect(await page.getByTestId('explain').getAttribute('data-additive')).toBe('false');
    expect(await text(page, 'explain-score')).toBe(top.score!.toFixed(2));
    expect(await text(page, 'explain-summary')).toContain('不能拆分');
    expect(await page.getByTestId('explain-sum').count()).toBe(0);
    await shot(page, 'indicators-15-explain-geometric');
    await page.context().close();
  });

  it('the bureau reads the indicator pages but cannot edit, import or run', async () => {
    const page = await newPage(browser, server.url);
    await login(page, 'ind-bureau');
    await page.goto(`/indicators/frameworks/${asemId}`);
    await page.getByTestId('framework-tree').waitFor();
    expect(await page.getByTestId('tab-edit').count()).toBe(0);
    await page.goto('/indicators/frameworks');
    await page.getByTestId('framework-link-coinr-asem').waitFor();
    expect(await page.getByTestId('framework-import').count()).toBe(0);
    await page.goto('/indicators/datasets');
    await page.getByTestId('datasets-table').waitFor();
    expect(await page.getByTestId('dataset-import').count()).toBe(0);
    await page.goto('/indicators/runs');
    await page.getByTestId('runs-table').waitFor();
    expect(await page.getByTestId('runs-new').count()).toBe(0);
    await page.context().close();
  });
});
