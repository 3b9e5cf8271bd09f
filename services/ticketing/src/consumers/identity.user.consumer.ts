import type { EventHandler } from '@echoplex/bus';
import { asTicketingTransaction, type TicketingContext } from '../ticketing-context';

/** Names and emails for the organizer's attendee list and its search. */
export function userRegisteredConsumer(ctx: TicketingContext): EventHandler<'identity.user.v1', 'user.registered'> {
  return ({ data }, trx) =>
    ctx.users.upsert(
      asTicketingTransaction(trx),
      { id: data.userId, email: data.email, firstName: data.firstName, lastName: data.lastName },
      ctx.clock(),
    );
}

export function userUpdatedConsumer(ctx: TicketingContext): EventHandler<'identity.user.v1', 'user.updated'> {
  return ({ data }, trx) =>
    ctx.users.upsert(
      asTicketingTransaction(trx),
      { id: data.userId, firstName: data.firstName, lastName: data.lastName },
      ctx.clock(),
    );
}
