import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpApp, type HttpApp } from '../src/app';
import { problems } from '../src/problem';

// No I/O: a bare app from the factory, exercised with inject.
describe('problem+json for every failure', () => {
  let app: HttpApp;

  beforeAll(async () => {
    app = await createHttpApp({
      logger: createLogger({ service: 'http-test', level: 'silent' }),
      registry: createMetricsRegistry(),
      bodyLimit: 1024,
    });
    app.post(
      '/things',
      { schema: { body: z.object({ name: z.string().min(1), count: z.number().int() }) } },
      async (request) => ({ ok: request.body.name }),
    );
    app.get('/boom', async () => {
      throw new Error('secret internals at /srv/db password=hunter2');
    });
    app.get('/gone', async () => {
      throw problems.conflict('invalid_state', 'Already cancelled.');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  const expectProblem = (response: Awaited<ReturnType<HttpApp['inject']>>, status: number, code: string) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status, code, title: expect.any(String), type: expect.any(String) });
    expect(response.headers['x-request-id']).toBeTruthy();
  };

  it('malformed JSON → 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expectProblem(response, 400, 'malformed_json');
  });

  it('wrong content type → 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('oversized body → 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'x'.repeat(5000), count: 1 },
    });
    expectProblem(response, 413, 'payload_too_large');
  });

  it('NUL characters in JSON text → 422 before anything reads them', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a\u0000b', count: 1 } });
    expectProblem(response, 422, 'validation_failed');
  });

  it('unknown route → 404', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/nowhere' }), 404, 'not_found');
  });

  it('schema violations → 422 with the failing fields', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: '', count: 'many' } });
    expectProblem(response, 422, 'validation_failed');
    expect(
      response
        .json()
        .errors.map((error: { path: string }) => error.path)
        .sort(),
    ).toEqual(['body.count', 'body.name']);
  });

  it('domain problems keep their status and code', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/gone' }), 409, 'invalid_state');
  });

  it('unknown errors → 500 without internals', async () => {
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expectProblem(response, 500, 'internal_error');
    expect(response.body).not.toMatch(/hunter2|srv/);
  });

  it('echoes an incoming request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers['x-request-id']).toBe('abc-123');
  });
});
