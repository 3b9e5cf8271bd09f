import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authLimits } from '../src/routes/rate-limits';
import {
  type IdentityHarness,
  register,
  type SignedIn,
  startIdentity,
  strongPassword,
  uniqueEmail,
} from './identity-harness';

// The one test file with rate limits on, as in production (in-memory store, as embedded mode uses).
let identity: IdentityHarness;
beforeAll(async () => {
  identity = await startIdentity({ env: { RATE_LIMITS: 'on' } });
});
afterAll(async () => {
  await identity?.close();
});

/** Each test speaks from addresses of its own, so the per-IP counters of one test do not touch another's. */
const post = (url: string, payload: object, remoteAddress: string) =>
  identity.app.inject({ method: 'POST', url, payload, remoteAddress });

function expectRateLimited(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(429);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

describe('login', () => {
  it('limits attempts per account, whichever addresses they come from, and leaves other accounts alone', async () => {
    const { user } = await register(identity.app, {});
    const { max } = authLimits.login.account;
    for (let attempt = 0; attempt < max; attempt += 1) {
      const response = await post(
        '/api/auth/login',
        { email: user.email, password: 'guess number one' },
        `127.0.1.${attempt + 1}`,
      );
      expect(response.statusCode).toBe(401);
    }
    // The account key ignores case, so changing it does not buy more guesses.
    expectRateLimited(
      await post('/api/auth/login', { email: user.email.toUpperCase(), password: strongPassword }, '127.0.1.200'),
    );
    const other = await register(identity.app);
    expect(
      (await post('/api/auth/login', { email: other.user.email, password: strongPassword }, '127.0.1.201')).statusCode,
    ).toBe(200);
  });

  it('limits attempts per IP address across accounts', async () => {
    const { max } = authLimits.login.ip;
    for (let attempt = 0; attempt < max; attempt += 1) {
      const response = await post(
        '/api/auth/login',
        { email: uniqueEmail('spray'), password: 'guess number two' },
        '127.0.2.1',
      );
      expect(response.statusCode).toBe(401);
    }
    expectRateLimited(await post('/api/auth/login', { email: uniqueEmail('spray'), password: 'guess' }, '127.0.2.1'));
    expect(
      (await post('/api/auth/login', { email: uniqueEmail('spray'), password: 'guess' }, '127.0.2.2')).statusCode,
    ).toBe(401);
  });
});

describe('register', () => {
  it('limits attempts per IP address', async () => {
    const { max } = authLimits.register.ip;
    // Refused bodies count too: the IP limit is taken before anything is parsed.
    for (let attempt = 0; attempt < max; attempt += 1) {
      expect((await post('/api/auth/register', { email: 'nope' }, '127.0.3.1')).statusCode).toBe(422);
    }
    expectRateLimited(await post('/api/auth/register', { email: 'nope' }, '127.0.3.1'));
  });

  it('limits attempts per email', async () => {
    const email = uniqueEmail('popular');
    const body = { email, password: strongPassword, firstName: 'Pop', lastName: 'Ular', role: 'attendee' };
    const { max } = authLimits.register.account;
    expect((await post('/api/auth/register', body, '127.0.4.1')).statusCode).toBe(201);
    for (let attempt = 1; attempt < max; attempt += 1) {
      expect((await post('/api/auth/register', body, `127.0.4.${attempt + 1}`)).statusCode).toBe(409);
    }
    expectRateLimited(await post('/api/auth/register', body, '127.0.4.100'));
  });
});

describe('forgot password', () => {
  it('limits reset emails per account (no mail bombing) and per IP', async () => {
    const { user } = await register(identity.app);
    const { max } = authLimits.forgot.account;
    for (let attempt = 0; attempt < max; attempt += 1) {
      expect(
        (await post('/api/auth/password/forgot', { email: user.email }, `127.0.5.${attempt + 1}`)).statusCode,
      ).toBe(202);
    }
    expectRateLimited(await post('/api/auth/password/forgot', { email: user.email }, '127.0.5.100'));

    for (let attempt = 0; attempt < authLimits.forgot.ip.max; attempt += 1) {
      expect((await post('/api/auth/password/forgot', { email: uniqueEmail('x') }, '127.0.6.1')).statusCode).toBe(202);
    }
    expectRateLimited(await post('/api/auth/password/forgot', { email: uniqueEmail('x') }, '127.0.6.1'));
  });
});

describe('refresh', () => {
  it('limits attempts per IP address', async () => {
    for (let attempt = 0; attempt < authLimits.refresh.ip.max; attempt += 1) {
      expect((await post('/api/auth/refresh', { refreshToken: `unknown-${attempt}` }, '127.0.7.1')).statusCode).toBe(
        401,
      );
    }
    expectRateLimited(await post('/api/auth/refresh', { refreshToken: 'unknown' }, '127.0.7.1'));
  });

  it('limits refreshes per account', async () => {
    let { refreshToken } = await register(identity.app);
    for (let attempt = 0; attempt < authLimits.refresh.account.max; attempt += 1) {
      const response = await post('/api/auth/refresh', { refreshToken }, `127.0.8.${attempt + 1}`);
      expect(response.statusCode).toBe(200);
      refreshToken = (response.json() as SignedIn).refreshToken;
    }
    const limited = await post('/api/auth/refresh', { refreshToken }, '127.0.8.200');
    expectRateLimited(limited);
    // A refused refresh does not spend the token: it works once the window has passed (not waited for here).
    const row = await identity.db
      .selectFrom('refreshTokens')
      .select(['usedAt', 'revokedAt'])
      .orderBy('createdAt', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ usedAt: null, revokedAt: null });
  });
});
