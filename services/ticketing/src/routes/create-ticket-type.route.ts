import { type HttpApp, organizersOnly, requireUser } from '@echoplex/http';
import { createTicketType } from '../commands/create-ticket-type';
import type { TicketingContext } from '../ticketing-context';
import { EventParams, TicketType, TicketTypeBody } from './schemas';

export function createTicketTypeRoute(app: HttpApp, ctx: TicketingContext) {
  app.post(
    '/api/events/:id/tickets',
    {
      onRequest: organizersOnly,
      schema: {
        tags: ['ticketing'],
        summary: 'Add a ticket type to an event (its organizer)',
        params: EventParams,
        body: TicketTypeBody,
        response: { 201: TicketType },
      },
    },
    async (request, reply) => {
      const ticketType = await createTicketType(ctx, requireUser(request), request.params.id, {
        ...request.body,
        currency: request.body.currency.toLowerCase(),
      });
      return reply.status(201).send(ticketType);
    },
  );
}
