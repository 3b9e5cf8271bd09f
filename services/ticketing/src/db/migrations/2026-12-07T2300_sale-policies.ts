import { type Kysely, sql } from 'kysely';

/** The events' refund deadline for self-service cancellations and cap on tickets per account. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table events
      add column self_service_refund_until timestamptz,
      add column max_tickets_per_account integer`.execute(db);
}
