/**
 * The import log as an actor may read it: roles that import (`can(actor, 'import', imports)`)
 * read the imports of their data scope's regions — made in the context of a region there, or by
 * a user of a region there. Administrators, the operator and unscoped bureau officers read all.
 */
import type { Actor } from '../../actor.ts';
import { forbidden, notFound } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { can, scopeOf } from '../auth/auth.policy.ts';
import { getImport, listImports } from './imports.repo.ts';

/** The region subtrees whose imports the actor reads (null: all), after checking it may read the log. */
export function importLogRegions(actor: Actor): readonly number[] | null {
  if (!can(actor, 'import', { kind: 'imports' })) throw forbidden();
  const scope = scopeOf(actor);
  return scope.all ? null : scope.regions;
}

/** One page of the import log in the actor's scope, newest first. */
export async function importLog(ctx: ServiceContext, q: { page: number; pageSize: number; kind?: string; status?: string }) {
  const regions = importLogRegions(ctx.actor);
  const res = await listImports(ctx.db, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize, kind: q.kind, status: q.status, regions });
  return { ...res, page: q.page, pageSize: q.pageSize };
}

/** One import with its issues; outside the actor's scope it reads as absent (404). */
export async function importEntry(ctx: ServiceContext, id: number) {
  const row = await getImport(ctx.db, id, importLogRegions(ctx.actor));
  if (!row) throw notFound('import', id);
  return row;
}
