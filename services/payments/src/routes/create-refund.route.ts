import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { z } from 'zod';
import { idempotent } from '../commands/idempotent-request';
import { refundRegistration } from '../commands/refund-registration';
import type { PaymentsContext } from '../payments-context';
import { idempotencyHeaders, RefundCreated } from './payment.schema';

export function createRefundRoute(app: HttpApp, ctx: PaymentsContext) {
  app.post(
    '/api/payments/refunds',
    {
      onRequest: signedIn,
      schema: {
        tags: ['payments'],
        summary: 'Refund a registration of one of your events, fully or partly',
        headers: idempotencyHeaders,
        body: z.object({
          registrationId: z.uuid(),
          amount: z.number().int().positive().optional(),
          reason: z.string().trim().min(1).max(500).optional(),
        }),
        response: { 201: RefundCreated },
      },
    },
    async (request, reply) => {
      const principal = requireUser(request);
      const result = await idempotent(
        ctx,
        {
          scope: `${principal.userId}:payments.refunds`,
          key: request.headers['idempotency-key'],
          body: request.body,
        },
        async () => ({ status: 201, body: await refundRegistration(ctx, { principal, ...request.body }) }),
      );
      return reply.status(result.status as 201).send(result.body);
    },
  );
}
