import { problems } from '@echoplex/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { refreshTokenLifetimeMs } from '../domain/token-rules';

/**
 * The SPA's refresh token lives in this cookie, out of reach of page scripts (HttpOnly), sent only
 * over TLS (Secure; browsers treat http://localhost as secure too), never on a request another site
 * starts (SameSite=Strict), and only to the auth routes that take it (Path).
 */
export const refreshCookie = {
  name: 'echoplex_refresh',
  path: '/api/auth',
  /** The header a cookie-authenticated request must carry; a page on another site cannot send it without CORS. */
  csrfHeader: 'x-requested-with',
};

const attributes = { httpOnly: true, secure: true, sameSite: 'strict', path: refreshCookie.path } as const;

export function setRefreshCookie(reply: FastifyReply, refreshToken: string): void {
  reply.setCookie(refreshCookie.name, refreshToken, { ...attributes, maxAge: refreshTokenLifetimeMs / 1000 });
}

export function clearRefreshCookie(reply: FastifyReply): void {
  reply.clearCookie(refreshCookie.name, attributes);
}

/**
 * The refresh token of a request: the body's for API clients, else the cookie's, which is taken only
 * from a request this site's own pages sent (see `requireSameOrigin`); 422 without either.
 */
export function presentedRefreshToken(
  request: FastifyRequest,
  fromBody: string | undefined,
  publicUrl: string,
): { token: string; from: 'body' | 'cookie' } {
  if (fromBody !== undefined) return { token: fromBody, from: 'body' };
  const token = request.cookies[refreshCookie.name];
  if (!token) {
    throw problems.validation([
      { path: 'body.refreshToken', message: 'is required (in the body or the session cookie)' },
    ]);
  }
  requireSameOrigin(request, publicUrl);
  return { token, from: 'cookie' };
}

/**
 * CSRF protection where the cookie authenticates, in two layers: the custom header (a cross-site
 * form or fetch cannot add it without a CORS preflight, which we never grant), and the browser's own
 * word on where the request came from: `Sec-Fetch-Site`, else `Origin` against this host (the
 * scheme of Go's `http.CrossOriginProtection`). A request with neither is not from a browser.
 */
function requireSameOrigin(request: FastifyRequest, publicUrl: string): void {
  if (!request.headers[refreshCookie.csrfHeader]) {
    throw problems.forbidden(`A request authenticated by the session cookie must carry ${refreshCookie.csrfHeader}.`);
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') return;
    throw crossOrigin();
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (!sameHost(origin, request.headers.host) && !sameHost(origin, hostOf(publicUrl))) throw crossOrigin();
}

const crossOrigin = () => problems.forbidden('The session cookie is not accepted on a request from another site.');

/** `origin` names `host`; the Host header is read with the origin's scheme, so default ports compare equal. */
function sameHost(origin: string, host: string | undefined): boolean {
  const originHost = hostOf(origin);
  if (originHost === undefined || host === undefined) return false;
  return hostOf(`${origin.slice(0, origin.indexOf(':'))}://${host}`) === originHost;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
