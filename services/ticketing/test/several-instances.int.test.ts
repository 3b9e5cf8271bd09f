import { createInProcessTransport } from '@echoplex/bus';
import { commonConfig, createTokenVerifier, hostServices, parseConfig, type ServiceHost } from '@echoplex/http';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketingService } from '../src/plugin';
import { publishedEvent, register, seatAccounts } from './support/scenario';
import { minutes, startTicketing, type Ticketing } from './support/ticketing-harness';

// Real: PostgreSQL shared by two instances of the service, each with its own sweeper, cache and
// LISTEN connection, as two processes of one deployment would be.
describe('two instances on one database', () => {
  let t: Ticketing;
  let second: ServiceHost;
  beforeAll(async () => {
    t = await startTicketing({ sweepIntervalMs: 10 });
    const config = parseConfig(commonConfig, { NODE_ENV: 'test', RATE_LIMITS: 'off', DATABASE_URL: t.databaseUrl });
    second = await hostServices({
      services: [createTicketingService({ clock: t.clock.now, sweepIntervalMs: 10, consumerGroup: 'second' })],
      config: { ...config, DATABASE_URL: t.databaseUrl },
      transport: createInProcessTransport(),
      logger: createLogger({ service: 'second', level: 'silent' }),
      registry: createMetricsRegistry(),
      verifier: createTokenVerifier({ jwks: () => t.auth.keyRing.jwks }),
      keyRing: t.auth.keyRing,
    });
    await second.app.ready();
  });
  afterAll(async () => {
    await second?.shutdown();
    await t?.closeAll();
  });

  it('expires every hold exactly once while both sweep, and each cache follows the other instance', async () => {
    const { eventId, ticketTypes } = await publishedEvent(t, {
      event: { capacity: 200 },
      ticketTypes: [{ price: 500, quantity: 200 }],
    });
    const availableOn = async (app: ServiceHost['app']) =>
      (await app.inject({ method: 'GET', url: `/api/events/${eventId}/availability` })).json().available;
    expect(await availableOn(second.app)).toBe(200);

    const apps = [t.app, second.app];
    const holds = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const buyer = await t.auth.user('attendee');
        const response = await (apps[i % 2] as ServiceHost['app']).inject({
          method: 'POST',
          url: '/api/registrations',
          headers: buyer.headers,
          payload: { eventId, ticketTypeId: ticketTypes[0]?.id },
        });
        return response.json().id as string;
      }),
    );
    expect(new Set(holds).size).toBe(120);
    // Each instance sees the other's sales (through NOTIFY, or at worst the cache's maxAge).
    expect(
      await eventually(
        () => availableOn(second.app),
        (available) => available === 80,
      ),
    ).toBe(80);
    expect(
      await eventually(
        () => availableOn(t.app),
        (available) => available === 80,
      ),
    ).toBe(80);

    t.clock.advance(minutes(11));
    const expired = await eventually(
      () =>
        t.db
          .selectFrom('registrations')
          .select('id')
          .where('eventId', '=', eventId)
          .where('status', '=', 'expired')
          .execute(),
      (rows) => rows.length === 120,
    );
    expect(expired).toHaveLength(120);
    const expiredEvents = await t.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('aggregateid', '=', eventId)
      .where('type', '=', 'registration.expired')
      .executeTakeFirstOrThrow();
    expect(Number(expiredEvents.n)).toBe(120);
    const accounts = await seatAccounts(t, eventId);
    expect(accounts.event.taken).toBe(0);
    expect(accounts.ticketTypes[0]?.sold).toBe(0);
    expect(
      await eventually(
        () => availableOn(second.app),
        (available) => available === 200,
      ),
    ).toBe(200);

    const buyer = await t.auth.user('attendee');
    expect((await register(t, buyer, { eventId, ticketTypeId: ticketTypes[0]?.id })).statusCode).toBe(201);
  });
});
