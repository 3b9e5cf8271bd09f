import { invalidRefreshToken } from '../domain/identity-problems';
import { digestToken } from '../domain/opaque-token';
import { judgeRefreshToken } from '../domain/token-rules';
import { announceEndedSessions } from './announce-ended-sessions';
import type { IdentityDeps } from './identity-deps';
import { type Session, startSession } from './start-session';

/**
 * Exchanges a refresh token for a new pair (rotation). Presenting a token that was already
 * exchanged revokes its whole family: the legitimate holder and a thief both lose the session.
 * `admit` runs once the account is known and may refuse (the per-account rate limit).
 */
export async function refreshSession(
  deps: IdentityDeps,
  input: { refreshToken: string; admit?: (userId: string) => Promise<void> },
  now: Date,
): Promise<Session> {
  const token = await deps.refreshTokens.findByHash(digestToken(input.refreshToken));
  if (token && input.admit) await input.admit(token.userId);
  const verdict = judgeRefreshToken(token, now);
  if (!token || verdict === 'unknown' || verdict === 'revoked' || verdict === 'expired') throw invalidRefreshToken();
  if (verdict === 'reuse') {
    await revokeOnReuse(deps, token.familyId, token.userId, now);
    throw invalidRefreshToken();
  }
  const session = await deps.db.transaction().execute(async (trx) => {
    if (!(await deps.refreshTokens.claim(trx, token.id, now))) return undefined;
    return startSession(deps, trx, { id: token.userId, role: token.role }, now, token.familyId);
  });
  if (!session) {
    // Another request exchanged the same token a moment ago: that is reuse as well.
    await revokeOnReuse(deps, token.familyId, token.userId, now);
    throw invalidRefreshToken();
  }
  return session;
}

async function revokeOnReuse(deps: IdentityDeps, familyId: string, userId: string, now: Date) {
  await deps.db.transaction().execute(async (trx) => {
    const sessionIds = await deps.refreshTokens.revokeFamily(trx, familyId, now);
    await announceEndedSessions(deps, trx, { userId, sessionIds, reason: 'refresh_token_reused' }, now);
  });
  deps.log.warn({ userId, familyId }, 'refresh token reused; session family revoked');
}
