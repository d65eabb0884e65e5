/**
 * Reviewers see the items assigned to them (issue 3: "reviewer (assigned items only)"), plus
 * published data: in lists, exports and by id, and a plan's progress reports one by one.
 * Administrators and bureau officers (in their scope) assign and unassign; every change is on
 * the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type MatrixRole, type World } from './access-fixtures.ts';
import { STORES } from './stores.ts';

describe.each(STORES)('review assignments on %s', (kind) => {
  let w: World;
  let assigned: number; // an internal 武进 project assigned to the reviewer
  let restricted: number; // a restricted 新北 project assigned to the reviewer
  let other: number; // an internal 武进 project assigned to nobody
  let outside: number; // a project in 南京, outside the 常州 bureau's scope

  const codes = async (role: MatrixRole, url = '/api/projects?pageSize=500') =>
    (await w.as(role, { method: 'GET', url })).json().items.map((p: { code: string }) => p.code).sort();
  const assign = (role: MatrixRole, payload: object) => w.as(role, { method: 'POST', url: '/api/assignments', payload });

  beforeAll(async () => {
    w = await buildWorld(kind);
    const project = async (code: string, region: number, classification = 'internal') =>
      (await w.admin<{ id: number }>({ method: 'POST', url: '/api/projects', payload: { code, title_zh: `${code} 项目`, region_id: region, classification } })).id;
    const nanjing = Number((await w.store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '南京' AND level = 'city'`))[0].id);
    assigned = await project('REV-A', w.region.wujin);
    restricted = await project('REV-R', w.region.xinbei, 'restricted');
    other = await project('REV-X', w.region.wujin);
    outside = await project('NJ-1', nanjing);
    await w.admin({ method: 'POST', url: '/api/talents', payload: { name: '评审对象', region_id: w.region.wujin, email: 'secret@example.cn' } });
  });
  afterAll(async () => w?.close());

  describe('POST /api/assignments', () => {
    it('lets the administrator and the 常州 bureau assign records in its scope (201)', async () => {
      const a = await assign('admin', { reviewer: w.users.reviewer.username, kind: 'projects', target_id: assigned, note: '请评审' });
      expect(a.statusCode, a.body).toBe(201);
      expect(a.json()).toMatchObject({ kind: 'projects', target_id: assigned, note: '请评审', reviewer: { id: w.users.reviewer.id }, assigned_by: w.users.admin.username });
      const b = await assign('bureau', { reviewer: w.users.reviewer.id, kind: 'projects', target_id: restricted });
      expect(b.statusCode, b.body).toBe(201);
    });

    it.each([
      ['bureau', () => ({ kind: 'projects', target_id: outside }), 404, 'ASSIGNMENT_TARGET_NOT_FOUND'], // 南京 is outside 常州
      ['admin', () => ({ kind: 'projects', target_id: 999999 }), 404, 'ASSIGNMENT_TARGET_NOT_FOUND'],
      ['admin', () => ({ kind: 'budgets', target_id: other }), 400, 'ASSIGNMENT_KIND_UNKNOWN'],
      ['admin', () => ({ kind: 'projects', target_id: assigned }), 409, 'ASSIGNMENT_EXISTS'],
      ['admin', () => ({ kind: 'projects', target_id: other, reviewer: w.users.evaluator.username }), 400, 'ASSIGNEE_NOT_REVIEWER'],
      ['admin', () => ({ kind: 'projects', target_id: other, reviewer: 'nobody-here' }), 404, 'USER_NOT_FOUND'],
      ['district', () => ({ kind: 'projects', target_id: w.xinbeiProject }), 403, 'FORBIDDEN'], // districts do not assign
      ['evaluator', () => ({ kind: 'projects', target_id: other }), 403, 'FORBIDDEN'],
      ['reviewer', () => ({ kind: 'projects', target_id: assigned }), 403, 'FORBIDDEN'], // sees it, may not assign
    ] as Array<[MatrixRole, () => object, number, string]>)('%s: answers %i %s (%#)', async (role, body, status, code) => {
      const res = await assign(role, { reviewer: w.users.reviewer.username, ...body() });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error).toMatchObject({ code });
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    });
  });

  describe('what the reviewer sees', () => {
    it('lists its assigned projects and the published ones, nothing else', async () => {
      expect(await codes('reviewer')).toEqual(['REV-A', 'REV-R', 'WJ-PUB']);
      expect(await codes('reviewer', '/api/projects?q=REV&pageSize=500')).toEqual(['REV-A', 'REV-R']);
      expect(await codes('public')).toEqual(['WJ-PUB']);
    });

    it('reads assigned records by id (whatever their level), and 404 for the rest', async () => {
      for (const id of [assigned, restricted]) expect((await w.as('reviewer', { method: 'GET', url: `/api/projects/${id}` })).statusCode).toBe(200);
      for (const id of [other, outside, w.xinbeiProject]) expect((await w.as('reviewer', { method: 'GET', url: `/api/projects/${id}` })).statusCode).toBe(404);
      // Reading is all: it writes nothing on an assigned record.
      expect((await w.as('reviewer', { method: 'PATCH', url: `/api/projects/${assigned}`, payload: { summary: 'x' } })).statusCode).toBe(403);
    });

    it('sees only its own assignments; other roles see none, and the public is refused', async () => {
      const mine = (await w.as('reviewer', { method: 'GET', url: '/api/assignments' })).json();
      expect(mine.items.map((a: { target_id: number }) => a.target_id).sort()).toEqual([assigned, restricted].sort());
      expect((await w.as('reviewer', { method: 'GET', url: `/api/assignments?reviewer=${w.users.evaluator.username}` })).statusCode).toBe(403);
      expect((await w.as('bureau', { method: 'GET', url: `/api/assignments?kind=projects` })).json().total).toBe(2);
      for (const role of ['district', 'evaluator', 'organization', 'public'] as const) {
        expect((await w.as(role, { method: 'GET', url: '/api/assignments' })).statusCode, role).toBe(403);
      }
    });

    it('loses an unassigned record at once', async () => {
      const extra = await assign('admin', { reviewer: w.users.reviewer.username, kind: 'projects', target_id: other });
      expect((await w.as('reviewer', { method: 'GET', url: `/api/projects/${other}` })).statusCode).toBe(200);
      expect((await w.as('reviewer', { method: 'DELETE', url: `/api/assignments/${extra.json().id}` })).statusCode).toBe(403);
      expect((await w.as('bureau', { method: 'DELETE', url: `/api/assignments/${extra.json().id}` })).statusCode).toBe(204);
      expect((await w.as('reviewer', { method: 'GET', url: `/api/projects/${other}` })).statusCode).toBe(404);
      expect(await codes('reviewer')).not.toContain('REV-X');
      expect((await w.as('admin', { method: 'DELETE', url: `/api/assignments/${extra.json().id}` })).json().error.code).toBe('ASSIGNMENT_NOT_FOUND');
    });

    it('keeps restricted fields hidden from the reviewer on an assigned talent', async () => {
      const [talent] = (await w.as('admin', { method: 'GET', url: '/api/talents?q=评审对象' })).json().items as Array<{ id: number }>;
      expect((await w.as('reviewer', { method: 'GET', url: `/api/talents/${talent.id}` })).statusCode).toBe(404);
      await assign('admin', { reviewer: w.users.reviewer.username, kind: 'talents', target_id: talent.id });
      const seen = await w.as('reviewer', { method: 'GET', url: `/api/talents/${talent.id}` });
      expect(seen.statusCode).toBe(200);
      expect(seen.json()).toMatchObject({ name: '评审对象', email: null });
    });
  });

  describe('progress reports of a plan', () => {
    let mine: number;
    let notMine: number;
    beforeAll(async () => {
      const report = async (task: string, unit: string) =>
        (await w.admin<{ id: number }>({ method: 'POST', url: `/api/plans/${w.plans.wujin}/tasks/${task}/reports`, payload: { unit, status: 'in_progress', reported_on: '2025-01-15' } })).id;
      mine = await report('1', '武进区科技局');
      notMine = await report('1', '武进区科技局');
    });

    it('shows the plan and only the assigned report once one is assigned, and lets the reviewer review it', async () => {
      expect((await w.as('reviewer', { method: 'GET', url: `/api/plans/${w.plans.wujin}` })).statusCode).toBe(404);
      expect((await assign('bureau', { reviewer: w.users.reviewer.username, kind: 'plan_reports', target_id: mine })).statusCode).toBe(201);
      expect((await w.as('reviewer', { method: 'GET', url: `/api/plans/${w.plans.wujin}` })).statusCode).toBe(200);
      const reports = (await w.as('reviewer', { method: 'GET', url: `/api/plans/${w.plans.wujin}/reports` })).json().items;
      expect(reports.map((r: { id: number }) => r.id)).toEqual([mine]);
      const other = await w.as('reviewer', { method: 'POST', url: `/api/plans/${w.plans.wujin}/reports/${notMine}/review`, payload: { decision: 'accept' } });
      expect(other.statusCode).toBe(404);
      const review = await w.as('reviewer', { method: 'POST', url: `/api/plans/${w.plans.wujin}/reports/${mine}/review`, payload: { decision: 'return', comment: '请补充证明材料' } });
      expect(review.statusCode, review.body).toBe(200);
      expect(review.json()).toMatchObject({ review_status: 'returned', reviewer: w.users.reviewer.username });
      // Reading a plan is not changing it.
      expect((await w.as('reviewer', { method: 'PATCH', url: `/api/plans/${w.plans.wujin}`, payload: { owner: 'x' } })).statusCode).toBe(403);
      // The reviewer's own plan list shows the plan now.
      expect((await w.as('reviewer', { method: 'GET', url: '/api/plans' })).json().items.map((p: { id: number }) => p.id)).toEqual([w.plans.wujin]);
    });
  });

  it('records every assignment and unassignment in the audit log, and the chain verifies', async () => {
    const log = (await w.as('auditor', { method: 'GET', url: '/api/audit?entity=review_assignment&pageSize=100' })).json();
    const actions = log.items.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'create').length).toBe(5);
    expect(actions.filter((a: string) => a === 'delete').length).toBe(1);
    expect(log.items.find((e: { action: string }) => e.action === 'delete').before).toMatchObject({ kind: 'projects', target_id: other, reviewer: w.users.reviewer.username });
    expect((await w.as('auditor', { method: 'GET', url: '/api/audit/verify' })).json().ok).toBe(true);
  });
});
