import type { Transaction } from '@echoplex/db';
import type { TicketingDb } from '../db/schema';
import type { TicketingContext } from '../ticketing-context';
import { endRegistrations } from './end-registrations';

/**
 * Cancels every active registration of a cancelled event and frees its seats; paid, confirmed ones
 * ask payments for a refund. The ticket types are locked first, which stops new reservations
 * (they lock the ticket type before the event), then the event; registrations locked by another
 * transaction right now are skipped instead of waited for — waiting would invert the service's lock
 * order — and the sweeper's leftover pass cancels them moments later. Returns how many it cancelled.
 */
export async function cancelEventRegistrations(
  ctx: TicketingContext,
  trx: Transaction<TicketingDb>,
  eventId: string,
  now: Date,
): Promise<number> {
  await ctx.seats.lockTicketTypes(trx, eventId);
  const event = await ctx.events.findForUpdate(trx, eventId);
  if (event?.status !== 'cancelled') return 0;
  const registrations = await trx
    .selectFrom('registrations')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('status', 'in', ['pending', 'confirmed'])
    .orderBy('id')
    .forUpdate()
    .skipLocked()
    .execute();
  const ended = await endRegistrations(
    ctx,
    trx,
    eventId,
    registrations.map((registration) => ({
      registration,
      status: 'cancelled' as const,
      reason: 'event_cancelled' as const,
      refundRequested: registration.status === 'confirmed' && registration.amount > 0,
    })),
    now,
  );
  return ended.length;
}
