import { type HttpApp, requireUser } from '@echoplex/http';
import { z } from 'zod';
import { eventSummary } from '../reporting/figures';
import type { ReportRepository } from '../repositories/report.repository';
import { requireOwnedEvent } from './owned-event';

const Money = z.number().int();

export const EventSummary = z.object({
  eventId: z.uuid(),
  asOf: z.string(),
  capacity: z.number().int(),
  ticketsSold: z.number().int(),
  utilization: z.number(),
  registrations: z.object({
    confirmed: z.number().int(),
    pending: z.number().int(),
    cancelled: z.number().int(),
    expired: z.number().int(),
  }),
  revenue: z.object({ gross: Money, refunded: Money, net: Money, currency: z.string().nullable() }),
  byTicketType: z.array(
    z.object({ ticketTypeId: z.uuid(), name: z.string().nullable(), sold: z.number().int(), revenue: Money }),
  ),
  pageViews: z.number().int(),
  uniqueVisitors: z.number().int(),
  conversionRate: z.number(),
  checkIns: z.number().int(),
});

export function eventSummaryRoute(app: HttpApp, reports: ReportRepository) {
  app.get(
    '/api/analytics/events/:id/summary',
    {
      schema: {
        tags: ['analytics'],
        summary: "An event's sales, revenue, traffic and check-ins (its organizer only)",
        params: z.object({ id: z.uuid() }),
        response: { 200: EventSummary },
      },
    },
    async (request) => {
      const principal = requireUser(request);
      // Read with the figures in one round trip; nothing is answered unless the event is the caller's.
      const { event, stats, ticketTypes } = await reports.summary(request.params.id);
      return eventSummary(requireOwnedEvent(principal, event), stats, ticketTypes);
    },
  );
}
