import type { Kysely } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';
import { availableSeats, type TicketTypeStatus, ticketTypeStatus } from '../domain/availability';
import type { AvailabilitySource } from './availability-cache';

export interface AvailabilityView {
  eventId: string;
  capacity: number;
  available: number;
  soldOut: boolean;
  ticketTypes: { id: string; available: number; status: TicketTypeStatus }[];
  version: number;
}

/** One round trip: the event's counters with its live ticket types aggregated alongside. */
export async function loadAvailabilitySource(
  db: Kysely<TicketingDb>,
  eventId: string,
): Promise<AvailabilitySource | undefined> {
  const event = await db
    .selectFrom('events')
    .select(['id', 'organizerId', 'status', 'startTime', 'capacity', 'taken', 'version'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) return undefined;
  const ticketTypes = await db
    .selectFrom('ticketTypes')
    .select(['id', 'quantity', 'sold', 'salesStart', 'salesEnd'])
    .where('eventId', '=', eventId)
    .where('deletedAt', 'is', null)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  return { eventId: event.id, ...event, ticketTypes };
}

export function availabilityView(source: AvailabilitySource, now: Date): AvailabilityView {
  const eventRemaining = Math.max(0, source.capacity - source.taken);
  const ticketTypes = source.ticketTypes.map((ticketType) => {
    const available = availableSeats(ticketType, source);
    return { id: ticketType.id, available, status: ticketTypeStatus(ticketType, source, available, now) };
  });
  const typesRemaining = source.ticketTypes.reduce(
    (sum, ticketType) => sum + Math.max(0, ticketType.quantity - ticketType.sold),
    0,
  );
  return {
    eventId: source.eventId,
    capacity: source.capacity,
    available: Math.min(eventRemaining, typesRemaining),
    soldOut: ticketTypes.length > 0 && ticketTypes.every((ticketType) => ticketType.available === 0),
    ticketTypes,
    version: source.version,
  };
}
