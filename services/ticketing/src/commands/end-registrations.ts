import type { Transaction } from '@echoplex/db';
import type { CancelReason, TicketingDb } from '../db/schema';
import { availabilityUpdates } from '../domain/availability';
import {
  availabilityChanged,
  publish,
  registrationCancelled,
  registrationEvent,
  type TicketingEvent,
} from '../domain/domain-events';
import type { RegistrationRow } from '../repositories/registration.repository';
import type { TicketingContext } from '../ticketing-context';

export type Ending =
  | { registration: RegistrationRow; status: 'expired' }
  | { registration: RegistrationRow; status: 'cancelled'; reason: CancelReason; refundRequested: boolean };

/**
 * Ends active registrations of one event — cancelled or expired — and gives their seats back, in the
 * caller's transaction, which must already hold the registrations' row locks.
 */
export async function endRegistrations(
  ctx: TicketingContext,
  trx: Transaction<TicketingDb>,
  eventId: string,
  endings: Ending[],
  now: Date,
): Promise<RegistrationRow[]> {
  if (endings.length === 0) return [];
  await ctx.seats.announce(trx, eventId);
  const ended: RegistrationRow[] = [];
  const events: TicketingEvent[] = [];
  for (const ending of endings) {
    const changes =
      ending.status === 'expired'
        ? { status: ending.status, updatedAt: now }
        : {
            status: ending.status,
            cancelReason: ending.reason,
            refundRequested: ending.refundRequested,
            updatedAt: now,
          };
    const registration = await ctx.registrations.update(trx, ending.registration.id, changes);
    ended.push(registration);
    events.push(
      ending.status === 'expired'
        ? registrationEvent('registration.expired', registration, now)
        : registrationCancelled(registration, ending.reason, ending.refundRequested, now),
    );
  }
  const releases = ended.map((registration) => ({
    ticketTypeId: registration.ticketTypeId,
    seats: registration.quantity,
  }));
  const snapshot = await ctx.seats.release(trx, eventId, releases);
  const soldDelta = new Map<string, number>();
  for (const { ticketTypeId, seats } of releases)
    soldDelta.set(ticketTypeId, (soldDelta.get(ticketTypeId) ?? 0) - seats);
  const takenDelta = -releases.reduce((sum, release) => sum + release.seats, 0);
  const updates = availabilityUpdates(snapshot, { touched: [...soldDelta.keys()], soldDelta, takenDelta });
  await publish(ctx.outbox, trx, [...events, ...updates.map(availabilityChanged)]);
  return ended;
}
