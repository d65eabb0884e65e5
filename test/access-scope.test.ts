/**
 * Access beyond the registry routes themselves (issue 3): a project's partners follow the
 * project (seen → listed, updatable → changed); a project's related funding lines and outputs,
 * registry exports and the funding query show exactly what the actor's lists show ("restricted
 * fields … hidden from roles without clearance, in lists, exports and search results alike");
 * the import log is read within the actor's regions.
 *
 * Runs on both stores (PGlite and the PostgreSQL server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../src/modules/auth/auth.testing.ts';
import { buildWorld, MATRIX_ROLES, multipart, type MatrixRole, type Req, type World } from './access-fixtures.ts';
import { STORES } from './stores.ts';

type Id = { id: number };
const USER_ROLES = MATRIX_ROLES.filter((r): r is Exclude<MatrixRole, 'anonymous'> => r !== 'anonymous');

/** The ID column of a CSV export (first column, after the header; UTF-8 BOM dropped). */
const csvIds = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => Number(l.split(',')[0]))
    .sort((a, b) => a - b);

describe.each(STORES)('access beyond the registry routes on %s', (kind) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(kind);
  });
  afterAll(async () => w?.close());

  const json = async <T = Record<string, unknown>>(role: MatrixRole, req: Req) => {
    const res = await w.as(role, req);
    if (res.statusCode !== 200) throw new Error(`${role} ${req.method} ${req.url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };

  describe('POST/DELETE /api/projects/:id/partners', () => {
    const add = (role: MatrixRole, project: number, country: string) =>
      w.as(role, { method: 'POST', url: `/api/projects/${project}/partners`, payload: { country_iso3: country } });

    it('lets an organisation user add partners to its own project, not to a published one it does not own', async () => {
      const own = await add('organization', w.xinbeiProject, 'JPN');
      expect(own.statusCode, own.body).toBe(201);
      expect(own.json().map((p: { country_iso3: string }) => p.country_iso3)).toContain('JPN');
      // It reads the published 武进 project (200) but may not change it (403).
      expect((await w.as('organization', { method: 'GET', url: `/api/projects/${w.publicProject}/partners` })).statusCode).toBe(200);
      const other = await add('organization', w.publicProject, 'KOR');
      expect(other.statusCode, other.body).toBe(403);
      expect(other.json().error).toMatchObject({ code: 'FORBIDDEN' });
      expect(other.json().error.message).toMatch(/[\u4e00-\u9fff]/);
      const [partner] = await w.admin<Id[]>({ method: 'POST', url: `/api/projects/${w.publicProject}/partners`, payload: { country_iso3: 'USA' } });
      expect((await w.as('organization', { method: 'DELETE', url: `/api/projects/${w.publicProject}/partners/${partner.id}` })).statusCode).toBe(403);
      expect((await w.as('reviewer', { method: 'DELETE', url: `/api/projects/${w.publicProject}/partners/${partner.id}` })).statusCode).toBe(403);
    });

    it.each([
      ['district', () => w.xinbeiProject, 'CAN', 201],
      ['district', () => w.wujin.projects, 'AUS', 404], // another district's project reads as absent
      ['evaluator', () => w.xinbeiProject, 'NZL', 403], // seen, not changed
      ['reviewer', () => w.publicProject, 'SGP', 403],
      ['public', () => w.publicProject, 'ISR', 403],
      ['public', () => w.xinbeiProject, 'BRA', 404],
      ['bureau', () => w.wujin.projects, 'MEX', 201],
    ] as Array<[MatrixRole, () => number, string, number]>)('%s adding a partner (%#) answers as the project allows', async (role, project, country, status) => {
      const res = await add(role, project(), country);
      expect(res.statusCode, res.body).toBe(status);
    });

    it('records additions and removals in the audit log', async () => {
      const [partner] = (await w.admin<Array<Id & { country_iso3: string }>>({ method: 'POST', url: `/api/projects/${w.xinbeiProject}/partners`, payload: { country_iso3: 'ZAF' } })).filter(
        (p) => p.country_iso3 === 'ZAF',
      );
      expect((await w.as('organization', { method: 'DELETE', url: `/api/projects/${w.xinbeiProject}/partners/${partner.id}` })).statusCode).toBe(204);
      const log = await json<{ items: Array<{ action: string; actor: string; entity_id: string; after: { country_iso3?: string } | null; before: { country_iso3?: string } | null }> }>(
        'auditor',
        { method: 'GET', url: '/api/audit?entity=project_partner&pageSize=200' },
      );
      const mine = log.items.filter((e) => e.entity_id === String(partner.id));
      expect(mine.map((e) => [e.action, e.actor]).sort()).toEqual([
        ['create', w.users.admin.username],
        ['delete', w.users.organization.username],
      ]);
      expect(mine.find((e) => e.action === 'delete')!.before).toMatchObject({ country_iso3: 'ZAF' });
      expect((await json<{ ok: boolean }>('auditor', { method: 'GET', url: '/api/audit/verify' })).ok).toBe(true);
    });
  });

  describe('names of linked records in lists', () => {
    it("shows a funding line's or output's project only to those who see the project", async () => {
      // A 新北 line of a 武进 project: the 新北 officer sees the line, not the project's code or title.
      const line = await w.admin<Id>({ method: 'POST', url: '/api/funding', payload: { project_id: w.wujin.projects, region_id: w.region.xinbei, year: 2021, amount: 7, unit: '万元', currency: 'CNY', source: 'linked elsewhere' } });
      const output = await w.admin<Id>({ method: 'POST', url: '/api/outputs', payload: { project_id: w.wujin.projects, kind: 'paper', title: 'linked output' } });
      const [{ code }] = await w.store.db.query<{ code: string }>('SELECT code FROM projects WHERE id = $1', [w.wujin.projects]);
      type Shown = Id & { project_id: number | null; project_code: string | null; project_title: string | null };
      const seen = async (role: MatrixRole, kind: string, id: number) =>
        (await json<{ items: Shown[] }>(role, { method: 'GET', url: `/api/${kind}?pageSize=200` })).items.find((r) => r.id === id);
      expect((await seen('admin', 'funding', line.id))?.project_code).toBe(code);
      expect((await seen('bureau', 'funding', line.id))?.project_code).toBe(code);
      const district = await seen('district', 'funding', line.id);
      expect(district).toBeDefined();
      expect(district).toMatchObject({ project_code: null, project_title: null });
      // The detail page and the export say the same.
      const detail = await json<Shown>('district', { method: 'GET', url: `/api/funding/${line.id}` });
      expect(detail).toMatchObject({ project_code: null, project_title: null });
      const csv = await w.as('district', { method: 'GET', url: '/api/funding/export?format=csv' });
      expect(csv.statusCode).toBe(200);
      expect(csv.body).not.toContain(code);
      // The funding query groups the line under no project for the officer, under its code for the bureau.
      const byProject = async (role: MatrixRole) =>
        (await json<{ rows: Array<{ project: string | null; amount: number }> }>(role, { method: 'GET', url: '/api/query/funding?by=project&from=2021&to=2021' })).rows;
      expect((await byProject('bureau')).map((r) => r.project)).toContain(code);
      const officerRows = await byProject('district');
      expect(officerRows.map((r) => r.project)).not.toContain(code);
      expect(officerRows.find((r) => r.project === null)?.amount).toBeGreaterThanOrEqual(7);
      // Outputs are seen through their project: the 新北 officer does not list this one at all.
      expect(await seen('district', 'outputs', output.id)).toBeUndefined();
      expect((await seen('admin', 'outputs', output.id))?.project_code).toBe(code);
    });
  });

  describe('classification in related records, exports and the funding query', () => {
    beforeAll(async () => {
      // The published 武进 project gets a line and an output of each level.
      for (const [classification, amount] of [['public', 1], ['internal', 2], ['restricted', 4]] as const) {
        await w.admin({ method: 'POST', url: '/api/funding', payload: { project_id: w.publicProject, region_id: w.region.wujin, year: 2022, amount, unit: '万元', currency: 'CNY', source: `级别 ${classification}`, classification } });
        await w.admin({ method: 'POST', url: '/api/outputs', payload: { project_id: w.publicProject, kind: 'paper', title: `论文 ${classification}`, classification } });
      }
      await w.admin({ method: 'POST', url: '/api/talents', payload: { name: '公开专家', region_id: w.region.wujin, email: 'open@example.cn', phone: '13900000000', classification: 'public' } });
    });

    it("shows on a project's detail exactly the funding lines and outputs the funding and outputs lists show", async () => {
      const seen: Record<string, number[]> = {};
      for (const role of USER_ROLES) {
        const detail = await w.as(role, { method: 'GET', url: `/api/projects/${w.publicProject}` });
        if (detail.statusCode === 404) continue; // the 新北 officer does not see the 武进 project
        expect(detail.statusCode, `${role}: ${detail.body}`).toBe(200);
        const body = detail.json() as { funding: Array<Id & { amount: number }>; outputs: Id[] };
        const list = async (k: string) =>
          (await json<{ items: Id[] }>(role, { method: 'GET', url: `/api/${k}?project_id=${w.publicProject}&pageSize=200` })).items.map((r) => r.id).sort((a, b) => a - b);
        expect(body.funding.map((f) => f.id).sort((a, b) => a - b), role).toEqual(await list('funding'));
        expect(body.outputs.map((f) => f.id).sort((a, b) => a - b), role).toEqual(await list('outputs'));
        seen[role] = body.funding.map((f) => Number(f.amount)).sort();
      }
      // Levels: officers and administrators see all three; the evaluator no restricted line;
      // the others (not owning the project; the auditor too) the published line only.
      expect(seen).toEqual({ admin: [1, 2, 4], bureau: [1, 2, 4], evaluator: [1, 2], organization: [1], reviewer: [1], public: [1], auditor: [1] });
    });

    it.each(['projects', 'funding', 'talents', 'outputs', 'facts'])('exports %s as each role lists them, restricted fields redacted', async (k) => {
      for (const role of USER_ROLES) {
        const list = await json<{ items: Array<Id & Record<string, unknown>>; total: number }>(role, { method: 'GET', url: `/api/${k}?pageSize=200` });
        expect(list.total).toBe(list.items.length); // one page holds it all
        const csv = await w.as(role, { method: 'GET', url: `/api/${k}/export?format=csv` });
        expect(csv.statusCode, `${role}: ${csv.body.slice(0, 200)}`).toBe(200);
        expect(csvIds(csv.body), `${role} ${k}`).toEqual(list.items.map((r) => r.id).sort((a, b) => a - b));
        if (k === 'talents') {
          const cleared = role === 'admin' || role === 'bureau' || role === 'district';
          for (const secret of ['open@example.cn', '13900000000', 'wang@example.cn']) {
            if (!cleared) expect(csv.body, `${role} sees ${secret}`).not.toContain(secret);
          }
          if (!cleared) for (const t of list.items) expect([t.email, t.phone], role).toEqual([null, null]);
        }
      }
      // The public exports the published talent, without its contact details.
      if (k === 'talents') {
        const csv = (await w.as('public', { method: 'GET', url: '/api/talents/export?format=csv' })).body;
        expect(csv).toContain('公开专家');
      }
    });

    it('sums in the funding query exactly the funding lines each role lists', async () => {
      for (const role of USER_ROLES) {
        const lines = (await json<{ items: Array<{ amount: number; year: number }> }>(role, { method: 'GET', url: '/api/funding?year=2022&pageSize=200' })).items;
        const q = await json<{ total: number; records: number }>(role, { method: 'GET', url: '/api/query/funding?by=year&from=2022&to=2022' });
        expect([q.total, q.records], role).toEqual([lines.reduce((s, l) => s + Number(l.amount), 0), lines.length]);
      }
      // The public sums the published line only.
      expect((await json<{ total: number }>('public', { method: 'GET', url: '/api/query/funding?by=year&from=2022&to=2022' })).total).toBe(1);
    });
  });

  describe('GET /api/imports and /api/imports/:id', () => {
    const ids: Record<string, number> = {};
    let wujinOfficer: string;
    const projectsCsv = (district?: string) =>
      multipart([['projects.csv', district ? `项目编号,项目名称,辖市区\n${w.unique('IMP')},导入的项目,${district}\n` : `项目编号,项目名称\n${w.unique('IMP')},导入的项目\n`]]);
    const importAs = async (cookie: string, region: string, district?: string) => {
      const file = projectsCsv(district);
      const res = await w.app.inject({ method: 'POST', url: `/api/imports?kind=projects&region=${encodeURIComponent(region)}`, payload: file.payload, headers: { ...file.headers, cookie } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().ok, res.body).toBe(true);
      return res.json().import_id as number;
    };

    beforeAll(async () => {
      wujinOfficer = (await sessionCookie(w.store.db, { role: 'district', region: w.region.wujin, username: w.unique('wj-officer') })).cookie;
      ids.wujinByWujin = await importAs(wujinOfficer, '武进'); // context 武进, importer of 武进
      ids.xinbeiByXinbei = await importAs(w.cookies.district, '新北'); // context 新北, importer of 新北
      ids.cityByXinbei = await importAs(w.cookies.district, '常州', '新北'); // context 常州, importer of 新北
      ids.xinbeiByAdmin = await importAs(w.cookies.admin, '新北'); // context 新北, importer without a region
      ids.wujinByAdmin = await importAs(w.cookies.admin, '武进');
      ids.cityByAdmin = await importAs(w.cookies.admin, '常州');
    });

    const listed = async (cookie: string) => {
      const res = await w.app.inject({ method: 'GET', url: '/api/imports?pageSize=200', headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: Id[]; total: number };
      expect(body.total).toBe(body.items.length);
      const mine = new Set(Object.values(ids));
      return Object.entries(ids)
        .filter(([, id]) => body.items.some((i) => i.id === id) && mine.has(id))
        .map(([name]) => name)
        .sort();
    };

    it('lists for a district officer the imports of its district: by context or by importer', async () => {
      expect(await listed(w.cookies.district)).toEqual(['cityByXinbei', 'xinbeiByAdmin', 'xinbeiByXinbei']);
      expect(await listed(wujinOfficer)).toEqual(['wujinByAdmin', 'wujinByWujin']);
    });

    it('lists for the 常州 bureau and the administrator every import of their subtree', async () => {
      const all = Object.keys(ids).sort();
      expect(await listed(w.cookies.bureau)).toEqual(all);
      expect(await listed(w.cookies.admin)).toEqual(all);
    });

    it("answers 404 for another district's import by id, 200 for its own", async () => {
      const get = (cookie: string, id: number) => w.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie } });
      const other = await get(w.cookies.district, ids.wujinByWujin);
      expect(other.statusCode).toBe(404);
      expect(other.json().error).toMatchObject({ code: 'NOT_FOUND' });
      expect((await get(w.cookies.district, ids.cityByAdmin)).statusCode).toBe(404);
      expect((await get(w.cookies.district, ids.xinbeiByAdmin)).statusCode).toBe(200);
      expect((await get(w.cookies.district, ids.cityByXinbei)).statusCode).toBe(200);
      expect((await get(wujinOfficer, ids.xinbeiByXinbei)).statusCode).toBe(404);
      expect((await get(w.cookies.bureau, ids.wujinByWujin)).statusCode).toBe(200);
      // Undoing someone else's import outside the log reads as absent too.
      expect((await w.app.inject({ method: 'POST', url: `/api/imports/${ids.wujinByWujin}/undo`, headers: { cookie: w.cookies.district } })).statusCode).toBe(404);
    });
  });
});
