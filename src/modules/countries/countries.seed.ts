/**
 * Loads every ISO 3166-1 entry with Chinese and English names from i18n-iso-countries.
 * Hong Kong, Macao and Taiwan are regions of China in the Chinese convention (国家和地区).
 */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import type { Sql } from '../../store/db.ts';
import { searchDocument } from '../../text/tokenize.ts';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/zh.json'));
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** The three regions of China and their Chinese names as used in official statistics. */
export const CHINESE_REGIONS: Record<string, string> = { HKG: '中国香港', MAC: '中国澳门', TWN: '中国台湾' };

/** Inserts the ISO 3166-1 countries when the table is empty; returns how many were added. */
export async function seedCountries(db: Sql): Promise<number> {
  const have = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM countries');
  if (have[0].n > 0) return 0;
  const alpha3 = countries.getAlpha3Codes(); // alpha3 -> alpha2
  const rows = Object.entries(alpha3).map(([iso3, iso2]) => {
    const nameZh = CHINESE_REGIONS[iso3] ?? countries.getName(iso3, 'zh') ?? iso3;
    const nameEn = countries.getName(iso3, 'en', { select: 'official' }) ?? iso3;
    const aliasEn = countries.getName(iso3, 'en', { select: 'alias' });
    return {
      iso3,
      iso2,
      numeric: countries.alpha3ToNumeric(iso3) ?? null,
      nameZh,
      nameEn,
      kind: CHINESE_REGIONS[iso3] ? 'region' : 'country',
      sovereign: CHINESE_REGIONS[iso3] ? 'CHN' : null,
      search: searchDocument(nameZh, nameEn, aliasEn, iso3, iso2),
    };
  });
  await db.query(
    `INSERT INTO countries (iso3, iso2, numeric_code, name_zh, name_en, kind, search)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS t(iso3, iso2, num, zh, en, kind, doc)
     CROSS JOIN LATERAL (SELECT to_tsvector('simple', t.doc)) AS s(v)`.replace(
      'SELECT * FROM',
      'SELECT t.iso3, t.iso2, t.num, t.zh, t.en, t.kind, s.v FROM',
    ),
    [
      rows.map((r) => r.iso3),
      rows.map((r) => r.iso2),
      rows.map((r) => r.numeric),
      rows.map((r) => r.nameZh),
      rows.map((r) => r.nameEn),
      rows.map((r) => r.kind),
      rows.map((r) => r.search),
    ],
  );
  await db.query(`UPDATE countries SET sovereign_iso3 = 'CHN' WHERE iso3 IN ('HKG', 'MAC', 'TWN')`);
  return rows.length;
}
