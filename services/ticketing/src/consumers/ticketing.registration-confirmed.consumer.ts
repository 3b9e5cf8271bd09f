import type { EventHandler } from '@echoplex/bus';
import { sendRegistrationConfirmation } from '../commands/send-registration-confirmation';
import { asTicketingTransaction, type TicketingContext } from '../ticketing-context';

export function registrationConfirmedConsumer(
  ctx: TicketingContext,
): EventHandler<'ticketing.registration.v1', 'registration.confirmed'> {
  return (event, trx) => sendRegistrationConfirmation(ctx, asTicketingTransaction(trx), event.data.registrationId);
}
