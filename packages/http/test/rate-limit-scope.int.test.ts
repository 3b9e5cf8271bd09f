import { randomUUID } from 'node:crypto';
import { createLogger, createMetricsRegistry } from '@echoplex/telemetry';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpApp, type HttpApp, rateLimitFor } from '../src/app';
import { rateLimitStore } from '../src/host';

// The machine's Redis (CI has one); a developer machine without Redis runs the rest of the suite.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisReachable = await reachable(redisUrl);
if (process.env.CI === 'true' && !redisReachable) throw new Error(`Redis is required in CI (${redisUrl})`);

const apps: HttpApp[] = [];
const stores: Redis[] = [];
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  for (const store of stores) store.disconnect();
});

async function limitedApp(options: {
  max: number;
  key?: string;
  redis?: Redis;
  trustProxy?: string | boolean;
}): Promise<HttpApp> {
  const app = await createHttpApp({
    logger: createLogger({ service: 'rate-limit-test', level: 'silent' }),
    registry: createMetricsRegistry(),
    rateLimits: { enabled: true, redis: options.redis },
    trustProxy: options.trustProxy,
  });
  const key = options.key;
  app.get(
    '/limited',
    { config: rateLimitFor(true, options.max, '1 minute', key ? () => key : undefined) },
    async (request) => ({
      ip: request.ip,
    }),
  );
  await app.ready();
  apps.push(app);
  return app;
}

describe.runIf(redisReachable)('rate limits shared through Redis', () => {
  it('two instances on one Redis count one budget', async () => {
    const key = `shared-${randomUUID()}`;
    const [first, second] = [rateLimitStore(redisUrl), rateLimitStore(redisUrl)];
    stores.push(first, second);
    const a = await limitedApp({ max: 3, key, redis: first });
    const b = await limitedApp({ max: 3, key, redis: second });

    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await app.inject('/limited')).statusCode);

    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('without the shared store each instance counts on its own', async () => {
    const key = `local-${randomUUID()}`;
    const a = await limitedApp({ max: 3, key });
    const b = await limitedApp({ max: 3, key });

    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await app.inject('/limited')).statusCode);

    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});

describe('client address behind the gateway', () => {
  const from = (address: string, forwardedFor: string) => ({
    url: '/limited',
    remoteAddress: address,
    headers: { 'x-forwarded-for': forwardedFor },
  });

  it('a trusted proxy decides the address, so each client has its own per-IP budget', async () => {
    const app = await limitedApp({ max: 2, trustProxy: 'loopback' });

    const first = [];
    for (let i = 0; i < 3; i++) first.push((await app.inject(from('127.0.0.1', '203.0.113.7'))).statusCode);
    const other = await app.inject(from('127.0.0.1', '198.51.100.9'));

    expect(first).toEqual([200, 200, 429]);
    expect(other.statusCode).toBe(200);
    expect(other.json()).toEqual({ ip: '198.51.100.9' });
  });

  it('an untrusted peer cannot choose its address with X-Forwarded-For', async () => {
    const app = await limitedApp({ max: 2, trustProxy: 'loopback' });

    const statuses = [];
    for (const claimed of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      statuses.push((await app.inject(from('192.0.2.50', claimed))).statusCode);
    }

    expect(statuses).toEqual([200, 200, 429]);
  });
});

async function reachable(url: string): Promise<boolean> {
  const probe = rateLimitStore(url);
  probe.on('error', () => {});
  try {
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
