import { type Kysely, sql } from 'kysely';

/** Failed logins per account and client address (both only as one digest), for the login backoff. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('failures', 'integer', (col) => col.notNull())
    .addColumn('last_failed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('login_failures_pkey', ['key'])
    .execute();
  await db.schema
    .createIndex('login_failures_last_failed_at_idx')
    .on('login_failures')
    .column('last_failed_at')
    .execute();
}
