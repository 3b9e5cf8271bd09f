import type { IncomingMessage } from '@echoplex/bus';
import { eventually } from '@echoplex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  collectPublished,
  type IdentityHarness,
  register,
  type SignedIn,
  startIdentity,
  uniqueEmail,
} from './identity-harness';

let identity: IdentityHarness;
let published: IncomingMessage[] = [];
beforeAll(async () => {
  identity = await startIdentity();
  published = await collectPublished(identity, 'identity.user.v1', 'profile-test');
});
afterAll(async () => {
  await identity?.close();
});

const post = (url: string, payload: unknown, headers = {}) =>
  identity.app.inject({ method: 'POST', url, payload: payload as object, headers });
const eventsFor = (userId: string) => published.filter((message) => message.key === userId);

describe('GET /api/users/me', () => {
  it('answers 401 unauthorized without a token', async () => {
    const response = await identity.app.inject({ method: 'GET', url: '/api/users/me' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'unauthorized' });
  });
});

describe('PATCH /api/users/me', () => {
  it('updates names, phone and avatar, clears with null, and publishes user.updated', async () => {
    const { user, accessToken } = await register(identity.app, { role: 'organizer' });
    const patch = (payload: object) =>
      identity.app.inject({ method: 'PATCH', url: '/api/users/me', payload, headers: bearer(accessToken) });

    const updated = await patch({
      firstName: 'Augusta',
      phone: '+44 20 7946 0958',
      avatarUrl: 'https://cdn.example.test/a.png',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      id: user.id,
      firstName: 'Augusta',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0958',
      avatarUrl: 'https://cdn.example.test/a.png',
      role: 'organizer',
    });
    expect(Date.parse(updated.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(updated.json().createdAt));

    const cleared = await patch({ phone: null });
    expect(cleared.json()).not.toHaveProperty('phone');
    expect(cleared.json()).toMatchObject({ avatarUrl: 'https://cdn.example.test/a.png' });

    const events = await eventually(
      async () => eventsFor(user.id),
      (found) => found.length === 3,
    );
    expect(events.map((event) => event.headers.ce_type)).toEqual(['user.registered', 'user.updated', 'user.updated']);
    expect(JSON.parse(events[0]?.value ?? '{}')).toMatchObject({
      userId: user.id,
      email: user.email,
      role: 'organizer',
    });
    expect(JSON.parse(events[1]?.value ?? '{}')).toEqual({
      userId: user.id,
      firstName: 'Augusta',
      lastName: 'Lovelace',
      role: 'organizer',
    });
  });

  it('refuses invalid fields and an empty patch with 422, and changes nothing', async () => {
    const { user, accessToken } = await register(identity.app);
    for (const payload of [{}, { avatarUrl: 'javascript:alert(1)' }, { phone: 'call me' }, { firstName: '' }]) {
      const response = await identity.app.inject({
        method: 'PATCH',
        url: '/api/users/me',
        payload,
        headers: bearer(accessToken),
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
    }
    const row = await identity.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ firstName: 'Ada', phone: null, avatarUrl: null });
  });

  it('answers 401 without a token', async () => {
    const response = await identity.app.inject({ method: 'PATCH', url: '/api/users/me', payload: { firstName: 'X' } });
    expect(response.statusCode).toBe(401);
  });
});

describe('identity.user.v1', () => {
  it('publishes user.registered with the account, keyed by user id, and nothing for a refused registration', async () => {
    const email = uniqueEmail('events');
    const { user } = await register(identity.app, { email, firstName: 'Mary', lastName: 'Somerville' });
    const refused = await post('/api/auth/register', {
      email: email.toUpperCase(),
      password: 'violet kettle harbour 42',
      firstName: 'Copy',
      lastName: 'Cat',
      role: 'attendee',
    });
    expect(refused.statusCode).toBe(409);
    const events = await eventually(
      async () => eventsFor(user.id),
      (found) => found.length === 1,
    );
    expect(events[0]).toMatchObject({ topic: 'identity.user.v1', key: user.id });
    expect(events[0]?.headers).toMatchObject({
      ce_type: 'user.registered',
      ce_source: 'identity',
      ce_subject: user.id,
    });
    expect(JSON.parse(events[0]?.value ?? '{}')).toEqual({
      userId: user.id,
      email,
      firstName: 'Mary',
      lastName: 'Somerville',
      role: 'attendee',
    });
    const outbox = await identity.db.selectFrom('outbox').select('type').where('aggregateid', '=', user.id).execute();
    expect(outbox).toEqual([{ type: 'user.registered' }]);
  });
});

describe('POST /api/users/me/password', () => {
  it('changes the password and signs out the other sessions, not this one', async () => {
    const { user, password, accessToken, refreshToken } = await register(identity.app);
    const other = (await post('/api/auth/login', { email: user.email, password })).json() as SignedIn;
    const newPassword = 'saffron lighthouse tandem 8';

    const response = await post(
      '/api/users/me/password',
      { currentPassword: password, newPassword },
      bearer(accessToken),
    );
    expect(response.statusCode).toBe(204);

    expect((await post('/api/auth/login', { email: user.email, password })).statusCode).toBe(401);
    expect((await post('/api/auth/login', { email: user.email, password: newPassword })).statusCode).toBe(200);
    expect((await post('/api/auth/refresh', { refreshToken: other.refreshToken })).statusCode).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken })).statusCode).toBe(200);
  });

  it('refuses a wrong current password with 403 invalid_credentials and a weak new one with 422', async () => {
    const { password, accessToken } = await register(identity.app);
    const wrong = await post(
      '/api/users/me/password',
      { currentPassword: 'not my password', newPassword: 'saffron lighthouse tandem 8' },
      bearer(accessToken),
    );
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'invalid_credentials' });
    const weak = await post(
      '/api/users/me/password',
      { currentPassword: password, newPassword: 'letmein1' },
      bearer(accessToken),
    );
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({ code: 'weak_password', errors: [{ path: 'newPassword' }] });
    const tooLong = await post(
      '/api/users/me/password',
      { currentPassword: password, newPassword: 'z'.repeat(60) + 'q'.repeat(69) },
      bearer(accessToken),
    );
    expect(tooLong.json()).toMatchObject({ status: 422, code: 'weak_password' });
  });

  it('answers 401 without a token', async () => {
    const response = await post('/api/users/me/password', { currentPassword: 'a', newPassword: 'b' });
    expect(response.statusCode).toBe(401);
  });
});
