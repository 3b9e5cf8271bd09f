import { type Generated, type Kysely, sql } from '@echoplex/db';

export interface DevMailboxTable {
  id: Generated<number>;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  sentAt: Generated<Date>;
}

export interface MailboxTables {
  devMailbox: DevMailboxTable;
}

/**
 * The table the dev mailbox reads. A service that sends mail includes this migration (it runs in
 * that service's own schema), so stored mail lives with the service that sent it.
 */
export const mailboxTableMigration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('dev_mailbox')
      .addColumn('id', 'bigserial', (col) => col.primaryKey())
      .addColumn('recipient', 'text', (col) => col.notNull())
      .addColumn('subject', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addColumn('html', 'text')
      .addColumn('sent_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await sql`create index dev_mailbox_recipient_idx on dev_mailbox (lower(recipient), id desc)`.execute(db);
  },
};
