import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type CloudEvent, toKafkaHeaders } from '@echoplex/contracts';
import { createDatabase, type Kysely } from '@echoplex/db';
import { startStripeFake } from '@echoplex/stripe-fake';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import Stripe from 'stripe';
import type { PaymentsDb } from '../src/db/schema';
import { createPaymentsService, type PaymentsOptions } from '../src/plugin';

export interface PublishedPaymentEvent {
  id: string;
  type: string;
  data: Record<string, any>;
}

export type TestUser = Awaited<ReturnType<TestServices['auth']['user']>>;

export interface HeldRegistration {
  registrationId: string;
  eventId: string;
  ticketTypeId: string;
  userId: string;
  quantity: number;
  amount: number;
  currency: string;
  occurredAt: string;
}

type Response = Awaited<ReturnType<TestServices['app']['inject']>>;

/**
 * The payments service hosted like production (migrations, plugin, outbox relay, consumers) on a
 * fresh database, listening on a loopback port so the Stripe fake delivers webhooks over real HTTP.
 * What is faked: only Stripe (the in-repo fake server). Other services are stood in for by publishing
 * their real CloudEvents on the bus.
 */
export async function startPaymentsForTests(
  options: { mode?: PaymentsOptions['mode']; jobs?: PaymentsOptions['jobs'] } = {},
) {
  const fake = await startStripeFake({ delivery: { initialRetryDelayMs: 50, maxRetryDelayMs: 500 } });
  const service = createPaymentsService({
    mode: options.mode ?? 'fake',
    stripe: fake.connection,
    // Reconciliation only when a test asks for it: other tests stage webhooks on purpose.
    jobs: { intervalMs: 1_000, stuckAfterMs: 3_600_000, ...options.jobs },
  });
  const services = await startServicesForTests([service], { env: { RATE_LIMITS: 'off' } });
  await services.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = services.app.server.address() as AddressInfo;
  fake.setWebhookUrl(`http://127.0.0.1:${port}/api/payments/webhook`);

  const published: PublishedPaymentEvent[] = [];
  const observer = await services.transport.subscribe({
    group: `observer-${randomUUID()}`,
    topics: ['payments.payment.v1'],
    async handle(message) {
      published.push({
        id: message.headers.ce_id as string,
        type: message.headers.ce_type as string,
        data: JSON.parse(message.value),
      });
    },
  });
  const database = createDatabase<unknown>({ url: services.databaseUrl, poolMax: 2 });
  const db = database.kysely.withSchema('payments') as unknown as Kysely<PaymentsDb>;
  const { secretKey, host, protocol } = fake.connection;
  const stripe = new Stripe(secretKey, { host, port: fake.connection.port, protocol, maxNetworkRetries: 0 });

  const publish = async (topic: string, type: string, key: string, data: object) => {
    const event: CloudEvent = {
      id: randomUUID(),
      source: 'test',
      type,
      time: new Date().toISOString(),
      subject: key,
      data,
    };
    await services.transport.publish([{ topic, key, value: JSON.stringify(data), headers: toKafkaHeaders(event) }]);
    return event.id;
  };

  const harness = {
    ...services,
    fake,
    stripe,
    db,
    published,
    webhookUrl: `http://127.0.0.1:${port}/api/payments/webhook`,

    /** Ticketing's `registration.held` for a new registration of a new event, owned by `organizerId`. */
    async hold(
      payer: TestUser,
      input: {
        amount?: number;
        currency?: string;
        organizerId?: string;
        expiresInMs?: number;
        eventId?: string;
        registrationId?: string;
      } = {},
    ): Promise<HeldRegistration> {
      const registration: HeldRegistration = {
        registrationId: input.registrationId ?? randomUUID(),
        eventId: input.eventId ?? randomUUID(),
        ticketTypeId: randomUUID(),
        userId: payer.userId,
        quantity: 1,
        amount: input.amount ?? 2500,
        currency: input.currency ?? 'eur',
        occurredAt: new Date().toISOString(),
      };
      if (input.organizerId) await harness.eventOwnedBy(registration.eventId, input.organizerId);
      await publish('ticketing.registration.v1', 'registration.held', registration.eventId, {
        ...registration,
        expiresAt: new Date(Date.now() + (input.expiresInMs ?? 600_000)).toISOString(),
      });
      await eventually(
        () =>
          db
            .selectFrom('holds')
            .select('registrationId')
            .where('registrationId', '=', registration.registrationId)
            .executeTakeFirst(),
        Boolean,
      );
      return registration;
    },

    async eventOwnedBy(eventId: string, organizerId: string): Promise<void> {
      const now = new Date();
      await publish('events.event.v1', 'event.published', eventId, {
        eventId,
        organizerId,
        name: 'Test event',
        status: 'published',
        startTime: new Date(now.getTime() + 86_400_000).toISOString(),
        endTime: new Date(now.getTime() + 90_000_000).toISOString(),
        capacity: 100,
        city: null,
        categories: [],
      });
      await eventually(
        () => db.selectFrom('eventOwners').select('organizerId').where('eventId', '=', eventId).executeTakeFirst(),
        Boolean,
      );
    },

    /** Publishes a later registration fact (`confirmed`, `expired`, `cancelled`) and waits until it is consumed. */
    async registrationEvent(
      registration: HeldRegistration,
      type: 'registration.confirmed' | 'registration.expired' | 'registration.cancelled',
      extra: object = {},
    ): Promise<string> {
      const id = await publish('ticketing.registration.v1', type, registration.eventId, {
        ...registration,
        occurredAt: new Date().toISOString(),
        ...extra,
      });
      await eventually(
        () => db.selectFrom('inbox').select('eventId').where('eventId', '=', id).executeTakeFirst(),
        Boolean,
      );
      return id;
    },

    createIntent(payer: TestUser, registrationId: string, headers: Record<string, string> = {}): Promise<Response> {
      return services.app.inject({
        method: 'POST',
        url: '/api/payments/intents',
        headers: { ...payer.headers, ...headers },
        payload: { registrationId },
      });
    },

    confirm(payer: TestUser, paymentIntentId: string, paymentMethod: string): Promise<Response> {
      return services.app.inject({
        method: 'POST',
        url: '/api/dev/stripe/confirm',
        headers: payer.headers,
        payload: { paymentIntentId, paymentMethod },
      });
    },

    refund(organizer: TestUser, body: { registrationId: string; amount?: number; reason?: string }): Promise<Response> {
      return services.app.inject({
        method: 'POST',
        url: '/api/payments/refunds',
        headers: organizer.headers,
        payload: body,
      });
    },

    payments(user: TestUser, registrationId: string): Promise<Response> {
      return services.app.inject({
        method: 'GET',
        url: `/api/payments?registrationId=${registrationId}`,
        headers: user.headers,
      });
    },

    /** Payment events published on the bus for a registration, by type. */
    publishedFor(registrationId: string, type?: string): PublishedPaymentEvent[] {
      return published.filter(
        (event) => event.data.registrationId === registrationId && (!type || event.type === type),
      );
    },

    /** Waits until `count` events (of `type`, if given) were published for the registration. */
    async publishedEventually(registrationId: string, count: number, type?: string): Promise<PublishedPaymentEvent[]> {
      return eventually(
        async () => harness.publishedFor(registrationId, type),
        (events) => events.length >= count,
      );
    },

    /** Effects committed for the registration (outbox rows), whether or not the relay sent them yet. */
    async committedEffects(registrationId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('outbox')
        .select('type')
        .where('aggregateid', '=', registrationId)
        .orderBy('seq')
        .execute();
      return rows.map((row) => row.type);
    },

    /** Waits until the registration's payment reaches `status`, then returns it as the API shows it. */
    async paymentStatus(user: TestUser, registrationId: string, status: string): Promise<Record<string, any>> {
      const response = await eventually(
        () => harness.payments(user, registrationId),
        (res) => res.json().items?.at(-1)?.status === status,
      );
      return response.json().items.at(-1);
    },

    /** Waits until every stored webhook event has been applied. */
    async webhooksSettled(): Promise<void> {
      await eventually(
        () => db.selectFrom('webhookEvents').select('id').where('processedAt', 'is', null).execute(),
        (rows) => rows.length === 0,
      );
    },

    intentIdOf(clientSecret: string): string {
      return clientSecret.split('_secret_')[0] as string;
    },

    async close(): Promise<void> {
      await observer.stop();
      await services.close();
      await database.close();
      await fake.close();
    },
  };
  return harness;
}

export type PaymentsHarness = Awaited<ReturnType<typeof startPaymentsForTests>>;
