import type { EventHandler } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentsDb } from '../db/schema';
import { HoldRepository } from '../repositories/hold.repository';
import { PaymentRepository } from '../repositories/payment.repository';
import { RefundRepository } from '../repositories/refund.repository';
import { holdFacts } from './registration-facts';

/**
 * A cancelled registration stops being payable. With `refundRequested` (the attendee cancelled a paid
 * registration, the event was cancelled, or a late payment lost its seats) whatever is left of the
 * captured amount is refunded: one refund row per cancellation event, sent to Stripe by the jobs.
 */
export const registrationCancelled: EventHandler<'ticketing.registration.v1', 'registration.cancelled'> = async (
  event,
  trx,
) => {
  const db = trx as Kysely<PaymentsDb>;
  await new HoldRepository(db).recordStatus(holdFacts(event.data), 'cancelled');
  const payments = new PaymentRepository(db);
  const open = await payments.openOf(event.data.registrationId);
  await payments.requestCancel(open.map((payment) => payment.id));
  if (!event.data.refundRequested) return;

  const captured = await payments.capturedOf(event.data.registrationId);
  if (!captured) return;
  const refunds = new RefundRepository(db);
  const remaining = captured.amount - captured.refundedAmount - (await refunds.pendingTotal(captured.id));
  if (remaining <= 0) return;
  await refunds.insertOnce({
    id: uuidv7(),
    paymentId: captured.id,
    amount: remaining,
    reason: event.data.reason,
    status: 'pending',
    stripeRefundId: null,
    requestedBy: 'ticketing',
    sourceEventId: event.id,
    failureReason: null,
    succeededAt: null,
  });
};
