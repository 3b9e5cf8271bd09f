import type { EventHandler } from '@echoplex/bus';
import type { Transaction } from '@echoplex/db';
import type { EventsDb } from '../db/schema';
import type { TicketAvailabilityRepository } from '../repositories/ticket-availability.repository';

/** A deleted ticket type no longer counts towards `soldOut`. */
export function ticketTypeDeleted(
  availability: TicketAvailabilityRepository,
): EventHandler<'ticketing.ticket-type.v1', 'ticket_type.deleted'> {
  return async (event, trx) => {
    const db = trx as Transaction<EventsDb>;
    await availability.forget(db, event.data);
    await availability.refreshSoldOut(db, event.data.eventId);
  };
}
