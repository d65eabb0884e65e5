/**
 * A project's related records for its detail page: partners with their countries, funding
 * lines and outputs. Funding lines and outputs are records of their own registries, so the
 * detail shows exactly what the funding and outputs lists show the actor: the same data scope
 * (regions, classification levels, own organisation, assignments) and the same redaction.
 * Partners belong to the project itself: whoever sees the project sees them.
 */
import type { Actor } from '../../actor.ts';
import type { Sql } from '../../store/db.ts';
import { scopeOf } from '../auth/auth.policy.ts';
import { redact } from '../auth/auth.redact.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import type { RegistryDef } from '../registry/registry.types.ts';
import { funding, outputs } from './defs.ts';

/** Rows of a registry linked to project `id` (columns from `cols`), within the actor's scope. */
async function linkedRows(db: Sql, def: RegistryDef, actor: Actor, id: number, cols: string, order: string) {
  const params: unknown[] = [id];
  const scope = scopeSql(def, scopeOf(actor), (v) => {
    params.push(v);
    return `$${params.length}`;
  });
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${cols} FROM ${def.table} t WHERE t.project_id = $1${scope ? ` AND ${scope}` : ''} ORDER BY ${order}`,
    params,
  );
  return rows.map((r) => redact(def, actor, r));
}

/** Partners, funding lines and outputs of project `id` as `actor` may see them. */
export async function projectRelated(db: Sql, actor: Actor, id: number) {
  const [partners, fundingLines, outputRows] = await Promise.all([
    db.query(
      `SELECT pp.id, pp.role, pp.org_id, coalesce(o.name_zh, o.name_en) AS org_name, pp.country_iso3,
              c.name_zh AS country_name_zh, c.name_en AS country_name_en, pp.contribution, pp.currency
         FROM project_partners pp
         LEFT JOIN organizations o ON o.id = pp.org_id
         LEFT JOIN countries c ON c.iso3 = pp.country_iso3
        WHERE pp.project_id = $1 ORDER BY pp.id`,
      [id],
    ),
    linkedRows(db, funding, actor, id, 't.id, t.year, t.level, t.source, t.country_iso3, t.amount, t.currency, t.unit', 't.year, t.id'),
    linkedRows(db, outputs, actor, id, 't.id, t.kind, t.title, t.identifier, t.year, t.quantity, t.value, t.unit', 't.id'),
  ]);
  return { partners, funding: fundingLines, outputs: outputRows };
}
