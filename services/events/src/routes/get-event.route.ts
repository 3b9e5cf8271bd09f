import { type HttpApp, problems } from '@echoplex/http';
import type { FastifyReply } from 'fastify';
import { canView } from '../domain/event-access';
import type { EventReadCache } from '../repositories/event-read-cache';
import { EventIdParams, EventResponse } from './event.response';

export function getEventRoute(app: HttpApp, cache: EventReadCache) {
  app.get(
    '/api/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'One event: published or cancelled for anyone, a draft for its organizer only',
        params: EventIdParams,
        response: { 200: EventResponse },
      },
    },
    async (request, reply) => {
      const cached = cache.peek(request.params.id) ?? (await cache.get(request.params.id));
      if (!cached || !canView(cached.event, request.principal)) throw problems.notFound('The event');
      // Already serialized from an EventResponse when it was cached; a JSON string skips the serializer.
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(cached.json);
    },
  );
}
