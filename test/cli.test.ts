/**
 * The CLI contracts other checks rely on: `import … --json`, `query funding … --json`, exit
 * codes (0 ok, 1 refused, 2 bad usage), and the lock on the embedded data folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPath, seedRows } from './seed.ts';
import { freshStore, type TestStore } from './stores.ts';

const BIN = path.resolve(import.meta.dirname, '..', 'bin', 'innolink.mjs');

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, INNOLINK_DEMO: '0', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

describe('innolink CLI', () => {
  let store: TestStore;
  let env: Record<string, string>;
  beforeAll(async () => {
    store = await freshStore('postgres');
    env = { DATABASE_URL: store.url! };
  });
  afterAll(async () => store?.close());

  it('imports with --json in the contract shape, then queries funding by region and year', () => {
    const file = seedPath('changzhou_district_funding_2011_2014.csv');
    const r = cli(['import', file, '--as', 'funding', '--region', '常州', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = r.json();
    expect(out).toMatchObject({ ok: true, kind: 'funding', rows: { read: 9, imported: 9, rejected: 0 } });
    for (const i of out.issues) expect(Object.keys(i)).toEqual(expect.arrayContaining(['row', 'column', 'code', 'severity', 'message', 'message_en']));

    const q = cli(['query', 'funding', '--by', 'region,year', '--json'], env);
    expect(q.code).toBe(0);
    const res = q.json();
    expect(res.unit).toBe('万元');
    const table = seedRows('changzhou_district_funding_2011_2014.csv');
    expect(res.total).toBe(Number(table.find((t) => t['辖区'] === '合计')!['合计']));
    const xinbei2011 = res.rows.find((x: { region: string; year: number }) => x.region === '新北' && x.year === 2011);
    expect(xinbei2011).toEqual({ region: '新北', year: 2011, amount: Number(table.find((t) => t['辖区'] === '新北')!['2011']), records: 1 });
  });

  it('exits 1 with every problem listed when errors stop an import, and 2 on bad usage', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-cli-'));
    const bad = path.join(tmp, 'bad.csv');
    fs.writeFileSync(bad, '辖区,2015\n天宁,十万\n');
    const r = cli(['import', bad, '--as', 'funding', '--json'], env);
    expect(r.code).toBe(1);
    const out = r.json();
    expect(out.ok).toBe(false);
    expect(out.rows.imported).toBe(0);
    expect(out.issues[0]).toMatchObject({ row: 2, column: '2015', severity: 'error' });
    expect(cli(['import', bad, '--as', 'galaxies', '--json'], env).code).toBe(2);
    expect(cli(['query', 'funding', '--by', 'galaxy', '--json'], env).code).toBe(2);
  });

  it('refuses to open an embedded data folder that a running server holds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-lock-'));
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dir, 'innolink.lock'), JSON.stringify({ pid: holder.pid, port: 3000 }));
      const r = cli(['query', 'funding', '--by', 'year', '--json'], { INNOLINK_DATA: dir, DATABASE_URL: '' });
      expect(r.code).toBe(1);
      expect(r.json().error.code).toBe('STORE_LOCKED');
      expect(fs.readdirSync(dir)).toEqual(['innolink.lock']); // nothing was opened or written
    } finally {
      holder.kill();
    }
  });
});
