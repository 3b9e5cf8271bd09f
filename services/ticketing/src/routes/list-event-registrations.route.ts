import { Readable } from 'node:stream';
import { type HttpApp, requireUser, signedIn } from '@echoplex/http';
import { z } from 'zod';
import { eventOwnedBy } from '../commands/event-access';
import { attendeeCsv } from '../queries/attendee-export';
import { listRegistrations } from '../queries/registration-reads';
import type { TicketingContext } from '../ticketing-context';
import { EventParams, ListQuery, Page, Registration, RegistrationStatus } from './schemas';

const Query = ListQuery.extend({
  status: RegistrationStatus.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

export function listEventRegistrationsRoute(app: HttpApp, ctx: TicketingContext) {
  app.get(
    '/api/events/:id/registrations',
    {
      onRequest: signedIn,
      schema: {
        tags: ['ticketing'],
        summary: "The event's registrations for its organizer; `Accept: text/csv` or `?format=csv` exports attendees",
        params: EventParams,
        querystring: Query,
        response: { 200: Page(Registration) },
      },
    },
    async (request, reply) => {
      const event = await eventOwnedBy(ctx, requireUser(request), request.params.id);
      const { status, q, format, limit, cursor } = request.query;
      const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      if (wantsCsv) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="attendees-${event.id}.csv"`)
          .header('cache-control', 'no-store')
          .send(Readable.from(attendeeCsv(ctx.db, { eventId: event.id, status, query: q })) as never);
      }
      return listRegistrations(ctx, { eventId: event.id, status, query: q, limit, cursor });
    },
  );
}
