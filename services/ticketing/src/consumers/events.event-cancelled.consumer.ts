import type { EventHandler } from '@echoplex/bus';
import { applyEventState } from '../commands/apply-event-state';
import { asTicketingTransaction, type TicketingContext } from '../ticketing-context';

/** The organizer cancelled the event: every registration ends, paid confirmed ones with a refund. */
export function eventCancelledConsumer(ctx: TicketingContext): EventHandler<'events.event.v1', 'event.cancelled'> {
  return (event, trx) =>
    applyEventState(ctx, asTicketingTransaction(trx), { ...event.data, status: 'cancelled' }, ctx.clock());
}
