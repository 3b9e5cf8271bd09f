import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registrations').addColumn('confirmation_mailed_at', 'timestamptz').execute();
  // The mail consumer reads the topic from its beginning: registrations confirmed before confirmation
  // mail existed must not all be mailed at once by its first run.
  await sql`update registrations set confirmation_mailed_at = updated_at where status = 'confirmed'`.execute(db);
}
