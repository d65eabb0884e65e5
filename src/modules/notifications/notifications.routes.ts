/**
 * Notifications API (the logged-in user's own): list, unread count, mark read, e-mail settings.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx } from '../../http/context.ts';
import { listQuery, notificationListSchema, readBody, readResultSchema, settingsBody, settingsSchema } from './notifications.schema.ts';
import { countUnread, getSettings, listNotifications, putSettings, readNotifications } from './notifications.service.ts';

const TAGS = ['notifications'];

export const notificationsApi: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/notifications',
    {
      schema: {
        tags: TAGS,
        summary: '我的通知（最新在前） / My notifications, newest first',
        querystring: listQuery,
        response: { 200: notificationListSchema },
      },
    },
    async (req) => listNotifications(ctx(req), req.query),
  );

  r.get(
    '/notifications/unread-count',
    {
      schema: {
        tags: TAGS,
        summary: '未读通知数 / Number of unread notifications',
        response: { 200: z.object({ unread: z.number() }) },
      },
    },
    async (req) => countUnread(ctx(req)),
  );

  r.post(
    '/notifications/read',
    {
      schema: {
        tags: TAGS,
        summary: '标记通知为已读（指定编号或全部） / Mark notifications read: the given ids, or all',
        body: readBody,
        response: { 200: readResultSchema },
      },
    },
    async (req) => readNotifications(ctx(req), req.body),
  );

  r.post(
    '/notifications/:id/read',
    {
      schema: {
        tags: TAGS,
        summary: '标记一条通知为已读 / Mark one notification read',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: readResultSchema },
      },
    },
    async (req) => readNotifications(ctx(req), { ids: [req.params.id] }),
  );

  r.get(
    '/notifications/settings',
    {
      schema: {
        tags: TAGS,
        summary: '我的通知设置（邮箱） / My notification settings (e-mail)',
        response: { 200: settingsSchema },
      },
    },
    async (req) => getSettings(ctx(req)),
  );

  r.put(
    '/notifications/settings',
    {
      schema: {
        tags: TAGS,
        summary: '修改通知设置（邮箱） / Change my notification settings (e-mail)',
        body: settingsBody,
        response: { 200: settingsSchema },
      },
    },
    async (req) => putSettings(ctx(req), req.body),
  );
};
