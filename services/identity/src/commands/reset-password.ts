import { invalidResetToken, weakPassword } from '../domain/identity-problems';
import { digestToken } from '../domain/opaque-token';
import { checkPassword } from '../domain/password-policy';
import { judgePasswordReset } from '../domain/token-rules';
import { announceEndedSessions } from './announce-ended-sessions';
import type { IdentityDeps } from './identity-deps';

/** Sets a new password with a reset token; the token is spent and every session of the user ends. */
export async function resetPassword(
  deps: IdentityDeps,
  input: { token: string; password: string },
  now: Date,
): Promise<void> {
  const reset = await deps.passwordResets.findByHash(digestToken(input.token));
  if (!reset || judgePasswordReset(reset, now) !== 'valid') throw invalidResetToken();
  const user = await deps.users.findById(reset.userId);
  if (!user) throw invalidResetToken();
  // Checked before the token is spent, so a refused password leaves the link usable.
  const verdict = checkPassword(input.password, user);
  if (!verdict.ok) throw weakPassword(verdict, 'password');
  const passwordHash = await deps.hasher.hash(input.password);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deps.passwordResets.claim(trx, reset.id, now))) throw invalidResetToken();
    await deps.users.update(trx, user.id, { passwordHash }, now);
    await deps.passwordResets.closeAllOfUser(trx, user.id, now);
    const sessionIds = await deps.refreshTokens.revokeAllOfUser(trx, user.id, now);
    await announceEndedSessions(deps, trx, { userId: user.id, sessionIds, reason: 'password_reset' }, now);
  });
}
