import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export type ReadinessCheck = () => Promise<void>;

export interface OperationsOptions {
  registry: Registry;
  checks: Record<string, ReadinessCheck>;
  /** True while the process drains before exit: readiness fails so load balancers stop sending. */
  isDraining?: () => boolean;
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
  app.get('/metrics', probe, async (_request, reply) => {
    reply.type(options.registry.contentType).send(await options.registry.metrics());
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}
