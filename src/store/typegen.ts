/**
 * Writes src/store/db.types.ts, the row types Kysely checks queries against, from the catalogue
 * of a freshly migrated store: `npm run db:types` after adding a migration. db.types.test.ts fails
 * while the checked-in file differs from what the migrations give.
 *
 * Why not kysely-codegen: it needs a running server and types a column by what the `pg` driver
 * returns by default (numeric and int8 as strings). Our store returns what db.ts makes of a
 * value on both engines — numeric and int8 as numbers, date as a 'YYYY-MM-DD' string,
 * timestamptz as a Date — so the types have to follow db.ts, and the generator runs on the
 * embedded store (no server needed). It also turns single-column `CHECK (col IN (…))` into
 * literal unions ('increase' | 'decrease'), which codegen leaves as string.
 *
 * A column type without an agreed shape on both engines (bytea, int8[] — pg gives strings,
 * PGlite numbers — date[] …) stops the generator: teach db.ts the shape first, then add it to
 * SCALARS or ARRAY_ELEMENTS below.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Sql } from './db.ts';

export const TYPES_FILE = path.join(import.meta.dirname, 'db.types.ts');

/** TypeScript type of each scalar PostgreSQL type, as db.ts returns it on both engines. */
const SCALARS: Record<string, string> = {
  int2: 'number',
  int4: 'number',
  int8: 'number', // db.ts: parsed to a number (ids stay far below 2^53)
  float4: 'number',
  float8: 'number',
  numeric: 'number', // db.ts: parsed to a number
  oid: 'number',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  name: 'string',
  uuid: 'string',
  bool: 'boolean',
  date: 'string', // db.ts: 'YYYY-MM-DD', never a Date (no time-zone shift)
  timestamptz: 'Timestamp',
  timestamp: 'Timestamp',
  json: 'Json',
  jsonb: 'Json',
  tsvector: 'string', // written by the application (src/text/tokenize.ts), read back as text
};

/** Array element types whose arrays both engines return alike (checked: text[] and int4[] as JS arrays of strings / numbers). */
const ARRAY_ELEMENTS: Record<string, string> = {
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  int2: 'number',
  int4: 'number',
  float8: 'number',
  bool: 'boolean',
};

interface ColumnInfo {
  table: string;
  column: string;
  type: string;
  element: string | null;
  nullable: boolean;
  has_default: boolean;
  identity: string;
  generated: string;
  enum_labels: string[] | null;
}

interface CheckInfo {
  table: string;
  column: string;
  def: string;
}

const HEADER = `/**
 * Row types of every table, generated from the migrated schema by \`npm run db:types\`
 * (src/store/typegen.ts). Do not edit: change the schema with a migration, then run the command;
 * db.types.test.ts fails while this file is stale.
 *
 * Values are typed as src/store/db.ts returns them on both engines: numeric and int8 as
 * number, date as a 'YYYY-MM-DD' string, timestamptz as a Date. json/jsonb columns read as
 * parsed JSON and are written as JSON text (JSON.stringify): pg would send a JS array as a
 * PostgreSQL array. \`Generated\` columns have a default (may be left out of an insert),
 * \`GeneratedAlways\` ones are identity or computed (may not be written).
 */
import type { ColumnType } from 'kysely';

/** A column with a default: may be left out of an insert (Kysely's own Generated does not look inside ColumnType). */
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U> ? ColumnType<S, I | undefined, U> : ColumnType<T, T | undefined, T>;
/** An identity or computed column: read only. */
export type GeneratedAlways<T> = T extends ColumnType<infer S, unknown, unknown> ? ColumnType<S, never, never> : ColumnType<T, never, never>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A json/jsonb column: parsed on reading, JSON text on writing. */
export type Json = ColumnType<JsonValue, string, string>;
/** A timestamptz column: a Date on reading; a Date or an ISO string on writing. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
`;

/** The text of db.types.ts for the schema the given store has. */
export async function generateDbTypes(db: Sql): Promise<string> {
  const columns = await db.query<ColumnInfo>(
    `SELECT c.relname AS table, a.attname AS column, t.typname AS type,
            CASE WHEN t.typcategory = 'A' THEN et.typname END AS element,
            NOT a.attnotnull AS nullable, a.atthasdef AS has_default,
            a.attidentity::text AS identity, a.attgenerated::text AS generated,
            CASE WHEN t.typtype = 'e' THEN (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) END AS enum_labels
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON et.oid = t.typelem
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
      ORDER BY c.relname, a.attnum`,
  );
  const checks = await db.query<CheckInfo>(
    `SELECT c.relname AS table, a.attname AS column, pg_get_constraintdef(co.oid) AS def
       FROM pg_constraint co
       JOIN pg_class c ON c.oid = co.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = co.conkey[1]
      WHERE n.nspname = 'public' AND co.contype = 'c' AND array_length(co.conkey, 1) = 1
      ORDER BY c.relname, a.attname, co.conname`,
  );
  const allowed = new Map<string, Array<string | number>>();
  for (const ch of checks) {
    const values = inListOf(ch.def, ch.column);
    if (!values) continue;
    const key = `${ch.table}.${ch.column}`;
    const before = allowed.get(key);
    allowed.set(key, before ? before.filter((v) => values.includes(v)) : values);
  }

  const tables = new Map<string, string[]>();
  for (const c of columns) {
    const lines = tables.get(c.table) ?? [];
    tables.set(c.table, lines);
    lines.push(`  ${c.column}: ${columnType(c, allowed.get(`${c.table}.${c.column}`))};`);
  }

  const out = [HEADER];
  for (const [table, lines] of tables) out.push(`export interface ${interfaceName(table)} {\n${lines.join('\n')}\n}\n`);
  out.push(`export interface DB {\n${[...tables.keys()].map((t) => `  ${t}: ${interfaceName(t)};`).join('\n')}\n}\n`);
  return out.join('\n');
}

/** plan_targets → PlanTargetsTable */
function interfaceName(table: string): string {
  return `${table.replace(/(^|_)([a-z0-9])/g, (_, __, ch: string) => ch.toUpperCase())}Table`;
}

function columnType(c: ColumnInfo, values: Array<string | number> | undefined): string {
  const where = `${c.table}.${c.column}`;
  let ts: string;
  if (values?.length) ts = values.map((v) => (typeof v === 'number' ? String(v) : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`)).join(' | ');
  else if (c.enum_labels) ts = c.enum_labels.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(' | ');
  else if (c.element !== null) {
    const el = ARRAY_ELEMENTS[c.element];
    if (!el) throw new Error(`${where}: no agreed JavaScript shape for ${c.element}[] on both engines — teach src/store/db.ts first, then add it to ARRAY_ELEMENTS in src/store/typegen.ts`);
    ts = `${el}[]`;
  } else {
    const s = SCALARS[c.type];
    if (!s) throw new Error(`${where}: no agreed JavaScript shape for type ${c.type} — add it to SCALARS in src/store/typegen.ts (after checking what both engines return)`);
    ts = s;
  }
  if (c.nullable) ts = `${ts} | null`;
  if (c.identity === 'a' || c.generated === 's') return `GeneratedAlways<${ts}>`;
  if (c.identity === 'd' || c.has_default) return `Generated<${ts}>`;
  return ts;
}

/**
 * The values of a single-column `CHECK (col IN (…))`, as PostgreSQL prints it back:
 * `CHECK ((direction = ANY (ARRAY['increase'::text, 'decrease'::text])))`, `CHECK ((level = ANY (ARRAY[1, 2])))`.
 * Anything else (ranges, IS NULL OR …, expressions) gives null: the column keeps its plain type.
 */
export function inListOf(def: string, column: string): Array<string | number> | null {
  const col = `(?:"${column.replace(/"/g, '""')}"|${column})`;
  const m = new RegExp(`^CHECK \\(\\(${col} = ANY \\(ARRAY\\[(.*)\\]\\)\\)\\)$`).exec(def);
  if (!m) return null;
  const values: Array<string | number> = [];
  const item = /\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?))(?:::([a-z ]+))?\s*(?:,|$)/gy;
  let rest: RegExpExecArray | null;
  let at = 0;
  while (at < m[1].length && (rest = item.exec(m[1]))) {
    const [, quoted, bare, cast] = rest;
    const text = quoted !== undefined ? quoted.replace(/''/g, "'") : bare;
    const numeric = cast ? /^(integer|smallint|bigint|numeric)$/.test(cast) : quoted === undefined;
    values.push(numeric ? Number(text) : text);
    at = item.lastIndex;
  }
  return at === m[1].length ? values : null;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { openDb } = await import('./db.ts');
  const { migrate } = await import('./migrate.ts');
  const db = await openDb({});
  try {
    await migrate(db);
    const text = await generateDbTypes(db);
    const before = fs.existsSync(TYPES_FILE) ? fs.readFileSync(TYPES_FILE, 'utf8') : '';
    fs.writeFileSync(TYPES_FILE, text);
    console.log(`${path.relative(process.cwd(), TYPES_FILE)}: ${text === before ? 'unchanged' : 'written'}`);
  } finally {
    await db.close();
  }
}
