/**
 * The audit log's hash chain, pure: each entry's hash is sha256(prev_hash || canonical JSON of
 * the entry), so changing or removing any entry changes every hash after it.
 */
import { createHash } from 'node:crypto';

/** The prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hashed part of an entry, as stored (before and after already JSON values). */
export interface ChainedEntry {
  at: string;
  actor: string;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

/**
 * A value as plain JSON data, the way it will come back from a jsonb column: Dates become ISO
 * strings, undefined members disappear, undefined itself becomes null.
 */
export function jsonValue(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}

/**
 * JSON with object keys sorted at every level and no whitespace. jsonb reorders keys and
 * drops formatting, so only a canonical form hashes the same before and after storage.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** The hash of an entry that follows `prevHash`. */
export function entryHash(prevHash: string, e: ChainedEntry): string {
  const body = canonicalJson({
    at: e.at,
    actor: e.actor,
    actor_user_id: e.actor_user_id,
    action: e.action,
    entity: e.entity,
    entity_id: e.entity_id,
    before: e.before,
    after: e.after,
    request_id: e.request_id,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
