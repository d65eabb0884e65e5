/** One example call of every function of plans.monitoring.repo.ts (see src/store/query-snapshots.ts). */
import { repoExamples } from '../../store/query-snapshots.ts';
import * as repo from './plans.monitoring.repo.ts';
import { planExampleData } from './plans.repo.examples.ts';

export default repoExamples(repo, planExampleData, {
  milestonesOfPlan: {
    'of the plan': (db, d) => repo.milestonesOfPlan(db, d.plan),
    'of one task': (db, d) => repo.milestonesOfPlan(db, d.plan, d.task),
  },
  milestoneById: (db, d) => repo.milestoneById(db, d.plan, d.milestone),
  insertMilestone: (db, d) => repo.insertMilestone(db, d.task, { title: '验收 Acceptance', due_date: '2025-12-31', done_on: null, note: null }, d.user.username),
  updateMilestoneRow: (db, d) => repo.updateMilestoneRow(db, d.milestone, { done_on: '2024-07-02', note: '晚两天 Two days late' }),
  deleteMilestoneRow: (db, d) => repo.deleteMilestoneRow(db, d.milestone),
  taskDistricts: (db, d) => repo.taskDistricts(db, d.plan),
  setTaskDistrict: (db, d) => repo.setTaskDistrict(db, d.task, d.region.id),
  regionChildren: (db, d) => repo.regionChildren(db, d.region.id),
  regionPaths: (db, d) => repo.regionPaths(db, [d.region.id]),
  regionsNamedWithin: {
    anywhere: (db) => repo.regionsNamedWithin(db, '海淀', null),
    'within a region': (db, d) => repo.regionsNamedWithin(db, '海淀', d.region.path),
  },
  membersOf: (db, d) => repo.membersOf(db, d.plan),
  addMember: (db, d) => repo.addMember(db, d.plan, '市发改委', '市发改委', d.user.id, 'example'),
  removeMember: (db, d) => repo.removeMember(db, d.plan, '市科委', d.user.id),
  userIdsOfUnits: (db, d) => repo.userIdsOfUnits(db, d.plan, ['市科委', '市发改委']),
  activeUserByName: (db) => repo.activeUserByName(db, 'Example_Officer'),
  casesOf: {
    open: (db, d) => repo.casesOf(db, d.plan),
    resolved: (db, d) => repo.casesOf(db, d.plan, 'resolved'),
    all: (db, d) => repo.casesOf(db, d.plan, 'all'),
  },
  insertCase: (db, d) =>
    repo.insertCase(db, d.plan, {
      item_kind: 'target',
      task_id: null,
      target_id: d.target,
      level: 2,
      since: '2024-12-31',
      flagged_on: '2025-01-15',
      escalated_on: '2025-03-15',
      last_seen_on: '2025-03-15',
      triggers: ['off_track'],
      units: [],
      detail: '进度滞后',
      detail_en: 'Off track',
    }),
  updateCase: (db, d) =>
    repo.updateCase(db, d.supervisionCase, {
      level: 2,
      since: '2025-01-01',
      escalated_on: '2025-03-01',
      last_seen_on: '2025-03-01',
      triggers: ['milestone_overdue', 'overdue'],
      units: ['市科委'],
      detail: '节点逾期',
      detail_en: 'Milestone overdue',
    }),
  resolveCase: (db, d) => repo.resolveCase(db, d.supervisionCase, '2025-04-01'),
  lockPlan: (db, d) => repo.lockPlan(db, d.plan),
  lastRunAsOf: (db, d) => repo.lastRunAsOf(db, d.plan),
  insertRun: (db, d) => repo.insertRun(db, d.plan, { as_of: '2025-04-01', actor: 'example', opened: 0, escalated: 1, resolved: 0, notifications: 2 }),
  allPlanIds: (db) => repo.allPlanIds(db),
  planCreatorUserId: (db, d) => repo.planCreatorUserId(db, d.plan),
});
