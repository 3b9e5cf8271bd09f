import { type HttpApp, problems, requireUser, signedIn } from '@echoplex/http';
import Stripe from 'stripe';
import { z } from 'zod';
import type { PaymentsContext } from '../payments-context';
import { PaymentRepository } from '../repositories/payment.repository';
import { stripeErrorCode } from '../stripe-errors';

/**
 * Fake mode only: pays an intent with one of Stripe's test payment methods on the in-repo fake, as
 * Stripe.js would in the browser. The fake then delivers signed webhooks like Stripe does, so this
 * exercises the real payment path. Only the payer may confirm their own intent.
 */
export function devConfirmRoute(app: HttpApp, ctx: PaymentsContext) {
  app.post(
    '/api/dev/stripe/confirm',
    {
      onRequest: signedIn,
      schema: {
        tags: ['dev'],
        summary: 'Confirm a payment on the fake Stripe with a test payment method',
        body: z.object({
          paymentIntentId: z.string().regex(/^pi_[A-Za-z0-9]+$/),
          paymentMethod: z.enum(['pm_card_visa', 'pm_card_chargeDeclined', 'pm_card_chargeDeclinedInsufficientFunds']),
        }),
        response: {
          200: z.object({
            paymentIntentId: z.string(),
            status: z.string(),
            error: z.object({ code: z.string(), declineCode: z.string().nullable(), message: z.string() }).nullable(),
          }),
        },
      },
    },
    async (request) => {
      const principal = requireUser(request);
      const { paymentIntentId, paymentMethod } = request.body;
      const payment = await new PaymentRepository(ctx.db).findByIntent(paymentIntentId);
      if (!payment || payment.userId !== principal.userId) throw problems.notFound('The payment');
      try {
        const intent = await ctx.stripe.paymentIntents.confirm(paymentIntentId, { payment_method: paymentMethod });
        return { paymentIntentId, status: intent.status, error: null };
      } catch (error) {
        if (stripeErrorCode(error) === 'payment_intent_unexpected_state') {
          throw problems.conflict('invalid_state', 'This payment can no longer be confirmed.');
        }
        if (!(error instanceof Stripe.errors.StripeCardError)) throw error;
        // A decline is an answer, not a failure of this endpoint: Stripe.js resolves with `{ error }` too.
        const intent = error.raw as { payment_intent?: { status?: string } };
        return {
          paymentIntentId,
          status: intent.payment_intent?.status ?? 'requires_payment_method',
          error: {
            code: error.code ?? 'card_declined',
            declineCode: error.decline_code ?? null,
            message: error.message,
          },
        };
      }
    },
  );
}
