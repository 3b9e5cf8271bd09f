import { randomUUID } from 'node:crypto';
import { eventually } from '@echoplex/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentsHarness, startPaymentsForTests } from './payments-harness';

// Real: PostgreSQL, the payments service over HTTP, its outbox and consumers, the official Stripe SDK,
// signed webhooks over HTTP. Faked: Stripe itself (the in-repo fake server) and the other services
// (their events are published on the in-process bus).
describe('checkout: intent, confirmation, webhook, payment.succeeded', () => {
  let h: PaymentsHarness;

  beforeAll(async () => {
    h = await startPaymentsForTests();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    h.fake.configureDelivery({ duplicates: 1, order: 'in-order' });
    h.fake.releaseDeliveries();
  });

  it('tells the browser how to pay', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/payments/config' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ publishableKey: h.fake.connection.publishableKey, mode: 'fake' });
  });

  it('pays a held registration with pm_card_visa and publishes payment.succeeded', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer, { amount: 4200, currency: 'eur' });

    const created = await h.createIntent(payer, registration.registrationId);
    expect(created.statusCode).toBe(201);
    const intent = created.json();
    expect(intent).toMatchObject({ amount: 4200, currency: 'eur', status: 'pending' });
    expect(intent.clientSecret).toMatch(/^pi_\w+_secret_/);
    const atStripe = await h.stripe.paymentIntents.retrieve(h.intentIdOf(intent.clientSecret));
    expect(atStripe).toMatchObject({
      amount: 4200,
      currency: 'eur',
      metadata: { paymentId: intent.paymentId, registrationId: registration.registrationId },
    });

    const confirmed = await h.confirm(payer, atStripe.id, 'pm_card_visa');
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ paymentIntentId: atStripe.id, status: 'succeeded', error: null });

    const payment = await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    expect(payment).toMatchObject({
      id: intent.paymentId,
      amount: 4200,
      refundedAmount: 0,
      stripePaymentIntentId: atStripe.id,
    });
    const succeeded = await eventually(
      async () => h.publishedFor(registration.registrationId, 'payment.succeeded'),
      (events) => events.length === 1,
    );
    expect(succeeded[0]?.data).toMatchObject({
      paymentId: intent.paymentId,
      registrationId: registration.registrationId,
      eventId: registration.eventId,
      amount: 4200,
      currency: 'eur',
    });
    expect(h.publishedFor(registration.registrationId).map((event) => event.type)).toEqual([
      'payment.intent_created',
      'payment.succeeded',
    ]);
  });

  it('keeps the hold after a declined card, then accepts a good card on the same intent', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer, { amount: 1500 });
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    const intentId = h.intentIdOf(intent.clientSecret);

    const declined = await h.confirm(payer, intentId, 'pm_card_chargeDeclinedInsufficientFunds');
    expect(declined.json()).toEqual({
      paymentIntentId: intentId,
      status: 'requires_payment_method',
      error: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
    });
    const failed = await h.paymentStatus(payer, registration.registrationId, 'failed');
    expect(failed.failureCode).toBe('insufficient_funds');
    const failedEvents = await eventually(
      async () => h.publishedFor(registration.registrationId, 'payment.failed'),
      (events) => events.length === 1,
    );
    expect(failedEvents[0]?.data).toMatchObject({
      failureCode: 'insufficient_funds',
      amount: 1500,
    });

    // Retrying gets the same intent back: one intent per registration attempt.
    const again = (await h.createIntent(payer, registration.registrationId)).json();
    expect(again).toMatchObject({ paymentId: intent.paymentId, clientSecret: intent.clientSecret, status: 'failed' });
    expect((await h.confirm(payer, intentId, 'pm_card_chargeDeclined')).json().error.declineCode).toBe(
      'generic_decline',
    );
    expect((await h.confirm(payer, intentId, 'pm_card_visa')).json().status).toBe('succeeded');

    await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    await eventually(
      async () => h.publishedFor(registration.registrationId, 'payment.succeeded'),
      (events) => events.length === 1,
    );
    expect((await h.payments(payer, registration.registrationId)).json().items).toHaveLength(1);
  });

  it('replays an Idempotency-Key with the same body and refuses it with another', async () => {
    const payer = await h.auth.user('attendee');
    const first = await h.hold(payer);
    const second = await h.hold(payer);
    const key = { 'idempotency-key': `checkout-${first.registrationId}` };

    const original = await h.createIntent(payer, first.registrationId, key);
    const replay = await h.createIntent(payer, first.registrationId, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual(original.json());
    const mismatch = await h.createIntent(payer, second.registrationId, key);
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().code).toBe('idempotency_mismatch');
    // Without the header a retry is still safe: the same attempt, the same intent.
    expect((await h.createIntent(payer, first.registrationId)).json().paymentId).toBe(original.json().paymentId);
  });

  it('lets a buyer who pays before payments has heard of the hold retry with the same Idempotency-Key', async () => {
    const payer = await h.auth.user('attendee');
    const registrationId = randomUUID();
    const key = { 'idempotency-key': `early-${registrationId}` };

    const early = await h.createIntent(payer, registrationId, key);
    expect(early.statusCode).toBe(404);
    await h.hold(payer, { registrationId });
    const retried = await h.createIntent(payer, registrationId, key);

    expect(retried.statusCode).toBe(201);
    expect((await h.createIntent(payer, registrationId, key)).json()).toEqual(retried.json());
  });

  it('refuses free, non-pending and expired registrations with 409 payment_not_required', async () => {
    const payer = await h.auth.user('attendee');
    const free = await h.hold(payer, { amount: 0 });
    const freeResponse = await h.createIntent(payer, free.registrationId);
    expect(freeResponse.statusCode).toBe(409);
    expect(freeResponse.json().code).toBe('payment_not_required');

    const confirmed = await h.hold(payer);
    await h.registrationEvent(confirmed, 'registration.confirmed');
    expect((await h.createIntent(payer, confirmed.registrationId)).json().code).toBe('payment_not_required');

    const lapsed = await h.hold(payer, { expiresInMs: -1_000 });
    expect((await h.createIntent(payer, lapsed.registrationId)).json().code).toBe('payment_not_required');
  });

  it("hides another user's registration and requires sign-in", async () => {
    const payer = await h.auth.user('attendee');
    const stranger = await h.auth.user('attendee');
    const registration = await h.hold(payer);
    expect((await h.createIntent(stranger, registration.registrationId)).statusCode).toBe(404);
    expect((await h.payments(stranger, registration.registrationId)).statusCode).toBe(404);
    const anonymous = await h.app.inject({
      method: 'POST',
      url: '/api/payments/intents',
      payload: { registrationId: registration.registrationId },
    });
    expect(anonymous.statusCode).toBe(401);
    const malformed = await h.createIntent(payer, 'not-a-uuid');
    expect(malformed.statusCode).toBe(422);
  });

  it('stores no card data anywhere', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer);
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    await h.confirm(payer, h.intentIdOf(intent.clientSecret), 'pm_card_chargeDeclined');
    await h.confirm(payer, h.intentIdOf(intent.clientSecret), 'pm_card_visa');
    await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    await h.webhooksSettled();

    const tables = ['payments', 'refunds', 'webhookEvents', 'holds', 'idempotencyKeys', 'outbox'] as const;
    for (const table of tables) {
      const rows = JSON.stringify(await h.db.selectFrom(table).selectAll().execute());
      expect(rows).not.toMatch(/"(card|last4|exp_month|exp_year|cvc|number|fingerprint)"/);
      expect(rows).not.toMatch(/\b\d{13,19}\b/);
    }
  });
});

describe('stripe mode', () => {
  let h: PaymentsHarness;
  beforeAll(async () => {
    h = await startPaymentsForTests({ mode: 'stripe' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('has no dev confirm endpoint and reports its mode', async () => {
    const payer = await h.auth.user('attendee');
    const response = await h.confirm(payer, 'pi_123', 'pm_card_visa');
    expect(response.statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/api/payments/config' })).json().mode).toBe('stripe');
  });
});
