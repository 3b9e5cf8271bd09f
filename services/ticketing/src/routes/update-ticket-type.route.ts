import { type HttpApp, organizersOnly, requireUser } from '@echoplex/http';
import { updateTicketType } from '../commands/update-ticket-type';
import type { TicketingContext } from '../ticketing-context';
import { TicketType, TicketTypeBody, TicketTypeParams } from './schemas';

export function updateTicketTypeRoute(app: HttpApp, ctx: TicketingContext) {
  app.patch(
    '/api/events/:id/tickets/:ticketTypeId',
    {
      onRequest: organizersOnly,
      schema: {
        tags: ['ticketing'],
        summary: 'Change a ticket type; the quantity may not drop below the seats sold',
        params: TicketTypeParams,
        body: TicketTypeBody.partial(),
        response: { 200: TicketType },
      },
    },
    async (request) => {
      const { currency, ...changes } = request.body;
      return updateTicketType(ctx, requireUser(request), request.params.id, request.params.ticketTypeId, {
        ...changes,
        ...(currency !== undefined ? { currency: currency.toLowerCase() } : {}),
      });
    },
  );
}
