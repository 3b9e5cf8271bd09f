import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createInProcessTransport } from '@echoplex/bus';
import { commonConfig, createTokenVerifier, hostServices, parseConfig, type ServiceHost } from '@echoplex/http';
import type { StripeConnection } from '@echoplex/stripe-fake';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { createTestAuth, eventually } from '@echoplex/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentsService } from '../src/plugin';
import {
  type PaymentsHarness,
  type PublishedPaymentEvent,
  startPaymentsForTests,
  type TestUser,
} from './payments-harness';

/**
 * A second payments process on the same database, as after a restart, whose reconciliation job
 * treats every pending payment as stuck at once.
 */
async function startReconcilingInstance(databaseUrl: string, stripe: StripeConnection) {
  const transport = createInProcessTransport();
  const published: PublishedPaymentEvent[] = [];
  await transport.subscribe({
    group: 'observer',
    topics: ['payments.payment.v1'],
    async handle(message) {
      published.push({
        id: message.headers.ce_id as string,
        type: message.headers.ce_type as string,
        data: JSON.parse(message.value),
      });
    },
  });
  const auth = await createTestAuth();
  const config = parseConfig(commonConfig, { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl });
  const host = await hostServices({
    services: [createPaymentsService({ mode: 'fake', stripe, jobs: { intervalMs: 100, stuckAfterMs: 0 } })],
    config: { ...config, DATABASE_URL: databaseUrl },
    transport,
    logger: createLogger({ service: 'reconciling', level: 'silent' }),
    registry: createMetricsRegistry(),
    verifier: createTokenVerifier({ jwks: () => auth.keyRing.jwks }),
    keyRing: auth.keyRing,
  });
  await host.app.ready();
  return { host, published };
}

// Real: PostgreSQL, two payments processes (one killed with SIGKILL mid-request), the official SDK,
// the reconciliation job. Faked: Stripe (the in-repo fake) and ticketing's events.
describe('crash recovery and reconciliation', () => {
  let h: PaymentsHarness;
  let reconciling: ServiceHost | undefined;

  beforeAll(async () => {
    h = await startPaymentsForTests();
  });
  afterEach(async () => {
    await reconciling?.shutdown();
    reconciling = undefined;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Pays at Stripe while every webhook about it is lost: only reconciliation can learn of it. */
  const payWithWebhooksLost = async (payer: TestUser, registrationId: string) => {
    const intent = (await h.createIntent(payer, registrationId)).json();
    h.fake.configureDelivery({ maxAttempts: 1 });
    h.fake.setWebhookUrl('http://127.0.0.1:9/api/payments/webhook');
    await h.confirm(payer, h.intentIdOf(intent.clientSecret), 'pm_card_visa');
    await eventually(
      async () => h.fake.deliveries().filter((attempt) => attempt.status === null),
      (failures) => failures.length >= 1,
    );
    h.fake.setWebhookUrl(h.webhookUrl);
    h.fake.configureDelivery({ maxAttempts: 10 });
    return intent;
  };

  it('repairs a payment whose process was killed between the Stripe call and the database write', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer, { amount: 3300 });
    const { secretKey, publishableKey, webhookSecret, port } = h.fake.connection;
    const child = fork(new URL('./intent-crash.fixture.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        DATABASE_URL: h.databaseUrl,
        STRIPE_FAKE_PORT: String(port),
        STRIPE_SECRET_KEY: secretKey,
        STRIPE_PUBLISHABLE_KEY: publishableKey,
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        USER_ID: payer.userId,
        REGISTRATION_ID: registration.registrationId,
      },
      stdio: 'pipe',
    });
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });

    // Stripe created the intent; our row never learned its id.
    const atStripe = (await h.stripe.paymentIntents.list({ limit: 100 })).data.filter(
      (intent) => intent.metadata.registrationId === registration.registrationId,
    );
    expect(atStripe).toHaveLength(1);
    const orphan = await h.db
      .selectFrom('payments')
      .selectAll()
      .where('registrationId', '=', registration.registrationId)
      .executeTakeFirstOrThrow();
    expect(orphan).toMatchObject({ status: 'pending', stripePaymentIntentId: null });

    const instance = await startReconcilingInstance(h.databaseUrl, h.fake.connection);
    reconciling = instance.host;
    const repaired = await eventually(
      () => h.db.selectFrom('payments').selectAll().where('id', '=', orphan.id).executeTakeFirstOrThrow(),
      (payment) => payment.stripePaymentIntentId !== null,
    );
    expect(repaired.stripePaymentIntentId).toBe(atStripe[0]?.id);
    await eventually(
      async () => instance.published.filter((event) => event.type === 'payment.intent_created'),
      (events) => events.length === 1,
    );

    // The attendee's retry gets that same intent, pays it, and nothing was created twice.
    const intent = (await h.createIntent(payer, registration.registrationId)).json();
    expect(intent).toMatchObject({ paymentId: orphan.id, amount: 3300 });
    expect(h.intentIdOf(intent.clientSecret)).toBe(atStripe[0]?.id);
    await h.confirm(payer, atStripe[0]?.id as string, 'pm_card_visa');
    await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    const intents = (await h.stripe.paymentIntents.list({ limit: 100 })).data.filter(
      (candidate) => candidate.metadata.registrationId === registration.registrationId,
    );
    expect(intents).toHaveLength(1);
  });

  it('records a payment whose webhooks were all lost from what Stripe reports', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer, { amount: 900 });
    await payWithWebhooksLost(payer, registration.registrationId);
    expect((await h.payments(payer, registration.registrationId)).json().items[0].status).toBe('pending');

    const instance = await startReconcilingInstance(h.databaseUrl, h.fake.connection);
    reconciling = instance.host;
    await h.paymentStatus(payer, registration.registrationId, 'succeeded');
    await eventually(
      async () =>
        instance.published.filter(
          (event) => event.type === 'payment.succeeded' && event.data.registrationId === registration.registrationId,
        ),
      (events) => events.length === 1,
    );
  });
  it('does not confirm, when reconciling, a payment Stripe reports succeeded for another amount: it flags it', async () => {
    const payer = await h.auth.user('attendee');
    const registration = await h.hold(payer, { amount: 900 });
    const intent = await payWithWebhooksLost(payer, registration.registrationId);
    // The fake always charges what the intent asks, so the mismatch is made on our side: the payment
    // now asks for more than Stripe took.
    await h.db.updateTable('payments').set({ amount: 1900 }).where('id', '=', intent.paymentId).execute();

    const instance = await startReconcilingInstance(h.databaseUrl, h.fake.connection);
    reconciling = instance.host;
    const flagged = await eventually(
      async () => (await h.payments(payer, registration.registrationId)).json().items[0],
      (payment) => payment.flag !== null,
    );
    expect(flagged).toMatchObject({ status: 'pending', flag: 'amount_mismatch' });
    expect(await h.committedEffects(registration.registrationId)).toEqual(['payment.intent_created']);
  });
});
