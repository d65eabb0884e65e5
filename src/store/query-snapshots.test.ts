import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type TestStore } from '../../test/stores.ts';
import type { Sql } from './db.ts';
import { qb } from './kysely.ts';
import {
  QUERIES_DIR,
  formatStatement,
  loadExamples,
  migratedAreas,
  missingExamples,
  renderArea,
  repoExamples,
  runExamples,
  snapshotFile,
} from './query-snapshots.ts';

const areas = migratedAreas();
const rel = (f: string) => path.relative(process.cwd(), f);

// The SQL text does not depend on the engine: the snapshots are made on PGlite (as `npm run
// db:queries` does); each area's own tests run its queries on both engines.
describe('SQL snapshots (src/store/queries/)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore('pglite');
  });
  afterAll(async () => store?.close());

  describe.each([...areas.keys()])('area %s', (area) => {
    const repos = areas.get(area)!;

    it('has an examples file beside every repository, with an example for every exported function', async () => {
      for (const r of repos) {
        expect(r.examplesFile, `${rel(r.file)}: add ${r.name}.examples.ts beside it (see src/store/query-snapshots.ts)`).not.toBeNull();
        const missing = missingExamples(await loadExamples(r.examplesFile!));
        expect(missing, `${rel(r.examplesFile!)}: no example for ${missing.join(', ')}`).toEqual([]);
      }
    });

    it('sends no hand-written SQL through db.query: queries are built with Kysely in the repositories', () => {
      const dir = path.dirname(repos[0].file);
      const offenders: string[] = [];
      for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        text.split('\n').forEach((line, i) => {
          if (/\.query\s*[<(]/.test(line)) offenders.push(`${rel(path.join(dir, f))}:${i + 1}: ${line.trim()}`);
        });
      }
      expect(offenders).toEqual([]);
    });

    it('has a current snapshot (else: npm run db:queries)', async () => {
      const file = snapshotFile(area);
      const text = await renderArea(store.db, area, repos);
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(missing)';
      expect(before, `${rel(file)} is stale: run \`npm run db:queries\` and commit it`).toBe(text);
    });
  });

  it('keeps no snapshot of an area without examples', () => {
    const orphans = (fs.existsSync(QUERIES_DIR) ? fs.readdirSync(QUERIES_DIR) : [])
      .filter((f) => f.endsWith('.sql') && !areas.has(f.replace(/\.sql$/, '')))
      .map((f) => rel(path.join(QUERIES_DIR, f)));
    expect(orphans).toEqual([]);
  });

  describe('the harness', () => {
    // A repository of two functions, as a module would export them.
    const repo = {
      planNamed: (db: Sql, name: string) => qb(db).selectFrom('plans').select(['id', 'name']).where('name', '=', name).executeTakeFirst(),
      renamePlan: (db: Sql, id: number, name: string) => qb(db).updateTable('plans').set({ name }).where('id', '=', id).execute(),
    };
    const setup = async (db: Sql) => {
      const { id } = await qb(db).insertInto('plans').values({ name: 'harness plan' }).returning('id').executeTakeFirstOrThrow();
      return { id };
    };

    it('records what each example sends (not the setup), formatted, and leaves nothing behind', async () => {
      const seen: Array<string | undefined> = [];
      const ex = repoExamples(repo, setup, {
        planNamed: async (db) => seen.push((await repo.planNamed(db, 'harness plan'))?.name),
        renamePlan: {
          'by id': async (db, f) => {
            await repo.renamePlan(db, f.id, 'renamed');
            seen.push((await repo.planNamed(db, 'renamed'))?.name);
          },
        },
      });
      const out = await runExamples(store.db, 'demo.repo', ex);
      expect(out.map((o) => o.label)).toEqual(['demo.repo.planNamed', 'demo.repo.renamePlan (by id)']);
      expect(out[0].sent).toEqual(['select "id", "name" from "plans" where "name" = $1']);
      expect(out[1].sent).toHaveLength(2);
      expect(formatStatement(out[1].sent[0])).toBe('UPDATE "plans"\nSET\n  "name" = $1\nWHERE\n  "id" = $2;');
      // The examples really ran: the setup's plan was found, the rename seen inside its savepoint.
      expect(seen).toEqual(['harness plan', 'renamed']);
      expect(await qb(store.db).selectFrom('plans').select('id').where('name', 'in', ['harness plan', 'renamed']).execute()).toEqual([]);
    });

    it('names an example whose query fails, and one that sends nothing', async () => {
      const failing = repoExamples(repo, setup, {
        planNamed: async (db) => qb(db).selectFrom('plans').select('id').where('name', '=', 'x').where(({ eb, ref }) => eb(ref('id'), '=', ref('name') as never)).execute(),
        renamePlan: async (db) => repo.renamePlan(db, 1, 'x'),
      });
      await expect(runExamples(store.db, 'demo.repo', failing)).rejects.toThrow(/query example demo\.repo\.planNamed failed: .*operator does not exist/);
      const silent = repoExamples(repo, setup, { planNamed: async () => undefined, renamePlan: async (db) => repo.renamePlan(db, 1, 'x') });
      await expect(runExamples(store.db, 'demo.repo', silent)).rejects.toThrow(/demo\.repo\.planNamed sent no SQL/);
    });

    it('finds exported functions without an example', () => {
      // @ts-expect-error tsc refuses a missing example too
      const ex = repoExamples(repo, setup, { planNamed: async (db) => repo.planNamed(db, 'x') });
      expect(missingExamples(ex)).toEqual(['renamePlan']);
    });
  });
});
