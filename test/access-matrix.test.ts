/**
 * The access matrix (issue 3): EVERY route the application registers × every role — the
 * administrator, a bureau officer of 常州, a district officer of 新北, an evaluator, an
 * organisation user (a 新北 company), a reviewer, a public user, an auditor (issue 21), and no
 * session at all — called
 * with a valid request, answering the status the table below expects. Records addressed by id
 * lie in 武进, so the 新北 officer reading or changing them gets 404 (another district's record
 * reads as absent). A second table checks the other side: own records, published records, and
 * a city's plan as its districts and responsible units see it.
 *
 * Runs on both stores (PGlite and the PostgreSQL server).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../src/modules/notifications/notifications.service.ts';
import { registeredRoutes } from './routes.ts';
import { STORES } from './stores.ts';
import {
  buildWorld,
  MATRIX_ROLES,
  multipart,
  planFiles,
  REGISTRY_KINDS,
  TEST_PASSWORD,
  type MatrixRole,
  type Method,
  type RegistryKind,
  type Req,
  type World,
} from './access-fixtures.ts';

// ─────────────────────────────────────────────────────────────────────────────────────────────
// THE EXPECTATION TABLE. Every (method, route) the application registers needs a row here:
// the test "every registered route has a row" FAILS for a route without one, and for a row
// whose route no longer exists. When you add a route:
//   1. add a row: METHOD, the route exactly as registered (with :params), and the status each
//      role must get, in the column order below (anon = no session cookie);
//   2. if the route has :params, a body, or must not be called twice on one record, add a
//      request builder to REQUESTS below (a VALID request: a refusal must come from access,
//      not from a bad body — a 400 in this table is a mistake);
//   3. records addressed by id should lie in 武进 (world.wujin …) so that `dis` shows the
//      other-district refusal (404), unless the record is reference data.
// HEAD routes that Fastify adds for GET routes are called too and must answer like the GET.
// Routes of other areas (analytics dashboard, quality, home, meta, notifications, reports, plan
// monitoring, indicators, market) have rows further down with their requests in OTHER_REQUESTS;
// any route still to come (/api/matches … ) makes the test fail until it gets its row. The web application's static files are left out: the world is built without a
// web build, so "/" is the plain home page.
// ─────────────────────────────────────────────────────────────────────────────────────────────
const TABLE = `
# method route                                      adm bur dis eva org rev pub aud anon
GET    /                                            200 200 200 200 200 200 200 200 200
GET    /api/health                                  200 200 200 200 200 200 200 200 200
GET    /api/openapi.json                            200 200 200 200 200 200 200 200 200
GET    /api/docs                                    200 200 200 200 200 200 200 200 200
GET    /api/docs/                                   200 200 200 200 200 200 200 200 200
GET    /api/docs/static/index.html                  302 302 302 302 302 302 302 302 302
GET    /api/docs/static/swagger-initializer.js      200 200 200 200 200 200 200 200 200
GET    /api/docs/*                                  200 200 200 200 200 200 200 200 200
GET    /api/docs/json                               200 200 200 200 200 200 200 200 200
GET    /api/docs/yaml                               200 200 200 200 200 200 200 200 200

# Log-in and sessions: log-in and log-out answer without a session (public routes).
POST   /api/auth/login                              200 200 200 200 200 200 200 200 200
POST   /api/auth/logout                             204 204 204 204 204 204 204 204 204
GET    /api/auth/me                                 200 200 200 200 200 200 200 200 401
POST   /api/auth/password                           204 204 204 204 204 204 204 204 401

# Users administration: administrators only. The audit log: auditors only (审计员, 等保 三员分立:
# the administrator does not read the log of what administrators did); it is verified and
# checkpointed by them too. Of the business data an auditor sees what the public sees, and
# writes nothing.
GET    /api/users                                   200 403 403 403 403 403 403 403 401
POST   /api/users                                   201 403 403 403 403 403 403 403 401
GET    /api/users/:id                               200 403 403 403 403 403 403 403 401
PATCH  /api/users/:id                               200 403 403 403 403 403 403 403 401
POST   /api/users/:id/password                      200 403 403 403 403 403 403 403 401
POST   /api/users/:id/unlock                        200 403 403 403 403 403 403 403 401
# The whole store as a backup file (issue 21): administrators only, as they manage the installation.
POST   /api/backup                                  200 403 403 403 403 403 403 403 401
GET    /api/audit                                   403 403 403 403 403 403 403 200 401
GET    /api/audit/verify                            403 403 403 403 403 403 403 200 401
POST   /api/audit/checkpoint                        403 403 403 403 403 403 403 200 401

# Review assignments (a 武进 project): bureau officers assign in their scope, a reviewer lists its own.
GET    /api/assignments                             200 200 403 403 403 200 403 403 401
POST   /api/assignments                             201 201 404 403 404 404 404 404 401
DELETE /api/assignments/:id                         204 204 404 404 404 403 404 404 401

# Registries. Lists answer every role (filtered to its scope); records by id lie in 武进.
# An export follows the list (registry.service assertMayList): every role exports exactly the
# rows its list shows, restricted fields redacted.
GET    /api/organizations                           200 200 200 200 200 200 200 200 401
GET    /api/organizations/export                    200 200 200 200 200 200 200 200 401
POST   /api/organizations                           201 201 403 403 403 403 403 403 401
GET    /api/organizations/:id                       200 200 404 200 404 404 404 404 401
PATCH  /api/organizations/:id                       200 200 404 403 404 404 404 404 401
DELETE /api/organizations/:id                       204 204 404 403 404 404 404 404 401
GET    /api/projects                                200 200 200 200 200 200 200 200 401
GET    /api/projects/export                         200 200 200 200 200 200 200 200 401
POST   /api/projects                                201 201 403 403 403 403 403 403 401
GET    /api/projects/:id                            200 200 404 200 404 404 404 404 401
PATCH  /api/projects/:id                            200 200 404 403 404 404 404 404 401
DELETE /api/projects/:id                            204 204 404 403 404 404 404 404 401
GET    /api/projects/:id/partners                   200 200 404 200 404 404 404 404 401
# Partners follow the project (partners.service.ts): 404 where the project is not seen, 403
# where it is seen but may not be updated (the evaluator reads every district).
POST   /api/projects/:id/partners                   201 201 404 403 404 404 404 404 401
DELETE /api/projects/:id/partners/:partnerId        204 204 404 403 404 404 404 404 401
GET    /api/funding                                 200 200 200 200 200 200 200 200 401
GET    /api/funding/export                          200 200 200 200 200 200 200 200 401
POST   /api/funding                                 201 201 403 403 403 403 403 403 401
GET    /api/funding/:id                             200 200 404 200 404 404 404 404 401
PATCH  /api/funding/:id                             200 200 404 403 404 404 404 404 401
DELETE /api/funding/:id                             204 204 404 403 404 404 404 404 401
GET    /api/platforms                               200 200 200 200 200 200 200 200 401
GET    /api/platforms/export                        200 200 200 200 200 200 200 200 401
POST   /api/platforms                               201 201 403 403 403 403 403 403 401
GET    /api/platforms/:id                           200 200 404 200 404 404 404 404 401
PATCH  /api/platforms/:id                           200 200 404 403 404 404 404 404 401
DELETE /api/platforms/:id                           204 204 404 403 404 404 404 404 401
GET    /api/talents                                 200 200 200 200 200 200 200 200 401
GET    /api/talents/export                          200 200 200 200 200 200 200 200 401
POST   /api/talents                                 201 201 403 403 403 403 403 403 401
GET    /api/talents/:id                             200 200 404 200 404 404 404 404 401
PATCH  /api/talents/:id                             200 200 404 403 404 404 404 404 401
DELETE /api/talents/:id                             204 204 404 403 404 404 404 404 401
GET    /api/mechanisms                              200 200 200 200 200 200 200 200 401
GET    /api/mechanisms/export                       200 200 200 200 200 200 200 200 401
POST   /api/mechanisms                              201 201 403 403 403 403 403 403 401
GET    /api/mechanisms/:id                          200 200 404 200 404 404 404 404 401
PATCH  /api/mechanisms/:id                          200 200 404 403 404 404 404 404 401
DELETE /api/mechanisms/:id                          204 204 404 403 404 404 404 404 401
# Outputs are scoped through their project (a 武进 project).
GET    /api/outputs                                 200 200 200 200 200 200 200 200 401
GET    /api/outputs/export                          200 200 200 200 200 200 200 200 401
POST   /api/outputs                                 201 201 403 403 403 403 403 403 401
GET    /api/outputs/:id                             200 200 404 200 404 404 404 404 401
PATCH  /api/outputs/:id                             200 200 404 403 404 404 404 404 401
DELETE /api/outputs/:id                             204 204 404 403 404 404 404 404 401
# Stated figures carry no region scope and no level (internal): officers of any district write them.
GET    /api/facts                                   200 200 200 200 200 200 200 200 401
GET    /api/facts/export                            200 200 200 200 200 200 200 200 401
POST   /api/facts                                   201 201 201 403 403 403 403 403 401
GET    /api/facts/:id                               200 200 200 200 404 404 404 404 401
PATCH  /api/facts/:id                               200 200 200 403 404 404 404 404 401
DELETE /api/facts/:id                               204 204 204 403 404 404 404 404 401

# Countries and regions: reference data every user reads. Countries are changed by the bureau;
# a unit is added under a region the actor's scope holds (武进 here).
GET    /api/countries                               200 200 200 200 200 200 200 200 401
GET    /api/countries/resolve                       200 200 200 200 200 200 200 200 401
GET    /api/countries/:iso3                         200 200 200 200 200 200 200 200 401
PATCH  /api/countries/:iso3                         200 200 403 403 403 403 403 403 401
POST   /api/countries/:iso3/aliases                 201 201 403 403 403 403 403 403 401
GET    /api/country-groups                          200 200 200 200 200 200 200 200 401
GET    /api/regions                                 200 200 200 200 200 200 200 200 401
GET    /api/regions/:id                             200 200 200 200 200 200 200 200 401
POST   /api/regions                                 201 201 403 403 403 403 403 403 401

# Imports: roles that write import; the log is theirs to read, within their regions (this batch
# was imported by the administrator in the context of 常州: 新北 does not see it, 404); undoing
# needs the importer's region in scope (the administrator has none).
POST   /api/imports                                 200 200 200 403 403 403 403 403 401
GET    /api/imports                                 200 200 200 403 403 403 403 403 401
GET    /api/imports/:id                             200 200 404 403 403 403 403 403 401
POST   /api/imports/:id/undo                        200 403 404 403 403 403 403 403 401

# Funding query and analyses: within the actor's data scope. query/funding sums what the
# funding list shows (published lines only for the public); the analyses are for roles that
# read internal data in general.
GET    /api/query/funding                           200 200 200 200 200 200 200 200 401
GET    /api/query/funding/export                    200 200 200 200 200 200 200 200 401
GET    /api/analytics/tiers                         200 200 200 200 403 403 403 403 401
GET    /api/analytics/concentration                 200 200 200 200 403 403 403 403 401
GET    /api/analytics/trends                        200 200 200 200 403 403 403 403 401
GET    /api/analytics/network                       200 200 200 200 403 403 403 403 401
GET    /api/analytics/strategy                      200 200 200 200 403 403 403 403 401
POST   /api/analytics/strategy                      200 200 200 200 403 403 403 403 401
GET    /api/analytics/strategy/rules                200 200 200 200 200 200 200 200 401

# Action plans: the plan addressed by id is 武进's (新北 is not bound by it).
GET    /api/plans                                   200 200 200 200 200 200 200 200 401
GET    /api/plans/measures                          200 200 200 200 200 200 200 200 401
POST   /api/plans/import                            200 200 403 403 403 403 403 403 401
GET    /api/plans/:id                               200 200 404 200 404 404 404 404 401
PATCH  /api/plans/:id                               200 200 404 403 404 404 404 404 401
DELETE /api/plans/:id                               200 200 404 403 404 404 404 404 401
GET    /api/plans/:id/status                        200 200 404 200 404 404 404 404 401
GET    /api/plans/:id/supervision                   200 200 404 200 404 404 404 404 401
POST   /api/plans/:id/values                        201 201 404 403 404 404 404 404 401
PUT    /api/plans/:id/targets/:tid/source           200 200 404 403 404 404 404 404 401
PATCH  /api/plans/:id/tasks/:n                      200 200 404 403 404 404 404 404 401
GET    /api/plans/:id/reports                       200 200 404 200 404 404 404 404 401
POST   /api/plans/:id/tasks/:n/reports              201 201 404 403 404 404 404 404 401
POST   /api/plans/:id/reports/:rid/review           200 200 404 403 404 404 404 404 401


# Region dashboard, world map, participation breakdown (analytics, in the actor's data scope: the
# 新北 officer asking for 武进 gets an answer about what it sees, not a refusal).
GET    /api/analytics/dashboard                     200 200 200 200 403 403 403 403 401
GET    /api/analytics/map                           200 200 200 200 403 403 403 403 401
GET    /api/analytics/participations                200 200 200 200 403 403 403 403 401

# Data quality: stated figures against the registries, totals, unresolved names, duplicates —
# for roles that import.
GET    /api/quality                                 200 200 200 403 403 403 403 403 401
GET    /api/quality/facts                           200 200 200 403 403 403 403 403 401
GET    /api/quality/totals                          200 200 200 403 403 403 403 403 401
GET    /api/quality/unresolved                      200 200 200 403 403 403 403 403 401
GET    /api/quality/duplicates                      200 200 200 403 403 403 403 403 401

# Home page, field descriptions, the user's own notifications: every logged-in user.
GET    /api/home                                    200 200 200 200 200 200 200 200 401
GET    /api/meta/registries                         200 200 200 200 200 200 200 200 401
GET    /api/notifications                           200 200 200 200 200 200 200 200 401
GET    /api/notifications/unread-count              200 200 200 200 200 200 200 200 401
POST   /api/notifications/read                      200 200 200 200 200 200 200 200 401
POST   /api/notifications/:id/read                  200 200 200 200 200 200 200 200 401
GET    /api/notifications/settings                  200 200 200 200 200 200 200 200 401
PUT    /api/notifications/settings                  200 200 200 200 200 200 200 200 401
# Reports (PDF/XLSX): the 武进 region and the 武进 plan; 新北 does not see them (404).
GET    /api/reports/region                          200 200 404 200 403 403 403 403 401
GET    /api/reports/plan/:id                        200 200 404 200 403 403 403 403 401
# Plan monitoring (plans.monitoring.routes.ts) on the 武进 plan: reads as the plan, writes as managing it.
GET    /api/plans/:id/rollup                        200 200 404 200 404 404 404 404 401
GET    /api/plans/:id/method                        200 200 404 200 404 404 404 404 401
GET    /api/plans/:id/milestones                    200 200 404 200 404 404 404 404 401
POST   /api/plans/:id/tasks/:n/milestones           201 201 404 403 404 404 404 404 401
PATCH  /api/plans/:id/milestones/:mid               200 200 404 403 404 404 404 404 401
DELETE /api/plans/:id/milestones/:mid               200 200 404 403 404 404 404 404 401
PUT    /api/plans/:id/tasks/:n/district             200 200 404 403 404 404 404 404 401
GET    /api/plans/:id/units                         200 200 404 200 404 404 404 404 401
POST   /api/plans/:id/units/members                 200 200 404 403 404 404 404 404 401
DELETE /api/plans/:id/units/members                 200 200 404 403 404 404 404 404 401
POST   /api/plans/:id/supervise                     200 200 404 403 404 404 404 404 401
GET    /api/plans/:id/supervision/cases             200 200 404 200 404 404 404 404 401
# Indicator frameworks, data sets, runs (indicators.service.ts): read by administrators, the bureau
# and evaluators; written by evaluators and administrators; deleted by administrators.
GET    /api/indicators/frameworks                   200 200 403 200 403 403 403 403 401
POST   /api/indicators/frameworks                   201 403 403 201 403 403 403 403 401
POST   /api/indicators/frameworks/import            201 403 403 201 403 403 403 403 401
GET    /api/indicators/frameworks/:id               200 200 403 200 403 403 403 403 401
PATCH  /api/indicators/frameworks/:id               200 403 403 200 403 403 403 403 401
DELETE /api/indicators/frameworks/:id               200 403 403 403 403 403 403 403 401
GET    /api/indicators/frameworks/:id/versions      200 200 403 200 403 403 403 403 401
POST   /api/indicators/frameworks/:id/versions      201 403 403 201 403 403 403 403 401
POST   /api/indicators/frameworks/:id/versions/import 201 403 403 201 403 403 403 403 401
GET    /api/indicators/datasets                     200 200 403 200 403 403 403 403 401
POST   /api/indicators/datasets                     201 403 403 201 403 403 403 403 401
POST   /api/indicators/datasets/import              201 403 403 201 403 403 403 403 401
POST   /api/indicators/datasets/from-facts          201 403 403 201 403 403 403 403 401
GET    /api/indicators/datasets/:id                 200 200 403 200 403 403 403 403 401
DELETE /api/indicators/datasets/:id                 200 403 403 403 403 403 403 403 401
GET    /api/indicators/runs                         200 200 403 200 403 403 403 403 401
POST   /api/indicators/runs                         201 403 403 201 403 403 403 403 401
GET    /api/indicators/runs/:id                     200 200 403 200 403 403 403 403 401
DELETE /api/indicators/runs/:id                     200 403 403 403 403 403 403 403 401
GET    /api/indicators/runs/:id/explain             200 200 403 200 403 403 403 403 401
GET    /api/indicators/runs/:id/uncertainty         200 200 403 200 403 403 403 403 401
GET    /api/indicators/runs/:id/reproduce           200 200 403 200 403 403 403 403 401
GET    /api/indicators/runs/:id/export              200 200 403 200 403 403 403 403 401
POST   /api/indicators/ahp                          200 200 403 200 403 403 403 403 401
POST   /api/indicators/ahp/table                    200 200 403 200 403 403 403 403 401
# Technology market: a 武进 company's profiles (draft unless the request needs another state),
# follow-ups, saved searches and alerts — an alert and a saved search belong to their owner.
GET    /api/market/fields                           200 200 200 200 200 200 200 200 401
GET    /api/market/profiles                         200 200 200 200 200 200 200 200 401
GET    /api/market/profiles/export                  200 200 200 200 200 200 200 200 401
POST   /api/market/profiles                         201 201 403 403 403 403 403 403 401
GET    /api/market/profiles/:id                     200 200 404 200 404 404 404 404 401
PATCH  /api/market/profiles/:id                     200 200 404 403 404 404 404 404 401
DELETE /api/market/profiles/:id                     200 200 404 403 404 404 404 404 401
GET    /api/market/profiles/:id/history             200 200 404 200 404 404 404 404 401
POST   /api/market/profiles/:id/submit              200 200 404 403 404 404 404 404 401
POST   /api/market/profiles/:id/review              200 200 404 403 404 404 404 404 401
POST   /api/market/profiles/:id/renew               200 200 403 403 403 403 403 403 401
POST   /api/market/profiles/:id/close               200 200 403 403 403 403 403 403 401
GET    /api/market/profiles/:id/matches             200 200 404 200 404 404 404 404 401
GET    /api/market/match                            200 200 200 200 200 200 200 200 401
POST   /api/market/match                            200 200 200 200 200 200 200 200 401
POST   /api/market/followups                        201 201 403 403 201 403 403 403 401
GET    /api/market/followups                        200 200 200 200 200 200 200 200 401
GET    /api/market/followups/:id                    200 200 404 200 404 404 404 404 401
POST   /api/market/followups/:id/stage              200 200 404 403 404 404 404 404 401
GET    /api/market/funnel                           200 200 200 200 403 403 403 403 401
GET    /api/market/searches                         200 200 200 200 200 200 200 200 401
POST   /api/market/searches                         201 201 201 403 403 403 403 403 401
DELETE /api/market/searches/:id                     200 200 200 404 200 404 404 404 401
GET    /api/market/alerts                           200 200 200 200 200 200 200 200 401
POST   /api/market/alerts/:id/read                  200 404 404 404 200 404 404 404 401
POST   /api/market/expire                           200 200 200 403 403 403 403 403 401
POST   /api/market/index/refresh                    200 200 200 403 403 403 403 403 401
POST   /api/market/import                           200 200 200 403 200 403 403 403 401
`;

type Build = (w: World, role: MatrixRole) => Req | Promise<Req>;
const get = (url: string): Build => () => ({ method: 'GET', url });

/** A valid new record of each registry, in 武进 (names unique per call). */
const newRecord = (w: World, kind: RegistryKind): Record<string, unknown> => {
  const u = w.unique(kind);
  const wj = w.region.wujin;
  switch (kind) {
    case 'organizations':
      return { name_zh: `武进 ${u} 公司`, domestic: true, region_id: wj };
    case 'projects':
      return { code: u, title_zh: `武进 ${u}`, region_id: wj };
    case 'funding':
      return { region_id: wj, year: 2021, amount: 10, source: u };
    case 'platforms':
      return { name_zh: `武进 ${u} 平台`, region_id: wj };
    case 'talents':
      return { name: `专家 ${u}`, region_id: wj };
    case 'mechanisms':
      return { name_zh: `武进 ${u} 机制`, region_id: wj };
    case 'outputs':
      return { project_id: w.wujin.projects, kind: 'paper', title: `论文 ${u}` };
    case 'facts':
      return { subject: '武进', indicator: `指标 ${u}`, year: 2021, value: 1 };
  }
};
const patchOf = (w: World, kind: RegistryKind) => (kind === 'projects' ? { summary: w.unique('summary') } : { note: w.unique('note') });

const registryRequests = (kind: RegistryKind): Record<string, Build> => ({
  [`GET /api/${kind}/export`]: get(`/api/${kind}/export?format=csv`),
  [`POST /api/${kind}`]: (w) => ({ method: 'POST', url: `/api/${kind}`, payload: newRecord(w, kind) }),
  [`GET /api/${kind}/:id`]: (w) => ({ method: 'GET', url: `/api/${kind}/${w.wujin[kind]}` }),
  [`PATCH /api/${kind}/:id`]: (w) => ({ method: 'PATCH', url: `/api/${kind}/${w.wujin[kind]}`, payload: patchOf(w, kind) }),
  // Each role deletes a record of its own making (by the administrator), so a deletion by one
  // role does not turn the next role's answer into 404.
  [`DELETE /api/${kind}/:id`]: async (w) => {
    const { id } = await w.admin<{ id: number }>({ method: 'POST', url: `/api/${kind}`, payload: newRecord(w, kind) });
    return { method: 'DELETE', url: `/api/${kind}/${id}` };
  },
});

/** Memoised per world: setup that every role shares. */
const shared = new WeakMap<World, Map<string, Promise<unknown>>>();
function once<T>(w: World, key: string, make: () => Promise<T>): Promise<T> {
  let m = shared.get(w);
  if (!m) shared.set(w, (m = new Map()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as Promise<T>;
}

const importCsv = (w: World) =>
  multipart([['projects.csv', `项目编号,项目名称,辖市区\n${w.unique('IMP')},导入的合作项目,新北\n`]]);
const adminImport = async (w: World) =>
  (await w.admin<{ import_id: number }>({ method: 'POST', url: '/api/imports?kind=projects&region=常州', ...importCsv(w) })).import_id;
const wujinTarget = (w: World) =>
  once(w, 'target', async () => {
    const tree = await w.admin<{ targets: Array<{ id: number }>; actions: Array<{ targets: Array<{ id: number }> }> }>({ method: 'GET', url: `/api/plans/${w.plans.wujin}` });
    return [...tree.targets, ...tree.actions.flatMap((a) => a.targets)][0].id;
  });
/** A partner country not used before on the 武进 project (a partner row is unique per country). */
const COUNTRIES = ['FRA', 'ITA', 'ESP', 'NLD', 'BEL', 'AUT', 'CHE', 'SWE', 'NOR', 'FIN', 'DNK', 'POL', 'PRT', 'GRC', 'IRL', 'CZE', 'HUN', 'SVK', 'SVN', 'HRV'];
const partnerCountry = (w: World) => COUNTRIES[Number(w.unique('c').split('-')[1]) % COUNTRIES.length];
/** A session of its own for requests that end or change the session they come with. */
const ownSession = async (w: World, role: MatrixRole) => (role === 'anonymous' ? null : await w.newUser(role));

const REQUESTS: Record<string, Build> = {
  'GET /api/docs/*': get('/api/docs/static/swagger-ui.css'),

  'POST /api/auth/login': async (w, role) => {
    const s = await ownSession(w, role);
    const login = s ?? (await w.newUser('public'));
    return { method: 'POST', url: '/api/auth/login', payload: { username: login.username, password: TEST_PASSWORD }, headers: s ? { cookie: s.cookie } : {} };
  },
  'POST /api/auth/logout': async (w, role) => {
    const s = await ownSession(w, role);
    return { method: 'POST', url: '/api/auth/logout', headers: s ? { cookie: s.cookie } : {} };
  },
  'POST /api/auth/password': async (w, role) => {
    const s = await ownSession(w, role);
    return {
      method: 'POST',
      url: '/api/auth/password',
      payload: { current_password: TEST_PASSWORD, new_password: 'Another-horse-8' },
      headers: s ? { cookie: s.cookie } : {},
    };
  },

  'POST /api/users': (w) => ({ method: 'POST', url: '/api/users', payload: { username: w.unique('made'), role: 'public', password: TEST_PASSWORD } }),
  'GET /api/users/:id': (w) => get(`/api/users/${w.users.public.id}`)(w, 'admin'),
  'PATCH /api/users/:id': (w) => ({ method: 'PATCH', url: `/api/users/${w.users.public.id}`, payload: { display_name: w.unique('访客') } }),
  'POST /api/users/:id/password': async (w) => {
    const { user } = await w.newUser('public');
    return { method: 'POST', url: `/api/users/${user.id}/password`, payload: { password: 'Reset-horse-9' } };
  },
  'POST /api/users/:id/unlock': (w) => ({ method: 'POST', url: `/api/users/${w.users.public.id}/unlock` }),
  'POST /api/backup': () => ({ method: 'POST', url: '/api/backup' }),

  'POST /api/assignments': async (w) => {
    const { id } = await w.admin<{ id: number }>({ method: 'POST', url: '/api/projects', payload: newRecord(w, 'projects') });
    return { method: 'POST', url: '/api/assignments', payload: { reviewer: w.users.reviewer.username, kind: 'projects', target_id: id } };
  },
  'DELETE /api/assignments/:id': async (w) => {
    const { id: target } = await w.admin<{ id: number }>({ method: 'POST', url: '/api/projects', payload: newRecord(w, 'projects') });
    const { id } = await w.admin<{ id: number }>({ method: 'POST', url: '/api/assignments', payload: { reviewer: w.users.reviewer.id, kind: 'projects', target_id: target } });
    return { method: 'DELETE', url: `/api/assignments/${id}` };
  },

  ...Object.assign({}, ...REGISTRY_KINDS.map(registryRequests)),
  'GET /api/projects/:id/partners': (w) => get(`/api/projects/${w.wujin.projects}/partners`)(w, 'admin'),
  'POST /api/projects/:id/partners': (w) => ({ method: 'POST', url: `/api/projects/${w.wujin.projects}/partners`, payload: { country_iso3: partnerCountry(w) } }),
  'DELETE /api/projects/:id/partners/:partnerId': async (w) => {
    const partners = await w.admin<Array<{ id: number }>>({ method: 'POST', url: `/api/projects/${w.wujin.projects}/partners`, payload: { country_iso3: partnerCountry(w) } });
    return { method: 'DELETE', url: `/api/projects/${w.wujin.projects}/partners/${partners.at(-1)!.id}` };
  },

  'GET /api/countries/resolve': get(`/api/countries/resolve?name=${encodeURIComponent('德国')}`),
  'GET /api/countries/:iso3': get('/api/countries/DEU'),
  'PATCH /api/countries/:iso3': (w) => ({ method: 'PATCH', url: '/api/countries/DEU', payload: { note: w.unique('备注') } }),
  'POST /api/countries/:iso3/aliases': (w) => ({ method: 'POST', url: '/api/countries/DEU/aliases', payload: { alias: `德意志测试${w.unique('a')}` } }),
  'GET /api/regions/:id': (w) => get(`/api/regions/${w.region.wujin}`)(w, 'admin'),
  'POST /api/regions': (w) => ({ method: 'POST', url: '/api/regions', payload: { parent_id: w.region.wujin, name: `${w.unique('测试')}园`, kind: 'park' } }),

  'POST /api/imports': (w) => ({ method: 'POST', url: '/api/imports?kind=projects&region=常州', ...importCsv(w) }),
  'GET /api/imports/:id': async (w) => ({ method: 'GET', url: `/api/imports/${await once(w, 'import', () => adminImport(w))}` }),
  'POST /api/imports/:id/undo': async (w) => ({ method: 'POST', url: `/api/imports/${await adminImport(w)}/undo` }),

  'GET /api/query/funding': get('/api/query/funding?by=year'),
  'GET /api/query/funding/export': get('/api/query/funding/export?by=year&format=csv'),
  'GET /api/analytics/tiers': get('/api/analytics/tiers?by=region&thresholds=100,10'),
  'GET /api/analytics/concentration': get('/api/analytics/concentration?by=region'),
  'GET /api/analytics/trends': get('/api/analytics/trends?by=region'),
  'GET /api/analytics/network': get('/api/analytics/network?level=country'),
  'POST /api/analytics/strategy': () => ({ method: 'POST', url: '/api/analytics/strategy', payload: {} }),

  'POST /api/plans/import': (w) => ({
    method: 'POST',
    url: `/api/plans/import?region=${encodeURIComponent('武进')}&name=${encodeURIComponent(w.unique('武进计划'))}`,
    ...multipart(planFiles([['1', '武进区科技局']])),
  }),
  'GET /api/plans/:id': (w) => get(`/api/plans/${w.plans.wujin}`)(w, 'admin'),
  'PATCH /api/plans/:id': (w) => ({ method: 'PATCH', url: `/api/plans/${w.plans.wujin}`, payload: { owner: w.unique('武进区科技局') } }),
  'DELETE /api/plans/:id': async (w) => {
    const { plan } = await w.admin<{ plan: number }>({
      method: 'POST',
      url: `/api/plans/import?region=${encodeURIComponent('武进')}&name=${encodeURIComponent(w.unique('待删计划'))}`,
      ...multipart(planFiles([['1', '武进区科技局']])),
    });
    return { method: 'DELETE', url: `/api/plans/${plan}` };
  },
  'GET /api/plans/:id/status': (w) => get(`/api/plans/${w.plans.wujin}/status?asOf=2025-06-30`)(w, 'admin'),
  'GET /api/plans/:id/supervision': (w) => get(`/api/plans/${w.plans.wujin}/supervision?asOf=2025-06-30`)(w, 'admin'),
  'POST /api/plans/:id/values': (w) => ({ method: 'POST', url: `/api/plans/${w.plans.wujin}/values`, payload: { indicator: '国际合作项目数', date: '2024', value: 40 } }),
  'PUT /api/plans/:id/targets/:tid/source': async (w) => ({
    method: 'PUT',
    url: `/api/plans/${w.plans.wujin}/targets/${await wujinTarget(w)}/source`,
    payload: { measure_key: null },
  }),
  'PATCH /api/plans/:id/tasks/:n': (w) => ({ method: 'PATCH', url: `/api/plans/${w.plans.wujin}/tasks/1`, payload: { due_date: '2027-12-31' } }),
  'GET /api/plans/:id/reports': (w) => get(`/api/plans/${w.plans.wujin}/reports`)(w, 'admin'),
  'POST /api/plans/:id/tasks/:n/reports': (w) => ({
    method: 'POST',
    url: `/api/plans/${w.plans.wujin}/tasks/1/reports`,
    payload: { unit: '武进区科技局', status: 'in_progress', percent: 30, reported_on: '2025-01-15' },
  }),
  'POST /api/plans/:id/reports/:rid/review': async (w) => {
    const report = await w.admin<{ id: number }>({
      method: 'POST',
      url: `/api/plans/${w.plans.wujin}/tasks/1/reports`,
      payload: { unit: '武进区科技局', status: 'in_progress', reported_on: '2025-01-15' },
    });
    return { method: 'POST', url: `/api/plans/${w.plans.wujin}/reports/${report.id}/review`, payload: { decision: 'accept' } };
  },
};

// ── Requests of the other areas ───────────────────────────────────────────────────────────────

/** A notification of the role's own user (anonymous: the administrator's). */
const ownNotification = async (w: World, role: MatrixRole) => {
  const userId = w.users[role === 'anonymous' ? 'admin' : role].id;
  await w.store.db.transaction((tx) =>
    notify(tx, [userId], { kind: 'test', title: '测试通知', title_en: 'Test', body: '正文', body_en: 'Body', link: null, entity: null, entity_id: null, dedupe_key: w.unique('n') }, { email: false }),
  );
  const [{ id }] = await w.store.db.query<{ id: number }>('SELECT max(id)::int AS id FROM notifications WHERE user_id = $1', [userId]);
  return id;
};

const planMilestone = async (w: World) =>
  (await w.admin<{ id: number }>({ method: 'POST', url: `/api/plans/${w.plans.wujin}/tasks/1/milestones`, payload: { title: w.unique('节点'), due_date: '2026-06-30' } })).id;

/** A small indicator framework (two indicators), a data set of three units and a run with uncertainty. */
const indicators = (w: World) =>
  once(w, 'indicators', async () => {
    const nodes = [
      { code: 'I', type: 'aggregate', name: '指数' },
      { code: 'a', parent: 'I', type: 'indicator', name: '甲' },
      { code: 'b', parent: 'I', type: 'indicator', name: '乙', direction: -1 },
    ];
    const framework = (await w.admin<{ id: number }>({ method: 'POST', url: '/api/indicators/frameworks', payload: { key: 'mx', name: '矩阵框架', nodes } })).id;
    const rows = [{ uCode: 'P', a: 1, b: 5 }, { uCode: 'Q', a: 3, b: 1 }, { uCode: 'R', a: 2, b: 2 }];
    const dataset = (await w.admin<{ id: number }>({ method: 'POST', url: '/api/indicators/datasets', payload: { framework_id: framework, name: '矩阵数据', rows } })).id;
    const run = (await w.admin<{ id: number }>({ method: 'POST', url: '/api/indicators/runs', payload: { framework_id: framework, dataset_id: dataset, uncertainty: 20, seed: 1 } })).id;
    return { framework, dataset, run, nodes, rows };
  });
const newFramework = async (w: World) => {
  const { nodes } = await indicators(w);
  return (await w.admin<{ id: number }>({ method: 'POST', url: '/api/indicators/frameworks', payload: { key: w.unique('fw').replace('-', '_'), name: '待删框架', nodes } })).id;
};
const GII_YAML = fs.readFileSync(path.resolve(import.meta.dirname, '../src/modules/indicators/builtin/gii-partner-innovation.yaml'));

/** A market profile in 武进 of the other company, as the administrator made it, moved to `status`. */
const profile = async (w: World, kind: 'demand' | 'offer', status: 'draft' | 'submitted' | 'published', title = w.unique('武进 锂电池储能技术')) => {
  const { id } = await w.admin<{ id: number }>({
    method: 'POST',
    url: '/api/market/profiles',
    payload: { kind, title_zh: title, summary_zh: '锂电池 储能 系统集成', org_id: w.org.other, region_id: w.region.wujin },
  });
  if (status !== 'draft') await w.admin({ method: 'POST', url: `/api/market/profiles/${id}/submit` });
  if (status === 'published') await w.admin({ method: 'POST', url: `/api/market/profiles/${id}/review`, payload: { decision: 'approve' } });
  return id;
};
const market = (w: World) =>
  once(w, 'market', async () => {
    const draft = await profile(w, 'demand', 'draft');
    // The company's saved search, then a published offer that matches it: an alert for the company.
    const search = (await w.admin<{ id: number }>({ method: 'POST', url: '/api/market/searches', payload: { name: '储能', text: '锂电池 储能', kind: 'offer', org_id: w.org.own } })).id;
    const offer = await profile(w, 'offer', 'published', '锂电池储能系统');
    const followup = (await w.admin<{ id: number }>({ method: 'POST', url: '/api/market/followups', payload: { target_kind: 'offer', target_id: offer, org_id: w.org.other } })).id;
    const [alert] = (await w.admin<{ items: Array<{ id: number }> }>({ method: 'GET', url: '/api/market/alerts' })).items;
    return { draft, search, offer, followup, alert: alert?.id };
  });

const OTHER_REQUESTS: Record<string, Build> = {
  'GET /api/analytics/dashboard': get(`/api/analytics/dashboard?region=${encodeURIComponent('武进')}`),
  'GET /api/analytics/map': get(`/api/analytics/map?region=${encodeURIComponent('武进')}`),
  'GET /api/analytics/participations': get('/api/analytics/participations?by=country'),

  'POST /api/notifications/read': () => ({ method: 'POST', url: '/api/notifications/read', payload: { all: true } }),
  'POST /api/notifications/:id/read': async (w, role) => ({ method: 'POST', url: `/api/notifications/${await ownNotification(w, role)}/read` }),
  'PUT /api/notifications/settings': () => ({ method: 'PUT', url: '/api/notifications/settings', payload: { email_enabled: false } }),

  'GET /api/reports/region': get(`/api/reports/region?region=${encodeURIComponent('武进')}&format=xlsx`),
  'GET /api/reports/plan/:id': (w) => get(`/api/reports/plan/${w.plans.wujin}?format=xlsx&asOf=2025-06-30`)(w, 'admin'),

  'GET /api/plans/:id/rollup': (w) => get(`/api/plans/${w.plans.wujin}/rollup?asOf=2025-06-30`)(w, 'admin'),
  'GET /api/plans/:id/method': (w) => get(`/api/plans/${w.plans.wujin}/method`)(w, 'admin'),
  'GET /api/plans/:id/milestones': (w) => get(`/api/plans/${w.plans.wujin}/milestones`)(w, 'admin'),
  'POST /api/plans/:id/tasks/:n/milestones': (w) => ({ method: 'POST', url: `/api/plans/${w.plans.wujin}/tasks/1/milestones`, payload: { title: w.unique('节点'), due_date: '2026-06-30' } }),
  'PATCH /api/plans/:id/milestones/:mid': async (w) => ({ method: 'PATCH', url: `/api/plans/${w.plans.wujin}/milestones/${await once(w, 'milestone', () => planMilestone(w))}`, payload: { note: w.unique('备注') } }),
  'DELETE /api/plans/:id/milestones/:mid': async (w) => ({ method: 'DELETE', url: `/api/plans/${w.plans.wujin}/milestones/${await planMilestone(w)}` }),
  'PUT /api/plans/:id/tasks/:n/district': (w) => ({ method: 'PUT', url: `/api/plans/${w.plans.wujin}/tasks/1/district`, payload: { region: null } }),
  'GET /api/plans/:id/units': (w) => get(`/api/plans/${w.plans.wujin}/units`)(w, 'admin'),
  'POST /api/plans/:id/units/members': async (w) => {
    const { username } = await w.newUser('district');
    return { method: 'POST', url: `/api/plans/${w.plans.wujin}/units/members`, payload: { unit: '武进区科技局', username } };
  },
  'DELETE /api/plans/:id/units/members': async (w) => {
    const { username } = await w.newUser('district');
    await w.admin({ method: 'POST', url: `/api/plans/${w.plans.wujin}/units/members`, payload: { unit: '武进区科技局', username } });
    return { method: 'DELETE', url: `/api/plans/${w.plans.wujin}/units/members?unit=${encodeURIComponent('武进区科技局')}&username=${username}` };
  },
  'POST /api/plans/:id/supervise': (w) => ({ method: 'POST', url: `/api/plans/${w.plans.wujin}/supervise?asOf=2025-06-30` }),
  'GET /api/plans/:id/supervision/cases': (w) => get(`/api/plans/${w.plans.wujin}/supervision/cases`)(w, 'admin'),

  'POST /api/indicators/frameworks': async (w) => ({
    method: 'POST',
    url: '/api/indicators/frameworks',
    payload: { key: w.unique('fw').replace('-', '_'), name: '新框架', nodes: (await indicators(w)).nodes },
  }),
  'POST /api/indicators/frameworks/import': (w) => ({ method: 'POST', url: `/api/indicators/frameworks/import?key=${w.unique('gii').replace('-', '_')}`, ...multipart([['gii.yaml', GII_YAML]]) }),
  'GET /api/indicators/frameworks/:id': async (w) => ({ method: 'GET', url: `/api/indicators/frameworks/${(await indicators(w)).framework}` }),
  'PATCH /api/indicators/frameworks/:id': async (w) => ({ method: 'PATCH', url: `/api/indicators/frameworks/${(await indicators(w)).framework}`, payload: { description: w.unique('说明') } }),
  'DELETE /api/indicators/frameworks/:id': async (w) => ({ method: 'DELETE', url: `/api/indicators/frameworks/${await newFramework(w)}` }),
  'GET /api/indicators/frameworks/:id/versions': async (w) => ({ method: 'GET', url: `/api/indicators/frameworks/${(await indicators(w)).framework}/versions` }),
  'POST /api/indicators/frameworks/:id/versions': async (w) => ({
    method: 'POST',
    url: `/api/indicators/frameworks/${(await indicators(w)).framework}/versions`,
    payload: { label: w.unique('v'), nodes: (await indicators(w)).nodes },
  }),
  'POST /api/indicators/frameworks/:id/versions/import': async (w) => ({
    method: 'POST',
    url: `/api/indicators/frameworks/${await newFramework(w)}/versions/import?label=yaml`,
    ...multipart([['gii.yaml', GII_YAML]]),
  }),
  'POST /api/indicators/datasets': async (w) => {
    const { framework, rows } = await indicators(w);
    return { method: 'POST', url: '/api/indicators/datasets', payload: { framework_id: framework, name: w.unique('数据'), rows } };
  },
  'POST /api/indicators/datasets/import': async (w) => ({
    method: 'POST',
    url: `/api/indicators/datasets/import?framework=${(await indicators(w)).framework}&name=${w.unique('csv')}`,
    ...multipart([['data.csv', 'uCode,a,b\nP,1,5\nQ,3,1\nR,2,2\n']]),
  }),
  'POST /api/indicators/datasets/from-facts': async (w) => {
    const { framework } = await indicators(w);
    // Stated figures named like the framework's indicators (甲, 乙) for two subjects.
    await once(w, 'facts-for-indicators', async () => {
      for (const [subject, indicator, value] of [['甲市', '甲', 1], ['甲市', '乙', 4], ['乙市', '甲', 3], ['乙市', '乙', 2]] as const) {
        await w.admin({ method: 'POST', url: '/api/facts', payload: { subject, indicator, value, year: 2020 } });
      }
      return true;
    });
    return { method: 'POST', url: '/api/indicators/datasets/from-facts', payload: { framework, name: w.unique('陈述数据'), year: 2020 } };
  },
  'GET /api/indicators/datasets/:id': async (w) => ({ method: 'GET', url: `/api/indicators/datasets/${(await indicators(w)).dataset}` }),
  'DELETE /api/indicators/datasets/:id': async (w) => {
    const { framework, rows } = await indicators(w);
    const { id } = await w.admin<{ id: number }>({ method: 'POST', url: '/api/indicators/datasets', payload: { framework_id: framework, name: w.unique('待删'), rows } });
    return { method: 'DELETE', url: `/api/indicators/datasets/${id}` };
  },
  'POST /api/indicators/runs': async (w) => {
    const { framework, dataset } = await indicators(w);
    return { method: 'POST', url: '/api/indicators/runs', payload: { framework_id: framework, dataset_id: dataset } };
  },
  'GET /api/indicators/runs/:id': async (w) => ({ method: 'GET', url: `/api/indicators/runs/${(await indicators(w)).run}` }),
  'DELETE /api/indicators/runs/:id': async (w) => {
    const { framework, dataset } = await indicators(w);
    const { id } = await w.admin<{ id: number }>({ method: 'POST', url: '/api/indicators/runs', payload: { framework_id: framework, dataset_id: dataset } });
    return { method: 'DELETE', url: `/api/indicators/runs/${id}` };
  },
  'GET /api/indicators/runs/:id/explain': async (w) => ({ method: 'GET', url: `/api/indicators/runs/${(await indicators(w)).run}/explain?unit=P` }),
  'GET /api/indicators/runs/:id/uncertainty': async (w) => ({ method: 'GET', url: `/api/indicators/runs/${(await indicators(w)).run}/uncertainty` }),
  'GET /api/indicators/runs/:id/reproduce': async (w) => ({ method: 'GET', url: `/api/indicators/runs/${(await indicators(w)).run}/reproduce` }),
  'GET /api/indicators/runs/:id/export': async (w) => ({ method: 'GET', url: `/api/indicators/runs/${(await indicators(w)).run}/export` }),
  'POST /api/indicators/ahp': () => ({ method: 'POST', url: '/api/indicators/ahp', payload: { codes: ['a', 'b'], comparisons: [{ a: 'a', b: 'b', value: 3 }] } }),
  'POST /api/indicators/ahp/table': () => ({ method: 'POST', url: '/api/indicators/ahp/table', ...multipart([['ahp.csv', 'I,a,b\na,1,3\nb,1/3,1\n']]) }),

  'POST /api/market/profiles': (w) => ({ method: 'POST', url: '/api/market/profiles', payload: { kind: 'demand', title_zh: w.unique('武进 需求'), org_id: w.org.other, region_id: w.region.wujin } }),
  'GET /api/market/profiles/:id': async (w) => ({ method: 'GET', url: `/api/market/profiles/${(await market(w)).draft}` }),
  'PATCH /api/market/profiles/:id': async (w) => ({ method: 'PATCH', url: `/api/market/profiles/${(await market(w)).draft}`, payload: { summary_zh: w.unique('更新') } }),
  'DELETE /api/market/profiles/:id': async (w) => ({ method: 'DELETE', url: `/api/market/profiles/${await profile(w, 'demand', 'draft')}` }),
  'GET /api/market/profiles/:id/history': async (w) => ({ method: 'GET', url: `/api/market/profiles/${(await market(w)).draft}/history` }),
  'POST /api/market/profiles/:id/submit': async (w) => ({ method: 'POST', url: `/api/market/profiles/${await profile(w, 'demand', 'draft')}/submit` }),
  'POST /api/market/profiles/:id/review': async (w) => ({ method: 'POST', url: `/api/market/profiles/${await profile(w, 'demand', 'submitted')}/review`, payload: { decision: 'approve' } }),
  'POST /api/market/profiles/:id/renew': async (w) => ({ method: 'POST', url: `/api/market/profiles/${await profile(w, 'demand', 'published')}/renew`, payload: { expires_on: '2030-12-31' } }),
  'POST /api/market/profiles/:id/close': async (w) => ({ method: 'POST', url: `/api/market/profiles/${await profile(w, 'demand', 'published')}/close`, payload: { reason: '已找到合作方' } }),
  'GET /api/market/profiles/:id/matches': async (w) => ({ method: 'GET', url: `/api/market/profiles/${(await market(w)).draft}/matches` }),
  'GET /api/market/match': get(`/api/market/match?text=${encodeURIComponent('锂电池 储能')}`),
  'POST /api/market/match': () => ({ method: 'POST', url: '/api/market/match', payload: { text: '锂电池 储能' } }),
  // A follow-up is unique per match and organisation: each call takes up a new offer.
  // (An organisation user takes it up for its own company; officers for the 武进 company.)
  'POST /api/market/followups': async (w, role) => ({
    method: 'POST',
    url: '/api/market/followups',
    payload: { target_kind: 'offer', target_id: await profile(w, 'offer', 'published'), ...(role === 'organization' ? {} : { org_id: w.org.other }) },
  }),
  'GET /api/market/followups/:id': async (w) => ({ method: 'GET', url: `/api/market/followups/${(await market(w)).followup}` }),
  'POST /api/market/followups/:id/stage': async (w) => {
    const offer = await profile(w, 'offer', 'published');
    const { id } = await w.admin<{ id: number }>({ method: 'POST', url: '/api/market/followups', payload: { target_kind: 'offer', target_id: offer, org_id: w.org.other } });
    return { method: 'POST', url: `/api/market/followups/${id}/stage`, payload: { stage: 'contact' } };
  },
  'POST /api/market/searches': (w) => ({ method: 'POST', url: '/api/market/searches', payload: { name: w.unique('检索'), text: '锂电池 储能', org_id: w.org.other } }),
  // Each role deletes a search of its own where it may save one (else the administrator's).
  'DELETE /api/market/searches/:id': async (w, role) => {
    const payload = { name: w.unique('待删'), text: '储能', ...(role === 'organization' ? {} : { org_id: w.org.other }) };
    const own = role === 'anonymous' ? null : await w.as(role, { method: 'POST', url: '/api/market/searches', payload });
    const id = own?.statusCode === 201 ? own.json().id : (await w.admin<{ id: number }>({ method: 'POST', url: '/api/market/searches', payload })).id;
    return { method: 'DELETE', url: `/api/market/searches/${id}` };
  },
  'POST /api/market/alerts/:id/read': async (w) => ({ method: 'POST', url: `/api/market/alerts/${(await market(w)).alert}/read` }),
  // Organisations (their own profiles) and officers import; a dry run leaves the world as it was.
  'POST /api/market/import': () => ({ method: 'POST', url: '/api/market/import?kind=demands&dryRun=true', ...multipart([['demands.csv', '需求名称,合作方式\n锂电池储能系统集成需求,联合研发\n']]) }),
};

interface Row {
  key: string;
  method: Method;
  route: string;
  expected: Record<MatrixRole, number>;
}

function parseTable(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const cells = t.split(/\s+/);
    if (cells.length !== 2 + MATRIX_ROLES.length) throw new Error(`access table: malformed row "${t}"`);
    const [method, route, ...codes] = cells;
    rows.push({
      key: `${method} ${route}`,
      method: method as Method,
      route,
      expected: Object.fromEntries(MATRIX_ROLES.map((r, i) => [r, Number(codes[i])])) as Record<MatrixRole, number>,
    });
  }
  return rows;
}

const ROWS = parseTable(TABLE);

describe.each(STORES)('access matrix on %s', (kind) => {
  let w: World;
  let routes: Array<{ method: string; route: string }>;
  let notificationOfAdmin: number;
  beforeAll(async () => {
    w = await buildWorld(kind);
    notificationOfAdmin = await ownNotification(w, 'admin');
    routes = registeredRoutes(w.app.printRoutes({ commonPrefix: false }));
  });
  afterAll(async () => w?.close());

  it('reads the registered routes (each one the router knows)', () => {
    expect(routes.length).toBeGreaterThan(50);
    // (hasRoute does not answer for swagger-ui's wildcard; the matrix calls it below.)
    for (const r of routes.filter((x) => x.method !== 'HEAD' && !x.route.endsWith('*'))) expect(w.app.hasRoute({ method: r.method as Method, url: r.route }), `${r.method} ${r.route}`).toBe(true);
  });

  it('has a row for every registered route, and a registered route for every row', () => {
    const table = new Set(ROWS.map((r) => r.key));
    const registered = new Set(routes.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.route}`));
    const missing = [...registered].filter((k) => !table.has(k)).sort();
    const stale = [...table].filter((k) => !registered.has(k)).sort();
    // A route without a row: add it to TABLE at the top of this file (and a request to REQUESTS).
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    // HEAD routes are Fastify's companions of GET routes.
    const heads = routes.filter((r) => r.method === 'HEAD').map((r) => `GET ${r.route}`);
    expect(heads.filter((k) => !registered.has(k))).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.key, r] as const))('%s answers each role as the table says', async (_key, row) => {
    const build = REQUESTS[row.key] ?? OTHER_REQUESTS[row.key] ?? ((): Req => ({ method: row.method, url: row.route }));
    const wrong: string[] = [];
    for (const role of MATRIX_ROLES) {
      const req = await build(w, role);
      if (/[:*]/.test(req.url.split('?')[0])) throw new Error(`${row.key} needs a request in REQUESTS (its URL has parameters)`);
      const res = await w.as(role, req).catch((e: Error) => {
        throw new Error(`${role} ${req.method} ${req.url}: ${e.message}`);
      });
      if (res.statusCode !== row.expected[role]) wrong.push(`${role}: expected ${row.expected[role]}, got ${res.statusCode} ${res.body.slice(0, 300)}`);
      if (row.method === 'GET') {
        const status = await w.as(role, { ...req, method: 'HEAD' }).then(
          (head) => head.statusCode,
          // light-my-request cannot finish a HEAD of a streamed export; the refusals come before the stream.
          (e: Error) => (row.expected[role] === 200 && row.route.endsWith('/export') && /destroyed/.test(e.message) ? 200 : e.message),
        );
        if (status !== row.expected[role]) wrong.push(`${role} HEAD: expected ${row.expected[role]}, got ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  // The other side of the table: what roles see of their own, of published records, and of a
  // plan of 常州 that binds 新北 and names the organisation user's company as a responsible unit.
  it.each([
    ['district', 'GET', () => `/api/projects/${w.xinbeiProject}`, undefined, 200],
    ['district', 'PATCH', () => `/api/projects/${w.xinbeiProject}`, { summary: '新北 自己的项目' }, 200],
    ['district', 'GET', () => `/api/projects/${w.publicProject}`, undefined, 404], // published, but in 武进
    ['organization', 'GET', () => `/api/projects/${w.xinbeiProject}`, undefined, 200],
    ['organization', 'PATCH', () => `/api/projects/${w.xinbeiProject}`, { summary: '牵头单位更新' }, 200],
    ['organization', 'GET', () => `/api/organizations/${w.org.own}`, undefined, 200],
    ['organization', 'GET', () => `/api/projects/${w.publicProject}`, undefined, 200],
    ['organization', 'POST', () => `/api/projects/${w.xinbeiProject}/partners`, { country_iso3: 'EGY' }, 201], // its own project
    ['organization', 'POST', () => `/api/projects/${w.publicProject}/partners`, { country_iso3: 'KEN' }, 403], // seen, not its own
    ['district', 'POST', () => `/api/projects/${w.xinbeiProject}/partners`, { country_iso3: 'MAR' }, 201],
    ['reviewer', 'GET', () => `/api/projects/${w.publicProject}`, undefined, 200],
    ['public', 'GET', () => `/api/projects/${w.publicProject}`, undefined, 200],
    ['public', 'GET', () => `/api/projects/${w.xinbeiProject}`, undefined, 404],
    ['district', 'GET', () => `/api/plans/${w.plans.city}`, undefined, 200],
    ['district', 'GET', () => `/api/plans/${w.plans.city}/status`, undefined, 200],
    ['district', 'PATCH', () => `/api/plans/${w.plans.city}`, { owner: '新北改的' }, 403],
    ['district', 'POST', () => `/api/plans/${w.plans.city}/tasks/1/reports`, { unit: '新北区科技局', status: 'in_progress', reported_on: '2025-01-15' }, 201],
    ['organization', 'GET', () => `/api/plans/${w.plans.city}`, undefined, 200],
    ['organization', 'PATCH', () => `/api/plans/${w.plans.city}`, { owner: '机构改的' }, 403],
    ['organization', 'POST', () => `/api/plans/${w.plans.city}/tasks/2/reports`, { unit: '常州甲科技有限公司', status: 'completed', reported_on: '2025-01-15' }, 201],
    ['organization', 'POST', () => `/api/plans/${w.plans.city}/tasks/1/reports`, { unit: '新北区科技局', status: 'completed', reported_on: '2025-01-15' }, 403],
    ['bureau', 'PATCH', () => `/api/plans/${w.plans.city}`, { owner: '常州市科技局' }, 200],
    ['evaluator', 'GET', () => `/api/plans/${w.plans.city}`, undefined, 200],
    ['public', 'GET', () => `/api/plans/${w.plans.city}`, undefined, 404],
    ['reviewer', 'GET', () => `/api/plans/${w.plans.city}`, undefined, 404],
    ['district', 'POST', () => `/api/notifications/${notificationOfAdmin}/read`, undefined, 404], // another user's
  ] as Array<[MatrixRole, Method, () => string, object | undefined, number]>)('%s %s %s answers as expected', async (role, method, url, payload, status) => {
    const res = await w.as(role, { method, url: url(), payload });
    expect(res.statusCode, res.body).toBe(status);
  });

  it('lists only the plans a role is bound by, and an organisation only its own unit’s reports', async () => {
    const names = async (role: MatrixRole) => (await w.as(role, { method: 'GET', url: '/api/plans' })).json().items.map((p: { id: number }) => p.id).sort();
    // The matrix imported more 武进 plans; none of them binds 新北 or names the company.
    expect(await names('admin')).toEqual(expect.arrayContaining([w.plans.city, w.plans.wujin]));
    expect(await names('district')).toEqual([w.plans.city]);
    expect(await names('organization')).toEqual([w.plans.city]);
    expect(await names('public')).toEqual([]);
    const units = async (role: MatrixRole) =>
      [...new Set((await w.as(role, { method: 'GET', url: `/api/plans/${w.plans.city}/reports` })).json().items.map((r: { unit: string }) => r.unit))].sort();
    expect(await units('organization')).toEqual(['常州甲科技有限公司']);
    expect(await units('bureau')).toEqual(['常州甲科技有限公司', '新北区科技局']);
  });

  it('lets a bureau officer undo an import of its own, not the administrator’s', async () => {
    const mine = (await w.as('bureau', { method: 'POST', url: '/api/imports?kind=projects&region=常州', ...importCsv(w) })).json().import_id;
    expect((await w.as('bureau', { method: 'POST', url: `/api/imports/${mine}/undo` })).statusCode).toBe(200);
  });
});
