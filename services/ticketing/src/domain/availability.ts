import type { EventStatus } from '../db/schema';

export type TicketTypeStatus = 'scheduled' | 'on_sale' | 'ended' | 'sold_out';

export interface SeatCounts {
  quantity: number;
  sold: number;
}

export interface EventSeats {
  capacity: number;
  taken: number;
}

/** Seats a buyer can get now: the ticket type's own remainder, capped by what is left of the event. */
export function availableSeats(ticketType: SeatCounts, event: EventSeats): number {
  return Math.max(0, Math.min(ticketType.quantity - ticketType.sold, event.capacity - event.taken));
}

export interface SalesWindow {
  salesStart: Date | null;
  salesEnd: Date | null;
}

export interface EventSchedule {
  status: EventStatus;
  startTime: Date;
}

/**
 * The computed status of a ticket type. Sales start at `salesStart` (inclusive) and close at
 * `salesEnd` (exclusive) or when the event starts, whichever is first; a cancelled event sells nothing.
 */
export function ticketTypeStatus(
  window: SalesWindow,
  event: EventSchedule,
  available: number,
  now: Date,
): TicketTypeStatus {
  if (event.status === 'cancelled' || event.status === 'deleted') return 'ended';
  if (window.salesEnd && now >= window.salesEnd) return 'ended';
  if (now >= event.startTime) return 'ended';
  if (window.salesStart && now < window.salesStart) return 'scheduled';
  return available === 0 ? 'sold_out' : 'on_sale';
}

export type SaleRefusal = 'event_not_open' | 'sales_not_open' | 'sales_closed';

/** Why a registration cannot be taken right now, if it cannot: the checks before any seat is touched. */
export function saleRefusal(window: SalesWindow, event: EventSchedule, now: Date): SaleRefusal | undefined {
  if (event.status !== 'published' || now >= event.startTime) return 'event_not_open';
  if (window.salesStart && now < window.salesStart) return 'sales_not_open';
  if (window.salesEnd && now >= window.salesEnd) return 'sales_closed';
  return undefined;
}

export interface SeatChange {
  /** Ticket types whose own row changed (always announced), or every ticket type of the event. */
  touched: string[] | 'all';
  /** Seats each touched ticket type gained (negative when released). */
  soldDelta?: Map<string, number>;
  /** Seats the event gained in total (negative when released). */
  takenDelta?: number;
  capacityBefore?: number;
}

export interface AvailabilityUpdate {
  eventId: string;
  ticketTypeId: string;
  available: number;
  quantity: number;
  version: number;
}

/**
 * The `availability.changed` events a change calls for: the ticket types it touched, plus every other
 * ticket type of the event whose availability moved because the event-wide cap now binds differently.
 */
export function availabilityUpdates(
  snapshot: { event: { id: string; capacity: number; taken: number; version: number }; ticketTypes: SeatCounts[] },
  change: SeatChange,
): AvailabilityUpdate[] {
  const { event } = snapshot;
  const eventBefore = {
    capacity: change.capacityBefore ?? event.capacity,
    taken: event.taken - (change.takenDelta ?? 0),
  };
  const updates: AvailabilityUpdate[] = [];
  for (const ticketType of snapshot.ticketTypes as (SeatCounts & { id: string })[]) {
    const available = availableSeats(ticketType, event);
    const touched = change.touched === 'all' || change.touched.includes(ticketType.id);
    const before = availableSeats(
      { quantity: ticketType.quantity, sold: ticketType.sold - (change.soldDelta?.get(ticketType.id) ?? 0) },
      eventBefore,
    );
    if (touched || before !== available) {
      updates.push({
        eventId: event.id,
        ticketTypeId: ticketType.id,
        available,
        quantity: ticketType.quantity,
        version: event.version,
      });
    }
  }
  return updates;
}
