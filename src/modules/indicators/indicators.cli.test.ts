/**
 * `innolink eval run --save`, `eval show`, `eval reproduce` and a YAML framework through
 * `eval run`, end to end on an embedded store in a temporary folder.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ASEM_DIR } from './engine/asem.fixture.ts';
import { BUILTIN_DIR } from './indicators.demo.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-eval-store-'));

async function cli(...args: string[]): Promise<{ out: Record<string, unknown> & { error?: { code: string } }; code: number }> {
  try {
    const { stdout } = await run(process.execPath, ['bin/innolink.mjs', 'eval', ...args], { cwd: ROOT, env: { ...process.env, INNOLINK_DEMO: '0', INNOLINK_DATA: DATA, DATABASE_URL: '' }, timeout: 120_000 });
    return { out: JSON.parse(stdout), code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; code?: number };
    return { out: JSON.parse(err.stdout || '{}'), code: typeof err.code === 'number' ? err.code : -1 };
  }
}

describe('innolink eval (stored runs)', () => {
  afterAll(() => fs.rmSync(DATA, { recursive: true, force: true }));

  it('eval run --save keeps the contract, stores the run, and `eval show` / `eval reproduce` read it back', async () => {
    const saved = await cli(
      'run', '--framework', path.join(ASEM_DIR, 'ASEM_iMeta.csv'), '--data', path.join(ASEM_DIR, 'ASEM_iData.csv'),
      '--impute', 'groupMean:EurAsia_group', '--screen', '0.9', '--treat', 'winsorise:5', '--normalise', 'minmax', '--range', '0,100',
      '--save', '--key', 'asem', '--label', 'COINr', '--json',
    );
    expect(saved.code).toBe(0);
    expect(Object.keys(saved.out)).toEqual(['units', 'weights', 'diagnostics']);
    const units = saved.out.units as { unit: string; score: number; rank: number }[];
    expect(units.slice(0, 3).map((u) => [u.unit, Math.round(u.score * 100) / 100])).toEqual([['CHE', 68.38], ['NLD', 64.82], ['DNK', 64.8]]);
    const diag = saved.out.diagnostics as { saved: { run: number; framework: string; version: number; dataset: number }; provenance: { data_hash: string } };
    expect(diag.saved).toMatchObject({ run: 1, framework: 'asem', version: 1, dataset: 1 });

    const shown = await cli('show', '1', '--json');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatchObject({ id: 1, label: 'COINr', framework: { key: 'asem' }, data_hash: diag.provenance.data_hash });
    expect((shown.out.units as { unit: string; score: number }[]).map((u) => [u.unit, u.score])).toEqual(units.map((u) => [u.unit, u.score]));

    const rep = await cli('reproduce', '1', '--json');
    expect(rep.code).toBe(0);
    expect(rep.out).toMatchObject({ run: 1, reproduced: true, units_compared: 51 });

    const missing = await cli('show', '99', '--json');
    expect(missing.code).toBe(1);
    expect(missing.out.error).toMatchObject({ code: 'RUN_NOT_FOUND' });
    // The first command creates and migrates the embedded store: slow on a busy machine.
  }, 240_000);

  it('eval run reads a YAML framework and applies its default methods (GII 2022 goalposts)', async () => {
    const r = await cli('run', '--framework', path.join(BUILTIN_DIR, 'gii-partner-innovation.yaml'), '--data', path.join(BUILTIN_DIR, 'gii_2022_pillars.csv'), '--json');
    expect(r.code).toBe(0);
    const units = r.out.units as { unit: string; score: number }[];
    // WIPO GII 2022: Switzerland 64.6, USA 61.8, Sweden 61.6 (pillars averaged as WIPO defines it).
    expect(units.slice(0, 3).map((u) => [u.unit, Math.round(u.score * 10) / 10])).toEqual([['CHE', 64.6], ['USA', 61.8], ['SWE', 61.6]]);
  });
});
