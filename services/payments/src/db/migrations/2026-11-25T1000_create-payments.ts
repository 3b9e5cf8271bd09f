import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('holds')
    .addColumn('registration_id', 'uuid', (col) => col.primaryKey())
    .addColumn('event_id', 'uuid', (col) => col.notNull())
    .addColumn('ticket_type_id', 'uuid', (col) => col.notNull())
    .addColumn('user_id', 'uuid', (col) => col.notNull())
    .addColumn('quantity', 'integer', (col) => col.notNull())
    .addColumn('amount', 'integer', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('holds_status_check', sql`status in ('pending', 'confirmed', 'cancelled', 'expired')`)
    .addCheckConstraint('holds_amount_check', sql`amount >= 0`)
    .execute();

  await db.schema
    .createTable('event_owners')
    .addColumn('event_id', 'uuid', (col) => col.primaryKey())
    .addColumn('organizer_id', 'uuid', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('registration_id', 'uuid', (col) => col.notNull())
    .addColumn('event_id', 'uuid', (col) => col.notNull())
    .addColumn('user_id', 'uuid', (col) => col.notNull())
    .addColumn('attempt', 'integer', (col) => col.notNull())
    .addColumn('amount', 'integer', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('stripe_payment_intent_id', 'text')
    .addColumn('stripe_idempotency_key', 'text', (col) => col.notNull())
    .addColumn('failure_code', 'text')
    .addColumn('refunded_amount', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cancel_requested_at', 'timestamptz')
    .addColumn('checked_at', 'timestamptz')
    .addColumn('succeeded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'payments_status_check',
      sql`status in ('pending', 'failed', 'canceled', 'succeeded', 'partially_refunded', 'refunded')`,
    )
    .addCheckConstraint('payments_amount_check', sql`amount > 0`)
    .addCheckConstraint('payments_refunded_amount_check', sql`refunded_amount >= 0 and refunded_amount <= amount`)
    .addUniqueConstraint('payments_registration_attempt_key', ['registration_id', 'attempt'])
    .addUniqueConstraint('payments_stripe_payment_intent_id_key', ['stripe_payment_intent_id'])
    .addUniqueConstraint('payments_stripe_idempotency_key_key', ['stripe_idempotency_key'])
    .execute();
  // The reconciliation job's work list: open payments, oldest first.
  await sql`create index payments_open_idx on payments (updated_at) where status in ('pending', 'failed')`.execute(db);

  await db.schema
    .createTable('refunds')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('payment_id', 'uuid', (col) => col.notNull())
    .addColumn('amount', 'integer', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('stripe_refund_id', 'text')
    .addColumn('requested_by', 'text', (col) => col.notNull())
    .addColumn('source_event_id', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('succeeded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('refunds_status_check', sql`status in ('pending', 'succeeded', 'failed')`)
    .addCheckConstraint('refunds_amount_check', sql`amount > 0`)
    .addForeignKeyConstraint('refunds_payment_id_fk', ['payment_id'], 'payments', ['id'])
    .addUniqueConstraint('refunds_stripe_refund_id_key', ['stripe_refund_id'])
    .addUniqueConstraint('refunds_source_event_id_key', ['source_event_id'])
    .execute();
  await db.schema.createIndex('refunds_payment_id_idx').on('refunds').column('payment_id').execute();
  await sql`create index refunds_pending_idx on refunds (created_at) where status = 'pending'`.execute(db);

  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .execute();
  await sql`create index webhook_events_unprocessed_idx on webhook_events (received_at) where processed_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
}
