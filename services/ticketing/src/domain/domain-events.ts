import type { DomainEvent, Outbox } from '@echoplex/bus';
import type { EventData, EventType, TopicName } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { RegistrationRow } from '../repositories/registration.repository';
import type { TicketTypeRow } from '../repositories/ticket-type.repository';
import type { AvailabilityUpdate } from './availability';

type Published = 'ticketing.registration.v1' | 'ticketing.ticket-type.v1' | 'ticketing.availability.v1';
type AnyEvent<T extends Published = Published> = T extends Published
  ? { [E in EventType<T>]: DomainEvent<T, E> }[EventType<T>]
  : never;
export type TicketingEvent = AnyEvent;

/** Appends events of several topics in one outbox insert, in the caller's transaction. */
export async function publish(outbox: Outbox, trx: Transaction<any>, events: TicketingEvent[]): Promise<void> {
  await outbox.append(trx, ...(events as DomainEvent<TopicName, never>[]));
}

function registrationFacts(registration: RegistrationRow, now: Date) {
  return {
    registrationId: registration.id,
    eventId: registration.eventId,
    ticketTypeId: registration.ticketTypeId,
    userId: registration.userId,
    quantity: registration.quantity,
    amount: registration.amount,
    currency: registration.currency,
    occurredAt: now.toISOString(),
  };
}

type RegistrationEventType = 'registration.held' | 'registration.confirmed' | 'registration.expired';

export function registrationEvent<E extends RegistrationEventType>(
  type: E,
  registration: RegistrationRow,
  now: Date,
): TicketingEvent {
  const data =
    type === 'registration.held'
      ? { ...registrationFacts(registration, now), expiresAt: (registration.expiresAt as Date).toISOString() }
      : registrationFacts(registration, now);
  return {
    topic: 'ticketing.registration.v1',
    type,
    key: registration.eventId,
    subject: registration.id,
    data: data as EventData<'ticketing.registration.v1', E>,
  } as TicketingEvent;
}

export function registrationCancelled(
  registration: RegistrationRow,
  reason: EventData<'ticketing.registration.v1', 'registration.cancelled'>['reason'],
  refundRequested: boolean,
  now: Date,
): TicketingEvent {
  return {
    topic: 'ticketing.registration.v1',
    type: 'registration.cancelled',
    key: registration.eventId,
    subject: registration.id,
    data: { ...registrationFacts(registration, now), reason, refundRequested },
  };
}

export function ticketCheckedIn(
  ticket: { id: string; registrationId: string; eventId: string; checkedInAt: Date },
  ticketTypeId: string,
): TicketingEvent {
  return {
    topic: 'ticketing.registration.v1',
    type: 'ticket.checked_in',
    key: ticket.eventId,
    subject: ticket.registrationId,
    data: {
      ticketId: ticket.id,
      registrationId: ticket.registrationId,
      eventId: ticket.eventId,
      ticketTypeId,
      checkedInAt: ticket.checkedInAt.toISOString(),
    },
  };
}

export function ticketTypeEvent(
  type: 'ticket_type.created' | 'ticket_type.updated' | 'ticket_type.deleted',
  ticketType: TicketTypeRow,
): TicketingEvent {
  const key = ticketType.eventId;
  if (type === 'ticket_type.deleted') {
    return {
      topic: 'ticketing.ticket-type.v1',
      type,
      key,
      subject: ticketType.id,
      data: { eventId: ticketType.eventId, ticketTypeId: ticketType.id },
    };
  }
  return {
    topic: 'ticketing.ticket-type.v1',
    type,
    key,
    subject: ticketType.id,
    data: {
      eventId: ticketType.eventId,
      ticketTypeId: ticketType.id,
      name: ticketType.name,
      price: ticketType.price,
      currency: ticketType.currency,
      quantity: ticketType.quantity,
      salesStart: ticketType.salesStart?.toISOString() ?? null,
      salesEnd: ticketType.salesEnd?.toISOString() ?? null,
    },
  };
}

export function availabilityChanged(update: AvailabilityUpdate): TicketingEvent {
  return {
    topic: 'ticketing.availability.v1',
    type: 'availability.changed',
    key: update.ticketTypeId,
    data: update,
  };
}
