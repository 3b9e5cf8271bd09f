import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import type { PaymentsContext } from '../payments-context';

export function paymentsConfigRoute(app: HttpApp, ctx: PaymentsContext) {
  app.get(
    '/api/payments/config',
    {
      schema: {
        tags: ['payments'],
        summary: 'What the browser needs to take a payment',
        response: { 200: z.object({ publishableKey: z.string(), mode: z.enum(['stripe', 'fake']) }) },
      },
    },
    async () => ({ publishableKey: ctx.publishableKey, mode: ctx.mode }),
  );
}
