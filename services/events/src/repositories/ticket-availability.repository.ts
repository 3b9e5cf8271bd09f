import type { AvailabilityChanged } from '@echoplex/contracts';
import { sql, type Transaction } from '@echoplex/db';
import type { EventsDb } from '../db/schema';

/** Seats left per ticket type, and the event's `sold_out` flag derived from them. */
export class TicketAvailabilityRepository {
  /** Keeps the newest version per ticket type: an older message arriving late changes nothing. */
  async record(trx: Transaction<EventsDb>, change: AvailabilityChanged): Promise<void> {
    await trx
      .insertInto('ticketTypeAvailability')
      .values({
        ticketTypeId: change.ticketTypeId,
        eventId: change.eventId,
        available: change.available,
        quantity: change.quantity,
        version: change.version,
      })
      .onConflict((oc) =>
        oc
          .column('ticketTypeId')
          .doUpdateSet((eb) => ({
            available: eb.ref('excluded.available'),
            quantity: eb.ref('excluded.quantity'),
            version: eb.ref('excluded.version'),
            updatedAt: sql`now()`,
          }))
          .where('ticketTypeAvailability.version', '<', (eb) => eb.ref('excluded.version')),
      )
      .execute();
  }

  async forget(trx: Transaction<EventsDb>, ticketType: { eventId: string; ticketTypeId: string }): Promise<void> {
    await trx
      .insertInto('ticketTypeAvailability')
      .values({ ...ticketType, available: 0, quantity: 0, version: 0, deleted: true })
      .onConflict((oc) => oc.column('ticketTypeId').doUpdateSet({ deleted: true, updatedAt: sql`now()` }))
      .execute();
  }

  /**
   * Sold out when the event has ticket types and every one of them has nothing left. Messages of
   * different ticket types are handled in parallel, so the event row is locked before counting: the
   * last transaction to commit then counts every ticket type, its own included.
   */
  async refreshSoldOut(trx: Transaction<EventsDb>, eventId: string): Promise<void> {
    const event = await trx.selectFrom('events').select('id').where('id', '=', eventId).forUpdate().executeTakeFirst();
    if (!event) return;
    const counts = await trx
      .selectFrom('ticketTypeAvailability')
      .select((eb) => [
        eb.fn.countAll<number>().as('known'),
        eb.fn.countAll<number>().filterWhere('available', '>', 0).as('open'),
      ])
      .where('eventId', '=', eventId)
      .where('deleted', '=', false)
      .executeTakeFirstOrThrow();
    const soldOut = counts.known > 0 && counts.open === 0;
    await trx
      .updateTable('events')
      .set({ soldOut })
      .where('id', '=', eventId)
      .where('soldOut', '!=', soldOut)
      .execute();
  }
}
