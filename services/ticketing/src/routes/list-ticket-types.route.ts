import type { HttpApp } from '@echoplex/http';
import { eventVisibleTo } from '../commands/event-access';
import { ticketTypeView } from '../queries/views';
import type { TicketingContext } from '../ticketing-context';
import { EventParams, Page, TicketType } from './schemas';

export function listTicketTypesRoute(app: HttpApp, ctx: TicketingContext) {
  app.get(
    '/api/events/:id/tickets',
    {
      schema: {
        tags: ['ticketing'],
        summary: 'Ticket types of an event with live availability',
        params: EventParams,
        response: { 200: Page(TicketType) },
      },
    },
    async (request) => {
      const event = await eventVisibleTo(ctx, request.principal, request.params.id);
      const ticketTypes = await ctx.ticketTypes.listForEvent(event.id);
      const now = ctx.clock();
      return { items: ticketTypes.map((ticketType) => ticketTypeView(ticketType, event, now)), nextCursor: null };
    },
  );
}
