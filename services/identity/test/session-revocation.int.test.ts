import type { IncomingMessage } from '@echoplex/bus';
import { SessionRevocations } from '@echoplex/http';
import { eventually } from '@echoplex/testkit';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRevocations } from '../src/commands/restore-revocations';
import { RefreshTokenRepository } from '../src/repositories/refresh-token.repository';
import {
  bearer,
  collectPublished,
  type IdentityHarness,
  register,
  resetTokenFromMailbox,
  type SignedIn,
  startIdentity,
} from './identity-harness';

// Real identity service, PostgreSQL and outbox relay on the in-process bus (embedded mode): the host's
// token verifier learns revocations from identity.session.v1 as every verifier does.
let identity: IdentityHarness;
let published: IncomingMessage[] = [];
beforeAll(async () => {
  identity = await startIdentity();
  published = await collectPublished(identity, 'identity.session.v1', 'session-revocation-test');
});
afterAll(async () => {
  await identity?.close();
});

const post = (url: string, payload: unknown, headers = {}) =>
  identity.app.inject({ method: 'POST', url, payload: payload as object, headers });
const me = async (accessToken: string) =>
  (await identity.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(accessToken) })).statusCode;
/** Polls with a deadline: the relay publishes after the commit, so the refusal follows a moment later. */
const refusedWithin5s = async (accessToken: string) =>
  eventually(
    () => me(accessToken),
    (status) => status === 401,
    5_000,
  );
const sessionOf = (accessToken: string) => decodeJwt(accessToken).sid as string;
const login = async (email: string, password: string) =>
  (await post('/api/auth/login', { email, password })).json() as SignedIn;

describe('ending sessions ends their access tokens', () => {
  it('logout: that session’s access token answers 401 at once, the user’s other session keeps working', async () => {
    const { user, password, accessToken, refreshToken } = await register(identity.app);
    const other = await login(user.email, password);
    // Remembered by the verifier before the logout, so the refusal cannot come from a fresh verification only.
    expect(await me(accessToken)).toBe(200);

    expect((await post('/api/auth/logout', { refreshToken })).statusCode).toBe(204);

    expect(await refusedWithin5s(accessToken)).toBe(401);
    const refused = await identity.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(accessToken) });
    expect(refused.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await me(other.accessToken)).toBe(200);
  });

  it('announces session.revoked keyed by user id, with ids only, once per logout', async () => {
    const { user, accessToken, refreshToken } = await register(identity.app);
    await post('/api/auth/logout', { refreshToken });
    await post('/api/auth/logout', { refreshToken });
    const messages = await eventually(
      async () => published.filter((message) => message.key === user.id),
      (found) => found.length >= 1,
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.headers).toMatchObject({ ce_type: 'session.revoked', ce_source: 'identity' });
    const data = JSON.parse(messages[0]?.value ?? '{}');
    expect(data).toEqual({
      userId: user.id,
      sessionIds: [sessionOf(accessToken)],
      reason: 'logout',
      accessTokensExpireBy: expect.any(String),
    });
    // Every access token of the session has expired by then: issued before the logout, 15 minutes each.
    expect(Date.parse(data.accessTokensExpireBy)).toBeGreaterThanOrEqual((decodeJwt(accessToken).exp as number) * 1000);
  });

  it('password reset: every session’s access token answers 401', async () => {
    const { user, password, accessToken } = await register(identity.app);
    const other = await login(user.email, password);
    await post('/api/auth/password/forgot', { email: user.email });
    const token = await resetTokenFromMailbox(identity.app, user.email);

    expect(
      (await post('/api/auth/password/reset', { token, password: 'saffron lighthouse tandem 8' })).statusCode,
    ).toBe(204);

    expect(await refusedWithin5s(accessToken)).toBe(401);
    expect(await refusedWithin5s(other.accessToken)).toBe(401);
    const fresh = await login(user.email, 'saffron lighthouse tandem 8');
    expect(await me(fresh.accessToken)).toBe(200);
  });

  it('password change: every other session’s access token answers 401, the caller’s keeps working', async () => {
    const { user, password, accessToken } = await register(identity.app);
    const other = await login(user.email, password);
    const third = await login(user.email, password);

    const changed = await post(
      '/api/users/me/password',
      { currentPassword: password, newPassword: 'saffron lighthouse tandem 8' },
      bearer(accessToken),
    );
    expect(changed.statusCode).toBe(204);

    expect(await refusedWithin5s(other.accessToken)).toBe(401);
    expect(await refusedWithin5s(third.accessToken)).toBe(401);
    expect(await me(accessToken)).toBe(200);
  });

  it('a reused refresh token ends its session’s access tokens too', async () => {
    const { refreshToken } = await register(identity.app);
    const rotated = (await post('/api/auth/refresh', { refreshToken })).json() as SignedIn;
    expect(await me(rotated.accessToken)).toBe(200);

    expect((await post('/api/auth/refresh', { refreshToken })).statusCode).toBe(401);

    expect(await refusedWithin5s(rotated.accessToken)).toBe(401);
  });
});

describe('restoring revocations after a restart (the in-process bus has no history)', () => {
  it('hands a new verifier the sessions ended within a token lifetime, not older ones or live ones', async () => {
    const { user, password, accessToken, refreshToken } = await register(identity.app);
    const live = await login(user.email, password);
    const old = await login(user.email, password);
    await post('/api/auth/logout', { refreshToken });
    await post('/api/auth/logout', { refreshToken: old.refreshToken });
    await identity.db
      .updateTable('refreshTokens')
      .set({ revokedAt: new Date(Date.now() - 17 * 60_000) })
      .where('familyId', '=', sessionOf(old.accessToken))
      .execute();

    const revocations = new SessionRevocations();
    await restoreRevocations({ refreshTokens: new RefreshTokenRepository(identity.db) }, revocations, new Date());

    expect(revocations.isRevoked(sessionOf(accessToken))).toBe(true);
    expect(revocations.isRevoked(sessionOf(live.accessToken))).toBe(false);
    expect(revocations.isRevoked(sessionOf(old.accessToken))).toBe(false);
  });
});
