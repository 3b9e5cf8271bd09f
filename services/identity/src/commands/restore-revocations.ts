import type { SessionRevocations } from '@echoplex/http';
import { revokedSessionTokensLiveMs } from '../domain/token-rules';
import type { IdentityDeps } from './identity-deps';

/**
 * Hands the in-process verifier the sessions that ended while access tokens issued for them may
 * still be alive. Needed only with the in-process bus, which has no history to read them from after
 * a restart; verifiers on Kafka read `identity.session.v1` from the beginning instead.
 */
export async function restoreRevocations(
  deps: Pick<IdentityDeps, 'refreshTokens'>,
  revocations: SessionRevocations,
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - revokedSessionTokensLiveMs);
  for (const { familyId, revokedAt } of await deps.refreshTokens.revokedSince(since)) {
    revocations.revoke([familyId], revokedAt.getTime() + revokedSessionTokensLiveMs, now.getTime());
  }
}
