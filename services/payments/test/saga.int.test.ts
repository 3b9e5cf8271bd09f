import { eventually } from '@echoplex/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentsHarness, startPaymentsForTests, type TestUser } from './payments-harness';

// Real: PostgreSQL, the payments service over HTTP, its consumers and outbox, the official Stripe
// SDK, webhooks over HTTP. Faked: Stripe (the in-repo fake) and ticketing/events, whose CloudEvents
// the tests publish on the bus exactly as those services would.
describe('checkout saga with ticketing, and refunds', () => {
  let h: PaymentsHarness;

  beforeAll(async () => {
    h = await startPaymentsForTests();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    h.fake.releaseDeliveries();
  });

  async function paidRegistration(payer: TestUser, organizer: TestUser, amount = 2500) {
    const registration = await h.hold(payer, { amount, organizerId: organizer.userId });
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    await h.confirm(payer, h.intentIdOf(intent.clientSecret), 'pm_card_visa');
    await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    return { registration, intent, intentId: h.intentIdOf(intent.clientSecret) };
  }

  it('cancels the intent of an expired hold, so it can no longer be paid', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer);
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    const intentId = h.intentIdOf(intent.clientSecret);

    await h.registrationEvent(registration, 'registration.expired');
    const atStripe = await eventually(
      () => h.stripe.paymentIntents.retrieve(intentId),
      (pi) => pi.status === 'canceled',
    );
    expect(atStripe.cancellation_reason).toBe('abandoned');
    const payment = await h.paymentStatus(payer, registration.registrationId, 'failed');
    expect(payment.failureCode).toBe('canceled');
    const tooLate = await h.confirm(payer, intentId, 'pm_card_visa');
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().code).toBe('invalid_state');
    expect((await h.createIntent(payer, registration.registrationId)).json().code).toBe('payment_not_required');
  });

  async function succeededAfterExpiry(payer: TestUser, organizer: TestUser) {
    const registration = await h.hold(payer, { amount: 1800, organizerId: organizer.userId });
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    h.fake.holdDeliveries();
    // Paid at Stripe, but the hold expires before our webhook arrives.
    await h.confirm(payer, h.intentIdOf(intent.clientSecret), 'pm_card_visa');
    await h.registrationEvent(registration, 'registration.expired');
    await eventually(
      async () => h.publishedFor(registration.registrationId, 'payment.succeeded'),
      (events) => events.length === 1,
    );
    h.fake.releaseDeliveries();
    await h.webhooksSettled();
    return registration;
  }

  it('announces a success after hold expiry; ticketing re-reserved the seats, so nothing is refunded', async () => {
    const payer = await h.auth.user('attendee');
    const organizer = await h.auth.user('organizer');
    const registration = await succeededAfterExpiry(payer, organizer);

    await h.registrationEvent(registration, 'registration.confirmed');
    const payment = await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    expect(payment.refunds).toEqual([]);
    expect(await h.committedEffects(registration.registrationId)).toEqual([
      'payment.intent_created',
      'payment.succeeded',
    ]);
  });

  it('refunds a success after hold expiry when ticketing had no seats left (hold_lost)', async () => {
    const payer = await h.auth.user('attendee');
    const organizer = await h.auth.user('organizer');
    const registration = await succeededAfterExpiry(payer, organizer);

    await h.registrationEvent(registration, 'registration.cancelled', { reason: 'hold_lost', refundRequested: true });
    const payment = await h.paymentStatus(payer, registration.registrationId, 'refunded');
    expect(payment.refunds).toMatchObject([{ amount: 1800, status: 'succeeded', reason: 'hold_lost' }]);
    const refunded = await h.publishedEventually(registration.registrationId, 1, 'payment.refunded');
    expect(refunded[0]?.data).toMatchObject({
      amount: 1800,
      refundedTotal: 1800,
      fullyRefunded: true,
    });
    expect(
      (await h.committedEffects(registration.registrationId)).filter((type) => type === 'payment.succeeded'),
    ).toHaveLength(1);
  });

  it('refunds a paid registration cancelled with refundRequested once, however often the event comes', async () => {
    const payer = await h.auth.user('attendee');
    const organizer = await h.auth.user('organizer');
    const { registration, intentId } = await paidRegistration(payer, organizer, 2000);

    await h.registrationEvent(registration, 'registration.cancelled', {
      reason: 'event_cancelled',
      refundRequested: true,
    });
    await h.paymentStatus(payer, registration.registrationId, 'refunded');
    // A second cancellation for the same registration finds nothing left to refund.
    await h.registrationEvent(registration, 'registration.cancelled', {
      reason: 'event_cancelled',
      refundRequested: true,
    });
    // The consumer's transaction, done when the inbox row is there, is where a second refund would be asked for.
    const refundsAsked = await h.db
      .selectFrom('refunds')
      .innerJoin('payments', 'payments.id', 'refunds.paymentId')
      .where('payments.registrationId', '=', registration.registrationId)
      .select('refunds.id')
      .execute();
    expect(refundsAsked).toHaveLength(1);
    await h.webhooksSettled();
    expect((await h.stripe.refunds.list({ payment_intent: intentId })).data).toHaveLength(1);
    expect(
      (await h.committedEffects(registration.registrationId)).filter((type) => type === 'payment.refunded'),
    ).toHaveLength(1);
  });

  it('lets the organizer refund partially, then fully, and no further', async () => {
    const payer = await h.auth.user('attendee');
    const organizer = await h.auth.user('organizer');
    const { registration, intent } = await paidRegistration(payer, organizer, 2500);

    const partial = await h.refund(organizer, {
      registrationId: registration.registrationId,
      amount: 1000,
      reason: 'Late start',
    });
    expect(partial.statusCode).toBe(201);
    expect(partial.json()).toMatchObject({ paymentId: intent.paymentId, amount: 1000, status: 'succeeded' });
    expect(await h.paymentStatus(payer, registration.registrationId, 'partially_refunded')).toMatchObject({
      refundedAmount: 1000,
    });

    const tooMuch = await h.refund(organizer, { registrationId: registration.registrationId, amount: 1501 });
    expect(tooMuch.statusCode).toBe(422);

    const rest = await h.refund(organizer, { registrationId: registration.registrationId });
    expect(rest.json()).toMatchObject({ amount: 1500, status: 'succeeded' });
    const payment = await h.paymentStatus(organizer, registration.registrationId, 'refunded');
    expect(payment.refunds.map((refund: { amount: number }) => refund.amount)).toEqual([1000, 1500]);

    const nothingLeft = await h.refund(organizer, { registrationId: registration.registrationId, amount: 1 });
    expect(nothingLeft.statusCode).toBe(409);
    expect(nothingLeft.json().code).toBe('invalid_state');

    await h.webhooksSettled();
    const refunded = (await h.publishedEventually(registration.registrationId, 2, 'payment.refunded')).map(
      (event) => event.data,
    );
    expect(refunded.map((data) => [data.amount, data.refundedTotal, data.fullyRefunded])).toEqual([
      [1000, 1000, false],
      [1500, 2500, true],
    ]);
  });

  it('refunds once per Idempotency-Key and refuses the key with another body', async () => {
    const payer = await h.auth.user('attendee');
    const organizer = await h.auth.user('organizer');
    const { registration, intentId } = await paidRegistration(payer, organizer, 3000);
    const headers = { ...organizer.headers, 'idempotency-key': `refund-${registration.registrationId}` };
    const send = (amount: number) =>
      h.app.inject({
        method: 'POST',
        url: '/api/payments/refunds',
        headers,
        payload: { registrationId: registration.registrationId, amount },
      });

    const first = await send(500);
    const replay = await send(500);
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual(first.json());
    expect((await send(600)).json().code).toBe('idempotency_mismatch');
    expect((await h.stripe.refunds.list({ payment_intent: intentId })).data).toHaveLength(1);
  });

  it('refuses refunds by another organizer (404) and by attendees (403)', async () => {
    const payer = await h.auth.user('attendee');
    const organizer = await h.auth.user('organizer');
    const otherOrganizer = await h.auth.user('organizer');
    const { registration } = await paidRegistration(payer, organizer);

    const foreign = await h.refund(otherOrganizer, { registrationId: registration.registrationId });
    expect(foreign.statusCode).toBe(404);
    expect((await h.refund(payer, { registrationId: registration.registrationId })).statusCode).toBe(403);
    expect((await h.payments(otherOrganizer, registration.registrationId)).statusCode).toBe(404);
    expect((await h.payments(organizer, registration.registrationId)).json().items).toHaveLength(1);
    expect(await h.paymentStatus(payer, registration.registrationId, 'succeeded')).toMatchObject({ refundedAmount: 0 });
  });
});
