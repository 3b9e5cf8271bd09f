import type { Kysely } from '@echoplex/db';
import type { PaymentsDb } from '../db/schema';

export class EventOwnerRepository {
  constructor(private readonly db: Kysely<PaymentsDb>) {}

  async organizerOf(eventId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('eventOwners')
      .select('organizerId')
      .where('eventId', '=', eventId)
      .executeTakeFirst();
    return row?.organizerId;
  }

  async record(eventId: string, organizerId: string): Promise<void> {
    await this.db
      .insertInto('eventOwners')
      .values({ eventId, organizerId })
      .onConflict((oc) => oc.column('eventId').doUpdateSet({ organizerId, updatedAt: new Date() }))
      .execute();
  }
}
