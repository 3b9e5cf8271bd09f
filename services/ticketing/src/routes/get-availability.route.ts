import { type HttpApp, problems } from '@echoplex/http';
import { availabilityView } from '../queries/availability';
import type { TicketingContext } from '../ticketing-context';
import { Availability, EventParams } from './schemas';

/** The hot read path of sale day: answered from the availability cache, not the database. */
export function getAvailabilityRoute(app: HttpApp, ctx: TicketingContext) {
  app.get(
    '/api/events/:id/availability',
    {
      schema: {
        tags: ['ticketing'],
        summary: 'Seats left per ticket type and for the event',
        params: EventParams,
        response: { 200: Availability },
      },
    },
    async (request, reply) => {
      const source = await ctx.availability.get(request.params.id);
      const visible =
        source &&
        source.status !== 'deleted' &&
        (source.status !== 'draft' || source.organizerId === request.principal?.userId);
      if (!visible) throw problems.notFound('The event');
      reply.header('cache-control', 'no-cache');
      return availabilityView(source, ctx.clock());
    },
  );
}
