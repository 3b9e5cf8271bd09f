import { type Kysely, sql } from 'kysely';

/**
 * A payment Stripe reports as succeeded for another amount or currency than we asked is not applied
 * but flagged, so operations can find it and settle it by hand.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payments').addColumn('flag', 'text').addColumn('flagged_at', 'timestamptz').execute();
  await db.schema
    .alterTable('payments')
    .addCheckConstraint('payments_flag_check', sql`flag in ('amount_mismatch', 'currency_mismatch')`)
    .execute();
}
