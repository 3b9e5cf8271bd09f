import type { ColumnType, Generated, Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/** Debezium's outbox layout, plus delivery bookkeeping for the relay. */
export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  aggregatetype: string;
  aggregateid: string;
  type: string;
  payload: ColumnType<unknown, string, string>;
  headers: ColumnType<Record<string, string>, string, string>;
  createdAt: Generated<Date>;
  publishedAt: Date | null;
  attempts: Generated<number>;
  lastError: string | null;
  parkedAt: Date | null;
}

export interface InboxTable {
  consumer: string;
  eventId: string;
  processedAt: Generated<Date>;
}

export interface BusTables {
  outbox: OutboxTable;
  inbox: InboxTable;
}

/** Every service includes this migration; it runs inside the service's own schema. */
export const busTablesMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('outbox')
      .addColumn('seq', 'bigserial', (col) => col.primaryKey())
      .addColumn('id', 'uuid', (col) => col.notNull().unique())
      .addColumn('aggregatetype', 'text', (col) => col.notNull())
      .addColumn('aggregateid', 'text', (col) => col.notNull())
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('payload', 'jsonb', (col) => col.notNull())
      .addColumn('headers', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('published_at', 'timestamptz')
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('parked_at', 'timestamptz')
      .execute();
    await db.schema
      .createIndex('outbox_unpublished_idx')
      .on('outbox')
      .column('seq')
      .where(sql.ref('published_at'), 'is', null)
      .execute();
    await db.schema
      .createTable('inbox')
      .addColumn('consumer', 'text', (col) => col.notNull())
      .addColumn('event_id', 'text', (col) => col.notNull())
      .addColumn('processed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('inbox_pk', ['consumer', 'event_id'])
      .execute();
  },
};
