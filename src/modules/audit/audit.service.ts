/**
 * The audit log: every write records who, when, what, before and after, inside the write's own
 * transaction (so an entry exists exactly when the write committed). Entries form a chain keyed
 * with HMAC under a key kept outside the store (audit.key.ts); entries written before the key
 * existed keep their unkeyed hashes, and the key epoch entry commits to the last of them.
 * Verification and checkpoints: audit.verify.ts.
 */
import { randomUUID } from 'node:crypto';
import { systemActor, type Actor } from '../../actor.ts';
import type { Config } from '../../config.ts';
import { forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Db, Sql } from '../../store/db.ts';
import { can } from '../auth/auth.policy.ts';
import { canonicalJson, EPOCH_ACTION, jsonValue, keyedHash, type ChainedEntry, type EpochRecord } from './audit.chain.ts';
import { appendCheckpoint, type Checkpoint } from './audit.checkpoints.ts';
import { auditKeyMismatch, auditKeyNotLoaded } from './audit.errors.ts';
import { loadAuditAnchor, type AuditAnchor } from './audit.key.ts';
import { countEntries, insertEntries, listEntries, lockHead, readHead, type AuditRow, type NewAuditRow } from './audit.repo.ts';
import { chainedOf, takeCheckpoint, verifyAuditChain, type CheckpointResult, type VerifyResult } from './audit.verify.ts';

export { verifyAuditChain, takeCheckpoint, type VerifyResult, type CheckpointResult };

export interface AuditEntry {
  /** Who: the actor of the write (its name and user id are recorded). */
  actor: Pick<Actor, 'name' | 'userId'>;
  /** What was done: create, update, delete, import, undo, auth.login, user.create … */
  action: string;
  /** To what: project, organization, user, import … */
  entity: string;
  entityId?: string | number | null;
  /** The record before the write (null for a creation). */
  before?: unknown;
  /** The record after the write (null for a deletion). */
  after?: unknown;
  /** The HTTP request id, when the write came through the API. */
  requestId?: string | null;
}

export interface AuditDto {
  seq: number;
  at: string;
  actor: string;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  hash: string;
}

function chained(e: AuditEntry, at: string): ChainedEntry {
  return {
    at,
    actor: e.actor.name,
    actor_user_id: e.actor.userId ?? null,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId == null ? null : String(e.entityId),
    before: jsonValue(e.before),
    after: jsonValue(e.after),
    request_id: e.requestId ?? null,
  };
}

interface Appended {
  seqs: number[];
  /** The key epoch entry, when this append began it. */
  epoch: { seq: number; hash: string; entries: number } | null;
}

/**
 * Appends entries under the head's lock, keyed with the store's audit key. A chain not keyed
 * yet gets its key epoch entry first (committing to the last legacy hash); a chain under
 * another key is refused, so that no entry is written that could never verify.
 */
async function append(tx: Sql, entries: readonly AuditEntry[]): Promise<Appended> {
  const anchor = tx.auditAnchor;
  if (!anchor) throw auditKeyNotLoaded();
  const { key } = anchor;
  const head = await lockHead(tx);
  if (head.key_id !== null && head.key_id !== key.id) throw auditKeyMismatch(key.id, head.key_id);
  const at = new Date().toISOString();
  const list: AuditEntry[] = [...entries];
  let legacy = 0;
  if (head.key_id === null) {
    legacy = await countEntries(tx);
    const record: EpochRecord = { key_id: key.id, legacy_entries: legacy, legacy_head: { seq: head.seq, hash: head.hash }, chain: randomUUID() };
    list.unshift({ actor: systemActor('innolink'), action: EPOCH_ACTION, entity: 'audit', entityId: key.id, after: record });
  }
  if (list.length === 0) return { seqs: [], epoch: null };
  let prev = head.hash;
  const rows: NewAuditRow[] = list.map((e) => {
    const c = chained(e, at);
    const hash = keyedHash(key, prev, c);
    const row = {
      ...c,
      before: c.before === null ? null : canonicalJson(c.before),
      after: c.after === null ? null : canonicalJson(c.after),
      prev_hash: prev,
      hash,
    };
    prev = hash;
    return row;
  });
  const seqs = await insertEntries(tx, rows, key.id, head.key_id === null);
  if (head.key_id !== null) return { seqs, epoch: null };
  return { seqs: seqs.slice(1), epoch: { seq: seqs[0], hash: rows[0].hash, entries: legacy + 1 } };
}

/**
 * Appends entries to the audit log inside the caller's write transaction `tx`. The chain's
 * head stays locked until that transaction ends, so call this at the end of the transaction,
 * after the write itself: concurrent writers queue only for the rest of it.
 */
export async function recordAuditBatch(tx: Sql, entries: readonly AuditEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  return (await append(tx, entries)).seqs;
}

/** Appends one entry inside the caller's write transaction; returns its sequence number. */
export async function recordAudit(tx: Sql, entry: AuditEntry): Promise<number> {
  return (await recordAuditBatch(tx, [entry]))[0];
}

/**
 * Gives an opened store its audit anchor: the key (created on the first start, while the log is
 * not keyed yet) and the checkpoint file. A log not keyed yet gets its key epoch entry now, and
 * a first checkpoint of it, so that a keyed installation always has both. Refuses a key that
 * is not the one the log is chained under.
 */
export async function attachAuditAnchor(db: Db, config: Pick<Config, 'auditKeyFile' | 'auditCheckpointFile' | 'dataDir' | 'databaseUrl'>): Promise<AuditAnchor> {
  const head = await readHead(db);
  const anchor = loadAuditAnchor(config, { create: head.key_id === null });
  if (head.key_id !== null && head.key_id !== anchor.key.id) throw auditKeyMismatch(anchor.key.id, head.key_id);
  db.auditAnchor = anchor;
  if (head.key_id === null) {
    const { epoch } = await db.transaction((tx) => append(tx, []));
    if (epoch) appendCheckpoint(anchor, epoch);
  }
  return anchor;
}

export interface AuditQuery {
  actor?: string;
  actor_user_id?: number;
  action?: string;
  entity?: string;
  entity_id?: string;
  /** From this date or time on (YYYY-MM-DD: that day's start). */
  from?: string;
  /** Up to this date or time (YYYY-MM-DD: through that whole day). */
  to?: string;
  page: number;
  pageSize: number;
}

function dayAfter(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

function toDto(r: AuditRow): AuditDto {
  // The chained fields as the hash covers them, with the row's place and hash around them.
  return { seq: Number(r.seq), ...chainedOf(r), hash: r.hash };
}

/** Entries filtered by actor, action, entity and date range, newest first (auditors and the operator). */
export async function listAudit(ctx: ServiceContext, q: AuditQuery) {
  if (!can(ctx.actor, 'read', { kind: 'audit' })) throw forbidden();
  const isDay = (s?: string) => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);
  const { items, total } = await listEntries(ctx.db, {
    actor: q.actor,
    actorUserId: q.actor_user_id,
    action: q.action,
    entity: q.entity,
    entityId: q.entity_id,
    from: q.from,
    // A date as upper bound means the whole day; a time is taken as given (inclusive).
    before: q.to === undefined ? undefined : isDay(q.to) ? dayAfter(q.to) : new Date(new Date(q.to).getTime() + 1).toISOString(),
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { items: items.map(toDto), total, page: q.page, pageSize: q.pageSize };
}

/** The chain check for the API and the CLI (auditors and the operator): full unless asked otherwise. */
export async function verifyAudit(ctx: ServiceContext, opts: { incremental?: boolean } = {}): Promise<VerifyResult> {
  if (!can(ctx.actor, 'audit', { kind: 'audit' })) throw forbidden();
  return verifyAuditChain(ctx.db, { mode: opts.incremental ? 'incremental' : 'full' });
}

/** Verifies and, when the log is intact, writes a checkpoint of its head (auditors and the operator). */
export async function checkpointAudit(ctx: ServiceContext, opts: { full?: boolean } = {}): Promise<CheckpointResult> {
  if (!can(ctx.actor, 'audit', { kind: 'audit' })) throw forbidden();
  return takeCheckpoint(ctx.db, opts);
}

export type { Checkpoint };
