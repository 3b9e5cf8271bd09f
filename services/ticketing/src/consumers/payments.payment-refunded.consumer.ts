import type { EventHandler } from '@echoplex/bus';
import { cancelRefundedRegistration } from '../commands/cancel-refunded-registration';
import { asTicketingTransaction, type TicketingContext } from '../ticketing-context';

export function paymentRefundedConsumer(
  ctx: TicketingContext,
): EventHandler<'payments.payment.v1', 'payment.refunded'> {
  return (event, trx) => cancelRefundedRegistration(ctx, asTicketingTransaction(trx), event.data, ctx.clock());
}
