import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpApp } from '@echoplex/http';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export interface GatewayOptions {
  corsOrigins: string[];
  webDist: string;
}

/** What the one origin adds before any route: security headers and CORS. */
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
}

/** What it adds after the services: Swagger UI over the merged document, and the SPA. */
export async function finishGateway(app: HttpApp, options: GatewayOptions): Promise<void> {
  const fastify = app as unknown as FastifyInstance;
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
