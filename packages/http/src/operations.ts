import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { CommonConfig } from './config';
import { problems } from './problem';

export type ReadinessCheck = () => Promise<void>;

export interface OperationsOptions {
  registry: Registry;
  checks: Record<string, ReadinessCheck>;
  /** True while the process drains before exit: readiness fails so load balancers stop sending. */
  isDraining?: () => boolean;
  /** Who may read `/metrics` on this port (see `metricsAccess`); open when not given. */
  metrics?: MetricsAccess;
}

/**
 * Who may read `/metrics` on the main port. Metrics name routes, volumes and internals, so production
 * never serves them to anyone who asks: a bearer of METRICS_TOKEN, or only on METRICS_PORT (a port
 * the operator keeps off the internet).
 */
export type MetricsAccess =
  | { kind: 'open' }
  | { kind: 'token'; token: string }
  | { kind: 'elsewhere' }
  | { kind: 'closed' };

export function metricsAccess(
  config: Pick<CommonConfig, 'NODE_ENV' | 'METRICS_TOKEN' | 'METRICS_PORT'>,
): MetricsAccess {
  if (config.METRICS_TOKEN) return { kind: 'token', token: config.METRICS_TOKEN };
  if (config.METRICS_PORT !== undefined) return { kind: 'elsewhere' };
  return config.NODE_ENV === 'production' ? { kind: 'closed' } : { kind: 'open' };
}

// Probes and scrapes come every few seconds and start no work worth tracing: they do not make their
// span the active context (see `traceContext`), so a process that serves only them and page views
// never turns on AsyncLocalStorage's hooks.
const probe = { schema: { hide: true }, config: { traceContext: false } };

export async function operationsRoutes(app: FastifyInstance, options: OperationsOptions): Promise<void> {
  app.get('/health', probe, async () => ({ status: 'ok' }));
  app.get('/ready', probe, async (_request, reply) => {
    const results: Record<string, string> = {};
    let ready = !options.isDraining?.();
    if (!ready) results.lifecycle = 'draining';
    await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          results[name] = 'ok';
        } catch (error) {
          ready = false;
          results[name] = String((error as Error)?.message ?? error);
        }
      }),
    );
    reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: results });
  });
  const access = options.metrics ?? { kind: 'open' };
  if (access.kind === 'elsewhere') return;
  app.get('/metrics', { ...probe, config: { ...probe.config, accessToken: false } }, async (request, reply) => {
    if (access.kind === 'closed' || (access.kind === 'token' && !bearsToken(request, access.token))) {
      throw problems.unauthorized('Metrics need the METRICS_TOKEN bearer token.');
    }
    reply.type(options.registry.contentType).send(await options.registry.metrics());
  });
}

function bearsToken(request: FastifyRequest, token: string): boolean {
  const presented = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** `/metrics` alone on a port of its own (METRICS_PORT), for scrapers inside the operator's network. */
export async function startMetricsListener(
  registry: Registry,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, host, () => listening());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}
