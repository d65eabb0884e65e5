/**
 * /api/indicators on both stores: frameworks (JSON, YAML and COINr CSV files, versions), data
 * sets, runs with the CLI's options, results, "why this score", uncertainty, reproduction, XLSX
 * export, the AHP calculator (Saaty's published example), refusals and who may do what.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { sessionCookie } from '../auth/auth.testing.ts';
import { ASEM_DIR, readCsv } from './engine/asem.fixture.ts';
import { BUILTIN_DIR } from './indicators.demo.ts';

/** A multipart body with one file in the field "file". */
function multipart(name: string, content: Buffer) {
  const boundary = '----innolinkindicators';
  return {
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const COINR = { impute: 'groupMean:EurAsia_group', screen: 0.9, treat: 'winsorise:5', normalise: 'minmax', range: [0, 100], weights: 'meta', aggregate: 'arithmetic' };

describe.each(STORES)('/api/indicators on %s', (kind) => {
  let t: TestApp;
  const cookie: Record<string, string> = {};
  const as = (role: string, opts: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object | Buffer; headers?: Record<string, string> }) =>
    t.app.inject({ method: opts.method ?? 'GET', url: opts.url, payload: opts.payload, headers: { ...opts.headers, cookie: cookie[role] } });
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await testApp(kind);
    cookie.admin = t.cookie;
    for (const role of ['evaluator', 'bureau', 'district', 'reviewer', 'public'] as const) {
      cookie[role] = (await sessionCookie(t.store.db, { role, username: `ind-${role}`, ...(role === 'district' ? { region: '新北' } : role === 'bureau' ? { region: '常州' } : {}) })).cookie;
    }
  });
  afterAll(async () => t?.close());

  describe('frameworks', () => {
    it('imports the COINr ASEM iMeta CSV as an evaluator (201) with its four-level tree', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/indicators/frameworks/import?key=asem&name=${encodeURIComponent('ASEM 指数')}&label=COINr-1.1.14`,
        headers: { ...multipart('ASEM_iMeta.csv', fs.readFileSync(path.join(ASEM_DIR, 'ASEM_iMeta.csv'))).headers, cookie: cookie.evaluator },
        payload: multipart('ASEM_iMeta.csv', fs.readFileSync(path.join(ASEM_DIR, 'ASEM_iMeta.csv'))).payload,
      });
      expect(res.statusCode, res.body).toBe(201);
      const f = res.json();
      ids.asem = f.id;
      expect(f).toMatchObject({ key: 'asem', name: 'ASEM 指数', latest_version: 1, indicators: 49, builtin: false, version: { version: 1, label: 'COINr-1.1.14', source_file: 'ASEM_iMeta.csv', source_format: 'csv' } });
      expect(f.tree.code).toBe('Index');
      expect(f.tree.children.map((c: { code: string }) => c.code)).toEqual(['Conn', 'Sust']);
      expect(f.nodes.filter((n: { type: string }) => n.type === 'group').map((n: { code: string }) => n.code)).toEqual(['GDP_group', 'GDPpc_group', 'Pop_group', 'EurAsia_group']);
    });

    it('imports a YAML framework with its default methods, and lists it', async () => {
      const file = path.join(BUILTIN_DIR, 'gii-partner-innovation.yaml');
      const mp = multipart('gii.yaml', fs.readFileSync(file));
      const res = await t.app.inject({ method: 'POST', url: '/api/indicators/frameworks/import?key=gii', ...mp });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ key: 'gii', name: '合作国家创新水平（全球创新指数）', indicators: 7, version: { source_format: 'yaml', default_methods: { normalise: { method: 'goalposts', scale: 100 } } } });
      ids.gii = res.json().id;
      const list = (await t.app.inject({ url: '/api/indicators/frameworks' })).json();
      expect(list.items.map((f: { key: string }) => f.key)).toEqual(['asem', 'gii']);
    });

    it('imports an iMeta sheet from XLSX the way evaluators write it (Chinese sheet name, file order kept)', async () => {
      const rows = readCsv('ASEM_iMeta.csv');
      const cols = Object.keys(rows[0]);
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('指标体系');
      ws.addRow(cols);
      for (const r of rows) ws.addRow(cols.map((c) => (r[c] === '' ? null : /^-?\d+(\.\d+)?$/.test(r[c]) ? Number(r[c]) : r[c])));
      const mp = multipart('ASEM 指标体系.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      const res = await t.app.inject({ method: 'POST', url: '/api/indicators/frameworks/import?key=asem-xlsx', ...mp });
      expect(res.statusCode, res.body).toBe(201);
      const csv = (await t.app.inject({ url: `/api/indicators/frameworks/${ids.asem}` })).json();
      expect(res.json()).toMatchObject({ indicators: 49, version: { source_format: 'xlsx', source_file: 'ASEM 指标体系.xlsx' } });
      expect(res.json().nodes).toEqual(csv.nodes);
      expect((await as('admin', { method: 'DELETE', url: '/api/indicators/frameworks/asem-xlsx' })).statusCode).toBe(200);
    });

    it('creates a framework from JSON nodes, renames it, and saves an edit as version 2', async () => {
      const nodes = [
        { code: 'I', type: 'aggregate', name: '指数' },
        { code: 'a', parent: 'I', type: 'indicator', name: '甲', unit: '件' },
        { code: 'b', parent: 'I', type: 'indicator', name: '乙', direction: -1 },
      ];
      const res = await as('evaluator', { method: 'POST', url: '/api/indicators/frameworks', payload: { key: 'small', name: '小框架', nodes } });
      expect(res.statusCode, res.body).toBe(201);
      ids.small = res.json().id;
      const patch = await as('evaluator', { method: 'PATCH', url: `/api/indicators/frameworks/small`, payload: { name: '小框架（改）' } });
      expect(patch.json()).toMatchObject({ name: '小框架（改）', latest_version: 1 });
      const v2 = await as('evaluator', { method: 'POST', url: `/api/indicators/frameworks/${ids.small}/versions`, payload: { label: 'b ×2', nodes: nodes.map((n) => (n.code === 'b' ? { ...n, weight: 2 } : n)) } });
      expect(v2.statusCode).toBe(201);
      expect(v2.json()).toMatchObject({ latest_version: 2, version: { version: 2, label: 'b ×2' } });
      const versions = (await t.app.inject({ url: `/api/indicators/frameworks/${ids.small}/versions` })).json();
      expect(versions.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      const v1 = (await t.app.inject({ url: `/api/indicators/frameworks/${ids.small}?version=1` })).json();
      expect(v1.nodes.find((n: { code: string }) => n.code === 'b').weight).toBe(1);
    });

    it('answers bad frameworks with coded refusals (400, 404, 409, 422)', async () => {
      const bad = await t.app.inject({ method: 'POST', url: '/api/indicators/frameworks', payload: { key: 'Bad Key', name: 'x', nodes: [] } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
      const cyc = await t.app.inject({
        method: 'POST',
        url: '/api/indicators/frameworks',
        payload: { key: 'cyc', name: '循环', nodes: [{ code: 'I', type: 'aggregate' }, { code: 'x', parent: 'y', type: 'indicator' }, { code: 'y', parent: 'I', type: 'indicator' }] },
      });
      expect(cyc.statusCode).toBe(422);
      expect(cyc.json().error).toMatchObject({ code: 'PARENT_NOT_AGGREGATE', message: expect.stringMatching(/[\u4e00-\u9fff]/), message_en: expect.any(String) });
      const dup = await t.app.inject({ method: 'POST', url: '/api/indicators/frameworks', payload: { key: 'asem', name: 'x', nodes: [{ code: 'I', type: 'aggregate' }, { code: 'x', parent: 'I', type: 'indicator' }] } });
      expect([dup.statusCode, dup.json().error.code]).toEqual([409, 'FRAMEWORK_EXISTS']);
      const missing = await t.app.inject({ url: '/api/indicators/frameworks/nope' });
      expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'FRAMEWORK_NOT_FOUND']);
      const nofile = await t.app.inject({ method: 'POST', url: '/api/indicators/frameworks/import', payload: {} });
      expect([nofile.statusCode, nofile.json().error.code]).toEqual([400, 'FILE_MISSING']);
    });
  });

  describe('data sets and runs', () => {
    it('imports the ASEM iData CSV and a JSON data set', async () => {
      const mp = multipart('ASEM_iData.csv', fs.readFileSync(path.join(ASEM_DIR, 'ASEM_iData.csv')));
      const res = await t.app.inject({ method: 'POST', url: `/api/indicators/datasets/import?framework=${ids.asem}&name=ASEM2018`, headers: { ...mp.headers, cookie: cookie.evaluator }, payload: mp.payload });
      expect(res.statusCode, res.body).toBe(201);
      const d = res.json();
      ids.asemData = d.id;
      expect(d).toMatchObject({ name: 'ASEM2018', units: 51, source_file: 'ASEM_iData.csv', source_format: 'csv', group_columns: ['GDP_group', 'GDPpc_group', 'Pop_group', 'EurAsia_group'], panel: true });
      expect(d.columns).toHaveLength(53); // 4 denominators + 49 indicators
      expect(d.rows[0]).toMatchObject({ code: 'AUT', name: 'Austria', time: 2018, groups: { EurAsia_group: 'Europe' }, values: { LPI: 4.097985 } });
      const json = await as('evaluator', { method: 'POST', url: '/api/indicators/datasets', payload: { framework_id: ids.small, name: 'hand', rows: [{ uCode: 'P', a: 1, b: 5 }, { uCode: 'Q', a: 3, b: 1 }, { uCode: 'R', a: 2, b: null }] } });
      expect(json.statusCode, json.body).toBe(201);
      ids.smallData = json.json().id;
      expect(json.json()).toMatchObject({ source_format: 'api', units: 3, rows: [{ code: 'P', values: { a: 1, b: 5 } }, { code: 'Q' }, { code: 'R', values: { a: 2, b: null } }] });
      const list = (await t.app.inject({ url: `/api/indicators/datasets?framework=asem` })).json();
      expect(list.items.map((x: { id: number }) => x.id)).toEqual([ids.asemData]);
    });

    it('POST /api/indicators/runs with the CLI’s options reproduces COINr; GET returns the stored results', async () => {
      const res = await as('evaluator', { method: 'POST', url: '/api/indicators/runs', payload: { framework_id: ids.asem, dataset_id: ids.asemData, label: 'COINr', ...COINR } });
      expect(res.statusCode, res.body).toBe(201);
      const r = res.json();
      ids.run = r.id;
      expect(r).toMatchObject({ framework: { id: ids.asem, key: 'asem' }, version: 1, dataset: { id: ids.asemData }, units_in: 51, units_out: 51, replications: null, created_by: 'ind-evaluator' });
      expect(r.methods).toMatchObject({ impute: { method: 'groupMean', group: 'EurAsia_group' }, normalise: { method: 'minmax', range: [0, 100] }, screen: { threshold: 0.9 } });
      const ref = readCsv('ASEM_results_full.csv');
      const got = (await as('bureau', { url: `/api/indicators/runs/${r.id}` })).json();
      for (const row of ref) {
        const u = got.units.find((x: { unit: string }) => x.unit === row.uCode);
        expect(u.rank, row.uCode).toBe(Number(row.Rank));
        expect(Math.abs(u.score - Number(row.Index))).toBeLessThan(1e-8);
        expect(Math.abs(u.dimensions.Sust.score - Number(row.Sust))).toBeLessThan(1e-8);
      }
      expect(got.diagnostics).toBeUndefined();
      const withDiag = (await t.app.inject({ url: `/api/indicators/runs/${r.id}?diagnostics=1` })).json();
      expect(withDiag.diagnostics.provenance).toMatchObject({ framework_version: 'asem@v1', seed: r.seed, data_hash: r.data_hash });
      const list = (await t.app.inject({ url: '/api/indicators/runs?framework=asem' })).json();
      expect(list.items.map((x: { id: number }) => x.id)).toEqual([r.id]);
    });

    it('GET /runs/:id/explain: raw → normalised → weights → contributions that add up to the score', async () => {
      const res = await as('bureau', { url: `/api/indicators/runs/${ids.run}/explain?unit=CHN` });
      expect(res.statusCode, res.body).toBe(200);
      const e = res.json();
      expect(e).toMatchObject({ unit: 'CHN', rank: 49, additive: true, reproduced: true });
      expect(Math.round(e.score * 100) / 100).toBe(37.77); // SOURCES.md: CHN rank 49, 37.77
      expect(Math.abs(e.contributions_sum - e.score)).toBeLessThan(1e-9);
      const lpi = e.indicators.find((i: { code: string }) => i.code === 'LPI');
      // min–max to [0, 100] with the stored constants: (x − min)/(max − min)·100.
      const p = lpi.normalise_params;
      expect(lpi.normalised).toBeCloseTo(((lpi.treated - p.min) / (p.max - p.min)) * 100, 10);
      expect(lpi.contribution).toBeCloseTo(lpi.normalised * lpi.effective_weight, 12);
      const sustIndicators = e.indicators.filter((i: { parent: string }) => ['Environ', 'Social', 'SusEcFin'].includes(i.parent));
      const sust = e.nodes.find((n: { code: string }) => n.code === 'Sust');
      expect(sustIndicators.reduce((s: number, i: { contribution: number }) => s + i.contribution, 0)).toBeCloseTo(sust.contribution, 10);
      expect((await t.app.inject({ url: `/api/indicators/runs/${ids.run}/explain?unit=XXX` })).json().error.code).toBe('UNIT_NOT_IN_RUN');
      expect((await t.app.inject({ url: `/api/indicators/runs/${ids.run}/explain` })).statusCode).toBe(400);
    });

    it('runs with Monte-Carlo uncertainty: rank intervals, sensitivity, leave-one-out; reproducible bit for bit', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/indicators/runs', payload: { framework_id: ids.asem, dataset_id: ids.asemData, ...COINR, uncertainty: 200, perturb: 0.3, seed: 7 } });
      expect(res.statusCode, res.body).toBe(201);
      const r = res.json();
      expect(r.replications).toBe(200);
      expect(r.units.every((u: { rank_interval: number[] | null; rank: number }) => u.rank_interval !== null && u.rank_interval[0] <= u.rank_interval[1])).toBe(true);
      const u = (await t.app.inject({ url: `/api/indicators/runs/${r.id}/uncertainty` })).json();
      expect(u).toMatchObject({ run: r.id, seed: 7, replications: 200, factors: ['weights'], quantiles: [0.05, 0.95] });
      expect(u.units).toHaveLength(51);
      expect(u.leave_one_out).toHaveLength(49);
      expect(u.sensitivity).toHaveLength(1);
      const rep = (await t.app.inject({ url: `/api/indicators/runs/${r.id}/reproduce` })).json();
      expect(rep).toMatchObject({ run: r.id, reproduced: true, data_hash_matches: true, engine_version_matches: true, units_compared: 51, max_score_diff: 0, rank_differences: 0, interval_differences: 0 });
      const none = await t.app.inject({ url: `/api/indicators/runs/${ids.run}/uncertainty` });
      expect([none.statusCode, none.json().error.code]).toEqual([404, 'RUN_NO_UNCERTAINTY']);
    });

    it('exports a run as XLSX with one sheet per table', async () => {
      const res = await as('bureau', { url: `/api/indicators/runs/${ids.run}/export` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '结果 Results',
        '权重 Weights',
        '方法 Methods',
        '原始 Raw',
        '折算 Denominated',
        '插补 Imputed',
        '筛选 Screened',
        '处理 Treated',
        '标准化 Normalised',
        '汇总 Aggregated',
        '标准化参数 Norm params',
        '警告 Warnings',
      ]);
      const results = wb.getWorksheet('结果 Results')!;
      expect(results.rowCount).toBe(52);
      expect(results.getRow(2).values).toEqual(expect.arrayContaining([1, 'CHE']));
      expect(wb.getWorksheet('标准化 Normalised')!.rowCount).toBe(52);
    });

    it('refuses bad run options and unknown references with codes', async () => {
      const unknownField = await t.app.inject({ method: 'POST', url: '/api/indicators/runs', payload: { framework_id: ids.asem, dataset_id: ids.asemData, normalise: 'sigmoid' } });
      expect([unknownField.statusCode, unknownField.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
      const ahpless = await t.app.inject({ method: 'POST', url: '/api/indicators/runs', payload: { framework_id: ids.small, dataset_id: ids.smallData, weights: 'ahp' } });
      expect([ahpless.statusCode, ahpless.json().error.code]).toEqual([400, 'RUN_OPTIONS_INVALID']);
      const mismatch = await t.app.inject({ method: 'POST', url: '/api/indicators/runs', payload: { framework_id: ids.small, dataset_id: ids.asemData } });
      expect([mismatch.statusCode, mismatch.json().error.code]).toEqual([400, 'DATASET_FRAMEWORK_MISMATCH']);
      const inconsistent = await t.app.inject({
        method: 'POST',
        url: '/api/indicators/runs',
        payload: { framework_id: ids.small, dataset_id: ids.smallData, weights: 'ahp', ahp: [{ parent: 'I', codes: ['a', 'b'], matrix: [[1, 0], [0, 1]] }] },
      });
      expect([inconsistent.statusCode, inconsistent.json().error.code]).toEqual([422, 'AHP_SINGULAR']);
      const noVersion = await t.app.inject({ method: 'POST', url: '/api/indicators/runs', payload: { framework_id: ids.small, version: 9, dataset_id: ids.smallData } });
      expect([noVersion.statusCode, noVersion.json().error.code]).toEqual([404, 'FRAMEWORK_VERSION_NOT_FOUND']);
      expect((await t.app.inject({ url: '/api/indicators/runs/999999' })).json().error.code).toBe('RUN_NOT_FOUND');
    });
  });

  describe('POST /api/indicators/ahp', () => {
    it("reproduces Saaty's drink-consumption example (weights and CR = 0.022)", async () => {
      // Saaty (2008), Int. J. Services Sciences 1(1): priorities .177 .019 .042 .116 .190 .129 .327, CR 0.022.
      const codes = ['coffee', 'wine', 'tea', 'beer', 'sodas', 'milk', 'water'];
      const matrix = [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
      ];
      const res = await as('bureau', { method: 'POST', url: '/api/indicators/ahp', payload: { codes, matrix } });
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json();
      expect(codes.map((c) => Math.round(r.weights[c] * 1000) / 1000)).toEqual([0.177, 0.019, 0.042, 0.116, 0.19, 0.129, 0.327]);
      expect(Math.round(r.cr * 1000) / 1000).toBe(0.022);
      expect(r).toMatchObject({ ri: 1.32, threshold: 0.1, consistent: true });
    });

    it('reports an inconsistent matrix (CR ≥ 0.1) without refusing, and refuses a singular one (422)', async () => {
      const circular = await t.app.inject({ method: 'POST', url: '/api/indicators/ahp', payload: { codes: ['a', 'b', 'c'], comparisons: [{ a: 'a', b: 'b', value: 9 }, { a: 'b', b: 'c', value: 9 }, { a: 'c', b: 'a', value: 9 }] } });
      expect(circular.statusCode).toBe(200);
      expect(circular.json().consistent).toBe(false);
      expect(circular.json().cr).toBeGreaterThan(0.1);
      const partial = await t.app.inject({ method: 'POST', url: '/api/indicators/ahp', payload: { codes: ['a', 'b', 'c'], comparisons: [{ a: 'a', b: 'b', value: 3 }] } });
      expect([partial.statusCode, partial.json().error.code]).toEqual([422, 'AHP_SINGULAR']);
      const both = await t.app.inject({ method: 'POST', url: '/api/indicators/ahp', payload: { codes: ['a'] } });
      expect(both.statusCode).toBe(400);
    });
  });

  describe('POST /api/indicators/ahp/table', () => {
    const upload = (name: string, content: string) => {
      const boundary = '----ahp';
      return {
        method: 'POST' as const,
        url: '/api/indicators/ahp/table',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`),
      };
    };

    it('reads a table of judgements into matrices with their weights and CR, as the JSON route computes them', async () => {
      const res = await as('evaluator', upload('weights.csv', 'I,a,b,c\na,1,2,4\nb,1/2,1,2\nc,1/4,1/2,1\n'));
      expect(res.statusCode, res.body).toBe(200);
      const [m] = res.json().matrices;
      expect(m.parent).toBe('I');
      const json = (await as('evaluator', { method: 'POST', url: '/api/indicators/ahp', payload: { codes: m.codes, matrix: m.matrix } })).json();
      expect(m.result).toEqual(json);
      // a is twice b and four times c: 4/7, 2/7, 1/7.
      expect(['a', 'b', 'c'].map((c) => Math.round(m.result.weights[c] * 1e4) / 1e4)).toEqual([0.5714, 0.2857, 0.1429]);
    });

    it('answers a badly formed table with every problem at its row and column (400)', async () => {
      const res = await as('evaluator', upload('weights.csv', 'I,a,b\na,1,3\nb,0.5,1\n'));
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'AHP_FILE_INVALID', details: [{ code: 'AHP_NOT_RECIPROCAL', row: 3, column: 'a' }] });
    });
  });

  describe('access', () => {
    it('bureau reads but cannot write; district, reviewer and public get 403; no session 401', async () => {
      expect((await as('bureau', { url: '/api/indicators/frameworks' })).statusCode).toBe(200);
      expect((await as('bureau', { url: `/api/indicators/runs/${ids.run}` })).statusCode).toBe(200);
      const write = await as('bureau', { method: 'POST', url: '/api/indicators/runs', payload: { framework_id: ids.small, dataset_id: ids.smallData } });
      expect([write.statusCode, write.json().error.code]).toEqual([403, 'FORBIDDEN']);
      expect((await as('bureau', { method: 'PATCH', url: '/api/indicators/frameworks/small', payload: { name: 'x' } })).statusCode).toBe(403);
      for (const role of ['district', 'reviewer', 'public']) {
        for (const url of ['/api/indicators/frameworks', `/api/indicators/runs/${ids.run}`, `/api/indicators/runs/${ids.run}/explain?unit=CHE`, '/api/indicators/datasets']) {
          expect((await as(role, { url })).statusCode, `${role} ${url}`).toBe(403);
        }
        expect((await as(role, { method: 'POST', url: '/api/indicators/ahp', payload: { codes: ['a'], matrix: [[1]] } })).statusCode).toBe(403);
      }
      expect((await t.anon({ url: '/api/indicators/frameworks' })).statusCode).toBe(401);
    });

    it('evaluators write but do not delete; administrators delete, refused while a run rests on the data', async () => {
      const r = await as('evaluator', { method: 'POST', url: '/api/indicators/runs', payload: { framework_id: ids.small, dataset_id: ids.smallData } });
      expect(r.statusCode).toBe(201);
      // Version 2 weights b twice: P a 0 b 0 → 0; Q a 1 b 1 → 1; R a .5 (b missing) → .5.
      const units = r.json().units as { unit: string; score: number }[];
      expect(units.map((u) => u.unit)).toEqual(['Q', 'R', 'P']);
      [1, 0.5, 0].forEach((x, i) => expect(units[i].score).toBeCloseTo(x, 14));
      expect((await as('evaluator', { method: 'DELETE', url: `/api/indicators/runs/${r.json().id}` })).statusCode).toBe(403);
      const inUse = await as('admin', { method: 'DELETE', url: `/api/indicators/datasets/${ids.smallData}` });
      expect([inUse.statusCode, inUse.json().error.code]).toEqual([409, 'DATASET_IN_USE']);
      expect((await as('admin', { method: 'DELETE', url: `/api/indicators/runs/${r.json().id}` })).json()).toEqual({ deleted: r.json().id });
      expect((await as('admin', { method: 'DELETE', url: `/api/indicators/datasets/${ids.smallData}` })).statusCode).toBe(200);
      expect((await as('admin', { method: 'DELETE', url: '/api/indicators/frameworks/small' })).json()).toEqual({ deleted: 'small' });
      expect((await t.app.inject({ url: '/api/indicators/frameworks/small' })).statusCode).toBe(404);
      const audit = await t.store.db.query<{ action: string; entity: string; actor: string }>(`SELECT action, entity, actor FROM audit_log WHERE entity LIKE 'indicator_%' ORDER BY seq`);
      expect(audit.some((a) => a.entity === 'indicator_run' && a.action === 'create' && a.actor === 'ind-evaluator')).toBe(true);
      expect(audit.filter((a) => a.action === 'delete').map((a) => a.entity)).toEqual(['indicator_framework', 'indicator_run', 'indicator_dataset', 'indicator_framework']);
    });
  });
});
