/**
 * Partner rows through the importer: "NA" in a country column is Namibia (CORDIS writes it
 * so), a partner named without a country stays of unknown country instead of becoming a
 * domestic (Chinese) organisation, and CORDIS's associatedPartner / internationalPartner roles
 * are accepted. Roles are checked against the CORDIS participation extract in ../shared/data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testConfig } from '../../../test/app.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { queryConcentration, queryNetwork } from '../analytics/analytics.service.ts';
import { enumValue, isBlank } from './convert.ts';
import { runImport, splitList } from './imports.service.ts';
import { partnersDef } from './kinds.ts';
import { orgRefFor } from './resolvers.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FP_PARTICIPATION = path.resolve(ROOT, '..', 'shared', 'data', 'cordis', 'third_country_summary_nz_ca_pacific', 'FP_participation.csv');

describe('isBlank', () => {
  it('"NA" is empty, except in a country column, where it is Namibia; "N/A" is empty everywhere', () => {
    expect(isBlank('NA')).toBe(true);
    expect(isBlank('NA', 'contribution')).toBe(true);
    expect(isBlank(' NA ', 'country_iso3')).toBe(false);
    expect(isBlank('NA', 'partner_countries')).toBe(false);
    expect(isBlank('NA', { name: 'nationality_iso3', type: 'iso3' })).toBe(false);
    expect(isBlank('NA', { name: 'home', type: 'iso3' })).toBe(false);
    expect(isBlank('NA', { name: 'name_en', type: 'text' })).toBe(true);
    for (const v of ['N/A', 'n/a', '', '  ', '-', '无', null, undefined]) expect(isBlank(v, 'country_iso3'), String(v)).toBe(true);
    expect(isBlank('Namibia', 'country_iso3')).toBe(false);
    expect(isBlank(0)).toBe(false);
  });

  it('country lists keep NA', () => {
    expect(splitList('以色列、NA', 'partner_countries')).toEqual(['以色列', 'NA']);
    expect(splitList('以色列、NA')).toEqual(['以色列']);
  });
});

describe('partner roles', () => {
  const role = partnersDef.fields.find((f) => f.name === 'role')!;
  const read = (v: string) => {
    const r = enumValue(role, v);
    return r.ok ? r.value : r.issue.code;
  };

  it('every role of the CORDIS participation extract is accepted; associated and international partners are partners', () => {
    const rows = parse(fs.readFileSync(FP_PARTICIPATION), { columns: true, bom: true }) as Record<string, string>[];
    const roles = [...new Set(rows.map((r) => r.role))].sort();
    expect(roles).toEqual(expect.arrayContaining(['associatedPartner', 'internationalPartner']));
    const expected: Record<string, string> = { associatedPartner: 'partner', internationalPartner: 'partner', thirdParty: 'third_party' };
    for (const r of roles) expect(read(r), r).toBe(expected[r] ?? r);
  });

  it('also by their Chinese names; other words are refused', () => {
    for (const v of ['关联合作方', '国际合作方', 'Associated partner', 'international partner']) expect(read(v), v).toBe('partner');
    expect(read('牵头单位')).toBe('lead');
    expect(read('galactic overlord')).toBe('VALUE_NOT_ALLOWED');
  });
});

describe('orgRefFor', () => {
  it('a partner is domestic only when its row names China; other references without a country are domestic', () => {
    expect(orgRefFor('Lab', null, { partner: true, regionId: 7 })).toEqual({ name: 'Lab', country_iso3: null, domestic: false, region_id: null });
    expect(orgRefFor('Lab', 'DEU', { partner: true, regionId: 7 })).toEqual({ name: 'Lab', country_iso3: 'DEU', domestic: false, region_id: null });
    expect(orgRefFor('甲公司', 'CHN', { partner: true, regionId: 7 })).toEqual({ name: '甲公司', country_iso3: 'CHN', domestic: true, region_id: 7 });
    expect(orgRefFor('甲公司', null, { partner: false, regionId: 7 })).toEqual({ name: '甲公司', country_iso3: null, domestic: true, region_id: 7 });
    expect(orgRefFor('Lab', 'FRA', { partner: false, regionId: 7 })).toMatchObject({ domestic: false, region_id: null });
  });
});

describe.each(STORES)('partner rows on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
  });
  afterAll(async () => store?.close());

  const csv = (lines: string[]) => Buffer.from(lines.join('\n') + '\n', 'utf8');
  const org = async (name: string) =>
    (
      await store.db.query<{ country_iso3: string | null; domestic: boolean; region_id: number | null }>(
        'SELECT country_iso3, domestic, region_id FROM organizations WHERE coalesce(name_en, name_zh) = $1',
        [name],
      )
    )[0];

  it('imports Namibia, keeps partners without a country unknown, and leaves them out of the country network', async () => {
    const projects = await runImport(
      ctx,
      {
        fileName: 'projects.csv',
        buffer: csv(['项目编号,项目名称,合作国别,合作单位', 'T1,纳米比亚合作项目,以色列、NA,', 'T2,外方单位项目,,Foreign Lab A']),
      },
      { kind: 'projects', region: '常州' },
    );
    expect(projects.ok, JSON.stringify(projects.issues)).toBe(true);
    const partners = await runImport(
      ctx,
      {
        fileName: 'partners.csv',
        buffer: csv([
          '项目编号,合作单位,国别,角色',
          'T1,Windhoek Lab,NA,associatedPartner',
          'T1,常州甲公司,中国,coordinator',
          'T2,Lab Without Country,,internationalPartner',
          'T2,Lab Not Applicable,N/A,participant',
        ]),
      },
      { kind: 'partners' },
    );
    expect(partners.ok, JSON.stringify(partners.issues)).toBe(true);
    expect(partners.rows).toEqual({ read: 4, imported: 4, rejected: 0 });

    expect(await org('Windhoek Lab')).toEqual({ country_iso3: 'NAM', domestic: false, region_id: null });
    expect(await org('常州甲公司')).toMatchObject({ country_iso3: 'CHN', domestic: true });
    for (const name of ['Foreign Lab A', 'Lab Without Country', 'Lab Not Applicable']) {
      expect(await org(name), name).toEqual({ country_iso3: null, domestic: false, region_id: null });
    }
    const rows = await store.db.query<{ code: string; country: string | null; role: string }>(
      `SELECT p.code, pp.country_iso3 AS country, pp.role FROM project_partners pp JOIN projects p ON p.id = pp.project_id
        ORDER BY p.code, pp.country_iso3 NULLS LAST, pp.role COLLATE "C", pp.id`,
    );
    expect(rows).toEqual([
      { code: 'T1', country: 'CHN', role: 'coordinator' },
      { code: 'T1', country: 'ISR', role: 'partner' },
      { code: 'T1', country: 'NAM', role: 'partner' },
      { code: 'T1', country: 'NAM', role: 'partner' },
      { code: 'T2', country: null, role: 'participant' },
      { code: 'T2', country: null, role: 'partner' },
      { code: 'T2', country: null, role: 'partner' },
    ]);

    // T1: China, Israel and Namibia (twice); T2's three partners have no known country — not China.
    const net = await queryNetwork(ctx, { level: 'country', lead: false });
    expect(net.nodes.map((n) => n.id).sort()).toEqual(['CHN', 'ISR', 'NAM']);
    expect(net).toMatchObject({ edges: 3, projects: 1, skipped: 3 });
    const conc = await queryConcentration(ctx, { by: 'country', measure: 'participations', top: 1 });
    expect(Object.fromEntries(conc.members.map((m) => [m.iso3, m.participations]))).toEqual({ CHN: 1, ISR: 1, NAM: 2 });
    expect(conc.unassigned).toEqual({ value: 3, records: 3 });
  });

  it('an organisation file: "NA" is Namibia, not a blank country that would make it domestic', async () => {
    const r = await runImport(ctx, { fileName: 'orgs.csv', buffer: csv(['英文名称,国别', 'Namibia University of Science and Technology,NA']) }, { kind: 'organizations' });
    expect(r.ok, JSON.stringify(r.issues)).toBe(true);
    expect(await org('Namibia University of Science and Technology')).toMatchObject({ country_iso3: 'NAM', domestic: false });
  });
});
