import type { EventState } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';
import { availabilityUpdates } from '../domain/availability';
import { availabilityChanged, publish } from '../domain/domain-events';
import type { TicketingContext } from '../ticketing-context';
import { cancelEventRegistrations } from './cancel-event-registrations';

/**
 * Keeps the read model of an event current. A new capacity moves the availability of every ticket
 * type the event-wide cap binds; a cancellation ends every registration of the event.
 */
export async function applyEventState(
  ctx: TicketingContext,
  trx: Transaction<TicketingDb>,
  state: EventState,
  now: Date,
): Promise<void> {
  // Ticket types before the event row: the lock order of reservations, which this must stop.
  if (state.status === 'cancelled') await ctx.seats.lockTicketTypes(trx, state.eventId);
  await ctx.seats.announce(trx, state.eventId);
  const { previous, current } = await ctx.events.apply(trx, state, now);
  if (previous && previous.capacity !== current.capacity) {
    const ticketTypes = await ctx.seats.ticketTypesOf(trx, current.id);
    const updates = availabilityUpdates(
      { event: current, ticketTypes },
      { touched: [], capacityBefore: previous.capacity },
    );
    await publish(ctx.outbox, trx, updates.map(availabilityChanged));
  }
  if (current.status === 'cancelled') await cancelEventRegistrations(ctx, trx, current.id, now);
}

export async function applyEventDeleted(
  ctx: TicketingContext,
  trx: Transaction<TicketingDb>,
  eventId: string,
  now: Date,
): Promise<void> {
  await ctx.seats.announce(trx, eventId);
  await ctx.events.markDeleted(trx, eventId, now);
}
