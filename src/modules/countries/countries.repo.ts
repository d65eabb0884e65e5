/**
 * SQL for the countries registry: countries, aliases, groups and dated indicator values.
 * First argument: the store or a transaction.
 */
import type { Sql } from '../../store/db.ts';
import { searchDocument, searchQuery } from '../../text/tokenize.ts';
import { countryKey } from './countries.aliases.ts';

/** A country as stored, with the codes of the groups it belongs to. */
export interface CountryRow {
  iso3: string;
  iso2: string;
  numeric_code: string | null;
  name_zh: string;
  name_en: string;
  kind: 'country' | 'region';
  sovereign_iso3: string | null;
  note: string | null;
  groups: string[];
}

export interface AliasRow {
  alias: string;
  alias_key: string;
  iso3: string;
  lang: string | null;
  source: string;
}

export interface GroupRow {
  code: string;
  name_zh: string;
  name_en: string;
  description: string | null;
  members: string[];
}

export interface IndicatorRow {
  id: number;
  iso3: string;
  indicator: string;
  year: number;
  value_num: number | null;
  value_text: string | null;
  unit: string | null;
  source: string | null;
  import_id: number | null;
}

export type CountrySort = 'iso3' | 'name_zh' | 'name_en';

export interface CountryFilter {
  q?: string;
  kind?: 'country' | 'region';
  group?: string;
  sort: CountrySort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

// Byte order ("C") so both engines sort alike whatever the database's collation.
const SORT_SQL: Record<CountrySort, string> = {
  iso3: 'c.iso3',
  name_zh: 'c.name_zh COLLATE "C"',
  name_en: 'lower(c.name_en) COLLATE "C"',
};

const COUNTRY_COLUMNS = `c.iso3, c.iso2, c.numeric_code, c.name_zh, c.name_en, c.kind, c.sovereign_iso3, c.note,
  coalesce((SELECT array_agg(m.group_code ORDER BY m.group_code) FROM country_group_members m WHERE m.iso3 = c.iso3), '{}') AS groups`;

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** One page of countries, filtered and sorted, with the total count. */
export async function listCountryRows(sql: Sql, f: CountryFilter): Promise<{ rows: CountryRow[]; total: number }> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (f.kind) where.push(`c.kind = ${p(f.kind)}`);
  if (f.group) where.push(`EXISTS (SELECT 1 FROM country_group_members m WHERE m.iso3 = c.iso3 AND m.group_code = ${p(f.group)})`);
  if (f.q && f.q.trim() !== '') {
    const alternatives: string[] = [];
    const tsq = searchQuery(f.q);
    if (tsq) alternatives.push(`c.search @@ to_tsquery('simple', ${p(tsq)})`);
    const key = countryKey(f.q);
    if (key) {
      // Aliases by key prefix find what the tokenizer cannot (美 → 美国, "korea rep" → KOR).
      alternatives.push(`c.iso3 IN (SELECT a.iso3 FROM country_aliases a WHERE a.alias_key LIKE ${p(likePrefix(key))})`);
      alternatives.push(`lower(c.iso2) = ${p(key)} OR lower(c.iso3) = $${params.length}`);
    }
    where.push(alternatives.length ? `(${alternatives.join(' OR ')})` : 'false');
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM countries c ${whereSql}`, params);
  const dir = f.order === 'desc' ? 'DESC' : 'ASC';
  const rows = await sql.query<CountryRow>(
    `SELECT ${COUNTRY_COLUMNS} FROM countries c ${whereSql}
     ORDER BY ${SORT_SQL[f.sort]} ${dir}, c.iso3 ${dir} LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
    params,
  );
  return { rows, total: count.n };
}

/** One country, or null. */
export async function getCountryRow(sql: Sql, iso3: string): Promise<CountryRow | null> {
  const rows = await sql.query<CountryRow>(`SELECT ${COUNTRY_COLUMNS} FROM countries c WHERE c.iso3 = $1`, [iso3]);
  return rows[0] ?? null;
}

/** The aliases of a country. */
export async function aliasesOf(sql: Sql, iso3: string): Promise<AliasRow[]> {
  return sql.query<AliasRow>(
    `SELECT alias, alias_key, iso3, lang, source FROM country_aliases WHERE iso3 = $1
      ORDER BY lang NULLS LAST, alias COLLATE "C"`,
    [iso3],
  );
}

/** The groups a country belongs to. */
export async function groupsOf(sql: Sql, iso3: string): Promise<Omit<GroupRow, 'members'>[]> {
  return sql.query(
    `SELECT g.code, g.name_zh, g.name_en, g.description FROM country_groups g
       JOIN country_group_members m ON m.group_code = g.code WHERE m.iso3 = $1 ORDER BY g.code`,
    [iso3],
  );
}

/** Who holds an alias key, if anyone. */
export async function aliasByKey(sql: Sql, key: string): Promise<AliasRow | null> {
  const rows = await sql.query<AliasRow>(
    'SELECT alias, alias_key, iso3, lang, source FROM country_aliases WHERE alias_key = $1',
    [key],
  );
  return rows[0] ?? null;
}

/** Countries other than `iso3` whose canonical name or code has the given key. */
export async function countriesWithNameKey(sql: Sql, key: string, except: string): Promise<string[]> {
  const rows = await sql.query<{ iso3: string; iso2: string; name_zh: string; name_en: string }>(
    'SELECT iso3, iso2, name_zh, name_en FROM countries WHERE iso3 <> $1',
    [except],
  );
  return rows.filter((r) => [r.iso3, r.iso2, r.name_zh, r.name_en].some((n) => countryKey(n) === key)).map((r) => r.iso3);
}

/** Inserts an alias unless its key is taken; returns whether it was inserted. */
export async function insertAlias(sql: Sql, a: AliasRow): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO country_aliases (alias_key, alias, iso3, lang, source) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (alias_key) DO NOTHING RETURNING alias_key`,
    [a.alias_key, a.alias, a.iso3, a.lang, a.source],
  );
  return rows.length > 0;
}

/** Updates the given name and note columns of a country. */
export async function updateCountryRow(
  sql: Sql,
  iso3: string,
  patch: { name_zh?: string; name_en?: string; note?: string | null },
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [iso3];
  for (const col of ['name_zh', 'name_en', 'note'] as const) {
    if (patch[col] === undefined) continue;
    params.push(patch[col]);
    sets.push(`${col} = $${params.length}`);
  }
  if (sets.length === 0) return;
  await sql.query(`UPDATE countries SET ${sets.join(', ')}, updated_at = now() WHERE iso3 = $1`, params);
}

/**
 * Recomputes the search vectors (names, codes and every alias, tokenized with the shared
 * tokenizer) of the given countries, or of all when `iso3s` is null.
 */
export async function refreshCountrySearch(sql: Sql, iso3s: string[] | null): Promise<void> {
  const rows = await sql.query<{ iso3: string; iso2: string; name_zh: string; name_en: string; aliases: string[] }>(
    `SELECT c.iso3, c.iso2, c.name_zh, c.name_en,
            coalesce(array_agg(a.alias ORDER BY a.alias) FILTER (WHERE a.alias IS NOT NULL), '{}') AS aliases
       FROM countries c LEFT JOIN country_aliases a ON a.iso3 = c.iso3
      WHERE $1::text[] IS NULL OR c.iso3 = ANY($1::text[])
      GROUP BY c.iso3`,
    [iso3s],
  );
  if (rows.length === 0) return;
  await sql.query(
    `UPDATE countries c SET search = to_tsvector('simple', t.doc)
       FROM unnest($1::text[], $2::text[]) AS t(iso3, doc) WHERE c.iso3 = t.iso3`,
    [rows.map((r) => r.iso3), rows.map((r) => searchDocument(r.name_zh, r.name_en, r.iso3, r.iso2, ...r.aliases))],
  );
}

/** Every group with its member codes. */
export async function listGroupRows(sql: Sql): Promise<GroupRow[]> {
  return sql.query<GroupRow>(
    `SELECT g.code, g.name_zh, g.name_en, g.description,
            coalesce((SELECT array_agg(m.iso3::text ORDER BY m.iso3) FROM country_group_members m WHERE m.group_code = g.code), '{}') AS members
       FROM country_groups g ORDER BY g.code`,
  );
}

/** Whether a group code exists. */
export async function groupExists(sql: Sql, code: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM country_groups WHERE code = $1', [code])).length > 0;
}

const INDICATOR_COLUMNS = 'id, iso3, indicator, year, value_num, value_text, unit, source, import_id';

/** Indicator values of one country, optionally of one indicator, newest year first. */
export async function indicatorsOf(sql: Sql, iso3: string, indicator?: string): Promise<IndicatorRow[]> {
  return sql.query<IndicatorRow>(
    `SELECT ${INDICATOR_COLUMNS} FROM country_indicators
      WHERE iso3 = $1 AND ($2::text IS NULL OR indicator = $2) ORDER BY indicator, year DESC`,
    [iso3, indicator ?? null],
  );
}

/** Values of one indicator for every country, optionally of one year. */
export async function indicatorValues(sql: Sql, indicator: string, year?: number): Promise<IndicatorRow[]> {
  return sql.query<IndicatorRow>(
    `SELECT ${INDICATOR_COLUMNS} FROM country_indicators
      WHERE indicator = $1 AND ($2::int IS NULL OR year = $2) ORDER BY iso3, year DESC`,
    [indicator, year ?? null],
  );
}

/** Inserts or replaces the value of (iso3, indicator, year); returns its id and the row it replaced. */
export async function upsertIndicator(
  sql: Sql,
  v: Omit<IndicatorRow, 'id'>,
): Promise<{ id: number; before: IndicatorRow | null }> {
  const before = await sql.query<IndicatorRow>(
    `SELECT ${INDICATOR_COLUMNS} FROM country_indicators WHERE iso3 = $1 AND indicator = $2 AND year = $3 FOR UPDATE`,
    [v.iso3, v.indicator, v.year],
  );
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO country_indicators (iso3, indicator, year, value_num, value_text, unit, source, import_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (iso3, indicator, year) DO UPDATE SET value_num = EXCLUDED.value_num, value_text = EXCLUDED.value_text,
       unit = EXCLUDED.unit, source = EXCLUDED.source, import_id = EXCLUDED.import_id
     RETURNING id`,
    [v.iso3, v.indicator, v.year, v.value_num, v.value_text, v.unit, v.source, v.import_id],
  );
  return { id: row.id, before: before[0] ?? null };
}
