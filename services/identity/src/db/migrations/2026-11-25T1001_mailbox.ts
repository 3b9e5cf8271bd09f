import { type Kysely, sql } from 'kysely';

/** Superseded by the dev mailbox's own schema (packages/mailer) and dropped by a later migration. */
export async function up(db: Kysely<any>): Promise<void> {
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
}
