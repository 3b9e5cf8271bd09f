import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IdentityHarness, register, startIdentity } from './identity-harness';

// One hash at a time and one place in the queue, with hashes slow enough that concurrent logins overlap.
let identity: IdentityHarness;
beforeAll(async () => {
  identity = await startIdentity({
    identity: {
      maxConcurrentHashes: 1,
      PASSWORD_HASH_QUEUE: 1,
      passwordHashParameters: { memoryCost: 19_456, timeCost: 8, parallelism: 1 },
    },
  });
});
afterAll(async () => {
  await identity?.close();
});

describe('password hashing queue', () => {
  it('answers 503 with Retry-After to logins beyond the queue instead of making them wait, and recovers', async () => {
    const { user, password } = await register(identity.app);
    const login = () =>
      identity.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password } });
    const responses = await Promise.all(Array.from({ length: 8 }, login));

    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    // One login hashes and one waits; those arriving meanwhile are refused rather than queued.
    const refused = responses.filter((response) => response.statusCode === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const response of refused) {
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 503, code: 'unavailable' });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }

    expect((await login()).statusCode).toBe(200);
  });
});
