import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpApp } from '@echoplex/http';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

export interface GatewayOptions {
  corsOrigins: string[];
  webDist: string;
}

/**
 * Helmet's security headers, configured once. @fastify/helmet built a new helmet (parsing the CSP
 * directives again) on every request, in two hooks; the gateway answers every request of the platform.
 */
const securityHeaders = helmet({
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

/** What the one origin adds before any route: security headers and CORS. */
export async function prepareGateway(app: HttpApp, options: GatewayOptions): Promise<void> {
  const fastify = app as unknown as FastifyInstance;
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
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
