/**
 * Importing a countries table: each row names a country (in any common form) and gives
 * dated indicator values (GII2022排名区间 → indicator gii_rank_band, year 2022) and optionally
 * a group. A name that is not a country (西奈半岛 is part of Egypt) is reported with suggestions
 * and its row is skipped; the rest import.
 */
import type { Sql } from '../../store/db.ts';
import { isBlank } from './convert.ts';
import type { MappedRow } from './imports.service.ts';
import type { ImportIssue } from './imports.types.ts';
import type { countryCache } from './resolvers.ts';
import { parseNumber } from './read/values.ts';

/** An indicator column's code and year, from its header. */
export function indicatorOfHeader(label: string): { indicator: string; year: number | null } {
  const year = /((?:19|20)\d{2})/.exec(label);
  const y = year ? Number(year[1]) : null;
  if (/GII|全球创新指数/i.test(label)) {
    if (/区间|band/i.test(label)) return { indicator: 'gii_rank_band', year: y };
    if (/排名|rank/i.test(label)) return { indicator: 'gii_rank', year: y };
    return { indicator: 'gii_score', year: y };
  }
  return { indicator: label.replace(/((?:19|20)\d{2})\s*年?/, '').trim() || label, year: y };
}

export async function importCountryRows(
  tx: Sql,
  batch: MappedRow[],
  env: { countries: ReturnType<typeof countryCache>; log: { add(i: ImportIssue): void }; importId: number; group?: string; writing: boolean },
) {
  let imported = 0;
  let rejected = 0;
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  const currentYear = new Date().getFullYear();
  for (const m of batch) {
    const cell = m.values.get('country')!;
    const name = String(cell.value ?? '').trim();
    const r = await env.countries.get(name);
    if (!r.iso3) {
      env.log.add({
        row: m.row,
        column: cell.column,
        code: 'COUNTRY_UNRESOLVED',
        severity: 'warning',
        message: `“${name}”不是可识别的国家或地区，该行未导入${r.suggestions.length ? `；可能相关：${r.suggestions.map((s) => `${s.name_zh}（${s.iso3}）`).join('、')}` : ''}`,
        message_en: `"${name}" is not a recognised country or region; row skipped${r.suggestions.length ? `. Possibly related: ${r.suggestions.map((s) => `${s.name_en} (${s.iso3})`).join(', ')}` : ''}`,
        value: name,
        suggestions: r.suggestions,
      });
      rejected++;
      continue;
    }
    imported++;
    if (!env.writing) continue;
    const group = m.values.get('group');
    const groups = [env.group, group && !isBlank(group.value) ? String(group.value).trim() : undefined].filter(Boolean) as string[];
    for (const g of groups) {
      const rows = await tx.query(
        `INSERT INTO country_group_members (group_code, iso3, source, import_id)
         SELECT code, $2, 'import', $3 FROM country_groups WHERE code = $1 OR name_zh = $1 OR name_en = $1
         ON CONFLICT DO NOTHING RETURNING 1`,
        [g, r.iso3, env.importId],
      );
      if (rows.length) inserted++;
      else unchanged++;
    }
    for (const u of m.unmapped) {
      if (isBlank(u.value)) continue;
      const { indicator, year } = indicatorOfHeader(u.label);
      const num = typeof u.value === 'number' ? u.value : parseNumber(String(u.value)).value ?? null;
      const text = num === null ? String(u.value).trim() : null;
      const y = year ?? currentYear;
      const before = await tx.query<{ value_num: number | null; value_text: string | null; unit: string | null; source: string | null; import_id: number | null }>(
        'SELECT value_num, value_text, unit, source, import_id FROM country_indicators WHERE iso3 = $1 AND indicator = $2 AND year = $3',
        [r.iso3, indicator, y],
      );
      if (before.length) {
        const b = before[0];
        if ((b.value_num === null ? null : Number(b.value_num)) === num && b.value_text === text) {
          unchanged++;
          continue;
        }
        await tx.query('INSERT INTO import_changes (import_id, table_name, record_key, before) VALUES ($1, $2, $3, $4)', [
          env.importId,
          'country_indicators',
          `${r.iso3}|${indicator}|${y}`,
          JSON.stringify(b),
        ]);
        await tx.query('UPDATE country_indicators SET value_num = $4, value_text = $5, unit = $6 WHERE iso3 = $1 AND indicator = $2 AND year = $3', [
          r.iso3,
          indicator,
          y,
          num,
          text,
          u.unit ?? null,
        ]);
        updated++;
      } else {
        await tx.query(
          `INSERT INTO country_indicators (iso3, indicator, year, value_num, value_text, unit, source, import_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [r.iso3, indicator, y, num, text, u.unit ?? null, u.label, env.importId],
        );
        inserted++;
      }
    }
  }
  return { imported, rejected, inserted, updated, unchanged };
}
