/**
 * The region dashboard on both stores: the pre-aggregated figures (migration 002) equal a fresh
 * GROUP BY over the registries after an import, an edit of a funding line, an edit of a
 * project, an organisation moving country, a deletion and an undo — for several regions,
 * periods and actors — and the aggregates themselves equal a rebuild from scratch. The network
 * summary equals the collaboration network the analytics compute from participations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../bench/generate.ts';
import { systemActor, type Actor } from '../../actor.ts';
import { loadDemo } from '../../demo/demo.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Db, Sql } from '../../store/db.ts';
import { testConfig } from '../../../test/app.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { runImport } from '../imports/imports.service.ts';
import { undoImport } from '../imports/imports.undo.ts';
import { registryService } from '../registry/registry.service.ts';
import { REGISTRIES } from '../registries/defs.ts';
import { queryNetwork } from './analytics.service.ts';
import { queryDashboard, queryMap, type DashboardQuery } from './dashboard.service.ts';

const AGG_TABLES = ['agg_funding', 'agg_project_countries', 'agg_net_country', 'agg_net_pair', 'agg_net_cell'];

async function aggSnapshot(db: Sql): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of AGG_TABLES) out[t] = (await db.query(`SELECT * FROM ${t}`)).map((r) => JSON.stringify(r)).sort();
  return out;
}

/** The aggregates as stored, and as agg_rebuild() computes them from scratch (rolled back). */
async function storedAndRebuilt(db: Db) {
  const stored = await aggSnapshot(db);
  let rebuilt: Record<string, string[]> = {};
  await db
    .transaction(async (tx) => {
      await tx.query('SELECT agg_rebuild()');
      rebuilt = await aggSnapshot(tx);
      throw new Error('roll back');
    })
    .catch((e: Error) => {
      if (e.message !== 'roll back') throw e;
    });
  return { stored, rebuilt };
}

describe.each(STORES)('region dashboard on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  let dir: string;
  const ids: Record<string, number> = {};
  let xinbei: number;

  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
    await loadDemo(store.db, ctx.config);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-dash-'));
    const files = await generate(dir, { projects: 300, partners: 1500, fundingPerProject: 2, seed: 4 });
    for (const [k, file] of [['projects', files.projects], ['partners', files.partners], ['funding', files.funding]] as const) {
      const r = await runImport(ctx, { fileName: `${k}.csv`, path: file }, { kind: k, region: '常州' });
      expect(r.ok, JSON.stringify(r.issues.slice(0, 3))).toBe(true);
      ids[k] = r.import_id!;
    }
    [{ id: xinbei }] = await store.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '新北' AND kind <> 'province' ORDER BY id LIMIT 1`);
    // Funding booked to countries (one line restricted), so the country figures have data.
    const funding = registryService(REGISTRIES.funding);
    for (const [country, amount, classification] of [['DEU', 120, 'internal'], ['ISR', 80.5, 'internal'], ['DEU', 33, 'restricted'], ['RUS', 210, 'internal']] as const) {
      await funding.create(ctx, { region_id: xinbei, year: 2016, country_iso3: country, amount, classification, source: `test ${amount}` });
    }
  }, 240_000);
  afterAll(async () => {
    await store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const district = (): Actor => ({ name: 'xinbei-officer', role: 'district', regionScope: [xinbei] });
  const evaluator: Actor = { name: 'evaluator', role: 'evaluator', regionScope: null };
  const queries: DashboardQuery[] = [
    {},
    { region: '常州' },
    { region: '新北', from: 2015, to: 2018 },
    { region: '常州', from: 2011, to: 2014, thresholds: [2000, 1000] },
    { from: 2016, to: 2016, weight: 'participations', top: 3 },
  ];

  /** Every query, for several actors: the aggregates answer exactly what the registries do. */
  async function expectExact(label: string) {
    const { stored, rebuilt } = await storedAndRebuilt(store.db);
    for (const t of AGG_TABLES) expect(stored[t], `${label}: ${t}`).toEqual(rebuilt[t]);
    for (const actor of [systemActor('test'), district(), evaluator]) {
      const as = { ...ctx, actor };
      for (const q of queries) {
        const agg = await queryDashboard(as, { ...q, nodes: 1000, source: 'aggregates' });
        const fresh = await queryDashboard(as, { ...q, nodes: 1000, source: 'tables' });
        expect({ ...agg, source: 'x' }, `${label} ${actor.name} ${JSON.stringify(q)}`).toEqual({ ...fresh, source: 'x' });
      }
    }
  }

  it('after the imports: aggregates equal a fresh GROUP BY and a rebuild', async () => {
    const d = await queryDashboard(ctx, { region: '常州' });
    expect(d.source).toBe('aggregates');
    expect(d.by_year.length).toBeGreaterThan(4);
    expect(d.network.nodes).toBeGreaterThan(5);
    await expectExact('imported');
  });

  it('an edit of a funding line, of a project and of an organisation keeps them exact', async () => {
    const funding = registryService(REGISTRIES.funding);
    const [line] = await store.db.query<{ id: number }>('SELECT id FROM funding WHERE project_id IS NOT NULL ORDER BY id LIMIT 1');
    await funding.update(ctx, line.id, { amount: 999.5, country_iso3: 'FRA', year: 2019 });
    await expectExact('funding line edited');

    const projects = registryService(REGISTRIES.projects);
    const [p] = await store.db.query<{ id: number }>('SELECT project_id AS id FROM funding WHERE project_id IS NOT NULL ORDER BY id DESC LIMIT 1');
    await projects.update(ctx, p.id, { region_id: xinbei, field: '量子信息', start_date: '2020-03-01', end_date: '2022-03-01' });
    await store.db.query(`UPDATE organizations SET country_iso3 = 'JPN', domestic = false WHERE id = (SELECT min(org_id) FROM project_partners)`);
    await expectExact('project and organisation edited');
  }, 120_000);

  it('deleting a project and undoing imports keeps them exact', async () => {
    const projects = registryService(REGISTRIES.projects);
    const [p] = await store.db.query<{ id: number }>(
      'SELECT p.id FROM projects p WHERE EXISTS (SELECT 1 FROM funding f WHERE f.project_id = p.id) AND EXISTS (SELECT 1 FROM project_partners x WHERE x.project_id = p.id) ORDER BY p.id LIMIT 1',
    );
    await projects.remove(ctx, p.id);
    await expectExact('project deleted');
    await undoImport(ctx, ids.funding);
    await expectExact('funding import undone');
    await undoImport(ctx, ids.partners);
    await expectExact('partners import undone');
  }, 120_000);

  it('the network summary is the collaboration network of the analytics', async () => {
    const d = await queryDashboard(ctx, { region: '常州', nodes: 1000 });
    const n = await queryNetwork(ctx, { level: 'country', where: { region: '常州' } });
    expect(d.network).toMatchObject({ nodes: n.nodes.length, edges: n.edges, projects: n.projects, skipped: n.skipped });
    expect(d.network.top.map((x) => x.id).sort()).toEqual(n.nodes.map((x) => x.id).sort());
    for (const node of n.nodes) {
      const mine = d.network.top.find((x) => x.id === node.id)!;
      expect(mine.degree).toBe(node.degree);
      expect(mine.weighted_degree).toBe(node.weighted_degree);
      expect(mine.betweenness).toBeCloseTo(node.betweenness, 5);
      expect(mine.eigenvector).toBeCloseTo(node.eigenvector, 5);
    }
  });

  it('the map lists projects, participations and funding by country', async () => {
    const m = await queryMap(ctx, {});
    const deu = m.countries.find((c) => c.iso3 === 'DEU')!;
    const [f] = await store.db.query<{ amount: number }>(`SELECT sum(amount_wan)::float8 AS amount FROM funding WHERE country_iso3 = 'DEU' AND currency = 'CNY'`);
    expect(deu.funding).toBeCloseTo(f.amount, 4);
    expect(deu.participations).toBeGreaterThanOrEqual(deu.projects);
    const restricted = await queryMap({ ...ctx, actor: evaluator }, {});
    expect(restricted.countries.find((c) => c.iso3 === 'DEU')!.funding).toBeCloseTo(f.amount - 33, 4);
  });

  it('refuses the public and organisations, bad periods and tiers, unknown regions', async () => {
    const anon: Actor = { name: 'anonymous', role: 'public', regionScope: null };
    await expect(queryDashboard({ ...ctx, actor: anon })).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await expect(queryDashboard(ctx, { from: 2015, to: 2011 })).rejects.toMatchObject({ code: 'QUERY_PERIOD_INVALID' });
    await expect(queryDashboard(ctx, { region: '火星' })).rejects.toMatchObject({ code: 'REGION_UNKNOWN' });
    await expect(queryDashboard(ctx, { thresholds: [1], quantiles: 3 })).rejects.toMatchObject({ code: 'TIERS_SPEC_INVALID' });
    // An organisation's account reads its own records only, not the analyses.
    const org: Actor = { name: 'org', role: 'organization', regionScope: [], orgId: 1 };
    await expect(queryDashboard({ ...ctx, actor: org })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
