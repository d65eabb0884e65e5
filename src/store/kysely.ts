/**
 * Typed queries: Kysely over our own `Sql`. Repositories build their queries with `qb(db)`;
 * Kysely compiles them to PostgreSQL text and hands them to the `Sql` the repository was given
 * — the store or an open transaction, on PGlite or on the server alike. Nothing else changes:
 * transactions are opened with `db.transaction(tx => …)` and queries inside use `qb(tx)`; the
 * change epoch (changes.ts) moves on Kysely's writes as on any other.
 *
 *   import { qb } from '../../store/kysely.ts';
 *
 *   export async function planById(db: Sql, id: number) {
 *     return qb(db).selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
 *   }
 *
 *   await db.transaction(async (tx) => {
 *     await qb(tx).updateTable('plans').set({ owner }).where('id', '=', id).execute();
 *   });
 *
 * Row types come from db.types.ts (`npm run db:types`); `Row<'plans'>` is a selected row,
 * `NewRow<'plans'>` an insert, `RowPatch<'plans'>` an update.
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SelectQueryNode,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Insertable,
  type QueryResult,
  type RootOperationNode,
  type Selectable,
  type Updateable,
} from 'kysely';
import type { Sql } from './db.ts';
import type { DB } from './db.types.ts';

export type { DB } from './db.types.ts';
/** A row of a table as read. */
export type Row<T extends keyof DB> = Selectable<DB[T]>;
/** A row of a table as inserted (columns with defaults may be left out). */
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
/** The columns of a table an update may set. */
export type RowPatch<T extends keyof DB> = Updateable<DB[T]>;

const NO_TRANSACTIONS =
  "Kysely's own transactions are not used in innolink: open one with db.transaction(async (tx) => …) and build its queries with qb(tx)";

/**
 * Whether a query may change data, from its kind: inserts, updates, deletes and merges do; a
 * select whose WITH clauses are all selects does not; for anything else (raw `sql` queries)
 * undefined lets db.ts judge by the text, as for hand-written SQL. A select that writes
 * through a function call must therefore be sent as raw `sql`, where the text decides.
 */
export function writesOf(node: RootOperationNode): boolean | undefined {
  switch (node.kind) {
    case 'InsertQueryNode':
    case 'UpdateQueryNode':
    case 'DeleteQueryNode':
    case 'MergeQueryNode':
      return true;
    case 'SelectQueryNode':
      return node.with?.expressions.some((cte) => !SelectQueryNode.is(cte.expression) || writesOf(cte.expression) !== false) ? undefined : false;
    default:
      return undefined;
  }
}

/** One "connection" per `Sql`: every query goes to it, with the kind of the query. */
class SqlConnection implements DatabaseConnection {
  constructor(private readonly sql: Sql) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const writes = writesOf(q.query);
    const { rows, rowCount } = await this.sql.execute<R>(q.sql, [...q.parameters], writes === undefined ? undefined : { writes });
    return rowCount === null ? { rows } : { rows, numAffectedRows: BigInt(rowCount) };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming Kysely queries is not supported over Sql: page with limit/offset or keyset instead');
  }
}

class SqlDriver implements Driver {
  readonly #connection: SqlConnection;
  constructor(sql: Sql) {
    this.#connection = new SqlConnection(sql);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error(NO_TRANSACTIONS);
  }
  async commitTransaction(): Promise<void> {
    throw new Error(NO_TRANSACTIONS);
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error(NO_TRANSACTIONS);
  }
  async releaseConnection(): Promise<void> {}
  /** The `Sql` belongs to its owner (the store, or db.transaction): nothing to close here. */
  async destroy(): Promise<void> {}
}

/** The PostgreSQL dialect of Kysely with a driver that sends every query through one `Sql`. */
export class SqlDialect implements Dialect {
  constructor(private readonly sql: Sql) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new SqlDriver(this.sql);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<DB>) {
    return new PostgresIntrospector(db);
  }
}

const builders = new WeakMap<Sql, Kysely<DB>>();

/**
 * The query builder of a store or an open transaction: `qb(db).selectFrom('plans')…`.
 * One per `Sql` object, kept while it lives (a transaction's `Sql` is new each time).
 */
export function qb(s: Sql): Kysely<DB> {
  let k = builders.get(s);
  if (!k) {
    k = new Kysely<DB>({ dialect: new SqlDialect(s) });
    builders.set(s, k);
  }
  return k;
}
