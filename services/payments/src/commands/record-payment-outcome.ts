import type { Transaction } from '@echoplex/db';
import type Stripe from 'stripe';
import type { PaymentsDb } from '../db/schema';
import { chargeMismatch } from '../domain/charge-mismatch';
import { canCancel, canFail, canSucceed } from '../domain/payment-status';
import type { PaymentsContext } from '../payments-context';
import { type Payment, PaymentRepository } from '../repositories/payment.repository';

type Trx = Transaction<PaymentsDb>;
type Deps = Pick<PaymentsContext, 'outbox' | 'clock'>;
type ChargeDeps = Deps & Pick<PaymentsContext, 'log' | 'paymentMismatches'>;

export function paymentFacts(payment: Payment, occurredAt: Date) {
  return {
    paymentId: payment.id,
    registrationId: payment.registrationId,
    eventId: payment.eventId,
    amount: payment.amount,
    currency: payment.currency,
    occurredAt: occurredAt.toISOString(),
  };
}

/**
 * Records that Stripe took the money. Announced once: a duplicate or late success finds the payment
 * already captured and changes nothing. A success after a decline or a cancel request still counts —
 * the money was taken, and ticketing decides whether the seats are still there.
 */
export async function recordPaymentSucceeded(trx: Trx, deps: Deps, paymentId: string): Promise<Payment | undefined> {
  const payments = new PaymentRepository(trx);
  const payment = await payments.lock(paymentId);
  if (!payment || !canSucceed(payment.status)) return payment;
  const now = deps.clock();
  await payments.update(payment.id, { status: 'succeeded', failureCode: null, succeededAt: now });
  await deps.outbox.append(trx, {
    topic: 'payments.payment.v1',
    type: 'payment.succeeded',
    key: payment.registrationId,
    data: paymentFacts(payment, now),
  });
  return { ...payment, status: 'succeeded', succeededAt: now };
}

/**
 * Records an intent Stripe reports as succeeded, unless it charged another amount or currency than
 * the payment asked for: such a success must not confirm the registration. The payment is flagged
 * instead (once, however often Stripe or reconciliation reports it), logged and counted for an
 * alert; settling it, a refund or a new payment, is left to a person.
 */
export async function recordIntentSucceeded(
  trx: Trx,
  deps: ChargeDeps,
  paymentId: string,
  intent: Pick<Stripe.PaymentIntent, 'id' | 'amount' | 'currency'>,
): Promise<void> {
  const payments = new PaymentRepository(trx);
  const payment = await payments.lock(paymentId);
  if (!payment) return;
  const flag = chargeMismatch(payment, intent);
  if (!flag) {
    await recordPaymentSucceeded(trx, deps, paymentId);
    return;
  }
  if (payment.flag) return;
  await payments.update(payment.id, { flag, flaggedAt: deps.clock() });
  deps.paymentMismatches.inc({ reason: flag });
  deps.log.error(
    {
      paymentId: payment.id,
      registrationId: payment.registrationId,
      stripePaymentIntentId: intent.id,
      expected: { amount: payment.amount, currency: payment.currency },
      charged: { amount: intent.amount, currency: intent.currency },
      reason: flag,
    },
    'stripe reported a success that does not match the payment: not applied, payment flagged',
  );
}

/** A declined attempt: the hold stays, so the attendee may try another card until it expires. */
export async function recordPaymentFailed(
  trx: Trx,
  deps: Deps,
  paymentId: string,
  failureCode: string | null,
): Promise<void> {
  const payments = new PaymentRepository(trx);
  const payment = await payments.lock(paymentId);
  if (!payment || !canFail(payment.status)) return;
  await payments.update(payment.id, { status: 'failed', failureCode });
  await deps.outbox.append(trx, {
    topic: 'payments.payment.v1',
    type: 'payment.failed',
    key: payment.registrationId,
    data: { ...paymentFacts(payment, deps.clock()), failureCode },
  });
}

export async function recordPaymentCanceled(trx: Trx, paymentId: string): Promise<void> {
  const payments = new PaymentRepository(trx);
  const payment = await payments.lock(paymentId);
  if (!payment || !canCancel(payment.status)) return;
  await payments.update(payment.id, { status: 'canceled', failureCode: payment.failureCode ?? 'canceled' });
}

export function failureCodeOf(intent: Stripe.PaymentIntent): string | null {
  const error = intent.last_payment_error;
  return error?.decline_code ?? error?.code ?? null;
}

/** Brings a payment in line with the intent as Stripe reports it now (reconciliation, refused cancels). */
export async function recordIntentState(trx: Trx, deps: ChargeDeps, paymentId: string, intent: Stripe.PaymentIntent) {
  if (intent.status === 'succeeded') await recordIntentSucceeded(trx, deps, paymentId, intent);
  else if (intent.status === 'canceled') await recordPaymentCanceled(trx, paymentId);
  else if (intent.status === 'requires_payment_method' && intent.last_payment_error) {
    const payment = await new PaymentRepository(trx).find(paymentId);
    if (payment?.status === 'pending') await recordPaymentFailed(trx, deps, paymentId, failureCodeOf(intent));
  }
}
