import { type HttpApp, rateLimitFor, requireUser, signedIn } from '@echoplex/http';
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
      },
    },
    async (request, reply) => {
      const principal = requireUser(request);
      const outcome = await runIdempotently(
        ctx,
        { userId: principal.userId, key: request.headers['idempotency-key'], body: request.body },
        async (claim) => ({ statusCode: 201, body: await registerAttendee(ctx, principal, request.body, claim) }),
      );
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
