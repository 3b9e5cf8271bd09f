import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import {
  busTablesMigration,
  createKafkaTransport,
  type Subscription,
  startConsumer,
  type Transport,
} from '@echoplex/bus';
import { toKafkaHeaders } from '@echoplex/contracts';
import { createDatabase, type Database, type Kysely, migrateSchema } from '@echoplex/db';
import { registryTopics } from '@echoplex/http';
import { createTestAuth, createTestDatabase, eventually, freePort, type TestAuth } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TicketingDb } from '../src/db/schema';
import { eventState, TestClock } from './support/ticketing-harness';

const mainScript = new URL('../src/main.ts', import.meta.url);

// Real: the service as its own process (src/main.ts) on PostgreSQL and Kafka, killed with SIGKILL in
// the middle of a burst and started again; a downstream consumer with its own inbox counts what
// reaches it. The only stand-in is the JWKS endpoint, serving the test's signing key.
describe('kill -9 during a burst', () => {
  let database: { url: string; drop(): Promise<void> };
  let service: Database<unknown>;
  let db: Kysely<TicketingDb>;
  let transport: Transport;
  let auth: TestAuth;
  let jwks: Server;
  let child: ChildProcess | undefined;
  let probe: Subscription | undefined;
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'ticketing_crash');
    service = createDatabase({ url: database.url, poolMax: 4 });
    db = service.kysely.withSchema('ticketing') as unknown as Kysely<TicketingDb>;
    transport = await createKafkaTransport({
      brokers: inject('kafkaBrokers'),
      clientId: `ticketing-crash-${randomUUID()}`,
      topics: registryTopics,
    });
    auth = await createTestAuth();
    jwks = createHttpServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(auth.keyRing.jwks));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '10',
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      JWKS_URL: `http://127.0.0.1:${(jwks.address() as { port: number }).port}/.well-known/jwks.json`,
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'silent',
      TICKETING_CONSUMER_GROUP: `ticketing-crash-${randomUUID()}`,
    };
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await probe?.stop();
    await transport?.close();
    await service?.close();
    await new Promise((resolve) => jwks?.close(resolve));
    await database?.drop();
  });

  async function startService(): Promise<ChildProcess> {
    const started = fork(mainScript, [], { execArgv: ['--import', 'tsx'], env, stdio: 'pipe' });
    const ready = await eventually(
      () =>
        fetch(`${baseUrl}/ready`)
          .then((response) => response.status)
          .catch(() => 0),
      (status) => status === 200,
      60_000,
    );
    expect(ready).toBe(200);
    return started;
  }

  it('loses and doubles no seat, and every committed change reaches a consumer exactly once', async () => {
    child = await startService();
    const organizer = await auth.user('organizer');
    const state = eventState({ organizerId: organizer.userId, capacity: 150 }, new TestClock(new Date()));
    const eventId = state.eventId;
    await transport.publish([
      {
        topic: 'events.event.v1',
        key: eventId,
        value: JSON.stringify(state),
        headers: toKafkaHeaders({
          id: randomUUID(),
          source: 'test',
          type: 'event.created',
          time: new Date().toISOString(),
          subject: eventId,
          data: state,
        }),
      },
    ]);
    const known = await eventually(
      () => fetch(`${baseUrl}/api/events/${eventId}/availability`).then((response) => response.status),
      (status) => status === 200,
      60_000,
    );
    expect(known).toBe(200);
    const ticketType = (await (
      await fetch(`${baseUrl}/api/events/${eventId}/tickets`, {
        method: 'POST',
        headers: { ...organizer.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'GA', price: 0, currency: 'eur', quantity: 150 }),
      })
    ).json()) as { id: string };

    // The downstream consumer: its own schema and inbox, counting registration.confirmed of this event.
    await migrateSchema(service.kysely, 'crash_probe', {
      '0000_bus': busTablesMigration,
      '0001_effects': {
        async up(migration) {
          await migration.schema
            .createTable('effects')
            .addColumn('event_id', 'text', (col) => col.primaryKey())
            .addColumn('registration_id', 'uuid', (col) => col.notNull())
            .execute();
        },
      },
    });
    const probeDb = service.kysely.withSchema('crash_probe') as Kysely<any>;
    probe = await startConsumer({
      transport,
      kysely: probeDb,
      group: `crash-probe-${randomUUID()}`,
      fromBeginning: true,
      handlers: {
        'ticketing.registration.v1': {
          'registration.confirmed': async (event, trx) => {
            if (event.data.eventId !== eventId) return;
            await trx
              .insertInto('effects')
              .values({ eventId: event.id, registrationId: event.data.registrationId })
              .execute();
          },
        },
      },
    });

    // 200 buyers for 150 seats, 40 at a time, each request with its own Idempotency-Key.
    const buyers = await Promise.all(
      Array.from({ length: 200 }, async () => ({ ...(await auth.user('attendee')), key: randomUUID() })),
    );
    const outcomes = new Map<string, { status: number; body: any }>();
    const attempt = async (buyer: (typeof buyers)[number]) => {
      try {
        const response = await fetch(`${baseUrl}/api/registrations`, {
          method: 'POST',
          headers: { ...buyer.headers, 'content-type': 'application/json', 'idempotency-key': buyer.key },
          body: JSON.stringify({ eventId, ticketTypeId: ticketType.id }),
        });
        outcomes.set(buyer.userId, { status: response.status, body: await response.json() });
      } catch {
        outcomes.delete(buyer.userId);
      }
    };
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < buyers.length && !killed) {
        await attempt(buyers[next++] as (typeof buyers)[number]);
        if (!killed && [...outcomes.values()].filter((outcome) => outcome.status === 201).length >= 40) {
          killed = true;
          child?.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 40 }, worker));
    expect(killed).toBe(true);
    await new Promise<void>((resolve) =>
      child?.exitCode !== null || child?.signalCode ? resolve() : child?.once('exit', () => resolve()),
    );
    expect(child.signalCode).toBe('SIGKILL');

    // Restart; every buyer without a clean answer retries with the same key (as a browser would).
    child = await startService();
    const interrupted = buyers.filter((buyer) => (outcomes.get(buyer.userId)?.status ?? 500) >= 500);
    expect(interrupted.length).toBeGreaterThan(0);
    for (const buyer of buyers) {
      const outcome = outcomes.get(buyer.userId);
      if (!outcome || outcome.status >= 500) await attempt(buyer);
    }
    const statuses = buyers.map((buyer) => outcomes.get(buyer.userId)?.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(150);
    expect(statuses.filter((status) => status === 409)).toHaveLength(50);
    const created = new Set(
      [...outcomes.values()].filter((outcome) => outcome.status === 201).map((outcome) => outcome.body.id),
    );

    // No seat lost or doubled: counters, registrations, tickets and answers all say 150.
    const event = await db.selectFrom('events').select(['taken']).where('id', '=', eventId).executeTakeFirstOrThrow();
    const sold = await db
      .selectFrom('ticketTypes')
      .select('sold')
      .where('id', '=', ticketType.id)
      .executeTakeFirstOrThrow();
    const active = await db
      .selectFrom('registrations')
      .select('id')
      .where('eventId', '=', eventId)
      .where('status', 'in', ['pending', 'confirmed'])
      .execute();
    const tickets = await db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('eventId', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(event.taken).toBe(150);
    expect(sold.sold).toBe(150);
    expect(new Set(active.map((row) => row.id))).toEqual(created);
    expect(Number(tickets.n)).toBe(150);

    // Exactly once downstream: one effect per committed registration.confirmed outbox row.
    const committed = await eventually(
      () =>
        db
          .selectFrom('outbox')
          .select(['id', 'publishedAt'])
          .where('aggregateid', '=', eventId)
          .where('type', '=', 'registration.confirmed')
          .execute(),
      (rows) => rows.length === 150 && rows.every((row) => row.publishedAt !== null),
      60_000,
    );
    expect(committed.every((row) => row.publishedAt !== null)).toBe(true);
    const effects = await eventually(
      () => probeDb.selectFrom('effects').select(['eventId', 'registrationId']).execute(),
      (rows) => rows.length >= 150,
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const settled = await probeDb.selectFrom('effects').select(['eventId', 'registrationId']).execute();
    expect(settled).toHaveLength(effects.length);
    expect(new Set(settled.map((row) => row.eventId))).toEqual(new Set(committed.map((row) => row.id)));
    expect(new Set(settled.map((row) => row.registrationId))).toEqual(created);
  }, 240_000);
});
