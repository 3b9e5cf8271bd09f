import { type HttpApp, requireRole } from '@echoplex/http';
import { changeEventStatus } from '../commands/change-event-status';
import type { EventsContext } from '../commands/events-context';
import type { EventTransition } from '../domain/event-status';
import { EventIdParams, EventResponse, presentEvent, type RouteSettings } from './event.response';

const summaries: Record<EventTransition, string> = {
  publish: 'Publish a draft: it becomes listed and on sale',
  unpublish: 'Take a published event nobody holds seats for back to draft',
  cancel: 'Cancel an event; ticketing releases or refunds every registration',
};

/** The three lifecycle transitions share one shape: `POST /api/events/:id/<transition>` → the event. */
export function changeEventStatusRoutes(app: HttpApp, ctx: EventsContext, settings: RouteSettings) {
  for (const transition of Object.keys(summaries) as EventTransition[]) {
    app.post(
      `/api/events/:id/${transition}`,
      {
        schema: {
          tags: ['events'],
          summary: summaries[transition],
          security: [{ bearer: [] }],
          params: EventIdParams,
          response: { 200: EventResponse },
        },
      },
      async (request) => {
        const writer = requireRole(request, 'organizer');
        return presentEvent(await changeEventStatus(ctx, writer, request.params.id, transition), settings);
      },
    );
  }
}
