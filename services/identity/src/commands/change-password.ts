import { problems } from '@echoplex/http';
import { weakPassword, wrongCurrentPassword } from '../domain/identity-problems';
import { checkPassword } from '../domain/password-policy';
import { announceEndedSessions } from './announce-ended-sessions';
import type { IdentityDeps } from './identity-deps';

/**
 * Changes the password of a signed-in user. Every other session ends, its access tokens included
 * (a thief who had the old password loses access); the session making the change stays signed in,
 * since it has just proven it knows the password, and the user is not sent back to the login page.
 */
export async function changePassword(
  deps: IdentityDeps,
  input: { userId: string; sessionId?: string; currentPassword: string; newPassword: string },
  now: Date,
): Promise<void> {
  const user = await deps.users.findById(input.userId);
  if (!user) throw problems.notFound('The user');
  if (!(await deps.hasher.verify(user.passwordHash, input.currentPassword))) throw wrongCurrentPassword();
  const verdict = checkPassword(input.newPassword, user);
  if (!verdict.ok) throw weakPassword(verdict, 'newPassword');
  const passwordHash = await deps.hasher.hash(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await deps.users.update(trx, user.id, { passwordHash }, now);
    const sessionIds = await deps.refreshTokens.revokeAllOfUser(trx, user.id, now, input.sessionId);
    await announceEndedSessions(deps, trx, { userId: user.id, sessionIds, reason: 'password_changed' }, now);
  });
}
