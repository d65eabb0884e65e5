/**
 * A project's related records for its detail page: partners with their countries, funding
 * lines and outputs. Funding lines and outputs are records of their own registries, so the
 * detail shows exactly what the funding and outputs lists show the actor: the same data scope
 * (regions, classification levels, own organisation, assignments) and the same redaction.
 * Partners belong to the project itself: whoever sees the project sees them.
 */
import type { Actor } from '../../actor.ts';
import { scopeOf } from '../auth/auth.policy.ts';
import { redact } from '../auth/auth.redact.ts';
import { scopeSql } from '../auth/auth.scope.ts';
import type { RegistryDef, RelatedRecords } from '../registry/registry.types.ts';
import { funding, outputs } from './defs.ts';

/**
 * The JSON array of a registry's rows linked to project `t.id` (columns `cols`, ordered by
 * `order`, both column names), within the actor's scope; parameters go to `param`.
 */
function linkedRows(def: RegistryDef, actor: Actor, param: (v: unknown) => string, cols: string[], order: string[]): string {
  const scope = scopeSql(def, scopeOf(actor), param, 'l');
  return `(SELECT coalesce(json_agg(x ORDER BY ${order.map((c) => `x.${c}`).join(', ')}), '[]'::json)
             FROM (SELECT ${cols.map((c) => `l.${c}`).join(', ')} FROM ${def.table} l WHERE l.project_id = t.id${scope ? ` AND ${scope}` : ''}) x)`;
}

type Rows = Record<string, unknown>[];

/** A project's partners, funding lines and outputs, read in the project's own query (alias `t`). */
export const projectRelated: RelatedRecords = {
  select: (actor, param) =>
    `(SELECT coalesce(json_agg(x ORDER BY x.id), '[]'::json)
        FROM (SELECT pp.id, pp.role, pp.org_id, coalesce(o.name_zh, o.name_en) AS org_name, pp.country_iso3,
                     c.name_zh AS country_name_zh, c.name_en AS country_name_en, pp.contribution, pp.currency
                FROM project_partners pp
                LEFT JOIN organizations o ON o.id = pp.org_id
                LEFT JOIN countries c ON c.iso3 = pp.country_iso3
               WHERE pp.project_id = t.id) x) AS partners,
     ${linkedRows(funding, actor, param, ['id', 'year', 'level', 'source', 'country_iso3', 'amount', 'currency', 'unit'], ['year', 'id'])} AS funding,
     ${linkedRows(outputs, actor, param, ['id', 'kind', 'title', 'identifier', 'year', 'quantity', 'value', 'unit'], ['id'])} AS outputs`,
  finish: (actor, row) => ({
    ...row,
    funding: (row.funding as Rows).map((r) => redact(funding, actor, r)),
    outputs: (row.outputs as Rows).map((r) => redact(outputs, actor, r)),
  }),
};
