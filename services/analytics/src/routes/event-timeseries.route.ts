import { type HttpApp, problems } from '@echoplex/http';
import { z } from 'zod';
import { bucketSizeMs, startOfBucket } from '../reporting/stats-delta';
import type { ReportRepository } from '../repositories/report.repository';
import { findOwnedEvent } from './owned-event';

const maxPoints = 5_000;

const TimeseriesQuery = z.object({
  metric: z.enum(['registrations', 'revenue', 'pageViews', 'checkIns']),
  interval: z.enum(['hour', 'day']).default('day'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/**
 * Dense UTC buckets from `from` (default: when the event was first announced) to `to` (default:
 * now). Values per bucket: registrations confirmed in it (still confirmed), net revenue (payments
 * minus refunds made in it), page views, check-ins — so the points of a full range add up to the
 * summary's figures.
 */
export function eventTimeseriesRoute(app: HttpApp, reports: ReportRepository, clock: () => Date) {
  app.get(
    '/api/analytics/events/:id/timeseries',
    {
      schema: {
        tags: ['analytics'],
        summary: 'One metric of an event over time, in hourly or daily buckets (its organizer only)',
        params: z.object({ id: z.uuid() }),
        querystring: TimeseriesQuery,
        response: { 200: z.object({ points: z.array(z.object({ t: z.string(), value: z.number() })) }) },
      },
    },
    async (request) => {
      const event = await findOwnedEvent(reports, request, request.params.id);
      const { metric, interval } = request.query;
      const to = request.query.to ? new Date(request.query.to) : clock();
      const from = startOfBucket(request.query.from ? new Date(request.query.from) : event.firstSeenAt, interval);
      if (from.getTime() >= to.getTime()) {
        throw problems.badRequest('invalid_date_range', '`from` must be before `to`.');
      }
      const size = bucketSizeMs(interval);
      const count = Math.ceil((to.getTime() - from.getTime()) / size);
      if (count > maxPoints) {
        throw problems.badRequest(
          'invalid_date_range',
          `At most ${maxPoints} points per request; narrow the range or use a larger interval.`,
        );
      }
      const rows = await reports.buckets(event.eventId, interval, metric, from, to);
      const values = new Map(rows.map((row) => [row.bucket.getTime(), row.value]));
      const points = Array.from({ length: count }, (_, index) => {
        const t = from.getTime() + index * size;
        return { t: new Date(t).toISOString(), value: values.get(t) ?? 0 };
      });
      return { points };
    },
  );
}
