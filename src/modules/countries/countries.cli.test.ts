import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type TestStore } from '../../../test/stores.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

// The CLI opens its own store, so it runs against a server database (a PGlite folder would be
// locked by nobody but would not be the test's store).
describe('innolink countries (CLI)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore('postgres');
  });
  afterAll(async () => store?.close());

  const cli = (...args: string[]) =>
    run(process.execPath, ['bin/innolink.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: store.url!, INNOLINK_DEMO: '0' },
      timeout: 60_000,
    });

  it('resolve --json prints exactly one JSON object in the contract shape', async () => {
    const { stdout } = await cli('countries', 'resolve', '阿联酋', '西奈半岛', '--json');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['results']);
    expect(out.results).toHaveLength(2);
    for (const r of out.results) {
      expect(Object.keys(r).sort()).toEqual(['input', 'iso3', 'match', 'name_en', 'name_zh', 'suggestions']);
      for (const s of r.suggestions) expect(Object.keys(s).sort()).toEqual(['iso3', 'name_en', 'name_zh', 'score']);
    }
    expect(out.results[0]).toEqual({
      input: '阿联酋',
      iso3: 'ARE',
      name_zh: '阿联酋',
      name_en: 'United Arab Emirates',
      match: 'exact',
      suggestions: [],
    });
    expect(out.results[1]).toMatchObject({ input: '西奈半岛', iso3: null, name_zh: null, name_en: null, match: 'none' });
    expect(out.results[1].suggestions[0]).toMatchObject({ iso3: 'EGY', name_zh: '埃及', name_en: 'Egypt' });
  });

  it('resolve prints a bilingual table without --json', async () => {
    const { stdout } = await cli('countries', 'resolve', '波黑', 'Korea, Rep.', '西奈半岛');
    expect(stdout).toMatch(/输入 \/ input/);
    expect(stdout).toMatch(/波黑\s+精确 \/ exact\s+BIH/);
    expect(stdout).toMatch(/Korea, Rep\.\s+别名 \/ alias\s+KOR/);
    expect(stdout).toMatch(/西奈半岛\s+未识别 \/ none\s+-.*EGY 埃及/);
  });

  it('list --group BRI --json prints the group', async () => {
    const { stdout } = await cli('countries', 'list', '--group', 'BRI', '--json');
    const out = JSON.parse(stdout);
    expect(out.total).toBe(65);
    expect(out.items).toHaveLength(65);
    expect(out.items.map((c: { iso3: string }) => c.iso3)).toContain('ARE');
  });

  it('refuses an unknown group with one JSON error object and exit code 1', async () => {
    const failed = await cli('countries', 'list', '--group', 'NOPE', '--json').catch((e: { code: number; stdout: string }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect(JSON.parse((failed as { stdout: string }).stdout).error.code).toBe('VALIDATION_FAILED');
  });
});
