import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { z } from 'zod';
import { checkInTicket } from '../commands/check-in-ticket';
import type { TicketingContext } from '../ticketing-context';
import { EventParams, Registration, Ticket } from './schemas';

export function checkInRoute(app: HttpApp, ctx: TicketingContext) {
  app.post(
    '/api/events/:id/check-ins',
    {
      onRequest: signedIn,
      schema: {
        tags: ['ticketing'],
        summary: 'Check a ticket in by its code (the event organizer)',
        params: EventParams,
        body: z.object({ code: z.string().trim().min(1).max(64) }),
        response: { 200: z.object({ ticket: Ticket, registration: Registration }) },
      },
    },
    async (request) => checkInTicket(ctx, requireUser(request), request.params.id, request.body.code),
  );
}
