import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IdentityHarness, register, startIdentity } from './identity-harness';

let identity: IdentityHarness;
beforeAll(async () => {
  identity = await startIdentity({ env: { NODE_ENV: 'production' } });
});
afterAll(async () => {
  await identity?.close();
});

describe('in production', () => {
  it('has no dev mailbox: 404', async () => {
    const response = await identity.app.inject({ method: 'GET', url: '/api/dev/mailbox' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found' });
  });

  it('still answers forgot-password with 202', async () => {
    const { user } = await register(identity.app);
    const response = await identity.app.inject({
      method: 'POST',
      url: '/api/auth/password/forgot',
      payload: { email: user.email },
    });
    expect(response.statusCode).toBe(202);
  });
});
