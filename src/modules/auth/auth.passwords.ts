/**
 * Passwords: argon2id hashes (PHC strings, OWASP's parameters: 19 MiB, 2 passes, 1 lane),
 * the rules a new password must meet, and session tokens with their stored SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { ErrorDetail } from '../../errors.ts';

// @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot read.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** An argon2id hash of the password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Whether the password matches the stored hash (false for a malformed hash). */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verified against when the user name is unknown, so that both answers take as long.
let dummy: Promise<string> | null = null;
/** Spends the time of one verification without a real hash. */
export async function verifyNothing(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummy, password);
}

/** Problems with a new password (empty when it is acceptable). */
export function passwordProblems(password: string, username?: string): ErrorDetail[] {
  const field = 'password';
  const problems: ErrorDetail[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN) {
    problems.push({ field, code: 'PASSWORD_TOO_SHORT', message: `密码至少 ${PASSWORD_MIN} 个字符`, message_en: `A password has at least ${PASSWORD_MIN} characters` });
  }
  if (length > PASSWORD_MAX) {
    problems.push({ field, code: 'PASSWORD_TOO_LONG', message: `密码最多 ${PASSWORD_MAX} 个字符`, message_en: `A password has at most ${PASSWORD_MAX} characters` });
  }
  const classes = [/\p{L}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((re) => re.test(password)).length;
  if (length >= PASSWORD_MIN && classes < 2) {
    problems.push({ field, code: 'PASSWORD_TOO_SIMPLE', message: '密码须包含字母、数字、符号中的至少两类', message_en: 'A password mixes at least two of letters, digits and symbols' });
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({ field, code: 'PASSWORD_CONTAINS_USERNAME', message: '密码不能包含用户名', message_en: 'A password must not contain the user name' });
  }
  return problems;
}

/** A new session token (256 random bits, URL-safe). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps of a session token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
