import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { deleteTicketType } from '../commands/delete-ticket-type';
import type { TicketingContext } from '../ticketing-context';
import { TicketTypeParams } from './schemas';

export function deleteTicketTypeRoute(app: HttpApp, ctx: TicketingContext) {
  app.delete(
    '/api/events/:id/tickets/:ticketTypeId',
    {
      onRequest: signedIn,
      schema: {
        tags: ['ticketing'],
        summary: 'Delete a ticket type of which no seat is sold or held',
        params: TicketTypeParams,
      },
    },
    async (request, reply) => {
      await deleteTicketType(ctx, requireUser(request), request.params.id, request.params.ticketTypeId);
      return reply.status(204).send();
    },
  );
}
