import { problems } from '@echoplex/http';
import type { UserRow } from '../repositories/user.repository';
import type { IdentityDeps } from './identity-deps';

export interface ProfileChanges {
  firstName?: string;
  lastName?: string;
  /** `null` clears the field. */
  phone?: string | null;
  avatarUrl?: string | null;
}

export async function updateProfile(
  deps: IdentityDeps,
  input: { userId: string; changes: ProfileChanges },
  now: Date,
): Promise<UserRow> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await deps.users.update(trx, input.userId, input.changes, now);
    if (!user) throw problems.notFound('The user');
    await deps.outbox.append(trx, {
      topic: 'identity.user.v1',
      type: 'user.updated',
      key: user.id,
      data: { userId: user.id, firstName: user.firstName, lastName: user.lastName, role: user.role },
    });
    return user;
  });
}
