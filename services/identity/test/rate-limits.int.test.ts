import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginBackoff, loginFailureKey } from '../src/domain/login-backoff';
import { authLimits } from '../src/routes/rate-limits';
import {
  bearer,
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
  it('backs off a client that keeps failing on an account, with a growing wait, and never locks the owner out', async () => {
    const { user } = await register(identity.app);
    const attacker = '127.0.1.1';
    const backdateFailures = () =>
      identity.db
        .updateTable('loginFailures')
        .set({ lastFailedAt: new Date(Date.now() - 60 * 60 * 1000) })
        .where('key', '=', loginFailureKey(user.email, attacker))
        .execute();

    for (let attempt = 0; attempt <= loginBackoff.freeFailures; attempt += 1) {
      const response = await post('/api/auth/login', { email: user.email, password: 'guess number one' }, attacker);
      expect(response.statusCode).toBe(401);
    }
    // Backed off even with the right password, and whatever case the email is typed in.
    const first = await post(
      '/api/auth/login',
      { email: user.email.toUpperCase(), password: strongPassword },
      attacker,
    );
    expectRateLimited(first);
    const firstWait = Number(first.headers['retry-after']);
    expect(firstWait).toBeLessThanOrEqual(loginBackoff.firstDelaySeconds);

    // The owner, from another address, signs in as usual.
    expect(
      (await post('/api/auth/login', { email: user.email, password: strongPassword }, '127.0.1.2')).statusCode,
    ).toBe(200);

    // Once the wait is over (backdated rather than waited for), one more failure doubles it.
    await backdateFailures();
    expect(
      (await post('/api/auth/login', { email: user.email, password: 'guess number two' }, attacker)).statusCode,
    ).toBe(401);
    const second = await post('/api/auth/login', { email: user.email, password: 'guess number three' }, attacker);
    expectRateLimited(second);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(firstWait);

    // A success from that address forgets its failures.
    await backdateFailures();
    expect((await post('/api/auth/login', { email: user.email, password: strongPassword }, attacker)).statusCode).toBe(
      200,
    );
    expect(
      await identity.db
        .selectFrom('loginFailures')
        .select('failures')
        .where('key', '=', loginFailureKey(user.email, attacker))
        .executeTakeFirst(),
    ).toBeUndefined();
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

describe('password change', () => {
  it('limits attempts per account, whichever addresses they come from, and leaves other accounts alone', async () => {
    const { accessToken } = await register(identity.app);
    const change = (currentPassword: string, remoteAddress: string, token = accessToken) =>
      identity.app.inject({
        method: 'POST',
        url: '/api/users/me/password',
        headers: bearer(token),
        payload: { currentPassword, newPassword: 'a brand new passphrase 7' },
        remoteAddress,
      });
    for (let attempt = 0; attempt < authLimits.changePassword.account.max; attempt += 1) {
      expect((await change('guess number one', `127.0.9.${attempt + 1}`)).statusCode).toBe(403);
    }
    expectRateLimited(await change(strongPassword, '127.0.9.100'));
    const other = await register(identity.app);
    expect((await change(strongPassword, '127.0.9.101', other.accessToken)).statusCode).toBe(204);
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
