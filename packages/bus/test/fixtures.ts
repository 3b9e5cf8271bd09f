import { randomUUID } from 'node:crypto';
import { type CloudEvent, type PageViewRecorded, toKafkaHeaders } from '@echoplex/contracts';
import { createDatabase, migrateSchema } from '@echoplex/db';
import { createTestDatabase } from '@echoplex/testkit';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Outbox } from '../src/outbox';
import { busTablesMigration } from '../src/tables';
import type { OutgoingMessage } from '../src/transport';

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
export function pageView(eventId: string = randomUUID(), referrer: string | null = null) {
  return {
    topic: 'analytics.page-view.v1' as const,
    type: 'page_view.recorded' as const,
    key: eventId,
    data: { eventId, sessionId: null, referrer, occurredAt: new Date().toISOString() },
  };
}

/** A page view as it travels on the bus; publishing the same message twice is a redelivery. */
export function pageViewMessage(key: string, referrer: string): OutgoingMessage {
  const view = pageView(key, referrer);
  return {
    topic: view.topic,
    key,
    value: JSON.stringify(view.data),
    headers: toKafkaHeaders({
      id: randomUUID(),
      source: 'bus-test',
      type: view.type,
      time: new Date().toISOString(),
      subject: key,
      data: view.data,
    }),
  };
}

/** The handler the bus tests consume with: records the page view of the keys under test as an effect. */
export function recordEffectsOf(keys: Set<string>, failsAlways = 'poison') {
  return {
    'analytics.page-view.v1': {
      'page_view.recorded': async (event: CloudEvent<PageViewRecorded>, trx: Transaction<any>) => {
        if (!keys.has(event.subject)) return;
        if (event.data.referrer === failsAlways) throw new Error('handler bug');
        await trx
          .insertInto('effects')
          .values({ eventId: event.id, key: event.subject, value: String(event.data.referrer) })
          .execute();
      },
    },
  };
}

/** Appends a page view in a transaction that then rolls back: no consumer may ever see it. */
export async function appendRolledBack(kysely: Kysely<any>, outbox: Outbox, key: string, referrer: string) {
  await kysely
    .transaction()
    .execute(async (trx) => {
      await outbox.append(trx, pageView(key, referrer));
      throw new Error('abort');
    })
    .catch(() => {});
}
