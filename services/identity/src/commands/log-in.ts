import { invalidCredentials } from '../domain/identity-problems';
import type { UserRow } from '../repositories/user.repository';
import type { IdentityDeps } from './identity-deps';
import { type Session, startSession } from './start-session';

/** Keeps count of one client's logins to one account; `admit` may refuse before any password is checked. */
export interface LoginAttempts {
  admit(): Promise<void>;
  failed(): Promise<void>;
  succeeded(): Promise<void>;
}

export async function logIn(
  deps: IdentityDeps,
  input: { email: string; password: string; attempts?: LoginAttempts },
  now: Date,
): Promise<{ user: UserRow } & Session> {
  await input.attempts?.admit();
  const user = await deps.users.findByEmail(input.email);
  if (!user) {
    // As slow as a wrong password, so response time does not reveal which emails have accounts.
    await deps.hasher.verify(deps.dummyHash, input.password);
    await input.attempts?.failed();
    throw invalidCredentials();
  }
  if (!(await deps.hasher.verify(user.passwordHash, input.password))) {
    await input.attempts?.failed();
    throw invalidCredentials();
  }
  await input.attempts?.succeeded();
  if (deps.hasher.needsRehash(user.passwordHash)) {
    // The only moment the plain password is at hand: upgrade hashes made with older parameters.
    await deps.users.replacePasswordHash(user.id, user.passwordHash, await deps.hasher.hash(input.password));
  }
  return { user, ...(await startSession(deps, deps.db, user, now)) };
}
