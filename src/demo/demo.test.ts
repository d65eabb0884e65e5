/**
 * The demo as a first start loads it, on both stores: every registry the papers fill has its
 * records (counted from the source files by hand), projects carry readable codes, the Beijing
 * plan's statuses differ and its supervision opens a handful of cases, not twenty.
 *
 * The plan's constructed progress is dated from `TODAY` (2026-05-20): its reporting dates are
 * the last two quarter ends before it, 2025-12-31 and 2026-03-31 (demo/plan/README.md).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.ts';
import type { ServiceContext } from '../http/context.ts';
import { testConfig } from '../../test/app.ts';
import { STORES, freshStore, type TestStore } from '../../test/stores.ts';
import { DEMO_PLAN_NAME } from '../modules/plans/plans.demo.ts';
import { planBoard, planSupervision } from '../modules/plans/plans.service.ts';
import { supervisePlan } from '../modules/plans/plans.supervise.ts';
import { readCsv } from './demo.csv.ts';
import { DEMO_REGISTRY_DIR, loadDemoIfEmpty } from './demo.ts';
import { DEMO_MARK_ZH, DEMO_REPORT_UNIT, quarterEndsBefore } from './demo.plan.ts';

const TODAY = '2026-05-20';

describe('quarterEndsBefore', () => {
  it('gives the last quarter ends strictly before a day, oldest first', () => {
    expect(quarterEndsBefore('2026-05-20', 2)).toEqual(['2025-12-31', '2026-03-31']);
    expect(quarterEndsBefore('2026-12-07', 2)).toEqual(['2026-06-30', '2026-09-30']);
    // On a quarter end itself, that day is not "before": the two before it.
    expect(quarterEndsBefore('2026-03-31', 2)).toEqual(['2025-09-30', '2025-12-31']);
  });
});

describe.each(STORES)('the demo of a first start on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  const count = async (sql: string, params: unknown[] = []) => (await store.db.query<{ n: number }>(sql, params))[0].n;

  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    expect(await loadDemoIfEmpty(store.db, ctx.config, () => undefined, TODAY)).toBe(true);
  }, 900_000);

  it('holds the institutions, platforms and mechanisms the papers name, each citing its source', async () => {
    // demo/registries: organizations.csv has 24 data rows; platforms.csv 20 + platforms_beijing.csv 5;
    // mechanisms.csv 5 + mechanisms_beijing.csv 4 (counted in the files, one record a row).
    const rows = (f: string) => readCsv(path.join(DEMO_REGISTRY_DIR, f)).length;
    expect([rows('organizations.csv'), rows('platforms.csv') + rows('platforms_beijing.csv'), rows('mechanisms.csv') + rows('mechanisms_beijing.csv')]).toEqual([24, 25, 9]);
    expect(await count(`SELECT count(*)::int AS n FROM organizations WHERE note LIKE '出处：%'`)).toBe(24);
    expect(await count(`SELECT count(*)::int AS n FROM platforms WHERE note LIKE '出处：%'`)).toBe(25);
    expect(await count(`SELECT count(*)::int AS n FROM mechanisms WHERE note LIKE '出处：%'`)).toBe(9);
    // The five Beijing platforms sit under 北京 (中关村科学城 in 海淀), not under the home region 常州.
    const [zgc] = await store.db.query<{ path: string }>(
      `SELECT r.path FROM platforms p JOIN admin_regions r ON r.id = p.region_id WHERE p.name_zh = '中关村科学城'`,
    );
    const [bj] = await store.db.query<{ path: string }>(`SELECT path FROM admin_regions WHERE short_name = '北京' AND kind <> 'district' ORDER BY length(path) LIMIT 1`);
    expect(zgc.path.startsWith(bj.path)).toBe(true);
  });

  it('gives the named projects readable codes from 002 表1, none AUTO-', async () => {
    const codes = (await store.db.query<{ code: string }>(`SELECT code FROM projects ORDER BY code`)).map((r) => r.code);
    // 表1 names 9 Israeli, 12 British and 9 German projects (changzhou_key_country_projects.csv).
    expect(codes).toHaveLength(30);
    expect(codes.filter((c) => c.startsWith('AUTO-'))).toEqual([]);
    expect(codes.filter((c) => c.startsWith('常州-以色列-'))).toHaveLength(9);
    expect(codes.filter((c) => c.startsWith('常州-英国-'))).toHaveLength(12);
    expect(codes.filter((c) => c.startsWith('常州-德国-'))).toHaveLength(9);
    const [first] = await store.db.query<{ title_zh: string }>(`SELECT title_zh FROM projects WHERE code = '常州-以色列-01'`);
    expect(first.title_zh).toBe('针对肿瘤细胞凋亡调控蛋白Bc1-2家族为靶点的新型抗癌药物的研发');
  });

  it('gives the Beijing plan statuses that differ, from baselines and values marked as demo data', async () => {
    const [plan] = await store.db.query<{ id: number }>(`SELECT id FROM plans WHERE name = $1`, [DEMO_PLAN_NAME]);
    // 11 targets with a pace × 2 reporting dates; 19 listed tasks × 2 reports.
    expect(await count(`SELECT count(*)::int AS n FROM plan_target_values v JOIN plan_targets t ON t.id = v.target_id WHERE t.plan_id = $1`, [plan.id])).toBe(22);
    expect(await count(`SELECT count(*)::int AS n FROM plan_target_values WHERE note NOT LIKE $1`, [`${DEMO_MARK_ZH}%`])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM plan_task_reports WHERE unit = $1 AND review_status = 'accepted'`, [DEMO_REPORT_UNIT])).toBe(38);
    expect(await count(`SELECT count(*)::int AS n FROM plan_targets WHERE plan_id = $1 AND baseline_value IS NULL`, [plan.id])).toBe(0);

    const board = await planBoard(ctx, plan.id, TODAY);
    const status = Object.fromEntries(board.targets.map((t) => [t.indicator, t.status]));
    // Pace bands (demo/plan/README.md): ≥ 0.95 on track, 0.6–0.95 acceleration needed,
    // 0–0.6 limited, < 0 deterioration; pace 2.5 × f = 2.5 × 2.25/4 > 1 at 2026-03-31: achieved.
    expect(status).toEqual({
      '政府间、园区间国际科技合作机制': 'on_track', // 1.1
      '市级“一带一路”联合实验室': 'on_track', // 1.1
      '国际科技组织、机构': 'acceleration_needed', // 0.8
      '中关村企业驻海外服务代表处': 'limited', // 0.5
      '北京国际科技合作基地': 'on_track', // 1.2
      '跨境技术转移机构（培育和引进）': 'acceleration_needed', // 0.7
      '海外国际化创新载体平台': 'on_track', // 1.1
      '国际联合研发项目': 'on_track', // 1.3
      '在京外资研发中心': 'acceleration_needed', // 0.9
      'PCT专利申请量': 'deterioration', // −0.3
      '中关村示范区海外从业人员及留学归国人员': 'achieved', // 2.5
      '进入科睿唯安Q1区科技期刊': 'no_data', // baseline only
    });
    const tasks = Object.fromEntries(board.tasks.map((t) => [t.id, t.status]));
    expect(new Set(Object.values(tasks))).toEqual(new Set(['in_progress', 'completed', 'blocked', 'not_started']));
    expect([tasks['18'], tasks['9'], tasks['20']]).toEqual(['completed', 'blocked', 'not_started']);
  });

  it('opens six supervision cases on a first run, not twenty', async () => {
    const [plan] = await store.db.query<{ id: number }>(`SELECT id FROM plans WHERE name = $1`, [DEMO_PLAN_NAME]);
    // Tasks 5 and 13 (pace ≈ 0.5: behind the straight line by more than 15 points), 9 (blocked),
    // 20 (no report: 0 % against 58 % due); targets 代表处 (limited) and PCT (deterioration).
    const sup = await planSupervision(ctx, plan.id, TODAY);
    const flagged = [...new Set(sup.units.flatMap((u) => u.tasks.map((t) => t.id)))];
    expect(flagged.sort((a, b) => Number(a) - Number(b))).toEqual(['5', '9', '13', '20']);
    const run = await supervisePlan(ctx, plan.id, TODAY, { today: TODAY });
    expect(run.opened).toBe(6);
  });
});
