/**
 * One example call of every function of plans.repo.ts, run by src/store/query-snapshots.ts
 * against a fresh store to write src/store/queries/plans.sql. `planExampleData` also serves the
 * other plans repositories' examples.
 */
import type { Sql } from '../../store/db.ts';
import { qb } from '../../store/kysely.ts';
import { repoExamples } from '../../store/query-snapshots.ts';
import { addMember, insertCase, insertMilestone, insertRun } from './plans.monitoring.repo.ts';
import * as repo from './plans.repo.ts';

/** A plan in 北京 with one of everything: action, target and value, task, report, milestone, unit member, supervision case and run. */
export async function planExampleData(db: Sql) {
  const region = await qb(db).selectFrom('admin_regions').select(['id', 'path']).where('short_name', '=', '北京').orderBy('id').executeTakeFirstOrThrow();
  const user = await qb(db)
    .insertInto('users')
    .values({ username: 'example_officer', role: 'district', region_id: region.id, password_hash: 'not a hash: examples never log in' })
    .returning(['id', 'username'])
    .executeTakeFirstOrThrow();
  const plan = await repo.insertPlan(db, {
    name: '示例计划 Example plan',
    region_id: region.id,
    period_start: '2024-01-01',
    period_end: '2027-12-31',
    owner: '市科委 Municipal commission',
    config: { progress_method: 'linear' },
    created_by: user.username,
  });
  const action = await repo.insertAction(db, plan, { number: '1', title: '平台建设 Platforms', position: 1 });
  const target = await repo.insertTarget(db, plan, {
    action_id: action,
    area: '平台',
    indicator: '联合实验室 Joint labs',
    unit: '家',
    baseline_value: 8,
    baseline_year: 2023,
    target_value: 15,
    target_year: 2027,
    direction: 'increase',
    source_text: null,
    value_source: 'reported',
    measure_key: null,
    position: 1,
  });
  await repo.insertValue(db, { target_id: target, date: '2024-12-31', precision: 'year', value: 9, note: null, evidence: null, entered_by: user.username });
  const task = await repo.insertTask(db, plan, {
    action_id: action,
    number: '1.1',
    title: '共建联合实验室 Build joint labs',
    responsible_units: ['市科委'],
    supporting_units: ['海淀区人民政府'],
    start_date: '2024-01-01',
    due_date: '2025-12-31',
    policy_text: null,
    position: 1,
  });
  const report = await repo.insertReport(db, {
    task_id: task,
    unit: '市科委',
    status: 'in_progress',
    percent: 40,
    narrative: '两家已签约 Two signed',
    evidence: null,
    reported_on: '2024-12-31',
    submitted_by: user.username,
  });
  const milestone = await insertMilestone(db, task, { title: '签约 Signing', due_date: '2024-06-30', done_on: null, note: null }, user.username);
  await addMember(db, plan, '市科委', '市科委', user.id, 'example');
  const supervisionCase = await insertCase(db, plan, {
    item_kind: 'task',
    task_id: task,
    target_id: null,
    level: 1,
    since: '2025-01-01',
    flagged_on: '2025-01-15',
    escalated_on: null,
    last_seen_on: '2025-01-15',
    triggers: ['milestone_overdue'],
    units: ['市科委'],
    detail: '节点逾期',
    detail_en: 'Milestone overdue',
  });
  await insertRun(db, plan, { as_of: '2025-01-15', actor: 'example', opened: 1, escalated: 0, resolved: 0, notifications: 1 });
  return { region, user, plan, action, target, task, report, milestone, supervisionCase };
}

export default repoExamples(repo, planExampleData, {
  planById: (db, d) => repo.planById(db, d.plan),
  planByName: (db) => repo.planByName(db, '示例计划 Example plan'),
  listPlans: (db) => repo.listPlans(db),
  planCounts: (db, d) => repo.planCounts(db, d.plan),
  insertPlan: (db, d) =>
    repo.insertPlan(db, {
      name: '另一计划 Another plan',
      region_id: d.region.id,
      period_start: null,
      period_end: null,
      owner: null,
      config: {},
      created_by: d.user.username,
    }),
  updatePlanRow: {
    'name and owner': (db, d) => repo.updatePlanRow(db, d.plan, { name: '改名 Renamed', owner: '市科委' }),
    'settings and period': (db, d) => repo.updatePlanRow(db, d.plan, { config: { progress_method: 'cagr' }, period_start: '2024-01-01', period_end: '2028-12-31' }),
  },
  deletePlanRow: (db, d) => repo.deletePlanRow(db, d.plan),
  insertAction: (db, d) => repo.insertAction(db, d.plan, { number: '2', title: '人才 Talent', position: 2 }),
  actionsOf: (db, d) => repo.actionsOf(db, d.plan),
  insertTarget: (db, d) =>
    repo.insertTarget(db, d.plan, {
      action_id: null,
      area: null,
      indicator: '国际合作基地 Cooperation bases',
      unit: '个',
      baseline_value: null,
      baseline_year: null,
      target_value: 20,
      target_year: 2027,
      direction: 'increase',
      source_text: null,
      value_source: 'registry',
      measure_key: 'platforms.intl_base',
      position: 2,
    }),
  targetsOf: (db, d) => repo.targetsOf(db, d.plan),
  targetByIndicator: (db, d) => repo.targetByIndicator(db, d.plan, '联合实验室 Joint labs'),
  targetById: (db, d) => repo.targetById(db, d.plan, d.target),
  setTargetSource: (db, d) => repo.setTargetSource(db, d.target, 'registry', 'platforms.joint_lab.municipal'),
  insertValue: (db, d) =>
    repo.insertValue(db, { target_id: d.target, date: '2025-06-30', precision: 'day', value: 10, note: '半年 Half-year', evidence: null, entered_by: d.user.username }),
  valuesOfPlan: (db, d) => repo.valuesOfPlan(db, d.plan),
  insertTask: (db, d) =>
    repo.insertTask(db, d.plan, {
      action_id: null,
      number: '1.2',
      title: '引进人才 Attract talent',
      responsible_units: ['市人社局'],
      supporting_units: [],
      start_date: null,
      due_date: '2026-12-31',
      policy_text: null,
      position: 2,
    }),
  tasksOf: (db, d) => repo.tasksOf(db, d.plan),
  taskByNumber: (db, d) => repo.taskByNumber(db, d.plan, '1.1'),
  updateTaskRow: {
    'title and due date': (db, d) => repo.updateTaskRow(db, d.task, { title: '共建 Build', due_date: '2026-06-30' }),
    'responsible units': (db, d) => repo.updateTaskRow(db, d.task, { responsible_units: ['市科委', '市发改委'], supporting_units: [] }),
  },
  insertReport: (db, d) =>
    repo.insertReport(db, {
      task_id: d.task,
      unit: '市科委',
      status: 'completed',
      percent: 100,
      narrative: null,
      evidence: 'https://example.org/evidence',
      reported_on: '2025-06-30',
      submitted_by: d.user.username,
    }),
  reportById: (db, d) => repo.reportById(db, d.plan, d.report),
  reportsOf: {
    all: (db, d) => repo.reportsOf(db, d.plan),
    'awaiting review': (db, d) => repo.reportsOf(db, d.plan, { reviewStatus: 'submitted' }),
    'of one task': (db, d) => repo.reportsOf(db, d.plan, { taskId: d.task }),
  },
  setReview: (db, d) => repo.setReview(db, d.report, { status: 'accepted', reviewer: d.user.username, comment: null }),
});
