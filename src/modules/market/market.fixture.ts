/**
 * Test fixtures of the marketplace: organisations (two Changzhou enterprises, foreign partners
 * with projects), users of each role, and profiles from the seed table
 * changzhou_key_country_projects.csv (Chinese titles as demands) and the English project
 * descriptions written for the engine's tests (engine/fixtures.ts) as offers. Used by tests only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { actorForUser } from '../auth/auth.policy.ts';
import { createTestUser } from '../auth/auth.testing.ts';
import type { Actor } from '../../actor.ts';
import { systemActor } from '../../actor.ts';
import { loadConfig } from '../../config.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Db } from '../../store/db.ts';
import { registryService } from '../registry/registry.service.ts';
import { REGISTRIES } from '../registries/defs.ts';

const SEED = path.resolve(import.meta.dirname, '../../../demo/seed-tables/changzhou_key_country_projects.csv');

/** The seed table's rows: 国别, 产业, 项目名称. */
export function seedProjects(): { country: string; industry: string; title: string }[] {
  const rows = parse(fs.readFileSync(SEED), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r) => ({ country: r['国别'], industry: r['产业'], title: r['项目名称'] }));
}

export const config = () => loadConfig({ ...process.env, INNOLINK_DEMO: '0', DATABASE_URL: '' });

export interface MarketWorld {
  ops: ServiceContext;
  as: (who: keyof MarketWorld['actors']) => ServiceContext;
  actors: { orgA: Actor; orgB: Actor; bureau: Actor; xinbei: Actor; wujin: Actor; visitor: Actor; evaluator: Actor };
  orgs: { a: number; b: number; fraunhofer: number; oxford: number; hidden: number };
  regions: { changzhou: number; xinbei: number; wujin: number };
  projects: { joint: number };
  talents: { collagen: number };
}

/** Organisations, users, projects and a talent in a fresh store. */
export async function marketWorld(db: Db): Promise<MarketWorld> {
  const cfg = config();
  const ops: ServiceContext = { db, actor: systemActor('test'), config: cfg };
  const region = async (name: string) =>
    Number((await db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = $1 AND level IN ('city', 'district') ORDER BY level LIMIT 1`, [name]))[0].id);
  const regions = { changzhou: await region('常州'), xinbei: await region('新北'), wujin: await region('武进') };
  const orgsSvc = registryService(REGISTRIES.organizations);
  const org = async (rec: Record<string, unknown>) => Number((await orgsSvc.create(ops, rec)).id);
  const orgs = {
    a: await org({ name_zh: '常州晶华医药科技有限公司', domestic: true, type: 'enterprise', region_id: regions.xinbei }),
    b: await org({ name_zh: '武进精密机械股份有限公司', domestic: true, type: 'enterprise', region_id: regions.wujin }),
    fraunhofer: await org({ name_en: 'Fraunhofer Institute for Process Engineering', domestic: false, type: 'institute', country_iso3: 'DEU', classification: 'public' }),
    oxford: await org({ name_en: 'University of Oxford', domestic: false, type: 'university', country_iso3: 'GBR', classification: 'public' }),
    hidden: await org({ name_en: 'Restricted Supercritical Fluids GmbH', domestic: false, type: 'enterprise', country_iso3: 'DEU', classification: 'internal' }),
  };
  const projectsSvc = registryService(REGISTRIES.projects);
  const project = async (rec: Record<string, unknown>) => Number((await projectsSvc.create(ops, rec)).id);
  const joint = await project({
    code: 'MK-1',
    title_zh: '超临界流体药物结晶技术的联合开发',
    title_en: 'Supercritical fluid crystallisation of pharmaceutical compounds',
    field: '新医药',
    lead_org_id: orgs.a,
    region_id: regions.xinbei,
  });
  await db.query('INSERT INTO project_partners (project_id, org_id, country_iso3, role) VALUES ($1, $2, $3, $4)', [joint, orgs.fraunhofer, 'DEU', 'partner']);
  const cnc = await project({ code: 'MK-2', title_en: 'Inverted vertical CNC machine tools and laser cladding', field: '智能数控', region_id: regions.wujin });
  await db.query('INSERT INTO project_partners (project_id, org_id, country_iso3, role) VALUES ($1, $2, $3, $4)', [cnc, orgs.oxford, 'GBR', 'partner']);
  const hiddenProject = await project({ code: 'MK-3', title_en: 'Supercritical carbon dioxide crystallisation of drugs', field: '新医药', region_id: regions.xinbei });
  await db.query('INSERT INTO project_partners (project_id, org_id, country_iso3, role) VALUES ($1, $2, $3, $4)', [hiddenProject, orgs.hidden, 'DEU', 'partner']);
  // GII 2022 ranks (WIPO; the top five of 2022 in ../shared/data/SOURCES.md): the country reason reads them.
  await db.query(`INSERT INTO country_indicators (iso3, indicator, year, value_num, source) VALUES ('GBR', 'gii_rank', 2022, 4, 'GII 2022'), ('DEU', 'gii_rank', 2022, 8, 'GII 2022')`);
  const talentsSvc = registryService(REGISTRIES.talents);
  const collagen = Number(
    (await talentsSvc.create(ops, { name: '施密特', name_en: 'Anna Schmidt', fields: 'collagen sponge biomaterials, tissue engineering', nationality_iso3: 'DEU', email: 'a.schmidt@example.de', classification: 'public' })).id,
  );
  const user = async (opts: Parameters<typeof createTestUser>[1]) => {
    const { user } = await createTestUser(db, opts);
    const path = user.region_id == null ? null : ((await db.query<{ path: string }>('SELECT path FROM admin_regions WHERE id = $1', [user.region_id]))[0]?.path ?? null);
    return actorForUser({ ...user, region_path: path });
  };
  const actors = {
    orgA: await user({ role: 'organization', org: orgs.a }),
    orgB: await user({ role: 'organization', org: orgs.b }),
    bureau: await user({ role: 'bureau', region: regions.changzhou }),
    xinbei: await user({ role: 'district', region: regions.xinbei }),
    wujin: await user({ role: 'district', region: regions.wujin }),
    visitor: await user({ role: 'public' }),
    evaluator: await user({ role: 'evaluator' }),
  };
  return {
    ops,
    as: (who) => ({ db, actor: actors[who], config: cfg }),
    actors,
    orgs,
    regions,
    projects: { joint },
    talents: { collagen },
  };
}
