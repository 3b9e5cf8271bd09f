import { randomUUID } from 'node:crypto';
import { toKafkaHeaders } from '@echoplex/contracts';
import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentsService } from '../src/plugin';

// Real: PostgreSQL, the default `paymentsService` exactly as the gateway mounts it, which starts
// its own Stripe fake and points the fake's webhooks at the server once it listens.
describe('paymentsService with its own Stripe fake (embedded mode)', () => {
  let services: TestServices;

  beforeAll(async () => {
    services = await startServicesForTests([paymentsService], { env: { RATE_LIMITS: 'off' } });
    await services.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await services?.close();
  });

  it('documents its routes in the OpenAPI document', async () => {
    const document = (await services.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/payments/config',
        '/api/payments/intents',
        '/api/payments/webhook',
        '/api/payments/refunds',
        '/api/payments',
        '/api/dev/stripe/confirm',
      ]),
    );
  });

  it('takes a test-card payment end to end with no Stripe configuration', async () => {
    const payer = await services.auth.user('attendee');
    const registrationId = randomUUID();
    const eventId = randomUUID();
    const held = {
      registrationId,
      eventId,
      ticketTypeId: randomUUID(),
      userId: payer.userId,
      quantity: 2,
      amount: 5000,
      currency: 'eur',
      occurredAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    };
    await services.transport.publish([
      {
        topic: 'ticketing.registration.v1',
        key: eventId,
        value: JSON.stringify(held),
        headers: toKafkaHeaders({
          id: randomUUID(),
          source: 'test',
          type: 'registration.held',
          time: held.occurredAt,
          subject: registrationId,
          data: held,
        }),
      },
    ]);
    const created = await eventually(
      () =>
        services.app.inject({
          method: 'POST',
          url: '/api/payments/intents',
          headers: payer.headers,
          payload: { registrationId },
        }),
      (response) => response.statusCode === 201,
    );
    expect((await services.app.inject({ method: 'GET', url: '/api/payments/config' })).json().mode).toBe('fake');
    const paymentIntentId = created.json().clientSecret.split('_secret_')[0];
    const confirmed = await services.app.inject({
      method: 'POST',
      url: '/api/dev/stripe/confirm',
      headers: payer.headers,
      payload: { paymentIntentId, paymentMethod: 'pm_card_visa' },
    });
    expect(confirmed.json().status).toBe('succeeded');
    const listed = await eventually(
      () =>
        services.app.inject({
          method: 'GET',
          url: `/api/payments?registrationId=${registrationId}`,
          headers: payer.headers,
        }),
      (response) => response.json().items?.[0]?.status === 'succeeded',
    );
    expect(listed.json().items[0]).toMatchObject({ amount: 5000, status: 'succeeded' });
  });
});
