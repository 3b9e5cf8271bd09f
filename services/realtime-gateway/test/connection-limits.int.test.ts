import { eventually, startServicesForTests, type TestServices } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeService } from '../src/plugin';
import { listen } from './support/gateway';
import { TestClient } from './support/ws-client';

// Real: PostgreSQL, the gateway on a real port, `ws` clients from this machine (127.0.0.1), which
// states other client addresses in X-Forwarded-For where the gateway trusts it to.
describe('connections per client address', () => {
  const started: TestServices[] = [];
  const clients: TestClient[] = [];
  const connect = async (url: string, forwardedFor?: string) => {
    const headers = forwardedFor ? { 'x-forwarded-for': forwardedFor } : undefined;
    const client = await TestClient.connect(url, { headers });
    clients.push(client);
    return client;
  };
  const gateway = async (env: Record<string, string>) => {
    const services = await startServicesForTests([createRealtimeService({ maxConnectionsPerAddress: 2 })], { env });
    started.push(services);
    return listen(services.app);
  };
  let behindProxy: string;
  let direct: string;
  let unlimited: string;

  beforeAll(async () => {
    behindProxy = await gateway({ TRUST_PROXY: 'loopback' });
    direct = await gateway({});
    unlimited = await gateway({ RATE_LIMITS: 'off' });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const services of started) await services.close();
  });

  it('refuses one socket too many from an address with 429 and takes it again once one closes', async () => {
    const first = await connect(behindProxy, '203.0.113.1');
    const second = await connect(behindProxy, '203.0.113.1');
    await expect(connect(behindProxy, '203.0.113.1')).rejects.toThrow('429');

    const neighbour = await connect(behindProxy, '203.0.113.2');
    for (const client of [first, second, neighbour]) {
      expect(await client.subscribe('event:00000000-0000-4000-8000-000000000000', 0)).toMatchObject({
        code: 'forbidden',
      });
    }

    first.close();
    await first.closed;
    const again = await eventually(
      () => connect(behindProxy, '203.0.113.1').catch((error: Error) => error),
      (result) => result instanceof TestClient,
    );
    expect(again).toBeInstanceOf(TestClient);
    await expect(connect(behindProxy, '203.0.113.1')).rejects.toThrow('429');
  });

  it('counts by the peer when it is not trusted to name the client', async () => {
    await connect(direct, '198.51.100.1');
    await connect(direct, '198.51.100.2');

    await expect(connect(direct, '198.51.100.3')).rejects.toThrow('429');
  });

  it('has no limit when rate limits are off, as for load tests', async () => {
    const sockets = await Promise.all([1, 2, 3].map(() => connect(unlimited)));

    expect(sockets.every((client) => client.isOpen)).toBe(true);
  });
});
