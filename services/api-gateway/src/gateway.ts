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
  if (existsSync(dist)) {
    await fastify.register(fastifyStatic, { root: dist, prefix: '/', wildcard: true, maxAge: '1h', index: false });
    fastify.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html'),
    );
  }
}
