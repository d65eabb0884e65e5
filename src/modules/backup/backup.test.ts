/**
 * Backup and restore (issue 21): a backup of a store with the demo data restores onto the other
 * engine (embedded → server, server → embedded) with every table holding exactly the same rows,
 * the same answers to a query, and an audit log that verifies — the restore itself being its
 * one new entry. The snapshot is consistent while writes go on; a store in use, a damaged
 * file, another schema or another audit key are refused with a code and change nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { loadDemoIfEmpty } from '../../demo/demo.ts';
import { isAppError } from '../../errors.ts';
import type { Sql } from '../../store/db.ts';
import { testApp, testConfig } from '../../../test/app.ts';
import { freshStore, type TestStore } from '../../../test/stores.ts';
import { verifyAuditChain } from '../audit/audit.verify.ts';
import { queryFunding } from '../query/funding.service.ts';
import { backupToFile, readBackupHeader, restoreFromFile } from './backup.ts';

const actor = systemActor('backup-test');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-backup-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every table's row count and a digest of its rows (as PostgreSQL writes them, in UTC). */
async function fingerprint(db: { transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> }, except: string[] = []): Promise<Record<string, string>> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL TimeZone = 'UTC'`);
    const tables = await tx.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      if (except.includes(name)) continue;
      const [r] = await tx.query<{ n: number; d: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY to_jsonb(t)::text), '')) AS d FROM "${name}" t`,
      );
      out[name] = `${r.n}:${r.d}`;
    }
    return out;
  });
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
};

/** Rewrites a backup's header (to make a file from another installation or version). */
function withHeader(file: string, out: string, change: (h: Record<string, any>) => void): string {
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
  const h = JSON.parse(lines[0]);
  change(h);
  lines[0] = JSON.stringify(h);
  fs.writeFileSync(out, zlib.gzipSync(lines.join('\n')));
  return out;
}

describe.each([
  ['pglite', 'postgres'],
  ['postgres', 'pglite'],
] as const)('backup of %s restored on %s', (fromKind, toKind) => {
  let src: TestStore;
  let dst: TestStore;
  const file = path.join(dir, `${fromKind}-to-${toKind}.innolink.gz`);

  beforeAll(async () => {
    [src, dst] = await Promise.all([freshStore(fromKind), freshStore(toKind)]);
    expect(await loadDemoIfEmpty(src.db, testConfig({ INNOLINK_DEMO: '1' }))).toBe(true);
  }, 600_000);
  afterAll(async () => {
    await src?.close();
    await dst?.close();
  });

  it('restores every table row for row, the same query answers, and an audit log that verifies', async () => {
    const before = await fingerprint(src.db);
    const backup = await backupToFile(src.db, file);
    expect(backup.rows).toBe(Object.values(before).reduce((n, v) => n + Number(v.split(':')[0]), 0) - Number(before.schema_migrations.split(':')[0]));
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    const header = await readBackupHeader(file);
    expect(header.engine).toBe(fromKind);
    expect(header.audit.key_id).toBe(src.db.auditAnchor!.key.id);

    const restored = await restoreFromFile(dst.db, file, actor);
    expect(restored.rows).toBe(backup.rows);
    expect(restored.audit.ok).toBe(true);
    // The log as backed up, then the restore's own entry.
    expect(restored.audit.entries).toBe(backup.audit_entries + 1);

    const after = await fingerprint(dst.db, ['audit_log', 'audit_head', 'schema_migrations']);
    // schema_migrations is not in a backup (a restore needs the same migrations, applied when the store was made).
    const { audit_log: _log, audit_head: _head, schema_migrations: _schema, ...expected } = before;
    expect(after).toEqual(expected);
    const [srcLog] = await fingerprint(src.db).then((f) => [f.audit_log]);
    const [dstLogPrefix] = await dst.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL TimeZone = 'UTC'`);
      return tx.query<{ n: number; d: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY to_jsonb(t)::text), '')) AS d FROM audit_log t WHERE seq <= $1`,
        [header.audit.head_seq],
      );
    });
    expect(`${dstLogPrefix.n}:${dstLogPrefix.d}`).toBe(srcLog);
    const [entry] = await dst.db.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log WHERE seq = $1`, [restored.audit.restore_entry]);
    expect(entry).toEqual({ action: 'backup.restore', actor: 'backup-test' });

    const ctx = (db: typeof src.db) => ({ db, config: testConfig(), actor: systemActor('t') });
    const q = { by: ['region', 'year'] } as Parameters<typeof queryFunding>[1];
    expect(await queryFunding(ctx(dst.db), q)).toEqual(await queryFunding(ctx(src.db), q));
    // New records continue the restored numbering.
    const [{ id }] = await dst.db.query<{ id: number }>(`INSERT INTO projects (code, title_zh) VALUES ('RESTORED-NEW', '恢复后新建的项目') RETURNING id`);
    const [{ max }] = await src.db.query<{ max: number }>(`SELECT max(id)::int AS max FROM projects`);
    expect(id).toBeGreaterThan(max);
    expect((await verifyAuditChain(dst.db, { mode: 'full' })).ok).toBe(true);
  }, 600_000);

  it('refuses a store in use, and replaces it when forced', async () => {
    const state = await fingerprint(dst.db);
    expect(await codeOf(restoreFromFile(dst.db, file, actor))).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(await fingerprint(dst.db)).toEqual(state);
    const forced = await restoreFromFile(dst.db, file, actor, { force: true });
    expect(forced.audit.ok).toBe(true);
    const [{ n }] = await dst.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM projects WHERE code = 'RESTORED-NEW'`);
    expect(n).toBe(0);
  }, 600_000);

  it('refuses a damaged file, another schema and another audit key, and changes nothing', async () => {
    const state = await fingerprint(dst.db);
    const gz = fs.readFileSync(file);
    const cut = path.join(dir, `${fromKind}-cut.gz`);
    fs.writeFileSync(cut, zlib.gzipSync(zlib.gunzipSync(gz).subarray(0, Math.floor(zlib.gunzipSync(gz).length * 0.6))));
    expect(await codeOf(restoreFromFile(dst.db, cut, actor, { force: true }))).toBe('BACKUP_CORRUPT');
    const notGzip = path.join(dir, 'plain.txt');
    fs.writeFileSync(notGzip, 'name,amount\n');
    expect(await codeOf(restoreFromFile(dst.db, notGzip, actor, { force: true }))).toBe('BACKUP_CORRUPT');
    expect(await codeOf(restoreFromFile(dst.db, path.join(dir, 'missing.gz'), actor))).toBe('BACKUP_NOT_FOUND');
    const older = withHeader(file, path.join(dir, 'older.gz'), (h) => h.schema.pop());
    expect(await codeOf(restoreFromFile(dst.db, older, actor, { force: true }))).toBe('BACKUP_SCHEMA_MISMATCH');
    const otherKey = withHeader(file, path.join(dir, 'other-key.gz'), (h) => (h.audit.key_id = '0123456789abcdef'));
    expect(await codeOf(restoreFromFile(dst.db, otherKey, actor, { force: true }))).toBe('BACKUP_AUDIT_KEY_MISMATCH');
    expect(await fingerprint(dst.db)).toEqual(state);
  }, 600_000);
});

describe('a backup of the server while it is written to', () => {
  let src: TestStore;
  let dst: TestStore;
  beforeAll(async () => {
    [src, dst] = await Promise.all([freshStore('postgres'), freshStore('pglite')]);
  });
  afterAll(async () => {
    await src?.close();
    await dst?.close();
  });

  it('is one snapshot: a project and its funding, written together, are both in it or both not', async () => {
    const [{ id: wujin }] = await src.db.query<{ id: number }>(`SELECT id FROM admin_regions WHERE short_name = '武进'`);
    let stop = false;
    let written = 0;
    // Each transaction writes a project and its funding line; the backup reads funding before
    // projects (tables in name order), so anything but one snapshot splits some pairs.
    const writer = (async () => {
      while (!stop) {
        await src.db.transaction(async (tx) => {
          const [{ id }] = await tx.query<{ id: number }>(`INSERT INTO projects (code, title_zh, region_id) VALUES ($1, '快照测试', $2) RETURNING id`, [`BK-${written}`, wujin]);
          await tx.query(`INSERT INTO funding (project_id, year, amount, region_id) VALUES ($1, 2024, 10, $2)`, [id, wujin]);
        });
        written++;
      }
    })();
    const file = path.join(dir, 'live.innolink.gz');
    await new Promise((r) => setTimeout(r, 200));
    await backupToFile(src.db, file);
    stop = true;
    await writer;
    expect(written).toBeGreaterThan(0);
    await restoreFromFile(dst.db, file, actor);
    const [pairs] = await dst.db.query<{ projects: number; funded: number; lines: number }>(
      `SELECT (SELECT count(*)::int FROM projects WHERE code LIKE 'BK-%') AS projects,
              (SELECT count(DISTINCT f.project_id)::int FROM funding f JOIN projects p ON p.id = f.project_id WHERE p.code LIKE 'BK-%') AS funded,
              (SELECT count(*)::int FROM funding f WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = f.project_id) AND f.project_id IS NOT NULL) AS lines`,
    );
    expect(pairs.funded).toBe(pairs.projects);
    expect(pairs.lines).toBe(0);
  }, 300_000);
});

describe('innolink backup / restore and POST /api/backup', () => {
  const BIN = path.resolve(import.meta.dirname, '..', '..', '..', 'bin', 'innolink.mjs');
  const cli = (args: string[], env: Record<string, string>) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, INNOLINK_DEMO: '0', ...env }, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
  };

  it('backs up a server store and restores it into another from the command line, in the JSON it promises', async () => {
    const [a, b] = await Promise.all([freshStore('postgres'), freshStore('postgres')]);
    try {
      await a.db.query(`INSERT INTO projects (code, title_zh) VALUES ('CLI-BK-1', '命令行备份')`);
      const file = path.join(dir, 'cli.innolink.gz');
      const made = cli(['backup', '--out', file, '--json'], a.env);
      expect(made.code, made.stderr).toBe(0);
      expect(made.json()).toMatchObject({ file, tables: expect.any(Number), rows: expect.any(Number), audit_entries: expect.any(Number) });
      const check = cli(['restore', file, '--check', '--json'], b.env);
      expect(check.code, check.stderr).toBe(0);
      expect(check.json()).toMatchObject({ file, engine: 'postgres', rows: made.json().rows });
      const done = cli(['restore', file, '--json'], b.env);
      expect(done.code, done.stderr).toBe(0);
      expect(done.json()).toMatchObject({ rows: made.json().rows, audit: { ok: true, entries: made.json().audit_entries + 1 } });
      expect(await b.db.query(`SELECT title_zh FROM projects WHERE code = 'CLI-BK-1'`)).toEqual([{ title_zh: '命令行备份' }]);
      const again = cli(['restore', file, '--json'], b.env);
      expect(again.code).toBe(1);
      expect(again.json().error.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 300_000);

  it('gives an administrator the embedded store\'s backup over HTTP, recorded in the audit log', async () => {
    const t = await testApp('pglite');
    const target = await freshStore('postgres');
    try {
      await t.store.db.query(`INSERT INTO projects (code, title_zh) VALUES ('HTTP-BK-1', '在线备份')`);
      const res = await t.app.inject({ method: 'POST', url: '/api/backup' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="innolink-\d{14}\.innolink\.gz"$/);
      const file = path.join(dir, 'http.innolink.gz');
      fs.writeFileSync(file, res.rawPayload);
      const [entry] = await t.store.db.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log ORDER BY seq DESC LIMIT 1`);
      expect(entry).toEqual({ action: 'backup.download', actor: 'test-admin' });
      await restoreFromFile(target.db, file, actor);
      expect(await target.db.query(`SELECT title_zh FROM projects WHERE code = 'HTTP-BK-1'`)).toEqual([{ title_zh: '在线备份' }]);
      expect((await verifyAuditChain(target.db, { mode: 'full' })).ok).toBe(true);
    } finally {
      await t.close();
      await target.close();
    }
  }, 300_000);
});
