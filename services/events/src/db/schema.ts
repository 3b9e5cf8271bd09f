import type { BusTables } from '@echoplex/bus';
import type { Generated } from '@echoplex/db';
import type { EventStatus } from '../domain/event-status';

/**
 * `search` (weighted tsvector), `search_text` (for trigram matching) and `facets` (categories and
 * `@<lower-case city>`, indexed with `search`) are generated columns; they are left out here so
 * nothing selects or writes them by accident, and queried through `sql`.
 */
export interface EventsTable {
  id: string;
  organizerId: string;
  name: string;
  description: string;
  startTime: Date;
  endTime: Date;
  timezone: string;
  location: string;
  city: string | null;
  country: string | null;
  online: boolean;
  capacity: number;
  categories: string[];
  imageKey: string | null;
  status: EventStatus;
  soldOut: Generated<boolean>;
  /** Seats held or confirmed, learned from `ticketing.registration.v1`. */
  seatsTaken: Generated<number>;
  /** Explicit deadline for attendees' own refunds; null: the event's start. */
  selfServiceRefundUntil: Generated<Date | null>;
  maxTicketsPerAccount: Generated<number | null>;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Read model of `ticketing.availability.v1`: seats left per ticket type. */
export interface TicketTypeAvailabilityTable {
  ticketTypeId: string;
  eventId: string;
  available: number;
  quantity: number;
  version: number;
  /** Set by `ticket_type.deleted`, so a late availability message cannot bring the type back. */
  deleted: Generated<boolean>;
  updatedAt: Generated<Date>;
}

/** Read model of `ticketing.registration.v1`: whether each registration currently holds seats. */
export interface RegistrationSeatsTable {
  registrationId: string;
  eventId: string;
  quantity: number;
  holdsSeats: boolean;
  updatedAt: Generated<Date>;
}

export interface EventsDb extends BusTables {
  events: EventsTable;
  ticketTypeAvailability: TicketTypeAvailabilityTable;
  registrationSeats: RegistrationSeatsTable;
}
