/**
 * `innolink eval run` end to end: the COINr ASEM example build reproduced through the CLI, and a
 * refusal, and AHP judgements written as a table. Each spawn costs a second or two, so three of them.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ASEM_DIR, readCsv } from './engine/asem.fixture.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const META = '../shared/data/composite_reference/coinr_asem/ASEM_iMeta.csv';
const DATA = '../shared/data/composite_reference/coinr_asem/ASEM_iData.csv';

async function cli(...args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, ['bin/innolink.mjs', 'eval', 'run', ...args], { cwd: ROOT, env: { ...process.env, INNOLINK_DEMO: '0' }, timeout: 60_000 });
    return { stdout, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; code?: number };
    return { stdout: err.stdout ?? '', code: typeof err.code === 'number' ? err.code : -1 };
  }
}

describe('innolink eval run (CLI)', () => {
  it('reproduces the COINr ASEM build: scores to 2 d.p., identical ranks, the JSON contract', async () => {
    const { stdout, code } = await cli(
      '--framework', META, '--data', DATA,
      // COINr build_example_coin(): denominate (iMeta default), group means by EurAsia_group,
      // screen at 90 % availability, winsorise (winmax 5), min–max [0, 100], arithmetic, iMeta weights.
      '--impute', 'groupMean:EurAsia_group', '--screen', '0.9', '--treat', 'winsorise:5',
      '--normalise', 'minmax', '--range', '0,100', '--weights', 'meta', '--aggregate', 'arithmetic',
      '--json',
    );
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['units', 'weights', 'diagnostics']);
    for (const u of out.units) expect(Object.keys(u)).toEqual(['unit', 'score', 'rank', 'rank_interval', 'dimensions']);
    expect(out.units.slice(0, 3).map((u: { unit: string; score: number }) => [u.unit, Math.round(u.score * 100) / 100])).toEqual([
      ['CHE', 68.38],
      ['NLD', 64.82],
      ['DNK', 64.8],
    ]);
    const ref = readCsv('ASEM_results_full.csv');
    expect(out.units).toHaveLength(ref.length);
    for (const row of ref) {
      const u = out.units.find((x: { unit: string }) => x.unit === row.uCode);
      expect(u, row.uCode).toBeDefined();
      expect(u.rank, row.uCode).toBe(Number(row.Rank));
      expect(Math.abs(u.score - Number(row.Index)), row.uCode).toBeLessThan(1e-8);
      expect(u.rank_interval).toBeNull();
      expect(Math.abs(u.dimensions.Conn.score - Number(row.Conn)), row.uCode).toBeLessThan(1e-8);
    }
    // 49 indicators; effective weights sum to 1.
    const w = Object.values(out.weights) as number[];
    expect(w).toHaveLength(49);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(out.diagnostics.provenance.methods.impute).toEqual({ method: 'groupMean', group: 'EurAsia_group' });
    expect(out.diagnostics.input.data).toMatchObject({ file: 'ASEM_iData.csv', rows: 51 });
  });

  it('refuses a data column the framework does not define (exit 1, coded error)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-eval-'));
    try {
      const lines = fs.readFileSync(path.join(ASEM_DIR, 'ASEM_iData.csv'), 'utf8').trimEnd().split(/\r?\n/);
      const bad = path.join(dir, 'iData_bad.csv');
      fs.writeFileSync(bad, lines.map((l, i) => `${l},${i === 0 ? '"Bogus"' : i}`).join('\n') + '\n');
      const { stdout, code } = await cli('--framework', META, '--data', bad, '--json');
      expect(code).toBe(1);
      const out = JSON.parse(stdout);
      expect(out.error).toMatchObject({ code: 'UNKNOWN_INDICATOR', details: [{ column: 'Bogus', code: 'UNKNOWN_INDICATOR' }] });
      expect(out.error.message_en).toContain('Bogus');
      expect(out.error.message).toContain('Bogus');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes AHP judgements as a CSV table (--weights ahp:FILE.csv): Connectivity three times Sustainability', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-eval-'));
    try {
      const table = path.join(dir, 'index-judgements.csv');
      // The evaluator's table: the parent in the corner, 3 above the diagonal, the reciprocal left empty.
      fs.writeFileSync(table, 'Index,Conn,Sust\nConn,1,3\nSust,,1\n');
      const { stdout, code } = await cli('--framework', META, '--data', DATA, '--weights', `ahp:${table}`, '--json');
      expect(code, stdout).toBe(0);
      const out = JSON.parse(stdout) as { weights: Record<string, number> };
      // Which indicators lie under Connectivity, from the iMeta file's parent column.
      const meta = readCsv('ASEM_iMeta.csv');
      const parent = new Map(meta.map((r) => [r.iCode, r.Parent]));
      const under = (code: string, top: string): boolean => (code === top ? true : parent.get(code) ? under(parent.get(code)!, top) : false);
      const conn = Object.entries(out.weights).filter(([c]) => under(c, 'Conn')).reduce((a, [, w]) => a + w, 0);
      const sust = Object.entries(out.weights).filter(([c]) => under(c, 'Sust')).reduce((a, [, w]) => a + w, 0);
      // A 2 × 2 matrix [[1, 3], [1/3, 1]] gives 3/4 and 1/4.
      expect(conn).toBeCloseTo(0.75, 10);
      expect(sust).toBeCloseTo(0.25, 10);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
