/**
 * The audit log: every write records who, when, what, before and after, inside the write's own
 * transaction (so an entry exists exactly when the write committed). Entries form a hash chain;
 * `verifyAuditChain` recomputes it and names the first entry that does not fit.
 */
import type { Actor } from '../../actor.ts';
import { forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { can } from '../auth/auth.policy.ts';
import { canonicalJson, entryHash, GENESIS_HASH, jsonValue, type ChainedEntry } from './audit.chain.ts';
import { entriesAfter, insertEntries, listEntries, lockHead, readHead, type AuditRow } from './audit.repo.ts';

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

/**
 * Appends entries to the audit log inside the caller's write transaction `tx`. The chain's
 * head stays locked until that transaction ends, so call this at the end of the transaction,
 * after the write itself: concurrent writers queue only for the rest of it.
 */
export async function recordAuditBatch(tx: Sql, entries: readonly AuditEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  const head = await lockHead(tx);
  const at = new Date().toISOString();
  let prev = head.hash;
  const rows = entries.map((e) => {
    const c = chained(e, at);
    const hash = entryHash(prev, c);
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
  return insertEntries(tx, rows);
}

/** Appends one entry inside the caller's write transaction; returns its sequence number. */
export async function recordAudit(tx: Sql, entry: AuditEntry): Promise<number> {
  return (await recordAuditBatch(tx, [entry]))[0];
}

export interface VerifyResult {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** The newest entry: write it down elsewhere to detect a rewrite of the whole chain. */
  head: { seq: number; hash: string };
  /** The first entry that does not fit, when not ok. */
  first_bad?: {
    seq: number | null;
    problem: 'edited' | 'chain_broken' | 'head_mismatch';
    message: string;
    message_en: string;
  };
}

const asIso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

function fromRow(r: AuditRow): ChainedEntry {
  return {
    at: asIso(r.at),
    actor: r.actor,
    actor_user_id: r.actor_user_id == null ? null : Number(r.actor_user_id),
    action: r.action,
    entity: r.entity,
    entity_id: r.entity_id,
    before: r.before ?? null,
    after: r.after ?? null,
    request_id: r.request_id,
  };
}

/**
 * Recomputes the whole chain in order. An edited entry no longer matches its own hash; a
 * deleted one leaves the next entry pointing at a hash that is not its predecessor's; a
 * deleted last entry leaves the head pointing past the end.
 */
export async function verifyAuditChain(db: Sql, pageSize = 5000): Promise<VerifyResult> {
  const head = await readHead(db);
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let count = 0;
  for (;;) {
    const page = await entriesAfter(db, lastSeq, pageSize);
    for (const r of page) {
      const seq = Number(r.seq);
      count++;
      if (r.prev_hash !== prev) {
        return {
          ok: false,
          entries: count,
          head,
          first_bad: {
            seq,
            problem: 'chain_broken',
            message: `审计记录 #${seq} 之前的记录被删除或修改（链接断开）`,
            message_en: `The chain is broken before entry #${seq}: an earlier entry was deleted or changed`,
          },
        };
      }
      if (entryHash(prev, fromRow(r)) !== r.hash) {
        return {
          ok: false,
          entries: count,
          head,
          first_bad: {
            seq,
            problem: 'edited',
            message: `审计记录 #${seq} 的内容被修改（哈希不符）`,
            message_en: `Entry #${seq} was edited: its content does not match its hash`,
          },
        };
      }
      prev = r.hash;
      lastSeq = seq;
    }
    if (page.length < pageSize) break;
  }
  if (head.hash !== prev || (count > 0 && head.seq !== lastSeq)) {
    return {
      ok: false,
      entries: count,
      head,
      first_bad: {
        seq: head.seq || null,
        problem: 'head_mismatch',
        message: `最新的审计记录（#${head.seq}）缺失或被修改`,
        message_en: `The newest entry (#${head.seq}) is missing or was changed`,
      },
    };
  }
  return { ok: true, entries: count, head };
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
  return { seq: Number(r.seq), ...fromRow(r), hash: r.hash };
}

/** Entries filtered by actor, action, entity and date range, newest first (administrators). */
export async function listAudit(ctx: ServiceContext, q: AuditQuery) {
  if (!can(ctx.actor, 'audit', { kind: 'audit' })) throw forbidden();
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

/** The chain check for the API and the CLI (administrators and the operator). */
export async function verifyAudit(ctx: ServiceContext): Promise<VerifyResult> {
  if (!can(ctx.actor, 'audit', { kind: 'audit' })) throw forbidden();
  return verifyAuditChain(ctx.db);
}
