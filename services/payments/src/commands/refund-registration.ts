import { type Principal, problems } from '@echoplex/http';
import { v7 as uuidv7 } from 'uuid';
import { isRefundable } from '../domain/payment-status';
import type { PaymentsContext } from '../payments-context';
import { EventOwnerRepository } from '../repositories/event-owner.repository';
import { HoldRepository } from '../repositories/hold.repository';
import { PaymentRepository } from '../repositories/payment.repository';
import { RefundRepository } from '../repositories/refund.repository';
import { submitRefund } from './submit-refund';

export interface RefundView {
  id: string;
  paymentId: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed';
}

/**
 * An organizer gives money back for a registration of one of their events, fully or partly. The
 * refundable amount counts refunds still in flight, under the payment's row lock, so concurrent
 * requests can never refund more than was paid.
 */
export async function refundRegistration(
  ctx: PaymentsContext,
  input: { principal: Principal; registrationId: string; amount?: number; reason?: string },
): Promise<RefundView> {
  if (input.principal.role !== 'organizer') throw problems.forbidden('Only the event organizer can refund.');
  const latest = await new PaymentRepository(ctx.db).latestAttempt(input.registrationId);
  const eventId = latest?.eventId ?? (await new HoldRepository(ctx.db).find(input.registrationId))?.eventId;
  const organizerId = eventId ? await new EventOwnerRepository(ctx.db).organizerOf(eventId) : undefined;
  // Another organizer's registration is reported as missing: registrations are private.
  if (!organizerId || organizerId !== input.principal.userId) throw problems.notFound('The registration');

  const created = await ctx.db.transaction().execute(async (trx) => {
    const payment = await new PaymentRepository(trx).capturedOf(input.registrationId);
    if (!payment || !isRefundable(payment.status)) {
      throw problems.conflict('invalid_state', 'This registration has no payment left to refund.');
    }
    const refunds = new RefundRepository(trx);
    const refundable = payment.amount - payment.refundedAmount - (await refunds.pendingTotal(payment.id));
    if (refundable <= 0) throw problems.conflict('invalid_state', 'Everything paid is already being refunded.');
    const amount = input.amount ?? refundable;
    if (amount > refundable) {
      throw problems.validation(
        [{ path: 'body.amount', message: `Must be at most ${refundable}.` }],
        'The refund exceeds what is left of the payment.',
      );
    }
    return refunds.insert({
      id: uuidv7(),
      paymentId: payment.id,
      amount,
      reason: input.reason ?? null,
      status: 'pending',
      stripeRefundId: null,
      requestedBy: `organizer:${input.principal.userId}`,
      sourceEventId: null,
      failureReason: null,
      succeededAt: null,
    });
  });

  const refund = (await submitRefund(ctx, created.id)) ?? created;
  if (refund.status === 'failed') {
    throw problems.conflict('invalid_state', `Stripe refused the refund: ${refund.failureReason ?? 'unknown reason'}`);
  }
  return { id: refund.id, paymentId: refund.paymentId, amount: refund.amount, status: refund.status };
}
