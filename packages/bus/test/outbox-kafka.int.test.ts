import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Outcome, startConsumer } from '../src/consumer';
import { Outbox } from '../src/outbox';
import { type OutboxRelay, startOutboxRelay } from '../src/relay';
import type { IncomingMessage, Transport } from '../src/transport';
import { createKafkaTransport } from '../src/transports/kafka';
import { appendRolledBack, busTestDatabase, pageView, schema } from './fixtures';

// Real: PostgreSQL, Kafka broker, relay, consumer. Nothing faked.
describe('outbox → Kafka → inbox', () => {
  let database: Awaited<ReturnType<typeof busTestDatabase>>;
  let transport: Transport;
  let relay: OutboxRelay;
  const outbox = new Outbox(schema, 'bus-test');

  beforeAll(async () => {
    database = await busTestDatabase(inject('databaseUrl'));
    transport = await createKafkaTransport({
      brokers: inject('kafkaBrokers'),
      clientId: 'bus-test',
      topics: [{ name: 'analytics.page-view.v1' }, { name: 'analytics.page-view.v1.dlq', partitions: 1 }],
    });
    relay = await startOutboxRelay({ kysely: database.kysely, schema, databaseUrl: database.url, transport });
  });

  afterAll(async () => {
    await relay?.stop();
    await transport?.close();
    await database?.close();
  });

  const collect = async (group: string, topics: string[]) => {
    const seen: IncomingMessage[] = [];
    const subscription = await transport.subscribe({
      group,
      topics,
      fromBeginning: true,
      handle: async (message) => {
        seen.push(message);
      },
    });
    return { seen, subscription };
  };

  it('publishes nothing for a rolled-back transaction and each committed event once, in order per key', async () => {
    const key = randomUUID();
    for (let i = 0; i < 20; i++) {
      // On the same key, so a leaked rolled-back event would sit among the committed ones.
      if (i === 10) await appendRolledBack(database.kysely, outbox, key, 'rolled-back');
      await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, `ref-${i}`)));
    }
    const { seen, subscription } = await collect(`order-${randomUUID()}`, ['analytics.page-view.v1']);
    const ofKey = await eventually(
      async () => seen.filter((message) => message.key === key),
      (list) => list.length >= 20,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await subscription.stop();

    expect(ofKey.map((message) => JSON.parse(message.value).referrer)).toEqual(
      Array.from({ length: 20 }, (_, i) => `ref-${i}`),
    );
    expect(ofKey[0]?.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'page_view.recorded',
      ce_source: 'bus-test',
      'content-type': 'application/json',
    });
    expect(await database.unpublished()).toBe(0);
  });

  it('after the relay is killed between publish and mark-sent, the redelivered event takes effect once', async () => {
    const key = randomUUID();
    await relay.stop();
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, 'crash')));

    const child = fork(new URL('./relay-crash.fixture.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DATABASE_URL: database.url, KAFKA_BROKERS: inject('kafkaBrokers').join(',') },
      stdio: 'pipe',
    });
    const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    expect(exit).toBe('SIGKILL');
    expect(await database.unpublished()).toBe(1);

    relay = await startOutboxRelay({ kysely: database.kysely, schema, databaseUrl: database.url, transport });
    await eventually(
      () => database.unpublished(),
      (n) => n === 0,
    );

    const group = `inbox-${randomUUID()}`;
    const outcomes: Outcome[] = [];
    const subscription = await startConsumer({
      transport,
      kysely: database.kysely,
      group,
      fromBeginning: true,
      onProcessed: (event, outcome) => {
        if (event.subject === key) outcomes.push(outcome);
      },
      handlers: {
        'analytics.page-view.v1': {
          'page_view.recorded': async (event, trx) => {
            if (event.subject !== key) return;
            await trx
              .insertInto('effects')
              .values({ eventId: event.id, key, value: String(event.data.referrer) })
              .execute();
          },
        },
      },
    });
    const raw = await collect(`raw-${randomUUID()}`, ['analytics.page-view.v1']);
    const copies = await eventually(
      async () => raw.seen.filter((message) => message.key === key),
      (list) => list.length >= 2,
    );
    // Both copies have been through the inbox once the consumer has reported on each.
    await eventually(
      async () => outcomes,
      (list) => list.length >= 2,
    );
    await subscription.stop();
    await raw.subscription.stop();

    expect(outcomes).toEqual(['handled', 'duplicate']);
    expect(copies).toHaveLength(2);
    expect(copies[0]?.headers.ce_id).toBe(copies[1]?.headers.ce_id);
    expect((await database.effects()).filter((row) => row.key === key)).toHaveLength(1);
  });

  it('dead-letters a poison message and keeps consuming the partition', async () => {
    const key = randomUUID();
    await transport.publish([
      {
        topic: 'analytics.page-view.v1',
        key,
        value: '{not json',
        headers: {
          ce_specversion: '1.0',
          ce_id: randomUUID(),
          ce_source: 'x',
          ce_type: 'page_view.recorded',
          ce_time: new Date().toISOString(),
        },
      },
    ]);
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, 'fails-always')));
    await database.kysely.transaction().execute((trx) => outbox.append(trx, pageView(key, 'healthy')));

    const group = `poison-${randomUUID()}`;
    const subscription = await startConsumer({
      transport,
      kysely: database.kysely,
      group,
      fromBeginning: true,
      maxAttempts: 3,
      retryDelayMs: 10,
      handlers: {
        'analytics.page-view.v1': {
          'page_view.recorded': async (event, trx) => {
            if (event.subject !== key) return;
            if (event.data.referrer === 'fails-always') throw new Error('handler bug');
            await trx
              .insertInto('effects')
              .values({ eventId: event.id, key, value: String(event.data.referrer) })
              .execute();
          },
        },
      },
    });
    const dlq = await collect(`dlq-${randomUUID()}`, ['analytics.page-view.v1.dlq']);
    const effects = await eventually(database.effects, (rows) => rows.some((row) => row.key === key));
    const parked = await eventually(
      // Other consumers of the topic may dead-letter the malformed message too: look at ours.
      async () => dlq.seen.filter((message) => message.key === key && message.headers.dlq_consumer === group),
      (list) => list.length >= 2,
    );
    await subscription.stop();
    await dlq.subscription.stop();

    expect(effects.filter((row) => row.key === key).map((row) => row.value)).toEqual(['healthy']);
    expect(parked.map((message) => message.headers.dlq_consumer)).toEqual([group, group]);
    expect(parked.map((message) => message.headers.dlq_attempts)).toEqual(['1', '3']);
  });
});
