import type { Kysely } from 'kysely';

/** Kept mail now lives in the dev mailbox's own schema, shared by every service that sends mail. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dev_mailbox').execute();
}
