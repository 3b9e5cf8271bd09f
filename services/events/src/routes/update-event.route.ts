import { type HttpApp, organizersOnly, requireRole } from '@echoplex/http';
import type { EventsContext } from '../commands/events-context';
import { updateEvent } from '../commands/update-event';
import { EventInput, EventPatch } from '../domain/event-input';
import { EventIdParams, EventResponse, presentEvent, type RouteSettings } from './event.response';

/** PUT replaces every editable field (omitted optional ones reset to their defaults); PATCH merges. */
export function updateEventRoutes(app: HttpApp, ctx: EventsContext, settings: RouteSettings) {
  app.put(
    '/api/events/:id',
    {
      onRequest: organizersOnly,
      schema: {
        tags: ['events'],
        summary: 'Replace an event',
        security: [{ bearer: [] }],
        params: EventIdParams,
        body: EventInput,
        response: { 200: EventResponse },
      },
    },
    async (request) => {
      const writer = requireRole(request, 'organizer');
      return presentEvent(await updateEvent(ctx, writer, request.params.id, request.body), settings);
    },
  );
  app.patch(
    '/api/events/:id',
    {
      onRequest: organizersOnly,
      schema: {
        tags: ['events'],
        summary: 'Change some fields of an event',
        security: [{ bearer: [] }],
        params: EventIdParams,
        body: EventPatch,
        response: { 200: EventResponse },
      },
    },
    async (request) => {
      const writer = requireRole(request, 'organizer');
      return presentEvent(await updateEvent(ctx, writer, request.params.id, request.body), settings);
    },
  );
}
