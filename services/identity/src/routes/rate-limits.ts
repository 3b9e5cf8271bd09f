import { createHash } from 'node:crypto';
import { type HttpApp, Problem, rateLimitFor } from '@echoplex/http';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { LoginAttempts } from '../commands/log-in';
import { loginFailureKey, loginFailuresForgottenBefore, loginRetryAfterSeconds } from '../domain/login-backoff';
import type { LoginFailureRepository } from '../repositories/login-failure.repository';

interface Limit {
  max: number;
  timeWindow: string;
}

/**
 * Limits on the endpoints that take guesses or send mail, per client IP and per account. The IP
 * limits count in `onRequest` (route config, cheapest); the account limits need the parsed body,
 * so they count later, once the account is known. Logins have no per-account limit, which would let
 * anyone lock an account: failures back off per account and address instead (`loginAttempts`).
 */
export const authLimits = {
  login: { ip: { max: 30, timeWindow: '1 minute' } },
  register: { ip: { max: 20, timeWindow: '1 hour' }, account: { max: 5, timeWindow: '1 hour' } },
  forgot: { ip: { max: 10, timeWindow: '15 minutes' }, account: { max: 3, timeWindow: '15 minutes' } },
  refresh: { ip: { max: 60, timeWindow: '1 minute' }, account: { max: 30, timeWindow: '1 minute' } },
  // Each wrong current password is a guess and costs a hash, like a login.
  changePassword: { ip: { max: 20, timeWindow: '15 minutes' }, account: { max: 5, timeWindow: '15 minutes' } },
} satisfies Record<string, { ip: Limit; account?: Limit }>;

export type AuthAction = keyof typeof authLimits;
type AccountAction = { [A in AuthAction]: (typeof authLimits)[A] extends { account: Limit } ? A : never }[AuthAction];

export function ipLimit(enabled: boolean, action: AuthAction): FastifyContextConfig {
  const { max, timeWindow } = authLimits[action].ip;
  return rateLimitFor(enabled, max, timeWindow);
}

/** Counts one attempt against an account and answers 429 with `Retry-After` past the limit. */
export type AccountLimit = (request: FastifyRequest, reply: FastifyReply, account: string) => Promise<void>;

/**
 * Per-account limits on the host's rate-limit store (memory, or Redis shared by every instance),
 * through `createRateLimit`, which takes the key from a generator like route limits do. A route's
 * `config.rateLimit` cannot do this: there is one per route (taken by the IP limit) and its key
 * is computed in `onRequest`, before the body with the email is parsed.
 */
export function accountLimit(app: HttpApp, enabled: boolean, action: AccountAction): AccountLimit {
  if (!enabled) return async () => {};
  const { max, timeWindow } = authLimits[action].account;
  const accounts = new WeakMap<FastifyRequest, string>();
  const consume = app.createRateLimit({
    max,
    timeWindow,
    // Keys name a digest, not the email: the store (Redis) holds no personal data.
    keyGenerator: (request) => `identity:${action}:account:${accounts.get(request)}`,
  });
  return async (request, reply, account) => {
    accounts.set(request, createHash('sha256').update(account.trim().toLowerCase()).digest('base64url'));
    const result = await consume(request);
    if (result.isAllowed || !result.isExceeded) return;
    throw rateLimited(reply, result.ttlInSeconds, 'Too many attempts for this account');
  };
}

/**
 * The login backoff of one client for the account it names (see `loginBackoff`): refused with 429
 * and the rest of the wait in `Retry-After` while it lasts.
 */
export function loginAttempts(failures: LoginFailureRepository, enabled: boolean, clock: () => Date) {
  return (request: FastifyRequest, reply: FastifyReply, email: string): LoginAttempts | undefined => {
    if (!enabled) return undefined;
    const key = loginFailureKey(email, request.ip);
    return {
      async admit() {
        const retryAfter = loginRetryAfterSeconds(await failures.find(key), clock());
        if (retryAfter > 0) throw rateLimited(reply, retryAfter, 'Too many failed sign-ins from here');
      },
      failed: () => failures.recordFailure(key, clock(), loginFailuresForgottenBefore(clock())),
      succeeded: () => failures.forget(key),
    };
  };
}

function rateLimited(reply: FastifyReply, retryAfterSeconds: number, reason: string): Problem {
  reply.header('retry-after', String(retryAfterSeconds));
  return new Problem(429, 'rate_limited', `${reason}; retry in ${retryAfterSeconds} s.`);
}
