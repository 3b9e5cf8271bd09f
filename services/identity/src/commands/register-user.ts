import { isUniqueViolation } from '@echoplex/db';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../db/schema';
import { emailTaken, weakPassword } from '../domain/identity-problems';
import { checkPassword } from '../domain/password-policy';
import type { UserRow } from '../repositories/user.repository';
import type { IdentityDeps } from './identity-deps';
import { type Session, startSession } from './start-session';

export interface Registration {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  role: Role;
}

export async function registerUser(
  deps: IdentityDeps,
  input: Registration,
  now: Date,
): Promise<{ user: UserRow } & Session> {
  const verdict = checkPassword(input.password, input);
  if (!verdict.ok) throw weakPassword(verdict, 'password');
  // Answers a taken email before spending a hash on it; the unique index still decides races.
  if (await deps.users.findByEmail(input.email)) throw emailTaken();
  const passwordHash = await deps.hasher.hash(input.password);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const user = await deps.users.insert(trx, {
        id: uuidv7(),
        email: input.email,
        passwordHash,
        firstName: input.firstName,
        lastName: input.lastName,
        role: input.role,
        createdAt: now,
        updatedAt: now,
      });
      await deps.outbox.append(trx, {
        topic: 'identity.user.v1',
        type: 'user.registered',
        key: user.id,
        data: {
          userId: user.id,
          email: user.email,
          firstName: user.firstName,
          lastName: user.lastName,
          role: user.role,
        },
      });
      return { user, ...(await startSession(deps, trx, user, now)) };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_lower_key')) throw emailTaken();
    throw error;
  }
}
