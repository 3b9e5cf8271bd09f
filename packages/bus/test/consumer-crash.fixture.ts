import { createDatabase } from '@echoplex/db';
import { startConsumer } from '../src/consumer';
import { createKafkaTransport } from '../src/transports/kafka';
import { recordEffectsOf, schema } from './fixtures';

// Runs a real batch consumer against the real broker, but dies with SIGKILL the instant the first
// batch holding the key under test has committed: after the commit, before its offsets are committed.
const key = process.env.KEY as string;
const db = createDatabase<any>({ url: process.env.DATABASE_URL as string });
const transport = await createKafkaTransport({
  brokers: (process.env.KAFKA_BROKERS as string).split(','),
  clientId: 'consumer-crash',
});
await startConsumer({
  transport,
  kysely: db.kysely.withSchema(schema),
  group: process.env.GROUP as string,
  batch: { maxEvents: Number(process.env.MAX_EVENTS) },
  handlers: recordEffectsOf(new Set([key])),
  onProcessed(event, outcome) {
    if (event.subject === key && outcome === 'handled') process.kill(process.pid, 'SIGKILL');
  },
});
