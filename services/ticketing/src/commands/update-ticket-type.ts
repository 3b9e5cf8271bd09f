import { type Principal, problems } from '@echoplex/http';
import { availabilityUpdates } from '../domain/availability';
import { availabilityChanged, publish, ticketTypeEvent } from '../domain/domain-events';
import { type TicketTypeView, ticketTypeView } from '../queries/views';
import type { TicketingContext } from '../ticketing-context';
import { checkTicketTypeRules, type TicketTypeInput } from './create-ticket-type';
import { eventOwnedBy } from './event-access';

export async function updateTicketType(
  ctx: TicketingContext,
  principal: Principal,
  eventId: string,
  ticketTypeId: string,
  changes: Partial<TicketTypeInput>,
): Promise<TicketTypeView> {
  const event = await eventOwnedBy(ctx, principal, eventId);
  const current = await ctx.ticketTypes.find(eventId, ticketTypeId);
  if (!current) throw problems.notFound('The ticket type');
  const now = ctx.clock();
  const patch = {
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.price !== undefined ? { price: changes.price } : {}),
    ...(changes.currency !== undefined ? { currency: changes.currency } : {}),
    ...(changes.quantity !== undefined ? { quantity: changes.quantity } : {}),
    ...(changes.salesStart !== undefined
      ? { salesStart: changes.salesStart === null ? null : new Date(changes.salesStart) }
      : {}),
    ...(changes.salesEnd !== undefined
      ? { salesEnd: changes.salesEnd === null ? null : new Date(changes.salesEnd) }
      : {}),
    ...(changes.minPerOrder !== undefined ? { minPerOrder: changes.minPerOrder } : {}),
    ...(changes.maxPerOrder !== undefined ? { maxPerOrder: changes.maxPerOrder } : {}),
    updatedAt: now,
  };
  checkTicketTypeRules({ ...current, ...patch });
  const result = await ctx.db.transaction().execute(async (trx) => {
    await ctx.seats.announce(trx, eventId);
    const ticketType = await ctx.ticketTypes.update(trx, ticketTypeId, patch);
    if (!ticketType) return undefined;
    const snapshot = await ctx.seats.touch(trx, eventId);
    await publish(ctx.outbox, trx, [
      ticketTypeEvent('ticket_type.updated', ticketType),
      ...availabilityUpdates(snapshot, { touched: [ticketType.id] }).map(availabilityChanged),
    ]);
    return { ticketType, snapshot };
  });
  if (!result) {
    const latest = await ctx.ticketTypes.find(eventId, ticketTypeId);
    if (!latest) throw problems.notFound('The ticket type');
    throw problems.conflict(
      'capacity_exceeded',
      `The quantity cannot go below the ${latest.sold} seats already sold or held.`,
      { sold: latest.sold },
    );
  }
  ctx.availability.invalidate(eventId);
  return ticketTypeView(result.ticketType, { ...event, ...result.snapshot.event }, now);
}
