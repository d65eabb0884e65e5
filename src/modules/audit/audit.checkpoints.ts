/**
 * Checkpoints of the audit log, kept outside the store: one JSON line per checkpoint with the
 * head's seq and hash, the number of entries up to it, the time, the key's id, and an HMAC over
 * them under the audit key. Taken only after a verification passed, so each one says "the log
 * was intact up to here". Verification then asks that every checkpointed entry still be in the
 * log with its hash: deleting the newest entries, truncating, or starting the chain afresh is
 * caught because a checkpoint knows a later head.
 *
 *   {"v":1,"seq":120,"hash":"…","entries":120,"at":"2026-03-01T08:00:00.000Z","key_id":"…","mac":"…"}
 */
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from './audit.chain.ts';
import type { AuditAnchor, AuditKey } from './audit.key.ts';

export interface Checkpoint {
  /** The head's seq and hash when the checkpoint was taken. */
  seq: number;
  hash: string;
  /** Entries in the log up to and including `seq`. */
  entries: number;
  /** When it was taken (ISO time). */
  at: string;
  key_id: string;
}

export interface BadCheckpointLine {
  /** Line number in the file (1-based). */
  line: number;
  /** Not JSON of the expected shape, or its MAC does not fit under this key. */
  reason: 'malformed' | 'mac';
}

export interface CheckpointFile {
  valid: Checkpoint[];
  invalid: BadCheckpointLine[];
}

const LABEL = 'innolink audit checkpoint v1\n';

function macOf(key: AuditKey, c: Checkpoint): string {
  return key.mac(LABEL, canonicalJson({ seq: c.seq, hash: c.hash, entries: c.entries, at: c.at, key_id: c.key_id }));
}

/** Appends a checkpoint of the head (seq, hash, entries) now; returns it. */
export function appendCheckpoint(anchor: AuditAnchor, head: { seq: number; hash: string; entries: number }, at = new Date()): Checkpoint {
  const c: Checkpoint = { seq: head.seq, hash: head.hash, entries: head.entries, at: at.toISOString(), key_id: anchor.key.id };
  fs.mkdirSync(path.dirname(anchor.checkpointFile), { recursive: true, mode: 0o700 });
  // One short write with O_APPEND: lines from several processes never interleave.
  fs.appendFileSync(anchor.checkpointFile, `${JSON.stringify({ v: 1, ...c, mac: macOf(anchor.key, c) })}\n`, { mode: 0o600 });
  return c;
}

const isHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The checkpoints in the file (none when it does not exist), each checked against the key. */
export function readCheckpoints(anchor: AuditAnchor): CheckpointFile {
  const out: CheckpointFile = { valid: [], invalid: [] };
  let text: string;
  try {
    text = fs.readFileSync(anchor.checkpointFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw e;
  }
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      out.invalid.push({ line: i + 1, reason: 'malformed' });
      return;
    }
    const { seq, hash, entries, at, key_id: keyId, mac } = o;
    if (o.v !== 1 || !isCount(seq) || !isHash(hash) || !isCount(entries) || typeof at !== 'string' || typeof keyId !== 'string' || typeof mac !== 'string') {
      out.invalid.push({ line: i + 1, reason: 'malformed' });
      return;
    }
    const c: Checkpoint = { seq, hash, entries, at, key_id: keyId };
    if (keyId !== anchor.key.id || macOf(anchor.key, c) !== mac) out.invalid.push({ line: i + 1, reason: 'mac' });
    else out.valid.push(c);
  });
  return out;
}

/** The checkpoint with the highest seq (the latest taken among equals). */
export function latestCheckpoint(cs: readonly Checkpoint[]): Checkpoint | null {
  let best: Checkpoint | null = null;
  for (const c of cs) if (!best || c.seq > best.seq || (c.seq === best.seq && c.at >= best.at)) best = c;
  return best;
}
