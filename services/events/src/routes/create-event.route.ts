import { type HttpApp, organizersOnly, rateLimitFor, requireRole } from '@echoplex/http';
import { createEvent } from '../commands/create-event';
import type { EventsContext } from '../commands/events-context';
import { EventInput } from '../domain/event-input';
import { EventResponse, presentEvent, type RouteSettings } from './event.response';

export function createEventRoute(app: HttpApp, ctx: EventsContext, settings: RouteSettings) {
  app.post(
    '/api/events',
    {
      onRequest: organizersOnly,
      schema: {
        tags: ['events'],
        summary: 'Create an event (as a draft)',
        security: [{ bearer: [] }],
        body: EventInput,
        response: { 201: EventResponse },
      },
      config: rateLimitFor(settings.rateLimits, 60, '1 minute'),
    },
    async (request, reply) => {
      const organizer = requireRole(request, 'organizer');
      const event = await createEvent(ctx, organizer, request.body);
      reply.status(201).header('location', `/api/events/${event.id}`);
      return presentEvent(event, settings);
    },
  );
}
