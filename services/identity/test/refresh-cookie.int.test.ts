import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCookie } from '../src/routes/refresh-cookie';
import { type IdentityHarness, register, type SignedIn, startIdentity, strongPassword } from './identity-harness';

let identity: IdentityHarness;
beforeAll(async () => {
  identity = await startIdentity();
});
afterAll(async () => {
  await identity?.close();
});

/** What the SPA's own fetch carries: the header, and the browser's word that the page is ours. */
const fromOurPage = { [refreshCookie.csrfHeader]: 'fetch', 'sec-fetch-site': 'same-origin' };

function refreshCookieOf(response: LightMyRequestResponse) {
  return response.cookies.find((cookie) => cookie.name === refreshCookie.name);
}

const withCookie = (url: string, token: string, headers: Record<string, string> = fromOurPage) =>
  identity.app.inject({ method: 'POST', url, headers, cookies: { [refreshCookie.name]: token } });

describe('refresh token cookie', () => {
  it('is set by register, login and refresh as HttpOnly, Secure, SameSite=Strict, scoped to the auth routes', async () => {
    const registered = await register(identity.app);
    const login = await identity.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: registered.user.email, password: strongPassword },
    });
    const refreshed = await withCookie('/api/auth/refresh', (login.json() as SignedIn).refreshToken);
    expect(refreshed.statusCode).toBe(200);

    for (const [response, token] of [
      [login, (login.json() as SignedIn).refreshToken],
      [refreshed, expect.any(String)],
    ] as const) {
      expect(refreshCookieOf(response)).toMatchObject({
        value: token,
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
        path: '/api/auth',
        maxAge: 30 * 24 * 60 * 60,
      });
    }
  });

  it('refreshes a session from the cookie alone and rotates it: the old cookie value stops working', async () => {
    const { refreshToken, user } = await register(identity.app);
    const refreshed = await withCookie('/api/auth/refresh', refreshToken);
    expect(refreshed.statusCode).toBe(200);
    const next = refreshCookieOf(refreshed)?.value as string;
    expect(next).not.toBe(refreshToken);
    // The new token only in the cookie: a script that called refresh itself would learn nothing to keep.
    expect(Object.keys(refreshed.json()).sort()).toEqual(['accessToken', 'expiresIn']);
    const me = await identity.app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: { authorization: `Bearer ${(refreshed.json() as SignedIn).accessToken}` },
    });
    expect(me.json()).toMatchObject({ id: user.id });
    expect((await withCookie('/api/auth/refresh', next)).statusCode).toBe(200);
  });

  it('refuses the cookie without the CSRF header or from another site (403), and does not spend it', async () => {
    const { refreshToken } = await register(identity.app);
    const refused = [
      await withCookie('/api/auth/refresh', refreshToken, { 'sec-fetch-site': 'same-origin' }),
      await withCookie('/api/auth/refresh', refreshToken, { ...fromOurPage, 'sec-fetch-site': 'cross-site' }),
      await withCookie('/api/auth/refresh', refreshToken, { ...fromOurPage, 'sec-fetch-site': 'same-site' }),
      await withCookie('/api/auth/refresh', refreshToken, {
        [refreshCookie.csrfHeader]: 'fetch',
        origin: 'https://attacker.example',
      }),
      await withCookie('/api/auth/logout', refreshToken, { 'sec-fetch-site': 'same-origin' }),
      await withCookie('/api/auth/logout', refreshToken, { ...fromOurPage, 'sec-fetch-site': 'cross-site' }),
    ];
    for (const response of refused) {
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 403, code: 'forbidden' });
    }
    // Same origin by the Origin header, for browsers that do not send Sec-Fetch-Site.
    const sameOrigin = await withCookie('/api/auth/refresh', refreshToken, {
      [refreshCookie.csrfHeader]: 'fetch',
      origin: 'http://localhost:80',
      host: 'localhost:80',
    });
    expect(sameOrigin.statusCode).toBe(200);
  });

  it('ends the session on logout with the cookie, and clears the cookie', async () => {
    const { refreshToken } = await register(identity.app);
    const logout = await withCookie('/api/auth/logout', refreshToken);
    expect(logout.statusCode).toBe(204);
    expect(refreshCookieOf(logout)).toMatchObject({ value: '', path: '/api/auth' });
    expect(new Date(refreshCookieOf(logout)?.expires as Date).getTime()).toBeLessThanOrEqual(Date.now());
    const after = await withCookie('/api/auth/refresh', refreshToken);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'invalid_token' });
    // The dead cookie is cleared rather than presented again on every page load.
    expect(refreshCookieOf(after)).toMatchObject({ value: '' });
  });

  it('keeps the body form for API clients: no header needed, and the body wins over a cookie', async () => {
    const first = await register(identity.app);
    const second = await register(identity.app);
    const refreshed = await identity.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: first.refreshToken },
      cookies: { [refreshCookie.name]: second.refreshToken },
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(Object.keys(refreshed.json()).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect((await withCookie('/api/auth/refresh', second.refreshToken)).statusCode).toBe(200);

    const nothing = await identity.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: {} });
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json()).toMatchObject({ code: 'validation_failed' });
  });
});
