import type { AddressInfo } from 'node:net';
import { startConsumer } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { HttpApp, ServiceContext, ServiceDefinition } from '@echoplex/http';
import { startStripeFake } from '@echoplex/stripe-fake';
import { Counter } from '@echoplex/telemetry';
import { eventOwnership } from './consumers/event-ownership.consumer';
import { registrationCancelled } from './consumers/registration-cancelled.consumer';
import { registrationConfirmed } from './consumers/registration-confirmed.consumer';
import { registrationExpired } from './consumers/registration-expired.consumer';
import { registrationHeld } from './consumers/registration-held.consumer';
import { migrations } from './db/migrations';
import type { PaymentsDb } from './db/schema';
import { type PaymentJobs, type PaymentJobsOptions, startPaymentJobs } from './jobs/payment-jobs';
import type { PaymentsContext } from './payments-context';
import { createIntentRoute } from './routes/create-intent.route';
import { createRefundRoute } from './routes/create-refund.route';
import { devConfirmRoute } from './routes/dev-confirm.route';
import { listPaymentsRoute } from './routes/list-payments.route';
import { paymentsConfigRoute } from './routes/payments-config.route';
import { stripeWebhookRoute } from './routes/stripe-webhook.route';
import { createStripeClient, type StripeSettings } from './stripe-client';

export type { StripeSettings } from './stripe-client';

export interface PaymentsOptions {
  /** `fake`: the in-repo Stripe fake, and `POST /api/dev/stripe/confirm` to pay with test cards. */
  mode: 'stripe' | 'fake';
  /**
   * Required in `stripe` mode. In `fake` mode without it, the plugin runs a fake of its own on a free
   * loopback port and points its webhooks at this server once it listens (embedded mode's default).
   */
  stripe?: StripeSettings;
  jobs?: Partial<PaymentJobsOptions>;
}

export function createPaymentsService(options: PaymentsOptions): ServiceDefinition {
  if (options.mode === 'stripe' && !options.stripe) throw new Error('payments in stripe mode need Stripe keys');
  return {
    name: 'payments',
    schema: 'payments',
    migrations,
    routes: ['/api/payments', '/api/dev/stripe'],
    takesPayments: true,
    plugin: (app, ctx) => paymentsPlugin(app, ctx, options),
  };
}

/** Payments against the in-repo Stripe fake, started with the service: what `npm start` runs offline. */
export const paymentsService: ServiceDefinition = createPaymentsService({ mode: 'fake' });

async function paymentsPlugin(app: HttpApp, service: ServiceContext, options: PaymentsOptions): Promise<void> {
  // The entry points refuse this with a readable log line first; this is the last line of defence.
  if (options.mode === 'fake' && service.config.NODE_ENV === 'production') {
    throw new Error(
      'fake_payments_in_production: set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET',
    );
  }
  const settings = options.stripe ?? (await hostStripeFake(app, service));
  let jobs: PaymentJobs | undefined;
  const ctx: PaymentsContext = {
    db: service.db as Kysely<PaymentsDb>,
    outbox: service.outbox,
    stripe: createStripeClient(settings),
    clock: service.clock,
    log: service.log,
    mode: options.mode,
    publishableKey: settings.publishableKey,
    webhookSecret: settings.webhookSecret,
    webhookFailures: new Counter({
      name: 'echoplex_webhook_failures_total',
      help: 'Stripe webhooks refused for their signature, or failing when applied (retried later)',
      labelNames: ['reason'],
      registers: [service.registry],
    }),
    paymentMismatches: new Counter({
      name: 'echoplex_payment_mismatches_total',
      help: 'Stripe successes not applied because the amount or currency differs from the payment (flagged)',
      labelNames: ['reason'],
      registers: [service.registry],
    }),
    wakeJobs: () => jobs?.wake(),
  };

  paymentsConfigRoute(app, ctx);
  createIntentRoute(app, ctx, service.config.RATE_LIMITS === 'on');
  createRefundRoute(app, ctx);
  listPaymentsRoute(app, ctx);
  await stripeWebhookRoute(app, ctx);
  if (options.mode === 'fake') devConfirmRoute(app, ctx);

  const consumer = await startConsumer({
    transport: service.transport,
    kysely: service.db,
    group: 'payments',
    log: service.log,
    handlers: {
      'ticketing.registration.v1': {
        'registration.held': registrationHeld,
        'registration.confirmed': registrationConfirmed,
        'registration.cancelled': registrationCancelled,
        'registration.expired': registrationExpired,
      },
      'events.event.v1': {
        'event.created': eventOwnership,
        'event.updated': eventOwnership,
        'event.published': eventOwnership,
        'event.unpublished': eventOwnership,
        'event.cancelled': eventOwnership,
        'event.deleted': eventOwnership,
      },
    },
    // Cancellations and refunds a consumer committed are carried out at Stripe by the jobs.
    onProcessed: (_event, outcome) => {
      if (outcome === 'handled') ctx.wakeJobs();
    },
  });
  jobs = startPaymentJobs(ctx, {
    intervalMs: options.jobs?.intervalMs ?? 5_000,
    stuckAfterMs: options.jobs?.stuckAfterMs ?? 60_000,
  });
  const started = jobs;
  app.addHook('onClose', async () => {
    await consumer.stop();
    await started.stop();
  });
}

/**
 * The one server a payments plugin starts itself: embedded mode promises payments with no setup and
 * no network, so the fake Stripe lives and dies with this plugin. It learns where to send webhooks
 * when the host starts listening.
 */
async function hostStripeFake(app: HttpApp, service: ServiceContext): Promise<StripeSettings> {
  const fake = await startStripeFake({ log: (message, details) => service.log.warn(details ?? {}, message) });
  app.addHook('onListen', async () => {
    const address = app.server.address() as AddressInfo;
    const host = ['0.0.0.0', '::'].includes(address.address)
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
    fake.setWebhookUrl(`http://${host}:${address.port}/api/payments/webhook`);
  });
  app.addHook('onClose', () => fake.close());
  return fake.connection;
}
