import type { EventHandler } from '@echoplex/bus';
import { confirmPaidRegistration } from '../commands/confirm-paid-registration';
import { asTicketingTransaction, type TicketingContext } from '../ticketing-context';

export function paymentSucceededConsumer(
  ctx: TicketingContext,
): EventHandler<'payments.payment.v1', 'payment.succeeded'> {
  return async (event, trx) => {
    const seats = await confirmPaidRegistration(
      ctx,
      asTicketingTransaction(trx),
      event.data.registrationId,
      ctx.clock(),
    );
    ctx.paidSeats.confirmed(event.id, seats);
  };
}
