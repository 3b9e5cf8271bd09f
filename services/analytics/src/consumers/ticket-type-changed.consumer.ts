import type { CloudEvent, TicketTypeDeleted, TicketTypeState } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { markTicketTypeDeleted, saveTicketTypeVersion } from '../repositories/catalog.repository';

/** Ticket type names for the per-ticket-type breakdown of a summary. */
export async function recordTicketTypeChanged(event: CloudEvent<TicketTypeState>, trx: Transaction<AnalyticsDb>) {
  await saveTicketTypeVersion(trx, {
    ticketTypeId: event.data.ticketTypeId,
    eventId: event.data.eventId,
    name: event.data.name,
    price: event.data.price,
    currency: event.data.currency,
    quantity: event.data.quantity,
    versionAt: new Date(event.time),
  });
}

export async function recordTicketTypeDeleted(event: CloudEvent<TicketTypeDeleted>, trx: Transaction<AnalyticsDb>) {
  await markTicketTypeDeleted(trx, { ...event.data, at: new Date(event.time) });
}
