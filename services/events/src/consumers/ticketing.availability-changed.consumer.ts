import type { EventHandler } from '@echoplex/bus';
import type { Transaction } from '@echoplex/db';
import type { EventsDb } from '../db/schema';
import type { TicketAvailabilityRepository } from '../repositories/ticket-availability.repository';

/** Keeps `soldOut` current: true once every known ticket type of the event has nothing left. */
export function availabilityChanged(
  availability: TicketAvailabilityRepository,
): EventHandler<'ticketing.availability.v1', 'availability.changed'> {
  return async (event, trx) => {
    const db = trx as Transaction<EventsDb>;
    await availability.record(db, event.data);
    await availability.refreshSoldOut(db, event.data.eventId);
  };
}
