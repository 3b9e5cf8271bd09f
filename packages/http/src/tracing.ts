import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

const tracer = trace.getTracer('@echoplex/http');

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span, for routes that add attributes of their own. */
    serverSpan: Span | null;
  }
  interface FastifyContextConfig {
    /**
     * `false` for a route whose handler starts no I/O of its own (a beacon that only buffers, a
     * probe): its span is made and ended as any other, but not made the active context. On Node 20
     * the active context lives in AsyncLocalStorage, and once any request enters it, its async hooks
     * run for every promise and async resource of the process: a process whose routes all say
     * `false` (a page-view ingest instance) never pays for them.
     */
    traceContext?: boolean;
  }
}

/**
 * A server span per request, continuing the caller's `traceparent`, made the active context for
 * everything the request does: the outbox stores it with each event, so the trace carries on
 * through the bus into other services' consumers. Routes that opt out of the active context still
 * log with their trace: their request logger binds the span's ids.
 */
export function traceRequests(app: FastifyInstance): void {
  // A decorated property rather than a WeakMap keyed by request: a WeakMap entry per request cost
  // more than the span itself.
  app.decorateRequest('serverSpan', null);
  app.addHook('onRequest', (request, reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const { url: route, config } = request.routeOptions;
    const query = request.url.indexOf('?');
    const span = tracer.startSpan(
      `${request.method} ${route ?? 'unmatched'}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': query === -1 ? request.url : request.url.slice(0, query),
          'http.route': route ?? '',
          'echoplex.request_id': request.id,
        },
      },
      parent,
    );
    request.serverSpan = span;
    const { traceId, spanId } = span.spanContext();
    if (traceId !== '00000000000000000000000000000000') reply.header('x-trace-id', traceId);
    if (config.traceContext === false) {
      request.log = request.log.child({ traceId, spanId });
      done();
    } else {
      // Continuing inside `context.with` makes the span active for the rest of the request's lifecycle.
      context.with(trace.setSpan(parent, span), done);
    }
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = request.serverSpan;
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
