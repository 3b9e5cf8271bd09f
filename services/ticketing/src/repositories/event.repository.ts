import type { EventState } from '@echoplex/contracts';
import type { Kysely, Selectable, Transaction } from '@echoplex/db';
import type { EventsTable, TicketingDb } from '../db/schema';

export type EventRow = Selectable<EventsTable>;

/** The local read model of the events this service sells for, kept from events.event.v1. */
export class EventRepository {
  constructor(private readonly db: Kysely<TicketingDb>) {}

  find(id: string, executor: Kysely<TicketingDb> = this.db): Promise<EventRow | undefined> {
    return executor.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findForUpdate(trx: Transaction<TicketingDb>, id: string): Promise<EventRow | undefined> {
    return trx.selectFrom('events').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** Stores the event's latest state; every change bumps the availability version of the event. */
  async apply(
    trx: Transaction<TicketingDb>,
    state: EventState,
    now: Date,
  ): Promise<{ previous: EventRow | undefined; current: EventRow }> {
    const previous = await this.findForUpdate(trx, state.eventId);
    const values = {
      organizerId: state.organizerId,
      name: state.name,
      status: state.status,
      startTime: new Date(state.startTime),
      endTime: new Date(state.endTime),
      capacity: state.capacity,
      selfServiceRefundUntil: state.refundPolicy ? new Date(state.refundPolicy.selfServiceUntil) : null,
      maxTicketsPerAccount: state.maxTicketsPerAccount ?? null,
      updatedAt: now,
    };
    const current = previous
      ? await trx
          .updateTable('events')
          .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
          .where('id', '=', state.eventId)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('events')
          .values({ id: state.eventId, ...values })
          .returningAll()
          .executeTakeFirstOrThrow();
    return { previous, current };
  }

  async markDeleted(trx: Transaction<TicketingDb>, id: string, now: Date): Promise<EventRow | undefined> {
    return trx
      .updateTable('events')
      .set((eb) => ({ status: 'deleted', updatedAt: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }
}
