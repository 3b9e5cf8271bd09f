import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type IdentityHarness,
  register,
  resetTokenFromMailbox,
  type SignedIn,
  startIdentity,
  uniqueEmail,
} from './identity-harness';

let identity: IdentityHarness;
beforeAll(async () => {
  identity = await startIdentity();
});
afterAll(async () => {
  await identity?.close();
});

const post = (url: string, payload: unknown) =>
  identity.app.inject({ method: 'POST', url, payload: payload as object });
const newPassword = 'lantern orchard pebble 19';

describe('POST /api/auth/password/forgot', () => {
  it('answers 202 with no body for known and unknown emails alike', async () => {
    const { user } = await register(identity.app);
    const known = await post('/api/auth/password/forgot', { email: user.email });
    const unknown = await post('/api/auth/password/forgot', { email: uniqueEmail('nobody') });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
  });

  it('mails a link with a single-use token valid 30 minutes, stored only as a digest', async () => {
    const { user } = await register(identity.app);
    await post('/api/auth/password/forgot', { email: user.email.toUpperCase() });
    const token = await resetTokenFromMailbox(identity.app, user.email);
    const mailbox = (await identity.app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${user.email}` })).json();
    expect(mailbox.items[0]).toMatchObject({ to: user.email, subject: 'Reset your EchoPlex password' });
    expect(mailbox.items[0].text).toContain(`/reset-password?token=${token}`);
    expect(new Date(mailbox.items[0].sentAt).toString()).not.toBe('Invalid Date');

    const rows = await identity.db
      .selectFrom('passwordResetTokens')
      .selectAll()
      .where('userId', '=', user.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).not.toBe(token);
    const lifetime = (rows[0]?.expiresAt.getTime() ?? 0) - (rows[0]?.createdAt.getTime() ?? 0);
    expect(lifetime).toBe(30 * 60 * 1000);
  });

  it('sends nothing for an unknown email', async () => {
    const email = uniqueEmail('ghost');
    await post('/api/auth/password/forgot', { email });
    // A known address in the same run proves the mail path is live, so the empty box means something.
    const { user } = await register(identity.app);
    await post('/api/auth/password/forgot', { email: user.email });
    await resetTokenFromMailbox(identity.app, user.email);
    const mailbox = (await identity.app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${email}` })).json();
    expect(mailbox.items).toEqual([]);
  });
});

describe('POST /api/auth/password/reset', () => {
  it('sets the new password, revokes every refresh token and cannot be used again', async () => {
    const { user, password, refreshToken } = await register(identity.app);
    const otherSession = (await post('/api/auth/login', { email: user.email, password })).json() as SignedIn;
    await post('/api/auth/password/forgot', { email: user.email });
    const token = await resetTokenFromMailbox(identity.app, user.email);

    const reset = await post('/api/auth/password/reset', { token, password: newPassword });
    expect(reset.statusCode).toBe(204);

    expect((await post('/api/auth/login', { email: user.email, password })).statusCode).toBe(401);
    expect((await post('/api/auth/login', { email: user.email, password: newPassword })).statusCode).toBe(200);
    for (const stale of [refreshToken, otherSession.refreshToken]) {
      expect((await post('/api/auth/refresh', { refreshToken: stale })).json()).toMatchObject({
        code: 'invalid_token',
      });
    }

    const again = await post('/api/auth/password/reset', { token, password: 'another fresh phrase 77' });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'invalid_token' });
    expect((await post('/api/auth/login', { email: user.email, password: newPassword })).statusCode).toBe(200);
  });

  it('refuses an expired token with 400 invalid_token', async () => {
    const { user, password } = await register(identity.app);
    await post('/api/auth/password/forgot', { email: user.email });
    const token = await resetTokenFromMailbox(identity.app, user.email);
    // 31 minutes later, as the database sees it.
    await identity.db
      .updateTable('passwordResetTokens')
      .set({ createdAt: new Date(Date.now() - 31 * 60_000), expiresAt: new Date(Date.now() - 60_000) })
      .where('userId', '=', user.id)
      .execute();
    const response = await post('/api/auth/password/reset', { token, password: newPassword });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid_token' });
    expect((await post('/api/auth/login', { email: user.email, password })).statusCode).toBe(200);
  });

  it('refuses an unknown token with 400 invalid_token', async () => {
    const response = await post('/api/auth/password/reset', { token: 'made-up', password: newPassword });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('refuses a weak new password with 422 and leaves the token usable', async () => {
    const { user } = await register(identity.app);
    await post('/api/auth/password/forgot', { email: user.email });
    const token = await resetTokenFromMailbox(identity.app, user.email);
    const weak = await post('/api/auth/password/reset', { token, password: 'qwerty123' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({ code: 'weak_password' });
    expect((await post('/api/auth/password/reset', { token, password: newPassword })).statusCode).toBe(204);
  });

  it('retires older reset links once one of them is used', async () => {
    const { user } = await register(identity.app);
    await post('/api/auth/password/forgot', { email: user.email });
    const older = await resetTokenFromMailbox(identity.app, user.email, 1);
    await post('/api/auth/password/forgot', { email: user.email });
    const newer = await resetTokenFromMailbox(identity.app, user.email, 2);
    expect(newer).not.toBe(older);
    expect((await post('/api/auth/password/reset', { token: newer, password: newPassword })).statusCode).toBe(204);
    expect((await post('/api/auth/password/reset', { token: older, password: newPassword })).statusCode).toBe(400);
  });
});

describe('GET /api/dev/mailbox', () => {
  it('lists stored mail newest first, filtered by recipient case-insensitively', async () => {
    const { user } = await register(identity.app);
    await post('/api/auth/password/forgot', { email: user.email });
    await resetTokenFromMailbox(identity.app, user.email, 1);
    await post('/api/auth/password/forgot', { email: user.email });
    const newest = await resetTokenFromMailbox(identity.app, user.email, 2);
    const items = await eventually(
      async () =>
        (await identity.app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${user.email.toUpperCase()}` })).json()
          .items as { text: string; sentAt: string }[],
      (found) => found.length === 2,
    );
    expect(items).toHaveLength(2);
    expect(items[0]?.text).toContain(newest);
    expect(Date.parse(items[0]?.sentAt ?? '')).toBeGreaterThanOrEqual(Date.parse(items[1]?.sentAt ?? ''));
  });
});
