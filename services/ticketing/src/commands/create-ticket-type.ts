import { type Principal, Problem, problems } from '@echoplex/http';
import { availabilityUpdates } from '../domain/availability';
import { availabilityChanged, publish, ticketTypeEvent } from '../domain/domain-events';
import { newId } from '../domain/ids';
import { type TicketTypeView, ticketTypeView } from '../queries/views';
import type { TicketingContext } from '../ticketing-context';
import { eventOwnedBy } from './event-access';

export interface TicketTypeInput {
  name: string;
  description?: string | null;
  price: number;
  currency: string;
  quantity: number;
  salesStart?: string | null;
  salesEnd?: string | null;
  minPerOrder?: number;
  maxPerOrder?: number;
}

export const defaultMaxPerOrder = 10;

/** Rules across fields, checked on the merged result so a PATCH of one field is held to them too. */
export function checkTicketTypeRules(ticketType: {
  salesStart: Date | null;
  salesEnd: Date | null;
  minPerOrder: number;
  maxPerOrder: number;
}): void {
  if (ticketType.salesStart && ticketType.salesEnd && ticketType.salesEnd <= ticketType.salesStart) {
    throw new Problem(422, 'invalid_date_range', 'salesEnd must be after salesStart.', [
      { path: 'body.salesEnd', message: 'must be after salesStart' },
    ]);
  }
  if (ticketType.maxPerOrder < ticketType.minPerOrder) {
    throw problems.validation([{ path: 'body.maxPerOrder', message: 'must be at least minPerOrder' }]);
  }
}

export async function createTicketType(
  ctx: TicketingContext,
  principal: Principal,
  eventId: string,
  input: TicketTypeInput,
): Promise<TicketTypeView> {
  const event = await eventOwnedBy(ctx, principal, eventId);
  if (event.status === 'cancelled') throw problems.conflict('invalid_state', 'The event is cancelled.');
  const now = ctx.clock();
  const values = {
    id: newId(now.getTime()),
    eventId,
    name: input.name,
    description: input.description ?? null,
    price: input.price,
    currency: input.currency,
    quantity: input.quantity,
    salesStart: input.salesStart ? new Date(input.salesStart) : null,
    salesEnd: input.salesEnd ? new Date(input.salesEnd) : null,
    minPerOrder: input.minPerOrder ?? 1,
    maxPerOrder: input.maxPerOrder ?? Math.max(defaultMaxPerOrder, input.minPerOrder ?? 1),
    createdAt: now,
    updatedAt: now,
  };
  checkTicketTypeRules(values);
  const { ticketType, snapshot } = await ctx.db.transaction().execute(async (trx) => {
    await ctx.seats.announce(trx, eventId);
    const ticketType = await ctx.ticketTypes.insert(trx, values);
    const snapshot = await ctx.seats.touch(trx, eventId);
    await publish(ctx.outbox, trx, [
      ticketTypeEvent('ticket_type.created', ticketType),
      ...availabilityUpdates(snapshot, { touched: [ticketType.id] }).map(availabilityChanged),
    ]);
    return { ticketType, snapshot };
  });
  ctx.availability.invalidate(eventId);
  return ticketTypeView(ticketType, { ...event, ...snapshot.event }, now);
}
