import { createDatabase, type Generated, type Kysely, type Migrations, migrateSchema, sql } from '@echoplex/db';

/**
 * Without SMTP, the dev mailbox stands in for a mail server (a mail catcher): infrastructure shared
 * by every service that sends mail, not any service's data, so it has a schema of its own that this
 * package migrates. Services write to it and identity's `GET /api/dev/mailbox` reads it.
 */
export const devMailboxSchema = 'dev_mail';

export interface DevMailMessagesTable {
  id: Generated<number>;
  /** The sender's stable id of the message, if it gave one: sending it again stores nothing new. */
  messageId: string | null;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  sentAt: Generated<Date>;
}

export interface DevMailboxTables {
  messages: DevMailMessagesTable;
}

const devMailboxMigrations: Migrations = {
  '2026-11-26T1000_create-messages': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('messages')
        .addColumn('id', 'bigserial', (col) => col.primaryKey())
        .addColumn('message_id', 'text', (col) => col.unique())
        .addColumn('recipient', 'text', (col) => col.notNull())
        .addColumn('subject', 'text', (col) => col.notNull())
        .addColumn('text', 'text', (col) => col.notNull())
        .addColumn('html', 'text')
        .addColumn('sent_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index messages_recipient_idx on messages (lower(recipient), id desc)`.execute(db);
    },
  },
};

/**
 * Creates or migrates the dev mailbox schema. Every service that keeps mail calls it at start; with a
 * role that may not create schemas (distributed mode) it only confirms that `grantDevMailbox` already
 * brought the schema up to date.
 */
export async function migrateDevMailbox(kysely: Kysely<any>): Promise<void> {
  await migrateSchema(kysely, devMailboxSchema, devMailboxMigrations);
}

export interface DevMailboxGrant {
  role: string;
  /** Only the service serving `GET /api/dev/mailbox` reads; the others may only add mail. */
  read: boolean;
}

/**
 * Distributed mode, run with an administrator's connection: migrates the dev mailbox and lets each
 * mail-sending service role add messages (and read them, for the one that serves the mailbox). The
 * migration tables are readable so that each service's own `migrateDevMailbox` finds nothing to do.
 */
export async function grantDevMailbox(adminUrl: string, grants: DevMailboxGrant[]): Promise<void> {
  const database = createDatabase<unknown>({ url: adminUrl, poolMax: 1 });
  try {
    await migrateDevMailbox(database.kysely);
    const schema = sql.id(devMailboxSchema);
    for (const { role, read } of grants) {
      const grantee = sql.id(role);
      await sql`grant usage on schema ${schema} to ${grantee}`.execute(database.kysely);
      await sql`grant select on ${sql.id(devMailboxSchema, 'migrations')}, ${sql.id(devMailboxSchema, 'migrations_lock')} to ${grantee}`.execute(
        database.kysely,
      );
      // Adding a message skips one already kept under its id: ON CONFLICT reads that column.
      const rights = read ? 'select, insert' : 'insert, select (message_id)';
      await sql`grant ${sql.raw(rights)} on ${sql.id(devMailboxSchema, 'messages')} to ${grantee}`.execute(
        database.kysely,
      );
      await sql`grant usage on sequence ${sql.id(devMailboxSchema, 'messages_id_seq')} to ${grantee}`.execute(
        database.kysely,
      );
    }
  } finally {
    await database.close();
  }
}
