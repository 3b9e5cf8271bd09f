import { type HttpApp, requireUser } from '@echoplex/http';
import { z } from 'zod';
import { listRegistrationPayments } from '../commands/list-registration-payments';
import type { PaymentsContext } from '../payments-context';
import { PaymentView } from './payment.schema';

export function listPaymentsRoute(app: HttpApp, ctx: PaymentsContext) {
  app.get(
    '/api/payments',
    {
      schema: {
        tags: ['payments'],
        summary: "A registration's payments, for the payer or the event's organizer",
        querystring: z.object({
          registrationId: z.uuid(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          cursor: z.string().max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(PaymentView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => listRegistrationPayments(ctx, { principal: requireUser(request), ...request.query }),
  );
}
