import { createMetricsRegistry } from '@echoplex/telemetry';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  isLoopbackAddress,
  metricsAccess,
  operationsRoutes,
  productionRefusals,
  startMetricsListener,
  weakDatabaseCredentials,
} from '../src/index';

const stripeKeys = {
  STRIPE_SECRET_KEY: 'sk_live_51Habcdefghijklmnop',
  STRIPE_PUBLISHABLE_KEY: 'pk_live_51Habcdefghijklmnop',
  STRIPE_WEBHOOK_SECRET: 'whsec_abcdefghijklmnopqrstuvwxyz',
};
const strongDatabase = { DATABASE_URL: 'postgres://echoplex:Zq8v-long-random-secret@db.internal:5432/echoplex' };

describe('production refusals', () => {
  it('refuse nothing outside production, whatever is missing', () => {
    expect(productionRefusals({ NODE_ENV: 'development' }, { takesPayments: true, embeddedDatabase: true })).toEqual(
      [],
    );
    expect(productionRefusals({}, { takesPayments: true, embeddedDatabase: true })).toEqual([]);
  });

  it('refuse fake payments, naming every missing Stripe variable', () => {
    const refusals = productionRefusals(
      { NODE_ENV: 'production', ...strongDatabase, STRIPE_PUBLISHABLE_KEY: stripeKeys.STRIPE_PUBLISHABLE_KEY },
      { takesPayments: true },
    );
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/fake payments/);
    expect(refusals[0]).toContain('STRIPE_SECRET_KEY');
    expect(refusals[0]).toContain('STRIPE_WEBHOOK_SECRET');
    expect(refusals[0]).not.toContain('STRIPE_PUBLISHABLE_KEY');
  });

  it("refuse the fake's public keys and a Stripe stand-in URL", () => {
    const refusals = productionRefusals(
      {
        NODE_ENV: 'production',
        ...strongDatabase,
        ...stripeKeys,
        STRIPE_WEBHOOK_SECRET: 'whsec_echoplex_fake_webhook_secret',
        STRIPE_API_URL: 'http://127.0.0.1:12111',
      },
      { takesPayments: true },
    );
    expect(refusals.join('\n')).toMatch(/STRIPE_WEBHOOK_SECRET hold/);
    expect(refusals.join('\n')).toMatch(/STRIPE_API_URL/);
  });

  it('do not ask for Stripe keys in a process that takes no payments', () => {
    expect(productionRefusals({ NODE_ENV: 'production', ...strongDatabase }, {})).toEqual([]);
  });

  it('refuse the embedded database unless allowed, and then only with a password of its own', () => {
    const production = { NODE_ENV: 'production', ...stripeKeys };
    expect(productionRefusals(production, { takesPayments: true, embeddedDatabase: true })[0]).toMatch(
      /ALLOW_EMBEDDED_DATABASE/,
    );
    const allowed = { ...production, ALLOW_EMBEDDED_DATABASE: 'true' };
    expect(productionRefusals(allowed, { embeddedDatabase: true })[0]).toMatch(/EMBEDDED_POSTGRES_PASSWORD/);
    expect(
      productionRefusals({ ...allowed, EMBEDDED_POSTGRES_PASSWORD: 'postgres' }, { embeddedDatabase: true }),
    ).toHaveLength(1);
    expect(
      productionRefusals({ ...allowed, EMBEDDED_POSTGRES_PASSWORD: 'k3-long-and-random' }, { embeddedDatabase: true }),
    ).toEqual([]);
  });

  it('refuse guessable database passwords: the role name, postgres/postgres', () => {
    for (const url of [
      'postgres://identity_svc:identity_svc@db:5432/echoplex',
      'postgres://postgres:postgres@127.0.0.1:54320/postgres',
      'postgres://app:Password@db/echoplex',
    ]) {
      expect(weakDatabaseCredentials(url), url).toBe(true);
      expect(productionRefusals({ NODE_ENV: 'production', DATABASE_URL: url }, {})[0]).toMatch(/DATABASE_URL/);
    }
    expect(weakDatabaseCredentials(strongDatabase.DATABASE_URL)).toBe(false);
    // No password in the URL: PGPASSWORD, a password file or the server decides.
    expect(weakDatabaseCredentials('postgres://app@db/echoplex')).toBe(false);
  });

  it('refuse seeding and a short metrics token', () => {
    const refusals = productionRefusals(
      { NODE_ENV: 'production', ...strongDatabase, SEED: 'on', METRICS_TOKEN: 'abc' },
      {},
    );
    expect(refusals.join('\n')).toMatch(/SEED=on/);
    expect(refusals.join('\n')).toMatch(/METRICS_TOKEN is too short/);
  });
});

describe('metrics access', () => {
  const base = { NODE_ENV: 'development' as const, METRICS_TOKEN: undefined, METRICS_PORT: undefined };

  it('is open in development, closed in production, token-bound with a token, elsewhere with a port', () => {
    expect(metricsAccess(base)).toEqual({ kind: 'open' });
    expect(metricsAccess({ ...base, NODE_ENV: 'production' })).toEqual({ kind: 'closed' });
    expect(metricsAccess({ ...base, NODE_ENV: 'production', METRICS_TOKEN: 't'.repeat(24) })).toEqual({
      kind: 'token',
      token: 't'.repeat(24),
    });
    expect(metricsAccess({ ...base, NODE_ENV: 'production', METRICS_PORT: 9464 })).toEqual({ kind: 'elsewhere' });
  });

  it('serves /metrics only to the bearer of the token', async () => {
    const app = Fastify();
    const token = 'a-metrics-token-of-24-chars';
    await app.register(operationsRoutes, {
      registry: createMetricsRegistry({ service: 'test' }),
      checks: {},
      metrics: { kind: 'token', token },
    });
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    const allowed = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toContain('process_cpu');
    await app.close();
  });

  it('serves nobody when closed, and not at all on the main port when it has a port of its own', async () => {
    const registry = createMetricsRegistry({ service: 'test' });
    const closed = Fastify();
    await closed.register(operationsRoutes, { registry, checks: {}, metrics: { kind: 'closed' } });
    expect((await closed.inject({ url: '/metrics' })).statusCode).toBe(401);
    const elsewhere = Fastify();
    await elsewhere.register(operationsRoutes, { registry, checks: {}, metrics: { kind: 'elsewhere' } });
    expect((await elsewhere.inject({ url: '/metrics' })).statusCode).toBe(404);
    const listener = await startMetricsListener(registry, '127.0.0.1', 0);
    const scraped = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('process_cpu');
    expect((await fetch(`http://127.0.0.1:${listener.port}/api/events`)).status).toBe(404);
    await listener.close();
    await Promise.all([closed.close(), elsewhere.close()]);
  });
});

describe('loopback addresses', () => {
  it('are this machine only', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['10.0.0.1', '203.0.113.9', '::ffff:192.0.2.1', '2001:db8::1']) {
      expect(isLoopbackAddress(address)).toBe(false);
    }
  });
});
