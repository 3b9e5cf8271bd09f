import type { TicketingContext } from '../ticketing-context';
import { cancelEventRegistrations } from './cancel-event-registrations';
import { endRegistrations } from './end-registrations';

/**
 * Expires holds whose time is up and returns their seats, a batch per transaction. Safe with any
 * number of instances sweeping at once: holds are claimed `FOR UPDATE SKIP LOCKED`, so each is
 * expired by exactly one sweeper, and one being confirmed by a payment right now is left alone.
 * Returns how many holds it expired.
 */
export async function releaseExpiredHolds(ctx: TicketingContext, batchSize = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const now = ctx.clock();
    const { expired, events } = await ctx.db.transaction().execute(async (trx) => {
      const holds = await ctx.registrations.lockExpiredHolds(trx, now, batchSize);
      const byEvent = new Map<string, typeof holds>();
      for (const hold of holds) byEvent.set(hold.eventId, [...(byEvent.get(hold.eventId) ?? []), hold]);
      // Events in id order, so two sweepers' transactions take ticket type and event locks in one order.
      const eventIds = [...byEvent.keys()].sort();
      for (const eventId of eventIds) {
        const endings = (byEvent.get(eventId) ?? []).map((registration) => ({
          registration,
          status: 'expired' as const,
        }));
        await endRegistrations(ctx, trx, eventId, endings, now);
      }
      return { expired: holds.length, events: eventIds };
    });
    for (const eventId of events) ctx.availability.invalidate(eventId);
    total += expired;
    if (expired < batchSize) break;
  }
  return total;
}

/**
 * Registrations still active on a cancelled event: the event.cancelled consumer skips those another
 * transaction held locked at that moment (e.g. a payment confirming a hold), and this catches them.
 */
export async function cancelLeftoversOfCancelledEvents(ctx: TicketingContext): Promise<number> {
  const events = await ctx.db
    .selectFrom('registrations')
    .innerJoin('events', 'events.id', 'registrations.eventId')
    .select('events.id')
    .distinct()
    .where('events.status', '=', 'cancelled')
    .where('registrations.status', 'in', ['pending', 'confirmed'])
    .limit(100)
    .execute();
  let total = 0;
  for (const { id } of events) {
    const now = ctx.clock();
    total += await ctx.db.transaction().execute((trx) => cancelEventRegistrations(ctx, trx, id, now));
    ctx.availability.invalidate(id);
  }
  return total;
}
