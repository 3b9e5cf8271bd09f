import { invalidCredentials } from '../domain/identity-problems';
import type { UserRow } from '../repositories/user.repository';
import type { IdentityDeps } from './identity-deps';
import { type Session, startSession } from './start-session';

export async function logIn(
  deps: IdentityDeps,
  input: { email: string; password: string },
  now: Date,
): Promise<{ user: UserRow } & Session> {
  const user = await deps.users.findByEmail(input.email);
  if (!user) {
    // As slow as a wrong password, so response time does not reveal which emails have accounts.
    await deps.hasher.verify(deps.dummyHash, input.password);
    throw invalidCredentials();
  }
  if (!(await deps.hasher.verify(user.passwordHash, input.password))) throw invalidCredentials();
  if (deps.hasher.needsRehash(user.passwordHash)) {
    // The only moment the plain password is at hand: upgrade hashes made with older parameters.
    await deps.users.replacePasswordHash(user.id, user.passwordHash, await deps.hasher.hash(input.password));
  }
  return { user, ...(await startSession(deps, deps.db, user, now)) };
}
