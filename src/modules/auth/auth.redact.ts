/**
 * Restricted fields (FieldDef.restricted: a talent's e-mail and phone …) are shown only to
 * actors cleared for `restricted`, and to an organisation user on its own organisation's
 * records. Called on every row that leaves a service: lists, details, exports, search results.
 */
import type { Actor } from '../../actor.ts';
import type { RegistryDef } from '../registry/registry.types.ts';
import { clearanceOf } from './auth.policy.ts';

function ownRow(def: RegistryDef, actor: Actor, row: Record<string, unknown>): boolean {
  if (actor.orgId === undefined) return false;
  if (def.table === 'organizations') return Number(row.id) === actor.orgId;
  return def.fields.some((f) => f.type === 'ref' && f.ref === 'organizations' && row[f.name] != null && Number(row[f.name]) === actor.orgId);
}

/** The restricted fields of `row` that `actor` may not see. */
export function redactedFields(def: RegistryDef, actor: Actor, row: Record<string, unknown>): string[] {
  if (clearanceOf(actor) === 'restricted' || ownRow(def, actor, row)) return [];
  return def.fields.filter((f) => f.restricted && f.name in row).map((f) => f.name);
}

/** The row as `actor` may see it: restricted fields set to null when it lacks clearance. */
export function redact<T extends Record<string, unknown>>(def: RegistryDef, actor: Actor, row: T): T {
  const hidden = redactedFields(def, actor, row);
  if (hidden.length === 0) return row;
  const out: Record<string, unknown> = { ...row };
  for (const f of hidden) out[f] = null;
  return out as T;
}
