import { eventually, metricValue } from '@echoplex/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentsHarness, startPaymentsForTests } from './payments-harness';

// Real: PostgreSQL, the payments service listening on loopback, webhooks signed and delivered over
// HTTP by the Stripe fake, the official SDK verifying them. Faked: Stripe, and ticketing's events.
describe('stripe webhooks', () => {
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

  const post = (payload: string, signature?: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/payments/webhook',
      headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
      payload,
    });

  const signedEvent = (event: object, options: { secret?: string; timestamp?: number } = {}) => {
    const payload = JSON.stringify(event, null, 2);
    const signature = h.stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? h.fake.connection.webhookSecret,
      timestamp: options.timestamp,
    });
    return { payload, signature };
  };

  const someEvent = (id: string, type = 'customer.created') => ({
    id,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: 'cus_1', object: 'customer' } },
  });

  it('answers 400 to a bad signature, stores nothing and counts the failure', async () => {
    const failuresBefore = await metricValue(h.app, 'echoplex_webhook_failures_total', { reason: 'signature' });
    const { payload, signature } = signedEvent(someEvent('evt_forged_1'));
    const tampered = payload.replace('customer.created', 'payment_intent.succeeded');
    const other = signedEvent(someEvent('evt_forged_2'), { secret: 'whsec_someone_else' });
    const stale = signedEvent(someEvent('evt_forged_3'), { timestamp: Math.floor(Date.now() / 1000) - 301 });

    for (const response of [
      await post(tampered, signature),
      await post(other.payload, other.signature),
      await post(stale.payload, stale.signature),
      await post(payload),
      await post(payload, 't=1,v1=deadbeef'),
    ]) {
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_signature');
    }
    const stored = await h.db.selectFrom('webhookEvents').select('id').where('id', 'like', 'evt_forged_%').execute();
    expect(stored).toEqual([]);
    expect(await metricValue(h.app, 'echoplex_webhook_failures_total', { reason: 'signature' })).toBe(
      failuresBefore + 5,
    );
  });

  it('acknowledges event types it does not handle', async () => {
    const { payload, signature } = signedEvent(someEvent('evt_unrelated_1'));
    const response = await post(payload, signature);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true });
    await h.webhooksSettled();
  });

  it('applies the same webhook delivered 5 times once', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer);
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    h.fake.configureDelivery({ duplicates: 5 });
    await h.confirm(payer, h.intentIdOf(intent.clientSecret), 'pm_card_visa');

    const succeededEvent = h.fake
      .events()
      .find(
        (event) =>
          event.type === 'payment_intent.succeeded' && event.data.object.id === h.intentIdOf(intent.clientSecret),
      );
    const deliveries = await eventually(
      async () => h.fake.deliveries().filter((attempt) => attempt.eventId === succeededEvent?.id),
      (attempts) => attempts.length === 5,
    );
    expect(deliveries.map((attempt) => attempt.status)).toEqual([200, 200, 200, 200, 200]);
    await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    await h.webhooksSettled();
    expect(await h.committedEffects(registration.registrationId)).toEqual([
      'payment.intent_created',
      'payment.succeeded',
    ]);
    const stored = await h.db
      .selectFrom('webhookEvents')
      .select('id')
      .where('id', '=', succeededEvent?.id as string)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('records a refund that arrives before the success it refunds, and ignores the late success', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer, { amount: 3000 });
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    const intentId = h.intentIdOf(intent.clientSecret);

    h.fake.holdDeliveries();
    await h.confirm(payer, intentId, 'pm_card_visa');
    // Refunded in Stripe's dashboard before our webhook for the payment arrived.
    const refund = await h.stripe.refunds.create({ payment_intent: intentId });
    h.fake.releaseDeliveries('reverse');

    const payment = await h.paymentStatus(payer, registration.registrationId, 'refunded');
    expect(payment).toMatchObject({ refundedAmount: 3000 });
    expect(payment.refunds).toMatchObject([{ amount: 3000, status: 'succeeded' }]);
    await h.webhooksSettled();
    const events = await h.publishedEventually(registration.registrationId, 3);
    expect(events.map((event) => event.type)).toEqual([
      'payment.intent_created',
      'payment.succeeded',
      'payment.refunded',
    ]);
    expect(events[2]?.data).toMatchObject({ amount: 3000, refundedTotal: 3000, fullyRefunded: true });
    const row = await h.db
      .selectFrom('refunds')
      .select('stripeRefundId')
      .where('paymentId', '=', intent.paymentId)
      .execute();
    expect(row).toEqual([{ stripeRefundId: refund.id }]);
  });

  it('never moves a payment backwards when a decline arrives after the success', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer);
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    const intentId = h.intentIdOf(intent.clientSecret);

    h.fake.holdDeliveries();
    await h.confirm(payer, intentId, 'pm_card_chargeDeclined');
    await h.confirm(payer, intentId, 'pm_card_visa');
    h.fake.releaseDeliveries('reverse');

    await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    await h.webhooksSettled();
    const payment = (await h.payments(payer, registration.registrationId)).json().items[0];
    expect(payment).toMatchObject({ status: 'succeeded', failureCode: null });
    expect(await h.committedEffects(registration.registrationId)).toEqual([
      'payment.intent_created',
      'payment.succeeded',
    ]);
  });

  /** A `payment_intent.succeeded` as Stripe sends it, for the intent of `intent`, charging `charged`. */
  const succeededEvent = (id: string, intent: { paymentId: string; clientSecret: string }, charged: object) => ({
    ...someEvent(id, 'payment_intent.succeeded'),
    data: {
      object: {
        id: h.intentIdOf(intent.clientSecret),
        object: 'payment_intent',
        amount: 2500,
        currency: 'eur',
        status: 'succeeded',
        metadata: { paymentId: intent.paymentId },
        latest_charge: null,
        last_payment_error: null,
        ...charged,
      },
    },
  });

  it.each([
    ['amount_mismatch', { amount: 100 }],
    ['currency_mismatch', { currency: 'usd' }],
  ])(
    'does not apply a signed success with a different charge (%s): the payment is flagged and counted',
    async (reason, charged) => {
      const payer = await h.auth.user('attendee');
      const registration = await h.hold(payer, { amount: 2500, currency: 'eur' });
      const intent = (await h.createIntent(payer, registration.registrationId)).json();
      const mismatchesBefore = await metricValue(h.app, 'echoplex_payment_mismatches_total', { reason });

      const { payload, signature } = signedEvent(succeededEvent(`evt_${reason}_${intent.paymentId}`, intent, charged));
      // Answered 200 like any verified event, so Stripe does not retry a delivery that can never apply.
      for (let delivery = 0; delivery < 2; delivery++) expect((await post(payload, signature)).statusCode).toBe(200);
      await h.webhooksSettled();

      expect(await h.committedEffects(registration.registrationId)).toEqual(['payment.intent_created']);
      const [payment] = (await h.payments(payer, registration.registrationId)).json().items;
      expect(payment).toMatchObject({ id: intent.paymentId, status: 'pending', flag: reason });
      const row = await h.db
        .selectFrom('payments')
        .select('flaggedAt')
        .where('id', '=', intent.paymentId)
        .executeTakeFirst();
      expect(row?.flaggedAt).toBeInstanceOf(Date);
      expect(await metricValue(h.app, 'echoplex_payment_mismatches_total', { reason })).toBe(mismatchesBefore + 1);
    },
  );

  it('applies a signed success whose amount and currency match the payment', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer, { amount: 2500, currency: 'eur' });
    const intent = (await h.createIntent(payer, registration.registrationId)).json();

    const { payload, signature } = signedEvent(succeededEvent(`evt_matching_${intent.paymentId}`, intent, {}));
    expect((await post(payload, signature)).statusCode).toBe(200);

    expect(await h.paymentStatus(payer, registration.registrationId, 'succeeded')).toMatchObject({ flag: null });
    expect(await h.committedEffects(registration.registrationId)).toEqual([
      'payment.intent_created',
      'payment.succeeded',
    ]);
  });

  it('keeps retrying through Stripe until the service answers (webhook retried with backoff)', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer);
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    // The first attempts go to a port nobody listens on, as if the service were down.
    h.fake.setWebhookUrl('http://127.0.0.1:9/api/payments/webhook');
    await h.confirm(payer, h.intentIdOf(intent.clientSecret), 'pm_card_visa');
    await eventually(
      async () => h.fake.deliveries().filter((attempt) => attempt.status === null),
      (failures) => failures.length >= 2,
    );
    h.fake.setWebhookUrl(h.webhookUrl);
    await h.paymentStatus(payer, registration.registrationId, 'succeeded');
  });
});
