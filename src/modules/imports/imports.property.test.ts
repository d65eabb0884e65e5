/**
 * Property: garbage never writes anything and never crashes — random bytes, random text
 * shaped like a table, and random JSON bodies of the wrong shape.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { isAppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { testApp, testConfig, type TestApp } from '../../../test/app.ts';
import { STORES } from '../../../test/stores.ts';
import { knownKinds, runImport } from './imports.service.ts';

const TABLES = ['funding', 'projects', 'organizations', 'project_partners', 'admin_regions', 'facts', 'country_indicators', 'platforms', 'talents', 'outputs', 'mechanisms'];

describe.each(STORES)('garbage on %s', (kind) => {
  let t: TestApp;
  let ctx: ServiceContext;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-prop-'));
  beforeAll(async () => {
    t = await testApp(kind);
    ctx = { db: t.store.db, config: testConfig(), actor: systemActor('prop') };
  });
  afterAll(async () => t?.close());

  async function snapshot(): Promise<string> {
    const parts: string[] = [];
    for (const table of TABLES) parts.push(`${table}:${(await t.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n}`);
    const imports = await t.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM imports WHERE status = 'done'`);
    return `${parts.join(',')} done:${imports[0].n}`;
  }

  async function importNeverWrites(bytes: Uint8Array, asKind: string, name: string) {
    const before = await snapshot();
    const file = path.join(tmp, name);
    fs.writeFileSync(file, bytes);
    try {
      const res = await runImport(ctx, { fileName: name, path: file }, { kind: asKind, region: '常州' });
      expect(res.ok).toBe(false);
      for (const i of res.issues) {
        expect(typeof i.code).toBe('string');
        expect(i.message.length).toBeGreaterThan(0);
        expect(i.message_en.length).toBeGreaterThan(0);
      }
    } catch (e) {
      // Only coded refusals may be thrown, never a crash.
      expect(isAppError(e), String(e)).toBe(true);
    }
    expect(await snapshot()).toBe(before);
  }

  it('random bytes never write and never crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom(...knownKinds()), fc.constantFrom('x.csv', 'x.xlsx', 'x'), async (bytes, k, name) => {
        await importNeverWrites(bytes, k, name);
      }),
      { numRuns: 40 },
    );
  });

  it('random text in table shape (numbers that are not numbers) never writes', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('-5', '1,2,3', 'abc', '１２万元', '—', '#N/A', '"', '合计'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), async (rows) => {
        // A real header, then rows whose amounts are never valid non-negative numbers.
        const body = rows.map((r) => ['天宁', ...r.map((c) => `"x${c.replace(/"/g, '""')}"`)].join(',')).join('\n');
        const text = `辖区,2011,2012,2013,2014,2015\n${body}\n`;
        await importNeverWrites(Buffer.from(text), 'funding', 'shape.csv');
      }),
      { numRuns: 40 },
    );
  });

  it('API bodies of the wrong shape get a coded 4xx, never a 500, and write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('projects', 'organizations', 'funding', 'platforms', 'talents'), fc.anything(), async (registry, body) => {
        const before = await snapshot();
        const res = await t.app.inject({ method: 'POST', url: `/api/${registry}`, payload: JSON.stringify(body) ?? 'null', headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
        expect(await snapshot()).toBe(before);
      }),
      { numRuns: 60 },
    );
  });
});
