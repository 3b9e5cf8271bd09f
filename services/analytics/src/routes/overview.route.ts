import { type HttpApp, requireRole } from '@echoplex/http';
import { z } from 'zod';
import { ratio } from '../reporting/figures';
import type { ReportRepository } from '../repositories/report.repository';

const Count = z.number().int();
const eventsListed = 100;

/**
 * Totals across the caller's events, plus the most recent events with their headline figures.
 * Revenue adds up across events only when they share a currency: `currency` is null when they mix
 * currencies, and `events[].currency` then says which figure is in which.
 */
export function overviewRoute(app: HttpApp, reports: ReportRepository, clock: () => Date) {
  app.get(
    '/api/analytics/overview',
    {
      schema: {
        tags: ['analytics'],
        summary: "Totals across the caller's events (organizers)",
        response: {
          200: z.object({
            asOf: z.string(),
            eventCount: Count,
            capacity: Count,
            ticketsSold: Count,
            utilization: z.number(),
            registrations: z.object({ confirmed: Count, pending: Count, cancelled: Count, expired: Count }),
            revenue: z.object({ gross: Count, refunded: Count, net: Count, currency: z.string().nullable() }),
            pageViews: Count,
            uniqueVisitors: Count,
            conversionRate: z.number(),
            checkIns: Count,
            events: z.array(
              z.object({
                eventId: z.uuid(),
                name: z.string(),
                status: z.string(),
                capacity: Count,
                ticketsSold: Count,
                confirmed: Count,
                netRevenue: Count,
                currency: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'organizer');
      const [totals, events] = await Promise.all([
        reports.organizerTotals(principal.userId),
        reports.organizerEvents(principal.userId, eventsListed),
      ]);
      return {
        asOf: (totals.asOf ? new Date(totals.asOf) : clock()).toISOString(),
        eventCount: totals.events,
        capacity: totals.capacity,
        ticketsSold: totals.ticketsSold,
        utilization: ratio(totals.ticketsSold, totals.capacity),
        registrations: {
          confirmed: totals.confirmed,
          pending: totals.pending,
          cancelled: totals.cancelled,
          expired: totals.expired,
        },
        revenue: {
          gross: totals.gross,
          refunded: totals.refunded,
          net: totals.gross - totals.refunded,
          currency: totals.currencies.length === 1 ? (totals.currencies[0] as string) : null,
        },
        pageViews: totals.pageViews,
        uniqueVisitors: totals.uniqueVisitors,
        conversionRate: ratio(totals.confirmed, totals.uniqueVisitors),
        checkIns: totals.checkIns,
        events,
      };
    },
  );
}
