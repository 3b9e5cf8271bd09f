import { type HttpApp, requireRole } from '@echoplex/http';
import { z } from 'zod';
import { deleteEvent } from '../commands/delete-event';
import type { EventsContext } from '../commands/events-context';
import { EventIdParams } from './event.response';

export function deleteEventRoute(app: HttpApp, ctx: EventsContext) {
  app.delete(
    '/api/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'Delete a draft nobody registered for',
        security: [{ bearer: [] }],
        params: EventIdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const writer = requireRole(request, 'organizer');
      await deleteEvent(ctx, writer, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
