import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StripeFake, startStripeFake } from '../src';

// Real: the fake's HTTP server, the official Stripe SDK unmodified, a real HTTP webhook receiver that
// verifies signatures with the SDK's own `constructEvent`. Nothing is mocked.

interface Received {
  event: Stripe.Event;
  signature: string;
}

/** A webhook endpoint that checks every delivery exactly as a Stripe integration would. */
async function startReceiver(secret: string) {
  const received: Received[] = [];
  const rejected: string[] = [];
  let failuresLeft = 0;
  const verifier = new Stripe('sk_test_unused');
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = String(request.headers['stripe-signature']);
      if (failuresLeft > 0) {
        failuresLeft--;
        response.writeHead(500).end();
        return;
      }
      try {
        const event = verifier.webhooks.constructEvent(raw, signature, secret, 300);
        received.push({ event, signature });
        response.writeHead(200).end('{"received":true}');
      } catch (error) {
        rejected.push(String((error as Error).message));
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    rejected,
    failNext(count: number) {
      failuresLeft = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(probe: () => T, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('stripe fake with the official SDK', () => {
  let fake: StripeFake;
  let stripe: Stripe;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    fake = await startStripeFake({ delivery: { initialRetryDelayMs: 20, maxRetryDelayMs: 200 } });
    const { secretKey, host, port, protocol } = fake.connection;
    stripe = new Stripe(secretKey, { host, port, protocol, maxNetworkRetries: 0 });
    receiver = await startReceiver(fake.connection.webhookSecret);
    fake.setWebhookUrl(receiver.url);
  });
  afterAll(async () => {
    await fake?.close();
    await receiver?.close();
  });
  beforeEach(() => {
    fake.configureDelivery({ duplicates: 1, order: 'in-order' });
  });
  afterEach(() => {
    fake.releaseDeliveries();
  });

  const received = (intentId: string) =>
    receiver.received.filter(({ event }) => {
      const object = event.data.object as { id: string; payment_intent?: string };
      return object.id === intentId || object.payment_intent === intentId;
    });

  it('creates, retrieves and confirms a PaymentIntent with pm_card_visa', async () => {
    const created = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'eur',
      allowed_payment_method_types: ['card'],
      metadata: { registrationId: 'r-1' },
    });
    expect(created).toMatchObject({
      object: 'payment_intent',
      amount: 2500,
      currency: 'eur',
      status: 'requires_payment_method',
      metadata: { registrationId: 'r-1' },
      livemode: false,
    });
    expect(created.id).toMatch(/^pi_/);
    expect(created.client_secret).toMatch(new RegExp(`^${created.id}_secret_`));

    const confirmed = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 2500, payment_method: 'pm_card_visa' });
    expect(confirmed.latest_charge).toMatch(/^ch_/);
    expect((await stripe.paymentIntents.retrieve(created.id)).status).toBe('succeeded');

    const events = await until(
      () => received(created.id),
      (list) => list.length >= 1,
    );
    expect(events.map(({ event }) => event.type)).toEqual(['payment_intent.succeeded']);
    expect(events[0]?.event).toMatchObject({ object: 'event', livemode: false, data: { object: { id: created.id } } });
    expect(events[0]?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('declines pm_card_chargeDeclined and insufficient funds with 402 card errors, then accepts a good card', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'eur' });
    const declined = await stripe.paymentIntents
      .confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' })
      .catch((error) => error);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    expect(declined.raw.payment_intent).toMatchObject({ id: intent.id, status: 'requires_payment_method' });

    const poor = await stripe.paymentIntents
      .confirm(intent.id, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' })
      .catch((error) => error);
    expect(poor).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds' });
    const afterDecline = await stripe.paymentIntents.retrieve(intent.id);
    expect(afterDecline.last_payment_error).toMatchObject({
      code: 'card_declined',
      decline_code: 'insufficient_funds',
    });

    expect((await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' })).status).toBe(
      'succeeded',
    );
    const types = await until(
      () => received(intent.id).map(({ event }) => event.type),
      (list) => list.length >= 3,
    );
    expect(types).toEqual([
      'payment_intent.payment_failed',
      'payment_intent.payment_failed',
      'payment_intent.succeeded',
    ]);
  });

  it('replays an idempotent request and refuses the key with other parameters', async () => {
    const first = await stripe.paymentIntents.create({ amount: 700, currency: 'eur' }, { idempotencyKey: 'k-1' });
    const again = await stripe.paymentIntents.create({ amount: 700, currency: 'eur' }, { idempotencyKey: 'k-1' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    const mismatch = await stripe.paymentIntents
      .create({ amount: 800, currency: 'eur' }, { idempotencyKey: 'k-1' })
      .catch((error) => error);
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch.message).toContain('same parameters');
  });

  it('replays a remembered decline instead of charging again', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 900, currency: 'eur' });
    const confirm = () =>
      stripe.paymentIntents
        .confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }, { idempotencyKey: `c-${intent.id}` })
        .catch((error) => error);
    const [first, second] = [await confirm(), await confirm()];
    expect(second.raw.charge).toBe(first.raw.charge);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  it('rejects a wrong API key, unknown parameters and unknown objects like Stripe', async () => {
    const { host, port, protocol } = fake.connection;
    const stranger = new Stripe('sk_test_wrong', { host, port, protocol, maxNetworkRetries: 0 });
    await expect(stranger.paymentIntents.create({ amount: 100, currency: 'eur' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    const unknown = await stripe.paymentIntents
      .create({ amount: 100, currency: 'eur', shipping_rate: 'x' } as never)
      .catch((error) => error);
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'shipping_rate' });
    const missing = await stripe.paymentIntents.retrieve('pi_missing').catch((error) => error);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const noCard = await stripe.paymentIntents.create({ amount: 100, currency: 'eur' });
    await expect(stripe.paymentIntents.confirm(noCard.id, { payment_method: 'pm_card_amex' })).rejects.toMatchObject({
      code: 'resource_missing',
      param: 'payment_method',
    });
  });

  it('cancels an open PaymentIntent and refuses to cancel a succeeded one', async () => {
    const open = await stripe.paymentIntents.create({ amount: 300, currency: 'eur' });
    const canceled = await stripe.paymentIntents.cancel(open.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    await until(
      () => received(open.id),
      (list) => list.length >= 1,
    );
    expect(received(open.id).map(({ event }) => event.type)).toEqual(['payment_intent.canceled']);

    const paid = await stripe.paymentIntents.create({
      amount: 300,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(paid.status).toBe('succeeded');
    await expect(stripe.paymentIntents.cancel(paid.id)).rejects.toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
  });

  it('refunds partially then fully, lists and retrieves refunds, and reports charge.refunded', async () => {
    const paid = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const partial = await stripe.refunds.create({ payment_intent: paid.id, amount: 2000, metadata: { by: 'test' } });
    expect(partial).toMatchObject({ object: 'refund', amount: 2000, status: 'succeeded', payment_intent: paid.id });
    const rest = await stripe.refunds.create({ payment_intent: paid.id });
    expect(rest.amount).toBe(3000);
    await expect(stripe.refunds.create({ payment_intent: paid.id, amount: 1 })).rejects.toMatchObject({
      code: 'charge_already_refunded',
    });
    expect((await stripe.refunds.retrieve(partial.id)).metadata).toEqual({ by: 'test' });
    const listed = await stripe.refunds.list({ payment_intent: paid.id });
    expect(listed.data.map((refund) => refund.id)).toEqual([rest.id, partial.id]);

    const refundedEvents = await until(
      () => received(paid.id).filter(({ event }) => event.type === 'charge.refunded'),
      (list) => list.length >= 2,
    );
    const charges = refundedEvents.map(({ event }) => event.data.object as Stripe.Charge);
    expect(charges.map((charge) => [charge.amount_refunded, charge.refunded])).toEqual([
      [2000, false],
      [5000, true],
    ]);
  });

  it('retries a failing endpoint with backoff until it answers 2xx', async () => {
    receiver.failNext(2);
    const paid = await stripe.paymentIntents.create({
      amount: 400,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const eventId = (
      await until(
        () => received(paid.id),
        (list) => list.length >= 1,
      )
    )[0]?.event.id;
    // The receiver has the event before the fake has read its answer: wait for the fake's own record.
    const attempts = await until(
      () => fake.deliveries().filter((attempt) => attempt.eventId === eventId),
      (list) => list.some((attempt) => attempt.status === 200),
    );
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
  });

  it('delivers duplicates and out of order when told to, through the control API', async () => {
    const control = (path: string, body: object = {}) =>
      fetch(`${fake.url}/_fake/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.connection.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await control('deliveries/config', { duplicates: 3 })).status).toBe(200);
    expect((await control('deliveries/hold')).status).toBe(200);
    const paid = await stripe.paymentIntents.create({
      amount: 600,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await stripe.refunds.create({ payment_intent: paid.id });
    expect(received(paid.id)).toEqual([]);
    expect((await control('deliveries/release', { order: 'reverse' })).status).toBe(200);

    const types = await until(
      () => received(paid.id).map(({ event }) => event.type),
      (list) => list.length >= 6,
    );
    expect(types).toEqual([
      'charge.refunded',
      'charge.refunded',
      'charge.refunded',
      'payment_intent.succeeded',
      'payment_intent.succeeded',
      'payment_intent.succeeded',
    ]);
    expect(new Set(received(paid.id).map(({ event }) => event.id)).size).toBe(2);
    expect(receiver.rejected).toEqual([]);
  });

  it('signs exactly like Stripe: constructEvent refuses a tampered payload or another secret', () => {
    const event = fake.events().at(-1) as Stripe.Event;
    const payload = JSON.stringify(event, null, 2);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: fake.connection.webhookSecret });
    expect(stripe.webhooks.constructEvent(payload, header, fake.connection.webhookSecret).id).toBe(event.id);
    const ours = receiver.received.at(-1) as Received;
    const tampered = JSON.stringify({ ...ours.event, type: 'payment_intent.succeeded', id: 'evt_forged' }, null, 2);
    expect(() => stripe.webhooks.constructEvent(tampered, ours.signature, fake.connection.webhookSecret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() =>
      stripe.webhooks.constructEvent(JSON.stringify(ours.event, null, 2), ours.signature, 'whsec_other'),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
