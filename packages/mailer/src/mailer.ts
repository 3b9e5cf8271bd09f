import { type Kysely, sql, type Transaction } from '@echoplex/db';
import nodemailer from 'nodemailer';
import { type DevMailboxTables, devMailboxSchema, migrateDevMailbox } from './dev-mailbox';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * A stable id for a message that may be sent more than once (a redelivered event): the dev mailbox
   * keeps it once, and SMTP carries it as the Message-ID, by which mail clients drop duplicates.
   */
  id?: string;
}

export interface StoredMail extends Omit<MailMessage, 'id'> {
  sentAt: Date;
}

export interface Mailer {
  /**
   * `smtp` delivers through SMTP_URL; `mailbox` keeps messages for the dev mailbox instead;
   * `discard` is production without SMTP, where no dev mailbox is served, so nothing is kept.
   */
  readonly mode: 'smtp' | 'mailbox' | 'discard';
  /**
   * `within`: the caller's transaction, for the dev mailbox to keep the message only if it commits
   * (and without a second connection); SMTP cannot take part in it and sends at once.
   */
  send(message: MailMessage, options?: { within?: Transaction<any> }): Promise<void>;
  /** Kept messages, newest first; always empty unless in `mailbox` mode. */
  mailbox(query?: { to?: string; limit?: number }): Promise<StoredMail[]>;
  close(): Promise<void>;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://...`; without it mail is kept, never sent. */
  smtpUrl?: string;
  from: string;
  /** Any view of the platform's database (a service's own is fine): the dev mailbox has its own schema there. */
  db: Kysely<any>;
  production: boolean;
}

/**
 * The one way services send mail. Without SMTP, messages go to the dev mailbox's table rather than
 * to memory: they survive a restart and every instance of every service writes to the same mailbox,
 * which the dev mailbox endpoint and end-to-end journeys read.
 */
export async function openMailer(options: MailerOptions): Promise<Mailer> {
  if (options.smtpUrl) return smtpMailer(options.smtpUrl, options.from);
  if (options.production) return discardingMailer();
  await migrateDevMailbox(options.db);
  return mailboxMailer(options.db);
}

function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    mode: 'smtp',
    async send({ id, ...message }) {
      await transport.sendMail({ from, ...message, ...(id ? { messageId: `<${id}>` } : {}) });
    },
    async mailbox() {
      return [];
    },
    async close() {
      transport.close();
    },
  };
}

function discardingMailer(): Mailer {
  return {
    mode: 'discard',
    async send() {},
    async mailbox() {
      return [];
    },
    async close() {},
  };
}

function mailboxMailer(database: Kysely<any>): Mailer {
  const inMailbox = (db: Kysely<any>) => db.withSchema(devMailboxSchema) as Kysely<DevMailboxTables>;
  const db = inMailbox(database);
  return {
    mode: 'mailbox',
    async send(message, { within } = {}) {
      await inMailbox(within ?? database)
        .insertInto('messages')
        .values({
          messageId: message.id ?? null,
          recipient: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html ?? null,
        })
        .onConflict((oc) => oc.column('messageId').doNothing())
        .execute();
    },
    async mailbox({ to, limit = 50 } = {}) {
      let query = db.selectFrom('messages').selectAll().orderBy('id', 'desc').limit(limit);
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
