import { type HttpApp, Problem, problems, rateLimitFor, requireRole } from '@echoplex/http';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EventsContext } from '../commands/events-context';
import { uploadEventImage } from '../commands/upload-event-image';
import { maxImageBytes, unsupportedImage } from '../images/image-rendition';
import { EventIdParams, imageUrlOf, type RouteSettings } from './event.response';

export function uploadEventImageRoute(app: HttpApp, ctx: EventsContext, settings: RouteSettings) {
  app.post(
    '/api/events/:id/image',
    {
      schema: {
        tags: ['events'],
        summary: 'Upload the event image (multipart, one JPEG, PNG or WebP file, at most 5 MB and 24 megapixels)',
        security: [{ bearer: [] }],
        consumes: ['multipart/form-data'],
        params: EventIdParams,
        response: { 200: z.object({ imageUrl: z.string() }) },
      },
      config: rateLimitFor(settings.rateLimits, 20, '1 minute'),
    },
    async (request) => {
      const writer = requireRole(request, 'organizer');
      const event = await uploadEventImage(ctx, writer, request.params.id, () => readImageUpload(request));
      return { imageUrl: imageUrlOf(event, settings) as string };
    },
  );
}

/** The first file part of the multipart body, whatever its field name; larger than 5 MB → 413. */
async function readImageUpload(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw unsupportedImage('Send the image as multipart/form-data.');
  const part = await request.file({ limits: { fileSize: maxImageBytes, files: 1 } });
  if (!part) {
    throw problems.validation([{ path: 'body.file', message: 'is required' }], 'Attach the image as a file.');
  }
  try {
    return await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new Problem(413, 'payload_too_large', 'The image is larger than 5 MB.');
    }
    throw error;
  }
}
