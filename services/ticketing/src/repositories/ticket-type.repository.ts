import type { Insertable, Kysely, Selectable, Transaction, Updateable } from '@echoplex/db';
import type { TicketingDb, TicketTypesTable } from '../db/schema';
import type { EventRow } from './event.repository';

export type TicketTypeRow = Selectable<TicketTypesTable>;

export class TicketTypeRepository {
  constructor(private readonly db: Kysely<TicketingDb>) {}

  /** Live (not deleted) ticket types of an event, oldest first. */
  listForEvent(eventId: string): Promise<TicketTypeRow[]> {
    return this.db
      .selectFrom('ticketTypes')
      .selectAll()
      .where('eventId', '=', eventId)
      .where('deletedAt', 'is', null)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  }

  find(eventId: string, id: string): Promise<TicketTypeRow | undefined> {
    return this.db
      .selectFrom('ticketTypes')
      .selectAll()
      .where('id', '=', id)
      .where('eventId', '=', eventId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
  }

  /** The ticket type with its event's read model, in one query: what a registration is checked against. */
  async findForSale(eventId: string, id: string): Promise<{ ticketType: TicketTypeRow; event: EventRow } | undefined> {
    const row = await this.db
      .selectFrom('ticketTypes')
      .innerJoin('events', 'events.id', 'ticketTypes.eventId')
      .selectAll('ticketTypes')
      .select([
        'events.organizerId as eventOrganizerId',
        'events.name as eventName',
        'events.status as eventStatus',
        'events.startTime as eventStartTime',
        'events.endTime as eventEndTime',
        'events.capacity as eventCapacity',
        'events.selfServiceRefundUntil as eventSelfServiceRefundUntil',
        'events.maxTicketsPerAccount as eventMaxTicketsPerAccount',
        'events.taken as eventTaken',
        'events.version as eventVersion',
        'events.updatedAt as eventUpdatedAt',
      ])
      .where('ticketTypes.id', '=', id)
      .where('ticketTypes.eventId', '=', eventId)
      .where('ticketTypes.deletedAt', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const {
      eventOrganizerId,
      eventName,
      eventStatus,
      eventStartTime,
      eventEndTime,
      eventCapacity,
      eventSelfServiceRefundUntil,
      eventMaxTicketsPerAccount,
      eventTaken,
      eventVersion,
      eventUpdatedAt,
      ...ticketType
    } = row;
    return {
      ticketType,
      event: {
        id: eventId,
        organizerId: eventOrganizerId,
        name: eventName,
        status: eventStatus,
        startTime: eventStartTime,
        endTime: eventEndTime,
        capacity: eventCapacity,
        selfServiceRefundUntil: eventSelfServiceRefundUntil,
        maxTicketsPerAccount: eventMaxTicketsPerAccount,
        taken: eventTaken,
        version: eventVersion,
        updatedAt: eventUpdatedAt,
      },
    };
  }

  async insert(trx: Transaction<TicketingDb>, ticketType: Insertable<TicketTypesTable>): Promise<TicketTypeRow> {
    return trx.insertInto('ticketTypes').values(ticketType).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * Applies a change unless it would set the quantity below the seats already held: the check and the
   * write are one statement, so a registration committing in between cannot slip under it.
   */
  async update(
    trx: Transaction<TicketingDb>,
    id: string,
    changes: Updateable<TicketTypesTable>,
  ): Promise<TicketTypeRow | undefined> {
    let query = trx.updateTable('ticketTypes').set(changes).where('id', '=', id).where('deletedAt', 'is', null);
    if (changes.quantity !== undefined) query = query.where('sold', '<=', changes.quantity as number);
    return query.returningAll().executeTakeFirst();
  }

  /** Deletes (softly: registrations keep referring to it) only while no seat is held. */
  async deleteUnsold(
    trx: Transaction<TicketingDb>,
    eventId: string,
    id: string,
    now: Date,
  ): Promise<TicketTypeRow | undefined> {
    return trx
      .updateTable('ticketTypes')
      .set({ deletedAt: now, updatedAt: now })
      .where('id', '=', id)
      .where('eventId', '=', eventId)
      .where('deletedAt', 'is', null)
      .where('sold', '=', 0)
      .returningAll()
      .executeTakeFirst();
  }
}
