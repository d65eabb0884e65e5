/**
 * A project's related records for its detail page: partners with their countries, funding
 * lines and outputs.
 */
import type { Sql } from '../../store/db.ts';

export async function projectRelated(db: Sql, id: number) {
  const [partners, funding, outputs] = await Promise.all([
    db.query(
      `SELECT pp.id, pp.role, pp.org_id, coalesce(o.name_zh, o.name_en) AS org_name, pp.country_iso3,
              c.name_zh AS country_name_zh, c.name_en AS country_name_en, pp.contribution, pp.currency
         FROM project_partners pp
         LEFT JOIN organizations o ON o.id = pp.org_id
         LEFT JOIN countries c ON c.iso3 = pp.country_iso3
        WHERE pp.project_id = $1 ORDER BY pp.id`,
      [id],
    ),
    db.query(`SELECT id, year, level, source, country_iso3, amount, currency, unit FROM funding WHERE project_id = $1 ORDER BY year, id`, [id]),
    db.query(`SELECT id, kind, title, identifier, year, quantity, value, unit FROM outputs WHERE project_id = $1 ORDER BY id`, [id]),
  ]);
  return { partners, funding, outputs };
}
