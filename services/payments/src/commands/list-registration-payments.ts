import { type Principal, problems } from '@echoplex/http';
import { publicStatus } from '../domain/payment-status';
import type { PaymentsContext } from '../payments-context';
import { EventOwnerRepository } from '../repositories/event-owner.repository';
import { HoldRepository } from '../repositories/hold.repository';
import { PaymentRepository } from '../repositories/payment.repository';
import { RefundRepository } from '../repositories/refund.repository';

export function paymentCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

function afterIdOf(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id)) throw problems.badRequest('validation_failed', 'The cursor is not valid.');
  return id;
}

/** A registration's payment attempts with their refunds, for the payer or the event's organizer. */
export async function listRegistrationPayments(
  ctx: PaymentsContext,
  input: { principal: Principal; registrationId: string; limit: number; cursor?: string },
) {
  const payments = new PaymentRepository(ctx.db);
  const hold = await new HoldRepository(ctx.db).find(input.registrationId);
  const latest = await payments.latestAttempt(input.registrationId);
  const payerId = hold?.userId ?? latest?.userId;
  const eventId = hold?.eventId ?? latest?.eventId;
  const organizerId = eventId ? await new EventOwnerRepository(ctx.db).organizerOf(eventId) : undefined;
  const allowed =
    input.principal.userId === payerId ||
    (input.principal.role === 'organizer' && input.principal.userId === organizerId);
  if (!payerId || !allowed) throw problems.notFound('The registration');

  const page = await payments.pageOf(input.registrationId, input.limit, afterIdOf(input.cursor));
  const items = page.slice(0, input.limit);
  const refunds = await new RefundRepository(ctx.db).ofPayments(items.map((payment) => payment.id));
  return {
    items: items.map((payment) => ({
      id: payment.id,
      registrationId: payment.registrationId,
      eventId: payment.eventId,
      amount: payment.amount,
      currency: payment.currency,
      status: publicStatus(payment.status),
      refundedAmount: payment.refundedAmount,
      failureCode: payment.failureCode,
      flag: payment.flag,
      stripePaymentIntentId: payment.stripePaymentIntentId,
      refunds: refunds
        .filter((refund) => refund.paymentId === payment.id)
        .map((refund) => ({
          id: refund.id,
          amount: refund.amount,
          status: refund.status,
          reason: refund.reason,
          createdAt: refund.createdAt.toISOString(),
        })),
      createdAt: payment.createdAt.toISOString(),
      updatedAt: payment.updatedAt.toISOString(),
    })),
    nextCursor: page.length > input.limit ? paymentCursor(items.at(-1)?.id as string) : null,
  };
}
