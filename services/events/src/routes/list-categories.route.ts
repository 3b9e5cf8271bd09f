import type { HttpApp } from '@echoplex/http';
import { z } from 'zod';
import { eventCategories } from '../domain/categories';

export function listCategoriesRoute(app: HttpApp) {
  app.get(
    '/api/events/categories',
    {
      schema: {
        tags: ['events'],
        summary: 'The categories an event may carry',
        response: { 200: z.object({ items: z.array(z.string()) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return { items: [...eventCategories] };
    },
  );
}
