/**
 * Create, read, update, delete and list for any registry, called by HTTP and CLI alike.
 * Checks the actor first (`can`, `scopeOf`), validates with the registry's schema, writes in
 * one transaction with its audit entry, and hides restricted fields from actors without
 * clearance in every answer (lists, details, exports, search).
 */
import type { Actor } from '../../actor.ts';
import { AppError, forbidden, notFound, validationFailed } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can, scopeOf, type Action } from '../auth/auth.policy.ts';
import { redact } from '../auth/auth.redact.ts';
import { resourceOf } from '../auth/auth.scope.ts';
import { deleteRow, getRow, insertRow, iterateRows, listRows, rawRow, updateRow, type Row } from './registry.repo.ts';
import { createSchema, updateSchema } from './registry.schema.ts';
import type { ListParams, ListResult, RegistryDef, RelatedRecords } from './registry.types.ts';
import { zodDetails } from './zod-details.ts';

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

/**
 * Refuses unless the actor may list (or export) the registry at all. Every role that may read
 * a registry's published records may list it; its data scope (`scopeOf`) then limits the rows
 * and `redact` the fields, so an export holds exactly the rows and fields its list shows.
 */
export function assertMayList(actor: Actor, def: RegistryDef, action: 'read' | 'export' = 'read'): void {
  if (!can(actor, action, { kind: def.kind, classification: 'public' })) throw forbidden();
}

/** Refuses unless the actor may do `action` to this (stored or new) record. */
async function assertCan(db: Sql, def: RegistryDef, actor: Actor, action: Action, row: Row): Promise<void> {
  if (!can(actor, action, await resourceOf(db, def, row))) throw forbidden();
}

/** Writes a new record (validated) inside the given transaction; returns its id. */
export async function createIn(tx: Sql, def: RegistryDef, actor: Actor, rec: Row, importId?: number | null, requestId?: string): Promise<number> {
  checkRules(def, rec);
  await assertCan(tx, def, actor, 'create', rec);
  const row = { ...rec, ...(def.derive?.(rec) ?? {}) };
  let id: number;
  try {
    id = await insertRow(tx, def, row, importId);
  } catch (e) {
    throw translatePgError(e);
  }
  await recordAudit(tx, { actor, action: 'create', entity: def.entity, entityId: id, before: null, after: { id, ...rec }, requestId });
  return id;
}

/** Applies a validated patch inside the given transaction; returns the before-image. */
export async function updateIn(tx: Sql, def: RegistryDef, actor: Actor, id: number, patch: Row, requestId?: string): Promise<Row> {
  const before = await rawRow(tx, def, id);
  if (!before) throw notFound(def.entity, id);
  const full = { ...before, ...patch };
  checkRules(def, full);
  await assertCan(tx, def, actor, 'update', before);
  await assertCan(tx, def, actor, 'update', full);
  const derived = def.derive?.(full) ?? {};
  try {
    await updateRow(tx, def, id, { ...patch, ...derived }, full);
  } catch (e) {
    throw translatePgError(e);
  }
  await recordAudit(tx, { actor, action: 'update', entity: def.entity, entityId: id, before, after: full, requestId });
  return before;
}

export interface RegistryService {
  readonly def: RegistryDef;
  list(ctx: ServiceContext, params: ListParams): Promise<ListResult<Row>>;
  iterate(ctx: ServiceContext, params: Omit<ListParams, 'page' | 'pageSize'>): AsyncGenerator<Row>;
  /** One record (404 outside the actor's scope), with `related` records read in the same query when given. */
  get(ctx: ServiceContext, id: number, related?: RelatedRecords): Promise<Row>;
  create(ctx: ServiceContext, input: unknown): Promise<Row>;
  update(ctx: ServiceContext, id: number, input: unknown): Promise<Row>;
  remove(ctx: ServiceContext, id: number): Promise<void>;
}

/** The service of one registry. */
export function registryService(def: RegistryDef): RegistryService {
  const service: RegistryService = {
    def,
    async list(ctx, params) {
      assertMayList(ctx.actor, def);
      const { items, total } = await listRows(ctx.db, def, params, scopeOf(ctx.actor));
      return { items: items.map((r) => redact(def, ctx.actor, r)), total, page: params.page, pageSize: params.pageSize };
    },
    iterate(ctx, params) {
      // Checked now, not on the first row: once an export streams, its 200 has been sent.
      assertMayList(ctx.actor, def, 'export');
      return (async function* () {
        for await (const r of iterateRows(ctx.db, def, params, scopeOf(ctx.actor))) yield redact(def, ctx.actor, r);
      })();
    },
    async get(ctx, id, related) {
      const row = await getRow(ctx.db, def, id, scopeOf(ctx.actor), related && ((param) => related.select(ctx.actor, param)));
      if (!row) throw notFound(def.entity, id); // outside the actor's scope reads as absent
      const shown = redact(def, ctx.actor, row);
      return related ? related.finish(ctx.actor, shown) : shown;
    },
    async create(ctx, input) {
      const rec = validateRecord(def, input, 'create');
      const id = await ctx.db.transaction((tx) => createIn(tx, def, ctx.actor, rec, null, ctx.requestId));
      return service.get(ctx, id);
    },
    async update(ctx, id, input) {
      const patch = validateRecord(def, input, 'update');
      if (Object.keys(patch).length === 0) {
        throw new AppError('EMPTY_UPDATE', 400, '没有需要修改的字段', 'Nothing to update');
      }
      await service.get(ctx, id); // 404 outside the actor's scope
      await ctx.db.transaction((tx) => updateIn(tx, def, ctx.actor, id, patch, ctx.requestId));
      return service.get(ctx, id);
    },
    async remove(ctx, id) {
      await service.get(ctx, id);
      try {
        await ctx.db.transaction(async (tx) => {
          const before = await rawRow(tx, def, id);
          if (!before) throw notFound(def.entity, id);
          await assertCan(tx, def, ctx.actor, 'delete', before);
          await deleteRow(tx, def, id);
          await recordAudit(tx, { actor: ctx.actor, action: 'delete', entity: def.entity, entityId: id, before, after: null, requestId: ctx.requestId });
        });
      } catch (e) {
        throw translatePgError(e);
      }
    },
  };
  return service;
}
