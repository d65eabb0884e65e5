/**
 * SQL of the audit log. Entries are only ever inserted (the table refuses UPDATE and DELETE).
 */
import type { Sql } from '../../store/db.ts';

export interface AuditRow {
  seq: number;
  at: Date | string;
  actor: string;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
  /** The key the chain is under (null: not keyed yet). */
  key_id: string | null;
}

const COLS = 'seq, at, actor, actor_user_id, action, entity, entity_id, before, after, request_id, prev_hash, hash';

/**
 * Locks the chain's head until the transaction ends, so that appends never fork the chain.
 * This row is where concurrent writers queue: from their audit append to their commit.
 */
export async function lockHead(tx: Sql): Promise<AuditHead> {
  const rows = await tx.query<AuditHead>('SELECT seq, hash, key_id FROM audit_head WHERE id = 1 FOR UPDATE');
  return { seq: Number(rows[0].seq), hash: rows[0].hash, key_id: rows[0].key_id };
}

export interface HeadState extends AuditHead {
  /** The largest seq in the log, read in the same statement (an entry past the head shows here). */
  max_seq: number;
}

/** The head and the log's largest seq, from one snapshot. */
export async function readHead(db: Sql): Promise<HeadState> {
  const rows = await db.query<HeadState>('SELECT h.seq, h.hash, h.key_id, (SELECT coalesce(max(seq), 0) FROM audit_log) AS max_seq FROM audit_head h WHERE h.id = 1');
  return { seq: Number(rows[0].seq), hash: rows[0].hash, key_id: rows[0].key_id, max_seq: Number(rows[0].max_seq) };
}

/** How many entries the log holds (once, when the key epoch begins). */
export async function countEntries(tx: Sql): Promise<number> {
  return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n;
}

export interface NewAuditRow {
  at: string;
  actor: string;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  /** Canonical JSON text (or null). */
  before: string | null;
  after: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * Appends entries in the given order and moves the head to the last; returns their seqs.
 * `keyId`: the key they are chained under; `epoch`: the first row begins the key epoch.
 */
export async function insertEntries(tx: Sql, rows: NewAuditRow[], keyId: string, epoch: boolean): Promise<number[]> {
  const col = <K extends keyof NewAuditRow>(k: K) => rows.map((r) => r[k]);
  const inserted = await tx.query<{ seq: number; hash: string }>(
    `INSERT INTO audit_log (at, actor, actor_user_id, action, entity, entity_id, before, after, request_id, prev_hash, hash)
     SELECT at, actor, actor_user_id, action, entity, entity_id, before::jsonb, after::jsonb, request_id, prev_hash, hash
       FROM unnest($1::timestamptz[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[])
            WITH ORDINALITY AS e(at, actor, actor_user_id, action, entity, entity_id, before, after, request_id, prev_hash, hash, n)
      ORDER BY n
     RETURNING seq, hash`,
    [
      col('at'),
      col('actor'),
      col('actor_user_id'),
      col('action'),
      col('entity'),
      col('entity_id'),
      col('before'),
      col('after'),
      col('request_id'),
      col('prev_hash'),
      col('hash'),
    ],
  );
  const seqByHash = new Map(inserted.map((r) => [r.hash, Number(r.seq)]));
  const seqs = rows.map((r) => seqByHash.get(r.hash)!);
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2, key_id = $3, epoch_seq = CASE WHEN $4::bigint IS NULL THEN epoch_seq ELSE $4 END WHERE id = 1', [
    seqs[seqs.length - 1],
    rows[rows.length - 1].hash,
    keyId,
    epoch ? seqs[0] : null,
  ]);
  return seqs;
}

/** Entries after `afterSeq` up to `upToSeq` in chain order, one page at a time (verification). */
export async function entriesBetween(db: Sql, afterSeq: number, upToSeq: number, limit: number): Promise<AuditRow[]> {
  return db.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, [afterSeq, upToSeq, limit]);
}

/** One entry by seq. */
export async function entryAt(db: Sql, seq: number): Promise<AuditRow | null> {
  return (await db.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE seq = $1`, [seq]))[0] ?? null;
}

/** The hashes of the entries at these seqs (absent seqs are missing from the map). */
export async function hashesAt(db: Sql, seqs: readonly number[]): Promise<Map<number, string>> {
  if (seqs.length === 0) return new Map();
  const rows = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log WHERE seq = ANY($1::bigint[])', [seqs]);
  return new Map(rows.map((r) => [Number(r.seq), r.hash]));
}

/** The first key epoch entry (through the entity index: entries on 'audit' are few). */
export async function firstEpochEntry(db: Sql, action: string): Promise<AuditRow | null> {
  return (await db.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE entity = 'audit' AND action = $1 ORDER BY seq LIMIT 1`, [action]))[0] ?? null;
}

export interface AuditFilter {
  actor?: string;
  actorUserId?: number;
  action?: string;
  entity?: string;
  entityId?: string;
  /** Inclusive lower bound (timestamp). */
  from?: string;
  /** Exclusive upper bound (timestamp). */
  before?: string;
  limit: number;
  offset: number;
}

/** One page of entries, newest first, with the total matching. */
export async function listEntries(db: Sql, f: AuditFilter): Promise<{ items: AuditRow[]; total: number }> {
  const rows = await db.query<AuditRow & { _total: number }>(
    `SELECT ${COLS}, count(*) OVER () AS _total FROM audit_log
      WHERE ($1::text IS NULL OR actor = $1)
        AND ($2::bigint IS NULL OR actor_user_id = $2)
        AND ($3::text IS NULL OR action = $3)
        AND ($4::text IS NULL OR entity = $4)
        AND ($5::text IS NULL OR entity_id = $5)
        AND ($6::timestamptz IS NULL OR at >= $6)
        AND ($7::timestamptz IS NULL OR at < $7)
      ORDER BY seq DESC LIMIT $8 OFFSET $9`,
    [f.actor ?? null, f.actorUserId ?? null, f.action ?? null, f.entity ?? null, f.entityId ?? null, f.from ?? null, f.before ?? null, f.limit, f.offset],
  );
  let total = rows.length ? Number(rows[0]._total) : 0;
  if (!rows.length && f.offset > 0) {
    const c = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log
        WHERE ($1::text IS NULL OR actor = $1) AND ($2::bigint IS NULL OR actor_user_id = $2) AND ($3::text IS NULL OR action = $3)
          AND ($4::text IS NULL OR entity = $4) AND ($5::text IS NULL OR entity_id = $5)
          AND ($6::timestamptz IS NULL OR at >= $6) AND ($7::timestamptz IS NULL OR at < $7)`,
      [f.actor ?? null, f.actorUserId ?? null, f.action ?? null, f.entity ?? null, f.entityId ?? null, f.from ?? null, f.before ?? null],
    );
    total = c[0].n;
  }
  return { items: rows.map(({ _total, ...r }) => r as AuditRow), total };
}

/** The ids of the enabled auditors (who hear of a failed verification). */
export async function activeAuditorIds(db: Sql): Promise<number[]> {
  const rows = await db.query<{ id: number }>(`SELECT id FROM users WHERE role = 'auditor' AND disabled_at IS NULL ORDER BY id`);
  return rows.map((r) => Number(r.id));
}
