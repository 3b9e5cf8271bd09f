import type { Selectable } from '@echoplex/db';
import type { EventsTable } from '../db/schema';
import type { EventFigures } from '../repositories/report.repository';

export interface TicketTypeFigure {
  ticketTypeId: string;
  name: string | null;
  sold: number;
  revenue: number;
}

const zeroFigures: EventFigures = {
  pending: 0,
  confirmed: 0,
  cancelled: 0,
  expired: 0,
  ticketsSold: 0,
  gross: 0,
  refunded: 0,
  currency: null,
  checkIns: 0,
  pageViews: 0,
  uniqueVisitors: 0,
  asOf: null,
};

/** Share of something, 0 instead of a division by zero. */
export function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/**
 * `asOf` is the time of the latest fact applied to this event's figures (its own announcements,
 * registrations, payments, check-ins, views): every figure includes everything up to then. We do
 * not answer "now" even when the consumer may be idle: the service cannot see consumer lag through
 * the bus interface, and claiming "now" during a backlog would overstate freshness.
 */
export function eventSummary(
  event: Selectable<EventsTable>,
  stats: EventFigures | undefined,
  ticketTypes: { currency: string | null; rows: TicketTypeFigure[] },
) {
  const figures = stats ?? zeroFigures;
  const asOf = figures.asOf && figures.asOf > event.versionAt ? figures.asOf : event.versionAt;
  return {
    eventId: event.eventId,
    asOf: asOf.toISOString(),
    capacity: event.capacity,
    ticketsSold: figures.ticketsSold,
    utilization: ratio(figures.ticketsSold, event.capacity),
    registrations: {
      confirmed: figures.confirmed,
      pending: figures.pending,
      cancelled: figures.cancelled,
      expired: figures.expired,
    },
    revenue: {
      gross: figures.gross,
      refunded: figures.refunded,
      net: figures.gross - figures.refunded,
      currency: figures.currency ?? ticketTypes.currency,
    },
    byTicketType: ticketTypes.rows,
    pageViews: figures.pageViews,
    uniqueVisitors: figures.uniqueVisitors,
    // Confirmed registrations per unique visitor of the event page.
    conversionRate: ratio(figures.confirmed, figures.uniqueVisitors),
    checkIns: figures.checkIns,
  };
}
