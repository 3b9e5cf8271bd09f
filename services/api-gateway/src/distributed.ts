import type { IncomingHttpHeaders } from 'node:http';
import { resolve } from 'node:path';
import {
  commonConfig,
  createHttpApp,
  type HttpApp,
  metricsAccess,
  operationsRoutes,
  parseConfig,
  problems,
  startMetricsListener,
} from '@echoplex/http';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import httpProxy from '@fastify/http-proxy';
import replyFrom from '@fastify/reply-from';
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { embeddedConfig } from './embedded';
import { finishGateway, prepareGateway } from './gateway';
import { serviceTable } from './services';

export const distributedConfig = commonConfig.extend({
  CORS_ORIGINS: embeddedConfig.shape.CORS_ORIGINS,
  WEB_DIST: embeddedConfig.shape.WEB_DIST,
  REALTIME_URL: z.string().url().default('http://127.0.0.1:3006'),
});

/** `/api/x` owns `/api/x` and everything under it; patterns with `:` or `*` are taken as they are. */
export function routePatterns(prefix: string): string[] {
  return /[:*]/.test(prefix) ? [prefix] : [prefix, `${prefix}/*`];
}

const developmentRoutes = '/api/dev';

export interface Upstream {
  name: string;
  url: string;
  routes: string[];
  /** False for split-off instances: they serve a part of their service's document. */
  documented: boolean;
}

export function upstreams(env: NodeJS.ProcessEnv): Upstream[] {
  return serviceTable(env)
    .filter((service) => service.definition.name !== 'realtime-gateway')
    .flatMap((service) => {
      const name = service.definition.name;
      const url = env[service.upstreamEnv] ?? `http://127.0.0.1:${service.defaultPort}`;
      // Production has no development routes at all: not even a path to a service that would refuse them.
      const routes = service.definition.routes.filter(
        (route) => env.NODE_ENV !== 'production' || !route.startsWith(developmentRoutes),
      );
      const main = { name, url, routes, documented: true };
      const split = service.splitOff;
      if (!split) return [main];
      // Its more specific paths win over the main prefix in the router, whatever the order.
      return [
        main,
        { name: `${name}-${split.role}`, url: env[split.upstreamEnv] ?? url, routes: split.routes, documented: false },
      ];
    });
}

/**
 * The gateway of the distributed topology: the one origin, forwarding each service's paths to its
 * process, `/ws` to the realtime gateway, and serving the merged OpenAPI document, docs and SPA.
 */
export async function startDistributedGateway(
  env: NodeJS.ProcessEnv,
): Promise<{ app: HttpApp; close(): Promise<void> }> {
  const config = parseConfig(distributedConfig, env);
  const logger = createLogger({ service: 'api-gateway', level: config.LOG_LEVEL });
  const registry = createMetricsRegistry({ service: 'api-gateway' });
  const app = await createHttpApp({
    logger,
    registry,
    bodyLimit: 6 * 1024 * 1024,
    spaIndexFile: resolve(config.WEB_DIST, 'index.html'),
    trustProxy: config.TRUST_PROXY,
  });
  const fastify = app as unknown as FastifyInstance;
  const targets = upstreams(env);
  const gatewayOptions = { corsOrigins: config.CORS_ORIGINS.split(',').filter(Boolean), webDist: config.WEB_DIST };

  await fastify.register(swagger, {
    mode: 'static',
    specification: { document: (await mergedOpenApi(targets)) as never },
  });
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  await prepareGateway(app, gatewayOptions);
  await fastify.register(replyFrom, { undici: { connections: 128, pipelining: 1 } });
  // Bodies pass through untouched: the upstream parses and validates them.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  for (const target of targets) {
    for (const prefix of target.routes) {
      for (const url of routePatterns(prefix)) {
        fastify.all(url, { schema: { hide: true } }, (request, reply) =>
          reply.from(`${target.url}${request.url}`, {
            rewriteRequestHeaders: upstreamHeaders(request),
            // A service that is down or restarting is a 503 the client retries, not an internal error.
            onError: (failed) =>
              failed.send(problems.unavailable(`The ${target.name} service is unavailable; retry shortly.`)),
          }),
        );
      }
    }
  }
  await fastify.register(httpProxy, {
    upstream: config.REALTIME_URL,
    prefix: '/ws',
    rewritePrefix: '/ws',
    websocket: true,
    wsClientOptions: upstreamSocketOptions,
  });
  await app.register(operationsRoutes, {
    registry,
    metrics: metricsAccess(config),
    checks: Object.fromEntries(
      targets.map((target) => [
        target.name,
        async () => {
          const response = await fetch(`${target.url}/ready`);
          if (!response.ok) throw new Error(`${target.name} answered ${response.status}`);
        },
      ]),
    ),
  });
  await finishGateway(app, gatewayOptions);
  const metricsListener =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsListener(registry, config.HOST, config.METRICS_PORT);
  return {
    app,
    async close() {
      await app.close();
      await metricsListener?.close();
    },
  };
}

/**
 * What an upstream service is told about the request:
 * - the client's address: services see the gateway's on the socket, but per-IP rate limits need the
 *   client's. The gateway states it (replacing whatever the client sent, so it cannot be spoofed past
 *   the gateway's own TRUST_PROXY) and the services trust only the gateway to say so;
 * - not the caller's trace context as it came: the proxied request is a client span of the gateway's
 *   own server span, and its `traceparent` is injected by the HTTP client instrumentation (a second,
 *   copied header would make the upstream see two and start a trace of its own).
 */
function upstreamHeaders(request: FastifyRequest) {
  return (_request: unknown, headers: IncomingHttpHeaders): IncomingHttpHeaders => {
    const { traceparent: _parent, tracestate: _state, ...rest } = headers;
    return { ...rest, 'x-forwarded-for': request.ip, 'x-forwarded-proto': request.protocol };
  };
}

/**
 * The realtime gateway limits sockets per client address, so it is told the client's as the other
 * services are (the proxy's default forwarded only the cookie). `rewriteRequestHeaders` is a
 * documented option of @fastify/http-proxy that its types leave out.
 */
const upstreamSocketOptions = {
  // The realtime gateway never compresses frames either.
  perMessageDeflate: false,
  rewriteRequestHeaders: (headers: IncomingHttpHeaders, request: FastifyRequest): IncomingHttpHeaders => ({
    ...headers,
    ...(request.headers.cookie ? { cookie: request.headers.cookie } : {}),
    'x-forwarded-for': request.ip,
  }),
};

/** One document from every service's `/openapi.json`, fetched once at start. */
async function mergedOpenApi(targets: Upstream[]) {
  const merged = {
    openapi: '3.0.3',
    info: { title: 'EchoPlex API', version: '1.0.0' },
    paths: {} as Record<string, unknown>,
    components: { schemas: {} as Record<string, unknown>, securitySchemes: {} as Record<string, unknown> },
  };
  for (const target of targets.filter(({ documented }) => documented)) {
    const response = await fetch(`${target.url}/openapi.json`).catch(() => undefined);
    if (!response?.ok) continue;
    const document = (await response.json()) as typeof merged;
    Object.assign(merged.paths, document.paths);
    Object.assign(merged.components.schemas, document.components?.schemas);
    Object.assign(merged.components.securitySchemes, document.components?.securitySchemes);
  }
  return merged;
}
