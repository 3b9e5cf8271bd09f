import { digestToken } from '../domain/opaque-token';
import { announceEndedSessions } from './announce-ended-sessions';
import type { IdentityDeps } from './identity-deps';

/** Ends the session the token belongs to; an unknown or dead token is already logged out. */
export async function logOut(deps: IdentityDeps, input: { refreshToken: string }, now: Date): Promise<void> {
  const token = await deps.refreshTokens.findByHash(digestToken(input.refreshToken));
  if (!token) return;
  await deps.db.transaction().execute(async (trx) => {
    const sessionIds = await deps.refreshTokens.revokeFamily(trx, token.familyId, now);
    await announceEndedSessions(deps, trx, { userId: token.userId, sessionIds, reason: 'logout' }, now);
  });
}
