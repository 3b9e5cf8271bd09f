import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The events this service sells for, learnt from events.event.v1. `taken` and `version` are ours:
  // the seats held across every ticket type, and the availability version of the event.
  await db.schema
    .createTable('events')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('organizer_id', 'uuid', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('draft', 'published', 'cancelled', 'deleted')`),
    )
    .addColumn('start_time', 'timestamptz', (col) => col.notNull())
    .addColumn('end_time', 'timestamptz', (col) => col.notNull())
    .addColumn('capacity', 'integer', (col) => col.notNull())
    .addColumn('taken', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('version', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('events_taken_check', sql`taken >= 0`)
    .execute();

  await db.schema
    .createTable('ticket_types')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('event_id', 'uuid', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('price', 'integer', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('quantity', 'integer', (col) => col.notNull())
    .addColumn('sold', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('sales_start', 'timestamptz')
    .addColumn('sales_end', 'timestamptz')
    .addColumn('min_per_order', 'integer', (col) => col.notNull())
    .addColumn('max_per_order', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .addForeignKeyConstraint('ticket_types_event_id_fk', ['event_id'], 'events', ['id'])
    .addCheckConstraint('ticket_types_price_check', sql`price >= 0`)
    // The last line of defence against overselling a ticket type, whatever the code above it does.
    .addCheckConstraint('ticket_types_sold_check', sql`sold >= 0 and sold <= quantity`)
    .addCheckConstraint('ticket_types_order_limits_check', sql`min_per_order >= 1 and max_per_order >= min_per_order`)
    .execute();
  await db.schema.createIndex('ticket_types_event_id_idx').on('ticket_types').column('event_id').execute();

  await db.schema
    .createTable('registrations')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('user_id', 'uuid', (col) => col.notNull())
    .addColumn('event_id', 'uuid', (col) => col.notNull())
    .addColumn('ticket_type_id', 'uuid', (col) => col.notNull())
    .addColumn('quantity', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('pending', 'confirmed', 'cancelled', 'expired')`),
    )
    .addColumn('amount', 'integer', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('cancel_reason', 'text')
    .addColumn('refund_requested', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .addUniqueConstraint('registrations_code_key', ['code'])
    .addForeignKeyConstraint('registrations_event_id_fk', ['event_id'], 'events', ['id'])
    .addForeignKeyConstraint('registrations_ticket_type_id_fk', ['ticket_type_id'], 'ticket_types', ['id'])
    .addCheckConstraint('registrations_quantity_check', sql`quantity > 0`)
    .execute();
  // One active registration per user per ticket type, enforced by the database under any concurrency.
  await sql`create unique index registrations_one_active_key on registrations (user_id, ticket_type_id)
    where status in ('pending', 'confirmed')`.execute(db);
  await db.schema.createIndex('registrations_user_id_idx').on('registrations').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('registrations_event_id_idx').on('registrations').columns(['event_id', 'id']).execute();
  await db.schema
    .createIndex('registrations_hold_expiry_idx')
    .on('registrations')
    .column('expires_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('registration_id', 'uuid', (col) => col.notNull())
    .addColumn('event_id', 'uuid', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('attendee_first_name', 'text')
    .addColumn('attendee_last_name', 'text')
    .addColumn('attendee_email', 'text')
    .addColumn('checked_in_at', 'timestamptz')
    .addUniqueConstraint('tickets_code_key', ['code'])
    .addForeignKeyConstraint('tickets_registration_id_fk', ['registration_id'], 'registrations', ['id'])
    .execute();
  await db.schema.createIndex('tickets_registration_id_idx').on('tickets').column('registration_id').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'uuid', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('status_code', 'integer', (col) => col.notNull())
    .addColumn('response', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created_at_idx').on('idempotency_keys').column('created_at').execute();

  // Names and emails of attendees for the organizer's list, learnt from identity.user.v1.
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('email', 'text')
    .addColumn('first_name', 'text', (col) => col.notNull())
    .addColumn('last_name', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}
