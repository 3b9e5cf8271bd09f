import { type HttpApp, rateLimitFor, requireUser, signedIn } from '@echoplex/http';
import { z } from 'zod';
import { createPaymentIntent } from '../commands/create-payment-intent';
import { idempotent } from '../commands/idempotent-request';
import type { PaymentsContext } from '../payments-context';
import { CreatedIntent, idempotencyHeaders } from './payment.schema';

export function createIntentRoute(app: HttpApp, ctx: PaymentsContext, rateLimits: boolean) {
  app.post(
    '/api/payments/intents',
    {
      onRequest: signedIn,
      schema: {
        tags: ['payments'],
        summary: 'Create (or get back) the PaymentIntent of a pending registration',
        headers: idempotencyHeaders,
        body: z.object({ registrationId: z.uuid() }),
        response: { 201: CreatedIntent },
      },
      config: rateLimitFor(rateLimits, 30, '1 minute', (request) => request.principal?.userId ?? request.ip),
    },
    async (request, reply) => {
      const principal = requireUser(request);
      const result = await idempotent(
        ctx,
        {
          scope: `${principal.userId}:payments.intents`,
          key: request.headers['idempotency-key'],
          body: request.body,
        },
        async () => ({
          status: 201,
          body: await createPaymentIntent(ctx, {
            registrationId: request.body.registrationId,
            userId: principal.userId,
          }),
        }),
      );
      return reply.status(result.status as 201).send(result.body);
    },
  );
}
