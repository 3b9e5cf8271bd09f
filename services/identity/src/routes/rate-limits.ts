import { createHash } from 'node:crypto';
import { type HttpApp, Problem, rateLimitFor } from '@echoplex/http';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';

interface Limit {
  max: number;
  timeWindow: string;
}

/**
 * Limits on the endpoints that take guesses or send mail, per client IP and per account. The IP
 * limits count in `onRequest` (route config, cheapest); the account limits need the parsed body,
 * so they count later, once the account is known.
 */
export const authLimits = {
  login: { ip: { max: 30, timeWindow: '1 minute' }, account: { max: 10, timeWindow: '15 minutes' } },
  register: { ip: { max: 20, timeWindow: '1 hour' }, account: { max: 5, timeWindow: '1 hour' } },
  forgot: { ip: { max: 10, timeWindow: '15 minutes' }, account: { max: 3, timeWindow: '15 minutes' } },
  refresh: { ip: { max: 60, timeWindow: '1 minute' }, account: { max: 30, timeWindow: '1 minute' } },
} satisfies Record<string, { ip: Limit; account: Limit }>;

export type AuthAction = keyof typeof authLimits;

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
export function accountLimit(app: HttpApp, enabled: boolean, action: AuthAction): AccountLimit {
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
    reply.header('retry-after', String(result.ttlInSeconds));
    throw new Problem(429, 'rate_limited', `Too many attempts for this account; retry in ${result.ttlInSeconds} s.`);
  };
}
