import { createHash } from 'node:crypto';
import { isUniqueViolation } from '@echoplex/db';
import { Problem, problems } from '@echoplex/http';
import type { StoredResponse } from '../repositories/idempotency.repository';
import type { TicketingContext } from '../ticketing-context';

export interface Outcome {
  statusCode: number;
  body: unknown;
}

/**
 * The key to store with the operation's success, in the same transaction as its effect. Storing it
 * fails with a unique violation of `idempotency_keys_pk` when another request with the key won.
 */
export interface KeyClaim {
  userId: string;
  key: string;
  requestHash: string;
}

/**
 * `Idempotency-Key` handling (keys are scoped per user). The first request's outcome is stored —
 * a success in the same transaction as its effect, a refusal (4xx but 429) right after — and a retry with
 * the same key and the same body gets it again; the same key with another body is refused. Two
 * concurrent requests with one key serialize on the key's row: the second sees the first's outcome.
 */
export async function runIdempotently(
  ctx: TicketingContext,
  request: { userId: string; key: string | undefined; body: unknown },
  operation: (claim: KeyClaim | undefined) => Promise<Outcome>,
): Promise<Outcome> {
  const { userId, key } = request;
  if (key === undefined) return operation(undefined);
  const requestHash = createHash('sha256').update(canonicalJson(request.body)).digest('base64url');
  const replay = (stored: StoredResponse | undefined): Outcome => {
    if (!stored) throw problems.unavailable('The first request with this Idempotency-Key is still being handled.');
    if (stored.requestHash !== requestHash) {
      throw problems.unprocessable(
        'idempotency_mismatch',
        'This Idempotency-Key was already used with a different request body.',
      );
    }
    return { statusCode: stored.statusCode, body: stored.body };
  };

  const stored = await ctx.idempotency.find(userId, key);
  if (stored) return replay(stored);
  try {
    return await operation({ userId, key, requestHash });
  } catch (error) {
    if (isUniqueViolation(error, 'idempotency_keys_pk')) return replay(await ctx.idempotency.find(userId, key));
    // A 429 says "not now": a retry with the key after the wait must be judged again.
    if (error instanceof Problem && error.status < 500 && error.status !== 429) {
      const refusal = { requestHash, statusCode: error.status, body: error.toJSON() };
      if (!(await ctx.idempotency.claim(ctx.db, userId, key, refusal))) {
        return replay(await ctx.idempotency.find(userId, key));
      }
    }
    throw error;
  }
}

/** JSON with object keys sorted, so two spellings of one body hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
