import type { EventHandler } from '@echoplex/bus';
import { applyEventDeleted } from '../commands/apply-event-state';
import { asTicketingTransaction, type TicketingContext } from '../ticketing-context';

export function eventDeletedConsumer(ctx: TicketingContext): EventHandler<'events.event.v1', 'event.deleted'> {
  return (event, trx) => applyEventDeleted(ctx, asTicketingTransaction(trx), event.data.eventId, ctx.clock());
}
