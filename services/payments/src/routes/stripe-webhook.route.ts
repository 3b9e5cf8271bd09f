import { type HttpApp, Problem } from '@echoplex/http';
import type Stripe from 'stripe';
import { z } from 'zod';
import { summarizeStripeEvent } from '../domain/stripe-event-summary';
import type { PaymentsContext } from '../payments-context';
import { WebhookEventRepository } from '../repositories/webhook-event.repository';

/** Stripe's recommended tolerance: a signature older than five minutes is a replay. */
const signatureToleranceSeconds = 300;

/**
 * Stripe's webhook endpoint. The signature covers the exact bytes Stripe sent, so this route keeps
 * the raw body: a JSON parser that returns the string, registered in an encapsulated scope holding
 * only this route, leaves every other route's JSON parsing alone. A verified event is stored under
 * its Stripe id (without card details) and answered at once; the jobs apply it, each id once.
 */
export async function stripeWebhookRoute(app: HttpApp, ctx: PaymentsContext) {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/payments/webhook',
      {
        schema: {
          tags: ['payments'],
          summary: 'Stripe webhook (raw body, Stripe-Signature verified)',
          response: { 200: z.object({ received: z.literal(true) }) },
        },
      },
      async (request) => {
        const signature = request.headers['stripe-signature'];
        let event: Stripe.Event;
        try {
          if (typeof request.body !== 'string' || typeof signature !== 'string') throw new Error('unsigned');
          event = ctx.stripe.webhooks.constructEvent(
            request.body,
            signature,
            ctx.webhookSecret,
            signatureToleranceSeconds,
          );
        } catch {
          ctx.webhookFailures.inc({ reason: 'signature' });
          throw new Problem(400, 'invalid_signature', 'The Stripe-Signature header does not match the payload.');
        }
        const stored = JSON.stringify(summarizeStripeEvent(event));
        if (await new WebhookEventRepository(ctx.db).record(event, stored)) ctx.wakeJobs();
        return { received: true as const };
      },
    );
  });
}
