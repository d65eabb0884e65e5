/**
 * A small world for the access tests: one user of every role (bureau officer of 常州, district
 * officer of 新北, an organisation user of a 新北 company, an auditor …), records of every registry in 武进
 * (another district for the 新北 officer) and in 新北, an action plan of 常州 and one of 武进,
 * and helpers to call the API as any role. Built through the API as the administrator, so the
 * records are exactly what a user would have made.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { sessionCookie, TEST_PASSWORD } from '../src/modules/auth/auth.testing.ts';
import type { UserDto } from '../src/modules/auth/auth.service.ts';
import { csv } from '../src/modules/plans/plans.fixture.ts';
import { freshStore, type StoreKind, type TestStore } from './stores.ts';

/** The roles of the access matrix, in the order of its columns. */
export const MATRIX_ROLES = ['admin', 'bureau', 'district', 'evaluator', 'organization', 'reviewer', 'public', 'auditor', 'anonymous'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];
export type UserRoleKey = Exclude<MatrixRole, 'anonymous'>;

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface Req {
  method: Method;
  url: string;
  payload?: InjectOptions['payload'];
  headers?: Record<string, string>;
}

/** The registries whose routes the generic registry module registers (list, export, id …). */
export const REGISTRY_KINDS = ['organizations', 'projects', 'funding', 'platforms', 'talents', 'mechanisms', 'outputs', 'facts'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** The companies of the world: the organisation user's (in 新北) and another one (in 武进). */
export const OWN_ORG = '常州甲科技有限公司';
export const OTHER_ORG = '武进乙研究院';
export const CITY_PLAN = '常州市国际科技合作行动计划（测试）';
export const WUJIN_PLAN = '武进区国际科技合作行动计划（测试）';

/** A multipart body with files in the field "file". */
export function multipart(files: Array<[string, string | Buffer]>): Pick<Req, 'payload' | 'headers'> {
  const boundary = '----innolinkaccess';
  const parts = files.flatMap(([name, content]) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** The files of a small action plan: tasks with responsible units, and one target. */
export function planFiles(tasks: Array<[string, string]>): Array<[string, string]> {
  return [
    ['tasks.csv', csv(['行动编号', '行动', '任务编号', '任务', '责任单位'], tasks.map(([n, unit]) => ['1', '国际合作网络拓展行动', n, `任务 ${n}`, unit]))],
    ['targets.csv', csv(['目标领域', '指标', '目标值', '单位', '目标年份', '原文'], [['国际合作', '国际合作项目数', 100, '项', 2027, '国际合作项目达100项']])],
  ];
}

export interface World {
  app: FastifyInstance;
  store: TestStore;
  users: Record<UserRoleKey, UserDto>;
  cookies: Record<UserRoleKey, string>;
  region: { changzhou: number; xinbei: number; wujin: number };
  org: { own: number; other: number };
  /** Records in 武进 (another district for the 新北 officer), one per registry. */
  wujin: Record<RegistryKind, number>;
  /** A 新北 project led by the organisation user's company; a published 武进 project. */
  xinbeiProject: number;
  publicProject: number;
  plans: { city: number; wujin: number };
  /** Calls the API as a role (anonymous: no cookie). */
  as(role: MatrixRole, req: Req): Promise<LightMyRequestResponse>;
  /** Calls the API as the administrator and insists on a 2xx answer; returns its JSON. */
  admin<T = Record<string, unknown>>(req: Req): Promise<T>;
  /** A name no other call of this run has used. */
  unique(prefix: string): string;
  /** A new user of a role (for requests that end or change their own session). */
  newUser(role: UserRoleKey): Promise<{ user: UserDto; username: string; cookie: string }>;
  close(): Promise<void>;
}

/** Builds the world on a fresh store of the given kind. */
export async function buildWorld(kind: StoreKind): Promise<World> {
  const store = await freshStore(kind);
  // No web build: "/" is the plain home page, whatever dist/ holds on this machine.
  const webDir = path.join(os.tmpdir(), 'innolink-no-web-build');
  const config = loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: '', INNOLINK_WEB_DIR: webDir });
  if (fs.existsSync(path.join(webDir, 'index.html'))) throw new Error(`${webDir} must not hold a web build`);
  const app = await buildApp({ db: store.db, config });
  await app.ready();

  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;
  const cookies = {} as Record<UserRoleKey, string>;
  const users = {} as Record<UserRoleKey, UserDto>;
  const inject = (req: Req, cookie?: string) =>
    app.inject({ method: req.method, url: req.url, payload: req.payload, headers: { ...(cookie ? { cookie } : {}), ...(req.headers ?? {}) } }) as Promise<LightMyRequestResponse>;
  // A request's own cookie header (a throw-away session for log-in and log-out) wins.
  const as = (role: MatrixRole, req: Req) => inject(req, role === 'anonymous' ? undefined : cookies[role]);
  const admin = async <T>(req: Req): Promise<T> => {
    const res = await as('admin', req);
    if (res.statusCode >= 300) throw new Error(`${req.method} ${req.url} as admin: ${res.statusCode} ${res.body}`);
    return (res.body ? res.json() : null) as T;
  };

  const regionId = async (name: string, level: string) =>
    Number((await store.db.query<{ id: number }>('SELECT id FROM admin_regions WHERE short_name = $1 AND level = $2', [name, level]))[0].id);
  const region = { changzhou: await regionId('常州', 'city'), xinbei: await regionId('新北', 'district'), wujin: await regionId('武进', 'district') };

  const login = async (role: UserRoleKey, opts: { region?: string | number; org?: number } = {}) => {
    const s = await sessionCookie(store.db, { role, username: unique(`m-${role}`), ...opts });
    return s;
  };
  ({ cookie: cookies.admin, user: users.admin } = await login('admin'));

  const org = {
    own: (await admin<{ id: number }>({ method: 'POST', url: '/api/organizations', payload: { name_zh: OWN_ORG, domestic: true, region_id: region.xinbei } })).id,
    other: (await admin<{ id: number }>({ method: 'POST', url: '/api/organizations', payload: { name_zh: OTHER_ORG, domestic: true, region_id: region.wujin } })).id,
  };
  ({ cookie: cookies.bureau, user: users.bureau } = await login('bureau', { region: region.changzhou }));
  ({ cookie: cookies.district, user: users.district } = await login('district', { region: region.xinbei }));
  ({ cookie: cookies.evaluator, user: users.evaluator } = await login('evaluator'));
  ({ cookie: cookies.organization, user: users.organization } = await login('organization', { org: org.own }));
  ({ cookie: cookies.reviewer, user: users.reviewer } = await login('reviewer'));
  ({ cookie: cookies.public, user: users.public } = await login('public'));
  ({ cookie: cookies.auditor, user: users.auditor } = await login('auditor'));

  const post = async (url: string, payload: object) => (await admin<{ id: number }>({ method: 'POST', url, payload })).id;
  const wujinProject = await post('/api/projects', { code: 'WJ-1', title_zh: '武进 联合研发', region_id: region.wujin, lead_org_id: org.other });
  const xinbeiProject = await post('/api/projects', { code: 'XB-1', title_zh: '新北 联合研发', region_id: region.xinbei, lead_org_id: org.own });
  const publicProject = await post('/api/projects', { code: 'WJ-PUB', title_zh: '武进 公开项目', region_id: region.wujin, classification: 'public' });
  const wujin: Record<RegistryKind, number> = {
    organizations: org.other,
    projects: wujinProject,
    funding: await post('/api/funding', { project_id: wujinProject, region_id: region.wujin, year: 2020, amount: 100, country_iso3: 'DEU' }),
    platforms: await post('/api/platforms', { name_zh: '武进 中德联合实验室', region_id: region.wujin, country_iso3: 'DEU' }),
    talents: await post('/api/talents', { name: '王武', region_id: region.wujin, email: 'wang@example.cn' }),
    mechanisms: await post('/api/mechanisms', { name_zh: '武进—斯图加特 友好园区', region_id: region.wujin, country_iso3: 'DEU' }),
    outputs: await post('/api/outputs', { project_id: wujinProject, kind: 'paper', title: '武进 论文' }),
    facts: await post('/api/facts', { subject: '武进', indicator: '国际合作项目数（测试）', year: 2020, value: 3 }),
  };

  const importPlan = async (name: string, regionName: string, tasks: Array<[string, string]>) => {
    const body = await admin<{ ok: boolean; plan: number; issues: unknown[] }>({
      method: 'POST',
      url: `/api/plans/import?name=${encodeURIComponent(name)}&region=${encodeURIComponent(regionName)}`,
      ...multipart(planFiles(tasks)),
    });
    if (!body.ok) throw new Error(`plan import failed: ${JSON.stringify(body.issues)}`);
    return body.plan;
  };
  const plans = {
    city: await importPlan(CITY_PLAN, '常州', [['1', '新北区科技局'], ['2', OWN_ORG], ['3', '武进区科技局']]),
    wujin: await importPlan(WUJIN_PLAN, '武进', [['1', '武进区科技局']]),
  };

  return {
    app,
    store,
    users,
    cookies,
    region,
    org,
    wujin,
    xinbeiProject,
    publicProject,
    plans,
    as,
    admin,
    unique,
    async newUser(role) {
      const username = unique(`x-${role}`);
      const s = await sessionCookie(store.db, {
        role,
        username,
        ...(role === 'district' ? { region: region.xinbei } : role === 'bureau' ? { region: region.changzhou } : role === 'organization' ? { org: org.own } : {}),
      });
      return { ...s, username };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export { TEST_PASSWORD };
