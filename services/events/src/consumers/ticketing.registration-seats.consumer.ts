import type { TopicHandlers } from '@echoplex/bus';
import type { Transaction } from '@echoplex/db';
import type { EventsDb } from '../db/schema';
import type { RegistrationSeatsRepository } from '../repositories/registration-seats.repository';

/**
 * Seats taken per event, which guards capacity reductions, unpublishing and deleting. Learned from
 * registrations rather than from `ticketing.availability.v1`: availability is capped by the event's
 * capacity, so quantity minus available overstates what is sold whenever ticket types add up to more
 * than the capacity. The four types feed one ledger, so their handlers live together: the topic is
 * keyed by event id, so they arrive in order, and the ledger (per registration id) makes repeats and
 * a cancellation of a never-seen registration harmless.
 */
export function registrationSeats(ledger: RegistrationSeatsRepository): TopicHandlers<'ticketing.registration.v1'> {
  return {
    'registration.held': async (event, trx) => ledger.take(trx as Transaction<EventsDb>, event.data),
    'registration.confirmed': async (event, trx) => ledger.take(trx as Transaction<EventsDb>, event.data),
    'registration.cancelled': async (event, trx) => ledger.release(trx as Transaction<EventsDb>, event.data),
    'registration.expired': async (event, trx) => ledger.release(trx as Transaction<EventsDb>, event.data),
  };
}
