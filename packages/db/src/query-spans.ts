import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type pg from 'pg';

const tracer = trace.getTracer('@echoplex/db');

/**
 * A client span for every query a pooled connection runs, child of whatever span is active (the
 * request, the consumer, the relay). Wrapping the pool's own clients, rather than patching the `pg`
 * module, works the same under ESM and tsx, where module-patching instrumentations often see nothing.
 * The statement text is recorded as Kysely sends it: parameterized, so no values reach the trace.
 */
export function traceQueries(client: pg.PoolClient, target: { database: string; host: string; port: number }): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const traced = (...args: unknown[]): unknown => {
    const [first] = args;
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
    // Callback and submittable (cursor) queries pass through: Kysely uses neither for plain queries.
    if (typeof text !== 'string' || args.some((arg) => typeof arg === 'function')) return query(...args);
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
    const span = tracer.startSpan(
      `${operation} ${target.database}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          'db.namespace': target.database,
          'db.operation.name': operation,
          'db.query.text': text,
          'server.address': target.host,
          'server.port': target.port,
        },
      },
      context.active(),
    );
    return (query(...args) as Promise<unknown>).then(
      (result) => {
        span.end();
        return result;
      },
      (error: Error & { code?: string }) => {
        if (error.code) span.setAttribute('db.response.status_code', error.code);
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end();
        throw error;
      },
    );
  };
  client.query = traced as typeof client.query;
}
