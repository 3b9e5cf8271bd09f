import type { PaymentsContext } from '../payments-context';
import { type Payment, PaymentRepository } from '../repositories/payment.repository';
import { stripeErrorCode } from '../stripe-errors';
import { ensureIntentAtStripe } from './create-payment-intent';
import { recordIntentState, recordPaymentCanceled } from './record-payment-outcome';

/**
 * Cancels the intent of a registration whose hold is gone (expired or cancelled) so it can no longer
 * be paid. Stripe refuses when the payment succeeded meanwhile; then the success is recorded like
 * any other, and ticketing decides whether the seats can be re-reserved or the money goes back.
 */
export async function cancelAbandonedIntent(ctx: PaymentsContext, payment: Payment): Promise<void> {
  // An attempt that died before storing its intent id: the same idempotency key finds the intent.
  const intentId = payment.stripePaymentIntentId ?? (await ensureIntentAtStripe(ctx, payment)).id;
  try {
    await ctx.stripe.paymentIntents.cancel(
      intentId,
      { cancellation_reason: 'abandoned' },
      { idempotencyKey: `echoplex-cancel-${payment.id}` },
    );
    await ctx.db.transaction().execute((trx) => recordPaymentCanceled(trx, payment.id));
  } catch (error) {
    if (stripeErrorCode(error) !== 'payment_intent_unexpected_state') throw error;
    const intent = await ctx.stripe.paymentIntents.retrieve(intentId);
    await ctx.db.transaction().execute((trx) => recordIntentState(trx, ctx, payment.id, intent));
  }
}

export async function cancelAbandonedIntents(ctx: PaymentsContext, limit = 50): Promise<void> {
  for (const payment of await new PaymentRepository(ctx.db).awaitingCancel(limit)) {
    try {
      await cancelAbandonedIntent(ctx, payment);
    } catch (error) {
      ctx.log.warn({ err: error, paymentId: payment.id }, 'could not cancel an abandoned intent; will retry');
    }
  }
}
