/**
 * The audit log's chain, pure: each entry's hash covers the previous entry's hash and the
 * entry's canonical JSON, so changing or removing any entry changes every hash after it.
 *
 * - Keyed entries (from the key epoch on): hash = HMAC-SHA256(key, prev_hash || canonical JSON).
 *   Without the key nobody can compute one, so nobody with only the database can rewrite them.
 * - Legacy entries (written before the installation had a key): hash = sha256(prev_hash ||
 *   canonical JSON). They are never rewritten; the key epoch entry that follows them commits
 *   to the last one's hash, so they cannot be changed afterwards without breaking a keyed entry.
 */
import { createHash } from 'node:crypto';
import type { AuditKey } from './audit.key.ts';

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

/** The first keyed entry of a log: it follows the last legacy entry (or genesis) and names the key. */
export const EPOCH_ACTION = 'audit.key_epoch';

/** What the key epoch entry records (its `after`). */
export interface EpochRecord {
  key_id: string;
  /** Entries before it, chained by the unkeyed (legacy) rule. */
  legacy_entries: number;
  /** The last legacy entry (seq 0 and the genesis hash when there was none). */
  legacy_head: { seq: number; hash: string };
  /** A random id of this keyed chain. */
  chain: string;
}

function entryBody(e: ChainedEntry): string {
  return canonicalJson({
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
}

/** The legacy (unkeyed) hash of an entry that follows `prevHash`: sha256(prev_hash || canonical JSON). */
export function legacyHash(prevHash: string, e: ChainedEntry): string {
  return createHash('sha256').update(prevHash).update(entryBody(e)).digest('hex');
}

/** The keyed hash of an entry that follows `prevHash`: HMAC-SHA256(key, prev_hash || canonical JSON). */
export function keyedHash(key: AuditKey, prevHash: string, e: ChainedEntry): string {
  return key.mac(prevHash, entryBody(e));
}
