import { randomUUID } from 'node:crypto';
import { createDatabase, migrateSchema } from '@echoplex/db';
import { createTestDatabase } from '@echoplex/testkit';
import { sql } from 'kysely';
import { busTablesMigration } from '../src/tables';

export const schema = 'bus_test';

/** A fresh database with the bus tables and a `effects` table standing in for a handler's writes. */
export async function busTestDatabase(adminUrl: string) {
  const database = await createTestDatabase(adminUrl, 'bus');
  const db = createDatabase<any>({ url: database.url, poolMax: 5 });
  const kysely = db.kysely.withSchema(schema);
  await migrateSchema(db.kysely, schema, {
    '0000_bus': busTablesMigration,
    '0001_effects': {
      async up(migration) {
        await migration.schema
          .createTable('effects')
          .addColumn('id', 'bigserial', (col) => col.primaryKey())
          .addColumn('event_id', 'text', (col) => col.notNull())
          .addColumn('key', 'text', (col) => col.notNull())
          .addColumn('value', 'text', (col) => col.notNull())
          .execute();
      },
    },
  });
  return {
    url: database.url,
    kysely,
    async effects(): Promise<{ eventId: string; key: string; value: string }[]> {
      return kysely.selectFrom('effects').select(['eventId', 'key', 'value']).orderBy('id').execute();
    },
    async unpublished(): Promise<number> {
      const row = await kysely
        .selectFrom('outbox')
        .select(sql<number>`count(*)`.as('n'))
        .where('publishedAt', 'is', null)
        .executeTakeFirstOrThrow();
      return row.n;
    },
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

/** A page view is the smallest registered event; tests use the event id as a unique key. */
export function pageView(eventId = randomUUID(), referrer: string | null = null) {
  return {
    topic: 'analytics.page-view.v1' as const,
    type: 'page_view.recorded' as const,
    key: eventId,
    data: { eventId, sessionId: null, referrer, occurredAt: new Date().toISOString() },
  };
}
