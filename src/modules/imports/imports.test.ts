import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { loadDemo } from '../../demo/demo.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testConfig } from '../../../test/app.ts';
import { seedPath, seedRows } from '../../../test/seed.ts';
import { STORES, freshStore, type TestStore } from '../../../test/stores.ts';
import { queryFunding } from '../query/funding.service.ts';
import { runImport } from './imports.service.ts';
import { undoImport } from './imports.undo.ts';

const DISTRICT_FILE = 'changzhou_district_funding_2011_2014.csv';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-import-'));

function writeTmp(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

async function counts(ctx: ServiceContext) {
  const rows = await ctx.db.query<{ t: string; n: number }>(
    `SELECT 'funding' AS t, count(*)::int AS n FROM funding UNION ALL SELECT 'projects', count(*)::int FROM projects
     UNION ALL SELECT 'regions', count(*)::int FROM admin_regions UNION ALL SELECT 'facts', count(*)::int FROM facts
     UNION ALL SELECT 'orgs', count(*)::int FROM organizations UNION ALL SELECT 'partners', count(*)::int FROM project_partners
     UNION ALL SELECT 'indicators', count(*)::int FROM country_indicators`,
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

describe.each(STORES)('import on %s', (kind) => {
  let store: TestStore;
  let ctx: ServiceContext;
  beforeAll(async () => {
    store = await freshStore(kind);
    ctx = { db: store.db, config: testConfig(), actor: systemActor('test') };
  });
  afterAll(async () => store?.close());

  describe('the seed tables', () => {
    let results: Awaited<ReturnType<typeof loadDemo>>;
    beforeAll(async () => {
      results = await loadDemo(store.db, ctx.config);
    });
    const issuesOf = (file: string) => results.find((r) => r.file === file)!.result.issues;

    it('all import', () => {
      expect(results.length).toBeGreaterThanOrEqual(7);
      for (const r of results) expect(r.result.ok, `${r.file}: ${JSON.stringify(r.result.issues.filter((i) => i.severity === 'error'))}`).toBe(true);
    });

    it('reproduce the district table by region and year (002 表2)', async () => {
      const table = seedRows(DISTRICT_FILE);
      const years = Object.keys(table[0]).filter((k) => /^\d{4}$/.test(k));
      const districts = table.filter((r) => r['辖区'] !== '合计');
      const res = await queryFunding(ctx, { by: ['region', 'year'] });
      for (const d of districts) {
        for (const y of years) {
          const row = res.rows.find((r) => r.region === d['辖区'] && r.year === Number(y));
          const stated = Number(d[y]);
          if (stated === 0) expect(row?.amount ?? 0).toBe(0);
          else expect(row?.amount, `${d['辖区']} ${y}`).toBe(stated);
        }
      }
      const byRegion = await queryFunding(ctx, { by: ['region'] });
      for (const d of districts) expect(byRegion.rows.find((r) => r.region === d['辖区'])?.amount).toBe(Number(d['合计']));
      const byYear = await queryFunding(ctx, { by: ['year'] });
      const totalRow = table.find((r) => r['辖区'] === '合计')!;
      expect(byYear.rows.map((r) => r.amount)).toEqual(years.map((y) => Number(totalRow[y])));
      expect(byYear.total).toBe(Number(totalRow['合计']));
    });

    it('add the units that are not districts under 常州, with a warning each', () => {
      const added = issuesOf(DISTRICT_FILE).filter((i) => i.code === 'REGION_ADDED');
      expect(added.map((i) => i.value).sort()).toEqual(['市直属', '戚墅堰', '科教城'].sort());
      for (const i of added) expect(i.severity).toBe('warning');
    });

    it('report the stated 18176 against the 13176 imported (002 §2.3 vs 表2)', () => {
      const stated = Number(seedRows('changzhou_partner_country_concentration.csv').find((r) => r['指标'] === '项目总经费')!['数值']);
      const computed = Number(seedRows(DISTRICT_FILE).find((r) => r['辖区'] === '合计')!['合计']);
      const mismatch = issuesOf('changzhou_partner_country_concentration.csv').filter((i) => i.code === 'TOTAL_MISMATCH');
      expect(mismatch).toHaveLength(1);
      expect(mismatch[0]).toMatchObject({ severity: 'warning', stated, computed });
    });

    it('report project lists that disagree with the counts beside them (002 表1)', () => {
      const listed = seedRows('changzhou_key_country_projects.csv');
      const summary = seedRows('changzhou_key_country_summary.csv');
      const mismatches = issuesOf('changzhou_key_country_summary.csv').filter((i) => i.code === 'COUNT_MISMATCH');
      const expected = summary.filter((s) => listed.filter((p) => p['国别'] === s['国别']).length !== Number(s['项目数']));
      expect(mismatches.map((m) => m.computed).sort()).toEqual(expected.map((s) => listed.filter((p) => p['国别'] === s['国别']).length).sort());
      const incomplete = issuesOf('changzhou_key_country_summary.csv').filter((i) => i.code === 'LIST_INCOMPLETE');
      expect(incomplete.length).toBeGreaterThanOrEqual(3);
    });

    it('leave 西奈半岛 unresolved with Egypt suggested, and resolve the short names', async () => {
      const unresolved = issuesOf('belt_and_road_gii2022_rank_bands.csv').filter((i) => i.code === 'COUNTRY_UNRESOLVED');
      expect(unresolved.map((i) => i.value)).toEqual(['西奈半岛']);
      expect((unresolved[0].suggestions as { iso3: string }[])[0].iso3).toBe('EGY');
      const bands = await store.db.query<{ value_text: string; n: number }>(
        `SELECT value_text, count(*)::int AS n FROM country_indicators WHERE indicator = 'gii_rank_band' AND year = 2022 GROUP BY value_text`,
      );
      const fromFile = seedRows('belt_and_road_gii2022_rank_bands.csv').filter((r) => r['国家'] !== '西奈半岛');
      for (const b of bands) expect(b.n).toBe(fromFile.filter((r) => r['GII2022排名区间'] === b.value_text).length);
      expect(bands.reduce((s, b) => s + b.n, 0)).toBe(fromFile.length);
    });

    it('change nothing when imported again', async () => {
      const before = await counts(ctx);
      const again = await runImport(ctx, { fileName: DISTRICT_FILE, path: seedPath(DISTRICT_FILE) }, { kind: 'funding', region: '常州' });
      expect(again.ok).toBe(true);
      expect(again.changes).toEqual({ inserted: 0, updated: 0, unchanged: again.rows.imported > 0 ? again.changes!.unchanged : 0 });
      expect(again.changes!.unchanged).toBeGreaterThan(0);
      expect(await counts(ctx)).toEqual(before);
    });
  });

  describe('bad input', () => {
    const header = '辖区,2011,2012,合计\n';

    it('writes nothing when a row is bad, and says where', async () => {
      const before = await counts(ctx);
      const file = writeTmp('bad.csv', `${header}天宁,10,20,30\n钟楼,-5,abc,0\n`);
      const res = await runImport(ctx, { fileName: 'bad.csv', path: file }, { kind: 'funding', region: '常州' });
      expect(res.ok).toBe(false);
      expect(res.rows.imported).toBe(0);
      const errors = res.issues.filter((i) => i.severity === 'error');
      expect(errors.map((e) => [e.row, e.column, e.code])).toEqual(
        expect.arrayContaining([
          [3, '2011', 'NUMBER_NEGATIVE'],
          [3, '2012', 'NUMBER_INVALID'],
        ]),
      );
      for (const e of errors) {
        expect(e.message).toMatch(/[\u4e00-\u9fff]/);
        expect(e.message_en).toMatch(/[a-z]/);
      }
      expect(await counts(ctx)).toEqual(before);
    });

    it('imports only the valid rows with keepValid', async () => {
      const file = writeTmp('mixed.csv', `辖区,2020\n天宁,10\n钟楼,-5\n`);
      const res = await runImport(ctx, { fileName: 'mixed.csv', path: file }, { kind: 'funding', region: '常州', keepValid: true });
      expect(res.ok).toBe(true);
      expect(res.rows).toEqual({ read: 2, imported: 1, rejected: 1 });
      const q = await queryFunding(ctx, { by: ['region'], from: 2020, to: 2020 });
      expect(q.rows).toEqual([{ region: '天宁', amount: 10, records: 1 }]);
    });

    it('writes nothing on a dry run but reports what it would do', async () => {
      const before = await counts(ctx);
      const file = writeTmp('dry.csv', `辖区,2021\n天宁,7\n某新园区,3\n`);
      const res = await runImport(ctx, { fileName: 'dry.csv', path: file }, { kind: 'funding', region: '常州', dryRun: true });
      expect(res.ok).toBe(true);
      expect(res.dry_run).toBe(true);
      expect(res.changes?.inserted).toBe(2);
      expect(res.issues.map((i) => i.code)).toContain('REGION_ADDED');
      expect(await counts(ctx)).toEqual(before);
    });

    it('reports a stated total that disagrees, as a warning', async () => {
      // 钟楼's row total says 6 where 2 + 3 = 5; the grand total repeats the error.
      const file = writeTmp('total.csv', `辖区,2018,2019,合计\n天宁,4,6,10\n钟楼,2,3,6\n合计,6,9,16\n`);
      const res = await runImport(ctx, { fileName: 'total.csv', path: file }, { kind: 'funding', region: '常州', dryRun: true });
      expect(res.ok).toBe(true);
      const mismatch = res.issues.filter((i) => i.code === 'TOTAL_MISMATCH');
      expect(mismatch.find((i) => i.row === 3)).toMatchObject({ row: 3, column: '合计', severity: 'warning', stated: 6, computed: 5 });
      for (const m of mismatch) expect(m.severity).toBe('warning');
      expect(res.rows.imported).toBe(2);
    });

    it('reads a GBK file as its UTF-8 twin', async () => {
      const text = fs.readFileSync(seedPath(DISTRICT_FILE), 'utf8').replace(/^\uFEFF/, '');
      const file = writeTmp('gbk.csv', iconv.encode(text, 'gbk'));
      const res = await runImport(ctx, { fileName: 'gbk.csv', path: file }, { kind: 'funding', region: '常州', dryRun: true });
      expect(res.ok).toBe(true);
      expect(res.changes).toMatchObject({ inserted: 0, updated: 0 });
      expect(res.rows.read).toBe(seedRows(DISTRICT_FILE).length - 1);
    });

    it('reads the same table from XLSX', async () => {
      const rows = seedRows(DISTRICT_FILE);
      // Keep the file's column order (object keys would put the year columns first).
      const header = fs.readFileSync(seedPath(DISTRICT_FILE), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].split(',');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('表2');
      ws.addRow(header);
      for (const r of rows) ws.addRow(header.map((h, i) => (i === 0 ? r[h] : Number(r[h]))));
      const file = path.join(tmp, 'district.xlsx');
      await wb.xlsx.writeFile(file);
      const res = await runImport(ctx, { fileName: 'district.xlsx', path: file }, { kind: 'funding', region: '常州', dryRun: true });
      expect(res.ok).toBe(true);
      expect(res.changes).toMatchObject({ inserted: 0, updated: 0 });
    });

    it('reads numbers written as text, saying so, and refuses duplicate keys', async () => {
      const text = '项目编号,年份,金额\n"P-1","2022","1,234.5"\n"P-1","2022","12万元"\n';
      const proj = writeTmp('p.csv', '项目编号,项目名称\nP-1,某合作项目\n');
      expect((await runImport(ctx, { fileName: 'p.csv', path: proj }, { kind: 'projects', dryRun: false })).ok).toBe(true);
      const res = await runImport(ctx, { fileName: 'dup.csv', path: writeTmp('dup.csv', text) }, { kind: 'funding', dryRun: true });
      expect(res.ok).toBe(false);
      expect(res.issues.filter((i) => i.code === 'NUMBER_AS_TEXT_NORMALISED').map((i) => [i.row, i.column, i.severity])).toEqual([
        [2, '金额', 'warning'],
        [3, '金额', 'warning'],
      ]);
      expect(res.issues.find((i) => i.code === 'DUPLICATE_KEY')).toMatchObject({ row: 3, severity: 'error' });
      const single = await runImport(ctx, { fileName: 'one.csv', path: writeTmp('one.csv', '项目编号,年份,金额\nP-1,2022,"1,234.5"\n') }, { kind: 'funding', dryRun: true });
      expect(single.ok).toBe(true);
    });

    it('refuses a record whose identifier another record holds, naming it', async () => {
      const a = writeTmp('o1.csv', '机构名称,统一社会信用代码\n常州甲科技有限公司,91320400MA1XXXXXX1\n');
      expect((await runImport(ctx, { fileName: 'o1.csv', path: a }, { kind: 'organizations' })).ok).toBe(true);
      const b = writeTmp('o2.csv', '机构名称,统一社会信用代码\n常州乙科技有限公司,91320400MA1XXXXXX1\n');
      const res = await runImport(ctx, { fileName: 'o2.csv', path: b }, { kind: 'organizations' });
      expect(res.ok).toBe(false);
      expect(res.issues[0]).toMatchObject({ row: 2, code: 'UNIQUE_CONFLICT', severity: 'error', column: '统一社会信用代码' });
    });

    it('adds a new organisation whose name is close to a registered one, with the candidates as a warning', async () => {
      const orgs = writeTmp('orgs.csv', '机构名称,国别\n英国牛津大学,英国\nEMAG Holding GmbH,德国\n');
      expect((await runImport(ctx, { fileName: 'orgs.csv', path: orgs }, { kind: 'organizations' })).ok).toBe(true);
      const projects = writeTmp('pp.csv', '项目编号,项目名称,国别,合作单位\nSIM-1,超临界流体结晶联合研发,英国,牛津大学\nSIM-2,数控机床合作研发,德国,EMAG Holding\n');
      const res = await runImport(ctx, { fileName: 'pp.csv', path: projects }, { kind: 'projects', dryRun: true });
      expect(res.ok).toBe(true);
      const similar = res.issues.filter((i) => i.code === 'ORG_SIMILAR');
      expect(similar.map((i) => [i.row, i.severity])).toEqual([
        [2, 'warning'],
        [3, 'warning'],
      ]);
      expect((similar[0].suggestions as { name: string }[])[0].name).toBe('英国牛津大学');
    });

    it('refuses a file over the size limit without reading it', async () => {
      const small = { ...ctx, config: { ...ctx.config, maxImportBytes: 100 } };
      const res = await runImport(small, { fileName: 'big.csv', path: writeTmp('big.csv', `辖区,2011\n${'天宁,1\n'.repeat(50)}`) }, { kind: 'funding' });
      expect(res.ok).toBe(false);
      expect(res.issues[0].code).toBe('FILE_TOO_LARGE');
    });

    it('refuses an empty file and a file with no recognisable columns', async () => {
      const empty = await runImport(ctx, { fileName: 'e.csv', path: writeTmp('e.csv', '') }, { kind: 'funding' });
      expect(empty.ok).toBe(false);
      expect(empty.issues[0].code).toMatch(/EMPTY/);
      const noCols = await runImport(ctx, { fileName: 'n.csv', path: writeTmp('n.csv', 'foo,bar\n1,2\n') }, { kind: 'projects' });
      expect(noCols.ok).toBe(false);
      expect(noCols.issues.map((i) => i.code)).toContain('COLUMN_MISSING');
    });
  });

  describe('undo', () => {
    it('takes an import back as one batch', async () => {
      const before = await counts(ctx);
      const file = writeTmp('undo.csv', `项目编号,项目名称,国别\nU-1,无线传感器网络联合研发,德国\nU-2,光伏电池合作开发,以色列\n`);
      const res = await runImport(ctx, { fileName: 'undo.csv', path: file }, { kind: 'projects', region: '常州' });
      expect(res.ok).toBe(true);
      expect((await counts(ctx)).projects).toBe(before.projects + 2);
      const undone = await undoImport(ctx, res.import_id!);
      expect(undone.deleted.projects).toBe(2);
      expect(await counts(ctx)).toEqual(before);
      await expect(undoImport(ctx, res.import_id!)).rejects.toMatchObject({ code: 'IMPORT_NOT_UNDOABLE' });
    });

    it('restores the records an import updated', async () => {
      const a = writeTmp('u1.csv', `辖区,2030\n天宁,100\n`);
      const b = writeTmp('u2.csv', `辖区,2030\n天宁,250\n`);
      await runImport(ctx, { fileName: 'u1.csv', path: a }, { kind: 'funding', region: '常州' });
      const second = await runImport(ctx, { fileName: 'u2.csv', path: b }, { kind: 'funding', region: '常州' });
      expect(second.changes).toMatchObject({ inserted: 0, updated: 1 });
      expect((await queryFunding(ctx, { by: ['year'], from: 2030, to: 2030 })).total).toBe(250);
      await undoImport(ctx, second.import_id!);
      expect((await queryFunding(ctx, { by: ['year'], from: 2030, to: 2030 })).total).toBe(100);
    });
  });
});
