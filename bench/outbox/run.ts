/**
 * Outbox commit → consumer handler latency at a fixed rate, next to a same-run baseline of raw
 * kafkajs produce → consume, and through the in-process bus.
 *
 *   KAFKA_BROKERS=127.0.0.1:39092 npx tsx bench/outbox/run.ts [ratePerSecond] [seconds]
 */
import { randomUUID } from 'node:crypto';
import {
  busTablesMigration,
  createInProcessTransport,
  createKafkaTransport,
  Outbox,
  startConsumer,
  startOutboxRelay,
  type Transport,
} from '@echoplex/bus';
import { createDatabase, migrateSchema } from '@echoplex/db';
import { createTestDatabase } from '@echoplex/testkit';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const rate = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 10);
// A broker of its own (e.g. `KAFKA_PORT=39092 KAFKA_CONTROLLER_PORT=39093 bash infra/kafka/start.sh`): the bench fills topics.
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:39092').split(',');
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function summary(name: string, samples: number[], sent: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(2);
  return { name, sent, received: samples.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/** Calls `send(i)` `rate` times a second for `seconds`, in 10 ms ticks. */
async function pace(send: (i: number) => Promise<void>): Promise<number> {
  const total = rate * seconds;
  const perTick = rate / 100;
  let sent = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 10) * perTick) + perTick);
    while (sent < due) pending.push(send(sent++));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  return sent;
}

async function rawKafka() {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench.raw.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const samples: number[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      samples.push(performance.now() + performance.timeOrigin - Number(message.value?.toString()));
    },
  });
  await joined;
  const sent = await pace(async (i) => {
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: String(i % 64), value: String(performance.now() + performance.timeOrigin) }],
    });
  });
  await waitFor(() => samples.length >= sent);
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
  return summary('raw kafkajs produce → consume (baseline)', samples, sent);
}

async function throughOutbox(name: string, transport: Transport) {
  const database = await createTestDatabase(adminUrl, 'bench_outbox');
  const db = createDatabase<any>({ url: database.url, poolMax: 20 });
  const schema = 'bench';
  await migrateSchema(db.kysely, schema, { '0000_bus': busTablesMigration });
  const kysely = db.kysely.withSchema(schema);
  const outbox = new Outbox(schema, 'bench');
  const committedAt = new Map<string, number>();
  const handledAt = new Map<string, number>();
  const consumer = await startConsumer({
    transport,
    kysely,
    group: `bench-${randomUUID()}`,
    // The topic may hold earlier runs' messages: start at its end.
    fromBeginning: false,
    handlers: {
      'analytics.page-view.v1': {
        'page_view.recorded': async (event) => {
          handledAt.set(event.subject, performance.now());
        },
      },
    },
  });
  const relay = await startOutboxRelay({ kysely, schema, databaseUrl: database.url, transport });
  // Let a new Kafka group settle on the end offsets before the first measured message.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const sent = await pace(async () => {
    const eventId = randomUUID();
    await kysely.transaction().execute((trx) =>
      outbox.append(trx, {
        topic: 'analytics.page-view.v1',
        type: 'page_view.recorded',
        key: eventId,
        data: { eventId, sessionId: null, referrer: null, occurredAt: new Date().toISOString() },
      }),
    );
    committedAt.set(eventId, performance.now());
  });
  const handledCount = () => [...committedAt.keys()].filter((key) => handledAt.has(key)).length;
  await waitFor(() => handledCount() >= sent);
  // The in-process bus can run the handler before the committing call has returned: that is 0 ms.
  const samples = [...committedAt]
    .filter(([key]) => handledAt.has(key))
    .map(([key, at]) => Math.max(0, (handledAt.get(key) as number) - at));
  await consumer.stop();
  await relay.stop();
  await transport.close();
  await db.close();
  await database.drop();
  return summary(name, samples, sent);
}

async function waitFor(done: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

const results = [];
results.push(await rawKafka());
results.push(
  await throughOutbox(
    'outbox commit → relay → Kafka → inbox handler',
    await createKafkaTransport({ brokers, clientId: 'bench-outbox', topics: [{ name: 'analytics.page-view.v1' }] }),
  ),
);
results.push(await throughOutbox('outbox commit → relay → in-process bus → inbox handler', createInProcessTransport()));
console.log(`rate ${rate}/s for ${seconds} s; latencies in ms`);
console.table(results);
process.exit(0);
