import type { CloudEvent, PaymentRefunded } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { emptyDelta } from '../reporting/stats-delta';
import { takeNewFacts } from '../repositories/new-facts';
import { keepPayment, paymentOf } from '../repositories/payment.repository';
import { refunds } from '../repositories/refund.repository';
import { addNetRevenue } from '../repositories/registration.repository';
import { addStatsDelta, type CounterTarget } from '../repositories/stats.repository';

/**
 * Each refund is a fact of its own keyed by the refund id, so partial refunds add up and a repeated
 * announcement of the same refund counts once. A refund may arrive before its payment: the payment
 * row is created empty and completed by `payment.succeeded`.
 */
export function recordPaymentRefunded(target: CounterTarget) {
  return async (event: CloudEvent<PaymentRefunded>, trx: Transaction<AnalyticsDb>) => {
    const refund = event.data;
    const refundedAt = new Date(refund.occurredAt);
    const [isNew] = await takeNewFacts(trx, refunds, [refund]);
    const delta = emptyDelta(refund.eventId, refundedAt, refund.currency);
    if (isNew) {
      const payment = await paymentOf(trx, refund);
      keepPayment(trx, { ...payment, refundedTotal: payment.refundedTotal + refund.amount });
      delta.counters.refunded = refund.amount;
      delta.buckets.push({ at: refundedAt, metric: 'revenue', value: -refund.amount });
      const ticketTypeId = await addNetRevenue(trx, refund.registrationId, refund.eventId, -refund.amount);
      if (ticketTypeId) delta.ticketTypes.push({ ticketTypeId, sold: 0, revenue: -refund.amount });
    }
    addStatsDelta(trx, target, delta);
  };
}
