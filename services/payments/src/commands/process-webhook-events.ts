import type { Transaction } from '@echoplex/db';
import type Stripe from 'stripe';
import type { PaymentsDb } from '../db/schema';
import type { PaymentsContext } from '../payments-context';
import { type Payment, PaymentRepository } from '../repositories/payment.repository';
import { type WebhookEvent, WebhookEventRepository } from '../repositories/webhook-event.repository';
import { attachIntent } from './create-payment-intent';
import {
  failureCodeOf,
  recordIntentSucceeded,
  recordPaymentCanceled,
  recordPaymentFailed,
} from './record-payment-outcome';
import { recordStripeRefund } from './record-refund';

type Trx = Transaction<PaymentsDb>;

const maxRetryDelayMs = 5 * 60_000;

/** Applies stored Stripe events in the order they arrived; each one once, whatever Stripe redelivers. */
export async function processDueWebhookEvents(ctx: PaymentsContext, limit = 50): Promise<number> {
  const due = await new WebhookEventRepository(ctx.db).due(ctx.clock(), limit);
  for (const row of due) await processWebhookEvent(ctx, row);
  return due.length;
}

async function processWebhookEvent(ctx: PaymentsContext, row: WebhookEvent): Promise<void> {
  const event = row.payload as Stripe.Event;
  try {
    // Stripe is asked before the transaction opens, so no row lock waits on the network.
    const refunds = event.type === 'charge.refunded' ? await refundsOfCharge(ctx, event.data.object) : [];
    await ctx.db.transaction().execute(async (trx) => {
      const events = new WebhookEventRepository(trx);
      if (!(await events.claim(row.id))) return;
      await applyStripeEvent(trx, ctx, event, refunds);
      await events.markProcessed(row.id);
    });
  } catch (error) {
    ctx.webhookFailures.inc({ reason: 'processing' });
    const delay = Math.min(1_000 * 2 ** row.attempts, maxRetryDelayMs);
    ctx.log.warn({ err: error, stripeEventId: row.id, type: row.type }, 'stripe event failed; will retry');
    await new WebhookEventRepository(ctx.db).recordFailure(
      row.id,
      String((error as Error)?.message ?? error),
      new Date(ctx.clock().getTime() + delay),
    );
  }
}

async function applyStripeEvent(trx: Trx, ctx: PaymentsContext, event: Stripe.Event, refunds: Stripe.Refund[]) {
  switch (event.type) {
    case 'payment_intent.succeeded': {
      const payment = await paymentOfIntent(trx, ctx, event.data.object);
      if (payment) await recordIntentSucceeded(trx, ctx, payment.id, event.data.object);
      return;
    }
    case 'payment_intent.payment_failed': {
      const payment = await paymentOfIntent(trx, ctx, event.data.object);
      if (payment) await recordPaymentFailed(trx, ctx, payment.id, failureCodeOf(event.data.object));
      return;
    }
    case 'payment_intent.canceled': {
      const payment = await paymentOfIntent(trx, ctx, event.data.object);
      if (payment) await recordPaymentCanceled(trx, payment.id);
      return;
    }
    case 'charge.refunded':
      for (const refund of refunds) await recordStripeRefund(trx, ctx, refund);
      return;
    default:
      // Other event types may be enabled on the endpoint; they are acknowledged and ignored.
      return;
  }
}

/**
 * Our payment for an intent. An intent whose id we never stored (we died right after Stripe created
 * it) is recognised by the payment id in its metadata, and the id is stored now.
 */
async function paymentOfIntent(trx: Trx, ctx: PaymentsContext, intent: Stripe.PaymentIntent) {
  const payments = new PaymentRepository(trx);
  const known = await payments.findByIntent(intent.id);
  if (known) return known;
  const paymentId = intent.metadata?.paymentId;
  const payment: Payment | undefined = paymentId ? await payments.lock(paymentId) : undefined;
  if (!payment || payment.stripePaymentIntentId !== null) return undefined;
  await attachIntent(trx, ctx, payment, intent.id);
  return payment;
}

/** Every refund of the charge, as Stripe reports them now (the event itself does not list them). */
async function refundsOfCharge(ctx: PaymentsContext, charge: Stripe.Charge): Promise<Stripe.Refund[]> {
  const intentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!intentId) return [];
  const refunds: Stripe.Refund[] = [];
  for await (const refund of ctx.stripe.refunds.list({ payment_intent: intentId, limit: 100 })) refunds.push(refund);
  return refunds.reverse();
}
