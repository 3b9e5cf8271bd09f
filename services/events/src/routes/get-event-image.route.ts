import { type HttpApp, problems } from '@echoplex/http';
import { z } from 'zod';
import type { EventsContext } from '../commands/events-context';
import { imageKeyFor } from '../commands/upload-event-image';
import { canView } from '../domain/event-access';
import { renditionContentType } from '../images/image-rendition';
import { EventIdParams, imageUrlOf, type RouteSettings } from './event.response';

/** A new upload gets a new URL, so a URL's bytes never change: cacheable for a year, anywhere. */
const immutable = 'public, max-age=31536000, immutable';

const ImageParams = z.object({
  id: z.uuid(),
  file: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.webp$/),
});

/**
 * The versioned image URL is served without a token (an `<img>` cannot send one) and without a
 * database read: the key contains a random id, so only someone who could read the event knows it.
 * The unversioned URL redirects to the current image for those who may see the event.
 */
export function getEventImageRoutes(app: HttpApp, ctx: EventsContext, settings: RouteSettings) {
  app.get(
    '/api/events/:id/image/:file',
    { schema: { tags: ['events'], summary: 'An event image (WebP)', params: ImageParams } },
    async (request, reply) => {
      const { id, file } = request.params;
      const imageId = file.slice(0, -'.webp'.length);
      const etag = `"${imageId}"`;
      if (request.headers['if-none-match'] === etag) {
        return reply.status(304).header('cache-control', immutable).header('etag', etag).send();
      }
      const image = await ctx.images.get(imageKeyFor(id, imageId));
      if (!image) throw problems.notFound('The image');
      reply.header('cache-control', immutable).header('etag', etag);
      return reply.type(renditionContentType).header('content-length', image.size).send(image.body);
    },
  );

  app.get(
    '/api/events/:id/image',
    { schema: { tags: ['events'], summary: 'Redirect to the current image of an event', params: EventIdParams } },
    async (request, reply) => {
      const event = await ctx.events.findById(request.params.id);
      if (!event || !canView(event, request.principal)) throw problems.notFound('The event');
      const url = imageUrlOf(event, settings);
      if (!url) throw problems.notFound('The image');
      return reply.header('cache-control', 'no-cache').redirect(url, 302);
    },
  );
}
