import type { SessionRevoked } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { IdentityDb } from '../db/schema';
import { revokedSessionTokensLiveMs } from '../domain/token-rules';
import type { IdentityDeps } from './identity-deps';

/**
 * Tells every token verifier, in the transaction that revoked them, that these sessions ended, so
 * their access tokens stop working everywhere instead of living out their 15 minutes.
 */
export async function announceEndedSessions(
  deps: Pick<IdentityDeps, 'outbox'>,
  trx: Transaction<IdentityDb>,
  ended: { userId: string; sessionIds: string[]; reason: SessionRevoked['reason'] },
  now: Date,
): Promise<void> {
  if (ended.sessionIds.length === 0) return;
  await deps.outbox.append(trx, {
    topic: 'identity.session.v1',
    type: 'session.revoked',
    key: ended.userId,
    data: {
      userId: ended.userId,
      sessionIds: ended.sessionIds,
      reason: ended.reason,
      accessTokensExpireBy: new Date(now.getTime() + revokedSessionTokensLiveMs).toISOString(),
    },
  });
}
