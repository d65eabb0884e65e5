import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../actor.ts';
import { systemActor } from '../../actor.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { REGISTRIES } from '../registries/defs.ts';
import { ACTIONS, actorForUser, ANONYMOUS, can, isAuthenticated, scopeOf, type Action, type Resource, type UserRole } from './auth.policy.ts';
import { redact, redactedFields } from './auth.redact.ts';
import { resourceOf, scopeSql } from './auth.scope.ts';

// A small hierarchy for the pure checks: 江苏 1 → 常州 10 → 新北 11, 武进 12.
const CZ = 10;
const XB = 11;
const WJ = 12;
const ORG_A = 100;
const ORG_B = 200;

const user = (role: UserRole, region_id: number | null = null, org_id: number | null = null): Actor =>
  actorForUser({ id: 1, username: role, role, region_id, org_id });

const ACTORS: Record<string, Actor> = {
  admin: user('admin'),
  'bureau (常州)': user('bureau', CZ),
  'district (新北)': user('district', XB),
  evaluator: user('evaluator'),
  'organization (A)': user('organization', null, ORG_A),
  reviewer: user('reviewer'),
  public: user('public'),
  auditor: user('auditor'),
  anonymous: ANONYMOUS,
};

const PLACES: Record<string, Resource> = {
  'own region': { kind: 'projects', region_id: XB, region_path: `/1/${CZ}/${XB}/`, org_id: ORG_A, classification: 'internal' },
  'other district': { kind: 'projects', region_id: WJ, region_path: `/1/${CZ}/${WJ}/`, org_id: ORG_B, classification: 'internal' },
  'no region': { kind: 'projects', region_id: null, org_id: null, classification: 'internal' },
};

// R read, C create, U update, D delete, I import, E export, A audit; '-' refused.
const LETTERS: Record<Action, string> = { read: 'R', create: 'C', update: 'U', delete: 'D', import: 'I', export: 'E', audit: 'A' };
const EXPECTED: Record<string, Record<string, string>> = {
  // 'audit' is the audit log's action: not the administrator's (三员分立), and never on a project.
  admin: { 'own region': 'RCUDIE-', 'other district': 'RCUDIE-', 'no region': 'RCUDIE-' },
  'bureau (常州)': { 'own region': 'RCUDIE-', 'other district': 'RCUDIE-', 'no region': '-------' },
  'district (新北)': { 'own region': 'RCUDIE-', 'other district': '-------', 'no region': '-------' },
  evaluator: { 'own region': 'R----E-', 'other district': 'R----E-', 'no region': 'R----E-' },
  'organization (A)': { 'own region': 'RCU--E-', 'other district': '-------', 'no region': '-------' },
  reviewer: { 'own region': '-------', 'other district': '-------', 'no region': '-------' },
  public: { 'own region': '-------', 'other district': '-------', 'no region': '-------' },
  auditor: { 'own region': '-------', 'other district': '-------', 'no region': '-------' },
  anonymous: { 'own region': '-------', 'other district': '-------', 'no region': '-------' },
};

const pattern = (actor: Actor, r: Resource) => ACTIONS.map((a) => (can(actor, a, r) ? LETTERS[a] : '-')).join('');

describe('can(actor, action, resource): roles × actions × places (an internal project)', () => {
  for (const [who, actor] of Object.entries(ACTORS)) {
    for (const [where, resource] of Object.entries(PLACES)) {
      it(`${who} on a record of ${where}: ${EXPECTED[who][where]}`, () => {
        expect(pattern(actor, resource)).toBe(EXPECTED[who][where]);
      });
    }
  }
});

describe('can: classification, kinds, assignments', () => {
  const at = (classification: 'public' | 'internal' | 'restricted', org_id: number | null = ORG_B): Resource => ({
    kind: 'projects',
    region_id: WJ,
    region_path: `/1/${CZ}/${WJ}/`,
    org_id,
    classification,
  });

  it('lets every role read a published record, and only officers and admins change it', () => {
    for (const [who, actor] of Object.entries(ACTORS)) {
      expect(can(actor, 'read', at('public')), who).toBe(who !== 'district (新北)'); // 新北 does not see 武进 at all
      expect(can(actor, 'update', at('public')), who).toBe(who === 'admin' || who === 'bureau (常州)');
    }
  });

  it('hides restricted records from evaluators, but not an organisation\'s own', () => {
    expect(can(ACTORS.evaluator, 'read', at('restricted'))).toBe(false);
    expect(can(ACTORS.evaluator, 'read', at('internal'))).toBe(true);
    expect(can(ACTORS['organization (A)'], 'read', at('restricted', ORG_A))).toBe(true);
    expect(can(ACTORS['organization (A)'], 'read', { ...at('restricted'), org_ids: [ORG_B, ORG_A] })).toBe(true); // a partner
    expect(can(ACTORS['bureau (常州)'], 'read', at('restricted'))).toBe(true);
  });

  it('lets evaluators write evaluations only, and reviewers their assigned reviews only', () => {
    const evaluation: Resource = { kind: 'evaluations' };
    expect(can(ACTORS.evaluator, 'create', evaluation)).toBe(true);
    expect(can(ACTORS.evaluator, 'update', evaluation)).toBe(true);
    expect(can(ACTORS.evaluator, 'delete', evaluation)).toBe(false);
    expect(can(ACTORS.reviewer, 'create', { kind: 'reviews', assigned: true })).toBe(true);
    expect(can(ACTORS.reviewer, 'read', { kind: 'projects', assigned: true })).toBe(true);
    expect(can(ACTORS.reviewer, 'create', { kind: 'reviews', assigned: false })).toBe(false);
    expect(can(ACTORS['district (新北)'], 'create', evaluation)).toBe(true); // officers write in their scope; evaluations carry no region
  });

  it('keeps users to administrators, and the audit log to auditors — not administrators (三员分立) — and the operator', () => {
    for (const [who, actor] of Object.entries(ACTORS)) {
      expect(can(actor, 'read', { kind: 'users' }), `${who} users`).toBe(who === 'admin');
      expect(can(actor, 'update', { kind: 'users' }), `${who} users`).toBe(who === 'admin');
      for (const action of ['read', 'audit'] as const) expect(can(actor, action, { kind: 'audit' }), `${who} ${action} audit`).toBe(who === 'auditor');
      // Nobody changes the audit log, not even its auditor.
      for (const action of ['create', 'update', 'delete', 'import', 'export'] as const) expect(can(actor, action, { kind: 'audit' }), `${who} ${action} audit`).toBe(false);
    }
    expect(can(systemActor(), 'audit', { kind: 'audit' })).toBe(true);
    // The auditor's action is on the audit log only.
    expect(can(ACTORS.auditor, 'audit', { kind: 'projects', classification: 'public' })).toBe(false);
  });

  it('gives the auditor the public\'s view of business data, and no writes', () => {
    expect(scopeOf(ACTORS.auditor)).toEqual(scopeOf(ACTORS.public));
    expect(ACTORS.auditor.regionScope).toBeNull();
    for (const action of ['create', 'update', 'delete', 'import'] as const) {
      expect(can(ACTORS.auditor, action, { kind: 'projects', classification: 'public', region_id: WJ, region_path: `/1/${CZ}/${WJ}/` }), action).toBe(false);
    }
  });

  it('refuses a region below the scope root when its path is unknown (fails closed)', () => {
    expect(can(ACTORS['bureau (常州)'], 'read', { kind: 'projects', region_id: XB })).toBe(false);
    expect(can(ACTORS['bureau (常州)'], 'read', { kind: 'projects', region_id: CZ })).toBe(true);
    // Regions that do not apply to a kind (undefined) do not restrict.
    expect(can(ACTORS['district (新北)'], 'read', { kind: 'facts' })).toBe(true);
  });

  it('marks the anonymous actor unauthenticated and users authenticated', () => {
    expect(isAuthenticated(ANONYMOUS)).toBe(false);
    expect(isAuthenticated(ACTORS.public)).toBe(true);
    expect(isAuthenticated(systemActor())).toBe(true);
  });

  it('maps users to actors with the region scope of their role', () => {
    expect(ACTORS['bureau (常州)'].regionScope).toEqual([CZ]);
    expect(user('bureau').regionScope).toBeNull();
    expect(ACTORS['district (新北)'].regionScope).toEqual([XB]);
    expect(ACTORS.evaluator.regionScope).toBeNull();
    expect(ACTORS['organization (A)']).toMatchObject({ regionScope: [], orgId: ORG_A });
    expect(ACTORS.reviewer.regionScope).toEqual([]);
  });
});

describe('can: plans that apply below their region, reports, reference data, assignments', () => {
  // A plan of 常州 binds its districts; a plan of 武进 binds only 武进.
  const withPaths = (a: Actor, paths: string[]): Actor => ({ ...a, regionPaths: paths });
  const bureau = withPaths(ACTORS['bureau (常州)'], [`/1/${CZ}/`]);
  const district = withPaths(ACTORS['district (新北)'], [`/1/${CZ}/${XB}/`]);
  const cityPlan: Resource = { kind: 'plans', region_id: CZ, region_path: `/1/${CZ}/`, applies_below: true, classification: 'internal' };
  const wujinPlan: Resource = { ...cityPlan, region_id: WJ, region_path: `/1/${CZ}/${WJ}/` };
  const nowherePlan: Resource = { ...cityPlan, region_id: null, region_path: null };

  it('lets officers below a plan read it and report on it, but change only plans of their own scope', () => {
    expect(pattern(district, cityPlan)).toBe('R----E-');
    expect(can(district, 'create', { ...cityPlan, kind: 'plan_reports' })).toBe(true);
    expect(can(district, 'create', { ...cityPlan, kind: 'reviews' })).toBe(false); // the city reviews its reports
    expect(pattern(district, wujinPlan)).toBe('-------');
    expect(pattern(bureau, wujinPlan)).toBe('RCUDIE-');
    expect(pattern(district, nowherePlan)).toBe('R----E-'); // applies everywhere
    // Without its region's path (an actor built by hand) a district officer does not reach up.
    expect(can(ACTORS['district (新北)'], 'read', cityPlan)).toBe(false);
  });

  it('lets an organisation read a plan it takes part in and report as itself, never change the plan', () => {
    const org = ACTORS['organization (A)'];
    expect(pattern(org, { ...cityPlan, participant_org_ids: [ORG_A] })).toBe('R----E-');
    expect(pattern(org, { ...cityPlan, participant_org_ids: [ORG_B] })).toBe('-------');
    expect(can(org, 'create', { ...cityPlan, kind: 'plan_reports', org_ids: [ORG_A] })).toBe(true);
    expect(can(org, 'create', { ...cityPlan, kind: 'plan_reports', org_ids: [] })).toBe(false);
  });

  it('keeps changing countries to bureau officers and administrators; everyone reads them', () => {
    const country: Resource = { kind: 'countries', classification: 'public' };
    for (const [who, actor] of Object.entries(ACTORS)) {
      expect(can(actor, 'read', country), who).toBe(true);
      expect(can(actor, 'update', country), who).toBe(who === 'admin' || who === 'bureau (常州)');
    }
  });

  it('shows review assignments to bureau officers in their scope and to the reviewer its own, never to applicants', () => {
    const onWujin: Resource = { kind: 'review_assignments', region_id: WJ, region_path: `/1/${CZ}/${WJ}/`, classification: 'public' };
    expect(pattern(bureau, onWujin)).toBe('RCUDIE-');
    expect(pattern(withPaths(user('bureau', 99), ['/2/99/']), onWujin)).toBe('-------');
    expect(pattern(ACTORS.reviewer, { ...onWujin, assigned: true })).toBe('R------');
    expect(pattern(ACTORS.reviewer, onWujin)).toBe('-------');
    for (const who of ['district (新北)', 'evaluator', 'organization (A)', 'public', 'anonymous']) {
      expect(pattern(ACTORS[who], { ...onWujin, region_id: XB, region_path: `/1/${CZ}/${XB}/`, org_id: ORG_A }), who).toBe('-------');
    }
  });

  it('gives a logged-in district officer its region path, and scopes reviewers by their assignments', () => {
    const a = actorForUser({ id: 7, username: 'xb', role: 'district', region_id: XB, org_id: null, region_path: `/1/${CZ}/${XB}/` });
    expect(a.regionPaths).toEqual([`/1/${CZ}/${XB}/`]);
    expect(actorForUser({ id: 8, username: 'ev', role: 'evaluator', region_id: XB, org_id: null, region_path: '/1/' }).regionPaths).toBeUndefined();
    expect(scopeOf(actorForUser({ id: 9, username: 'rv', role: 'reviewer', region_id: null, org_id: null }))).toMatchObject({ assignedTo: 9, levels: ['public'] });
    expect(scopeOf(ACTORS.public).assignedTo).toBeNull();
  });
});

describe('redact(def, actor, row)', () => {
  const talents = REGISTRIES.talents;
  const row = { id: 7, name: '张伟', email: 'zhang@example.cn', phone: '13800000000', affiliation_org_id: ORG_B, region_id: XB, classification: 'internal' };

  it('hides restricted fields from roles without clearance', () => {
    for (const who of ['evaluator', 'reviewer', 'public', 'anonymous', 'organization (A)']) {
      const out = redact(talents, ACTORS[who], row);
      expect(out, who).toMatchObject({ name: '张伟', email: null, phone: null });
      expect(redactedFields(talents, ACTORS[who], row)).toEqual(['email', 'phone']);
    }
    expect(row.email).toBe('zhang@example.cn'); // the input row is left as it was
  });

  it('shows them to officers, administrators, the operator, and the owning organisation', () => {
    for (const actor of [ACTORS.admin, ACTORS['bureau (常州)'], ACTORS['district (新北)'], systemActor(), user('organization', null, ORG_B)]) {
      expect(redact(talents, actor, row)).toBe(row);
    }
  });

  it('leaves registries without restricted fields alone', () => {
    const p = { id: 1, code: 'P-1', title_zh: '项目' };
    expect(redact(REGISTRIES.projects, ACTORS.public, p)).toBe(p);
  });
});

describe.each(STORES)('scopeOf + scopeSql and resourceOf on %s', (kind) => {
  let store: TestStore;
  let r: Record<string, number>;
  let orgA: number;
  let orgB: number;

  beforeAll(async () => {
    store = await freshStore(kind);
    const db = store.db;
    const regions = await db.query<{ code: string; id: number }>(`SELECT code, id FROM admin_regions WHERE code IN ('3204', '320411', '320412')`);
    r = Object.fromEntries(regions.map((x) => [x.code, Number(x.id)]));
    const org = async (name: string, region: number) =>
      Number((await db.query<{ id: number }>(`INSERT INTO organizations (name_zh, name_key, domestic, region_id) VALUES ($1, $1, true, $2) RETURNING id`, [name, region]))[0].id);
    orgA = await org('甲公司', r['320411']);
    orgB = await org('乙公司', r['320412']);
    const project = async (code: string, region: number | null, classification: string, lead: number | null) =>
      Number(
        (await db.query<{ id: number }>(`INSERT INTO projects (code, title_zh, region_id, classification, lead_org_id) VALUES ($1, $1, $2, $3, $4) RETURNING id`, [
          code,
          region,
          classification,
          lead,
        ]))[0].id,
      );
    const xb = await project('xb-internal', r['320411'], 'internal', orgA);
    const wj = await project('wj-internal', r['320412'], 'internal', orgB);
    await project('wj-public', r['320412'], 'public', orgB);
    await project('no-region', null, 'internal', null);
    const res = await project('wj-restricted', r['320412'], 'restricted', orgB);
    await db.query(`INSERT INTO project_partners (project_id, org_id, role) VALUES ($1, $2, 'partner')`, [res, orgA]);
    await db.query(`INSERT INTO outputs (project_id, kind, title, title_key) VALUES ($1, 'paper', 'o-xb', 'o-xb'), ($2, 'paper', 'o-wj', 'o-wj')`, [xb, wj]);
  });
  afterAll(async () => store?.close());

  async function visible(def: 'projects' | 'outputs' | 'facts', actor: Actor, column: string): Promise<string[]> {
    const params: unknown[] = [];
    const cond = scopeSql(REGISTRIES[def], scopeOf(actor), (v) => {
      params.push(v);
      return `$${params.length}`;
    });
    const rows = await store.db.query<{ k: string }>(`SELECT t.${column} AS k FROM ${def} t ${cond ? `WHERE ${cond}` : ''} ORDER BY 1`, params);
    return rows.map((x) => x.k);
  }

  const actors = () => ({
    admin: user('admin'),
    bureau: user('bureau', r['3204']),
    district: user('district', r['320411']),
    evaluator: user('evaluator'),
    organization: user('organization', null, orgA),
    reviewer: user('reviewer'),
    public: user('public'),
  });

  it('limits a project list to what each role sees', async () => {
    const a = actors();
    const all = ['no-region', 'wj-internal', 'wj-public', 'wj-restricted', 'xb-internal'];
    expect(await visible('projects', a.admin, 'code')).toEqual(all);
    expect(await visible('projects', a.bureau, 'code')).toEqual(['wj-internal', 'wj-public', 'wj-restricted', 'xb-internal']);
    expect(await visible('projects', a.district, 'code')).toEqual(['xb-internal']);
    expect(await visible('projects', a.evaluator, 'code')).toEqual(['no-region', 'wj-internal', 'wj-public', 'xb-internal']);
    expect(await visible('projects', a.organization, 'code')).toEqual(['wj-public', 'wj-restricted', 'xb-internal']);
    expect(await visible('projects', a.reviewer, 'code')).toEqual(['wj-public']);
    expect(await visible('projects', a.public, 'code')).toEqual(['wj-public']);
  });

  it('adds the records assigned to a reviewer (and only of that kind) to what it sees', async () => {
    const rv = Number((await store.db.query<{ id: number }>(`INSERT INTO users (username, role, password_hash) VALUES ('rv-scope', 'reviewer', 'x') RETURNING id`))[0].id);
    const reviewer = actorForUser({ id: rv, username: 'rv-scope', role: 'reviewer', region_id: null, org_id: null });
    const [{ id: wj }] = await store.db.query<{ id: number }>(`SELECT id FROM projects WHERE code = 'wj-restricted'`);
    await store.db.query(`INSERT INTO review_assignments (reviewer_id, kind, target_id, assigned_by) VALUES ($1, 'projects', $2, 'test'), ($1, 'outputs', $2, 'test')`, [rv, wj]);
    expect(await visible('projects', reviewer, 'code')).toEqual(['wj-public', 'wj-restricted']);
    const another = actorForUser({ id: rv + 1, username: 'rv-other', role: 'reviewer', region_id: null, org_id: null });
    expect(await visible('projects', another, 'code')).toEqual(['wj-public']);
    const [row] = await store.db.query<Record<string, unknown>>(`SELECT * FROM projects WHERE id = $1`, [wj]);
    expect(await resourceOf(store.db, REGISTRIES.projects, row, reviewer)).toMatchObject({ assigned: true });
    expect(can(reviewer, 'read', await resourceOf(store.db, REGISTRIES.projects, row, reviewer))).toBe(true);
    expect(can(reviewer, 'update', await resourceOf(store.db, REGISTRIES.projects, row, reviewer))).toBe(false);
  });

  it('scopes outputs through their project, and hides unclassified tables from the public', async () => {
    const a = actors();
    expect(await visible('outputs', a.district, 'title')).toEqual(['o-xb']);
    expect(await visible('outputs', a.bureau, 'title')).toEqual(['o-wj', 'o-xb']);
    expect(await visible('outputs', a.organization, 'title')).toEqual(['o-xb']);
    expect(await visible('outputs', a.public, 'title')).toEqual([]);
    expect(await visible('facts', a.public, 'subject')).toEqual([]);
  });

  it('builds the resource of a stored record: region path, owners, level', async () => {
    const [row] = await store.db.query<Record<string, unknown>>(`SELECT * FROM projects WHERE code = 'wj-restricted'`);
    const res = await resourceOf(store.db, REGISTRIES.projects, row);
    expect(res).toMatchObject({ kind: 'projects', region_id: r['320412'], classification: 'restricted' });
    expect(res.region_path).toMatch(new RegExp(`/${r['3204']}/${r['320412']}/$`));
    expect([...res.org_ids!].sort()).toEqual([orgA, orgB].sort());
    const a = actors();
    expect(can(a.bureau, 'update', res)).toBe(true);
    expect(can(a.district, 'read', res)).toBe(false); // another district's record, even by id
    expect(can(a.evaluator, 'read', res)).toBe(false);
    expect(can(a.organization, 'update', res)).toBe(true); // a partner of the project
    expect(can(a.organization, 'delete', res)).toBe(false);

    const [out] = await store.db.query<Record<string, unknown>>(`SELECT * FROM outputs WHERE title = 'o-xb'`);
    const outRes = await resourceOf(store.db, REGISTRIES.outputs, out);
    expect(outRes.region_id).toBe(r['320411']);
    expect(can(a.district, 'update', outRes)).toBe(true);
  });
});
