/**
 * Users administration API (administrators): GET /users (filtered, paged), GET /users/:id,
 * POST /users, PATCH /users/:id, POST /users/:id/password (reset), POST /users/:id/unlock.
 * Replies never carry password hashes (UserDto has none); every change is on the audit log.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctx } from '../../http/context.ts';
import { passwordResetBody, userCreateBody, userIdParams, userListQuery, userPage, userPatchBody, userSchema } from './auth.schema.ts';
import { createUser, findUsers, getUser, resetUserPassword, unlockUser, updateUser, type RequestMeta } from './auth.service.ts';

const tags = ['users'];
const meta = (req: FastifyRequest): RequestMeta => ({ requestId: req.id, ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null });

export const usersApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/users',
    {
      schema: {
        tags,
        summary: '用户列表（管理员） / List users (administrators)',
        description: '按角色、地区（含下级）、机构、是否停用筛选，按用户名或显示名称搜索 / filter by role, region (subtree), organisation, disabled; search by name',
        querystring: userListQuery,
        response: { 200: userPage },
      },
    },
    async (req) => findUsers(ctx(req), req.query),
  );

  r.get(
    '/users/:id',
    { schema: { tags, summary: '用户详情（管理员） / One user (administrators)', params: userIdParams, response: { 200: userSchema } } },
    async (req) => getUser(ctx(req), req.params.id),
  );

  r.post(
    '/users',
    {
      schema: {
        tags,
        summary: '创建用户（管理员） / Create a user (administrators)',
        description: '初始密码由管理员设定并告知用户，用户登录后可自行修改 / the administrator sets the initial password; the user can change it after logging in',
        body: userCreateBody,
        response: { 201: userSchema },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const user = await createUser(
        ctx(req),
        { username: b.username, displayName: b.display_name ?? null, role: b.role, region: b.region ?? null, org: b.org ?? null, password: b.password },
        meta(req),
      );
      return reply.status(201).send(user);
    },
  );

  r.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: '修改用户角色、地区、机构、显示名称或停用 / Change a user’s role, region, organisation, display name, or disable it',
        params: userIdParams,
        body: userPatchBody,
        response: { 200: userSchema },
      },
    },
    async (req) => updateUser(ctx(req), req.params.id, req.body, meta(req)),
  );

  r.post(
    '/users/:id/password',
    {
      schema: {
        tags,
        summary: '重置用户密码（管理员；结束其会话、解除锁定） / Reset a user’s password (ends its sessions, lifts a lock)',
        params: userIdParams,
        body: passwordResetBody,
        response: { 200: userSchema },
      },
    },
    async (req) => resetUserPassword(ctx(req), req.params.id, req.body.password, meta(req)),
  );

  r.post(
    '/users/:id/unlock',
    {
      schema: {
        tags,
        summary: '解除登录锁定（管理员） / Lift a log-in lock-out (administrators)',
        params: userIdParams,
        response: { 200: userSchema },
      },
    },
    async (req) => unlockUser(ctx(req), req.params.id, meta(req)),
  );
};
