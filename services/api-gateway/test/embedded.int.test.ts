import { createTestDatabase } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmbedded } from '../src/embedded';

/** Helmet's headers as the gateway sets them on every answer (the CSP is checked on its own). */
const securityHeaders = {
  'content-security-policy': expect.stringContaining("default-src 'self';"),
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
};

// Real PostgreSQL (a fresh database), every service plugin, the in-process bus.
describe('embedded composition', () => {
  let platform: Awaited<ReturnType<typeof startEmbedded>>;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'gateway');
    platform = await startEmbedded({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent' });
  });
  afterAll(async () => {
    await platform?.host.shutdown();
    await database?.drop();
  });

  it('is ready when its database and bus are, session revocations are read and the realtime gateway has replayed the topics', async () => {
    const response = await platform.host.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', bus: 'ok', 'session-revocations': 'ok', 'realtime-replay': 'ok' },
    });
  });

  it('serves the merged OpenAPI document and Swagger UI', async () => {
    const document = (await platform.host.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toContain('/.well-known/jwks.json');
    expect((await platform.host.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });

  it('publishes the identity keys generated on first start', async () => {
    const jwks = (await platform.host.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('exposes Prometheus metrics and sets security headers', async () => {
    const metrics = await platform.host.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('http_request_duration_seconds');
    const health = await platform.host.app.inject({ method: 'GET', url: '/health' });
    expect(health.headers).toMatchObject(securityHeaders);
    expect(health.headers['content-security-policy']).toContain("script-src 'self' https://js.stripe.com;");
    expect(health.headers['content-security-policy']).toContain("connect-src 'self' ws: wss: https://api.stripe.com;");
    // Swagger UI brings its own policy, which replaces the gateway's on its pages only.
    const docs = await platform.host.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.headers).toMatchObject(securityHeaders);
    expect(docs.headers['content-security-policy']).toContain('validator.swagger.io');
  });
});
