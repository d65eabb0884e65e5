/**
 * CORDIS data through the importer (../shared/data/cordis, SOURCES.md): column presets for the
 * official export columns, `--map` for other shapes, and the RCN-keyed H2020 participation file
 * loaded whole. Loaded totals are checked against the files (computed here) and against the
 * figures SOURCES.md quotes.
 *
 * The full H2020 file (144,726 participations) takes about 20 s on the PostgreSQL server and
 * 45 s on PGlite: every run loads it whole on the server, and both stores load a documented
 * subset — every participation of the 241 projects with a Chinese participant; the whole file
 * on PGlite too with INNOLINK_CORDIS_FULL=1:
 *   INNOLINK_CORDIS_FULL=1 npx vitest run src/modules/imports/presets.test.ts -t "full H2020"
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import type { ServiceContext } from '../../http/context.ts';
import { nameKey } from '../../text/keys.ts';
import { testConfig } from '../../../test/app.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { queryNetwork } from '../analytics/analytics.service.ts';
import { queryDashboard } from '../analytics/dashboard.service.ts';
import { queryParticipations } from '../analytics/participations.service.ts';
import { importKinds } from './kinds.ts';
import { matchColumns } from './mapping.ts';
import { runImport } from './imports.service.ts';
import { loadCordisParticipations } from './presets.cordis.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CORDIS = path.resolve(ROOT, '..', 'shared', 'data', 'cordis');
const H2020 = path.join(CORDIS, 'h2020_participations', 'h2020_participations.csv');
const PARTS = path.join(CORDIS, 'h2020_participations', 'h2020_programme_parts.csv');

type Rec = Record<string, string>;
const csvRows = (file: string): Rec[] => parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as Rec[];

/** Records as a CORDIS-style CSV (`;`-separated, every value quoted when needed). */
function cordisCsv(records: Record<string, unknown>[]): string {
  const cols = Object.keys(records[0]);
  const cell = (v: unknown) => {
    const s = v == null ? '' : String(v);
    return /[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(';'), ...records.map((r) => cols.map((c) => cell(r[c])).join(';'))].join('\n') + '\n';
}

/** The RCN file's rows of the projects that have a Chinese participant (the suite's subset). */
function chineseProjectRows(): { header: string; lines: string[]; rows: Rec[] } {
  const text = fs.readFileSync(H2020, 'utf8');
  const [header, ...rest] = text.split('\n').filter(Boolean);
  const rows = csvRows(H2020);
  const rcns = new Set(rows.filter((r) => r.country === 'CN').map((r) => r.rcn));
  const keep = rows.map((r, i) => ({ r, line: rest[i] })).filter((x) => rcns.has(x.r.rcn));
  return { header, lines: keep.map((x) => x.line), rows: keep.map((x) => x.r) };
}

const sum = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) * 100) / 100;
const contribution = (rows: Rec[]) => sum(rows.filter((r) => r.contribution !== 'NA' && r.contribution !== '').map((r) => Number(r.contribution)));

describe('column presets', () => {
  const kinds = importKinds();
  const labels = (cols: string[]) => cols.map((label, index) => ({ index, label }));
  const mapped = (cols: string[], kind: string, map: Record<string, string> = {}) =>
    Object.fromEntries(matchColumns(labels(cols), kinds[kind].targets, map).map((m) => [m.label, m.target]));
  const project = JSON.parse(fs.readFileSync(path.join(CORDIS, 'raw_json_sample', 'project.json'), 'utf8')) as Record<string, unknown>[];
  const organization = JSON.parse(fs.readFileSync(path.join(CORDIS, 'raw_json_sample', 'organization.json'), 'utf8')) as Record<string, unknown>[];

  it('maps the official CORDIS project columns to projects', () => {
    const m = mapped(Object.keys(project[0]), 'projects');
    expect(m).toMatchObject({ id: 'code', acronym: 'keywords', title: 'title_en', objective: 'summary', startDate: 'start_date', endDate: 'end_date', frameworkProgramme: 'programme', topics: 'field' });
    // Values that are not ours (SIGNED, CLOSED; ECSEL-RIA …) stay out.
    expect(m).toMatchObject({ status: null, fundingScheme: null, ecMaxContribution: null, rcn: null });
  });

  it('maps the official organisation columns one way for partners and another for organisations', () => {
    const cols = Object.keys(organization[0]);
    expect(mapped(cols, 'partners')).toMatchObject({ projectID: 'project_id', name: 'org_id', country: 'country_iso3', role: 'role', ecContribution: 'contribution', activityType: null });
    expect(mapped(cols, 'organizations')).toMatchObject({ name: 'name_en', organisationID: 'pic', country: 'country_iso3', organizationURL: 'website', activityType: null, role: null });
    // A kind none of the presets fits keeps the ordinary matching.
    expect(mapped(cols, 'funding').ecContribution).toBe('amount');
  });

  it('lets an explicit mapping win over the preset, column by column', () => {
    const m = mapped(Object.keys(project[0]), 'projects', { acronym: '-', status: 'status' });
    expect(m.acronym).toBeNull();
    expect(m.status).toBe('status');
    expect(m.title).toBe('title_en');
  });

  it('maps the RCN-keyed participation file for partners', () => {
    const m = mapped(['rcn', 'role', 'pic', 'type', 'contribution', 'country', 'start_date', 'end_date', 'max_contribution', 'total_cost', 'start_year', 'end_year', 'duration', 'group', 'nunique'], 'partners');
    expect(m).toMatchObject({ rcn: 'project_id', pic: 'org_id', country: 'country_iso3', role: 'role', contribution: 'contribution', type: null, nunique: null });
  });
});

describe.each(STORES)('CORDIS files on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
  });
  afterAll(async () => store?.close());

  it('the RCN-keyed file: every participation of the projects with a Chinese participant, checked against the file and SOURCES.md', async () => {
    const subset = chineseProjectRows();
    const res = await loadCordisParticipations(ctx, { fileName: 'h2020_participations.csv', buffer: Buffer.from([subset.header, ...subset.lines].join('\n') + '\n') }, {
      programmeParts: { fileName: 'h2020_programme_parts.csv', path: PARTS },
    });
    expect(res.ok, JSON.stringify(res.partners?.issues.slice(0, 3))).toBe(true);
    const rcns = new Set(subset.rows.map((r) => r.rcn));
    expect(res.projects.rows.imported).toBe(rcns.size);
    expect(res.partners!.rows).toEqual({ read: subset.rows.length, imported: subset.rows.length, rejected: 0 });

    // Loaded totals = the file's.
    const [t] = await store.db.query<{ n: number; s: number; p: number }>(
      'SELECT count(*)::int AS n, round(sum(contribution), 2)::float8 AS s, count(DISTINCT project_id)::int AS p FROM project_partners WHERE import_id = $1',
      [res.partners!.import_id],
    );
    expect(t).toEqual({ n: subset.rows.length, s: contribution(subset.rows), p: rcns.size });

    // SOURCES.md: "CN: 506 participations in 241 projects, €4,687,139 EC contribution".
    const cn = subset.rows.filter((r) => r.country === 'CN');
    const byYear = await queryParticipations(ctx, { by: ['year'], participant: 'CN' });
    expect(byYear.totals).toEqual({ projects: 241, participations: 506, contribution: 4687139.35 });
    expect(byYear.totals).toEqual({ projects: new Set(cn.map((r) => r.rcn)).size, participations: cn.length, contribution: contribution(cn) });
    const years = [...new Set(cn.map((r) => Number(r.start_year)))].sort();
    expect(byYear.rows.map((r) => r.year)).toEqual(years);
    for (const row of byYear.rows) {
      const inYear = cn.filter((r) => Number(r.start_year) === row.year);
      expect(row, String(row.year)).toMatchObject({ projects: new Set(inYear.map((r) => r.rcn)).size, participations: inYear.length });
    }

    // Partner countries of the Chinese projects (EL → GRC, UK → GBR).
    const partners = await queryParticipations(ctx, { by: ['country'], where: { country: 'CN' } });
    const de = subset.rows.filter((r) => r.country === 'DE');
    expect(partners.rows.find((r) => r.country === 'DEU')).toMatchObject({ projects: new Set(de.map((r) => r.rcn)).size, participations: de.length, contribution: contribution(de) });
    const el = subset.rows.filter((r) => r.country === 'EL');
    expect(partners.rows.find((r) => r.country === 'GRC')?.participations).toBe(el.length);
    expect(partners.rows.reduce((s, r) => s + Number(r.participations), 0)).toBe(subset.rows.length);

    // The country network: every project's countries pairwise; the dashboard's aggregates agree.
    const net = await queryNetwork(ctx, { level: 'country' });
    const countries = new Set(subset.rows.map((r) => r.country));
    expect(net.nodes.length).toBe(countries.size);
    expect(net.projects).toBe(rcns.size);
    const cnNode = net.nodes.find((n) => n.id === 'CHN')!;
    expect(cnNode.degree).toBe(countries.size - 1); // every country here shares a project with China
    const d = await queryDashboard(ctx, { nodes: 1000 });
    expect(d.network).toMatchObject({ nodes: net.nodes.length, edges: net.edges, projects: net.projects, skipped: net.skipped });
    expect(d.map.find((c) => c.iso3 === 'CHN')).toMatchObject({ projects: 241, participations: 506 });
  }, 120_000);

  it('the official export columns (the JSON sample’s schema, as CSV) import through the presets', async () => {
    const projects = JSON.parse(fs.readFileSync(path.join(CORDIS, 'raw_json_sample', 'project.json'), 'utf8')) as Record<string, unknown>[];
    const orgs = JSON.parse(fs.readFileSync(path.join(CORDIS, 'raw_json_sample', 'organization.json'), 'utf8')) as Record<string, unknown>[];
    const p = await runImport(ctx, { fileName: 'project.csv', buffer: Buffer.from(cordisCsv(projects)) }, { kind: 'projects' });
    expect(p.ok, JSON.stringify(p.issues.slice(0, 3))).toBe(true);
    expect(p.rows.imported).toBe(projects.length);
    const [first] = await store.db.query<{ title_en: string; keywords: string; programme: string; start_date: string }>(
      'SELECT title_en, keywords, programme, start_date FROM projects WHERE code = $1',
      [String(projects[0].id)],
    );
    expect(first).toEqual({ title_en: projects[0].title, keywords: projects[0].acronym, programme: projects[0].frameworkProgramme, start_date: projects[0].startDate });

    const r = await runImport(ctx, { fileName: 'organization.csv', buffer: Buffer.from(cordisCsv(orgs)) }, { kind: 'partners', keepValid: true });
    expect(r.ok).toBe(true);
    // Expected from the file: a country like "FI;FI" does not resolve; a repeated participation is refused.
    const seen = new Set<string>();
    const kept = orgs.filter((o) => {
      if (String(o.country).includes(';')) return false;
      const key = `${o.projectID}|${nameKey(String(o.name))}|${o.country}|${o.role}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    expect(r.rows).toEqual({ read: orgs.length, imported: kept.length, rejected: orgs.length - kept.length });
    expect(r.issues.filter((i) => i.code === 'COUNTRY_UNRESOLVED')).toHaveLength(orgs.filter((o) => String(o.country).includes(';')).length);
    const [loaded] = await store.db.query<{ n: number; s: number }>('SELECT count(*)::int AS n, round(sum(contribution), 2)::float8 AS s FROM project_partners WHERE import_id = $1', [r.import_id]);
    expect(loaded.n).toBe(kept.length);
    expect(loaded.s).toBe(sum(kept.filter((o) => o.ecContribution !== '').map((o) => Number(o.ecContribution))));
    const roles = await store.db.query<{ role: string; n: number }>('SELECT role, count(*)::int AS n FROM project_partners WHERE import_id = $1 GROUP BY role ORDER BY role', [r.import_id]);
    const expectRoles: Record<string, number> = {};
    for (const o of kept) expectRoles[String(o.role) === 'thirdParty' ? 'third_party' : String(o.role)] = (expectRoles[String(o.role) === 'thirdParty' ? 'third_party' : String(o.role)] ?? 0) + 1;
    expect(Object.fromEntries(roles.map((x) => [x.role, x.n]))).toEqual(expectRoles);
  });

  it('another shape through --map: the Chinese-participation subset’s projects and participants', async () => {
    const dir = path.join(CORDIS, 'cn_participation_subset');
    const projects = csvRows(path.join(dir, 'projects.csv'));
    const skip = ['funding_scheme', 'status', 'start_year', 'end_year', 'duration_months', 'total_cost', 'ec_contribution', 'coordinator_country', 'num_countries', 'num_organizations', 'num_chinese_orgs', 'countries_list', 'eu_partners', 'non_eu_partners', 'chinese_organizations', 'keywords', 'call', 'all_org_names'];
    const p = await runImport(ctx, { fileName: 'projects.csv', path: path.join(dir, 'projects.csv') }, {
      kind: 'projects',
      map: { project_id: 'code', acronym: 'keywords', title: 'title_en', objective: 'summary', programme: 'programme', topics: 'field', ...Object.fromEntries(skip.map((c) => [c, '-'])) },
    });
    expect(p.ok, JSON.stringify(p.issues.slice(0, 3))).toBe(true);
    // Codes here are grant ids (the RCN file's projects are registered under their RCN).
    expect(p.rows.imported).toBe(projects.length);

    const orgs = csvRows(path.join(dir, 'organizations.csv'));
    const r = await runImport(ctx, { fileName: 'organizations.csv', path: path.join(dir, 'organizations.csv') }, {
      kind: 'partners',
      keepValid: true,
      map: { project_id: 'project_id', org_name: 'org_id', country: 'country_iso3', ec_contribution: 'contribution', id: '-', city: '-', org_type: '-', net_contribution: '-', total_cost: '-', is_chinese: '-' },
    });
    expect(r.ok).toBe(true);
    const seen = new Set<string>();
    const kept = orgs.filter((o) => {
      const key = `${o.project_id}|${nameKey(o.org_name)}|${o.country}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    expect(r.rows).toEqual({ read: orgs.length, imported: kept.length, rejected: orgs.length - kept.length });
    const [cn] = await store.db.query<{ n: number; s: number }>(
      `SELECT count(*)::int AS n, round(coalesce(sum(contribution), 0), 2)::float8 AS s FROM project_partners WHERE import_id = $1 AND country_iso3 = 'CHN'`,
      [r.import_id],
    );
    const keptCn = kept.filter((o) => o.country === 'CN');
    expect(cn).toEqual({ n: keptCn.length, s: sum(keptCn.filter((o) => o.ec_contribution !== '').map((o) => Number(o.ec_contribution))) });
    // SOURCES.md: 836 Chinese rows, €5.64 M to China, in the file.
    expect(orgs.filter((o) => o.is_chinese === '1')).toHaveLength(836);
    expect(Math.round(sum(orgs.filter((o) => o.is_chinese === '1').map((o) => Number(o.ec_contribution || 0))) / 1e4) / 100).toBe(5.64);
  }, 120_000);
});

describe('innolink import-cordis and query network (CLI)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore('postgres');
  });
  afterAll(async () => store?.close());

  const cli = (...args: string[]) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    new Promise<{ code: number; stdout: string; stderr: string; json: () => any }>((resolve) => {
      execFile(process.execPath, ['bin/innolink.mjs', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' }, timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr, json: () => JSON.parse(stdout) });
      });
    });

  it('loads the subset and prints the network in the contract shape', async () => {
    const subset = chineseProjectRows();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-cordis-')), 'h2020_cn_projects.csv');
    try {
      fs.writeFileSync(file, [subset.header, ...subset.lines].join('\n') + '\n');
      const load = await cli('import-cordis', file, '--json');
      expect(load.code, load.stderr).toBe(0);
      expect(load.json()).toMatchObject({ ok: true, rows: subset.rows.length, partners: { rows: { imported: subset.rows.length } } });
      const bad = await cli('import-cordis', path.join(CORDIS, 'cordis_topics', 'h2020_topics.csv'), '--json');
      expect(bad.code).toBe(1);
      expect(bad.json().error.code).toBe('CORDIS_SHAPE_UNKNOWN');
      expect((await cli('import-cordis', '/no/such/file.csv', '--json')).code).toBe(2);

      const r = await cli('query', 'network', '--level', 'country', '--json');
      expect(r.code).toBe(0);
      const out = r.json();
      expect(Object.keys(out)).toEqual(expect.arrayContaining(['nodes', 'edges']));
      for (const n of out.nodes) expect(Object.keys(n)).toEqual(expect.arrayContaining(['id', 'degree', 'weighted_degree', 'betweenness', 'eigenvector']));
      expect(out.nodes.length).toBe(new Set(subset.rows.map((x) => x.country)).size);

      const y = await cli('query', 'participations', '--by', 'year', '--participant', 'CN', '--json');
      expect(y.code).toBe(0);
      expect(y.json().totals).toEqual({ projects: 241, participations: 506, contribution: 4687139.35 });
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  }, 240_000);
});

// The whole file on the PostgreSQL server in every run (~20 s); on PGlite too with INNOLINK_CORDIS_FULL=1.
describe.each(STORES.filter((k) => k === 'postgres' || process.env.INNOLINK_CORDIS_FULL))('full H2020 file on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
  });
  afterAll(async () => store?.close());

  it('loads all 144,726 participations with the totals SOURCES.md quotes, and their network', async () => {
    const res = await loadCordisParticipations(ctx, { fileName: 'h2020_participations.csv', path: H2020 }, { programmeParts: { fileName: 'h2020_programme_parts.csv', path: PARTS } });
    expect(res.ok).toBe(true);
    const [t] = await store.db.query<{ n: number; s: number; p: number }>(
      'SELECT count(*)::int AS n, round(sum(contribution), 2)::float8 AS s, count(DISTINCT project_id)::int AS p FROM project_partners',
    );
    // SOURCES.md (eunets totals): 31,451 distinct rcn, 144,726 rows, Σ contribution (without NA) €59,062,053,006.72.
    expect(t).toEqual({ n: 144726, s: 59062053006.72, p: 31451 });
    const roles = await store.db.query<{ role: string; n: number }>('SELECT role, count(*)::int AS n FROM project_partners GROUP BY role');
    expect(Object.fromEntries(roles.map((r) => [r.role, r.n]))).toEqual({ participant: 106108, coordinator: 31476, partner: 7142 });
    const cn = await queryParticipations(ctx, { by: ['year'], participant: 'CN' });
    expect(cn.totals).toEqual({ projects: 241, participations: 506, contribution: 4687139.35 });
    const net = await queryNetwork(ctx, { level: 'country' });
    const d = await queryDashboard(ctx, { nodes: 1000 });
    expect(d.network).toMatchObject({ nodes: net.nodes.length, edges: net.edges, projects: 31451, skipped: 0 });
  }, 600_000);
});
