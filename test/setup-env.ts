/**
 * Runs in every test worker before each file: the run's audit key for this process and the CLI
 * processes it starts (they inherit process.env), a checkpoint file of this file's own for
 * stores the CLI opens without naming one (test/stores.ts gives each of its stores its own),
 * and no scheduled audit verification unless a test asks for it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';

const keyFile = inject('auditKeyFile');
process.env.INNOLINK_AUDIT_KEY_FILE = keyFile;
process.env.INNOLINK_AUDIT_CHECKPOINT_FILE = path.join(path.dirname(keyFile), `checkpoints-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
process.env.INNOLINK_AUDIT_VERIFY_INTERVAL_MINUTES = '0';
