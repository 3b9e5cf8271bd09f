import type { PaymentRefunded } from '@echoplex/contracts';
import type { FactTable } from './new-facts';

/** Each refund is a fact of its own keyed by the refund id, so partial refunds add up. */
export const refunds: FactTable<PaymentRefunded> = {
  name: 'refunds',
  keyOf: (refund) => refund.refundId,
  async insertNew(trx, facts) {
    const inserted = await trx
      .insertInto('refunds')
      .values(
        facts.map((refund) => ({
          refundId: refund.refundId,
          paymentId: refund.paymentId,
          registrationId: refund.registrationId,
          eventId: refund.eventId,
          amount: refund.amount,
          currency: refund.currency,
          refundedAt: new Date(refund.occurredAt),
        })),
      )
      .onConflict((oc) => oc.column('refundId').doNothing())
      .returning('refundId')
      .execute();
    return inserted.map((row) => row.refundId);
  },
};
