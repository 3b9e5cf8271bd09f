import { Writable } from 'node:stream';
import { createMetricsRegistry, redactedPaths } from '@echoplex/telemetry';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpApp, type HttpApp } from '../src/app';

// No I/O: the factory's app with a pino logger writing into memory, exercised with inject.
describe('request logger', () => {
  let app: HttpApp | undefined;
  afterEach(() => app?.close());

  async function appLoggingAt(level: string) {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } }, sink);
    const child = vi.spyOn(logger, 'child');
    app = await createHttpApp({ logger, registry: createMetricsRegistry() });
    app.get('/quiet', async (request) => {
      request.log.info('routine detail');
      request.log.debug('more detail');
      return { ok: true };
    });
    app.get('/loud', async (request) => {
      request.log.warn({ token: 'tok_secret', attempt: 2 }, 'something odd');
      request.log.child({ step: 'inner' }).error('inner failure');
      return { ok: true };
    });
    app.get('/chatty', { logLevel: 'debug' }, async (request) => {
      request.log.debug('route-level detail');
      return { ok: true };
    });
    await app.ready();
    child.mockClear();
    return { lines, child };
  }

  it('makes no child logger for a request that logs nothing at the running level', async () => {
    const { lines, child } = await appLoggingAt('warn');
    const response = await app!.inject({ method: 'GET', url: '/quiet' });
    expect(response.statusCode).toBe(200);
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('writes enabled lines as a pino child would: request id bound, secrets redacted, children nested', async () => {
    const { lines } = await appLoggingAt('warn');
    const response = await app!.inject({ method: 'GET', url: '/loud', headers: { 'x-request-id': 'req-123' } });
    expect(response.statusCode).toBe(200);
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, reqId: 'req-123', token: '[redacted]', attempt: 2, msg: 'something odd' }),
      expect.objectContaining({ level: 50, reqId: 'req-123', step: 'inner', msg: 'inner failure' }),
    ]);
  });

  it("keeps Fastify's request lines at info and honours a route's own log level", async () => {
    const { lines } = await appLoggingAt('info');
    await app!.inject({ method: 'GET', url: '/quiet', headers: { 'x-request-id': 'req-q' } });
    await app!.inject({ method: 'GET', url: '/chatty', headers: { 'x-request-id': 'req-c' } });
    expect(lines.map((line) => [line.reqId, line.msg])).toEqual([
      ['req-q', 'incoming request'],
      ['req-q', 'routine detail'],
      ['req-q', 'request completed'],
      ['req-c', 'incoming request'],
      ['req-c', 'route-level detail'],
      ['req-c', 'request completed'],
    ]);
  });
});
