import { type Kysely, sql } from 'kysely';

/** The organizer's refund deadline for self-service cancellations and cap on tickets per account. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table events
      add column self_service_refund_until timestamptz,
      add column max_tickets_per_account integer
        constraint events_max_tickets_per_account_check check (max_tickets_per_account >= 1)`.execute(db);
}
