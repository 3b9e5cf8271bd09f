import { type HttpApp, problems, rateLimitFor } from '@echoplex/http';
import { z } from 'zod';
import type { PageViewPublisher } from '../commands/page-view-publisher';

const PageViewBody = z.object({
  eventId: z.uuid(),
  sessionId: z.string().min(1).max(128).optional(),
  referrer: z.string().max(2048).optional(),
});

export function recordPageViewRoute(
  app: HttpApp,
  publisher: PageViewPublisher,
  options: { rateLimited: boolean; clock: () => Date },
) {
  app.post(
    '/api/analytics/page-views',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Record a view of an event page (public, rate limited per IP)',
        body: PageViewBody,
        response: { 202: z.void().describe('Accepted: the view is counted within seconds') },
      },
      // A browser sends one view per page it opens; this leaves room for busy shared IPs (NAT).
      config: rateLimitFor(options.rateLimited, 600, '1 minute'),
    },
    // Synchronous: the view only joins the publisher's buffer, and the hottest public route should
    // not pay for a promise it does not need.
    (request, reply) => {
      const accepted = publisher.record({
        eventId: request.body.eventId,
        sessionId: request.body.sessionId ?? null,
        referrer: request.body.referrer ?? null,
        occurredAt: options.clock().toISOString(),
      });
      if (!accepted) throw problems.unavailable('Page views are not being accepted right now; retry shortly.');
      reply.code(202).send();
    },
  );
}
