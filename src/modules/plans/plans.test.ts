import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { isAppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testConfig } from '../../../test/app.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { loadDemoPlan, DEMO_PLAN_NAME } from './plans.demo.ts';
import { SCENARIO, csv, seedTargets, seedTasks, targetsPath, tasksPath, targetsWithBaselines, tasksWithUnits, TARGETS_FILE, TASKS_FILE } from './plans.fixture.ts';
import { importPlan, type PlanImportResult } from './plans.import.ts';
import { countMeasure } from './plans.measures.ts';
import { enterValue, planBoard, planSupervision, planTree, reviewReport, statusContract, submitReport, updateTask } from './plans.service.ts';

const TODAY = '2025-07-01';
const buf = (s: string) => Buffer.from(s, 'utf8');
const codes = (r: PlanImportResult, severity?: 'error' | 'warning') => r.issues.filter((i) => !severity || i.severity === severity).map((i) => i.code);

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(STORES)('action plans on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  let planCount: () => Promise<number>;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    planCount = async () => (await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM plans'))[0].n;
  });
  afterAll(async () => store?.close());

  describe('the Beijing seed plan', () => {
    let result: PlanImportResult;
    beforeAll(async () => {
      result = await loadDemoPlan(store.db, ctx.config);
    });

    it('imports with its twelve targets and twenty tasks in six actions', async () => {
      expect(result.ok).toBe(true);
      expect(result.targets).toBe(seedTargets.length);
      expect(result.tasks).toBe(seedTasks.length);
      expect([result.targets, result.tasks]).toEqual([12, 20]);
      expect(result.values).toBe(0);
      const tree = await planTree(ctx, result.plan!);
      expect(tree).toMatchObject({ name: DEMO_PLAN_NAME, region: { name: '北京' }, period_start: '2024-01-01', period_end: '2027-12-31' });
      expect(tree.actions.map((a) => [a.number, a.tasks.length])).toEqual([['1', 3], ['2', 3], ['3', 4], ['4', 3], ['5', 4], ['6', 3]]);
      const pct = tree.targets.find((t) => t.indicator === 'PCT专利申请量');
      expect(pct).toMatchObject({ target_value: 12000, unit: '件', target_year: 2027, direction: 'increase', baseline_value: null, value_source: 'reported' });
      expect(pct?.source_text).toBe('PCT专利申请量达到1.2万件');
    });

    it('warns, per target, that without a baseline the status will be no_data — and so it is', async () => {
      expect(codes(result, 'warning')).toEqual(Array(12).fill('TARGET_NO_BASELINE'));
      expect(result.issues[0]).toMatchObject({ row: 2, column: '基线值', file: TARGETS_FILE, severity: 'warning' });
      expect(result.issues[0].message).toMatch(/无数据/);
      const board = await planBoard(ctx, result.plan!, '2025-06-30');
      expect(board.summary.targets.no_data).toBe(12);
    });

    it('is loaded once: a second call finds it', async () => {
      const again = await loadDemoPlan(store.db, ctx.config);
      expect(again).toEqual({ ok: true, plan: result.plan, targets: 12, tasks: 20, values: 0, issues: [] });
      expect(await planCount()).toBe(1);
    });
  });

  describe('statuses with values entered for two reporting dates', () => {
    let plan: number;
    beforeAll(async () => {
      const r = await importPlan(
        ctx,
        [
          { fileName: 'tasks.csv', buffer: buf(tasksWithUnits()) },
          { fileName: 'targets.csv', buffer: buf(targetsWithBaselines()) },
        ],
        { name: '北京计划（含基线）2024-2027', region: '北京', today: TODAY },
      );
      expect(codes(r, 'error')).toEqual([]);
      // Task 14 is due 2025-03-31, before "today" (2025-07-01).
      expect(codes(r, 'warning')).toEqual(['TASK_DUE_PASSED']);
      plan = r.plan!;
      for (const [indicator, s] of Object.entries(SCENARIO))
        for (const [date, value] of s.values) await enterValue(ctx, plan, { indicator, date, value }, TODAY);
    });

    it('as of 2024-12-31, one year after the baseline', async () => {
      const board = await planBoard(ctx, plan, '2024-12-31');
      for (const t of board.targets) expect(t.status, `${t.indicator}: ${t.explanation_zh}`).toBe(SCENARIO[t.indicator].q4);
      const rd = board.targets.find((t) => t.indicator === '国际联合研发项目')!;
      // (50/40)^1 − 1 = 0.25; (100/40)^(1/4) − 1 = 0.257433; R = 0.25 / 0.257433 = 0.971125
      expect(rd.ratio).toBeCloseTo(0.971125, 5);
      expect(rd).toMatchObject({ latest: 50, latest_date: '2024-12-31' });
      const pct = board.targets.find((t) => t.indicator === 'PCT专利申请量')!;
      expect(pct).toMatchObject({ latest: 12100, latest_date: '2024-12-31', status: 'achieved', ratio: null });
    });

    it('as of 2025-06-30, a year and a half after it', async () => {
      const board = await planBoard(ctx, plan, '2025-06-30');
      for (const t of board.targets) expect(t.status, `${t.indicator}: ${t.explanation_zh}`).toBe(SCENARIO[t.indicator].q2);
      expect(board.summary.targets).toEqual({ total: 12, achieved: 1, on_track: 3, acceleration_needed: 4, limited: 2, deterioration: 1, no_data: 1 });
      const rd = board.targets.find((t) => t.indicator === '国际联合研发项目')!;
      // obs (55/40)^(1/1.5) − 1 = 0.236522; R = 0.236522 / 0.257433 = 0.918768
      expect(rd.observed_rate).toBeCloseTo(0.236522, 6);
      expect(rd.ratio).toBeCloseTo(0.918768, 5);
      // Forecast on the same trend: 55 × 1.236522^2.5 = 93.512 by 2027, short of 100.
      expect(rd.forecast).toBeCloseTo(93.512, 3);
      expect(rd.forecast_meets_target).toBe(false);
      // Linear fallback for a zero baseline: (6 − 0)/1.5 = 4/yr against (20 − 0)/4 = 5/yr.
      const tt = board.targets.find((t) => t.indicator === '跨境技术转移机构（培育和引进）')!;
      expect(tt).toMatchObject({ method: 'linear_ratio', ratio: 0.8 });
      expect(tt.series).toEqual([
        { date: '2023-12-31', value: 0 },
        { date: '2024-12-31', value: 4 },
        { date: '2025-06-30', value: 6 },
      ]);
    });

    it('the status contract carries exactly its keys', async () => {
      const s = statusContract(await planBoard(ctx, plan, '2025-06-30'));
      expect(Object.keys(s)).toEqual(['plan', 'as_of', 'targets', 'tasks']);
      expect(Object.keys(s.targets[0])).toEqual(['indicator', 'target', 'unit', 'latest', 'latest_date', 'status', 'ratio', 'forecast']);
      expect(Object.keys(s.tasks[0])).toEqual(['id', 'title', 'responsible', 'due', 'status', 'overdue']);
      expect(s.tasks.find((t) => t.id === '14')).toEqual({
        id: '14',
        title: '优化提升知识产权环境',
        responsible: ['市知识产权局', '市人才局', '市金融监管局'],
        due: '2025-03-31',
        status: 'not_started',
        overdue: true,
      });
      // Without a due date of its own a task is due at the plan's end.
      expect(s.tasks.find((t) => t.id === '1')).toMatchObject({ due: '2027-12-31', overdue: false });
    });

    it('a unit reports, the owner accepts, and the task moves; a returned report does not count', async () => {
      const r1 = await submitReport(ctx, plan, '1', { unit: '市外办', status: 'in_progress', percent: 40, reported_on: '2025-06-25' }, TODAY);
      expect(r1).toMatchObject({ task: '1', unit: '市外办', review_status: 'submitted' });
      let task = (await planBoard(ctx, plan, '2025-06-30')).tasks.find((t) => t.id === '1')!;
      expect(task.status).toBe('not_started'); // not reviewed yet
      await reviewReport(ctx, plan, r1.id, { decision: 'accept' });
      task = (await planBoard(ctx, plan, '2025-06-30')).tasks.find((t) => t.id === '1')!;
      expect(task).toMatchObject({ status: 'in_progress', percent: 40, report_id: r1.id, off_track: false });

      const r2 = await submitReport(ctx, plan, '1', { unit: '市科委、中关村管委会', status: 'completed', reported_on: '2025-06-28' }, TODAY);
      const returned = await reviewReport(ctx, plan, r2.id, { decision: 'return', comment: '请补充佐证材料' });
      expect(returned).toMatchObject({ review_status: 'returned', reviewer_comment: '请补充佐证材料' });
      task = (await planBoard(ctx, plan, '2025-06-30')).tasks.find((t) => t.id === '1')!;
      expect(task.status).toBe('in_progress');

      const again = await refusal(reviewReport(ctx, plan, r2.id, { decision: 'accept' }));
      expect([again.code, again.status]).toEqual(['PLAN_REPORT_ALREADY_REVIEWED', 409]);
    });

    it('refuses a report by a unit not responsible for the task', async () => {
      // 市商务局 is responsible for action 4's tasks, not for task 1.
      const e = await refusal(submitReport(ctx, plan, '1', { unit: '市商务局', status: 'in_progress', percent: 10 }, TODAY));
      expect([e.code, e.status]).toEqual(['PLAN_UNIT_NOT_RESPONSIBLE', 403]);
      expect(e.messageZh).toContain('市科委、中关村管委会；市外办');
      expect(e.details[0]).toMatchObject({ field: 'unit', value: '市商务局', task: '1' });
      const missing = await refusal(submitReport(ctx, plan, '99', { unit: '市外办', status: 'in_progress' }, TODAY));
      expect([missing.code, missing.status]).toEqual(['PLAN_TASK_NOT_FOUND', 404]);
      // Assigning the unit makes its report acceptable.
      await updateTask(ctx, plan, '1', { responsible_units: ['市外办', '市商务局'] });
      await expect(submitReport(ctx, plan, '1', { unit: '市商务局', status: 'in_progress', percent: 10, reported_on: '2025-06-01' }, TODAY)).resolves.toMatchObject({ unit: '市商务局' });
    });

    it('lists overdue tasks for supervision under their responsible units', async () => {
      const s = await planSupervision(ctx, plan, '2025-06-30');
      // Task 14 was due 2025-03-31: 91 days overdue as of 2025-06-30, escalated (≥ 30 days).
      const ip = s.units.find((u) => u.unit === '市知识产权局')!;
      expect(ip.tasks.find((t) => t.id === '14')).toMatchObject({ overdue: true, days_overdue: 91, escalation: 2 });
      expect(s.targets.map((t) => t.indicator).sort()).toEqual(['北京国际科技合作基地', '市级“一带一路”联合实验室', '进入科睿唯安Q1区科技期刊'].sort());
    });

    it('takes a value in another multiple of the unit, refuses one in another unit', async () => {
      // 7.2 万人 = 72000 人
      const v = await enterValue(ctx, plan, { indicator: '中关村示范区海外从业人员及留学归国人员', date: '2025-03-31', value: 7.2, unit: '万人' }, TODAY);
      expect(v).toMatchObject({ value: 72000, unit: '人', warnings: [{ code: 'VALUE_UNIT_CONVERTED' }] });
      const e = await refusal(enterValue(ctx, plan, { indicator: 'PCT专利申请量', date: '2025-06-30', value: 3, unit: '亿元' }, TODAY));
      expect([e.code, e.status]).toEqual(['PLAN_VALUE_UNIT_MISMATCH', 400]);
      expect(e.messageZh).toContain('亿元');
      expect(e.messageZh).toContain('件');
      const u = await refusal(enterValue(ctx, plan, { indicator: '不存在的指标', date: '2025', value: 1 }, TODAY));
      expect(u.code).toBe('PLAN_TARGET_NOT_FOUND');
    });
  });

  describe('a values table, and what the import refuses', () => {
    const targets = csv(
      ['指标', '目标值', '单位', '目标年份', '基线值', '基线年份', '方向'],
      [
        ['国际联合研发项目', 100, '项', 2027, 40, 2023, '正向'],
        ['PCT专利申请量', 12000, '件', 2027, 11000, 2023, '正向'],
        ['北京国际科技合作基地', 100, '个', 2027, 90, 2023, ''],
        ['企业研发投入强度', 2.5, '%', 2020, 3, 2018, '负向'],
      ],
    );

    it('imports values by year or date, converting 万件 and accepting 家 for 个 with warnings', async () => {
      const values = csv(
        ['指标', '年份', '日期', '数值', '单位', '说明'],
        [
          ['国际联合研发项目', '', '2024-12-31', 50, '项', '年报'],
          ['PCT专利申请量', 2024, '', 1.21, '万件', ''],
          ['北京国际科技合作基地', '', '2025/6/30', 88, '家', ''],
        ],
      );
      const r = await importPlan(
        ctx,
        [
          { fileName: 'values.csv', buffer: buf(values) },
          { fileName: 'targets.csv', buffer: buf(targets) },
        ],
        { name: '数值表测试', today: TODAY },
      );
      expect(r).toMatchObject({ ok: true, targets: 4, tasks: 0, values: 3 });
      expect(codes(r, 'warning')).toEqual(['TARGET_DEADLINE_PASSED', 'VALUE_UNIT_CONVERTED', 'VALUE_UNIT_DIFFERS']);
      expect(r.issues.find((i) => i.code === 'VALUE_UNIT_CONVERTED')).toMatchObject({ file: 'values.csv', row: 3, value_unit: '万件', target_unit: '件' });
      // No years in the name: the period runs from the year after the earliest baseline to the last target year.
      expect(await planTree(ctx, r.plan!)).toMatchObject({ period_start: '2019-01-01', period_end: '2027-12-31' });
      const board = await planBoard(ctx, r.plan!, '2025-06-30');
      expect(board.targets.find((t) => t.indicator === 'PCT专利申请量')).toMatchObject({ latest: 12100, latest_date: '2024-12-31', status: 'achieved' });
      expect(board.targets.find((t) => t.indicator === '北京国际科技合作基地')).toMatchObject({ latest: 88, status: 'deterioration' });
      // 负向: 3 % in 2018 down to 2.5 % by 2020; no value reported.
      expect(board.targets.find((t) => t.indicator === '企业研发投入强度')).toMatchObject({ status: 'no_data', latest: null });
    });

    it('writes nothing when a value is in the wrong unit or for an unknown indicator', async () => {
      const before = await planCount();
      const values = csv(
        ['指标', '日期', '数值', '单位'],
        [
          ['国际联合研发项目', '2024-12-31', 50, '万元'],
          ['不存在的指标', '2024-12-31', 5, ''],
          ['PCT专利申请量', '2024-12-31', 12100, ''],
        ],
      );
      const r = await importPlan(ctx, [{ fileName: 'targets.csv', buffer: buf(targets) }, { fileName: 'v.csv', buffer: buf(values) }], { name: '错误单位', today: TODAY });
      expect(r).toMatchObject({ ok: false, plan: null, targets: 0, tasks: 0, values: 0 });
      expect(codes(r, 'error')).toEqual(['VALUE_UNIT_MISMATCH', 'VALUE_INDICATOR_UNKNOWN']);
      const unit = r.issues.find((i) => i.code === 'VALUE_UNIT_MISMATCH')!;
      expect(unit).toMatchObject({ file: 'v.csv', row: 2, column: '单位', value_unit: '万元', target_unit: '项' });
      expect(unit.message).toMatch(/万元.*项/);
      expect(unit.message_en).toMatch(/万元.*项/);
      expect(await planCount()).toBe(before);
    });

    it('refuses duplicate task numbers, and writes nothing', async () => {
      const before = await planCount();
      const tasks = csv(
        ['行动编号', '行动', '任务编号', '任务'],
        [
          ['1', '网络拓展', '1', '甲'],
          ['1', '网络拓展', '2', '乙'],
          ['2', '载体提质', '2', '丙'],
        ],
      );
      const r = await importPlan(ctx, [{ fileName: 'tasks.csv', buffer: buf(tasks) }], { name: '重复任务', today: TODAY });
      expect(r.ok).toBe(false);
      expect(r.issues).toEqual([
        expect.objectContaining({ file: 'tasks.csv', row: 4, column: '任务编号', code: 'TASK_NUMBER_DUPLICATE', severity: 'error', value: '2' }),
      ]);
      expect(r.issues[0].message).toContain('第 3 行');
      expect(await planCount()).toBe(before);
    });

    it('refuses a file it cannot recognise, a plan name already taken, an unknown region', async () => {
      const r = await importPlan(
        ctx,
        [{ fileName: 'x.csv', buffer: buf('名称,金额\n甲,1\n') }, { fileName: 'targets.csv', buffer: buf(targets) }],
        { name: '数值表测试', region: '火星', today: TODAY },
      );
      expect(codes(r, 'error')).toEqual(['PLAN_FILE_NOT_RECOGNISED', 'REGION_UNKNOWN', 'PLAN_NAME_TAKEN']);
    });

    it('reads GBK text and XLSX workbooks through the shared reader', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('任务');
      ws.addRow(['行动编号', '行动', '任务编号', '任务', '责任单位', '完成时限']);
      ws.addRow([1, '网络拓展', 1, '甲任务', '市科委；市外办', '2026年6月']);
      ws.addRow([1, '网络拓展', 2, '乙任务', '市外办', 2027]);
      const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
      const gbk = iconv.encode(csv(['指标', '目标值', '单位', '目标年份'], [['国际联合研发项目', 100, '项', 2027]]), 'gbk');
      const r = await importPlan(ctx, [{ fileName: 'tasks.xlsx', buffer: xlsx }, { fileName: 'targets.csv', buffer: gbk }], { name: 'GBK 与 XLSX', today: TODAY });
      expect(r).toMatchObject({ ok: true, targets: 1, tasks: 2 });
      const tree = await planTree(ctx, r.plan!);
      expect(tree.targets[0].indicator).toBe('国际联合研发项目');
      expect(tree.actions[0].tasks).toEqual([
        expect.objectContaining({ number: '1', responsible_units: ['市科委', '市外办'], due_date: '2026-06-30' }),
        expect.objectContaining({ number: '2', responsible_units: ['市外办'], due_date: '2027-12-31' }),
      ]);
    });
  });

  describe('registry-linked targets', () => {
    let plan: number;
    let haidian: number;
    let wujin: number;
    const addPlatform = (name: string, kindOf: string, region: number, extra: { level?: string; year?: number; status?: string } = {}) =>
      store.db.query(
        `INSERT INTO platforms (name_zh, name_key, kind, level, region_id, established_year, status) VALUES ($1, $1, $2, $3, $4, $5, $6)`,
        [name, kindOf, extra.level ?? null, region, extra.year ?? null, extra.status ?? 'active'],
      );
    beforeAll(async () => {
      const regions = await store.db.query<{ id: number; name: string }>(
        `SELECT d.id, d.name FROM admin_regions d JOIN admin_regions c ON d.parent_id = c.id
          WHERE (d.name = '海淀区' AND c.short_name = '北京') OR (d.name = '武进区' AND c.short_name = '常州')`,
      );
      haidian = regions.find((r) => r.name === '海淀区')!.id;
      wujin = regions.find((r) => r.name === '武进区')!.id;
      const targets = csv(
        ['指标', '目标值', '单位', '目标年份', '基线值', '基线年份', '数据来源'],
        [
          ['北京国际科技合作基地', 4, '个', 2027, 2, 2023, 'platforms.intl_base'],
          ['国际联合研发项目', 3, '项', 2027, 1, 2023, 'projects.intl_joint_rd'],
          ['市级“一带一路”联合实验室', 2, '家', 2027, 1, 2023, 'platforms.joint_lab.municipal'],
        ],
      );
      const r = await importPlan(ctx, [{ fileName: 'targets.csv', buffer: buf(targets) }], { name: '登记库指标测试', region: '北京', today: TODAY });
      expect(r.issues).toEqual([]);
      plan = r.plan!;
    });
    const statusOf = async (indicator: string, asOf = '2025-06-30') =>
      (await planBoard(ctx, plan, asOf)).targets.find((t) => t.indicator === indicator)!;

    it('moves a platform-counted target when a platform is added in the plan region', async () => {
      expect(await statusOf('北京国际科技合作基地')).toMatchObject({ latest: 0, latest_date: '2025-06-30', status: 'deterioration' });
      await addPlatform('中德智能制造国际科技合作基地', 'intl_base', haidian, { year: 2020 });
      await addPlatform('常州的基地', 'intl_base', wujin); // outside the plan's region
      await addPlatform('海淀的联合实验室', 'joint_lab', haidian); // another kind
      await addPlatform('筹建中的基地', 'intl_base', haidian, { status: 'planned' });
      await addPlatform('2026 年才设立的基地', 'intl_base', haidian, { year: 2026 });
      // 1 base against a baseline of 2: (1/2)^(1/1.5) − 1 < 0 → deterioration
      expect(await statusOf('北京国际科技合作基地')).toMatchObject({ latest: 1, status: 'deterioration' });
      await addPlatform('中法联合研发国际科技合作基地', 'intl_base', haidian, { year: 2024 });
      await addPlatform('中以创新国际科技合作基地', 'intl_base', haidian);
      // 3: obs (3/2)^(1/1.5) − 1 = 31.04 %, req (4/2)^(1/4) − 1 = 18.92 %, R = 1.64 → on_track
      const three = await statusOf('北京国际科技合作基地');
      expect(three).toMatchObject({ latest: 3, status: 'on_track' });
      expect(three.ratio).toBeCloseTo(0.310371 / 0.189207, 4);
      // The base set up in 2026 counts as of 2026: 4 ≥ 4 → achieved.
      expect(await statusOf('北京国际科技合作基地', '2026-12-31')).toMatchObject({ latest: 4, status: 'achieved' });
    });

    it('counts municipal joint labs and active projects with a foreign partner', async () => {
      await addPlatform('市级一带一路联合实验室', 'joint_lab', haidian, { level: 'municipal' });
      await addPlatform('国家级联合实验室', 'joint_lab', haidian, { level: 'national' });
      expect(await statusOf('市级“一带一路”联合实验室')).toMatchObject({ latest: 1 });
      const addProject = async (code: string, status: string, partners: string[]) => {
        const [p] = await store.db.query<{ id: number }>(
          `INSERT INTO projects (code, title_zh, status, region_id, start_date) VALUES ($1, $1, $2, $3, '2024-03-01') RETURNING id`,
          [code, status, haidian],
        );
        for (const c of partners) await store.db.query(`INSERT INTO project_partners (project_id, country_iso3) VALUES ($1, $2)`, [p.id, c]);
      };
      await addProject('BJ-1', 'active', ['DEU']);
      await addProject('BJ-2', 'active', ['CHN']); // no foreign partner
      await addProject('BJ-3', 'completed', ['FRA']); // not active
      await addProject('BJ-4', 'active', ['CHN', 'ISR']);
      const rd = await statusOf('国际联合研发项目');
      expect(rd.latest).toBe(2);
      expect(await countMeasure(store.db, 'projects.intl_joint_rd', '2024-01-01', null)).toBe(0); // not started yet
    });

    it('refuses reported values for a registry-counted target', async () => {
      const e = await refusal(enterValue(ctx, plan, { indicator: '北京国际科技合作基地', date: '2025-06-30', value: 96 }, TODAY));
      expect([e.code, e.status]).toEqual(['PLAN_TARGET_FROM_REGISTRY', 409]);
    });
  });
});

describe('plan import of the seed files from disk', () => {
  it('reads the files as given on the command line', async () => {
    const store = await freshStore('pglite');
    try {
      const ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
      const r = await importPlan(ctx, [
        { fileName: TASKS_FILE, path: tasksPath },
        { fileName: TARGETS_FILE, path: targetsPath },
      ]);
      expect(r).toMatchObject({ ok: true, targets: 12, tasks: 20 });
      // Named after the files; the period read from the name's years.
      expect(await planTree(ctx, r.plan!)).toMatchObject({ name: 'beijing_action_plan_2024_2027', period_start: '2024-01-01', period_end: '2027-12-31' });
    } finally {
      await store.close();
    }
  });
});
