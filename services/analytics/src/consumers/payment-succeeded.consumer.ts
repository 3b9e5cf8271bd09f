import type { CloudEvent, PaymentSucceeded } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb } from '../db/schema';
import { emptyDelta } from '../reporting/stats-delta';
import { keepPayment, paymentOf } from '../repositories/payment.repository';
import { addNetRevenue } from '../repositories/registration.repository';
import { addStatsDelta, type CounterTarget } from '../repositories/stats.repository';

/**
 * Gross revenue counts each payment once, when it first becomes succeeded (the payment row is the
 * fact, so even a second `payment.succeeded` with a new CloudEvent id adds nothing). The money is
 * credited to the registration; its ticket type, if the registration is not known yet, gets it
 * when the registration arrives (see registrationContribution).
 */
export function recordPaymentSucceeded(target: CounterTarget) {
  return async (event: CloudEvent<PaymentSucceeded>, trx: Transaction<AnalyticsDb>) => {
    const payment = event.data;
    const succeededAt = new Date(payment.occurredAt);
    const known = await paymentOf(trx, payment);
    const delta = emptyDelta(payment.eventId, succeededAt, payment.currency);
    if (known.succeededAt === null) {
      keepPayment(trx, { ...known, amount: payment.amount, currency: payment.currency, succeededAt });
      delta.counters.gross = payment.amount;
      delta.buckets.push({ at: succeededAt, metric: 'revenue', value: payment.amount });
      const ticketTypeId = await addNetRevenue(trx, payment.registrationId, payment.eventId, payment.amount);
      if (ticketTypeId) delta.ticketTypes.push({ ticketTypeId, sold: 0, revenue: payment.amount });
    }
    addStatsDelta(trx, target, delta);
  };
}
