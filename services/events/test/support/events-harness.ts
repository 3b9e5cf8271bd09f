import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '@echoplex/bus';
import { type EventData, type EventType, type TopicName, toKafkaHeaders } from '@echoplex/contracts';
import { createDatabase, type Kysely, sql } from '@echoplex/db';
import { startServicesForTests, type TestServices } from '@echoplex/testkit';
import { createEventsService } from '../../src/plugin';

export type Harness = TestServices & {
  uploadsDir: string;
  /** Rows the consumer `group` has recorded in its inbox: how tests know an event was handled. */
  handledBy(group: string): Promise<number>;
};

/**
 * The events service hosted like production (real PostgreSQL, migrations, outbox relay, consumers)
 * with images in a temporary directory. Real: everything. Faked: nothing (tokens are test-signed).
 */
export async function startEventsHarness(options: { bus?: 'kafka' | 'in-process' } = {}): Promise<Harness> {
  const uploadsDir = await mkdtemp(join(tmpdir(), 'events-uploads-'));
  const services = await startServicesForTests([createEventsService({ uploadsDir })], {
    bus: options.bus,
    env: { RATE_LIMITS: 'off' },
  });
  const database = createDatabase<unknown>({ url: services.databaseUrl, poolMax: 2 });
  const db = database.kysely as Kysely<any>;
  return {
    ...services,
    uploadsDir,
    async handledBy(group) {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from events.inbox where consumer = ${group}`.execute(db);
      return rows[0]?.n ?? 0;
    },
    async close() {
      await database.close();
      await services.close();
      await rm(uploadsDir, { recursive: true, force: true });
    },
  };
}

const hour = 3_600_000;

/** A valid create body starting `startInHours` from now and lasting `hours`. */
export function eventBody(overrides: Record<string, unknown> = {}, startInHours = 24 * 7, hours = 3) {
  const start = new Date(Date.now() + startInHours * hour);
  return {
    name: 'Harbour Lights Jazz Evening',
    description: 'A quartet plays standards by the water.',
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + hours * hour).toISOString(),
    timezone: 'Europe/Berlin',
    location: 'Elbphilharmonie, Platz der Deutschen Einheit 4',
    city: 'Hamburg',
    country: 'DE',
    capacity: 100,
    categories: ['music'],
    ...overrides,
  };
}

export interface Actor {
  headers: Record<string, string>;
}

export const anonymous: Actor = { headers: {} };

export async function createEvent(harness: Harness, actor: Actor, overrides: Record<string, unknown> = {}) {
  const response = await harness.app.inject({
    method: 'POST',
    url: '/api/events',
    headers: actor.headers,
    payload: eventBody(overrides),
  });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function createPublishedEvent(harness: Harness, actor: Actor, overrides: Record<string, unknown> = {}) {
  const event = await createEvent(harness, actor, overrides);
  return transition(harness, actor, event.id, 'publish');
}

export async function transition(
  harness: Harness,
  actor: Actor,
  id: string,
  action: 'publish' | 'unpublish' | 'cancel',
) {
  const response = await harness.app.inject({
    method: 'POST',
    url: `/api/events/${id}/${action}`,
    headers: actor.headers,
  });
  if (response.statusCode !== 200) throw new Error(`${action} failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Publishes what another service would: a CloudEvent in Kafka binary mode with a fresh id. */
export async function publishFromTicketing<T extends TopicName, E extends EventType<T>>(
  transport: Transport,
  topic: T,
  type: E,
  key: string,
  data: EventData<T, E>,
  id: string = randomUUID(),
) {
  await transport.publish([
    {
      topic,
      key,
      value: JSON.stringify(data),
      headers: toKafkaHeaders({ id, source: 'ticketing', type, time: new Date().toISOString(), subject: key, data }),
    },
  ]);
  return id;
}

export interface ReceivedMessage {
  key: string;
  type: string;
  headers: Record<string, string>;
  data: any;
}

/**
 * Everything published on `topic` from now on, as a consumer in a group of its own sees it. Delivery
 * is at least once, so a redelivered CloudEvent id is recorded once, as an inbox would.
 */
export async function recordTopic(transport: Transport, topic: TopicName) {
  const received: ReceivedMessage[] = [];
  const seen = new Set<string>();
  const subscription = await transport.subscribe({
    group: `events-test-${randomUUID()}`,
    topics: [topic],
    async handle(message) {
      const id = message.headers.ce_id ?? '';
      if (seen.has(id)) return;
      seen.add(id);
      received.push({
        key: message.key,
        type: message.headers.ce_type ?? '',
        headers: message.headers,
        data: JSON.parse(message.value),
      });
    },
  });
  return { received, stop: () => subscription.stop() };
}

/** A multipart/form-data body with one file part, as a browser sends it. */
export function multipartFile(bytes: Buffer, filename: string, contentType: string) {
  const boundary = `----echoplex${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
