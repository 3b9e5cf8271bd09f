import { randomUUID } from 'node:crypto';
import { toKafkaHeaders } from '@echoplex/contracts';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startConsumer } from '../src/consumer';
import { Outbox } from '../src/outbox';
import { type OutboxRelay, startOutboxRelay } from '../src/relay';
import type { IncomingMessage, Subscription } from '../src/transport';
import { createInProcessTransport } from '../src/transports/in-process';
import { appendRolledBack, busTestDatabase, pageView, schema } from './fixtures';

// Real PostgreSQL; the embedded mode's in-process transport instead of Kafka.
describe('outbox → in-process bus → inbox', () => {
  let database: Awaited<ReturnType<typeof busTestDatabase>>;
  const transport = createInProcessTransport();
  let relay: OutboxRelay;
  let consumer: Subscription;
  const outbox = new Outbox(schema, 'bus-test');
  const failuresLeft = new Map<string, number>();
  const deadLetters: IncomingMessage[] = [];

  beforeAll(async () => {
    database = await busTestDatabase(inject('databaseUrl'));
    consumer = await startConsumer({
      transport,
      kysely: database.kysely,
      group: 'effects',
      maxAttempts: 3,
      retryDelayMs: 5,
      handlers: {
        'analytics.page-view.v1': {
          'page_view.recorded': async (event, trx) => {
            const left = failuresLeft.get(event.subject) ?? 0;
            if (left > 0) {
              failuresLeft.set(event.subject, left - 1);
              throw new Error('transient');
            }
            await trx
              .insertInto('effects')
              .values({ eventId: event.id, key: event.subject, value: String(event.data.referrer) })
              .execute();
          },
        },
      },
    });
    await transport.subscribe({
      group: 'dlq-watch',
      topics: ['analytics.page-view.v1.dlq'],
      handle: async (message) => {
        deadLetters.push(message);
      },
    });
    relay = await startOutboxRelay({ kysely: database.kysely, schema, databaseUrl: database.url, transport });
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await database?.close();
  });

  const effectsOf = async (key: string) => (await database.effects()).filter((row) => row.key === key);

  it('delivers a committed event once and a rolled-back one never', async () => {
    const key = randomUUID();
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, 'yes')));
    await appendRolledBack(database.kysely, outbox, key, 'no');
    // One key's events arrive in order: once the marker is applied, a leaked 'no' would have been too.
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, 'marker')));
    const rows = await eventually(
      () => effectsOf(key),
      (list) => list.some((row) => row.value === 'marker'),
    );
    expect(rows.map((row) => row.value)).toEqual(['yes', 'marker']);
  });

  it('retries a failing handler and applies the effect once it succeeds', async () => {
    const key = randomUUID();
    failuresLeft.set(key, 2);
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, 'after-retries')));
    const rows = await eventually(
      () => effectsOf(key),
      (list) => list.length > 0,
    );
    expect(rows.map((row) => row.value)).toEqual(['after-retries']);
  });

  it('dead-letters a message whose handler keeps failing and moves on', async () => {
    const poisoned = randomUUID();
    const next = randomUUID();
    failuresLeft.set(poisoned, 100);
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(poisoned, 'poison')));
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(next, 'next')));
    await eventually(
      () => effectsOf(next),
      (list) => list.length > 0,
    );
    const parked = await eventually(
      async () => deadLetters.filter((message) => message.key === poisoned),
      (list) => list.length > 0,
    );
    expect(parked[0]?.headers).toMatchObject({ dlq_consumer: 'effects', dlq_attempts: '3', dlq_error: 'transient' });
    expect(await effectsOf(poisoned)).toEqual([]);
  });

  it('ignores a redelivered event through the inbox', async () => {
    const key = randomUUID();
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, 'once')));
    await eventually(
      () => effectsOf(key),
      (list) => list.length > 0,
    );
    // Publish the identical message again, as a relay that crashed before marking it sent would.
    const row = await database.kysely
      .selectFrom('outbox')
      .select(['id', 'payload', 'headers'])
      .where('aggregateid', '=', key)
      .executeTakeFirstOrThrow();
    await transport.publish([
      {
        topic: 'analytics.page-view.v1',
        key,
        value: JSON.stringify(row.payload),
        headers: toKafkaHeaders({
          id: row.id,
          source: 'bus-test',
          type: 'page_view.recorded',
          time: new Date().toISOString(),
          subject: key,
          data: row.payload,
        }),
      },
    ]);
    // Keys are delivered in parallel; a marker on the same key comes after the copy.
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, 'marker')));
    const rows = await eventually(
      () => effectsOf(key),
      (list) => list.some((row) => row.value === 'marker'),
    );
    expect(rows.map((row) => row.value)).toEqual(['once', 'marker']);
  });
});
