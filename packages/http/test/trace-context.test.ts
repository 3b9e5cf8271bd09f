import { Writable } from 'node:stream';
import { createMetricsRegistry } from '@echoplex/telemetry';
import { recordSpans } from '@echoplex/testkit';
import { trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpApp, type HttpApp } from '../src/app';

const exporter = recordSpans();

// No I/O: the factory's app, real spans in memory, a pino logger writing into memory.
describe('server spans and the active trace context', () => {
  let app: HttpApp;
  const lines: Record<string, unknown>[] = [];
  const seen = new Map<string, string | undefined>();
  let child: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = pino({ level: 'warn' }, sink);
    child = vi.spyOn(logger, 'child');
    app = await createHttpApp({ logger, registry: createMetricsRegistry() });
    app.get('/active', async (request) => {
      seen.set(request.id, trace.getActiveSpan()?.spanContext().traceId);
      return { ok: true };
    });
    app.post('/beacon', { config: { traceContext: false } }, (request, reply) => {
      seen.set(request.id, trace.getActiveSpan()?.spanContext().traceId);
      if (request.headers['x-odd']) request.log.warn('odd beacon');
      reply.code(202).send();
    });
    await app.ready();
  });
  afterAll(() => app?.close());

  function serverSpan(name: string, traceId: unknown) {
    return exporter.getFinishedSpans().find((span) => span.name === name && span.spanContext().traceId === traceId);
  }

  it('makes the server span the active context of an ordinary route', async () => {
    const response = await app.inject({ method: 'GET', url: '/active', headers: { 'x-request-id': 'req-active' } });
    expect(response.statusCode).toBe(200);
    const traceId = response.headers['x-trace-id'];
    expect(serverSpan('GET /active', traceId)).toBeDefined();
    expect(seen.get('req-active')).toBe(traceId);
  });

  it('still makes and ends the span of a route that opts out, without making it active', async () => {
    const response = await app.inject({ method: 'POST', url: '/beacon', headers: { 'x-request-id': 'req-beacon' } });
    expect(response.statusCode).toBe(202);
    const span = serverSpan('POST /beacon', response.headers['x-trace-id']);
    expect(span?.attributes).toMatchObject({ 'http.route': '/beacon', 'http.response.status_code': 202 });
    expect(seen.get('req-beacon')).toBeUndefined();
  });

  it('continues the caller trace and logs with it on a route that opts out, making no logger it does not use', async () => {
    const caller = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${caller}-00f067aa0ba902b7-01`;
    child.mockClear();
    await app.inject({ method: 'POST', url: '/beacon', headers: { traceparent } });
    expect(child).not.toHaveBeenCalled();

    const response = await app.inject({
      method: 'POST',
      url: '/beacon',
      headers: { traceparent, 'x-odd': '1', 'x-request-id': 'req-odd' },
    });
    expect(response.headers['x-trace-id']).toBe(caller);
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === caller);
    expect(spans).toHaveLength(2);
    const span = spans[1];
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'odd beacon',
        reqId: 'req-odd',
        traceId: caller,
        spanId: span?.spanContext().spanId,
      }),
    );
  });
});
