import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

const tracer = trace.getTracer('@echoplex/http');

/**
 * A server span per request, continuing the caller's `traceparent`, made the active context for
 * everything the request does: the outbox stores it with each event, so the trace carries on
 * through the bus into other services' consumers.
 */
export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(
      `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?')[0],
          'http.route': request.routeOptions.url ?? '',
          'echoplex.request_id': request.id,
        },
      },
      parent,
    );
    spans.set(request, span);
    const { traceId } = span.spanContext();
    if (traceId !== '00000000000000000000000000000000') reply.header('x-trace-id', traceId);
    // Continuing inside `context.with` makes the span active for the rest of the request's lifecycle.
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}

const spans = new WeakMap<object, ReturnType<typeof tracer.startSpan>>();
