import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpApp } from '@echoplex/http';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export interface GatewayOptions {
  corsOrigins: string[];
  webDist: string;
}

/** What the one origin adds before any route: security headers, CORS and the OpenAPI collector. */
export async function prepareGateway(app: HttpApp, options: GatewayOptions): Promise<void> {
  const fastify = app as unknown as FastifyInstance;
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:', 'https://api.stripe.com'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'", 'https://js.stripe.com'],
        frameSrc: ['https://js.stripe.com'],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
  });
  await fastify.register(cors, {
    origin: options.corsOrigins.length > 0 ? options.corsOrigins : false,
    credentials: false,
  });
  await fastify.register(swagger, {
    openapi: {
      info: { title: 'EchoPlex API', version: '1.0.0', description: 'The public contract: see shared/API.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
}

/** What it adds after the services: the merged document, Swagger UI and the SPA. */
export async function finishGateway(app: HttpApp, options: GatewayOptions): Promise<void> {
  const fastify = app as unknown as FastifyInstance;
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  await fastify.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  const dist = resolve(options.webDist);
  if (existsSync(resolve(dist, 'index.html'))) {
    await fastify.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, maxAge: '1h' });
    // Client-side routes: any GET that is not an API path gets the SPA shell.
    fastify.setNotFoundHandler((request, reply) => {
      const apiPath = /^\/(api|ws|docs|openapi\.json|\.well-known|health|ready|metrics)(\/|$)/.test(request.url);
      if (request.method === 'GET' && !apiPath && request.headers.accept?.includes('text/html')) {
        return reply.header('cache-control', 'no-cache').sendFile('index.html');
      }
      return reply
        .status(404)
        .type('application/problem+json')
        .send({
          type: 'https://echoplex.dev/problems/not-found',
          title: 'Not Found',
          status: 404,
          code: 'not_found',
          detail: `No route ${request.method} ${request.url.split('?')[0]}.`,
        });
    });
  }
}
