import type { BusTables } from '@echoplex/bus';
import type { ColumnType, Generated } from '@echoplex/db';

/** The service's own schema; raw SQL names its tables with it. */
export const ticketingSchema = 'ticketing';

export type EventStatus = 'draft' | 'published' | 'cancelled' | 'deleted';
export type RegistrationStatus = 'pending' | 'confirmed' | 'cancelled' | 'expired';
export type CancelReason = 'attendee' | 'event_cancelled' | 'refunded' | 'hold_lost';

export interface EventsTable {
  id: string;
  organizerId: string;
  name: string;
  status: EventStatus;
  startTime: Date;
  endTime: Date;
  capacity: number;
  /** Until when attendees may cancel a paid registration for a refund themselves; null: the start. */
  selfServiceRefundUntil: Date | null;
  /** Tickets one account may hold across its active registrations; null: no such cap. */
  maxTicketsPerAccount: number | null;
  taken: Generated<number>;
  version: Generated<number>;
  updatedAt: Generated<Date>;
}

export interface TicketTypesTable {
  id: string;
  eventId: string;
  name: string;
  description: string | null;
  price: number;
  currency: string;
  quantity: number;
  sold: Generated<number>;
  salesStart: Date | null;
  salesEnd: Date | null;
  minPerOrder: number;
  maxPerOrder: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface RegistrationsTable {
  id: string;
  code: string;
  userId: string;
  eventId: string;
  ticketTypeId: string;
  quantity: number;
  status: RegistrationStatus;
  amount: number;
  currency: string;
  expiresAt: Date | null;
  cancelReason: CancelReason | null;
  refundRequested: Generated<boolean>;
  createdAt: Date;
  updatedAt: Date;
  /** When the confirmation email with the ticket codes went out; at most once per registration. */
  confirmationMailedAt: Date | null;
}

export interface TicketsTable {
  id: string;
  registrationId: string;
  eventId: string;
  position: number;
  code: string;
  attendeeFirstName: string | null;
  attendeeLastName: string | null;
  attendeeEmail: string | null;
  checkedInAt: Date | null;
}

export interface IdempotencyKeysTable {
  userId: string;
  key: string;
  requestHash: string;
  statusCode: number;
  response: ColumnType<unknown, string, string>;
  createdAt: Generated<Date>;
}

export interface UsersTable {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
  updatedAt: Generated<Date>;
}

export interface TicketingDb extends BusTables {
  events: EventsTable;
  ticketTypes: TicketTypesTable;
  registrations: RegistrationsTable;
  tickets: TicketsTable;
  idempotencyKeys: IdempotencyKeysTable;
  users: UsersTable;
}
