import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { CloudEvent, PageViewRecorded } from '@echoplex/contracts';
import { eventually } from '@echoplex/testkit';
import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Outcome, startConsumer } from '../src/consumer';
import type { IncomingMessage, OutgoingMessage, Transport } from '../src/transport';
import { createInProcessTransport } from '../src/transports/in-process';
import { createKafkaTransport } from '../src/transports/kafka';
import { busTestDatabase, pageViewMessage, recordEffectsOf } from './fixtures';

const kafka = () =>
  createKafkaTransport({
    brokers: inject('kafkaBrokers'),
    clientId: 'bus-batch-test',
    topics: [{ name: 'analytics.page-view.v1' }, { name: 'analytics.page-view.v1.dlq', partitions: 1 }],
  });

/** A fresh database and a transport for the enclosing describe block, and the helpers its tests share. */
function testBed(createTransport: () => Promise<Transport>) {
  let database: Awaited<ReturnType<typeof busTestDatabase>>;
  let transport: Transport;
  beforeAll(async () => {
    database = await busTestDatabase(inject('databaseUrl'));
    transport = await createTransport();
  });
  afterAll(async () => {
    await transport?.close();
    await database?.close();
  });
  return {
    get database() {
      return database;
    },
    get transport() {
      return transport;
    },
    async effectsOf(keys: string[]) {
      return (await database.effects())
        .filter((row) => keys.includes(row.key))
        .map(({ key, value }) => ({ key, value }));
    },
    startBatchConsumer(group: string, keys: string[], onProcessed?: (event: CloudEvent, outcome: Outcome) => void) {
      return startConsumer({
        transport,
        kysely: database.kysely,
        group,
        batch: { maxEvents: 7 },
        maxAttempts: 2,
        retryDelayMs: 10,
        handlers: recordEffectsOf(new Set(keys)),
        onProcessed,
      });
    },
  };
}

/** Interleaved views of several keys, published together so they are fetched in few batches. */
const viewsOf = (keys: string[], perKey: number): OutgoingMessage[] =>
  Array.from({ length: perKey }, (_, i) => keys.map((key) => pageViewMessage(key, `${key}-${i}`))).flat();

// Real: PostgreSQL, the Kafka broker or the in-process bus, batch consumer (one transaction per
// fetched batch). Nothing faked. Consumers subscribe before publishing: the in-process bus keeps no log.
describe.each([
  ['Kafka', kafka],
  ['the in-process bus', async () => createInProcessTransport()],
])('batch consumer: %s → inbox', (_name, createTransport) => {
  const bed = testBed(createTransport);

  it('applies every event once in order per key, and a redelivered batch changes nothing', async () => {
    const keys = [randomUUID(), randomUUID(), randomUUID()];
    const views = viewsOf(keys, 10);
    const outcomes = new Map<string, Outcome[]>();
    const consumer = await bed.startBatchConsumer(`batch-${randomUUID()}`, keys, (event, outcome) => {
      outcomes.set(event.id, [...(outcomes.get(event.id) ?? []), outcome]);
    });
    await bed.transport.publish(views);
    const applied = await eventually(
      () => bed.effectsOf(keys),
      (rows) => rows.length >= views.length,
    );

    // The same messages again, as a producer retry or a replay would deliver them. The keys' partitions
    // are consumed concurrently, so only each view's own second outcome says its copy has been handled.
    await bed.transport.publish(views);
    await eventually(
      async () => views.map((view) => outcomes.get(view.headers.ce_id as string)?.length ?? 0),
      (counts) => counts.every((count) => count >= 2),
    );
    await consumer.stop();

    for (const key of keys) {
      expect(applied.filter((row) => row.key === key).map((row) => row.value)).toEqual(
        Array.from({ length: 10 }, (_, i) => `${key}-${i}`),
      );
    }
    expect(await bed.effectsOf(keys)).toEqual(applied);
    expect(views.map((view) => outcomes.get(view.headers.ce_id as string))).toEqual(
      views.map(() => ['handled', 'duplicate']),
    );
  });

  it('dead-letters a poison message in the middle of a batch and applies the rest once', async () => {
    const key = randomUUID();
    const views = ['a', 'b', 'poison', 'c', 'd'].map((referrer) => pageViewMessage(key, referrer));
    const group = `batch-poison-${randomUUID()}`;
    const parked: IncomingMessage[] = [];
    const dlq = await bed.transport.subscribe({
      group: `dlq-${randomUUID()}`,
      topics: ['analytics.page-view.v1.dlq'],
      fromBeginning: true,
      handle: async (message) => {
        if (message.key === key && message.headers.dlq_consumer === group) parked.push(message);
      },
    });
    const consumer = await bed.startBatchConsumer(group, [key]);
    await bed.transport.publish(views);
    const rows = await eventually(
      () => bed.effectsOf([key]),
      (list) => list.some((row) => row.value === 'd'),
    );
    await eventually(
      async () => parked,
      (list) => list.length > 0,
    );
    await consumer.stop();
    await dlq.stop();

    expect(rows.map((row) => row.value)).toEqual(['a', 'b', 'c', 'd']);
    expect(parked.map((message) => [message.headers.ce_id, message.headers.dlq_attempts])).toEqual([
      [views[2]?.headers.ce_id, '2'],
    ]);
  });

  it('beforeBatch gets the new events of each transaction before their handlers run, alone after a failure', async () => {
    const key = randomUUID();
    const views = ['a', 'b', 'poison', 'c', 'd'].map((referrer) => pageViewMessage(key, referrer));
    const ids = views.map((view) => view.headers.ce_id as string);
    const announced = new WeakMap<Transaction<any>, Set<string>>();
    const calls: string[][] = [];
    const record = recordEffectsOf(new Set([key]))['analytics.page-view.v1']['page_view.recorded'];
    const consumer = await startConsumer({
      transport: bed.transport,
      kysely: bed.database.kysely,
      group: `batch-hook-${randomUUID()}`,
      batch: { maxEvents: 7 },
      maxAttempts: 2,
      retryDelayMs: 10,
      beforeBatch: async (events, trx) => {
        calls.push(events.filter((event) => event.subject === key).map((event) => event.id));
        announced.set(trx, new Set(events.map((event) => event.id)));
      },
      handlers: {
        'analytics.page-view.v1': {
          'page_view.recorded': async (event: CloudEvent<PageViewRecorded>, trx: Transaction<any>) => {
            if (!announced.get(trx)?.has(event.id)) throw new Error('handler ran before beforeBatch saw its event');
            await record(event, trx);
          },
        },
      },
    });
    await bed.transport.publish(views);
    const rows = await eventually(
      () => bed.effectsOf([key]),
      (list) => list.some((row) => row.value === 'd'),
    );
    const callsBeforeRedelivery = calls.length;
    // Already applied: the redelivered events are not handed to beforeBatch again. The marker shares
    // their key, so their partition: once it is applied, every copy before it has been consumed.
    const marker = pageViewMessage(key, 'marker');
    await bed.transport.publish([...views.filter((_, index) => index !== 2), marker]);
    const after = await eventually(
      () => bed.effectsOf([key]),
      (list) => list.some((row) => row.value === 'marker'),
    );
    await consumer.stop();

    expect(rows.map((row) => row.value)).toEqual(['a', 'b', 'c', 'd']);
    expect(after.map((row) => row.value)).toEqual(['a', 'b', 'c', 'd', 'marker']);
    // The failing batch is handled again one event at a time, each a batch of one.
    expect(calls).toContainEqual([ids[2]]);
    expect(calls.slice(callsBeforeRedelivery).flat()).toEqual([marker.headers.ce_id]);
  });
});

// A crash needs a real broker: the in-process bus dies with the process.
describe('batch consumer: Kafka, crash between commit and offset commit', () => {
  const bed = testBed(kafka);

  it('after a crash between the commit and the offset commit, the redelivered batch applies nothing twice', async () => {
    const key = randomUUID();
    const marker = randomUUID();
    const views = viewsOf([key], 20);
    await bed.transport.publish(views);
    const group = `batch-crash-${randomUUID()}`;

    const child = fork(new URL('./consumer-crash.fixture.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        DATABASE_URL: bed.database.url,
        KAFKA_BROKERS: inject('kafkaBrokers').join(','),
        GROUP: group,
        KEY: key,
        MAX_EVENTS: '7',
      },
      stdio: 'pipe',
    });
    const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    expect(exit).toBe('SIGKILL');
    const beforeRestart = await bed.effectsOf([key]);
    expect(beforeRestart.length).toBeGreaterThan(0);

    const duplicates: string[] = [];
    const consumer = await bed.startBatchConsumer(group, [key, marker], (event, outcome) => {
      if (event.subject === key && outcome === 'duplicate') duplicates.push(event.id);
    });
    const rows = await eventually(
      () => bed.effectsOf([key]),
      (list) => list.length >= views.length,
    );
    await bed.transport.publish([pageViewMessage(marker, 'marker')]);
    await eventually(
      () => bed.effectsOf([marker]),
      (list) => list.length > 0,
    );
    await consumer.stop();

    expect(duplicates).toHaveLength(beforeRestart.length);
    expect(rows.map((row) => row.value)).toEqual(Array.from({ length: 20 }, (_, i) => `${key}-${i}`));
    expect(await bed.effectsOf([key])).toEqual(rows);
  });
});
