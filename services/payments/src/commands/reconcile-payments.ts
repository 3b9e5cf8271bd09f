import type { PaymentsContext } from '../payments-context';
import { PaymentRepository } from '../repositories/payment.repository';
import { RefundRepository } from '../repositories/refund.repository';
import { ensureIntentAtStripe } from './create-payment-intent';
import { recordIntentState } from './record-payment-outcome';
import { submitRefund } from './submit-refund';

/**
 * Repairs payments that stayed pending longer than webhooks take: the process may have died between
 * Stripe's answer and our write (no intent id stored), or a webhook may have been lost. Stripe is
 * the source of truth; what it reports is recorded through the same transitions webhooks use, so a
 * webhook arriving afterwards changes nothing.
 */
export async function reconcileStuckPayments(
  ctx: PaymentsContext,
  options: { stuckAfterMs: number; limit?: number },
): Promise<number> {
  const payments = new PaymentRepository(ctx.db);
  const olderThan = new Date(ctx.clock().getTime() - options.stuckAfterMs);
  const stuck = await payments.stuck(olderThan, options.limit ?? 50);
  for (const payment of stuck) {
    try {
      const intent = payment.stripePaymentIntentId
        ? await ctx.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId)
        : await ensureIntentAtStripe(ctx, payment);
      await ctx.db.transaction().execute((trx) => recordIntentState(trx, ctx, payment.id, intent));
    } catch (error) {
      ctx.log.warn({ err: error, paymentId: payment.id }, 'could not reconcile a pending payment');
    }
    await payments.markChecked(payment.id);
  }
  return stuck.length;
}

/** Refunds committed but not (or not known to be) done at Stripe: sent, or asked about, again. */
export async function submitPendingRefunds(ctx: PaymentsContext, limit = 50): Promise<void> {
  for (const refund of await new RefundRepository(ctx.db).pending(ctx.clock(), limit)) {
    try {
      await submitRefund(ctx, refund.id);
    } catch (error) {
      ctx.log.warn({ err: error, refundId: refund.id }, 'could not submit a pending refund; will retry');
    }
  }
}
