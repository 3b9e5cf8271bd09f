import { type HttpApp, problems, requireRole } from '@echoplex/http';
import { z } from 'zod';
import type { EventsContext } from '../commands/events-context';
import { eventCategories } from '../domain/categories';
import { IsoInstant } from '../domain/event-input';
import { decodeCursor, encodeCursor } from '../domain/list-cursor';
import type { EventSearch } from '../repositories/event-search.repository';
import { EventResponse, presentEvent, type RouteSettings } from './event.response';

const ListEventsQuery = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((value) => value || undefined),
  category: z.enum(eventCategories).optional(),
  city: z.string().trim().min(1).max(100).optional(),
  from: IsoInstant.optional(),
  to: IsoInstant.optional(),
  organizerId: z.uuid().optional(),
  sort: z.enum(['soonest', 'relevance']).default('soonest'),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(1000).optional(),
});

const EventList = z.object({ items: z.array(EventResponse), nextCursor: z.string().nullable() });

/**
 * Published events, soonest first; with `q`, `sort=relevance` ranks them instead. Without `from`,
 * events that have already ended are left out: the list is for finding something to go to.
 * `mine=true` is the organizer's own events in every status and every time.
 */
export function listEventsRoute(app: HttpApp, ctx: EventsContext, search: EventSearch, settings: RouteSettings) {
  app.get(
    '/api/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Find events',
        querystring: ListEventsQuery,
        response: { 200: EventList },
      },
    },
    async (request) => {
      const query = request.query;
      const ownerId = query.mine ? requireRole(request, 'organizer').userId : undefined;
      if (query.from && query.to && query.to <= query.from) {
        throw problems.badRequest('invalid_date_range', '`to` must be after `from`.');
      }
      const page = await search.search({
        q: query.q,
        sort: query.sort,
        category: query.category,
        city: query.city,
        from: query.from ?? (ownerId ? undefined : ctx.clock()),
        to: query.to,
        organizerId: query.organizerId,
        ownerId,
        limit: query.limit,
        after: query.cursor ? decodeCursor(query.cursor) : undefined,
      });
      return {
        items: page.rows.map((event) => presentEvent(event, settings)),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );
}
