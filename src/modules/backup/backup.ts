/**
 * Backup and restore of a whole store (issue 21): one file, the same format from both engines,
 * so a backup of the embedded store restores onto a PostgreSQL server and back.
 *
 * The file is gzip-compressed text, one JSON value per line:
 *   1. a header — format and version, when, from which engine, the migrations the schema has,
 *      each table with its columns and row count, each sequence's position, and the audit log's
 *      key id, head and checkpoints (the checkpoint file's lines, HMAC'd under the key);
 *   2. every row of every table, in the header's order, as PostgreSQL's own `to_jsonb` text of
 *      the row (numbers keep every digit: the rows are never parsed in JavaScript).
 *
 * Backup reads everything in one REPEATABLE READ READ ONLY transaction: a consistent snapshot
 * while the server goes on writing. Restore writes everything in one transaction with triggers
 * and foreign-key checks off (`session_replication_role = replica`, as pg_restore
 * --disable-triggers does: rows go in as they were, aggregates included), checks every table's
 * count against the header, puts the sequences back, and records the restore in the audit log,
 * whose chain continues from the restored head. It refuses a store that holds data unless
 * forced, a backup of another schema, and a backup whose audit log is keyed under another key
 * (the restored log could never be verified). The audit key itself is never in a backup.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { Actor } from '../../actor.ts';
import { AppError } from '../../errors.ts';
import type { Db, Sql } from '../../store/db.ts';
import { CHANGES_CHANNEL } from '../../store/changes.ts';
import { readCheckpoints } from '../audit/audit.checkpoints.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { takeCheckpoint, verifyAuditChain } from '../audit/audit.verify.ts';

export const BACKUP_FORMAT = 'innolink-backup';
export const BACKUP_VERSION = 1;

export interface BackupTable {
  name: string;
  /** The columns written (generated columns are computed again on restore). */
  columns: string[];
  rows: number;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  created_at: string;
  engine: 'pglite' | 'postgres';
  /** The migrations applied to the schema the rows belong to. */
  schema: string[];
  tables: BackupTable[];
  sequences: Array<{ name: string; value: number; is_called: boolean }>;
  audit: { key_id: string | null; head_seq: number; entries: number; checkpoints: string[] };
}

export interface BackupSummary {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  audit_entries: number;
  created_at: string;
}

export interface RestoreSummary {
  file: string;
  created_at: string;
  engine: 'pglite' | 'postgres';
  tables: number;
  rows: number;
  audit: { ok: boolean; entries: number; restore_entry: number };
  /** Where the store's own checkpoint file was moved (it described the log that was replaced). */
  checkpoints_moved_to: string | null;
}

const BATCH_ROWS = 2000;
const BATCH_CHARS = 8 * 1024 * 1024;

/** Tables whose rows mean the store is in use: restore refuses to replace them unless forced. */
const IN_USE = ['users', 'organizations', 'projects', 'funding', 'platforms', 'talents', 'mechanisms', 'outputs', 'imports', 'plans', 'market_profiles'];

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

const backupError = (code: string, zh: string, en: string, details: Array<Record<string, unknown>> = []) =>
  new AppError(code, 400, zh, en, details as never);

async function tablesOf(tx: Sql): Promise<Array<{ name: string; columns: string[] }>> {
  const rows = await tx.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations'
      GROUP BY c.relname
      ORDER BY c.relname`,
  );
  return rows;
}

async function schemaOf(db: Sql): Promise<string[]> {
  return (await db.query<{ name: string }>(`SELECT name FROM schema_migrations ORDER BY version`)).map((r) => r.name);
}

/**
 * Writes a backup of `db` to `out` (gzip). The snapshot is taken in one read-only
 * REPEATABLE READ transaction; the checkpoint file is read before it, so every checkpoint in
 * the backup names an entry the snapshot holds.
 */
export async function writeBackup(db: Db, out: Writable, onProgress?: (table: string, done: number, total: number) => void): Promise<Omit<BackupSummary, 'file' | 'bytes'>> {
  const checkpoints = db.auditAnchor ? readCheckpointLines(db.auditAnchor.checkpointFile) : [];
  const gzip = zlib.createGzip({ level: 6 });
  const piped = pipeline(gzip, out);
  const write = (line: string) => (gzip.write(`${line}\n`) ? Promise.resolve() : new Promise<void>((r) => gzip.once('drain', () => r())));
  let summary: Omit<BackupSummary, 'file' | 'bytes'>;
  try {
    summary = await db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const tables = await tablesOf(tx);
      const withCounts: BackupTable[] = [];
      for (const t of tables) {
        const [{ n }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(t.name)}`);
        withCounts.push({ ...t, rows: n });
      }
      const sequences = await tx.query<{ name: string; value: number; is_called: boolean }>(
        `SELECT sequencename AS name, coalesce(last_value, min_value)::bigint AS value, last_value IS NOT NULL AS is_called
           FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`,
      );
      const [head] = await tx.query<{ seq: number; key_id: string | null }>(`SELECT seq, key_id FROM audit_head`).catch(() => [{ seq: 0, key_id: null }]);
      const [{ entries }] = await tx.query<{ entries: number }>(`SELECT count(*)::int AS entries FROM audit_log`);
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        created_at: new Date().toISOString(),
        engine: db.engine,
        schema: await schemaOf(tx),
        tables: withCounts,
        sequences,
        audit: { key_id: head?.key_id ?? null, head_seq: Number(head?.seq ?? 0), entries, checkpoints },
      };
      await write(JSON.stringify(header));
      let rows = 0;
      for (const t of withCounts) {
        if (t.rows === 0) continue;
        const cols = t.columns.map(ident).join(', ');
        // A cursor: the rows of one table are read in pages, never held whole.
        await tx.query(`DECLARE innolink_backup NO SCROLL CURSOR FOR SELECT to_jsonb(r)::text AS j FROM (SELECT ${cols} FROM ${ident(t.name)}) r`);
        let done = 0;
        for (;;) {
          const page = await tx.query<{ j: string }>(`FETCH ${BATCH_ROWS} FROM innolink_backup`);
          for (const r of page) await write(r.j);
          done += page.length;
          onProgress?.(t.name, done, t.rows);
          if (page.length < BATCH_ROWS) break;
        }
        await tx.query('CLOSE innolink_backup');
        if (done !== t.rows) throw new Error(`backup of ${t.name}: ${done} rows read, ${t.rows} counted in the same snapshot`);
        rows += done;
      }
      return { tables: withCounts.length, rows, audit_entries: entries, created_at: header.created_at };
    });
  } catch (e) {
    gzip.destroy(e as Error);
    await piped.catch(() => undefined);
    throw e;
  }
  gzip.end();
  await piped;
  return summary;
}

function readCheckpointLines(file: string): string[] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Writes a backup of `db` to a file (made with mode 0600: it holds every record). */
export async function backupToFile(db: Db, file: string, onProgress?: (table: string, done: number, total: number) => void): Promise<BackupSummary> {
  const tmp = `${file}.partial-${process.pid}`;
  try {
    const summary = await writeBackup(db, fs.createWriteStream(tmp, { mode: 0o600 }), onProgress);
    fs.renameSync(tmp, file);
    return { file, bytes: fs.statSync(file).size, ...summary };
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Lines of a backup file, the header first; a file that is not one is refused with a code. */
async function* linesOf(file: string): AsyncGenerator<string> {
  if (!fs.existsSync(file)) throw backupError('BACKUP_NOT_FOUND', `备份文件不存在：${file}`, `The backup file does not exist: ${file}`, [{ file }]);
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  const rl = readline.createInterface({ input: input as unknown as Readable, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } catch (e) {
    throw backupError('BACKUP_CORRUPT', `备份文件已损坏或不是 innolink 备份（${(e as Error).message}）`, `The file is damaged or not an innolink backup (${(e as Error).message})`, [{ file }]);
  }
}

function parseHeader(line: string | undefined, file: string): BackupHeader {
  let h: BackupHeader | null = null;
  try {
    h = line ? (JSON.parse(line) as BackupHeader) : null;
  } catch {
    h = null;
  }
  if (!h || h.format !== BACKUP_FORMAT) throw backupError('BACKUP_CORRUPT', '该文件不是 innolink 备份', 'The file is not an innolink backup', [{ file }]);
  if (h.version !== BACKUP_VERSION) {
    throw backupError('BACKUP_VERSION_UNSUPPORTED', `不支持的备份格式版本 ${h.version}（本版本读取 ${BACKUP_VERSION}）`, `Backup format version ${h.version} is not supported (this version reads ${BACKUP_VERSION})`, [{ file, version: h.version }]);
  }
  return h;
}

/** The header of a backup file (what `innolink restore --check` shows). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of linesOf(file)) return parseHeader(line, file);
  return parseHeader(undefined, file);
}

/**
 * Restores a backup into `db`, which must be migrated to the same schema and hold no data
 * (`force` replaces what it holds). All or nothing: one transaction.
 */
export async function restoreFromFile(db: Db, file: string, actor: Pick<Actor, 'name' | 'userId'>, opts: { force?: boolean; onProgress?: (table: string, done: number, total: number) => void } = {}): Promise<RestoreSummary> {
  const lines = linesOf(file);
  const first = await lines.next();
  const header = parseHeader(first.done ? undefined : first.value, file);

  const schema = await schemaOf(db);
  if (schema.join('\n') !== header.schema.join('\n')) {
    const missing = header.schema.filter((m) => !schema.includes(m));
    const extra = schema.filter((m) => !header.schema.includes(m));
    throw backupError(
      'BACKUP_SCHEMA_MISMATCH',
      `备份的数据库结构与本版本不同（备份 ${header.schema.length} 个迁移，本库 ${schema.length} 个）：请用生成该备份的 innolink 版本恢复`,
      `The backup's schema differs from this version's (${header.schema.length} migrations in the backup, ${schema.length} here): restore with the innolink version that made it`,
      [{ backup_only: missing, store_only: extra }],
    );
  }
  const keyId = db.auditAnchor?.key.id ?? null;
  if (header.audit.key_id !== null && header.audit.key_id !== keyId) {
    throw backupError(
      'BACKUP_AUDIT_KEY_MISMATCH',
      `备份的审计日志由密钥 ${header.audit.key_id} 链接，本安装的审计密钥是 ${keyId ?? '（无）'}：请配置原安装的审计密钥文件（INNOLINK_AUDIT_KEY_FILE）后再恢复，否则恢复后的审计日志无法校验`,
      `The backup's audit log is chained under key ${header.audit.key_id}, this installation's key is ${keyId ?? '(none)'}: configure the original installation's audit key file (INNOLINK_AUDIT_KEY_FILE) and restore again — otherwise the restored log could never be verified`,
      [{ backup_key: header.audit.key_id, store_key: keyId }],
    );
  }
  const here = new Map((await tablesOf(db)).map((t) => [t.name, t.columns]));
  for (const t of header.tables) {
    const cols = here.get(t.name);
    if (!cols || cols.join(',') !== t.columns.join(',')) {
      throw backupError('BACKUP_SCHEMA_MISMATCH', `备份中的表 ${t.name} 与本库的结构不同`, `Table ${t.name} in the backup differs from this store's`, [{ table: t.name }]);
    }
  }

  const inUse: Array<{ table: string; rows: number }> = [];
  for (const t of IN_USE) {
    if (!here.has(t)) continue;
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(t)}`);
    if (n > 0) inUse.push({ table: t, rows: n });
  }
  if (inUse.length > 0 && !opts.force) {
    throw backupError(
      'RESTORE_TARGET_NOT_EMPTY',
      `目标库已有数据（${inUse.map((u) => `${u.table} ${u.rows} 行`).join('，')}）：恢复只写入空库；确需以备份替换现有全部数据，请加 --force`,
      `The store holds data (${inUse.map((u) => `${u.table}: ${u.rows} rows`).join(', ')}): a restore only writes into an empty store; to replace everything in it with the backup, add --force`,
      inUse,
    );
  }

  let rows = 0;
  const restoreSeq = await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    await tx.query(`TRUNCATE ${[...here.keys()].map(ident).join(', ')}`);
    for (const t of header.tables) {
      if (t.rows === 0) continue;
      const cols = t.columns.map(ident).join(', ');
      const insert = `INSERT INTO ${ident(t.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM jsonb_populate_recordset(NULL::${ident(t.name)}, $1::jsonb)`;
      let batch: string[] = [];
      let chars = 0;
      let done = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await tx.query(insert, [`[${batch.join(',')}]`], { writes: true });
        done += batch.length;
        opts.onProgress?.(t.name, done, t.rows);
        batch = [];
        chars = 0;
      };
      while (done + batch.length < t.rows) {
        const next = await lines.next();
        if (next.done) {
          throw backupError('BACKUP_CORRUPT', `备份文件不完整：表 ${t.name} 应有 ${t.rows} 行，文件提前结束`, `The backup file is incomplete: table ${t.name} should have ${t.rows} rows, the file ends early`, [{ table: t.name, expected: t.rows, read: done + batch.length }]);
        }
        batch.push(next.value);
        chars += next.value.length;
        if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
      }
      await flush();
      const [{ n }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(t.name)}`);
      if (n !== t.rows) throw backupError('BACKUP_CORRUPT', `表 ${t.name} 恢复了 ${n} 行，备份记录为 ${t.rows} 行`, `Table ${t.name}: ${n} rows restored, the backup records ${t.rows}`, [{ table: t.name, expected: t.rows, restored: n }]);
      rows += n;
    }
    const rest = await lines.next();
    if (!rest.done && rest.value.trim() !== '') {
      throw backupError('BACKUP_CORRUPT', '备份文件在最后一个表之后还有多余内容', 'The backup file has more after its last table', [{ file }]);
    }
    for (const s of header.sequences) {
      await tx.query(`SELECT setval($1::regclass, $2, $3)`, [ident(s.name), s.value, s.is_called]);
    }
    await tx.query(`SET LOCAL session_replication_role = origin`);
    // Other instances on this database drop what they kept (the triggers that tell them were off).
    await tx.query(`NOTIFY ${CHANGES_CHANNEL}`);
    return recordAudit(tx, {
      actor,
      action: 'backup.restore',
      entity: 'store',
      entityId: null,
      after: { file: file.split(/[\\/]/).pop(), created_at: header.created_at, engine: header.engine, tables: header.tables.length, rows, audit_entries: header.audit.entries },
    });
  });
  db.changes.bump();

  // The store's checkpoint file described the log that was just replaced: it is kept aside, and
  // the backup's checkpoints (taken under the same key) become the file, then a new one is taken.
  let moved: string | null = null;
  const anchor = db.auditAnchor;
  if (anchor) {
    if (fs.existsSync(anchor.checkpointFile) && fs.statSync(anchor.checkpointFile).size > 0) {
      moved = `${anchor.checkpointFile}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(anchor.checkpointFile, moved);
    }
    if (header.audit.checkpoints.length > 0) fs.writeFileSync(anchor.checkpointFile, `${header.audit.checkpoints.join('\n')}\n`, { mode: 0o600 });
    const bad = readCheckpoints(anchor).invalid;
    if (bad.length > 0) throw backupError('BACKUP_CORRUPT', `备份中的 ${bad.length} 个审计检查点无效`, `${bad.length} audit checkpoints in the backup are invalid`, bad as never);
  }
  const verified = anchor ? await takeCheckpoint(db, { full: true }) : await verifyAuditChain(db, { mode: 'full' });
  return {
    file,
    created_at: header.created_at,
    engine: header.engine,
    tables: header.tables.length,
    rows,
    audit: { ok: verified.ok, entries: verified.entries, restore_entry: restoreSeq },
    checkpoints_moved_to: moved,
  };
}

/** A backup streamed to an HTTP reply (the embedded store while its server holds it). */
export function backupStream(db: Db): Readable {
  const pass = new PassThrough();
  writeBackup(db, pass).catch((e: unknown) => pass.destroy(e as Error));
  return pass;
}
