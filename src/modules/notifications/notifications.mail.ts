/**
 * Notification e-mail behind a small interface: the SMTP sender (nodemailer) when
 * INNOLINK_SMTP_URL is configured, nothing otherwise. Tests pass their own sender or a
 * nodemailer stream transport; no mail server is needed to test notifications.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends one message; throws when the server refuses it. */
export interface MailSender {
  send(message: MailMessage): Promise<void>;
}

/** A sender on a nodemailer transport, from `from`. */
export function nodemailerSender(transport: Transporter, from: string): MailSender {
  return {
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text });
    },
  };
}

/** The SMTP sender of the configuration (smtp://user:pass@host:587, smtps://…), or null without one. */
export function mailSenderFor(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): MailSender | null {
  if (!config.smtpUrl) return null;
  return nodemailerSender(nodemailer.createTransport(config.smtpUrl), config.mailFrom);
}

/** Subject and text of a notification e-mail: Chinese first, English beside it. */
export function mailOf(n: { title: string; title_en: string; body: string; body_en: string; link: string | null }): Omit<MailMessage, 'to'> {
  return {
    subject: `${n.title} / ${n.title_en}`,
    text: [n.body, '', n.body_en, ...(n.link ? ['', `innolink: ${n.link}`] : [])].join('\n'),
  };
}
