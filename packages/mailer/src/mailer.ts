import { type Kysely, sql } from '@echoplex/db';
import nodemailer from 'nodemailer';
import type { MailboxTables } from './mailbox-table';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface StoredMail extends MailMessage {
  sentAt: Date;
}

export interface Mailer {
  /** `smtp` delivers through SMTP_URL; `mailbox` keeps messages for the dev mailbox instead. */
  readonly mode: 'smtp' | 'mailbox';
  send(message: MailMessage): Promise<void>;
  /** Stored messages, newest first; always empty in SMTP mode, where nothing is kept. */
  mailbox(query?: { to?: string; limit?: number }): Promise<StoredMail[]>;
  close(): Promise<void>;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://...`; without it mail is stored, never sent. */
  smtpUrl?: string;
  from: string;
  /** The calling service's database, scoped to its schema, with `mailboxTableMigration` applied. */
  db: Kysely<any>;
}

/**
 * The one way services send mail. Without SMTP, messages go to a table in the caller's own schema
 * rather than to memory: they survive a restart and every instance of the service reads the same
 * mailbox, which the dev mailbox endpoint and end-to-end journeys rely on.
 */
export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : mailboxMailer(options.db);
}

function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    mode: 'smtp',
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    async mailbox() {
      return [];
    },
    async close() {
      transport.close();
    },
  };
}

function mailboxMailer(database: Kysely<any>): Mailer {
  const db = database as Kysely<MailboxTables>;
  return {
    mode: 'mailbox',
    async send(message) {
      await db
        .insertInto('devMailbox')
        .values({ recipient: message.to, subject: message.subject, text: message.text, html: message.html ?? null })
        .execute();
    },
    async mailbox({ to, limit = 50 } = {}) {
      let query = db.selectFrom('devMailbox').selectAll().orderBy('id', 'desc').limit(limit);
      if (to) query = query.where(sql<string>`lower(recipient)`, '=', sql<string>`lower(${to})`);
      const rows = await query.execute();
      return rows.map((row) => ({
        to: row.recipient,
        subject: row.subject,
        text: row.text,
        ...(row.html === null ? {} : { html: row.html }),
        sentAt: row.sentAt,
      }));
    },
    async close() {},
  };
}
