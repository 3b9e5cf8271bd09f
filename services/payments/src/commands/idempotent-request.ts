import { createHash } from 'node:crypto';
import { Problem, problems } from '@echoplex/http';
import type { PaymentsContext } from '../payments-context';
import { IdempotencyKeyRepository } from '../repositories/idempotency-key.repository';

export interface HttpResult<T> {
  status: number;
  body: T;
}

/**
 * `Idempotency-Key` as API.md defines it: the same key with the same body gets the first response
 * again (status and body), the same key with another body is refused with 422 `idempotency_mismatch`.
 * Keys are scoped per user and route. A request that failed unexpectedly, or found nothing (404),
 * frees its key for a retry.
 */
export async function idempotent<T>(
  ctx: PaymentsContext,
  request: { scope: string; key: string | undefined; body: unknown },
  execute: () => Promise<HttpResult<T>>,
): Promise<HttpResult<T>> {
  const { scope, key } = request;
  if (key === undefined) return execute();
  if (key.length === 0 || key.length > 255) {
    throw problems.badRequest('validation_failed', 'Idempotency-Key must be 1 to 255 characters.');
  }
  const keys = new IdempotencyKeyRepository(ctx.db);
  const requestHash = createHash('sha256').update(canonicalJson(request.body)).digest('hex');
  if (!(await keys.reserve(scope, key, requestHash))) {
    const first = await keys.find(scope, key);
    if (!first) return idempotent(ctx, request, execute);
    if (first.requestHash !== requestHash) {
      throw problems.unprocessable('idempotency_mismatch', 'This Idempotency-Key was used with a different body.');
    }
    if (first.statusCode === null) {
      throw problems.conflict('conflict', 'A request with this Idempotency-Key is still in progress; retry shortly.');
    }
    if (first.statusCode >= 400) throw problemFrom(first.response as ReturnType<Problem['toJSON']>);
    return { status: first.statusCode, body: first.response as T };
  }
  try {
    const result = await execute();
    await keys.complete(scope, key, result.status, result.body);
    return result;
  } catch (error) {
    if (error instanceof Problem && error.status < 500 && error.status !== 404) {
      await keys.complete(scope, key, error.status, error.toJSON());
    } else {
      // A 404 is not final either: payments learns of a hold from the bus a moment after ticketing
      // answered the registration, so a buyer paying at once may arrive first and must be able to
      // retry with the same key (as Stripe keeps no result for a request that never started).
      await keys.release(scope, key);
    }
    throw error;
  }
}

function problemFrom(body: ReturnType<Problem['toJSON']>): Problem {
  const { status, code, detail, errors, type: _type, title: _title, ...extra } = body;
  return new Problem(status, code, detail, errors, extra);
}

function canonicalJson(value: unknown): string {
  const canonical = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    if (Array.isArray(item)) return item.map(canonical);
    return Object.fromEntries(
      Object.keys(item)
        .sort()
        .map((name) => [name, canonical((item as Record<string, unknown>)[name])]),
    );
  };
  return JSON.stringify(canonical(value ?? null));
}
