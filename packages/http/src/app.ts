import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { FastHistogram, type Logger } from '@echoplex/telemetry';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { authentication, type TokenVerifier } from './auth';
import { installProblemHandlers } from './errors';
import { Problem, problems } from './problem';
import { requestLogger } from './request-logger';
import { traceRequests } from './tracing';

export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface HttpAppOptions {
  logger: Logger;
  registry: Registry;
  verifier?: TokenVerifier;
  /** Largest accepted body in bytes; routes that take uploads raise it for themselves. */
  bodyLimit?: number;
  /** With `redis`, every instance shares the counters; otherwise each process keeps its own. */
  rateLimits?: { enabled: boolean; redis?: Redis };
  /** Fastify's `trustProxy`: whose X-Forwarded-For decides `request.ip` (see TRUST_PROXY). */
  trustProxy?: boolean | string;
  /** The SPA's index.html, served for browser navigations to paths no route matches. */
  spaIndexFile?: string;
}

/**
 * The Fastify instance every service and the gateway start from: zod schemas, problem+json for
 * every failure, request ids, per-route RED metrics, bearer-token authentication and rate limits.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    childLoggerFactory: requestLogger,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app, spaShellReader(options.spaIndexFile));
  // JSON only: a text body is never silently accepted where an object is expected.
  app.removeContentTypeParser('text/plain');

  // The app's own hooks take a callback rather than being async: a promise per hook per request is
  // measurable on hot routes once OpenTelemetry's context tracking has turned on promise hooks.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (urlContainsNul(request.url)) {
      done(problems.badRequest('validation_failed', 'The path and query must not contain NUL (%00) characters.'));
    } else done();
  });
  traceRequests(app as unknown as FastifyInstance);
  // PostgreSQL cannot store NUL in text: refuse it up front as bad input instead of failing at write.
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.headers['content-type']?.includes('json') && containsNul(request.body)) {
      done(new Problem(422, 'validation_failed', 'Text must not contain NUL (\\u0000) characters.'));
    } else done();
  });

  // Every request observes it: prom-client's own Histogram cost ~1 µs a request (see FastHistogram).
  const duration = new FastHistogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [options.registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      [request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode)],
      reply.elapsedTime / 1000,
    );
    done();
  });

  await (app as FastifyInstance).register(rateLimit, {
    global: false,
    ...(options.rateLimits?.redis ? { redis: options.rateLimits.redis, nameSpace: 'echoplex-rl:' } : {}),
    errorResponseBuilder: (_request, context) =>
      new Problem(429, 'rate_limited', `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`),
    enableDraftSpec: false,
  });
  if (options.verifier) await app.register(authentication, { verifier: options.verifier });
  return app as unknown as HttpApp;
}

/** Per-route rate limit settings; `RATE_LIMITS=off` turns every one of them off. */
export function rateLimitFor(
  enabled: boolean,
  max: number,
  timeWindow: string,
  keyGenerator?: (request: FastifyRequest) => string,
): { rateLimit: RateLimitOptions | false } {
  return { rateLimit: enabled ? { max, timeWindow, ...(keyGenerator ? { keyGenerator } : {}) } : false };
}

/** Reads the SPA shell once it exists (a build may appear after start in development). */
function spaShellReader(file: string | undefined): (() => string | undefined) | undefined {
  if (!file) return undefined;
  let shell: string | undefined;
  return () => {
    if (shell === undefined && existsSync(file)) shell = readFileSync(file, 'utf8');
    return shell;
  };
}

/**
 * The raw URL, before the router and the query parser decode it: `%00` is the only way a NUL reaches
 * a path parameter or a query value, and two scans of the URL cost next to nothing per request.
 */
function urlContainsNul(url: string): boolean {
  return url.includes('%00') || url.includes('\u0000');
}

/**
 * Walks parsed JSON only: a body passed through as a stream (the distributed gateway's proxy) is left
 * to the upstream that parses it; walking the stream's own object graph would never end.
 */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  // Parsed JSON only: the distributed gateway passes bodies on as streams, and the service they
  // reach checks them.
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // A plain loop: this runs for every JSON request, and `Object.entries` built an array per object.
    for (const key in value) {
      if (key.includes('\u0000') || containsNul((value as Record<string, unknown>)[key])) return true;
    }
  }
  return false;
}
