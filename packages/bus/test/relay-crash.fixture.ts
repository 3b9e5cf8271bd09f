import { createDatabase } from '@echoplex/db';
import { startOutboxRelay } from '../src/relay';
import { createKafkaTransport } from '../src/transports/kafka';
import { schema } from './fixtures';

// Runs the real relay against the real broker, but dies with SIGKILL the instant the broker has
// acknowledged a batch: after publish, before the rows are marked sent.
const db = createDatabase<any>({ url: process.env.DATABASE_URL as string });
const kafka = await createKafkaTransport({
  brokers: (process.env.KAFKA_BROKERS as string).split(','),
  clientId: 'relay-crash',
});
const crashing = {
  ...kafka,
  async publish(messages: Parameters<typeof kafka.publish>[0]) {
    await kafka.publish(messages);
    process.kill(process.pid, 'SIGKILL');
  },
};
await startOutboxRelay({
  kysely: db.kysely.withSchema(schema),
  schema,
  databaseUrl: process.env.DATABASE_URL as string,
  transport: crashing,
});
