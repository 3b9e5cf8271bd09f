import type { Outbox } from '@echoplex/bus';
import type { EventState } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { EventsDb } from '../db/schema';
import { selfServiceRefundDeadline } from '../domain/event-input';
import type { EventRow } from '../repositories/event.repository';

export type EventChange =
  | 'event.created'
  | 'event.updated'
  | 'event.published'
  | 'event.unpublished'
  | 'event.cancelled';

export function toEventState(event: EventRow): EventState {
  return {
    eventId: event.id,
    organizerId: event.organizerId,
    name: event.name,
    status: event.status,
    startTime: event.startTime.toISOString(),
    endTime: event.endTime.toISOString(),
    capacity: event.capacity,
    city: event.city,
    categories: event.categories,
    refundPolicy: { selfServiceUntil: selfServiceRefundDeadline(event).toISOString() },
    maxTicketsPerAccount: event.maxTicketsPerAccount,
  };
}

/** Every change is announced on `events.event.v1` in the transaction that makes it. */
export function announceEvent(outbox: Outbox, trx: Transaction<EventsDb>, type: EventChange, event: EventRow) {
  return outbox.append(trx, { topic: 'events.event.v1', type, key: event.id, data: toEventState(event) });
}
