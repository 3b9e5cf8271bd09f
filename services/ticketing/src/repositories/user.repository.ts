import type { Kysely, Transaction } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';

/** Names and emails of users, learnt from identity.user.v1, for the organizer's attendee list. */
export class UserRepository {
  constructor(private readonly db: Kysely<TicketingDb>) {}

  async upsert(
    trx: Transaction<TicketingDb>,
    user: { id: string; email?: string; firstName: string; lastName: string },
    now: Date,
  ): Promise<void> {
    await trx
      .insertInto('users')
      .values({ ...user, email: user.email ?? null, updatedAt: now })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          firstName: user.firstName,
          lastName: user.lastName,
          updatedAt: now,
          ...(user.email ? { email: user.email } : {}),
        }),
      )
      .execute();
  }

  findMany(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  }
}
