/**
 * Create, read, update, delete and list for any registry, called by HTTP and CLI alike.
 * Checks the actor first, validates with the registry's schema, then writes in one transaction.
 */
import type { Actor } from '../../actor.ts';
import { AppError, forbidden, notFound, validationFailed } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { deleteRow, getRow, insertRow, iterateRows, listRows, rawRow, updateRow, type Row } from './registry.repo.ts';
import { createSchema, updateSchema } from './registry.schema.ts';
import type { ListParams, ListResult, RegistryDef } from './registry.types.ts';
import { zodDetails } from './zod-details.ts';

function assertCanRead(actor: Actor): void {
  if (actor.role === 'public') throw forbidden();
}

function assertCanWrite(actor: Actor): void {
  if (actor.role === 'public' || actor.role === 'evaluator' || actor.role === 'reviewer') throw forbidden();
}

const labels = (def: RegistryDef) => Object.fromEntries(def.fields.map((f) => [f.name, f.zh]));

/** Validates a full record for `def`, returning the row to store (derived columns included). */
export function validateRecord(def: RegistryDef, input: unknown, mode: 'create' | 'update'): Row {
  const schema = mode === 'create' ? createSchema(def) : updateSchema(def);
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error, labels(def)));
  return parsed.data as Row;
}

function checkRules(def: RegistryDef, full: Row): void {
  const problems = def.refine?.(full) ?? [];
  if (problems.length) throw validationFailed(problems);
}

async function assertRegionInScope(db: Sql, actor: Actor, regionId: unknown): Promise<void> {
  if (!actor.regionScope || regionId == null) return;
  const rows = await db.query(
    `SELECT 1 FROM admin_regions d JOIN admin_regions s ON d.path LIKE s.path || '%' WHERE d.id = $1 AND s.id = ANY($2::bigint[])`,
    [regionId, actor.regionScope],
  );
  if (!rows.length) throw forbidden();
}

/** Writes a new record (validated) inside the given transaction; returns its id. */
export async function createIn(tx: Sql, def: RegistryDef, actor: Actor, rec: Row, importId?: number | null): Promise<number> {
  checkRules(def, rec);
  if (def.scoped) await assertRegionInScope(tx, actor, rec.region_id);
  const row = { ...rec, ...(def.derive?.(rec) ?? {}) };
  try {
    return await insertRow(tx, def, row, importId);
  } catch (e) {
    throw translatePgError(e);
  }
}

/** Applies a validated patch inside the given transaction; returns the before-image. */
export async function updateIn(tx: Sql, def: RegistryDef, actor: Actor, id: number, patch: Row): Promise<Row> {
  const before = await rawRow(tx, def, id);
  if (!before) throw notFound(def.entity, id);
  const full = { ...before, ...patch };
  checkRules(def, full);
  if (def.scoped) {
    await assertRegionInScope(tx, actor, before.region_id);
    await assertRegionInScope(tx, actor, full.region_id);
  }
  const derived = def.derive?.(full) ?? {};
  try {
    await updateRow(tx, def, id, { ...patch, ...derived }, full);
  } catch (e) {
    throw translatePgError(e);
  }
  return before;
}

export interface RegistryService {
  readonly def: RegistryDef;
  list(ctx: ServiceContext, params: ListParams): Promise<ListResult<Row>>;
  iterate(ctx: ServiceContext, params: Omit<ListParams, 'page' | 'pageSize'>): AsyncGenerator<Row>;
  get(ctx: ServiceContext, id: number): Promise<Row>;
  create(ctx: ServiceContext, input: unknown): Promise<Row>;
  update(ctx: ServiceContext, id: number, input: unknown): Promise<Row>;
  remove(ctx: ServiceContext, id: number): Promise<void>;
}

/** The service of one registry. */
export function registryService(def: RegistryDef): RegistryService {
  const service: RegistryService = {
    def,
    async list(ctx, params) {
      assertCanRead(ctx.actor);
      const { items, total } = await listRows(ctx.db, def, params, ctx.actor.regionScope);
      return { items, total, page: params.page, pageSize: params.pageSize };
    },
    iterate(ctx, params) {
      assertCanRead(ctx.actor);
      return iterateRows(ctx.db, def, params, ctx.actor.regionScope);
    },
    async get(ctx, id) {
      assertCanRead(ctx.actor);
      const row = await getRow(ctx.db, def, id, ctx.actor.regionScope);
      if (!row) throw notFound(def.entity, id);
      return row;
    },
    async create(ctx, input) {
      assertCanWrite(ctx.actor);
      const rec = validateRecord(def, input, 'create');
      const id = await ctx.db.transaction((tx) => createIn(tx, def, ctx.actor, rec));
      return service.get(ctx, id);
    },
    async update(ctx, id, input) {
      assertCanWrite(ctx.actor);
      const patch = validateRecord(def, input, 'update');
      if (Object.keys(patch).length === 0) {
        throw new AppError('EMPTY_UPDATE', 400, '没有需要修改的字段', 'Nothing to update');
      }
      await service.get(ctx, id); // 404 outside the actor's scope
      await ctx.db.transaction((tx) => updateIn(tx, def, ctx.actor, id, patch));
      return service.get(ctx, id);
    },
    async remove(ctx, id) {
      assertCanWrite(ctx.actor);
      await service.get(ctx, id);
      try {
        await ctx.db.transaction((tx) => deleteRow(tx, def, id));
      } catch (e) {
        throw translatePgError(e);
      }
    },
  };
  return service;
}
