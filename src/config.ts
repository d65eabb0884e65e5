/**
 * The only reader of process.env. Everything else receives a frozen Config.
 */
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './modules/imports/read/limits.ts';

export interface Config {
  /** PostgreSQL server URL; when absent the embedded PGlite store is used. */
  readonly databaseUrl: string | null;
  /** Folder of the embedded PGlite store. */
  readonly dataDir: string;
  /** Load the seed tables as demo data when the store is empty on first start. */
  readonly demo: boolean;
  readonly port: number;
  readonly host: string;
  /** The installation's home administrative region (name or code), e.g. 常州. */
  readonly homeRegion: string;
  /** Where the seed tables for the demo data live. */
  readonly seedDir: string;
  /** Largest import file accepted, in bytes. */
  readonly maxImportBytes: number;
  /** What an uploaded or imported table may make the reader do (rows, cells, XLSX inflation). */
  readonly readLimits: ReadLimits;
  /** Folder where uploads are written while their request runs (a fresh folder per request). */
  readonly uploadDir: string;
  /** Uploads one user may have running at once; one more is refused with 429 TOO_MANY_UPLOADS. */
  readonly maxUploadsPerUser: number;
  readonly logLevel: string;
  /** Session cookies marked Secure: 'auto' = when the request came over HTTPS. */
  readonly secureCookies: boolean | 'auto';
  /** Trust X-Forwarded-* headers (behind a TLS proxy). */
  readonly trustProxy: boolean;
  /** The built web application (vite build output) served at "/". */
  readonly webDir: string;
  /** SMTP server for notification e-mails (smtp://user:pass@host:587); null: in-app notifications only. */
  readonly smtpUrl: string | null;
  /** Sender of notification e-mails. */
  readonly mailFrom: string;
  /** Minutes between the server's supervision runs of every plan (督办); 0 turns the timer off. */
  readonly supervisionIntervalMinutes: number;
  /**
   * The audit log's HMAC key (32 random bytes, hex), kept outside the store: never in the
   * database, never logged. Created with mode 0600 on the first start when missing. Default:
   * `innolink-audit/audit.key` beside the data folder.
   */
  readonly auditKeyFile: string;
  /** Checkpoints of the audit log's head (JSON lines, each with its HMAC). Default: beside the key. */
  readonly auditCheckpointFile: string;
  /** Minutes between the server's audit verifications and checkpoints; 0 turns the timer off. */
  readonly auditVerifyIntervalMinutes: number;
}

function intFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`配置错误 / Invalid configuration: ${name}=${value} is not a non-negative integer`);
  }
  return n;
}

function positiveFrom(name: string, value: string | undefined, fallback: number): number {
  const n = intFrom(name, value, fallback);
  if (n < 1) throw new Error(`配置错误 / Invalid configuration: ${name}=${value} must be at least 1`);
  return n;
}

function readLimitsFrom(env: NodeJS.ProcessEnv): ReadLimits {
  const d = DEFAULT_READ_LIMITS;
  return Object.freeze({
    xlsxMaxDecompressedBytes: positiveFrom('INNOLINK_MAX_XLSX_DECOMPRESSED_BYTES', env.INNOLINK_MAX_XLSX_DECOMPRESSED_BYTES, d.xlsxMaxDecompressedBytes),
    xlsxMaxCompressionRatio: positiveFrom('INNOLINK_MAX_XLSX_COMPRESSION_RATIO', env.INNOLINK_MAX_XLSX_COMPRESSION_RATIO, d.xlsxMaxCompressionRatio),
    xlsxMaxMergedCells: positiveFrom('INNOLINK_MAX_XLSX_MERGED_CELLS', env.INNOLINK_MAX_XLSX_MERGED_CELLS, d.xlsxMaxMergedCells),
    maxRows: positiveFrom('INNOLINK_MAX_IMPORT_ROWS', env.INNOLINK_MAX_IMPORT_ROWS, d.maxRows),
    maxCells: positiveFrom('INNOLINK_MAX_IMPORT_CELLS', env.INNOLINK_MAX_IMPORT_CELLS, d.maxCells),
    csvMaxRecordChars: positiveFrom('INNOLINK_MAX_CSV_RECORD_CHARS', env.INNOLINK_MAX_CSV_RECORD_CHARS, d.csvMaxRecordChars),
  });
}

/** Reads the configuration from an environment (process.env by default) and freezes it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const root = path.resolve(import.meta.dirname, '..');
  const dataDir = path.resolve(env.INNOLINK_DATA?.trim() ? env.INNOLINK_DATA : path.join(process.cwd(), 'data'));
  // Beside the data folder, not in it: a copy of the data folder must not carry the key.
  const auditKeyFile = path.resolve(env.INNOLINK_AUDIT_KEY_FILE?.trim() ? env.INNOLINK_AUDIT_KEY_FILE : path.join(path.dirname(dataDir), 'innolink-audit', 'audit.key'));
  return Object.freeze({
    databaseUrl: env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL : null,
    dataDir,
    demo: env.INNOLINK_DEMO !== '0' && env.INNOLINK_DEMO !== 'false',
    port: intFrom('PORT', env.PORT, 3000),
    host: env.HOST ?? '127.0.0.1',
    homeRegion: env.INNOLINK_HOME_REGION ?? '常州',
    seedDir: path.resolve(env.INNOLINK_SEED_DIR ?? path.join(root, 'demo', 'seed-tables')),
    maxImportBytes: intFrom('INNOLINK_MAX_IMPORT_BYTES', env.INNOLINK_MAX_IMPORT_BYTES, 512 * 1024 * 1024),
    readLimits: readLimitsFrom(env),
    uploadDir: path.resolve(env.INNOLINK_UPLOAD_DIR?.trim() ? env.INNOLINK_UPLOAD_DIR : os.tmpdir()),
    maxUploadsPerUser: positiveFrom('INNOLINK_MAX_UPLOADS_PER_USER', env.INNOLINK_MAX_UPLOADS_PER_USER, 2),
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.INNOLINK_SECURE_COOKIES === '1' || env.INNOLINK_SECURE_COOKIES === 'true' ? true : env.INNOLINK_SECURE_COOKIES === '0' || env.INNOLINK_SECURE_COOKIES === 'false' ? false : 'auto',
    trustProxy: env.INNOLINK_TRUST_PROXY === '1' || env.INNOLINK_TRUST_PROXY === 'true',
    webDir: path.resolve(env.INNOLINK_WEB_DIR ?? path.join(root, 'dist', 'web')),
    smtpUrl: env.INNOLINK_SMTP_URL && env.INNOLINK_SMTP_URL.trim() !== '' ? env.INNOLINK_SMTP_URL.trim() : null,
    mailFrom: env.INNOLINK_MAIL_FROM ?? 'innolink <innolink@localhost>',
    supervisionIntervalMinutes: intFrom('INNOLINK_SUPERVISION_INTERVAL_MINUTES', env.INNOLINK_SUPERVISION_INTERVAL_MINUTES, 60),
    auditKeyFile,
    auditCheckpointFile: path.resolve(
      env.INNOLINK_AUDIT_CHECKPOINT_FILE?.trim() ? env.INNOLINK_AUDIT_CHECKPOINT_FILE : path.join(path.dirname(auditKeyFile), 'audit-checkpoints.jsonl'),
    ),
    auditVerifyIntervalMinutes: intFrom('INNOLINK_AUDIT_VERIFY_INTERVAL_MINUTES', env.INNOLINK_AUDIT_VERIFY_INTERVAL_MINUTES, 60),
  });
}
