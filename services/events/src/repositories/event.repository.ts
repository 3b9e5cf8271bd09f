import type { Insertable, Kysely, Selectable, Transaction, Updateable } from '@echoplex/db';
import type { EventsDb, EventsTable } from '../db/schema';

/** Every stored column of an event except the generated search columns. */
export const eventColumns = [
  'id',
  'organizerId',
  'name',
  'description',
  'startTime',
  'endTime',
  'timezone',
  'location',
  'city',
  'country',
  'online',
  'capacity',
  'categories',
  'imageKey',
  'status',
  'soldOut',
  'seatsTaken',
  'selfServiceRefundUntil',
  'maxTicketsPerAccount',
  'publishedAt',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof EventsTable)[];

export type EventRow = Selectable<EventsTable>;

export class EventRepository {
  constructor(private readonly db: Kysely<EventsDb>) {}

  findById(id: string): Promise<EventRow | undefined> {
    return this.db.selectFrom('events').select(eventColumns).where('id', '=', id).executeTakeFirst();
  }

  /** Locks the row: writes to one event (and seat counts from the consumer) happen one at a time. */
  findForUpdate(trx: Transaction<EventsDb>, id: string): Promise<EventRow | undefined> {
    return trx.selectFrom('events').select(eventColumns).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  insert(trx: Transaction<EventsDb>, event: Insertable<EventsTable>): Promise<EventRow> {
    return trx.insertInto('events').values(event).returning(eventColumns).executeTakeFirstOrThrow();
  }

  update(trx: Transaction<EventsDb>, id: string, changes: Updateable<EventsTable>): Promise<EventRow> {
    return trx
      .updateTable('events')
      .set(changes)
      .where('id', '=', id)
      .returning(eventColumns)
      .executeTakeFirstOrThrow();
  }

  async delete(trx: Transaction<EventsDb>, id: string): Promise<void> {
    await trx.deleteFrom('events').where('id', '=', id).execute();
  }
}
