import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { HttpApp } from './app';

/**
 * Collects every route's zod schemas into an OpenAPI document served at `/openapi.json`. Register
 * before the routes; the gateway merges the services' documents in distributed mode.
 */
export async function collectOpenApi(app: HttpApp): Promise<void> {
  const fastify = app as unknown as FastifyInstance;
  await fastify.register(swagger, {
    openapi: {
      info: { title: 'EchoPlex API', version: '1.0.0', description: 'The public contract of EchoPlex.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
}
