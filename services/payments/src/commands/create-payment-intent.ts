import type { Transaction } from '@echoplex/db';
import { problems } from '@echoplex/http';
import type Stripe from 'stripe';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentsDb } from '../db/schema';
import { isAwaitingPayment } from '../domain/hold-status';
import { isCaptured, type PublicPaymentStatus, publicStatus } from '../domain/payment-status';
import type { PaymentsContext } from '../payments-context';
import { HoldRepository } from '../repositories/hold.repository';
import { type Payment, PaymentRepository } from '../repositories/payment.repository';
import { paymentFacts } from './record-payment-outcome';

export interface CreatedIntent {
  paymentId: string;
  clientSecret: string;
  amount: number;
  currency: string;
  status: PublicPaymentStatus;
}

/**
 * Starts (or resumes) paying for a pending registration. The amount is the hold's, never the
 * client's. Each attempt row is committed before Stripe is called, and its idempotency key is
 * derived from the registration and attempt number, so a retried request, a concurrent one or the
 * reconciliation job after a crash all reach the same PaymentIntent: nobody is charged twice.
 */
export async function createPaymentIntent(
  ctx: PaymentsContext,
  input: { registrationId: string; userId: string },
): Promise<CreatedIntent> {
  const payment = await ctx.db.transaction().execute(async (trx) => {
    const hold = await new HoldRepository(trx).lock(input.registrationId);
    if (!hold || hold.userId !== input.userId) throw problems.notFound('The registration');
    if (hold.amount === 0) throw problems.conflict('payment_not_required', 'This registration is free.');
    if (hold.status !== 'pending') {
      throw problems.conflict('payment_not_required', `This registration is ${hold.status}, not awaiting payment.`);
    }
    const payments = new PaymentRepository(trx);
    const latest = await payments.latestAttempt(hold.registrationId);
    // Paid, and ticketing has not confirmed yet: the same answer again, not a second charge.
    if (latest && isCaptured(latest.status)) return latest;
    if (!isAwaitingPayment(hold, ctx.clock())) {
      throw problems.conflict('payment_not_required', 'This registration is not awaiting payment.');
    }
    // A declined attempt is retried on the same intent; only a canceled one needs a new attempt.
    if (latest && latest.status !== 'canceled') return latest;
    const attempt = (latest?.attempt ?? 0) + 1;
    return payments.insert({
      id: uuidv7(),
      registrationId: hold.registrationId,
      eventId: hold.eventId,
      userId: hold.userId,
      attempt,
      amount: hold.amount,
      currency: hold.currency,
      status: 'pending',
      stripeIdempotencyKey: `echoplex-payment-intent-${hold.registrationId}-${attempt}`,
      stripePaymentIntentId: null,
      failureCode: null,
      cancelRequestedAt: null,
      checkedAt: null,
      succeededAt: null,
    });
  });

  const intent = payment.stripePaymentIntentId
    ? await ctx.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId)
    : await ensureIntentAtStripe(ctx, payment);
  return {
    paymentId: payment.id,
    clientSecret: intent.client_secret as string,
    amount: payment.amount,
    currency: payment.currency,
    status: publicStatus(payment.status),
  };
}

/**
 * Creates the attempt's PaymentIntent (or, with the same idempotency key, gets back the one created
 * before a crash) and stores its id. Only the caller that stores the id announces the intent.
 */
export async function ensureIntentAtStripe(ctx: PaymentsContext, payment: Payment): Promise<Stripe.PaymentIntent> {
  const intent = await ctx.stripe.paymentIntents.create(
    {
      amount: payment.amount,
      currency: payment.currency,
      allowed_payment_method_types: ['card'],
      description: `EchoPlex registration ${payment.registrationId}`,
      metadata: {
        paymentId: payment.id,
        registrationId: payment.registrationId,
        eventId: payment.eventId,
      },
    },
    { idempotencyKey: payment.stripeIdempotencyKey },
  );
  await ctx.db.transaction().execute((trx) => attachIntent(trx, ctx, payment, intent.id));
  return intent;
}

/** Stores the intent id if none is known yet and announces it; whoever stores it announces it. */
export async function attachIntent(
  trx: Transaction<PaymentsDb>,
  deps: Pick<PaymentsContext, 'outbox' | 'clock'>,
  payment: Payment,
  stripePaymentIntentId: string,
): Promise<void> {
  if (!(await new PaymentRepository(trx).attachIntent(payment.id, stripePaymentIntentId))) return;
  await deps.outbox.append(trx, {
    topic: 'payments.payment.v1',
    type: 'payment.intent_created',
    key: payment.registrationId,
    data: { ...paymentFacts(payment, deps.clock()), stripePaymentIntentId },
  });
}
