import type Stripe from 'stripe';
import type { PaymentsContext } from '../payments-context';
import { PaymentRepository } from '../repositories/payment.repository';
import { type Refund, RefundRepository } from '../repositories/refund.repository';
import { isStripeRefusal } from '../stripe-errors';
import { recordStripeRefund } from './record-refund';

const stripeReasons: Stripe.RefundCreateParams.Reason[] = ['duplicate', 'fraudulent', 'requested_by_customer'];

/**
 * Sends a pending refund to Stripe — or, when it was sent before, asks Stripe how it went. The row
 * was committed first and its id is the idempotency key, so a crash between Stripe's answer and our
 * write is repaired by calling again: Stripe replays the same refund instead of paying out twice.
 * A network failure leaves the refund pending for the jobs to retry; a refusal marks it failed.
 */
export async function submitRefund(ctx: PaymentsContext, refundId: string): Promise<Refund | undefined> {
  const refunds = new RefundRepository(ctx.db);
  const refund = await refunds.find(refundId);
  if (refund?.status !== 'pending') return refund;
  const payment = await new PaymentRepository(ctx.db).find(refund.paymentId);
  if (!payment?.stripePaymentIntentId) return refund;
  try {
    const stripeRefund = refund.stripeRefundId
      ? await ctx.stripe.refunds.retrieve(refund.stripeRefundId)
      : await ctx.stripe.refunds.create(
          {
            payment_intent: payment.stripePaymentIntentId,
            amount: refund.amount,
            ...(stripeReasons.includes(refund.reason as never)
              ? { reason: refund.reason as Stripe.RefundCreateParams.Reason }
              : {}),
            metadata: {
              refundId: refund.id,
              paymentId: payment.id,
              registrationId: payment.registrationId,
              ...(refund.reason ? { reason: refund.reason.slice(0, 500) } : {}),
            },
          },
          { idempotencyKey: `echoplex-refund-${refund.id}` },
        );
    await ctx.db.transaction().execute((trx) => recordStripeRefund(trx, ctx, stripeRefund));
  } catch (error) {
    if (!isStripeRefusal(error)) {
      ctx.log.warn({ err: error, refundId }, 'refund not confirmed by Stripe yet; it will be retried');
      return refunds.find(refundId);
    }
    await refunds.update(refund.id, { status: 'failed', failureReason: error.message.slice(0, 500) });
  }
  return refunds.find(refundId);
}
