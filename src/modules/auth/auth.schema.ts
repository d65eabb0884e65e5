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

// Users administration

/** A region or organisation given by id or by name (a region also by code). */
const ref = z.union([z.number().int().positive(), z.string().trim().min(1).max(300)]);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const userIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const userListQuery = z.object({
  q: z.string().trim().max(100).optional().describe('用户名或显示名称的一部分 / part of the user name or display name'),
  role: z.string().trim().max(50).optional(),
  region: z.string().trim().max(100).optional().describe('地区名称、代码或编号（含下级） / region name, code or id (with its subtree)'),
  org: z.string().trim().max(300).optional().describe('机构编号或名称 / organisation id or name'),
  disabled: flag.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const userCreateBody = z
  .object({
    username: z.string().trim().min(1).max(64),
    display_name: z.string().trim().max(200).nullable().optional(),
    // Checked by the service, so that an unknown role answers ROLE_UNKNOWN.
    role: z.string().trim().min(1).max(50),
    region: ref.nullable().optional(),
    org: ref.nullable().optional(),
    password: z.string().min(1).max(PASSWORD_MAX * 4),
  })
  .strict();

export const userPatchBody = z
  .object({
    display_name: z.string().trim().max(200).nullable().optional(),
    role: z.string().trim().min(1).max(50).optional(),
    region: ref.nullable().optional(),
    org: ref.nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const passwordResetBody = z.object({ password: z.string().min(1).max(PASSWORD_MAX * 4) }).strict();

export const userPage = z.object({ items: z.array(userSchema), total: z.number(), page: z.number(), pageSize: z.number() });
