/**
 * SQL snapshots: the SQL every repository function sends, written to
 * src/store/queries/<area>.sql so that a query change shows in review (as Immich does).
 *
 * An area joins by putting `<name>.repo.examples.ts` beside each of its `<name>.repo.ts`: a
 * default export `repoExamples(repo, setup, { fn: (db, data) => repo.fn(db, …), … })` with one
 * example per exported function (tsc refuses a missing one; query-snapshots.test.ts too).
 * `setup` puts the records the examples need into a fresh store; each example then runs,
 * really, against them through a recording `Sql`. All of it happens in one transaction that is
 * rolled back, each example after a savepoint it is rolled back to, so examples do not disturb
 * each other and leave nothing behind. What they sent is formatted (sql-formatter, PostgreSQL)
 * under a `-- <file>.<function>` header.
 *
 *   npm run db:queries          writes every area's snapshot (no server needed)
 *   query-snapshots.test.ts     fails while a snapshot is stale, an exported function of a
 *                               migrated area has no example, or a migrated area still sends
 *                               hand-written SQL through db.query
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'sql-formatter';
import type { Db, QueryOptions, Sql } from './db.ts';

export const MODULES_DIR = path.join(import.meta.dirname, '..', 'modules');
export const QUERIES_DIR = path.join(import.meta.dirname, 'queries');

/** One call of a repository function; `data` is what `setup` returned. */
export type Example<F> = (db: Sql, data: F) => Promise<unknown>;

/**
 * An example for every exported function of a repository module. A function whose SQL depends
 * on its arguments (optional filters, partial updates) may give several, each under a name.
 */
export type Examples<M, F> = {
  [K in keyof M as M[K] extends (...args: never[]) => unknown ? K : never]: Example<F> | Record<string, Example<F>>;
};

export interface RepoExamples {
  repo: object;
  setup: (db: Sql) => Promise<unknown>;
  examples: Record<string, Example<unknown> | Record<string, Example<unknown>>>;
}

/** The default export of a `<name>.repo.examples.ts`. */
export function repoExamples<M extends object, F>(repo: M, setup: (db: Sql) => Promise<F>, examples: Examples<M, F>): RepoExamples {
  return { repo, setup, examples: examples as RepoExamples['examples'] };
}

/** A repository module of an area and its examples file (null while it has none). */
export interface RepoFile {
  /** 'plans.repo' */
  name: string;
  file: string;
  examplesFile: string | null;
}

/** Areas (module folders) with at least one examples file: the migrated ones, with all their repository files. */
export function migratedAreas(): Map<string, RepoFile[]> {
  const areas = new Map<string, RepoFile[]>();
  for (const area of fs.readdirSync(MODULES_DIR).sort()) {
    const dir = path.join(MODULES_DIR, area);
    if (!fs.statSync(dir).isDirectory()) continue;
    const files = fs.readdirSync(dir);
    if (!files.some((f) => f.endsWith('.repo.examples.ts'))) continue;
    const repos = files
      .filter((f) => f.endsWith('.repo.ts'))
      .sort()
      .map((f) => {
        const examples = f.replace(/\.ts$/, '.examples.ts');
        return { name: f.replace(/\.ts$/, ''), file: path.join(dir, f), examplesFile: files.includes(examples) ? path.join(dir, examples) : null };
      });
    areas.set(area, repos);
  }
  return areas;
}

/** The exported functions of a repository module that have no example. */
export function missingExamples(ex: RepoExamples): string[] {
  return Object.entries(ex.repo)
    .filter(([name, v]) => typeof v === 'function' && !(name in ex.examples))
    .map(([name]) => name);
}

/** An `Sql` that passes everything to `inner` and keeps the text of every statement. */
export function recordingSql(inner: Sql): { sql: Sql; statements: string[] } {
  const statements: string[] = [];
  const sql: Sql = {
    query: <T,>(text: string, params?: unknown[], opts?: QueryOptions) => {
      statements.push(text);
      return inner.query<T>(text, params, opts);
    },
    execute: <T,>(text: string, params?: unknown[], opts?: QueryOptions) => {
      statements.push(text);
      return inner.execute<T>(text, params, opts);
    },
    exec: (text: string) => {
      statements.push(text);
      return inner.exec(text);
    },
  };
  return { sql, statements };
}

/** One statement as the snapshot shows it. */
export function formatStatement(text: string): string {
  return `${format(text, { language: 'postgresql', keywordCase: 'upper', tabWidth: 2 }).trim()};`;
}

const ROLLBACK = Symbol('rollback');

/**
 * Runs an examples file in one transaction that is rolled back at the end: `setup`, then each
 * example after a savepoint it is rolled back to. Yields each example's label and statements.
 */
export async function runExamples(db: Db, name: string, ex: RepoExamples): Promise<Array<{ label: string; sent: string[] }>> {
  const out: Array<{ label: string; sent: string[] }> = [];
  try {
    await db.transaction(async (tx) => {
      const data = await ex.setup(tx);
      for (const [fn, example] of Object.entries(ex.examples)) {
        const variants = typeof example === 'function' ? [[null, example] as const] : Object.entries(example);
        for (const [variant, call] of variants) {
          const label = `${name}.${fn}${variant ? ` (${variant})` : ''}`;
          const rec = recordingSql(tx);
          await tx.exec('SAVEPOINT example');
          try {
            await call(rec.sql, data);
          } catch (e) {
            throw new Error(`query example ${label} failed: ${(e as Error).message}`, { cause: e });
          }
          await tx.exec('ROLLBACK TO SAVEPOINT example');
          if (!rec.statements.length) throw new Error(`query example ${label} sent no SQL: it should call the repository function it is named after`);
          out.push({ label, sent: rec.statements });
        }
      }
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return out;
}

/** The snapshot of an area: every example of every repository file, run against `db`. */
export async function renderArea(db: Db, area: string, repos: readonly RepoFile[]): Promise<string> {
  const parts = [
    `-- The SQL that the repositories of src/modules/${area}/ send, one example call per function`,
    `-- (<name>.repo.examples.ts), run against a fresh migrated store. Generated by`,
    `-- \`npm run db:queries\` (src/store/query-snapshots.ts); do not edit.`,
  ];
  for (const r of repos) {
    if (!r.examplesFile) throw new Error(`${path.relative(process.cwd(), r.file)} has no ${r.name}.examples.ts: every repository of a migrated area needs one`);
    for (const { label, sent } of await runExamples(db, r.name, await loadExamples(r.examplesFile))) {
      parts.push('', `-- ${label}`, ...sent.map(formatStatement));
    }
  }
  return `${parts.join('\n')}\n`;
}

export async function loadExamples(file: string): Promise<RepoExamples> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: RepoExamples };
  if (!mod.default?.examples) throw new Error(`${file}: its default export must be repoExamples(repo, setup, { … })`);
  return mod.default;
}

export const snapshotFile = (area: string) => path.join(QUERIES_DIR, `${area}.sql`);

/** `npm run db:queries`: every migrated area's snapshot, from a fresh embedded store. */
async function main(): Promise<void> {
  const { openDb } = await import('./db.ts');
  const { migrate } = await import('./migrate.ts');
  const { ensureReferenceData } = await import('./reference.ts');
  const db = await openDb({});
  try {
    await migrate(db);
    await ensureReferenceData(db);
    fs.mkdirSync(QUERIES_DIR, { recursive: true });
    for (const [area, repos] of migratedAreas()) {
      const text = await renderArea(db, area, repos);
      const file = snapshotFile(area);
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      fs.writeFileSync(file, text);
      console.log(`${path.relative(process.cwd(), file)}: ${text === before ? 'unchanged' : 'written'}`);
    }
  } finally {
    await db.close();
  }
}

// Not awaited at the top level: the examples files import this module, which must have finished loading.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
