/**
 * Once per test run: make sure the PostgreSQL server answers, build a migrated template
 * database on it (each test then clones its own fresh database from it), and dump a migrated
 * PGlite data folder that tests load instead of migrating again.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadAuditAnchor } from '../src/modules/audit/audit.key.ts';
import { openDb, pgliteOf } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { ensureReferenceData } from '../src/store/reference.ts';

/** The web application the browser tests load (built when missing or stale). */
async function buildWebApp(): Promise<void> {
  // @ts-expect-error plain ESM script without types
  const { buildWeb } = await import('../bin/build-web.mjs');
  await buildWeb({ quiet: true });
}

export const ADMIN_URL = process.env.INNOLINK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function serverUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function ensureServer(): Promise<void> {
  if (await serverUp()) return;
  try {
    execSync('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start', { stdio: 'inherit', shell: '/bin/bash' });
  } catch {
    /* reported below */
  }
  for (let i = 0; i < 20 && !(await serverUp()); i++) await new Promise((r) => setTimeout(r, 500));
  if (!(await serverUp())) throw new Error(`PostgreSQL server not reachable at ${ADMIN_URL}: the store tests need it`);
}

export default async function setup(project: TestProject) {
  await Promise.all([ensureServer(), buildWebApp()]);
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const template = `innolink_tpl_${run}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const tplUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${template}`);
  const server = await openDb({ databaseUrl: tplUrl });
  await migrate(server);
  await ensureReferenceData(server);
  await server.close();

  const lite = await openDb({});
  await migrate(lite);
  await ensureReferenceData(lite);
  const dump = await pgliteOf(lite)!.dumpDataDir('none');
  const dumpFile = path.join(os.tmpdir(), `innolink-pglite-${run}.tar`);
  fs.writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await lite.close();

  // One audit key for the run (test/setup-env.ts points every worker and CLI process at it);
  // each store keeps its checkpoints in a folder of its own (test/stores.ts).
  const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), `innolink-audit-${run}-`));
  const auditKeyFile = path.join(auditDir, 'audit.key');
  loadAuditAnchor({ auditKeyFile, auditCheckpointFile: path.join(auditDir, 'unused-checkpoints.jsonl'), dataDir: path.join(auditDir, 'no-data'), databaseUrl: null }, { create: true });

  project.provide('pgTemplate', template);
  project.provide('pgRun', run);
  project.provide('pgliteDump', dumpFile);
  project.provide('auditKeyFile', auditKeyFile);

  return async () => {
    fs.rmSync(dumpFile, { force: true });
    fs.rmSync(auditDir, { recursive: true, force: true });
    const leftovers = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`innolink_%${run}%`],
    );
    for (const { datname } of leftovers.rows) {
      if (datname === template) continue;
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgRun: string;
    pgliteDump: string;
    auditKeyFile: string;
  }
}
