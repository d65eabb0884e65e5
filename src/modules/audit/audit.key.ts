/**
 * The audit log's key, kept outside the store. Whoever has only the database (a superuser, a
 * stolen backup) cannot recompute the keyed chain, so cannot rewrite the log unnoticed.
 *
 * The key file holds 32 random bytes as hex (comment lines start with #). It is created with
 * mode 0600 on the first start of an installation whose log is not keyed yet, refused when
 * others may read it, and never written anywhere else: not to the store, not to a log line.
 * The key's id — an HMAC of a fixed label, which says nothing about the key — names it in the
 * log and the checkpoints, so that a wrong key file is told apart from a rewritten log.
 */
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.ts';
import { auditKeyInsecure, auditKeyInStore, auditKeyInvalid, auditKeyMissing } from './audit.errors.ts';

export interface AuditKey {
  /** A public fingerprint of the key (16 hex digits), recorded in the log and the checkpoints. */
  readonly id: string;
  /** HMAC-SHA256 under the key of the parts, in order, as hex. */
  mac(...parts: string[]): string;
}

/** What the audit log is anchored to outside the store: the key and the checkpoint file. */
export interface AuditAnchor {
  readonly key: AuditKey;
  readonly keyFile: string;
  readonly checkpointFile: string;
}

/** An audit key from its bytes (at least 32). The bytes stay in a KeyObject, out of sight of JSON and logs. */
export function auditKeyFrom(bytes: Buffer): AuditKey {
  if (bytes.length < 32) throw new Error('an audit key needs at least 32 bytes');
  const secret: KeyObject = createSecretKey(bytes);
  const mac = (...parts: string[]) => {
    const h = createHmac('sha256', secret);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };
  const id = mac('innolink audit key id').slice(0, 16);
  return Object.freeze({ id, mac, toJSON: () => ({ id }) });
}

const HEADER = [
  '# innolink audit key: the HMAC key of the audit log chain.',
  '# Keep it secret and off the database host\'s backups; without it the log cannot be verified.',
  '# See README, "Audit log".',
].join('\n');

/** Writes a new key file atomically (mode 0600); false when another process created it first. */
function createKeyFile(file: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, `${HEADER}\n${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // link() fails when the file exists: two processes starting at once agree on one key.
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readKeyFile(file: string): AuditKey {
  if (process.platform !== 'win32') {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) throw auditKeyInsecure(file, mode);
  }
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length !== 1 || !/^([0-9a-f]{2}){32,}$/i.test(lines[0])) throw auditKeyInvalid(file);
  return auditKeyFrom(Buffer.from(lines[0], 'hex'));
}

/** Whether `file` lies inside `dir` (or is it). */
function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The installation's audit anchor from its configuration. `create`: make the key file when it
 * is missing (only while the log is not keyed yet — a keyed log whose key file is gone must not
 * get a new key silently). Refuses a key file inside the embedded store's data folder, which
 * every copy of the data would carry.
 */
export function loadAuditAnchor(config: Pick<Config, 'auditKeyFile' | 'auditCheckpointFile' | 'dataDir' | 'databaseUrl'>, opts: { create: boolean }): AuditAnchor {
  const file = config.auditKeyFile;
  if (!config.databaseUrl && inside(file, config.dataDir)) throw auditKeyInStore(file, config.dataDir);
  if (!fs.existsSync(file)) {
    if (!opts.create) throw auditKeyMissing(file);
    createKeyFile(file);
  }
  return Object.freeze({ key: readKeyFile(file), keyFile: file, checkpointFile: config.auditCheckpointFile });
}
