/**
 * Payloads of the log-in API: one zod schema each gives validation, the type and the OpenAPI
 * entry.
 */
import { z } from 'zod';
import { PASSWORD_MAX } from './auth.passwords.ts';
import { USER_ROLES } from './auth.policy.ts';

export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  // Long enough for any real password, short enough that hashing it costs nothing extra.
  password: z.string().min(1).max(1024),
});

export const passwordBody = z.object({
  current_password: z.string().min(1).max(1024),
  new_password: z.string().min(1).max(PASSWORD_MAX * 4),
});

export const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  display_name: z.string().nullable(),
  role: z.enum(USER_ROLES),
  region_id: z.number().nullable(),
  region_name: z.string().nullable(),
  org_id: z.number().nullable(),
  org_name: z.string().nullable(),
  disabled: z.boolean(),
  locked_until: z.string().nullable(),
  last_login_at: z.string().nullable(),
  created_at: z.string(),
});

export const meReply = z.object({
  user: userSchema,
  /** When the session ends (ISO time). */
  expires_at: z.string(),
});
