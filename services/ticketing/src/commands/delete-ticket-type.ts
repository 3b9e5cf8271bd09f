import { type Principal, problems } from '@echoplex/http';
import { publish, ticketTypeEvent } from '../domain/domain-events';
import type { TicketingContext } from '../ticketing-context';
import { eventOwnedBy } from './event-access';

export async function deleteTicketType(
  ctx: TicketingContext,
  principal: Principal,
  eventId: string,
  ticketTypeId: string,
): Promise<void> {
  await eventOwnedBy(ctx, principal, eventId);
  const now = ctx.clock();
  const deleted = await ctx.db.transaction().execute(async (trx) => {
    await ctx.seats.announce(trx, eventId);
    const ticketType = await ctx.ticketTypes.deleteUnsold(trx, eventId, ticketTypeId, now);
    if (!ticketType) return undefined;
    await ctx.seats.touch(trx, eventId);
    await publish(ctx.outbox, trx, [ticketTypeEvent('ticket_type.deleted', ticketType)]);
    return ticketType;
  });
  if (!deleted) {
    if (await ctx.ticketTypes.find(eventId, ticketTypeId)) {
      throw problems.conflict('invalid_state', 'A ticket type with seats sold or held cannot be deleted.');
    }
    throw problems.notFound('The ticket type');
  }
  ctx.availability.invalidate(eventId);
}
