import type { RegistrationStatus } from '../db/schema';
import { availableSeats, type TicketTypeStatus, ticketTypeStatus } from '../domain/availability';
import type { EventRow } from '../repositories/event.repository';
import type { RegistrationRow, TicketRow } from '../repositories/registration.repository';
import type { TicketTypeRow } from '../repositories/ticket-type.repository';

export interface TicketView {
  id: string;
  code: string;
  checkedInAt: string | null;
}

export interface RegistrationView {
  id: string;
  code: string;
  userId: string;
  eventId: string;
  ticketTypeId: string;
  quantity: number;
  status: RegistrationStatus;
  amount: number;
  currency: string;
  expiresAt: string | null;
  refundRequested: boolean;
  tickets: TicketView[];
  createdAt: string;
  updatedAt: string;
}

export function ticketView(ticket: Pick<TicketRow, 'id' | 'code' | 'checkedInAt'>): TicketView {
  return { id: ticket.id, code: ticket.code, checkedInAt: ticket.checkedInAt?.toISOString() ?? null };
}

export function registrationView(
  registration: RegistrationRow,
  tickets: Pick<TicketRow, 'id' | 'code' | 'checkedInAt'>[],
): RegistrationView {
  return {
    id: registration.id,
    code: registration.code,
    userId: registration.userId,
    eventId: registration.eventId,
    ticketTypeId: registration.ticketTypeId,
    quantity: registration.quantity,
    status: registration.status,
    amount: registration.amount,
    currency: registration.currency,
    expiresAt: registration.status === 'pending' ? (registration.expiresAt?.toISOString() ?? null) : null,
    refundRequested: registration.refundRequested,
    tickets: tickets.map(ticketView),
    createdAt: registration.createdAt.toISOString(),
    updatedAt: registration.updatedAt.toISOString(),
  };
}

/** Registrations with their tickets, in two queries whatever the number of registrations. */
export async function registrationViews(
  registrations: RegistrationRow[],
  ticketsOf: (ids: string[]) => Promise<TicketRow[]>,
): Promise<RegistrationView[]> {
  const tickets = await ticketsOf(registrations.map((registration) => registration.id));
  const byRegistration = new Map<string, TicketRow[]>();
  for (const ticket of tickets) {
    byRegistration.set(ticket.registrationId, [...(byRegistration.get(ticket.registrationId) ?? []), ticket]);
  }
  return registrations.map((registration) => registrationView(registration, byRegistration.get(registration.id) ?? []));
}

export interface TicketTypeView {
  id: string;
  eventId: string;
  name: string;
  description: string | null;
  price: number;
  currency: string;
  quantity: number;
  available: number;
  salesStart: string | null;
  salesEnd: string | null;
  minPerOrder: number;
  maxPerOrder: number;
  status: TicketTypeStatus;
}

export function ticketTypeView(
  ticketType: TicketTypeRow,
  event: Pick<EventRow, 'status' | 'startTime' | 'capacity' | 'taken'>,
  now: Date,
): TicketTypeView {
  const available = availableSeats(ticketType, event);
  return {
    id: ticketType.id,
    eventId: ticketType.eventId,
    name: ticketType.name,
    description: ticketType.description,
    price: ticketType.price,
    currency: ticketType.currency,
    quantity: ticketType.quantity,
    available,
    salesStart: ticketType.salesStart?.toISOString() ?? null,
    salesEnd: ticketType.salesEnd?.toISOString() ?? null,
    minPerOrder: ticketType.minPerOrder,
    maxPerOrder: ticketType.maxPerOrder,
    status: ticketTypeStatus(ticketType, event, available, now),
  };
}
