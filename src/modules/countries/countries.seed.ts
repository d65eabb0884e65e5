/**
 * Loads every ISO 3166-1 entry with Chinese and English names from i18n-iso-countries, the
 * built-in aliases and the built-in country groups. Hong Kong, Macao and Taiwan are regions of
 * China in the Chinese convention (国家和地区). Idempotent: safe on every start.
 */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import type { Sql } from '../../store/db.ts';
import { builtinAliases, type CanonicalNames } from './countries.aliases.ts';
import { BUILTIN_GROUPS } from './countries.groups.ts';
import { refreshCountrySearch } from './countries.repo.ts';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/zh.json'));
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** The three regions of China and their Chinese names as used in official statistics. */
export const CHINESE_REGIONS: Record<string, string> = { HKG: '中国香港', MAC: '中国澳门', TWN: '中国台湾' };

// The package's colloquial Chinese short forms where the official one is what tables use.
const NAME_ZH: Record<string, string> = { IDN: '印度尼西亚' };

// The package's first English name is sometimes a long form ("People's Republic of China") or
// does not follow the Chinese convention for the regions; these read better in lists.
const NAME_EN: Record<string, string> = {
  CHN: 'China',
  HKG: 'Hong Kong, China',
  MAC: 'Macao, China',
  TWN: 'Taiwan, China',
  MKD: 'North Macedonia',
  GMB: 'Gambia',
  CIV: "Côte d'Ivoire",
};

/** The canonical names of every ISO 3166-1 entry (plus Kosovo, which the package carries). */
export function isoCountryNames(): (CanonicalNames & { numeric: string | null; kind: 'country' | 'region' })[] {
  return Object.entries(countries.getAlpha3Codes()).map(([iso3, iso2]) => ({
    iso3,
    iso2,
    numeric: countries.alpha3ToNumeric(iso3) ?? null,
    name_zh: CHINESE_REGIONS[iso3] ?? NAME_ZH[iso3] ?? countries.getName(iso3, 'zh') ?? iso3,
    name_en: NAME_EN[iso3] ?? countries.getName(iso3, 'en', { select: 'official' }) ?? iso3,
    kind: CHINESE_REGIONS[iso3] ? 'region' : 'country',
  }));
}

/** Inserts the ISO 3166-1 countries when the table is empty; returns how many were added. */
async function seedCountryRows(db: Sql): Promise<number> {
  const have = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM countries');
  if (have[0].n > 0) return 0;
  const rows = isoCountryNames();
  await db.query(
    `INSERT INTO countries (iso3, iso2, numeric_code, name_zh, name_en, kind)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      rows.map((r) => r.iso3),
      rows.map((r) => r.iso2),
      rows.map((r) => r.numeric),
      rows.map((r) => r.name_zh),
      rows.map((r) => r.name_en),
      rows.map((r) => r.kind),
    ],
  );
  await db.query(`UPDATE countries SET sovereign_iso3 = 'CHN' WHERE iso3 IN ('HKG', 'MAC', 'TWN')`);
  return rows.length;
}

/**
 * Adds the built-in aliases that are missing (a user alias holding the same key is kept) and
 * refreshes the search vectors when anything was added; returns how many were added.
 */
export async function seedCountryAliases(db: Sql): Promise<number> {
  const canon = await db.query<CanonicalNames>('SELECT iso3, iso2, name_zh, name_en FROM countries');
  const rows = builtinAliases(canon);
  const keys = rows.map((r) => r.alias_key);
  // One cheap query on every start; the insert and the search refresh only when something is missing.
  const [present] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM country_aliases WHERE alias_key = ANY($1::text[])',
    [keys],
  );
  if (present.n >= rows.length) return 0;
  const added = await db.query<{ iso3: string }>(
    `INSERT INTO country_aliases (alias_key, alias, iso3, lang, source)
     SELECT k, a, i, l, 'builtin' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(k, a, i, l)
     ON CONFLICT (alias_key) DO NOTHING
     RETURNING iso3`,
    [keys, rows.map((r) => r.alias), rows.map((r) => r.iso3), rows.map((r) => r.lang)],
  );
  await refreshCountrySearch(db, null);
  return added.length;
}

/** Adds the built-in groups and memberships that are missing; returns how many members were added. */
export async function seedCountryGroups(db: Sql): Promise<number> {
  const pairs = BUILTIN_GROUPS.flatMap((g) => g.members.map((iso3) => [g.code, iso3] as const));
  const [present] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM unnest($1::text[], $2::text[]) AS t(g, i)
       JOIN country_group_members m ON m.group_code = t.g AND m.iso3 = t.i`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  if (present.n >= pairs.length) return 0;
  await db.query(
    `INSERT INTO country_groups (code, name_zh, name_en, description)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (code) DO NOTHING`,
    [
      BUILTIN_GROUPS.map((g) => g.code),
      BUILTIN_GROUPS.map((g) => g.name_zh),
      BUILTIN_GROUPS.map((g) => g.name_en),
      BUILTIN_GROUPS.map((g) => g.description),
    ],
  );
  const added = await db.query(
    `INSERT INTO country_group_members (group_code, iso3, source)
     SELECT t.g, t.i, 'builtin' FROM unnest($1::text[], $2::text[]) AS t(g, i)
       JOIN countries c ON c.iso3 = t.i
     ON CONFLICT (group_code, iso3) DO NOTHING
     RETURNING iso3`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  return added.length;
}

/**
 * Loads the countries when the table is empty, then any missing built-in alias and group
 * membership; returns how many countries were added.
 */
export async function seedCountries(db: Sql): Promise<number> {
  const added = await seedCountryRows(db);
  await seedCountryAliases(db);
  await seedCountryGroups(db);
  // Vectors cleared by a migration when the tokenizer changed (013) are written again.
  const [stale] = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM countries WHERE search IS NULL) AS any');
  if (stale.any) await refreshCountrySearch(db, null);
  return added;
}
