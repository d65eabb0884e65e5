/**
 * Payloads of the notifications area: one zod schema per request and reply.
 */
import { z } from 'zod';

export const notificationSchema = z.object({
  id: z.number(),
  /** supervision.flagged, supervision.escalated, plan.report_submitted, plan.report_reviewed … */
  kind: z.string(),
  title: z.string(),
  title_en: z.string(),
  body: z.string(),
  body_en: z.string(),
  /** Where the web application shows the item, e.g. /plans/3/supervision. */
  link: z.string().nullable(),
  entity: z.string().nullable(),
  entity_id: z.string().nullable(),
  created_at: z.string(),
  read: z.boolean(),
  read_at: z.string().nullable(),
  email_status: z.enum(['none', 'pending', 'sent', 'failed']),
});
export type NotificationDto = z.infer<typeof notificationSchema>;

export const notificationListSchema = z.object({
  items: z.array(notificationSchema),
  total: z.number(),
  unread: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type NotificationList = z.infer<typeof notificationListSchema>;

export const listQuery = z.object({
  unread: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
    .describe('只列未读 / unread only'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const readBody = z
  .object({
    ids: z.array(z.number().int().positive()).min(1).max(500).optional().describe('通知编号 / notification ids'),
    all: z.literal(true).optional().describe('全部标记为已读 / mark all read'),
  })
  .strict();

export const readResultSchema = z.object({ updated: z.number(), unread: z.number() });
export type ReadResult = z.infer<typeof readResultSchema>;

export const settingsSchema = z.object({
  email: z.string().nullable(),
  email_enabled: z.boolean(),
  /** Whether this installation has a mail server (INNOLINK_SMTP_URL); without one no e-mail is sent. */
  smtp_configured: z.boolean(),
});
export type SettingsDto = z.infer<typeof settingsSchema>;

export const settingsBody = z
  .object({
    email: z.email().max(254).nullable().optional().describe('接收通知的电子邮箱（null 为删除） / e-mail address for notifications (null removes it)'),
    email_enabled: z.boolean().optional().describe('是否发送邮件 / send e-mails'),
  })
  .strict();
export type SettingsInput = z.infer<typeof settingsBody>;
