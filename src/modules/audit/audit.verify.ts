/**
 * Verifying the audit log against its key and its checkpoints, and taking checkpoints.
 *
 * Full verification recomputes every entry: legacy entries by the unkeyed rule up to the key
 * epoch, every entry from the epoch on by HMAC under the key; each checkpoint's entry must be
 * found with the recorded hash and count, no checkpoint may lie past the end of the log, and a
 * log without a key epoch fails (it was emptied, or rewritten without the key).
 *
 * Incremental verification (the schedule) starts from the latest checkpoint: it checks that
 * every checkpointed entry is still there with its hash (one query), recomputes the checkpoint's
 * own entry and every entry after it. Edits to entries before the latest checkpoint are left
 * to full verification, on demand.
 */
import type { Sql } from '../../store/db.ts';
import { EPOCH_ACTION, GENESIS_HASH, keyedHash, legacyHash, type ChainedEntry, type EpochRecord } from './audit.chain.ts';
import { appendCheckpoint, latestCheckpoint, readCheckpoints, type Checkpoint, type CheckpointFile } from './audit.checkpoints.ts';
import { auditKeyNotLoaded } from './audit.errors.ts';
import type { AuditAnchor } from './audit.key.ts';
import { entriesBetween, entryAt, firstEpochEntry, hashesAt, readHead, type AuditRow, type HeadState } from './audit.repo.ts';

export const AUDIT_PROBLEMS = [
  'edited',
  'chain_broken',
  'head_mismatch',
  'key_mismatch',
  'not_keyed',
  'behind_checkpoint',
  'checkpoint_mismatch',
  'checkpoint_invalid',
] as const;
export type AuditProblem = (typeof AUDIT_PROBLEMS)[number];

export interface FirstBad {
  seq: number | null;
  problem: AuditProblem;
  message: string;
  message_en: string;
}

export interface VerifyResult {
  ok: boolean;
  /** full: every entry recomputed; incremental: from the latest checkpoint on. */
  mode: 'full' | 'incremental';
  /** Entries in the log up to the head. */
  entries: number;
  /** Entries recomputed by this run. */
  checked: number;
  /** The newest entry. */
  head: { seq: number; hash: string };
  key: {
    /** The id of the key configured (a fingerprint, not the key). */
    id: string;
    /** The key epoch entry (null: none found). */
    epoch_seq: number | null;
    /** Entries before the epoch, checked by the unkeyed rule of the time before the key. */
    legacy_entries: number;
  };
  checkpoints: {
    /** Checkpoints in the file that verify under the key. */
    valid: number;
    /** Lines that do not (the file was edited). */
    invalid: number;
    latest: Checkpoint | null;
  };
  first_bad?: FirstBad;
}

const at = (c: Checkpoint) => c.at.slice(0, 19).replace('T', ' ');

/** Bilingual wording of each problem. */
const say = {
  edited: (seq: number) => [`审计记录 #${seq} 的内容被修改（哈希不符）`, `Entry #${seq} was edited: its content does not match its hash`],
  chainBroken: (seq: number) => [`审计记录 #${seq} 之前的记录被删除或修改（链接断开）`, `The chain is broken before entry #${seq}: an earlier entry was deleted or changed`],
  headMissing: (seq: number) => [`最新的审计记录（#${seq}）缺失或被修改`, `The newest entry (#${seq}) is missing or was changed`],
  pastHead: (head: number, max: number) => [
    `日志中有排在链头 #${head} 之后的记录（至 #${max}）：链头被回退`,
    `The log holds entries after its head #${head} (up to #${max}): the head was moved back`,
  ],
  keyMismatch: (seq: number, logKey: string, key: string) => [
    `审计记录 #${seq}（密钥纪元）所用密钥（编号 ${logKey}）不是当前配置的密钥（编号 ${key}）：请检查审计密钥文件的配置`,
    `Entry #${seq} (the key epoch) names key ${logKey}, but the key configured is ${key}: check which audit key file is configured`,
  ],
  noEpoch: () => [
    '审计日志中没有密钥纪元记录：日志被清空，或在没有密钥的情况下被整体重写',
    'The log holds no key epoch entry: it was emptied, or rewritten without the key',
  ],
  keyedWithoutEpoch: (seq: number) => [
    `审计记录 #${seq} 由密钥计算，但之前没有密钥纪元记录：之前的记录被删除或重写`,
    `Entry #${seq} is keyed, but no key epoch entry comes before it: the entries before it were deleted or rewritten`,
  ],
  behind: (lastSeq: number, count: number | null, c: Checkpoint) => [
    `审计日志止于 #${lastSeq}${count === null ? '' : `（共 ${count} 条）`}，但 ${at(c)}（UTC）的检查点记录到 #${c.seq}（共 ${c.entries} 条）：最新的记录被删除，或数据库被回退`,
    `The log ends at #${lastSeq}${count === null ? '' : ` (${count} entries)`}, but the checkpoint of ${at(c)} UTC recorded #${c.seq} (${c.entries} entries): the newest entries were deleted, or the store was rolled back`,
  ],
  cpMismatch: (seq: number, c: Checkpoint) => [
    `审计记录 #${seq} 与 ${at(c)}（UTC）的检查点不符（哈希或条数不同）：日志被改写`,
    `Entry #${seq} does not match the checkpoint of ${at(c)} UTC (hash or entry count differs): the log was rewritten`,
  ],
  cpMissing: (c: Checkpoint) => [
    `${at(c)}（UTC）的检查点记录的审计记录 #${c.seq} 已不在日志中：日志被改写`,
    `Entry #${c.seq}, recorded by the checkpoint of ${at(c)} UTC, is no longer in the log: the log was rewritten`,
  ],
  cpInvalid: (lines: number[]) => [
    `检查点文件第 ${lines.slice(0, 10).join('、')} 行无法用审计密钥验证：文件被修改`,
    lines.length > 1
      ? `Lines ${lines.slice(0, 10).join(', ')} of the checkpoint file fail their MAC under the audit key: the file was edited`
      : `Line ${lines[0]} of the checkpoint file fails its MAC under the audit key: the file was edited`,
  ],
};

const asIso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

/** The chained fields of a stored row, as the hash covers them. */
export function chainedOf(r: AuditRow): ChainedEntry {
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

function anchorOf(db: Sql): AuditAnchor {
  if (!db.auditAnchor) throw auditKeyNotLoaded();
  return db.auditAnchor;
}

class Outcome {
  first: FirstBad | undefined;
  /** Keeps the first problem found (chain order during the walk, then the end checks). */
  bad(seq: number | null, problem: AuditProblem, [message, message_en]: string[]): void {
    this.first ??= { seq, problem, message, message_en };
  }
}

function epochOf(r: AuditRow): EpochRecord | null {
  const a = r.after as Partial<EpochRecord> | null;
  return a && typeof a.key_id === 'string' ? (a as EpochRecord) : null;
}

function result(
  mode: VerifyResult['mode'],
  head: HeadState,
  anchor: AuditAnchor,
  cps: CheckpointFile,
  s: { entries: number; checked: number; epochSeq: number | null; legacy: number },
  o: Outcome,
): VerifyResult {
  return {
    ok: !o.first,
    mode,
    entries: s.entries,
    checked: s.checked,
    head: { seq: head.seq, hash: head.hash },
    key: { id: anchor.key.id, epoch_seq: s.epochSeq, legacy_entries: s.legacy },
    checkpoints: { valid: cps.valid.length, invalid: cps.invalid.length, latest: latestCheckpoint(cps.valid) },
    ...(o.first ? { first_bad: o.first } : {}),
  };
}

/** The checks after the walk: the head, checkpoints past the end, the key epoch, the checkpoint file. */
function endChecks(o: Outcome, head: HeadState, cps: CheckpointFile, end: { lastSeq: number; prev: string; count: number; epoch: boolean }): void {
  if (head.max_seq > head.seq) o.bad(head.max_seq, 'head_mismatch', say.pastHead(head.seq, head.max_seq));
  if (head.hash !== end.prev || head.seq !== end.lastSeq) o.bad(head.seq || null, 'head_mismatch', say.headMissing(head.seq));
  const latest = latestCheckpoint(cps.valid);
  if (latest && latest.seq > end.lastSeq) o.bad(latest.seq, 'behind_checkpoint', say.behind(end.lastSeq, end.count, latest));
  if (!end.epoch) o.bad(null, 'not_keyed', say.noEpoch());
  if (cps.invalid.length) o.bad(null, 'checkpoint_invalid', say.cpInvalid(cps.invalid.map((l) => l.line)));
}

async function verifyFull(db: Sql, anchor: AuditAnchor, head: HeadState, cps: CheckpointFile, pageSize: number): Promise<VerifyResult> {
  const { key } = anchor;
  const o = new Outcome();
  const pending = new Map<number, Checkpoint[]>();
  for (const c of cps.valid) pending.set(c.seq, [...(pending.get(c.seq) ?? []), c]);
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let count = 0;
  let epochSeq: number | null = null;
  let legacy = 0;
  walk: for (;;) {
    const page = await entriesBetween(db, lastSeq, head.seq, pageSize);
    for (const r of page) {
      const seq = Number(r.seq);
      count++;
      if (r.prev_hash !== prev) {
        o.bad(seq, 'chain_broken', say.chainBroken(seq));
        break walk;
      }
      const e = chainedOf(r);
      if (epochSeq === null) {
        if (r.action === EPOCH_ACTION) {
          const rec = epochOf(r);
          if (rec && rec.key_id !== key.id) {
            o.bad(seq, 'key_mismatch', say.keyMismatch(seq, rec.key_id, key.id));
            break walk;
          }
          if (!rec || keyedHash(key, prev, e) !== r.hash) {
            o.bad(seq, 'edited', say.edited(seq));
            break walk;
          }
          epochSeq = seq;
          legacy = count - 1;
        } else if (legacyHash(prev, e) !== r.hash) {
          if (keyedHash(key, prev, e) === r.hash) o.bad(seq, 'not_keyed', say.keyedWithoutEpoch(seq));
          else o.bad(seq, 'edited', say.edited(seq));
          break walk;
        }
      } else if (keyedHash(key, prev, e) !== r.hash) {
        o.bad(seq, 'edited', say.edited(seq));
        break walk;
      }
      for (const c of pending.get(seq) ?? []) {
        if (c.hash !== r.hash || c.entries !== count) {
          o.bad(seq, 'checkpoint_mismatch', say.cpMismatch(seq, c));
          break walk;
        }
      }
      pending.delete(seq);
      prev = r.hash;
      lastSeq = seq;
    }
    if (page.length < pageSize) break;
  }
  if (!o.first) {
    // A checkpoint inside the log whose entry is gone (the seqs around it are there).
    const gone = [...pending.values()].flat().filter((c) => c.seq <= lastSeq).sort((a, b) => a.seq - b.seq)[0];
    if (gone) o.bad(gone.seq, 'checkpoint_mismatch', say.cpMissing(gone));
    endChecks(o, head, cps, { lastSeq, prev, count, epoch: epochSeq !== null });
  }
  return result('full', head, anchor, cps, { entries: count, checked: count, epochSeq, legacy }, o);
}

async function verifyIncremental(db: Sql, anchor: AuditAnchor, head: HeadState, cps: CheckpointFile, from: Checkpoint, pageSize: number): Promise<VerifyResult> {
  const { key } = anchor;
  const o = new Outcome();
  let checked = 0;
  // Every checkpointed entry is still there with its hash.
  const found = await hashesAt(db, [...new Set(cps.valid.map((c) => c.seq))]);
  for (const c of [...cps.valid].sort((a, b) => a.seq - b.seq)) {
    const h = found.get(c.seq);
    if (h === undefined) o.bad(c.seq, c.seq > head.max_seq ? 'behind_checkpoint' : 'checkpoint_mismatch', c.seq > head.max_seq ? say.behind(head.max_seq, null, c) : say.cpMissing(c));
    else if (h !== c.hash) o.bad(c.seq, 'checkpoint_mismatch', say.cpMismatch(c.seq, c));
  }
  // The key epoch, for the report (and it must still verify).
  const epoch = await firstEpochEntry(db, EPOCH_ACTION);
  const rec = epoch ? epochOf(epoch) : null;
  if (epoch) {
    checked++;
    if (rec && rec.key_id !== key.id) o.bad(Number(epoch.seq), 'key_mismatch', say.keyMismatch(Number(epoch.seq), rec.key_id, key.id));
    else if (!rec || keyedHash(key, epoch.prev_hash, chainedOf(epoch)) !== epoch.hash) o.bad(Number(epoch.seq), 'edited', say.edited(Number(epoch.seq)));
  }
  let prev = from.hash;
  let lastSeq = from.seq;
  let count = from.entries;
  if (!o.first && from.seq !== (epoch ? Number(epoch.seq) : null)) {
    // The checkpoint's own entry (unless it is the epoch, checked above): still the content it had.
    const base = await entryAt(db, from.seq);
    checked++;
    if (base && keyedHash(key, base.prev_hash, chainedOf(base)) !== base.hash) o.bad(from.seq, 'edited', say.edited(from.seq));
  }
  if (!o.first) {
    walk: for (;;) {
      const page = await entriesBetween(db, lastSeq, head.seq, pageSize);
      for (const r of page) {
        const seq = Number(r.seq);
        count++;
        checked++;
        if (r.prev_hash !== prev) {
          o.bad(seq, 'chain_broken', say.chainBroken(seq));
          break walk;
        }
        if (keyedHash(key, prev, chainedOf(r)) !== r.hash) {
          o.bad(seq, 'edited', say.edited(seq));
          break walk;
        }
        prev = r.hash;
        lastSeq = seq;
      }
      if (page.length < pageSize) break;
    }
  }
  if (!o.first) endChecks(o, head, cps, { lastSeq, prev, count, epoch: epoch !== null });
  return result('incremental', head, anchor, cps, { entries: count, checked, epochSeq: epoch ? Number(epoch.seq) : null, legacy: rec?.legacy_entries ?? 0 }, o);
}

/**
 * Verifies the audit log of `db` under its key and against its checkpoints. `incremental`
 * starts from the latest checkpoint (full when there is none).
 */
export async function verifyAuditChain(db: Sql, opts: { mode?: 'full' | 'incremental'; pageSize?: number } = {}): Promise<VerifyResult> {
  const anchor = anchorOf(db);
  const head = await readHead(db);
  const cps = readCheckpoints(anchor);
  const from = latestCheckpoint(cps.valid);
  const pageSize = opts.pageSize ?? 5000;
  if (opts.mode === 'incremental' && from) return verifyIncremental(db, anchor, head, cps, from, pageSize);
  return verifyFull(db, anchor, head, cps, pageSize);
}

export interface CheckpointResult extends VerifyResult {
  /** The checkpoint written; null when verification failed (nothing is written then). */
  written: Checkpoint | null;
}

/**
 * Verifies (incrementally unless `full`) and, when the log is intact, appends a checkpoint of
 * its head to the checkpoint file. A failed verification writes nothing.
 */
export async function takeCheckpoint(db: Sql, opts: { full?: boolean; pageSize?: number } = {}): Promise<CheckpointResult> {
  const v = await verifyAuditChain(db, { mode: opts.full ? 'full' : 'incremental', pageSize: opts.pageSize });
  if (!v.ok) return { ...v, written: null };
  const written = appendCheckpoint(anchorOf(db), { seq: v.head.seq, hash: v.head.hash, entries: v.entries });
  return { ...v, checkpoints: { ...v.checkpoints, valid: v.checkpoints.valid + 1, latest: written }, written };
}
