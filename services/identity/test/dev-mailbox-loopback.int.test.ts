import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IdentityHarness, register, startIdentity } from './identity-harness';

// The dev mailbox holds every user's reset links: in development it answers this machine only.
describe('the dev mailbox', () => {
  let identity: IdentityHarness;
  let gatewayed: IdentityHarness;
  beforeAll(async () => {
    identity = await startIdentity();
    // As in distributed mode: the service trusts the gateway on loopback to name the client.
    gatewayed = await startIdentity({ env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => {
    await identity?.close();
    await gatewayed?.close();
  });

  it('answers a browser on this machine', async () => {
    const { user } = await register(identity.app);
    const response = await identity.app.inject({
      method: 'GET',
      url: `/api/dev/mailbox?to=${encodeURIComponent(user.email)}`,
      remoteAddress: '127.0.0.1',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([]);
  });

  it('does not exist for anyone else, directly or through the gateway', async () => {
    const direct = await identity.app.inject({ method: 'GET', url: '/api/dev/mailbox', remoteAddress: '203.0.113.7' });
    expect(direct.statusCode).toBe(404);
    expect(direct.json()).toMatchObject({ code: 'not_found' });
    const viaIpv6 = await identity.app.inject({ method: 'GET', url: '/api/dev/mailbox', remoteAddress: '2001:db8::7' });
    expect(viaIpv6.statusCode).toBe(404);

    const forwarded = await gatewayed.app.inject({
      method: 'GET',
      url: '/api/dev/mailbox',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(forwarded.statusCode).toBe(404);
    const local = await gatewayed.app.inject({
      method: 'GET',
      url: '/api/dev/mailbox',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(local.statusCode).toBe(200);
  });
});
