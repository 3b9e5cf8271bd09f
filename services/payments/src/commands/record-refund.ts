import type { Transaction } from '@echoplex/db';
import type Stripe from 'stripe';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentsDb } from '../db/schema';
import { statusAfterRefunds } from '../domain/payment-status';
import type { PaymentsContext } from '../payments-context';
import { PaymentRepository } from '../repositories/payment.repository';
import { type Refund, RefundRepository } from '../repositories/refund.repository';
import { paymentFacts, recordPaymentSucceeded } from './record-payment-outcome';

type Trx = Transaction<PaymentsDb>;
type Deps = Pick<PaymentsContext, 'outbox' | 'clock'>;

/**
 * Records a refund as Stripe reports it, whoever asked for it: one of ours (found by Stripe id, or by
 * our id in its metadata when we died before storing the Stripe id) or one made in Stripe's dashboard.
 * Each refund is counted and announced exactly once.
 */
export async function recordStripeRefund(trx: Trx, deps: Deps, stripeRefund: Stripe.Refund): Promise<void> {
  const intentId =
    typeof stripeRefund.payment_intent === 'string' ? stripeRefund.payment_intent : stripeRefund.payment_intent?.id;
  if (!intentId) return;
  const payment = await new PaymentRepository(trx).findByIntent(intentId);
  if (!payment) return;
  const refunds = new RefundRepository(trx);
  let local = await refunds.lockByStripeId(stripeRefund.id);
  const ourId = stripeRefund.metadata?.refundId;
  if (!local && ourId) {
    local = await refunds.lock(ourId);
    if (local && local.stripeRefundId === null) {
      await refunds.update(local.id, { stripeRefundId: stripeRefund.id });
      local = { ...local, stripeRefundId: stripeRefund.id };
    }
  }
  local ??= await refunds.insert({
    id: uuidv7(),
    paymentId: payment.id,
    amount: stripeRefund.amount,
    reason: stripeRefund.reason,
    status: 'pending',
    stripeRefundId: stripeRefund.id,
    requestedBy: 'stripe',
    sourceEventId: null,
    failureReason: null,
    succeededAt: null,
  });
  if (local.status !== 'pending') return;
  if (stripeRefund.status === 'succeeded') await recordRefundSucceeded(trx, deps, local, stripeRefund.amount);
  else if (stripeRefund.status === 'failed' || stripeRefund.status === 'canceled') {
    await refunds.update(local.id, {
      status: 'failed',
      failureReason: stripeRefund.failure_reason ?? stripeRefund.status,
    });
  }
}

async function recordRefundSucceeded(trx: Trx, deps: Deps, refund: Refund, amount: number): Promise<void> {
  // A refund proves the charge: a success whose webhook is still on its way is recorded first, so
  // consumers always see paid → refunded, and the late success finds nothing left to do.
  const payment = await recordPaymentSucceeded(trx, deps, refund.paymentId);
  if (!payment) return;
  const refundedAmount = Math.min(payment.amount, payment.refundedAmount + amount);
  const status = statusAfterRefunds(payment.amount, refundedAmount);
  const now = deps.clock();
  await new PaymentRepository(trx).update(payment.id, { refundedAmount, status });
  await new RefundRepository(trx).update(refund.id, { status: 'succeeded', amount, succeededAt: now });
  await deps.outbox.append(trx, {
    topic: 'payments.payment.v1',
    type: 'payment.refunded',
    key: payment.registrationId,
    data: {
      ...paymentFacts(payment, now),
      amount,
      refundId: refund.id,
      refundedTotal: refundedAmount,
      fullyRefunded: status === 'refunded',
    },
  });
}
