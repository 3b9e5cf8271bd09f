import { type HttpApp, Problem, rateLimitFor, requireUser, signedIn } from '@echoplex/http';
import { z } from 'zod';
import { runIdempotently } from '../commands/idempotent-request';
import { registerAttendee } from '../commands/register-attendee';
import type { TicketingContext } from '../ticketing-context';
import { Registration, RegistrationBody } from './schemas';

const Headers = z.object({ 'idempotency-key': z.string().min(1).max(255).optional() });

export function registerRoute(app: HttpApp, ctx: TicketingContext, rateLimits: boolean) {
  app.post(
    '/api/registrations',
    {
      onRequest: signedIn,
      config: rateLimitFor(rateLimits, 20, '1 minute', (request) => request.principal?.userId ?? request.ip),
      schema: {
        tags: ['ticketing'],
        summary: 'Register for a ticket type: free confirms at once, paid holds the seats until paid',
        headers: Headers,
        body: RegistrationBody,
        response: { 201: Registration },
        description:
          'Per account and event: at most `maxTicketsPerAccount` tickets across active registrations (422 `quantity_out_of_range`); at most a few unpaid holds at once, and a wait after several expired unpaid (429 `rate_limited` with `Retry-After`).',
      },
    },
    async (request, reply) => {
      const principal = requireUser(request);
      const outcome = await runIdempotently(
        ctx,
        { userId: principal.userId, key: request.headers['idempotency-key'], body: request.body },
        async (claim) => ({ statusCode: 201, body: await registerAttendee(ctx, principal, request.body, claim) }),
      ).catch((error: unknown) => {
        // Limits on holds say when the account may hold seats again.
        const retryAfter = error instanceof Problem ? error.extra?.retryAfterSeconds : undefined;
        if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
        throw error;
      });
      if (outcome.statusCode >= 400) {
        return reply
          .status(outcome.statusCode as never)
          .type('application/problem+json')
          .send(outcome.body as never);
      }
      return reply.status(outcome.statusCode as 201).send(outcome.body as z.infer<typeof Registration>);
    },
  );
}
