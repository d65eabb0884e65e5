import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { loadDemo } from '../../demo/demo.ts';
import { testApp, testConfig, type TestApp } from '../../../test/app.ts';
import { seedRows } from '../../../test/seed.ts';
import { STORES } from '../../../test/stores.ts';
import { sessionCookie } from '../auth/auth.testing.ts';
import { importPlan } from '../plans/plans.import.ts';
import { SCENARIO, targetsWithBaselines, tasksWithUnits } from '../plans/plans.fixture.ts';
import { enterValue } from '../plans/plans.service.ts';
import { inkRatio, pdfText, renderPages } from './pdf/pdf.testing.ts';
import { SHORT_STATUS } from './reports.plan.ts';

const DISTRICT_FILE = 'changzhou_district_funding_2011_2014.csv';
const PROJECTS_FILE = 'changzhou_key_country_projects.csv';
const YEARS = ['2011', '2012', '2013', '2014'];
const PLAN_NAME = '北京市国际科技合作行动计划（2024—2027年）';
const AS_OF = '2025-06-30';

type Cell = ExcelJS.CellValue;

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  return wb;
}

/** A sheet's data rows as records keyed by the header of row 1 (stops at the first empty row). */
function records(wb: ExcelJS.Workbook, name: string): Record<string, Cell>[] {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}; sheets: ${wb.worksheets.map((w) => w.name).join(', ')}`);
  const header = (ws.getRow(1).values as Cell[]).slice(1).map(String);
  const out: Record<string, Cell>[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const values = (ws.getRow(r).values as Cell[]).slice(1);
    if (!values.some((v) => v !== null && v !== undefined)) break;
    out.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null])));
  }
  return out;
}

const seedDistricts = () => seedRows(DISTRICT_FILE).filter((r) => r['辖区'] !== '合计');
const seedTotal = () => seedRows(DISTRICT_FILE).find((r) => r['辖区'] === '合计')!;

describe.each(STORES)('reports API on %s', (kind) => {
  let t: TestApp;
  let plan: number;
  let district: string;
  let reviewer: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `innolink-reports-${kind}-`));

  beforeAll(async () => {
    t = await testApp(kind);
    const config = testConfig();
    await loadDemo(t.store.db, config);
    // The Beijing plan with the fixture's baselines, units and values at two reporting dates.
    fs.writeFileSync(path.join(dir, 'targets.csv'), targetsWithBaselines());
    fs.writeFileSync(path.join(dir, 'tasks.csv'), tasksWithUnits());
    const ctx = { db: t.store.db, actor: systemActor('test'), config };
    const imported = await importPlan(ctx, [{ fileName: 'targets.csv', path: path.join(dir, 'targets.csv') }, { fileName: 'tasks.csv', path: path.join(dir, 'tasks.csv') }], { name: PLAN_NAME, region: '北京' });
    plan = imported.plan!;
    for (const [indicator, s] of Object.entries(SCENARIO)) for (const [date, value] of s.values) await enterValue(ctx, plan, { indicator, date, value }, '2025-12-31');
    const [xinbei] = await t.store.db.query<{ id: number }>(`SELECT d.id FROM admin_regions d JOIN admin_regions c ON c.id = d.parent_id WHERE d.short_name = '新北' AND c.short_name = '常州'`);
    district = (await sessionCookie(t.store.db, { role: 'district', region: xinbei.id })).cookie;
    reviewer = (await sessionCookie(t.store.db, { role: 'reviewer' })).cookie;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, ...(cookie ? { headers: { cookie } } : {}) });
  const json = async (url: string) => (await get(url)).json();
  const refused = async (url: string, status: number, code: string, cookie?: string) => {
    const res = await get(url, cookie);
    expect(res.statusCode, url).toBe(status);
    const body = res.json();
    expect(body.error.code, url).toBe(code);
    expect(body.error.message, url).toMatch(/[\u4e00-\u9fff]/);
    expect(body.error.message_en, url).toBeTruthy();
  };
  const REGION = `/api/reports/region?region=${encodeURIComponent('常州')}`;
  const WHERE = `where=${encodeURIComponent('region=常州')}`;

  describe('GET /api/reports/region', () => {
    it('answers an XLSX download with a UTF-8 file name and one sheet per table', async () => {
      const res = await get(`${REGION}&format=xlsx`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const disposition = String(res.headers['content-disposition']);
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''/);
      expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('常州地区报告_2011–2014.xlsx');
      const wb = await workbook(res.rawPayload);
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '概览 Overview',
        '按年份 By year',
        '按区县 By district',
        '区县×年份 District x year',
        '方阵 Tiers',
        '国别经费 Country funding',
        '国别项目 Country projects',
        '趋势 Trends',
        '国别策略 Strategy',
        '数据质量 Data quality',
      ]);
    });

    it('XLSX cells equal the funding query, the analyses and the seed table', async () => {
      const wb = await workbook((await get(`${REGION}&format=xlsx`)).rawPayload);
      // By year: the funding query's rows, and the paper's yearly totals (5636, 2406, 3946, 1188).
      const byYear = await json(`/api/query/funding?by=year&${WHERE}`);
      const years = records(wb, '按年份 By year');
      expect(years.slice(0, -1).map((r) => [Number(r['年份 / Year']), r['经费（万元） / Funding (CNY 10k)'], r['记录数 / Records']])).toEqual(
        byYear.rows.map((r: { year: number; amount: number; records: number }) => [r.year, r.amount, r.records]),
      );
      expect(years.slice(0, -1).map((r) => r['经费（万元） / Funding (CNY 10k)'])).toEqual(YEARS.map((y) => Number(seedTotal()[y])));
      expect(years.at(-1)).toMatchObject({ '年份 / Year': '合计 / Total', '经费（万元） / Funding (CNY 10k)': byYear.total, '占比 / Share': 1 });
      // By district: the funding query by region.
      const byRegion = await json(`/api/query/funding?by=region&${WHERE}`);
      expect(records(wb, '按区县 By district').slice(0, -1).map((r) => [r['区县（单位） / District (unit)'], r['经费（万元） / Funding (CNY 10k)']])).toEqual(
        byRegion.rows.map((r: { region: string; amount: number }) => [r.region, r.amount]),
      );
      // Districts by year: cell for cell the paper's table.
      const matrix = records(wb, '区县×年份 District x year');
      for (const row of seedDistricts()) {
        const got = matrix.find((m) => m['区县（单位） / District (unit)'] === row['辖区']);
        expect(got, row['辖区']).toBeDefined();
        expect(YEARS.map((y) => got![y])).toEqual(YEARS.map((y) => Number(row[y])));
        expect(got!['合计 / Total']).toBe(Number(row['合计']));
      }
      expect(matrix.at(-1)!['合计 / Total']).toBe(Number(seedTotal()['合计']));
      // Tiers: the analysis, which is the paper's 新北, 钟楼, 武进 / 金坛, 戚墅堰 / the rest.
      const tiers = await json(`/api/analytics/tiers?by=region&thresholds=2000,1000&districtsOnly=true&${WHERE}`);
      const sheetTiers = records(wb, '方阵 Tiers');
      tiers.tiers.forEach((tier: { tier: number; members: { region: string; amount: number }[] }) => {
        const rows = sheetTiers.filter((r) => String(r['方阵 / Tier']).endsWith(`Tier ${tier.tier}`));
        expect(rows.map((r) => [r['辖市区 / District'], r['经费（万元） / Funding (CNY 10k)']])).toEqual(tier.members.map((m) => [m.region, m.amount]));
      });
      const tier = (n: number) => sheetTiers.filter((r) => String(r['方阵 / Tier']).endsWith(`Tier ${n}`)).map((r) => r['辖市区 / District']);
      expect(tier(1)).toEqual(seedDistricts().filter((r) => Number(r['合计']) >= 2000).sort((a, b) => Number(b['合计']) - Number(a['合计'])).map((r) => r['辖区']));
      // Trends: the analysis' CV and CAGR per unit.
      const trends = await json(`/api/analytics/trends?by=region&${WHERE}`);
      const sheetTrends = records(wb, '趋势 Trends');
      for (const u of trends.units) {
        const row = sheetTrends.find((r) => r['区县（单位） / District (unit)'] === u.region)!;
        expect(row['变异系数 / CV']).toBe(u.cv);
        expect(row['复合增长率 / CAGR']).toBe(u.cagr);
        expect(row['不稳定 / Unstable']).toBe(u.unstable ? '是 / yes' : '否 / no');
      }
      // Partner countries by projects: counted from the projects table the seed file loaded.
      const perCountry = new Map<string, number>();
      for (const r of seedRows(PROJECTS_FILE)) perCountry.set(r['国别'], (perCountry.get(r['国别']) ?? 0) + 1);
      const sheetCountries = records(wb, '国别项目 Country projects');
      expect(sheetCountries).toHaveLength(perCountry.size);
      for (const [country, n] of perCountry) {
        expect(sheetCountries.find((r) => String(r['国家或地区 / Country or region']).startsWith(`${country} `))?.['项目数 / Projects'], country).toBe(n);
      }
      // Data quality: the stated total 18176 against the imported 13176.
      const quality = records(wb, '数据质量 Data quality');
      expect(quality.find((r) => r['代码 / Code'] === 'TOTAL_MISMATCH')?.['说明 / Message']).toContain('18176');
    });

    it('limits the figures to the period asked', async () => {
      const wb = await workbook((await get(`${REGION}&from=2012&to=2013&format=xlsx`)).rawPayload);
      const years = records(wb, '按年份 By year');
      expect(years.map((r) => r['年份 / Year'])).toEqual(['2012', '2013', '合计 / Total']);
      expect(years.at(-1)!['经费（万元） / Funding (CNY 10k)']).toBe(Number(seedTotal()['2012']) + Number(seedTotal()['2013']));
    });

    it('answers a PDF whose text holds the figures and whose pages render', async () => {
      const res = await get(`${REGION}&format=pdf`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1])).toBe('常州地区报告_2011–2014.pdf');
      const text = pdfText(res.rawPayload);
      for (const y of YEARS) expect(text).toContain(seedTotal()[y]);
      expect(text).toContain(seedTotal()['合计']);
      for (const s of ['常州国际科技合作地区报告', '一级方阵', '新北', 'United Kingdom', 'TOTAL_MISMATCH', '引进来']) expect(text).toContain(s);
      const pages = renderPages(res.rawPayload, path.join(dir, 'region'));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      for (const png of pages) expect(inkRatio(png), png).toBeGreaterThan(0.003);
    });

    it('a district officer gets their own district, and another region reads as unknown (404)', async () => {
      await refused(`${REGION}&format=xlsx`, 404, 'REGION_UNKNOWN', district);
      const own = await get(`/api/reports/region?region=${encodeURIComponent('新北')}&format=xlsx`, district);
      expect(own.statusCode).toBe(200);
      const years = records(await workbook(own.rawPayload), '按年份 By year');
      const xinbei = seedDistricts().find((r) => r['辖区'] === '新北')!;
      expect(years.slice(0, -1).map((r) => r['经费（万元） / Funding (CNY 10k)'])).toEqual(YEARS.map((y) => Number(xinbei[y])));
    });

    it('refuses roles that may not export funding (403) and requests without a session (401)', async () => {
      await refused(`${REGION}&format=pdf`, 403, 'FORBIDDEN', reviewer);
      expect((await t.anon({ method: 'GET', url: `${REGION}&format=pdf` })).statusCode).toBe(401);
    });

    it('refuses bad input with coded errors', async () => {
      await refused(`${REGION}&format=docx`, 400, 'FORMAT_UNKNOWN');
      await refused(`${REGION}&from=2015&to=2012`, 400, 'PERIOD_INVALID');
      await refused(`${REGION}&from=15`, 400, 'PERIOD_INVALID');
      await refused(`/api/reports/region?region=${encodeURIComponent('火星')}`, 404, 'REGION_UNKNOWN');
      await refused(`${REGION}&thresholds=abc`, 400, 'TIERS_SPEC_INVALID');
      await refused(`${REGION}&top=0`, 400, 'REPORT_TOP_INVALID');
      await refused('/api/reports/region', 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/reports/plan/:id', () => {
    it('the XLSX status board, tasks and supervision equal the plan API', async () => {
      const res = await get(`/api/reports/plan/${plan}?asOf=${AS_OF}&format=xlsx`);
      expect(res.statusCode).toBe(200);
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1])).toBe(`${PLAN_NAME}_2025年第2季度监测报告.xlsx`);
      const wb = await workbook(res.rawPayload);
      const status = await json(`/api/plans/${plan}/status?asOf=${AS_OF}`);
      const targets = records(wb, '目标状态 Targets');
      expect(targets).toHaveLength(status.targets.length);
      for (const x of status.targets) {
        const row = targets.find((r) => r['指标 / Indicator'] === x.indicator)!;
        expect(x.status, x.indicator).toBe(SCENARIO[x.indicator].q2); // the hand-computed status
        expect(row['状态 / Status'], x.indicator).toBe(SHORT_STATUS[x.status as keyof typeof SHORT_STATUS]);
        expect(row['最新值 / Latest']).toBe(x.latest);
        expect(row['比值R / Ratio R']).toBe(x.ratio);
        expect(row['预测值 / Forecast']).toBe(x.forecast);
      }
      const tasks = records(wb, '任务 Tasks');
      for (const x of status.tasks) {
        const rows = tasks.filter((r) => r['编号 / No.'] === x.id);
        expect(rows.map((r) => r['责任单位 / Responsible unit']).sort()).toEqual((x.responsible.length ? [...x.responsible] : ['（未指定责任单位）/ (no responsible unit)']).sort());
        for (const r of rows) expect(String(r['逾期 / Overdue']).startsWith(`逾期 ${x.days_overdue} 天`), x.id).toBe(x.overdue);
      }
      // Task 14 was due on 2025-03-31: 91 days overdue on 2025-06-30.
      expect(status.tasks.find((x: { id: string }) => x.id === '14')).toMatchObject({ overdue: true, days_overdue: 91 });
      const supervision = await json(`/api/plans/${plan}/supervision?asOf=${AS_OF}`);
      const supervised = records(wb, '督办任务 Supervised tasks');
      expect(supervised.map((r) => [r['责任单位 / Responsible unit'], r['编号 / No.']])).toEqual(
        supervision.units.flatMap((u: { unit: string | null; tasks: { id: string }[] }) => u.tasks.map((x) => [u.unit ?? '（未指定责任单位）/ (no responsible unit)', x.id])),
      );
      expect(records(wb, '关注目标 Targets at risk').map((r) => r['指标 / Indicator'])).toEqual(supervision.targets.map((x: { indicator: string }) => x.indicator));
    });

    it('answers a PDF in Chinese whose pages render', async () => {
      const res = await get(`/api/reports/plan/${plan}?asOf=${AS_OF}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const text = pdfText(res.rawPayload);
      for (const s of ['monitoring report, 2025 Q2', '截至 2025-06-30', '12100', SHORT_STATUS.achieved, SHORT_STATUS.deterioration, '逾期 91 天', '督办事项']) expect(text).toContain(s);
      const pages = renderPages(res.rawPayload, path.join(dir, 'plan'));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      for (const png of pages) expect(inkRatio(png), png).toBeGreaterThan(0.003);
    });

    it('refuses bad input, unknown plans, plans out of sight and roles that may not export', async () => {
      await refused(`/api/reports/plan/${plan}?format=doc`, 400, 'FORMAT_UNKNOWN');
      await refused(`/api/reports/plan/${plan}?asOf=2025-13-01`, 400, 'PLAN_TIME_INVALID');
      await refused('/api/reports/plan/999999', 404, 'PLAN_NOT_FOUND');
      // The plans service answers a plan outside the officer's regions as absent.
      expect((await get(`/api/reports/plan/${plan}`, district)).statusCode).toBe(404);
      await refused(`/api/reports/plan/${plan}`, 403, 'FORBIDDEN', reviewer);
    });
  });
});
