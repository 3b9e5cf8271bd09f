import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../src/domain/password-hashing';
import {
  bearer,
  type IdentityHarness,
  register,
  type SignedIn,
  startIdentity,
  strongPassword,
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

describe('POST /api/auth/register', () => {
  it('creates the account and signs in: user, access token, refresh token, expiresIn', async () => {
    const email = uniqueEmail('Organizer');
    const response = await post('/api/auth/register', {
      email,
      password: strongPassword,
      firstName: 'Grace',
      lastName: 'Hopper',
      role: 'organizer',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json() as SignedIn & { user: Record<string, unknown> };
    expect(body.user).toMatchObject({ email, firstName: 'Grace', lastName: 'Hopper', role: 'organizer' });
    expect(body.user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.expiresIn).toBe(900);
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await identity.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: body.user.id, email, role: 'organizer' });
  });

  it('stores an argon2id hash and only digests of refresh tokens', async () => {
    const { user, refreshToken } = await register(identity.app);
    const row = await identity.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const tokens = await identity.db.selectFrom('refreshTokens').selectAll().where('userId', '=', user.id).execute();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.tokenHash).not.toContain(refreshToken);
  });

  it('answers 409 email_taken for a used email, also in another case, and writes nothing', async () => {
    const email = uniqueEmail('dup');
    await register(identity.app, { email });
    for (const again of [email, email.toUpperCase(), `${email[0]?.toUpperCase()}${email.slice(1)}`]) {
      const response = await post('/api/auth/register', {
        email: again,
        password: strongPassword,
        firstName: 'Other',
        lastName: 'Person',
        role: 'attendee',
      });
      expect(response.statusCode).toBe(409);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 409, code: 'email_taken' });
    }
    const users = await identity.db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .execute();
    expect(users).toHaveLength(1);
  });

  it('answers 422 weak_password for short, over-long and common passwords, with a helpful message', async () => {
    const cases = [
      { password: 'x7#Lm2v', detail: /at least 8 characters/ },
      { password: `${'a1b2c3d4'.repeat(16)}x`, detail: /at most 128 characters/ },
      { password: 'password1', detail: /common or leaked passwords/ },
      { password: 'P@ssw0rd!', detail: /common or leaked passwords/ },
    ];
    for (const { password, detail } of cases) {
      const email = uniqueEmail('weak');
      const response = await post('/api/auth/register', {
        email,
        password,
        firstName: 'Weak',
        lastName: 'Password',
        role: 'attendee',
      });
      expect(response.statusCode, password).toBe(422);
      const problem = response.json();
      expect(problem).toMatchObject({ code: 'weak_password', errors: [{ path: 'password' }] });
      expect(problem.detail).toMatch(detail);
      expect(await identity.db.selectFrom('users').select('id').where('email', '=', email).execute()).toHaveLength(0);
    }
  });

  it('refuses unknown roles, bad emails and missing names as validation failures', async () => {
    const valid = { email: uniqueEmail(), password: strongPassword, firstName: 'A', lastName: 'B', role: 'attendee' };
    for (const payload of [
      { ...valid, role: 'admin' },
      { ...valid, email: 'not-an-email' },
      { ...valid, firstName: '   ' },
    ]) {
      const response = await post('/api/auth/register', payload);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'validation_failed' });
    }
  });
});

describe('POST /api/auth/login', () => {
  it('signs in with the password, the email in any case', async () => {
    const { user, password } = await register(identity.app);
    const response = await post('/api/auth/login', { email: user.email.toUpperCase(), password });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ user: { id: user.id }, expiresIn: 900 });
  });

  it('answers a wrong password and an unknown email with the very same 401 invalid_credentials', async () => {
    const { user } = await register(identity.app);
    const wrong = await post('/api/auth/login', { email: user.email, password: 'not the password at all' });
    const unknown = await post('/api/auth/login', {
      email: uniqueEmail('nobody'),
      password: 'not the password at all',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'invalid_credentials' });
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.headers['content-type']).toEqual(wrong.headers['content-type']);
  });

  it('rehashes a password hashed with older parameters on the next successful login', async () => {
    const { user, password } = await register(identity.app);
    const oldHash = await new PasswordHasher({ memoryCost: 8_192, timeCost: 1, parallelism: 1 }).hash(password);
    await identity.db.updateTable('users').set({ passwordHash: oldHash }).where('id', '=', user.id).execute();

    const failed = await post('/api/auth/login', { email: user.email, password: 'not the password at all' });
    expect(failed.statusCode).toBe(401);
    const unchanged = await identity.db
      .selectFrom('users')
      .select('passwordHash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.passwordHash).toBe(oldHash);

    expect((await post('/api/auth/login', { email: user.email, password })).statusCode).toBe(200);
    const row = await identity.db
      .selectFrom('users')
      .select('passwordHash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await post('/api/auth/login', { email: user.email, password })).statusCode).toBe(200);
  });
});

describe('POST /api/auth/refresh', () => {
  it('rotates: a new pair each time, and the old refresh token stops working', async () => {
    const { refreshToken, user } = await register(identity.app);
    const first = await post('/api/auth/refresh', { refreshToken });
    expect(first.statusCode).toBe(200);
    const next = first.json() as SignedIn;
    expect(next).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
    expect(next.refreshToken).not.toBe(refreshToken);
    const me = await identity.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(next.accessToken) });
    expect(me.json()).toMatchObject({ id: user.id });
    const second = await post('/api/auth/refresh', { refreshToken: next.refreshToken });
    expect(second.statusCode).toBe(200);
  });

  it('revokes the whole family when a rotated token is presented again', async () => {
    const { refreshToken: original } = await register(identity.app);
    const rotated = (await post('/api/auth/refresh', { refreshToken: original })).json() as SignedIn;
    const newest = (await post('/api/auth/refresh', { refreshToken: rotated.refreshToken })).json() as SignedIn;

    const reuse = await post('/api/auth/refresh', { refreshToken: original });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toMatchObject({ code: 'invalid_token' });
    // The thief or the owner holds `newest`; both lose it.
    const afterReuse = await post('/api/auth/refresh', { refreshToken: newest.refreshToken });
    expect(afterReuse.statusCode).toBe(401);
    expect(afterReuse.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('leaves the user’s other sessions alone when one family is revoked for reuse', async () => {
    const { user, password, refreshToken } = await register(identity.app);
    const otherDevice = (await post('/api/auth/login', { email: user.email, password })).json() as SignedIn;
    await post('/api/auth/refresh', { refreshToken });
    expect((await post('/api/auth/refresh', { refreshToken })).statusCode).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: otherDevice.refreshToken })).statusCode).toBe(200);
  });

  it('lets exactly one of two simultaneous exchanges of one token win, and treats the other as reuse', async () => {
    const { refreshToken } = await register(identity.app);
    const results = await Promise.all([
      post('/api/auth/refresh', { refreshToken }),
      post('/api/auth/refresh', { refreshToken }),
    ]);
    const statuses = results.map((result) => result.statusCode).sort();
    expect(statuses).toEqual([200, 401]);
    const winner = results.find((result) => result.statusCode === 200)?.json() as SignedIn;
    expect((await post('/api/auth/refresh', { refreshToken: winner.refreshToken })).statusCode).toBe(401);
  });

  it('refuses unknown and expired refresh tokens with 401 invalid_token', async () => {
    expect((await post('/api/auth/refresh', { refreshToken: 'A'.repeat(43) })).json()).toMatchObject({
      status: 401,
      code: 'invalid_token',
    });
    const { user, refreshToken } = await register(identity.app);
    await identity.db
      .updateTable('refreshTokens')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('userId', '=', user.id)
      .execute();
    const expired = await post('/api/auth/refresh', { refreshToken });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'invalid_token' });
  });
});

describe('POST /api/auth/logout', () => {
  it('answers 204 and the refresh token no longer works', async () => {
    const { refreshToken } = await register(identity.app);
    const rotated = (await post('/api/auth/refresh', { refreshToken })).json() as SignedIn;
    const response = await post('/api/auth/logout', { refreshToken: rotated.refreshToken });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect((await post('/api/auth/refresh', { refreshToken: rotated.refreshToken })).statusCode).toBe(401);
  });

  it('answers 204 for a token that is unknown or already logged out', async () => {
    const { refreshToken } = await register(identity.app);
    expect((await post('/api/auth/logout', { refreshToken })).statusCode).toBe(204);
    expect((await post('/api/auth/logout', { refreshToken })).statusCode).toBe(204);
    expect((await post('/api/auth/logout', { refreshToken: 'never-issued' })).statusCode).toBe(204);
  });
});
