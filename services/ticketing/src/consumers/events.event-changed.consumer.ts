import type { CloudEvent, EventState } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import { applyEventState } from '../commands/apply-event-state';
import { asTicketingTransaction, type TicketingContext } from '../ticketing-context';

/** event.created / updated / published / unpublished: the read model follows the event's state. */
export function eventChangedConsumer(ctx: TicketingContext) {
  return (event: CloudEvent<EventState>, trx: Transaction<any>) =>
    applyEventState(ctx, asTicketingTransaction(trx), event.data, ctx.clock());
}
